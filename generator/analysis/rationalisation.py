"""Rationalisation: where a merged council runs several systems for one job,
what it costs, what could go, and what stands in the way.

``rationalise(catalog, today)`` returns one :class:`RationalisationReport`
with six sections; every rule is stated in ``RULES`` so each output (page,
CSV, workbook, JSON) can say how its figures were made.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from generator.analysis.common import (
    ACTIVE,
    CURRENCY,
    RUNNING,
    Table,
    add_months,
    ancestors,
    capability_path,
    money,
    org_name,
    supported,
    tree_key,
)
from generator.analysis.ratings import Rating, rate_all
from generator.catalog.catalog import Catalog
from generator.core.util import exact, round_half_up
from generator.models.model import Application, Kind

#: Contract timeline window, and how soon a notice date is flagged.
HORIZON_MONTHS = 24
NOTICE_WARNING_MONTHS = 3
#: A contract "ends soon", for candidates, within this many months.
ENDING_SOON_MONTHS = 12

RULES: dict[str, str] = {
    "active": "Overlaps, the merger matrix and candidates count applications whose lifecycle is active "
    "(as the gap check and the heat map do); proposed, phase-out and retired ones are left out.",
    "running": "Contracts, costs and the data-centre exit count every application still running (active or phase-out).",
    "cost_sharing": "An application's annual cost is split equally across the capabilities it supports; "
    "a capability's cost is the sum of those shares, and a parent's cost adds its children's. "
    "Applications with no annual cost recorded add nothing, so totals are a lower bound.",
    "overlap": "An overlap is a capability that two or more active applications support directly, leaving out "
    "pairs recorded as working alongside each other (complements). Money at stake is the sum of the cost shares "
    "on that capability of the applications that would go: it leaves out the ones kept, which are those marked "
    "invest or, where none is, the one with the largest share (at least one system must stay). "
    "A parent capability rolls up the overlaps beneath it.",
    "rounding": "Shares and sums are worked out exactly and each figure is rounded once, to the penny, when shown "
    "(halves rounded up), so a total agrees with the costs it adds up.",
    "matrix": "Cells list the active applications each predecessor council (origin) brought for a capability. "
    "A capability is a candidate when two or more councils bring different products "
    "(vendor and product; an application with no product recorded counts as its own product).",
    "candidates": "A candidate is an active application not marked invest that overlaps another active "
    "application or is marked migrate or eliminate. Further reasons: its contract ends within "
    f"{ENDING_SOON_MONTHS} months (or has ended), and a poor sustainability rating (the scheme's two lowest "
    "bands). The target is its replaced_by, else the invest application sharing most capabilities with it. "
    "The saving is its whole annual cost; the net saving takes off the target's added cost when known (the "
    "annual cost of a target not yet running, shared equally by the candidates moving to it), and the first "
    "year's saving also takes off the one-off migration cost when recorded. Each candidate carries its "
    "contract's decision (notice) date: where that date has passed and the contract has not ended, the saving "
    "cannot be realised this term. Candidates with no annual cost recorded cannot be ranked by saving and "
    "come last, marked unknown; an unassessed or stale sustainability rating is marked as such, never "
    "counted as good. Ranked by net saving, then number of reasons, then name.",
    "contracts": f"Contracts of running applications ending within {HORIZON_MONTHS} months, and those already "
    "ended. The decision (notice) date is the end date minus the notice period; it is flagged when it has "
    f"passed or falls within {NOTICE_WARNING_MONTHS} months. With no notice period recorded, the end date is used.",
    "data_centre": "Running applications hosted on-premises, or recorded as in the council's own data centre "
    "(sustainability.own_data_centre: true), the council's own buildings first, then those on premises "
    "elsewhere (a partner's or a supplier's building: own_data_centre: false), then those where the building "
    "is not recorded; within each, grouped by owning service area, with the running applications that depend "
    "on each (directly, and through other integrations, with the path of each indirect dependency).",
}


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class AppFacts(_Model):
    """What a decision needs to know about one application."""

    id: str
    name: str
    lifecycle: str
    origin: str | None
    origin_name: str | None
    owner: str
    owner_name: str | None
    users: int | None
    annual_cost: float | None
    contract_end: date | None
    disposition: str | None
    hosting: str
    rating: str | None
    score: float | None
    rating_status: Literal["rated", "stale", "no date", "not assessed"] = Field(
        default="not assessed", description="As in the sustainability report: stale when assessed too long ago."
    )
    assessed: date | None = None
    migration_cost: float | None = None


class Overlap(_Model):
    capability: str
    name: str
    area: str = Field(description="The level-1 capability above it (itself when level 1).")
    area_name: str
    applications: list[AppFacts]
    money_at_stake: float = Field(description="Cost shares of the applications that would go (not those kept).")
    costs_missing: int = Field(description="How many of the applications have no annual cost recorded.")
    kept: list[str] = Field(default_factory=list, description="Applications assumed to stay, sorted by id.")
    kept_basis: Literal["invest", "largest share"] | None = None
    total_cost: float = Field(default=0, description="Cost shares of every overlapping application on it.")


class OverlapRollup(_Model):
    capability: str
    name: str
    level: int
    overlaps: list[str] = Field(description="Overlapping capabilities at or beneath this one, in tree order.")
    applications: list[str] = Field(description="Distinct applications involved, sorted by id.")
    money_at_stake: float


class MatrixRow(_Model):
    capability: str
    name: str
    area: str = Field(description="The level-1 capability above it (itself when level 1).")
    cells: dict[str, list[str]] = Field(description="Origin id ('' for none) -> application ids.")
    products: int = Field(description="Distinct products brought by predecessor councils.")
    candidate: bool


class Council(_Model):
    id: str
    name: str


class Matrix(_Model):
    councils: list[Council] = Field(description="Columns: predecessor councils, by name, then '' (no origin).")
    rows: list[MatrixRow]


class Candidate(_Model):
    rank: int
    application: AppFacts
    reasons: list[str]
    reason_codes: list[Literal["overlap", "disposition", "contract", "sustainability"]]
    target: str | None
    target_name: str | None
    target_basis: Literal["replaced_by", "invest on a shared capability"] | None
    saving: float | None
    contract_end: date | None = None
    decision_date: date | None = Field(default=None, description="Contract end less the notice period.")
    contract_status: Literal[
        "ended", "notice passed", "notice due", "upcoming", "no end date recorded", "no contract (in-house)"
    ] = "no end date recorded"
    realisable: Literal["now", "at contract end", "not this term", "unknown"] = "unknown"
    realisable_from: date | None = Field(default=None, description="Earliest date the saving starts, when known.")
    migration_cost: float | None = None
    added_cost: float | None = Field(default=None, description="The target's added annual cost, when known.")
    net_saving: float | None = Field(default=None, description="Annual saving less the target's added cost.")
    first_year_saving: float | None = Field(default=None, description="Net saving less the one-off migration cost.")
    unknowns: list[str] = Field(default_factory=list, description="What is not recorded, so the rank is uncertain.")


class ContractEvent(_Model):
    application: str
    name: str
    lifecycle: str
    reference: str | None
    end: date
    notice_months: int | None
    decision_date: date
    status: Literal["ended", "notice passed", "notice due", "upcoming"]
    flagged: bool
    annual_cost: float | None


class DataCentreApp(_Model):
    owner: str
    owner_name: str | None
    application: AppFacts
    why: str
    dependents: list[str] = Field(description="Running applications that depend on it directly.")
    all_dependents: list[str] = Field(description="Running applications that depend on it directly or indirectly.")
    replaced_by: str | None
    building: Literal["council", "elsewhere", "not recorded"] = Field(
        default="not recorded",
        description="council: in the council's own data centre; elsewhere: on premises in a partner's or a "
        "supplier's building; not recorded.",
    )
    paths: dict[str, list[str]] = Field(
        default_factory=dict,
        description="For each indirect dependent: the chain from it to this application (shortest, by id).",
    )


class CapabilityCost(_Model):
    capability: str
    name: str
    level: int
    parent: str | None
    applications: list[str] = Field(description="Running applications supporting it directly.")
    costs_missing: int
    cost: float = Field(description="Sum of the direct applications' shares.")
    rolled_up_cost: float = Field(description="Its cost plus its descendants' costs.")


class RationalisationReport(_Model):
    """The whole analysis. JSON is ``model_dump(mode="json")`` with a
    ``version``; fields are only ever added."""

    version: int = 2  # 2: money at stake leaves out the applications kept
    today: date
    currency: str = CURRENCY
    rules: dict[str, str]
    overlaps: list[Overlap]
    money_at_stake: float = Field(description="Across every overlap: the exact sum, rounded once to the penny.")
    rollups: list[OverlapRollup]
    matrix: Matrix
    candidates: list[Candidate]
    contracts: list[ContractEvent]
    data_centre: list[DataCentreApp]
    costs: list[CapabilityCost]
    notes: list[str]

    def tables(self) -> list[Table]:
        return _tables(self)


# --- collecting ---------------------------------------------------------------------------------------------------


def _rating_status(app: Application, rating: Rating | None, oldest: date | None) -> str:
    """The sustainability report's status: a rating with an old assessment is stale."""
    assessed = app.sustainability.assessed if app.sustainability else None
    if rating is None:
        return "not assessed"
    if assessed is None:
        return "no date"
    if oldest is not None and assessed < oldest:
        return "stale"
    return "rated"


