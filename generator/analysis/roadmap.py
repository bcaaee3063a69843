"""The roadmap: the dated plan in order, what breaks each milestone, and the
trajectory by quarter (running applications, overlapping capabilities,
applications in the council's own data centres, annual cost and kgCO2e),
with the carbon figures and the plan's own findings.

Every "as of a date" question goes through :func:`generator.timeline.lifecycle_at`,
as the checks and the ``--as-of`` reports do, so none can disagree.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from generator.analysis.carbon import RULES as CARBON_RULES
from generator.analysis.carbon import CarbonRow, CarbonTotals, carbon_all, carbon_rows, carbon_totals, kg
from generator.analysis.common import Table, add_months
from generator.analysis.rationalisation import pennies
from generator.carbon import factors
from generator.catalog import Catalog
from generator.checks import Check
from generator.plan import (
    check_contract_cover,
    check_date_order,
    check_lifecycle_dates,
    check_milestones,
    check_planned_dependencies,
    check_successors,
    in_own_data_centre,
    milestone_breaks,
)
from generator.timeline import RUNNING, STARTS, lifecycle_at
from generator.util import exact

RULES: dict[str, str] = {
    "events": "Dated events from today on, in order: go-lives, phase-outs and retirements from the applications' "
    "dates, contract ends and the last day to give notice (end less the notice period), and milestones.",
    "milestones": "A milestone breaks when, on its date, an application it names is not retired (retired) or not "
    "yet live (live), or, for a data-centre closure, any application still runs on premises or in the council's "
    "own data centre.",
    "trajectory": "One point today and one at the start of each quarter after it, until the quarter that reaches "
    "the plan's last date (application dates and milestones). Running: active or being phased out. Overlaps: "
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


def _events(catalog: Catalog, today: date) -> list[Event]:
    out = []
    for i, app in catalog.applications.items():
        if app.dates is not None:
            for name, phase in STARTS:
                day = getattr(app.dates, name)
                if day is not None and day >= today:
                    out.append(Event(date=day, kind=name, id=i, name=app.name, detail=f"{phase} from this day"))
        c = app.contract
        if c is not None and c.end is not None and lifecycle_at(app, c.end) != "retired":
            if c.end >= today:
                out.append(Event(date=c.end, kind="contract_end", id=i, name=app.name, detail="contract ends"))
            if c.notice_months:
                notice = add_months(c.end, -c.notice_months)
                if notice >= today:
                    detail = f"last day to give {c.notice_months} months' notice before the contract ends"
                    out.append(Event(date=notice, kind="notice", id=i, name=app.name, detail=detail))
    for i, m in catalog.milestones.items():
        if m.date >= today:
            detail = "closes a council data centre" if m.closes_data_centre else "milestone"
            out.append(Event(date=m.date, kind="milestone", id=i, name=m.name, detail=detail))
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


def _trajectory(catalog: Catalog, today: date, figures: dict[str, Fraction | None]) -> list[Point]:
    apps = catalog.applications
    plan = [d for a in apps.values() if a.dates for d in (a.dates.live, a.dates.phase_out, a.dates.retire) if d]
    plan += [m.date for m in catalog.milestones.values()]
    last = max((d for d in plan if d > today), default=today)
    caps_of = {i: [c for c in dict.fromkeys(a.capabilities) if c in catalog.capabilities] for i, a in apps.items()}
    costs = {i: exact(a.annual_cost) for i, a in apps.items() if a.annual_cost is not None}
    own = {i for i, a in apps.items() if in_own_data_centre(a)}
    points = []
    for day in quarters(today, last):
        running = active = on_prem = covers = unknown = 0
        cost = carbon = Fraction(0)
        per_cap: Counter[str] = Counter()
        for i, app in apps.items():
            phase = lifecycle_at(app, day)
            if phase not in RUNNING:
                continue
            running += 1
            if phase == "active":
                active += 1
                per_cap.update(caps_of[i])
            if i in own:
                on_prem += 1
            cost += costs.get(i, 0)
            value = figures[i]
            if value is None:
                unknown += 1
            else:
                carbon += value
                covers += 1
        points.append(
            Point(
                date=day,
                running=running,
                overlaps=sum(1 for n in per_cap.values() if n >= 2),
                on_premises=on_prem,
                annual_cost=pennies(cost),
                kgco2e=kg(carbon) or 0.0,
                kgco2e_covers=covers,
                kgco2e_unknown=unknown,
            )
        )
    return points


def _findings(catalog: Catalog, today: date) -> list[FindingRow]:
    found = [f for check in CONTINUITY for f in check.run(catalog, today)]
    return [
        FindingRow(code=f.code, severity=str(f.severity), path=f.path, line=f.line, message=f.message)
        for f in sorted(set(found), key=lambda f: f.sort_key())
    ]


def roadmap_report(catalog: Catalog, today: date) -> RoadmapReport:
    """The roadmap of ``catalog`` from ``today``."""
    figures = carbon_all(catalog)
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
        events=_events(catalog, today),
        milestones=_milestones(catalog),
        trajectory=_trajectory(catalog, today, {i: c.kgco2e for i, c in figures.items()}),
        findings=_findings(catalog, today),
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
        "The plan's own checks (EA200 and EA202 to EA206), as ea validate reports them.",
    )
    return [events, milestones, trajectory, carbon, totals, exit_table, findings]


SECTIONS = ("events", "milestones", "trajectory", "carbon", "carbon-totals", "data-centre-exit", "findings")

__all__ = ["RULES", "SECTIONS", "RoadmapReport", "quarters", "roadmap_report"]
