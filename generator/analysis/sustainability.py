"""The sustainability report: every rating with the points behind it, the
distribution, averages by capability and service area, and the changes that
would lift ratings the most.

Ratings come from :mod:`generator.analysis.ratings` (the one place the scheme
is applied); this module only arranges them and asks "what if" by scoring a
criterion at its best value.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from fractions import Fraction
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from generator.analysis.carbon import RULES as CARBON_RULES
from generator.analysis.carbon import CarbonRow, CarbonTotals, carbon_all, carbon_rows, carbon_totals
from generator.analysis.common import NOT_RETIRED, Table, add_months, ancestors, org_name, supported, tree_key
from generator.analysis.ratings import Rating, Units, band_of, rate_all
from generator.catalog.catalog import Catalog
from generator.core.util import round_half_up
from generator.models.model import Criterion, Scheme

RULES: dict[str, str] = {
    "scope": "Every application that is not retired is listed; retired ones need no assessment.",
    "score": "Each criterion earns points for the application's fact; the score is the weighted points earned as a "
    "share of the most it could earn (0 to 100), and the band turns the score into a rating. Supplier criteria "
    "do not apply to in-house systems and count in neither the points nor the maximum.",
    "stale": "An assessment is stale when its date is older than the scheme's maximum age; the rating is still "
    "shown but should be reviewed.",
    "averages": "Averages are the mean score of the rated applications (not retired) supporting a capability or any "
    "capability beneath it, or owned by a service area; the band is the band of that mean.",
    "rounding": "Scores, averages and gains are worked out exactly and rounded once, to one decimal place, for "
    "display (halves rounded up); a band comes from the exact figure, so a score shown as 65.0 can be 64.96 and "
    "fall in the band below 65.",
    "improvements": "For each rated application, each criterion below its best is scored at its best value "
    "(one change), and all the council's own changes are scored together (hosting and the application's "
    "sustainability facts, for example moving to a cloud host on renewable energy and out of the council's "
    "data centre). Listed by the gain in score, largest first.",
}


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class CriterionPoints(_Model):
    criterion: str
    name: str
    fact: str
    value: str | None = Field(description="The fact as found, as text; None when missing.")
    applies: bool
    points: float
    max_points: float
    weight: float
    weighted: float
    weighted_max: float


class AppRating(_Model):
    application: str
    name: str
    owner: str
    owner_name: str | None
    lifecycle: str
    hosting: str
    vendor: str | None
    assessed: date | None
    status: Literal["rated", "stale", "no date", "not assessed"]
    rating: str | None
    score: float | None
    criteria: list[CriterionPoints]


class BandCount(_Model):
    rating: str = Field(description="A band, or 'not assessed'.")
    min_score: float | None
    meaning: str | None
    count: int


class Average(_Model):
    id: str
    name: str
    level: int | None = Field(default=None, description="Capability level (1 = top); None for service areas.")
    rated: int
    unrated: int
    average: float | None
    rating: str | None


class Change(_Model):
    criterion: str
    name: str
    actor: Literal["council", "supplier"]
    from_value: str | None
    to_value: str


class Improvement(_Model):
    application: str
    name: str
    changes: list[Change]
    score: float
    new_score: float
    gain: float
    rating: str
    new_rating: str

    @property
    def description(self) -> str:
        return "; ".join(f"{c.name}: {c.from_value or 'not recorded'} → {c.to_value}" for c in self.changes)


class SustainabilityReport(_Model):
    """JSON is ``model_dump(mode="json")``; fields are only ever added."""

    version: int = 1
    today: date
    scheme: str | None
    max_age_months: int | None
    rules: dict[str, str]
    ratings: list[AppRating]
    distribution: list[BandCount]
    by_capability: list[Average]
    by_service_area: list[Average]
    improvements: list[Improvement]
    notes: list[str]
    #: kgCO2e a year per application listed, with its evidence (see generator.models.carbon)
    carbon: list[CarbonRow] = Field(default_factory=list)
    carbon_totals: CarbonTotals | None = None

    def tables(self) -> list[Table]:
        return _tables(self)


# --- collecting ---------------------------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _app_rating(catalog: Catalog, app_id: str, rating: Rating | None, oldest: date | None) -> AppRating:
    app = catalog.applications[app_id]
    assessed = app.sustainability.assessed if app.sustainability else None
    if rating is None:
        status = "not assessed"
    elif assessed is None:
        status = "no date"
    elif oldest is not None and assessed < oldest:
        status = "stale"
    else:
        status = "rated"
    criteria = [
        CriterionPoints(
            criterion=s.criterion.id,
            name=s.criterion.name,
            fact=s.criterion.fact,
            value=_text(s.value),
            applies=s.applies,
            points=s.points,
            max_points=s.criterion.max_points,
            weight=s.criterion.weight,
            weighted=s.weighted,
            weighted_max=s.weighted_max,
        )
        for s in (rating.criteria if rating else ())
    ]
    return AppRating(
        application=app_id,
        name=app.name,
        owner=app.owner,
        owner_name=org_name(catalog, app.owner),
        lifecycle=app.lifecycle,
        hosting=app.hosting,
        vendor=app.vendor,
        assessed=assessed,
        status=status,  # type: ignore[arg-type]
        rating=rating.rating if rating else None,
        score=rating.score if rating else None,
        criteria=criteria,
    )


def _average(scheme: Scheme | None, scores: list[Fraction]) -> tuple[float | None, str | None]:
    """The mean of exact scores, rounded once, and the band of the exact mean."""
    if not scores or scheme is None:
        return None, None
    mean = sum(scores, Fraction(0)) / len(scores)
    return round_half_up(mean, 1), band_of(scheme, mean).rating


def best_value(criterion: Criterion) -> tuple[str, float]:
    """The value that earns a criterion's most points, as text, with those
    points (the first in the scheme's order among equals)."""
    if criterion.points:
        key = max(criterion.points, key=lambda k: criterion.points[k])  # first of equal maxima
        return key, criterion.points[key]
    bound = max(criterion.at_most, key=lambda t: t.points)
    value = int(bound.value) if float(bound.value).is_integer() else bound.value
    return f"at most {value}", bound.points


def _improve(
    scheme: Scheme,
    app_id: str,
    name: str,
    rating: Rating,
    picks: list[int],
    best: list[tuple[str, float]],
    totals: tuple[int, int],
    units: Units,
) -> Improvement | None:
    """The rating with the criteria at ``picks`` at their best values
    (``best``, by criterion index); ``totals`` is (earned, maximum) in the
    scheme's ``units`` (every value here is one of the scheme's, so the unit
    never widens on the way)."""
    changes = []
    earned, maximum = totals
    for i in picks:
        s = rating.criteria[i]
        to_value, points = best[i]
        if not s.applies or points <= s.points:
            continue
        earned += units.of(points, s.criterion.weight) - units.of(s.points, s.criterion.weight)
        actor: Literal["council", "supplier"] = "supplier" if s.criterion.fact.startswith("vendor.") else "council"
        changes.append(
            Change(
                criterion=s.criterion.id,
                name=s.criterion.name,
                actor=actor,
                from_value=_text(s.value),
                to_value=to_value,
            )
        )
    if not changes or not maximum:
        return None
    new = Fraction(100 * earned, maximum)
    return Improvement(
        application=app_id,
        name=name,
        changes=changes,
        score=rating.score,
        new_score=round_half_up(new, 1),
        gain=round_half_up(new - rating.exact, 1),
        rating=rating.rating,
        new_rating=band_of(scheme, new).rating,
    )


def _improvements(catalog: Catalog, ratings: dict[str, Rating], ids: list[str]) -> list[Improvement]:
    scheme = catalog.scheme
    if scheme is None:
        return []
    best = [best_value(c) for c in scheme.criteria]  # once: max_points is computed on every call
    units = Units(scheme)
    top = [units.of(c.max_points, c.weight) for c in scheme.criteria]
    own = [i for i, c in enumerate(scheme.criteria) if not c.fact.startswith("vendor.")]
    out = []
    for app_id in ids:
        rating = ratings.get(app_id)
        if rating is None:
            continue
        name = catalog.applications[app_id].name
        earned = sum(units.of(s.points, s.criterion.weight) for s in rating.criteria if s.applies)
        maximum = sum(top[i] for i, s in enumerate(rating.criteria) if s.applies)
        totals = (earned, maximum)
        singles = [
            _improve(scheme, app_id, name, rating, [i], best, totals, units) for i in range(len(rating.criteria))
        ]
        out += [s for s in singles if s is not None]
        package = _improve(scheme, app_id, name, rating, own, best, totals, units)
        if package is not None and len(package.changes) > 1:
            out.append(package)
    return sorted(
        out, key=lambda m: (-m.gain, len(m.changes), m.name.casefold(), m.application, [c.criterion for c in m.changes])
    )


def sustainability_report(catalog: Catalog, today: date) -> SustainabilityReport:
    """The sustainability analysis of ``catalog`` as of ``today``."""
    scheme = catalog.scheme
    ratings = rate_all(catalog)
    oldest = add_months(today, -scheme.max_age_months) if scheme else None
    ids = sorted(i for i, a in catalog.applications.items() if a.lifecycle in NOT_RETIRED)
    rows = sorted(
        (_app_rating(catalog, i, ratings.get(i), oldest) for i in ids),
        key=lambda r: (-(r.score if r.score is not None else -1), r.name.casefold(), r.application),
    )
    bands = sorted(scheme.bands, key=lambda b: -b.min_score) if scheme else []
    counts = defaultdict(int)
    for r in rows:
        counts[r.rating or "not assessed"] += 1
    distribution = [
        BandCount(rating=b.rating, min_score=b.min_score, meaning=b.meaning, count=counts[b.rating]) for b in bands
    ]
    distribution.append(BandCount(rating="not assessed", min_score=None, meaning=None, count=counts["not assessed"]))

    by_cap: dict[str, set[str]] = defaultdict(set)  # an application counts once under each capability
    for i in ids:
        for cap in supported(catalog, i):
            for c in (cap, *ancestors(catalog, cap)):
                by_cap[c].add(i)
    by_capability = []
    for cap in sorted(by_cap, key=lambda c: tree_key(catalog, c)):
        scores = [ratings[i].exact for i in sorted(by_cap[cap]) if i in ratings]
        mean, band = _average(scheme, scores)
        by_capability.append(
            Average(
                id=cap,
                name=catalog.capabilities[cap].name,
                level=len(ancestors(catalog, cap)) + 1,
                rated=len(scores),
                unrated=len(by_cap[cap]) - len(scores),
                average=mean,
                rating=band,
            )
        )
    by_owner: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        by_owner[catalog.applications[i].owner].append(i)
    by_service_area = []
    for owner in sorted(by_owner, key=lambda o: ((org_name(catalog, o) or o).casefold(), o)):
        scores = [ratings[i].exact for i in by_owner[owner] if i in ratings]
        mean, band = _average(scheme, scores)
        by_service_area.append(
            Average(
                id=owner,
                name=org_name(catalog, owner) or owner,
                rated=len(scores),
                unrated=len(by_owner[owner]) - len(scores),
                average=mean,
                rating=band,
            )
        )
    notes = []
    if scheme is None:
        notes.append("No sustainability scheme (architecture/sustainability.md): nothing can be rated.")
    stale = [r.application for r in rows if r.status == "stale"]
    if stale:
        notes.append(
            f"{len(stale)} assessment{'s' * (len(stale) != 1)} older than {scheme.max_age_months if scheme else 0} "
            f"months: {', '.join(sorted(stale))}"
        )
    figures = carbon_all(catalog)
    return SustainabilityReport(
        carbon=carbon_rows(catalog, figures, ids),
        carbon_totals=carbon_totals(catalog, figures),
        today=today,
        scheme=scheme.name if scheme else None,
        max_age_months=scheme.max_age_months if scheme else None,
        rules=RULES,
        ratings=rows,
        distribution=distribution,
        by_capability=by_capability,
        by_service_area=by_service_area,
        improvements=_improvements(catalog, ratings, ids),
        notes=notes,
    )


# --- tables -------------------------------------------------------------------------------------------------------


def _tables(r: SustainabilityReport) -> list[Table]:
    names = [c.name for c in next((x.criteria for x in r.ratings if x.criteria), [])]
    ratings = Table(
        "ratings",
        "Ratings",
        [
            "Application id",
            "Application",
            "Service area",
            "Hosting",
            "Rating",
            "Score",
            "Status",
            "Assessed",
            *[f"{n} (points)" for n in names],
        ],
        [
            [
                x.application,
                x.name,
                x.owner_name,
                x.hosting,
                x.rating,
                x.score,
                x.status,
                x.assessed,
                *[(_points(c) if c.applies else "n/a") for c in x.criteria],
                *([None] * (len(names) - len(x.criteria))),
            ]
            for x in r.ratings
        ],
        RULES["score"] + " " + RULES["rounding"] + " " + RULES["stale"],
    )
    distribution = Table(
        "distribution",
        "Distribution",
        ["Rating", "From score", "Applications"],
        [[b.rating, b.min_score, b.count] for b in r.distribution],
        RULES["scope"],
    )
    caps = Table(
        "by-capability",
        "Average by capability",
        ["Capability id", "Capability", "Level", "Rated", "Not assessed", "Average score", "Rating"],
        [[a.id, a.name, a.level, a.rated, a.unrated, a.average, a.rating] for a in r.by_capability],
        RULES["averages"] + " " + RULES["rounding"],
    )
    areas = Table(
        "by-service-area",
        "Average by service area",
        ["Service area id", "Service area", "Rated", "Not assessed", "Average score", "Rating"],
        [[a.id, a.name, a.rated, a.unrated, a.average, a.rating] for a in r.by_service_area],
        RULES["averages"] + " " + RULES["rounding"],
    )
    improvements = Table(
        "improvements",
        "Improvements",
        ["Application id", "Application", "Change", "Who acts", "Score", "New score", "Gain", "Rating", "New rating"],
        [
            [
                m.application,
                m.name,
                m.description,
                " and ".join(sorted({c.actor for c in m.changes})),
                m.score,
                m.new_score,
                m.gain,
                m.rating,
                m.new_rating,
            ]
            for m in r.improvements
        ],
        RULES["improvements"],
    )
    carbon = Table(
        "carbon",
        "Carbon by application",
        ["Application id", "Application", "Hosting", "kgCO2e a year", "Evidence"],
        [[c.application, c.name, c.hosting, c.kgco2e, c.evidence] for c in r.carbon],
        CARBON_RULES["carbon"],
    )
    totals_rows: list[list[Any]] = []
    t = r.carbon_totals
    if t is not None:
        totals_rows.append(
            ["estate", t.estate.id, t.estate.name, t.estate.kgco2e, t.estate.applications, t.estate.unknown]
        )
        for group, items in (
            ("capability", t.by_capability),
            ("service area", t.by_service_area),
            ("hosting", t.by_hosting),
        ):
            totals_rows += [[group, x.id, x.name, x.kgco2e, x.applications, x.unknown] for x in items]
        x = t.data_centre_exit
        totals_rows.append(
            [
                "data-centre exit",
                "saving",
                "Saving of leaving the council's data centres",
                x.saving,
                x.applications,
                x.unknown,
            ]
        )
    totals = Table(
        "carbon-totals",
        "Carbon totals",
        ["By", "Id", "Name", "kgCO2e a year", "Applications counted", "Applications unknown"],
        totals_rows,
        CARBON_RULES["carbon_totals"] + " " + CARBON_RULES["data_centre_exit"],
    )
    return [ratings, distribution, caps, areas, improvements, carbon, totals]


def _points(c: CriterionPoints) -> str:
    return f"{c.points:g}/{c.max_points:g} ×{c.weight:g}"


SECTIONS = ("ratings", "distribution", "by-capability", "by-service-area", "improvements", "carbon", "carbon-totals")

__all__ = ["RULES", "SECTIONS", "SustainabilityReport", "best_value", "sustainability_report"]