def _facts(catalog: Catalog, app_id: str, ratings: dict[str, Rating], oldest: date | None = None) -> AppFacts:
    app = catalog.applications[app_id]
    rating = ratings.get(app_id)
    return AppFacts(
        id=app_id,
        name=app.name,
        lifecycle=app.lifecycle,
        origin=app.origin,
        origin_name=org_name(catalog, app.origin),
        owner=app.owner,
        owner_name=org_name(catalog, app.owner),
        users=app.users,
        annual_cost=app.annual_cost,
        contract_end=app.contract.end if app.contract else None,
        disposition=app.disposition,
        hosting=app.hosting,
        rating=rating.rating if rating else None,
        score=rating.score if rating else None,
        rating_status=_rating_status(app, rating, oldest),  # type: ignore[arg-type]
        assessed=app.sustainability.assessed if app.sustainability else None,
        migration_cost=app.migration_cost,
    )


def _in(catalog: Catalog, lifecycles: frozenset[str]) -> dict[str, Application]:
    return {i: a for i, a in sorted(catalog.applications.items()) if a.lifecycle in lifecycles}


def cost_shares(catalog: Catalog) -> dict[str, dict[str, Fraction]]:
    """capability -> {running application -> its equal share of the annual cost},
    exactly (a third of £100 is 100/3, not 33.33), so that sums of shares are
    rounded once, when shown, and agree with each other."""
    shares: dict[str, dict[str, Fraction]] = defaultdict(dict)
    for app_id, app in _in(catalog, RUNNING).items():
        caps = supported(catalog, app_id)
        cost = exact(app.annual_cost or 0)
        for cap in caps:
            shares[cap][app_id] = cost / len(caps)
    return shares


