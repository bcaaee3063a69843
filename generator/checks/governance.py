"""Checks of the governance files: proposals, decisions, principles and
priorities (``docs/governance.md``). Like ``checks``, each is a function from
the catalog to findings that declares the fields it reads; ``checks.CHECKS``
registers them from ``GOVERNANCE`` (kept here, not there, so the two lists
of checks change independently).

The checks read the models, never the catalog's edges: validation alone
never resolves edges (see ``catalog``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from generator.catalog.catalog import Catalog
from generator.core.findings import Finding
from generator.models.model import NEW_SOLUTION_FACTS, Kind

A, C, PRI, PRN, P, D = (
    Kind.APPLICATION,
    Kind.CAPABILITY,
    Kind.PRIORITY,
    Kind.PRINCIPLE,
    Kind.PROPOSAL,
    Kind.DECISION,
)

#: Proposals still in the Entrance Hall: not yet decided.
OPEN = ("submitted", "triage", "assessment")
#: Proposals that have reached a decision of the forum.
DECIDED = ("approved", "rejected", "deferred")
#: Proposals that must have been assessed against the agreed principles.
ASSESSED = ("assessment", "approved", "rejected", "deferred", "delivered")
#: Proposals for which "reuse before buy" is still a live question.
REUSE_LIVE = ("submitted", "triage", "assessment", "approved", "deferred")
#: Proposals that no longer need to show the priorities they serve.
CLOSED_UNSERVED = ("withdrawn", "rejected")
#: Decisions that took effect: only these supersede the ones they name.
IN_EFFECT = ("accepted", "deprecated", "superseded")
#: Decisions that must be reviewed by their ``review_by``.
REVIEWED = ("proposed", "accepted")
#: Applications that count as "already have" for the reuse warning: an active
#: system the council plans to migrate from or eliminate is no reuse candidate.
NOT_REUSABLE = ("migrate", "eliminate")


def _finding(
    catalog: Catalog, code: str, kind: Kind, id_: str, loc: tuple[Any, ...], message: str, hint: str
) -> Finding:
    """A finding at the line of key path ``loc`` in an entity's file."""
    src = catalog.source(kind, id_)
    return Finding(code, src.path, src.line(loc) if loc else 1, message, hint, key=loc or None)


def check_options(catalog: Catalog, today: date) -> list[Finding]:
    """An option is reuse or a new solution, never both (EA201); at most one
    option is recommended (EA200)."""
    findings = []
    for id_, proposal in catalog.proposals.items():
        recommended = []
        for i, option in enumerate(proposal.options):
            if option.recommended:
                recommended.append(i)
            if option.application is not None:
                both = [f for f in NEW_SOLUTION_FACTS if getattr(option, f) is not None]
                if both:
                    findings.append(
                        _finding(
                            catalog,
                            "EA201",
                            P,
                            id_,
                            ("options", i, both[0]),
                            f"option '{option.name}' reuses '{option.application}' but also has "
                            f"new-solution facts: {', '.join(both)}",
                            "split it into two options: one reusing the application, one for the new solution",
                        )
                    )
        for i in recommended[1:]:
            findings.append(
                _finding(
                    catalog,
                    "EA200",
                    P,
                    id_,
                    ("options", i, "recommended"),
                    f"option '{proposal.options[i].name}' is recommended as well as "
                    f"'{proposal.options[recommended[0]].name}'",
                    "recommend one option: remove 'recommended: true' from the others",
                )
            )
    return findings


def check_proposal_progress(catalog: Catalog, today: date) -> list[Finding]:
    """Each proposal against its own status: the priorities it serves
    (EA210), what it delivered (EA213) and its ``needed_by`` (EA215)."""
    findings = []
    for id_, proposal in catalog.proposals.items():
        status = proposal.status
        if not proposal.priorities and status not in CLOSED_UNSERVED:
            findings.append(
                _finding(
                    catalog,
                    "EA210",
                    P,
                    id_,
                    ("name",),
                    "the proposal serves no corporate priority",
                    "list the priorities it serves in 'priorities' (ids from architecture/priorities/)",
                )
            )
        if status == "delivered" and not proposal.delivers:
            findings.append(
                _finding(
                    catalog,
                    "EA213",
                    P,
                    id_,
                    ("status",),
                    "delivered, but 'delivers' names no application",
                    "list the applications it brought in or changed in 'delivers'",
                )
            )
        if status in OPEN and proposal.needed_by is not None and proposal.needed_by < today:
            findings.append(
                _finding(
                    catalog,
                    "EA215",
                    P,
                    id_,
                    ("needed_by",),
                    f"still '{status}' after it was needed by {proposal.needed_by.isoformat()}",
                    "take it to the next Digital Group meeting, or agree a new 'needed_by' with the service",
                )
            )
    return findings


def check_proposal_decisions(catalog: Catalog, today: date) -> list[Finding]:
    """A proposal the forum approved, rejected or deferred has a decision
    record: its own ``decision``, or a decision listing it (EA212)."""
    listed = {p for decision in catalog.decisions.values() for p in decision.proposals}
    findings = []
    for id_, proposal in catalog.proposals.items():
        if proposal.status in DECIDED and proposal.decision is None and id_ not in listed:
            findings.append(
                _finding(
                    catalog,
                    "EA212",
                    P,
                    id_,
                    ("status",),
                    f"'{proposal.status}' with no decision record",
                    "add the decision to architecture/decisions/ and name it in 'decision'",
                )
            )
    return findings


