"""The lifecycle of an application at any date: the one rule every check,
analysis and view uses when asked "as of" a date, so no two can disagree.

The dates lead where they are given: ``proposed`` before ``live``, ``active``
from ``live``, ``phase-out`` from ``phase_out``, ``retired`` from ``retire``.
Before the first date an application has, it is in its written
``lifecycle``, unless that would run against the order of the dates (a
written ``retired`` before a planned ``live``): then it is in the phase just
before that first date. Without dates the written lifecycle holds at every
date. Dates out of order are reported (EA230); the rule still answers, taking
the latest date already reached.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date

from generator.catalog.catalog import Catalog
from generator.models.model import Application

#: The phases in the order an application passes through them.
ORDER = ("proposed", "active", "phase-out", "retired")
_RANK = {phase: i for i, phase in enumerate(ORDER)}
#: Each dated field and the phase it starts.
STARTS = (("live", "active"), ("phase_out", "phase-out"), ("retire", "retired"))
#: "Running": in use at that date.
RUNNING = frozenset({"active", "phase-out"})


def dated(app: Application) -> list[tuple[date, str]]:
    """(date, phase it starts) for each date given, in field order."""
    d = app.dates
    if d is None:
        return []
    return [(day, phase) for name, phase in STARTS if (day := getattr(d, name)) is not None]


def lifecycle_at(app: Application, when: date) -> str:
    """The application's lifecycle on ``when`` (see the module's docstring)."""
    steps = dated(app)
    if not steps:
        return app.lifecycle
    reached = [(day, _RANK[phase], phase) for day, phase in steps if day <= when]
    if reached:
        return max(reached)[2]  # the latest date reached; on a tie the later phase
    _, first_phase = min(steps, key=lambda s: (s[0], _RANK[s[1]]))
    if _RANK[app.lifecycle] < _RANK[first_phase]:
        return app.lifecycle
    return ORDER[_RANK[first_phase] - 1] if _RANK[first_phase] > 0 else app.lifecycle


def running_at(app: Application, when: date) -> bool:
    return lifecycle_at(app, when) in RUNNING


def as_of(apps: dict[str, Application], when: date) -> dict[str, Application]:
    """The applications with each lifecycle replaced by the one the plan gives
    on ``when``: what the analyses and views read to show the estate then.
    Models are copied only where the lifecycle changes."""
    out: dict[str, Application] = {}
    for id_, app in apps.items():
        phase = lifecycle_at(app, when)
        out[id_] = app if phase == app.lifecycle else app.model_copy(update={"lifecycle": phase})
    return out


def change_dates(apps: Iterable[Application]) -> list[date]:
    """Every date on which some application's lifecycle may change, sorted."""
    return sorted({day for app in apps for day, _ in dated(app)})


def catalog_as_of(catalog: Catalog, when: date) -> Catalog:
    """The catalog as the plan says it will be on ``when`` (``--as-of``): the
    same entities and edges, each application in its lifecycle then. Every
    analysis and view reads lifecycles from the catalog it is given, so this
    one copy makes all of them answer "as of" a date."""
    catalog._edges()  # resolve once; the copy shares the edges, which hold ids only
    return dataclasses.replace(catalog, applications=as_of(catalog.applications, when))