def pennies(value: Fraction) -> float:
    """An exact sum of money as shown: rounded once, to the penny."""
    return round_half_up(value, 2)


def _stake(shares: dict[str, dict[str, Fraction]], cap_id: str, apps: list[str]) -> Fraction:
    """The exact money at stake on one overlapping capability."""
    on = shares.get(cap_id, {})
    return sum((on.get(a, Fraction(0)) for a in apps), Fraction(0))


def _direct(catalog: Catalog, cap_id: str, lifecycles: frozenset[str]) -> list[str]:
    return sorted(
        {
            e.source
            for e in catalog.incoming(Kind.CAPABILITY, cap_id, "supported_by")
            if catalog.applications[e.source].lifecycle in lifecycles
        }
    )


def complement_pairs(catalog: Catalog) -> set[frozenset[str]]:
    """Pairs recorded as working alongside each other (either side may list
    the other); references to missing applications are left to validation."""
    return {
        frozenset((a, b))
        for a, app in catalog.applications.items()
        for b in app.complements
        if b != a and b in catalog.applications
    }


def duplicating(apps: list[str], pairs: set[frozenset[str]]) -> list[str]:
    """Those of ``apps`` (on one capability) with at least one other that is
    not recorded as complementing it: the applications that overlap there."""
    if not pairs:
        return apps if len(apps) >= 2 else []
    return [a for a in apps if any(b != a and frozenset((a, b)) not in pairs for b in apps)]


def _kept(
    catalog: Catalog, shares: dict[str, dict[str, Fraction]], cap_id: str, apps: list[str]
) -> tuple[list[str], str]:
    """Who stays on an overlap: the invest applications, else the one with the
    largest cost share (then name, id): at least one system keeps doing the job."""
    invest = [a for a in apps if catalog.applications[a].disposition == "invest"]
    if invest:
        return sorted(invest), "invest"
    on = shares.get(cap_id, {})
    best = min(apps, key=lambda a: (-on.get(a, Fraction(0)), catalog.applications[a].name.casefold(), a))
    return [best], "largest share"


def _overlaps(
    catalog: Catalog,
    shares: dict[str, dict[str, Fraction]],
    ratings: dict[str, Rating],
    oldest: date | None = None,
) -> list[Overlap]:
    out = []
    pairs = complement_pairs(catalog)
    for cap_id, cap in catalog.capabilities.items():
        apps = duplicating(_direct(catalog, cap_id, ACTIVE), pairs)
        if len(apps) < 2:
            continue
        area = capability_path(catalog, cap_id)[0]
        kept, basis = _kept(catalog, shares, cap_id, apps)
        facts = sorted(
            (_facts(catalog, a, ratings, oldest) for a in apps),
            key=lambda f: (-(f.annual_cost or 0), f.name.casefold(), f.id),
        )
        out.append(
            Overlap(
                capability=cap_id,
                name=cap.name,
                area=area,
                area_name=catalog.capabilities[area].name,
                applications=facts,
                money_at_stake=pennies(_stake(shares, cap_id, [a for a in apps if a not in kept])),
                costs_missing=sum(1 for f in facts if f.annual_cost is None),
                kept=kept,
                kept_basis=basis,  # type: ignore[arg-type]
                total_cost=pennies(_stake(shares, cap_id, apps)),
            )
        )
    return sorted(out, key=lambda o: (-o.money_at_stake, o.name.casefold(), o.capability))


