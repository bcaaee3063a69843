"""Sustainability ratings, computed from the scheme and each application's
facts; never typed by hand.

The score is the weighted share of the maximum points, 0 to 100: each
criterion earns points for the fact's value (``points``) or the first numeric
bound the value is at most (``at_most``), else ``otherwise``. Supplier
criteria (``vendor.*``) do not apply to in-house systems, so they count in
neither the score nor the maximum.

The score is computed exactly and rounded once, to one decimal, for display;
the band comes from the exact score, so 64.96 shows as 65.0 but is below a
band that starts at 65.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from generator.catalog.catalog import Catalog
from generator.core.util import exact, round_half_up
from generator.models.model import Application, Band, Criterion, Scheme, Vendor


@dataclass(frozen=True, slots=True)
class CriterionScore:
    criterion: Criterion
    value: Any  # the fact as found (None when missing)
    points: float
    applies: bool

    @property
    def weighted(self) -> float:
        return self.points * self.criterion.weight if self.applies else 0.0

    @property
    def weighted_max(self) -> float:
        return self.criterion.max_points * self.criterion.weight if self.applies else 0.0


@dataclass(frozen=True, slots=True)
class Rating:
    score: float  # 0-100, rounded to one decimal place, for display
    band: Band  # the band of the exact score
    criteria: tuple[CriterionScore, ...]
    exact: Fraction  # 0-100, unrounded: what averages and gains are computed from

    @property
    def rating(self) -> str:
        return self.band.rating


def fact_value(criterion: Criterion, app: Application, vendor: Vendor | None) -> tuple[bool, Any]:
    """(applies, value) of the fact a criterion reads."""
    fact = criterion.fact
    if fact.startswith("vendor."):
        if vendor is None:
            return (app.vendor is not None), None  # in-house: not applicable
        return True, getattr(vendor, fact.split(".", 1)[1])
    if fact.startswith("sustainability."):
        facts = app.sustainability.facts() if app.sustainability else {}
        return True, facts.get(fact.split(".", 1)[1])
    return True, getattr(app, fact, None)


def score_criterion(criterion: Criterion, value: Any) -> float:
    if value is None:
        return criterion.otherwise
    if criterion.points:
        key = str(value).lower() if isinstance(value, bool) else str(value)
        return criterion.points.get(key, criterion.otherwise)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return criterion.otherwise
    for bound in criterion.at_most:
        if value <= bound.value:
            return bound.points
    return criterion.otherwise


class Units:
    """A scheme's weighted points as whole numbers of one common unit (the
    least common multiple of their denominators), so an application's score is
    two sums of integers and one exact fraction: exact, and nearly as fast as
    floats across a large estate."""

    def __init__(self, scheme: Scheme) -> None:
        values = {0.0}
        for c in scheme.criteria:
            values.update([c.otherwise, *c.points.values(), *(t.points for t in c.at_most)])
        denominators = [exact(v).denominator * exact(c.weight).denominator for v in values for c in scheme.criteria]
        self.unit = math.lcm(*denominators)
        self._memo: dict[tuple[float, float], int] = {}

    def of(self, points: float, weight: float) -> int:
        """``points * weight`` in units (exact: every value of the scheme divides the unit)."""
        key = (points, weight)
        found = self._memo.get(key)
        if found is None:
            scaled = exact(points) * exact(weight) * self.unit
            if scaled.denominator != 1:  # a value the scheme does not hold: widen the unit
                self.unit *= scaled.denominator
                self._memo.clear()
                return self.of(points, weight)
            found = self._memo[key] = scaled.numerator
        return found


def rate_application(
    scheme: Scheme, app: Application, vendor: Vendor | None, units: Units | None = None
) -> Rating | None:
    """The rating of one application, or None when it has no assessment.
    ``units`` (one per scheme) saves working the scheme's unit out again."""
    if app.sustainability is None:
        return None
    units = units or Units(scheme)
    scores = []
    for criterion in scheme.criteria:
        applies, value = fact_value(criterion, app, vendor)
        points = score_criterion(criterion, value) if applies else 0.0
        scores.append(CriterionScore(criterion, value, points, applies))
    value = exact_score(scores, units)
    return Rating(score=round_half_up(value, 1), band=band_of(scheme, value), criteria=tuple(scores), exact=value)


def exact_score(scores: list[CriterionScore] | tuple[CriterionScore, ...], units: Units) -> Fraction:
    """The weighted points earned as a share of the most they could be, 0 to 100, exactly."""
    earned = maximum = 0
    unit = units.unit
    for s in scores:
        if s.applies:
            earned += units.of(s.points, s.criterion.weight)
            maximum += units.of(s.criterion.max_points, s.criterion.weight)
    if unit != units.unit:  # widened on the way: count again in the new unit
        return exact_score(scores, units)
    return Fraction(100 * earned, maximum) if maximum else Fraction(0)


def band_of(scheme: Scheme, value: Fraction) -> Band:
    """The band an exact score falls in: the highest whose minimum it reaches
    (compared exactly, so 64.96 is below a band from 65 though shown as 65.0)."""
    return max((b for b in scheme.bands if value >= exact(b.min_score)), key=lambda b: b.min_score)


def rate_all(catalog: Catalog) -> dict[str, Rating]:
    """Ratings by application id, for every assessed application."""
    if catalog.scheme is None:
        return {}
    out = {}
    units = Units(catalog.scheme)
    for id_, app in sorted(catalog.applications.items()):
        vendor = catalog.vendors.get(app.vendor) if app.vendor else None
        rating = rate_application(catalog.scheme, app, vendor, units)
        if rating is not None:
            out[id_] = rating
    return out