def check_reuse(catalog: Catalog, today: date) -> list[Finding]:
    """Reuse before buy (EA211): every option is a new solution while active
    applications already support the proposal's capabilities or any
    capability beneath them."""
    children: dict[str, list[str]] = defaultdict(list)
    for cap_id, cap in catalog.capabilities.items():
        if cap.parent is not None:
            children[cap.parent].append(cap_id)
    supporting: dict[str, set[str]] = defaultdict(set)
    for app_id, app in catalog.applications.items():
        if app.lifecycle == "active" and app.disposition not in NOT_REUSABLE:
            for cap in app.capabilities:
                supporting[cap].add(app_id)
    findings = []
    for id_, proposal in catalog.proposals.items():
        if proposal.status not in REUSE_LIVE or not proposal.options:
            continue
        if any(option.application is not None for option in proposal.options):
            continue
        apps: set[str] = set()
        stack, seen = list(proposal.capabilities), set()
        while stack:
            cap = stack.pop()
            if cap in seen:
                continue
            seen.add(cap)
            apps |= supporting.get(cap, set())
            stack.extend(children.get(cap, ()))
        if apps:
            named = sorted(apps)
            shown = ", ".join(named[:5]) + (f" and {len(named) - 5} more" if len(named) > 5 else "")
            findings.append(
                _finding(
                    catalog,
                    "EA211",
                    P,
                    id_,
                    ("options",),
                    f"every option is a new solution, but active applications already support its "
                    f"capabilities: {shown}",
                    "add an option reusing or extending one of them (reuse before buy), "
                    "or say in the body why none will do",
                )
            )
    return findings


def check_principles_assessed(catalog: Catalog, today: date) -> list[Finding]:
    """A proposal in assessment or later is assessed against every agreed
    principle (EA214)."""
    agreed = sorted(i for i, p in catalog.principles.items() if p.status == "agreed")
    findings = []
    if not agreed:
        return findings
    for id_, proposal in catalog.proposals.items():
        if proposal.status not in ASSESSED:
            continue
        missing = [p for p in agreed if p not in proposal.principles]
        if missing:
            findings.append(
                _finding(
                    catalog,
                    "EA214",
                    P,
                    id_,
                    ("principles",) if proposal.principles else ("status",),
                    f"'{proposal.status}' but not assessed against the agreed "
                    f"principle{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
                    "add each to 'principles' with 'meets: yes', 'partly' or 'no' and a note",
                )
            )
    return findings


def check_supersession(catalog: Catalog, today: date) -> list[Finding]:
    """A decision superseded by one in effect has status ``superseded``
    (EA220); one marked ``superseded`` is named by a later decision (EA221)."""
    by: dict[str, list[str]] = defaultdict(list)
    named: set[str] = set()
    for id_, decision in catalog.decisions.items():
        for old in decision.supersedes:
            named.add(old)
            if decision.status in IN_EFFECT and old != id_:
                by[old].append(id_)
    findings = []
    for id_, decision in catalog.decisions.items():
        if by.get(id_) and decision.status != "superseded":
            findings.append(
                _finding(
                    catalog,
                    "EA220",
                    D,
                    id_,
                    ("status",),
                    f"superseded by {', '.join(repr(s) for s in sorted(by[id_]))} but its status is "
                    f"'{decision.status}'",
                    "set 'status: superseded' (the record stays, as history)",
                )
            )
        if decision.status == "superseded" and id_ not in named:
            findings.append(
                _finding(
                    catalog,
                    "EA221",
                    D,
                    id_,
                    ("status",),
                    "status 'superseded', but no decision supersedes it",
                    "name it in the later decision's 'supersedes', or correct the status",
                )
            )
    return findings


def check_decision_review(catalog: Catalog, today: date) -> list[Finding]:
    """A decision in force or proposed whose ``review_by`` has passed (EA222)."""
    findings = []
    for id_, decision in catalog.decisions.items():
        if decision.status in REVIEWED and decision.review_by is not None and decision.review_by < today:
            findings.append(
                _finding(
                    catalog,
                    "EA222",
                    D,
                    id_,
                    ("review_by",),
                    f"was to be reviewed by {decision.review_by.isoformat()}",
                    "review it: record a new 'review_by', or supersede or deprecate it",
                )
            )
    return findings


def check_retired_principles(catalog: Catalog, today: date) -> list[Finding]:
    """An accepted decision citing a principle the council has retired (EA223)."""
    principles = catalog.principles
    findings = []
    for id_, decision in catalog.decisions.items():
        if decision.status != "accepted":
            continue
        for i, ref in enumerate(decision.principles):
            principle = principles.get(ref)
            if principle is not None and principle.status == "retired":
                findings.append(
                    _finding(
                        catalog,
                        "EA223",
                        D,
                        id_,
                        ("principles", i),
                        f"accepted decision cites the retired principle '{ref}'",
                        "review the decision against the principles now agreed; supersede it if it no longer holds",
                    )
                )
    return findings


Run = Callable[[Catalog, date], list[Finding]]
Reads = Mapping[Kind, tuple[str, ...] | None]

#: (check, fields read by kind, reads today's date, local): see ``checks.Check``.
GOVERNANCE: tuple[tuple[Run, Reads, bool, bool], ...] = (
    (check_options, {P: ("options",)}, False, True),
    (check_proposal_progress, {P: ("status", "priorities", "delivers", "needed_by")}, True, True),
    (check_proposal_decisions, {P: ("status", "decision"), D: ("proposals",)}, False, False),
    (
        check_reuse,
        {P: ("status", "options", "capabilities"), A: ("lifecycle", "disposition", "capabilities"), C: ("parent",)},
        False,
        False,
    ),
    (check_principles_assessed, {P: ("status", "principles"), PRN: ("status",)}, False, False),
    (check_supersession, {D: ("status", "supersedes")}, False, False),
    (check_decision_review, {D: ("status", "review_by")}, True, True),
    (check_retired_principles, {D: ("status", "principles"), PRN: ("status",)}, False, False),
)