def _stakes(overlaps: list[Overlap], shares: dict[str, dict[str, Fraction]]) -> dict[str, Fraction]:
    """The exact money at stake on each overlapping capability (the kept
    applications left out), worked out once."""
    return {
        o.capability: _stake(shares, o.capability, [a.id for a in o.applications if a.id not in o.kept])
        for o in overlaps
    }


def _rollups(catalog: Catalog, overlaps: list[Overlap], stakes: dict[str, Fraction]) -> list[OverlapRollup]:
    beneath: dict[str, list[Overlap]] = defaultdict(list)
    for o in overlaps:
        for cap in [o.capability, *ancestors(catalog, o.capability)]:
            beneath[cap].append(o)
    out = []
    for cap_id in sorted(beneath, key=lambda c: tree_key(catalog, c)):
        items = sorted(beneath[cap_id], key=lambda o: tree_key(catalog, o.capability))
        out.append(
            OverlapRollup(
                capability=cap_id,
                name=catalog.capabilities[cap_id].name,
                level=len(capability_path(catalog, cap_id)),
                overlaps=[o.capability for o in items],
                applications=sorted({a.id for o in items for a in o.applications}),
                money_at_stake=pennies(sum((stakes[o.capability] for o in items), Fraction(0))),
            )
        )
    return out


def _product(app_id: str, app: Application) -> tuple[str, ...]:
    if app.product:
        return (app.vendor or "", app.product.casefold())
    return ("app", app_id)


def _matrix(catalog: Catalog) -> Matrix:
    active = _in(catalog, ACTIVE)
    origins = sorted(
        {a.origin for a in active.values() if a.origin},
        key=lambda o: ((org_name(catalog, o) or o).casefold(), o),
    )
    if not origins:
        # a council that never merged: no predecessor to compare, so no
        # matrix (not a column of nothing but zeros)
        return Matrix(councils=[], rows=[])
    councils = [Council(id=o, name=org_name(catalog, o) or o) for o in origins]
    if any(a.origin is None for a in active.values()):
        councils.append(Council(id="", name="No origin (the new council, or not recorded)"))
    rows = []
    for cap_id in sorted(catalog.capabilities, key=lambda c: tree_key(catalog, c)):
        apps = _direct(catalog, cap_id, ACTIVE)
        if not apps:
            continue
        cells: dict[str, list[str]] = defaultdict(list)
        for a in apps:
            cells[active[a].origin or ""].append(a)
        brought = {k: v for k, v in cells.items() if k}
        products = {_product(a, active[a]) for ids in brought.values() for a in ids}
        rows.append(
            MatrixRow(
                capability=cap_id,
                name=catalog.capabilities[cap_id].name,
                area=capability_path(catalog, cap_id)[0],
                cells={k: cells[k] for k in sorted(cells)},
                products=len(products),
                candidate=len(brought) >= 2 and len(products) >= 2,
            )
        )
    return Matrix(councils=councils, rows=rows)


def _poor_bands(catalog: Catalog) -> set[str]:
    if catalog.scheme is None:
        return set()
    bands = sorted(catalog.scheme.bands, key=lambda b: b.min_score)
    return {b.rating for b in bands[: min(2, len(bands) - 1)]}


def _overlap_reason(app_id: str, items: list[Overlap]) -> str:
    """'overlaps Alpha on Leaf', naming up to two other applications and up
    to three capabilities, counting beyond that (a reason must stay readable)."""
    others = sorted({a.name for o in items for a in o.applications if a.id != app_id}, key=str.casefold)
    caps = [o.name for o in items]
    who = ", ".join(others) if len(others) <= 2 else f"{len(others)} other applications"
    where = ", ".join(caps) if len(caps) <= 3 else f"{len(caps)} capabilities ({', '.join(caps[:3])}, ...)"
    return f"overlaps {who} on {where}"


def _target(
    catalog: Catalog, app_id: str, active: dict[str, Application], invest_on: dict[str, set[str]]
) -> tuple[str | None, str | None]:
    """replaced_by, else the invest application sharing most capabilities
    (then most users, then name). ``invest_on``: capability -> invest apps."""
    app = active[app_id]
    succ = app.replaced_by
    if succ and succ in catalog.applications and catalog.applications[succ].lifecycle != "retired":
        return succ, "replaced_by"
    shared: dict[str, int] = defaultdict(int)
    for cap in supported(catalog, app_id):
        for other in invest_on.get(cap, ()):
            if other != app_id:
                shared[other] += 1
    if not shared:
        return None, None
    best = min(
        shared,
        key=lambda o: (-shared[o], -(active[o].users or 0), active[o].name.casefold(), o),
    )
    return best, "invest on a shared capability"


