"""The roadmap: the dated plan in order, what breaks each milestone, and the
trajectory by quarter (running applications, overlapping capabilities,
applications in the council's own data centres, annual cost and kgCO2e),
with the carbon figures and the plan's own findings.

Every "as of a date" question goes through :func:`generator.catalog.timeline.lifecycle_at`,
as the checks and the ``--as-of`` reports do, so none can disagree.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import date
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from generator.analysis.carbon import RULES as CARBON_RULES
from generator.analysis.carbon import CarbonRow, CarbonTotals, carbon_all, carbon_rows, carbon_totals, kg
from generator.analysis.common import Table, add_months
from generator.analysis.rationalisation import pennies
from generator.catalog.catalog import Catalog
from generator.catalog.timeline import RUNNING, STARTS, dated, lifecycle_at
from generator.checks.plan import (
    check_contract_cover,
    check_date_order,
    check_lifecycle_dates,
    check_milestones,
    check_planned_dependencies,
    check_successors,
    in_own_data_centre,
    milestone_breaks,
)
from generator.checks.rules import Check
from generator.core.findings import Finding
from generator.core.util import exact
from generator.models.carbon import factors

RULES: dict[str, str] = {
    "events": "Dated events from today on, in order: go-lives, phase-outs and retirements from the applications' "
    "dates, contract ends and the last day to give notice (end less the notice period), and milestones.",
    "milestones": "A milestone breaks when, on its date, an application it names is not retired (retired) or not "
    "yet live (live), or, for a data-centre closure, any application still runs on premises or in the council's "
    "own data centre.",
    "trajectory": "One point today and one at the start of each quarter after it, until the quarter that reaches "
    "the last dated event (go-lives, phase-outs, retirements, notice dates, contract ends and milestones). "
    "Running: active or being phased out. Overlaps: "
    "capabilities two or more active applications support directly. On premises: running applications on "
    "premises or in the council's own data centre. Annual cost and kgCO2e add the running applications' known "
    "figures (cost rounded once to the penny, kgCO2e to one decimal place).",
    "lifecycle": "The lifecycle at a date follows the applications' dates where given (proposed before live, "
    "active from live, phase-out from phase_out, retired from retire), else their written lifecycle.",
    **CARBON_RULES,
}

#: The plan's own checks: what the roadmap lists as continuity findings.
CONTINUITY: tuple[Check, ...] = (
    Check(check_date_order, {}),
    Check(check_lifecycle_dates, {}),
    Check(check_successors, {}),
    Check(check_contract_cover, {}),
    Check(check_planned_dependencies, {}),
    Check(check_milestones, {}),
)

EventKind = Literal["live", "phase_out", "retire", "notice", "contract_end", "milestone"]
_EVENT_ORDER = {k: i for i, k in enumerate(("milestone", "live", "phase_out", "notice", "contract_end", "retire"))}


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Event(_Model):
    date: date
    kind: EventKind
    id: str = Field(description="The application's or milestone's id.")
    name: str
    detail: str


class BreakRow(_Model):
    application: str
    reason: str


class MilestoneRow(_Model):
    id: str
    name: str
    date: date
    closes_data_centre: bool
    breaks: list[BreakRow]


class Point(_Model):
    date: date
    running: int
    overlaps: int
    on_premises: int
    annual_cost: float
    kgco2e: float
    kgco2e_covers: int = Field(description="Running applications whose kgCO2e is known (in the figure).")
    kgco2e_unknown: int


class FindingRow(_Model):
    code: str
    severity: str
    path: str
    line: int
    message: str


class Factors(_Model):
    grid_kgco2e_per_kwh: float
    grid_source: str
    pue: dict[str, float]
    server_watts: float


class RoadmapReport(_Model):
    """JSON is ``model_dump(mode="json")``; fields are only ever added
    (documented in docs/reports.md)."""

    version: int = 1
    today: date
    rules: dict[str, str]
    factors: Factors | None
    carbon: list[CarbonRow]
    carbon_totals: CarbonTotals
    events: list[Event]
    milestones: list[MilestoneRow]
    trajectory: list[Point]
    findings: list[FindingRow]
    notes: list[str]

    def tables(self) -> list[Table]:
        return _tables(self)


# --- collecting ---------------------------------------------------------------------------------------------------


#: Events are made from validated content, thousands at a time: not validated again.
_event = Event.model_construct


def _events(catalog: Catalog, today: date) -> list[Event]:
    out = []
    for i, app in catalog.applications.items():
        if app.dates is not None:
            for name, phase in STARTS:
                day = getattr(app.dates, name)
                if day is not None and day >= today:
                    out.append(_event(date=day, kind=name, id=i, name=app.name, detail=f"{phase} from this day"))
        c = app.contract
        if c is not None and c.end is not None and lifecycle_at(app, c.end) != "retired":
            if c.end >= today:
                out.append(_event(date=c.end, kind="contract_end", id=i, name=app.name, detail="contract ends"))
            if c.notice_months:
                notice = add_months(c.end, -c.notice_months)
                if notice >= today:
                    detail = f"last day to give {c.notice_months} months' notice before the contract ends"
                    out.append(_event(date=notice, kind="notice", id=i, name=app.name, detail=detail))
    for i, m in catalog.milestones.items():
        if m.date >= today:
            detail = "closes a council data centre" if m.closes_data_centre else "milestone"
            out.append(_event(date=m.date, kind="milestone", id=i, name=m.name, detail=detail))
    return sorted(out, key=lambda e: (e.date, _EVENT_ORDER[e.kind], e.name.casefold(), e.id))


def _milestones(catalog: Catalog) -> list[MilestoneRow]:
    rows = []
    for i, m in catalog.milestones.items():
        breaks = [
            BreakRow(application=b.application, reason=b.reason) for b in milestone_breaks(m, catalog.applications)
        ]
        rows.append(
            MilestoneRow(id=i, name=m.name, date=m.date, closes_data_centre=bool(m.closes_data_centre), breaks=breaks)
        )
    return sorted(rows, key=lambda r: (r.date, r.name.casefold(), r.id))


def quarters(today: date, last: date) -> list[date]:
    """Today, then the first day of each quarter after it, up to the first
    quarter start on or after ``last``."""
    out = [today]
    start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    nxt = add_months(start, 3)
    while out[-1] < last:
        out.append(nxt)
        nxt = add_months(nxt, 3)
    return out


def _trajectory(catalog: Catalog, today: date, figures: dict[str, Fraction | None], events: list[Event]) -> list[Point]:
    """The estate at each point. Worked out once in full for today, then only
    the applications whose dates fall between two points are looked at again
    (a large estate has ten thousand applications but few dates a quarter);
    sums are kept as integers over one common denominator, so they stay exact
    and cheap."""
    apps = catalog.applications
    last = max((e.date for e in events), default=today)  # the last dated event: every one is today or later
    days = quarters(today, last)
    caps_of = {i: [c for c in dict.fromkeys(a.capabilities) if c in catalog.capabilities] for i, a in apps.items()}
    cost_of = _scaled({i: exact(a.annual_cost) for i, a in apps.items() if a.annual_cost is not None})
    carbon_of = _scaled({i: v for i, v in figures.items() if v is not None})
    own = {i for i, a in apps.items() if in_own_data_centre(a)}
    # (day, application) for every date after today, to revisit at the first point on or after it
    pending = sorted((d, i) for i, a in apps.items() for d, _ in dated(a) if today < d <= days[-1])
    state = _State(caps_of, own, cost_of, carbon_of)
    phases = {}
    for i, app in apps.items():
        phases[i] = phase = lifecycle_at(app, today)
        state.change(i, None, phase)
    points = [state.point(today)]
    k = 0
    for day in days[1:]:
        touched = []
        while k < len(pending) and pending[k][0] <= day:
            touched.append(pending[k][1])
            k += 1
        for i in dict.fromkeys(touched):
            phase = lifecycle_at(apps[i], day)
            if phase != phases[i]:
                state.change(i, phases[i], phase)
                phases[i] = phase
        points.append(state.point(day))
    return points


def _scaled(values: dict[str, Fraction]) -> tuple[dict[str, int], int]:
    """Exact values as integers over their least common denominator."""
    denominator = math.lcm(*{v.denominator for v in values.values()}) if values else 1
    return {i: v.numerator * (denominator // v.denominator) for i, v in values.items()}, denominator


class _State:
    """The running totals of the estate at one date, changed one application
    at a time."""

    def __init__(
        self,
        caps_of: dict[str, list[str]],
        own: set[str],
        cost: tuple[dict[str, int], int],
        carbon: tuple[dict[str, int], int],
    ) -> None:
        self.caps_of, self.own = caps_of, own
        self.cost, self.cost_d = cost
        self.carbon, self.carbon_d = carbon
        self.running = self.on_prem = self.covers = self.unknown = self.overlaps = 0
        self.cost_sum = self.carbon_sum = 0
        self.per_cap: Counter[str] = Counter()

    def change(self, i: str, before: str | None, after: str) -> None:
        for phase, sign in ((before, -1), (after, 1)):
            if phase not in RUNNING:
                continue
            self.running += sign
            if i in self.own:
                self.on_prem += sign
            self.cost_sum += sign * self.cost.get(i, 0)
            value = self.carbon.get(i)
            if value is None:
                self.unknown += sign
            else:
                self.carbon_sum += sign * value
                self.covers += sign
            if phase == "active":
                for cap in self.caps_of[i]:
                    old = self.per_cap[cap]
                    self.per_cap[cap] = new = old + sign
                    self.overlaps += (new >= 2) - (old >= 2)

    def point(self, day: date) -> Point:
        return Point(
            date=day,
            running=self.running,
            overlaps=self.overlaps,
            on_premises=self.on_prem,
            annual_cost=pennies(Fraction(self.cost_sum, self.cost_d)),
            kgco2e=kg(Fraction(self.carbon_sum, self.carbon_d)) or 0.0,
            kgco2e_covers=self.covers,
            kgco2e_unknown=self.unknown,
        )


#: The codes of the plan's own checks.
CONTINUITY_CODES = frozenset({"EA230", "EA232", "EA233", "EA234", "EA235", "EA236"})


def _findings(catalog: Catalog, today: date, known: list[Finding] | None) -> list[FindingRow]:
    """The plan's findings: those of a validation run when given (the same
    checks, already run), else the checks run here."""
    if known is not None:
        found = [f for f in known if f.code in CONTINUITY_CODES]
    else:
        found = [f for check in CONTINUITY for f in check.run(catalog, today)]
    return [
        FindingRow(code=f.code, severity=str(f.severity), path=f.path, line=f.line, message=f.message)
        for f in sorted(set(found), key=lambda f: f.sort_key())
    ]


def roadmap_report(catalog: Catalog, today: date, findings: list[Finding] | None = None) -> RoadmapReport:
    """The roadmap of ``catalog`` from ``today``; ``findings``: those of the
    validation run that made the catalog on the same date, if there was one."""
    figures = carbon_all(catalog)
    events = _events(catalog, today)
    f = factors(catalog.scheme)
    listed = sorted(i for i, a in catalog.applications.items() if lifecycle_at(a, today) != "retired")
    notes = []
    if f is None:
        notes.append(
            "No valid carbon factors (the carbon block of architecture/sustainability.md): only reported figures "
            "are shown; the rest are unknown."
        )
    if not catalog.milestones:
        notes.append("No milestones (architecture/milestones/).")
    return RoadmapReport(
        today=today,
        rules=RULES,
        factors=None
        if f is None
        else Factors(
            grid_kgco2e_per_kwh=float(f.grid),
            grid_source=f.grid_source,
            pue={h: float(v) for h, v in f.pue.items()},
            server_watts=float(f.server_watts),
        ),
        carbon=carbon_rows(catalog, figures, listed),
        carbon_totals=carbon_totals(catalog, figures),
        events=events,
        milestones=_milestones(catalog),
        trajectory=_trajectory(catalog, today, {i: c.kgco2e for i, c in figures.items()}, events),
        findings=_findings(catalog, today, findings),
        notes=notes,
    )


# --- tables -------------------------------------------------------------------------------------------------------


def _tables(r: RoadmapReport) -> list[Table]:
    events = Table(
        "events",
        "Dated events",
        ["Date", "Event", "Id", "Name", "Detail"],
        [[e.date, e.kind, e.id, e.name, e.detail] for e in r.events],
        RULES["events"],
    )
    milestones = Table(
        "milestones",
        "Milestones and what breaks them",
        ["Date", "Milestone id", "Milestone", "Closes a data centre", "Application", "What breaks it"],
        [
            [m.date, m.id, m.name, "yes" if m.closes_data_centre else "no", b.application, b.reason]
            for m in r.milestones
            for b in (m.breaks or [BreakRow(application="", reason="nothing: the plan keeps it")])
        ],
        RULES["milestones"],
    )
    trajectory = Table(
        "trajectory",
        "Trajectory by quarter",
        [
            "Date",
            "Running",
            "Capabilities with overlaps",
            "On premises or own data centre",
            "Annual cost",
            "kgCO2e a year",
            "kgCO2e covers",
            "kgCO2e unknown",
        ],
        [
            [p.date, p.running, p.overlaps, p.on_premises, p.annual_cost, p.kgco2e, p.kgco2e_covers, p.kgco2e_unknown]
            for p in r.trajectory
        ],
        RULES["trajectory"] + " " + RULES["lifecycle"],
        money={"Annual cost"},
    )
    carbon = Table(
        "carbon",
        "Carbon by application",
        ["Application id", "Application", "Lifecycle", "Hosting", "kgCO2e a year", "Evidence"],
        [[c.application, c.name, c.lifecycle, c.hosting, c.kgco2e, c.evidence] for c in r.carbon],
        CARBON_RULES["carbon"],
    )
    t = r.carbon_totals
    totals_rows = [["estate", t.estate.id, t.estate.name, t.estate.kgco2e, t.estate.applications, t.estate.unknown]]
    for group, items in (
        ("capability", t.by_capability),
        ("service area", t.by_service_area),
        ("hosting", t.by_hosting),
    ):
        totals_rows += [[group, x.id, x.name, x.kgco2e, x.applications, x.unknown] for x in items]
    totals = Table(
        "carbon-totals",
        "Carbon totals",
        ["By", "Id", "Name", "kgCO2e a year", "Applications counted", "Applications unknown"],
        totals_rows,
        CARBON_RULES["carbon_totals"],
    )
    x = t.data_centre_exit
    exit_table = Table(
        "data-centre-exit",
        "The data-centre exit",
        ["Figure", "kgCO2e a year", "Applications counted", "Applications unknown"],
        [
            ["In the council's data centres now", x.in_data_centres, x.applications, x.unknown],
            ["Their successors outside them", x.successors, x.successors_counted, x.successors_unknown],
            ["Saving", x.saving, None, None],
        ],
        CARBON_RULES["data_centre_exit"],
    )
    findings = Table(
        "findings",
        "Continuity findings",
        ["Code", "Severity", "File", "Line", "Message"],
        [[f.code, f.severity, f.path, f.line, f.message] for f in r.findings],
        "The plan's own checks (EA230 and EA232 to EA236), as ea validate reports them.",
    )
    return [events, milestones, trajectory, carbon, totals, exit_table, findings]


SECTIONS = ("events", "milestones", "trajectory", "carbon", "carbon-totals", "data-centre-exit", "findings")

__all__ = ["RULES", "SECTIONS", "RoadmapReport", "quarters", "roadmap_report"]
