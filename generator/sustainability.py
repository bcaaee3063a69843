"""Sustainability ratings, computed from the scheme and each application's
facts; never typed by hand.

The score is the weighted share of the maximum points, 0 to 100: each
criterion earns points for the fact's value (``points``) or the first numeric
bound the value is at most (``at_most``), else ``otherwise``. Supplier
criteria (``vendor.*``) do not apply to in-house systems, so they count in
neither the score nor the maximum.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.catalog import Catalog
from generator.model import Application, Band, Criterion, Scheme, Vendor


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
    score: float  # 0-100, rounded to one decimal place
    band: Band
    criteria: tuple[CriterionScore, ...]

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


def rate_application(scheme: Scheme, app: Application, vendor: Vendor | None) -> Rating | None:
    """The rating of one application, or None when it has no assessment."""
    if app.sustainability is None:
        return None
    scores = []
    for criterion in scheme.criteria:
        applies, value = fact_value(criterion, app, vendor)
        points = score_criterion(criterion, value) if applies else 0.0
        scores.append(CriterionScore(criterion, value, points, applies))
    maximum = sum(s.weighted_max for s in scores)
    score = round(100 * sum(s.weighted for s in scores) / maximum, 1) if maximum else 0.0
    return Rating(score=score, band=scheme.band_for(score), criteria=tuple(scores))


def rate_all(catalog: Catalog) -> dict[str, Rating]:
    """Ratings by application id, for every assessed application."""
    if catalog.scheme is None:
        return {}
    out = {}
    for id_, app in sorted(catalog.applications.items()):
        vendor = catalog.vendors.get(app.vendor) if app.vendor else None
        rating = rate_application(catalog.scheme, app, vendor)
        if rating is not None:
            out[id_] = rating
    return out