def decision(end: date, notice_months: int | None, today: date) -> tuple[date, str]:
    """A contract's decision (notice) date and its status as of ``today``:
    ended, notice passed, notice due (within NOTICE_WARNING_MONTHS) or upcoming."""
    day = add_months(end, -notice_months) if notice_months else end
    if end < today:
        return day, "ended"
    if day < today:
        return day, "notice passed"
    if day <= add_months(today, NOTICE_WARNING_MONTHS):
        return day, "notice due"
    return day, "upcoming"


def _term(app: Application, today: date) -> dict[str, object]:
    """When a candidate's saving can start. Out of contract (ended): now. Notice
    date still ahead: at the contract's end, if notice is given by then. Notice
    date passed: not this term (the contract runs to its end, and may renew).
    No supplier: now (nothing to give notice on). No end date: unknown."""
    c = app.contract
    if c is None or c.end is None:
        if app.vendor is None:
            return {"contract_status": "no contract (in-house)", "realisable": "now", "realisable_from": today}
        return {"contract_status": "no end date recorded", "realisable": "unknown"}
    day, status = decision(c.end, c.notice_months, today)
    out: dict[str, object] = {"contract_end": c.end, "decision_date": day, "contract_status": status}
    if status == "ended":
        out.update(realisable="now", realisable_from=today)
    elif status == "notice passed":
        out.update(realisable="not this term")
    else:
        out.update(realisable="at contract end", realisable_from=c.end)
    return out


def _added_costs(catalog: Catalog, targets: dict[str, str | None], today: date) -> dict[str, Fraction]:
    """Each candidate's share of its target's added annual cost, where known:
    a target not yet running (proposed) with an annual cost is new money, shared
    equally by the candidates moving to it. A running target's growth is not
    recorded, so it adds nothing known."""
    moving: dict[str, list[str]] = defaultdict(list)
    for app_id, target in targets.items():
        if target is not None:
            moving[target].append(app_id)
    out: dict[str, Fraction] = {}
    for target, apps in moving.items():
        t = catalog.applications[target]
        if t.lifecycle == "proposed" and t.annual_cost is not None:
            for app_id in apps:
                out[app_id] = exact(t.annual_cost) / len(apps)
    return out


def _unknowns(app: Application, facts: AppFacts) -> list[str]:
    out = []
    if app.annual_cost is None:
        out.append("annual cost not recorded, so the saving is unknown")
    if facts.rating_status == "not assessed":
        out.append("sustainability not assessed")
    elif facts.rating_status == "stale":
        assessed = facts.assessed.isoformat() if facts.assessed else ""
        out.append(f"sustainability rating stale (assessed {assessed})")
    elif facts.rating_status == "no date":
        out.append("sustainability assessment undated")
    if app.vendor is not None and (app.contract is None or app.contract.end is None):
        out.append("contract end not recorded")
    return out


