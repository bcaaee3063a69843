"""Checks of the dated plan (the journey): dates in order, the written
lifecycle against the dates, successors, contracts, dependencies and
milestones, and the carbon factors. Each reads the lifecycle at a date from
``timeline``, as the reports do, so a check and a report never disagree.

``milestone_breaks`` is also what the roadmap report shows under each
milestone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from generator.catalog.catalog import Catalog
from generator.catalog.timeline import RUNNING, STARTS, lifecycle_at
from generator.core.findings import Finding
from generator.models.carbon import factor_problems
from generator.models.model import Application, Kind, Milestone

A, M = Kind.APPLICATION, Kind.MILESTONE


def _at(catalog: Catalog, code: str, kind: Kind, id_: str, loc: tuple[Any, ...], message: str, hint: str) -> Finding:
    src = catalog.source(kind, id_)
    return Finding(code, src.path, src.line(loc) if loc else 1, message, hint, key=loc or None)


def check_date_order(catalog: Catalog, today: date) -> list[Finding]:
    """EA230: live <= phase_out <= retire, each pair that is given."""
    findings = []
    for id_, app in sorted(catalog.applications.items()):
        if app.dates is None:
            continue
        given = [(name, getattr(app.dates, name)) for name, _ in STARTS if getattr(app.dates, name) is not None]
        for i, (later, later_day) in enumerate(given):
            for earlier, earlier_day in given[:i]:
                if later_day < earlier_day:
                    findings.append(
                        _at(
                            catalog,
                            "EA230",
                            A,
                            id_,
                            ("dates", later),
                            f"dates out of order: {later} {later_day.isoformat()} is before "
                            f"{earlier} {earlier_day.isoformat()}",
                            "dates must run live, then phase_out, then retire: correct the one that is wrong",
                        )
                    )
                    break
    return findings


def check_carbon_factors(catalog: Catalog, today: date) -> list[Finding]:
    """EA231 (and EA110 for a key the block does not know): a carbon block,
    when present, gives every factor as a number of the right range."""
    scheme = catalog.scheme
    src = catalog.sources.get((Kind.SCHEME, "sustainability"))
    if scheme is None or scheme.carbon is None or src is None:
        return []
    findings = []
    for loc, message, hint in factor_problems(scheme.carbon):
        unknown = message.startswith("unknown carbon factor") or message.endswith("is not a hosting")
        code = "EA110" if unknown else "EA231"
        findings.append(Finding(code, src.path, src.line(loc), message, hint, key=loc))
    return findings


def check_lifecycle_dates(catalog: Catalog, today: date) -> list[Finding]:
    """EA232: the written lifecycle against what the dates say today."""
    findings = []
    for id_, app in sorted(catalog.applications.items()):
        if app.dates is None:
            continue
        planned = lifecycle_at(app, today)
        if planned != app.lifecycle:
            findings.append(
                _at(
                    catalog,
                    "EA232",
                    A,
                    id_,
                    ("lifecycle",),
                    f"lifecycle is '{app.lifecycle}' but the dates make it '{planned}' on {today.isoformat()}",
                    f"change the lifecycle to '{planned}', or correct the dates",
                )
            )
    return findings


def check_successors(catalog: Catalog, today: date) -> list[Finding]:
    """EA233: a replaced application must not be switched off before its
    successor is live, and a proposed successor needs a go-live date."""
    findings = []
    apps = catalog.applications
    for id_, app in sorted(apps.items()):
        successor = apps.get(app.replaced_by) if app.replaced_by else None
        if successor is None:
            continue
        retire = app.dates.retire if app.dates else None
        live = successor.dates.live if successor.dates else None
        if retire is not None and live is not None and retire < live:
            findings.append(
                _at(
                    catalog,
                    "EA233",
                    A,
                    id_,
                    ("dates", "retire"),
                    f"retires on {retire.isoformat()}, before its successor '{app.replaced_by}' goes live on "
                    f"{live.isoformat()}",
                    "move the retirement after the successor's go-live, or bring the go-live forward",
                )
            )
        elif live is None and successor.lifecycle == "proposed":
            findings.append(
                _at(
                    catalog,
                    "EA233",
                    A,
                    id_,
                    ("replaced_by",),
                    f"its successor '{app.replaced_by}' is proposed but has no go-live date",
                    f"give '{app.replaced_by}' a 'dates: {{live: YYYY-MM-DD}}'",
                )
            )
    return findings


def check_contract_cover(catalog: Catalog, today: date) -> list[Finding]:
    """EA234: a planned retirement after the contract ends means running
    without a contract in between."""
    findings = []
    for id_, app in sorted(catalog.applications.items()):
        retire = app.dates.retire if app.dates else None
        end = app.contract.end if app.contract else None
        if retire is not None and end is not None and retire > today and retire > end:
            findings.append(
                _at(
                    catalog,
                    "EA234",
                    A,
                    id_,
                    ("dates", "retire"),
                    f"planned to retire on {retire.isoformat()}, after its contract ends on {end.isoformat()}",
                    "extend the contract to the retirement date, or bring the retirement forward",
                )
            )
    return findings


def check_planned_dependencies(catalog: Catalog, today: date) -> list[Finding]:
    """EA235: an application still running when something it depends on is
    retired by the plan (past retirements are EA171's)."""
    findings = []
    apps = catalog.applications
    for id_, app in sorted(apps.items()):
        for i, dep in enumerate(app.depends_on):
            target = apps.get(dep.app)
            retire = target.dates.retire if target is not None and target.dates else None
            if target is None or retire is None or retire <= today or dep.app == id_:
                continue
            if lifecycle_at(app, retire) in RUNNING:
                successor = f"; its successor is '{target.replaced_by}'" if target.replaced_by else ""
                findings.append(
                    _at(
                        catalog,
                        "EA235",
                        A,
                        id_,
                        ("depends_on", i, "app"),
                        f"still running when '{dep.app}', which it depends on, retires on {retire.isoformat()}"
                        f"{successor}",
                        "plan the integration's move to the successor before that date, or retire this one first",
                    )
                )
    return findings


@dataclass(frozen=True, slots=True)
class Break:
    """One way the plan breaks a milestone: the application, why, and where
    in the milestone's file the broken promise is written."""

    application: str
    reason: str
    loc: tuple[Any, ...]


def _own_data_centre(app: Application) -> bool:
    facts = app.sustainability.facts() if app.sustainability else {}
    return facts.get("own_data_centre") is True


def in_own_data_centre(app: Application) -> bool:
    """On premises or in the council's own data centre."""
    return app.hosting == "on-premises" or _own_data_centre(app)


def _retire_text(app: Application) -> str:
    retire = app.dates.retire if app.dates else None
    return f"retires {retire.isoformat()}" if retire else "no retire date"


def milestone_breaks(milestone: Milestone, apps: dict[str, Application]) -> list[Break]:
    """What the plan leaves undone on the milestone's date, sorted."""
    day = milestone.date
    out: list[Break] = []
    if milestone.closes_data_centre:
        for id_, app in apps.items():
            if in_own_data_centre(app) and lifecycle_at(app, day) in RUNNING:
                where = "on premises" if app.hosting == "on-premises" else "in the council's own data centre"
                out.append(Break(id_, f"still running {where} ({_retire_text(app)})", ("closes_data_centre",)))
    for i, ref in enumerate(milestone.retired):
        app = apps.get(ref)
        if app is not None and lifecycle_at(app, day) != "retired":
            out.append(Break(ref, f"not retired by then ({_retire_text(app)})", ("retired", i)))
    for i, ref in enumerate(milestone.live):
        app = apps.get(ref)
        if app is not None and lifecycle_at(app, day) == "proposed":
            live = app.dates.live if app.dates else None
            when = f"goes live {live.isoformat()}" if live else "no go-live date"
            out.append(Break(ref, f"not live by then ({when})", ("live", i)))
    return sorted(out, key=lambda b: (b.application, b.reason))


def check_milestones(catalog: Catalog, today: date) -> list[Finding]:
    """EA236: each application that breaks a milestone, in the milestone's file."""
    findings = []
    for id_, milestone in sorted(catalog.milestones.items()):
        for b in milestone_breaks(milestone, catalog.applications):
            findings.append(
                _at(
                    catalog,
                    "EA236",
                    M,
                    id_,
                    b.loc,
                    f"the plan breaks this milestone of {milestone.date.isoformat()}: '{b.application}' {b.reason}",
                    "change the application's dates, or the milestone",
                )
            )
    return findings
