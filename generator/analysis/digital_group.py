"""The Digital Group's calendar and the Entrance Hall's pipeline, computed
from the proposals and decisions: which meetings there are, what each one
takes, which decisions come up for review, which contracts need a decision,
which requests are late, and how long requests wait.

Shared by the site (Entrance Hall and meeting pages) and ``ea pack`` so the
two always agree. Dates are passed in (``today``, the meeting), never read
from the clock.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date
from typing import Any

from generator.analysis.common import RUNNING, add_months
from generator.catalog.catalog import Catalog
from generator.models.model import Kind

#: The Entrance Hall's statuses in the order a request moves through them.
PROPOSAL_STATUSES = ("submitted", "triage", "assessment", "approved", "rejected", "deferred", "withdrawn", "delivered")
#: Requests still waiting for the Digital Group (the spec's "still submitted,
#: triage or assessment").
OPEN = frozenset({"submitted", "triage", "assessment"})
DECISION_STATUSES = ("proposed", "accepted", "rejected", "deprecated", "superseded")
#: What each status means, in words for staff (badges never rely on colour).
PROPOSAL_LABELS = {
    "submitted": "Submitted",
    "triage": "Being triaged",
    "assessment": "Being assessed",
    "approved": "Approved",
    "rejected": "Rejected",
    "deferred": "Deferred",
    "withdrawn": "Withdrawn",
    "delivered": "Delivered",
}
PROPOSAL_MEANINGS = {
    "submitted": "received by the Entrance Hall, not yet looked at",
    "triage": "the Entrance Hall is working out what is asked and who should assess it",
    "assessment": "being assessed against what the council already has, its principles and priorities",
    "approved": "the Digital Group agreed it",
    "rejected": "the Digital Group turned it down",
    "deferred": "the Digital Group put it off to a later meeting",
    "withdrawn": "the service area no longer asks for it",
    "delivered": "done: the systems it brought in or changed are in use",
}
DECISION_LABELS = {
    "proposed": "Proposed",
    "accepted": "Accepted",
    "rejected": "Rejected",
    "deprecated": "No longer applies",
    "superseded": "Replaced",
}
DECISION_MEANINGS = {
    "proposed": "put to the Digital Group, not yet decided",
    "accepted": "agreed and in force",
    "rejected": "considered and not agreed",
    "deprecated": "no longer applies, and nothing replaced it",
    "superseded": "replaced by a later decision",
}
VERDICT_LABELS = {"yes": "Meets", "partly": "Partly meets", "no": "Does not meet"}
PRINCIPLE_STATUS_LABELS = {"draft": "Draft", "agreed": "Agreed", "retired": "Retired"}
#: Decisions still in force or still to be taken: the ones worth reviewing.
LIVE_DECISIONS = frozenset({"proposed", "accepted"})
#: When no later meeting is known, the next one is assumed this many months on
#: (the Digital Group meets quarterly).
DEFAULT_CYCLE_MONTHS = 3
#: A contract whose notice date falls within this many months after the
#: meeting needs the meeting's decision.
NOTICE_WINDOW_MONTHS = 3


def proposals(catalog: Catalog) -> dict[str, Any]:
    return catalog.of(Kind.PROPOSAL)


def decisions(catalog: Catalog) -> dict[str, Any]:
    return catalog.of(Kind.DECISION)


def meetings(catalog: Catalog) -> list[date]:
    """Every Digital Group meeting a proposal names, in date order."""
    return sorted({p.meeting for p in proposals(catalog).values() if p.meeting is not None})


def next_meeting(catalog: Catalog, after: date) -> date | None:
    """The first meeting a proposal names after ``after`` (None: none known)."""
    later = [m for m in meetings(catalog) if m > after]
    return later[0] if later else None


def age_days(submitted: date, today: date) -> int:
    return max(0, (today - submitted).days)


def age_text(days: int) -> str:
    """How long a request has waited, as people say it: '3 days', '5 weeks',
    '4 months', '1 year and 2 months'."""
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 60:
        weeks = days // 7
        return f"{weeks} weeks"
    months = days * 12 // 365
    if months < 12:
        return f"{months} months"
    years, rest = divmod(months, 12)
    text = f"{years} year{'s' if years != 1 else ''}"
    return text + (f" and {rest} month{'s' if rest != 1 else ''}" if rest else "")


def by_status(catalog: Catalog) -> dict[str, list[str]]:
    """Proposal ids by status, each list oldest request first."""
    props = proposals(catalog)
    out: dict[str, list[str]] = {s: [] for s in PROPOSAL_STATUSES}
    for id_, p in sorted(props.items(), key=lambda kv: (kv[1].submitted, kv[0])):
        out.setdefault(p.status, []).append(id_)
    return out


@dataclass(frozen=True)
class Pipeline:
    """The Entrance Hall at a glance: how many requests in each status, and
    how long the open ones have waited (median and longest, in days)."""

    counts: dict[str, int]
    open: int
    median_age_days: float | None
    oldest_age_days: int | None


def pipeline(catalog: Catalog, today: date) -> Pipeline:
    groups = by_status(catalog)
    props = proposals(catalog)
    ages = [age_days(props[i].submitted, today) for s in OPEN for i in groups.get(s, [])]
    return Pipeline(
        counts={s: len(ids) for s, ids in groups.items()},
        open=len(ages),
        median_age_days=statistics.median(ages) if ages else None,
        oldest_age_days=max(ages) if ages else None,
    )


def late(catalog: Catalog, on: date) -> list[str]:
    """Open requests whose ``needed_by`` has passed by ``on``, most overdue first."""
    props = proposals(catalog)
    ids = [i for i, p in props.items() if p.status in OPEN and p.needed_by is not None and p.needed_by < on]
    return sorted(ids, key=lambda i: (props[i].needed_by, i))


def for_meeting(catalog: Catalog, meeting: date) -> list[str]:
    """The proposals a meeting takes, oldest request first."""
    props = proposals(catalog)
    ids = [i for i, p in props.items() if p.meeting == meeting]
    return sorted(ids, key=lambda i: (props[i].submitted, i))


def reviews_due(catalog: Catalog, before: date) -> list[str]:
    """Decisions in force (or proposed) whose ``review_by`` falls before
    ``before``, earliest first (those already past included)."""
    decs = decisions(catalog)
    ids = [
        i for i, d in decs.items() if d.status in LIVE_DECISIONS and d.review_by is not None and d.review_by < before
    ]
    return sorted(ids, key=lambda i: (decs[i].review_by, i))


@dataclass(frozen=True)
class ContractDue:
    application: str
    end: date
    notice_months: int | None
    notice_date: date


def notice_date(end: date, notice_months: int | None) -> date:
    """The last day to give notice: the end date less the notice period (the
    end date itself when no period is recorded), as the rationalisation
    report computes it."""
    return add_months(end, -notice_months) if notice_months else end


def contracts_due(catalog: Catalog, meeting: date, months: int = NOTICE_WINDOW_MONTHS) -> list[ContractDue]:
    """Contracts of running applications whose notice date falls on or after
    the meeting and within ``months`` after it: a decision is needed there."""
    until = add_months(meeting, months)
    out = []
    for id_, app in catalog.applications.items():
        contract = app.contract
        if app.lifecycle not in RUNNING or contract is None or contract.end is None:
            continue
        by = notice_date(contract.end, contract.notice_months)
        if meeting <= by <= until:
            out.append(ContractDue(id_, contract.end, contract.notice_months, by))
    return sorted(out, key=lambda c: (c.notice_date, c.application))


def superseded_by(catalog: Catalog) -> dict[str, list[str]]:
    """For each decision, the later decisions that replace it (the inverse of
    ``supersedes``), sorted."""
    out: dict[str, list[str]] = {}
    decs = decisions(catalog)
    for id_, d in decs.items():
        for old in d.supersedes:
            if old in decs:
                out.setdefault(old, []).append(id_)
    return {k: sorted(v) for k, v in out.items()}


def decisions_about(catalog: Catalog, kind: Kind, id_: str) -> list[str]:
    """Decisions that name an entity (an application, capability, principle,
    priority or proposal), newest first; for a proposal also the decision
    it records."""
    field = {
        Kind.APPLICATION: "applications",
        Kind.CAPABILITY: "capabilities",
        Kind.PRINCIPLE: "principles",
        Kind.PRIORITY: "priorities",
        Kind.PROPOSAL: "proposals",
    }[kind]
    decs = decisions(catalog)
    ids = {i for i, d in decs.items() if id_ in getattr(d, field)}
    if kind is Kind.PROPOSAL:
        recorded = proposals(catalog)[id_].decision
        if recorded in decs:
            ids.add(recorded)
    return sorted(ids, key=lambda i: (decs[i].date, i), reverse=True)


def proposals_of_decision(catalog: Catalog, id_: str) -> list[str]:
    """Proposals a decision is about, named on either side."""
    props = proposals(catalog)
    ids = {p for p in decisions(catalog)[id_].proposals if p in props}
    ids |= {i for i, p in props.items() if p.decision == id_}
    return sorted(ids, key=lambda i: (props[i].submitted, i))