def _candidates(
    catalog: Catalog, overlaps: list[Overlap], ratings: dict[str, Rating], today: date, oldest: date | None = None
) -> list[Candidate]:
    active = _in(catalog, ACTIVE)
    overlapping: dict[str, list[Overlap]] = defaultdict(list)
    for o in overlaps:
        for a in o.applications:
            overlapping[a.id].append(o)
    invest_on: dict[str, set[str]] = defaultdict(set)
    for other, other_app in active.items():
        if other_app.disposition == "invest":
            for cap in supported(catalog, other):
                invest_on[cap].add(other)
    poor = _poor_bands(catalog)
    soon = add_months(today, ENDING_SOON_MONTHS)
    found = []
    for app_id, app in active.items():
        if app.disposition == "invest":
            continue
        reasons: list[str] = []
        codes: list[Literal["overlap", "disposition", "contract", "sustainability"]] = []
        if overlapping[app_id]:
            items = sorted(overlapping[app_id], key=lambda o: (o.name.casefold(), o.capability))
            reasons.append(_overlap_reason(app_id, items))
            codes.append("overlap")
        if app.disposition in ("migrate", "eliminate"):
            reasons.append(f"disposition {app.disposition}")
            codes.append("disposition")
        if not codes:
            continue
        end = app.contract.end if app.contract else None
        if end is not None and end < today:
            reasons.append(f"contract ended on {end.isoformat()}")
            codes.append("contract")
        elif end is not None and end <= soon:
            reasons.append(f"contract ends on {end.isoformat()}")
            codes.append("contract")
        rating = ratings.get(app_id)
        if rating is not None and rating.rating in poor and _rating_status(app, rating, oldest) != "stale":
            reasons.append(f"sustainability rating {rating.rating} ({rating.score:g}/100)")
            codes.append("sustainability")
        elif rating is not None and rating.rating in poor:
            reasons.append(f"sustainability rating {rating.rating} ({rating.score:g}/100), stale")
            codes.append("sustainability")
        target, basis = _target(catalog, app_id, active, invest_on)
        found.append((app_id, reasons, codes, target, basis))
    added = _added_costs(catalog, {t[0]: t[3] for t in found}, today)

    def net(app_id: str) -> Fraction | None:
        cost = catalog.applications[app_id].annual_cost
        return None if cost is None else exact(cost) - added.get(app_id, Fraction(0))

    nets = {t[0]: net(t[0]) for t in found}
    found.sort(
        key=lambda t: (
            nets[t[0]] is None,  # unknown savings last, never ranked as small ones
            -(nets[t[0]] or 0),
            -len(t[1]),
            catalog.applications[t[0]].name.casefold(),
            t[0],
        )
    )
    out = []
    for n, (app_id, reasons, codes, target, basis) in enumerate(found, start=1):
        app = catalog.applications[app_id]
        facts = _facts(catalog, app_id, ratings, oldest)
        saving = nets[app_id]
        first = None
        if saving is not None:
            first = saving - exact(app.migration_cost or 0)
        out.append(
            Candidate(
                rank=n,
                application=facts,
                reasons=reasons,
                reason_codes=codes,
                target=target,
                target_name=catalog.applications[target].name if target else None,
                target_basis=basis,  # type: ignore[arg-type]
                saving=app.annual_cost,
                migration_cost=app.migration_cost,
                added_cost=pennies(added[app_id]) if app_id in added else None,
                net_saving=pennies(saving) if saving is not None else None,
                first_year_saving=pennies(first) if first is not None else None,
                unknowns=_unknowns(app, facts),
                **_term(app, today),  # type: ignore[arg-type]
            )
        )
    return out


def _contracts(catalog: Catalog, today: date) -> list[ContractEvent]:
    horizon = add_months(today, HORIZON_MONTHS)
    out = []
    for app_id, app in _in(catalog, RUNNING).items():
        c = app.contract
        if c is None or c.end is None or c.end > horizon:
            continue
        decision_day, status = decision(c.end, c.notice_months, today)
        out.append(
            ContractEvent(
                application=app_id,
                name=app.name,
                lifecycle=app.lifecycle,
                reference=c.reference,
                end=c.end,
                notice_months=c.notice_months,
                decision_date=decision_day,
                status=status,  # type: ignore[arg-type]
                flagged=status != "upcoming",
                annual_cost=app.annual_cost,
            )
        )
    return sorted(out, key=lambda e: (e.decision_date, e.end, e.name.casefold(), e.application))


def _dependents(
    catalog: Catalog, app_id: str, running: dict[str, Application]
) -> tuple[list[str], list[str], dict[str, list[str]]]:
    """Direct and all (transitive) running dependents, and for each indirect
    one the path by which it depends on ``app_id`` (it first, ``app_id`` last):
    a breadth-first walk in id order, so each path is a shortest one and the
    same every run; cycles end the walk."""

    def users(x: str) -> list[str]:
        return sorted({e.source for e in catalog.incoming(Kind.APPLICATION, x, "used_by") if e.source in running})

    direct = [a for a in users(app_id) if a != app_id]
    via: dict[str, str] = {}
    seen = {app_id, *direct}
    queue = list(direct)
    while queue:
        nxt = []
        for node in queue:
            for other in users(node):
                if other not in seen:
                    seen.add(other)
                    via[other] = node
                    nxt.append(other)
        queue = nxt
    seen.discard(app_id)
    paths = {}
    for other in sorted(via):
        chain = [other]
        while chain[-1] in via:
            chain.append(via[chain[-1]])
        paths[other] = [*chain, app_id]
    return direct, sorted(seen), paths


_BUILDING_ORDER = {"council": 0, "elsewhere": 1, "not recorded": 2}


def _data_centre(catalog: Catalog, ratings: dict[str, Rating], oldest: date | None = None) -> list[DataCentreApp]:
    running = _in(catalog, RUNNING)
    out = []
    for app_id, app in running.items():
        own = app.sustainability.facts().get("own_data_centre") if app.sustainability else None
        if app.hosting != "on-premises" and own is not True:
            continue
        if app.hosting != "on-premises":
            why = f"{app.hosting} in a council data centre"
        elif own is True:
            why = "on-premises, in a council data centre"
        elif own is False:
            why = "on-premises, not in a council data centre (a partner's or a supplier's building)"
        else:
            why = "on-premises; whose building is not recorded"
        building = "council" if own is True else "elsewhere" if own is False else "not recorded"
        direct, everything, paths = _dependents(catalog, app_id, running)
        out.append(
            DataCentreApp(
                owner=app.owner,
                owner_name=org_name(catalog, app.owner),
                application=_facts(catalog, app_id, ratings, oldest),
                why=why,
                dependents=direct,
                all_dependents=everything,
                replaced_by=app.replaced_by,
                building=building,  # type: ignore[arg-type]
                paths=paths,
            )
        )
    return sorted(
        out,
        key=lambda d: (
            _BUILDING_ORDER[d.building],
            (d.owner_name or d.owner).casefold(),
            d.owner,
            d.application.name.casefold(),
            d.application.id,
        ),
    )


def _costs(catalog: Catalog, shares: dict[str, dict[str, Fraction]]) -> list[CapabilityCost]:
    running = _in(catalog, RUNNING)
    direct = {c: sum(shares.get(c, {}).values(), Fraction(0)) for c in catalog.capabilities}
    rolled = dict(direct)
    for cap_id, value in direct.items():
        for parent in ancestors(catalog, cap_id):
            rolled[parent] += value
    out = []
    for cap_id in sorted(catalog.capabilities, key=lambda c: tree_key(catalog, c)):
        apps = _direct(catalog, cap_id, RUNNING)
        out.append(
            CapabilityCost(
                capability=cap_id,
                name=catalog.capabilities[cap_id].name,
                level=len(capability_path(catalog, cap_id)),
                parent=catalog.capabilities[cap_id].parent,
                applications=apps,
                costs_missing=sum(1 for a in apps if running[a].annual_cost is None),
                cost=pennies(direct[cap_id]),
                rolled_up_cost=pennies(rolled[cap_id]),
            )
        )
    return out


def dependency_cycles(catalog: Catalog) -> list[list[str]]:
    """Groups of applications that depend on each other in a loop (Tarjan's
    strongly connected components, iterative), each sorted, longest first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    counter = 0

    def targets(x: str) -> list[str]:
        return sorted({e.target for e in catalog.outgoing(Kind.APPLICATION, x, "depends_on") if e.target != x})

    for root in sorted(catalog.applications):
        if root in index:
            continue
        work = [(root, iter(targets(root)))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            advanced = False
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(targets(nxt))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return sorted(groups, key=lambda g: (-len(g), g))


def _notes(catalog: Catalog) -> list[str]:
    running = _in(catalog, RUNNING)
    notes = []
    for label, test in (
        ("no annual cost recorded", lambda a: a.annual_cost is None),
        (
            "no contract end date recorded",
            lambda a: a.vendor is not None and (a.contract is None or a.contract.end is None),
        ),
        ("no origin recorded (brought by no predecessor council, or not known)", lambda a: a.origin is None),
    ):
        ids = [i for i, a in running.items() if test(a)]
        if ids:
            notes.append(f"{len(ids)} running application{'s' * (len(ids) != 1)} with {label}: {', '.join(ids)}")
    for group in dependency_cycles(catalog):
        notes.append(f"Integration cycle (each depends on the next, in a loop): {' → '.join([*group, group[0]])}")
    return notes


def rationalise(catalog: Catalog, today: date) -> RationalisationReport:
    """The rationalisation analysis of ``catalog`` as of ``today``."""
    ratings = rate_all(catalog)
    oldest = add_months(today, -catalog.scheme.max_age_months) if catalog.scheme else None
    shares = cost_shares(catalog)
    overlaps = _overlaps(catalog, shares, ratings, oldest)
    stakes = _stakes(overlaps, shares)
    return RationalisationReport(
        today=today,
        rules=RULES,
        overlaps=overlaps,
        money_at_stake=pennies(sum(stakes.values(), Fraction(0))),
        rollups=_rollups(catalog, overlaps, stakes),
        matrix=_matrix(catalog),
        candidates=_candidates(catalog, overlaps, ratings, today, oldest),
        contracts=_contracts(catalog, today),
        data_centre=_data_centre(catalog, ratings, oldest),
        costs=_costs(catalog, shares),
        notes=_notes(catalog),
    )


# --- tables -------------------------------------------------------------------------------------------------------


def _tables(r: RationalisationReport) -> list[Table]:
    overlaps = Table(
        "overlaps",
        "Overlaps",
        [
            "Capability id",
            "Capability",
            "Level-1 capability",
            "Money at stake (GBP)",
            "Application id",
            "Application",
            "Origin",
            "Users",
            "Annual cost (GBP)",
            "Contract end",
            "Disposition",
            "Rating",
            "Kept",
        ],
        [
            [
                o.capability,
                o.name,
                o.area_name,
                o.money_at_stake,
                a.id,
                a.name,
                a.origin_name,
                a.users,
                a.annual_cost,
                a.contract_end,
                a.disposition,
                a.rating,
                "yes" if a.id in o.kept else "",
            ]
            for o in r.overlaps
            for a in o.applications
        ],
        RULES["overlap"] + " " + RULES["cost_sharing"] + " " + RULES["rounding"],
        {"Money at stake (GBP)", "Annual cost (GBP)"},
    )
    rollups = Table(
        "rollup",
        "Overlaps by capability area",
        ["Capability id", "Capability", "Level", "Overlapping capabilities", "Applications", "Money at stake (GBP)"],
        [[u.capability, u.name, u.level, len(u.overlaps), len(u.applications), u.money_at_stake] for u in r.rollups],
        RULES["overlap"] + " " + RULES["rounding"],
        {"Money at stake (GBP)"},
    )
    councils = r.matrix.councils
    matrix = Table(
        "matrix",
        "Merger matrix",
        ["Capability id", "Capability", *[c.name for c in councils], "Products", "Candidate"],
        [
            [
                row.capability,
                row.name,
                *["; ".join(row.cells.get(c.id, [])) for c in councils],
                row.products,
                "yes" if row.candidate else "",
            ]
            for row in r.matrix.rows
        ],
        RULES["matrix"],
    )
    candidates = Table(
        "candidates",
        "Consolidation candidates",
        [
            "Rank",
            "Application id",
            "Application",
            "Origin",
            "Reasons",
            "Target id",
            "Target",
            "Annual saving (GBP)",
            "Contract end",
            "Decision date",
            "Contract status",
            "Saving realisable",
            "Realisable from",
            "Migration cost (GBP)",
            "Target's added cost (GBP)",
            "Net annual saving (GBP)",
            "First-year saving (GBP)",
            "Not known",
        ],
        [
            [
                c.rank,
                c.application.id,
                c.application.name,
                c.application.origin_name,
                "; ".join(c.reasons),
                c.target,
                c.target_name,
                c.saving,
                c.contract_end,
                c.decision_date,
                c.contract_status,
                c.realisable,
                c.realisable_from,
                c.migration_cost,
                c.added_cost,
                c.net_saving,
                c.first_year_saving,
                "; ".join(c.unknowns),
            ]
            for c in r.candidates
        ],
        RULES["candidates"],
        {
            "Annual saving (GBP)",
            "Migration cost (GBP)",
            "Target's added cost (GBP)",
            "Net annual saving (GBP)",
            "First-year saving (GBP)",
        },
    )
    contracts = Table(
        "contracts",
        "Contracts",
        [
            "Decision date",
            "Status",
            "Application id",
            "Application",
            "Contract end",
            "Notice (months)",
            "Reference",
            "Annual cost (GBP)",
        ],
        [
            [
                e.decision_date,
                e.status,
                e.application,
                e.name,
                e.end,
                e.notice_months,
                e.reference,
                e.annual_cost,
            ]
            for e in r.contracts
        ],
        f"As of {r.today.isoformat()}. " + RULES["contracts"],
        {"Annual cost (GBP)"},
    )
    dc = Table(
        "data-centre",
        "Data-centre exit",
        [
            "Service area",
            "Application id",
            "Application",
            "Origin",
            "Why",
            "Lifecycle",
            "Disposition",
            "Replaced by",
            "Depends on it",
            "All that depends on it",
            "Building",
            "Indirect dependencies",
        ],
        [
            [
                d.owner_name,
                d.application.id,
                d.application.name,
                d.application.origin_name,
                d.why,
                d.application.lifecycle,
                d.application.disposition,
                d.replaced_by,
                "; ".join(d.dependents),
                len(d.all_dependents),
                d.building,
                "; ".join(" → ".join(path) for path in d.paths.values()),
            ]
            for d in r.data_centre
        ],
        RULES["data_centre"],
    )
    costs = Table(
        "costs",
        "Cost per capability",
        [
            "Capability id",
            "Capability",
            "Level",
            "Part of",
            "Applications",
            "Costs not recorded",
            "Cost (GBP)",
            "Cost with sub-capabilities (GBP)",
        ],
        [
            [c.capability, c.name, c.level, c.parent, len(c.applications), c.costs_missing, c.cost, c.rolled_up_cost]
            for c in r.costs
        ],
        RULES["cost_sharing"] + " " + RULES["running"] + " " + RULES["rounding"],
        {"Cost (GBP)", "Cost with sub-capabilities (GBP)"},
    )
    return [overlaps, rollups, matrix, candidates, contracts, dc, costs]


SECTIONS = ("overlaps", "rollup", "matrix", "candidates", "contracts", "data-centre", "costs")

__all__ = ["RULES", "SECTIONS", "RationalisationReport", "cost_shares", "dependency_cycles", "money", "rationalise"]
