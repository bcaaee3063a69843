"""The assessment of a proposal, computed from the repository: never typed.

For every proposal in the Entrance Hall this answers the questions the
Digital Group asks before it decides:

- **What we already have** (reuse before buy): the active applications that
  support the proposal's capabilities or any capability beneath them, with
  owner, annual cost, contract end and notice date, disposition and rating.
- **Climate position**: each option's sustainability rating from the same
  scheme as applications. A reuse option takes its application's rating; a
  new solution is rated from its own facts, with the supplier criteria read
  from the option's vendor.
- **Principles scorecard**: every agreed principle (and any other the
  proposal was assessed against) with the verdict recorded, or "not assessed".
- **Priorities served**, with the theme above each.

A pure function of the catalog: no output format, no I/O. Pages, the
meeting pack and exports render the result objects.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from generator.analysis.common import add_months
from generator.analysis.ratings import Rating, rate_all, rate_application
from generator.catalog.catalog import Catalog
from generator.models.model import Option, Proposal, SustainabilityFacts

#: Applications counted as "what we already have".
ALREADY_HAVE = frozenset({"active"})


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class ExistingApplication(_Model):
    """An application the council already runs for the proposal's capabilities."""

    application: str
    name: str
    vendor: str | None
    vendor_name: str | None
    product: str | None
    owner: str
    owner_name: str
    capabilities: list[str] = Field(description="Which of the capabilities assessed it supports.")
    annual_cost: float | None
    contract_end: date | None
    notice_months: int | None
    notice_date: date | None = Field(description="Contract end minus the notice period (the end, with none).")
    disposition: str | None
    rating: str | None
    score: float | None
    reuse_candidate: bool = Field(description="False when its disposition is migrate or eliminate.")


class OptionAssessment(_Model):
    """One option with its climate position."""

    index: int = Field(description="Position in the proposal's options, from 0.")
    name: str
    kind: Literal["reuse", "new"]
    application: str | None
    application_name: str | None
    vendor: str | None = Field(description="The option's vendor, or the reused application's.")
    vendor_name: str | None
    product: str | None
    hosting: str | None
    annual_cost: float | None
    one_off_cost: float | None
    recommended: bool
    rating: str | None
    score: float | None
    rated_from: Literal["application", "option", "none"] = Field(
        description="application: the reused system's rating; option: the option's own facts; "
        "none: no scheme, or no facts recorded."
    )
    note: str | None


class PrincipleVerdict(_Model):
    principle: str
    name: str
    status: str | None = Field(description="The principle's status; None when its file is missing.")
    meets: Literal["yes", "partly", "no"] | None = Field(description="None: not assessed.")
    note: str | None


class PriorityServed(_Model):
    priority: str
    name: str
    theme: str | None = Field(description="The priority above it, if any.")
    theme_name: str | None


class Scorecard(_Model):
    yes: int
    partly: int
    no: int
    not_assessed: int = Field(description="Agreed principles with no verdict.")


class Assessment(_Model):
    """Everything computed for one proposal. JSON is ``model_dump(mode="json")``."""

    proposal: str
    name: str
    status: str
    requested_by: str
    requested_by_name: str
    submitted: date
    age_days: int = Field(description="Days since submission, to today.")
    needed_by: date | None
    overdue: bool = Field(description="Still open (submitted, triage, assessment) after needed_by.")
    meeting: date | None
    capabilities: list[str] = Field(description="The proposal's capabilities and every one beneath them.")
    existing: list[ExistingApplication]
    reuse_considered: bool = Field(description="At least one option reuses an application.")
    options: list[OptionAssessment]
    recommended: int | None = Field(description="Index of the recommended option.")
    principles: list[PrincipleVerdict]
    scorecard: Scorecard
    priorities: list[PriorityServed]
    decisions: list[str] = Field(description="Its decision and any decision listing it, sorted.")
    one_off_cost: float | None


class GovernanceIndex:
    """What every assessment looks up, made once per catalog: children of
    each capability, active applications by capability, decisions by
    proposal (so assessing 2,000 proposals is not 2,000 passes over the
    estate)."""

    def __init__(self, catalog: Catalog) -> None:
        self.children: dict[str, list[str]] = {}
        for cap_id, cap in catalog.capabilities.items():
            if cap.parent is not None:
                self.children.setdefault(cap.parent, []).append(cap_id)
        self.active: dict[str, list[str]] = {}
        for app_id, app in catalog.applications.items():
            if app.lifecycle in ALREADY_HAVE:
                for cap in dict.fromkeys(app.capabilities):
                    self.active.setdefault(cap, []).append(app_id)
        self._decisions: dict[str, set[str]] = {}
        for did, decision in catalog.decisions.items():
            for pid in decision.proposals:
                self._decisions.setdefault(pid, set()).add(did)
        for pid, proposal in catalog.proposals.items():
            if proposal.decision in catalog.decisions:
                self._decisions.setdefault(pid, set()).add(proposal.decision)
        self.capabilities = catalog.capabilities

    def decisions_for(self, proposal_id: str) -> list[str]:
        return sorted(self._decisions.get(proposal_id, ()))

    def beneath(self, capabilities: list[str]) -> list[str]:
        """The capabilities and all their descendants, cycle-safe, sorted."""
        seen: set[str] = set()
        stack = [c for c in capabilities if c in self.capabilities]
        while stack:
            cap = stack.pop()
            if cap not in seen:
                seen.add(cap)
                stack.extend(self.children.get(cap, ()))
        return sorted(seen)


def assess(
    catalog: Catalog,
    proposal_id: str,
    today: date,
    ratings: dict[str, Rating] | None = None,
    index: GovernanceIndex | None = None,
) -> Assessment:
    """The assessment of one proposal. ``ratings`` (from ``rate_all``) and
    ``index`` may be passed in when many proposals are assessed at once."""
    ratings = rate_all(catalog) if ratings is None else ratings
    index = GovernanceIndex(catalog) if index is None else index
    proposal = catalog.proposals[proposal_id]
    covered = index.beneath(proposal.capabilities)
    existing = _existing(catalog, covered, ratings, index)
    options = [_option(catalog, i, o, ratings) for i, o in enumerate(proposal.options)]
    principles = _principles(catalog, proposal)
    counts = Counter(p.meets for p in principles)
    recommended = next((o.index for o in options if o.recommended), None)
    return Assessment(
        proposal=proposal_id,
        name=proposal.name,
        status=proposal.status,
        requested_by=proposal.requested_by,
        requested_by_name=_name(catalog.organisations, proposal.requested_by),
        submitted=proposal.submitted,
        age_days=(today - proposal.submitted).days,
        needed_by=proposal.needed_by,
        overdue=proposal.status in ("submitted", "triage", "assessment")
        and proposal.needed_by is not None
        and proposal.needed_by < today,
        meeting=proposal.meeting,
        capabilities=covered,
        existing=existing,
        reuse_considered=any(o.kind == "reuse" for o in options),
        options=options,
        recommended=recommended,
        principles=principles,
        scorecard=Scorecard(
            yes=counts["yes"],
            partly=counts["partly"],
            no=counts["no"],
            not_assessed=sum(1 for p in principles if p.meets is None and p.status == "agreed"),
        ),
        priorities=_priorities(catalog, proposal),
        decisions=index.decisions_for(proposal_id),
        one_off_cost=proposal.one_off_cost,
    )


def assess_all(catalog: Catalog, today: date) -> dict[str, Assessment]:
    """Every proposal's assessment, by id (sorted)."""
    ratings = rate_all(catalog)
    index = GovernanceIndex(catalog)
    return {pid: assess(catalog, pid, today, ratings, index) for pid in sorted(catalog.proposals)}


def decisions_for(catalog: Catalog, proposal_id: str) -> list[str]:
    """The decisions about a proposal, from either side: its own ``decision``
    and every decision whose ``proposals`` lists it (for many proposals, use
    ``GovernanceIndex.decisions_for``)."""
    return GovernanceIndex(catalog).decisions_for(proposal_id)


def rate_option(catalog: Catalog, option: Option, ratings: dict[str, Rating] | None = None) -> Rating | None:
    """An option's sustainability rating: its application's for reuse, else
    its own facts against the scheme (None without a scheme or facts)."""
    if option.application is not None:
        ratings = rate_all(catalog) if ratings is None else ratings
        return ratings.get(option.application)
    if catalog.scheme is None or option.sustainability is None:
        return None
    vendor = catalog.vendors.get(option.vendor) if option.vendor else None
    return rate_application(catalog.scheme, _OptionFacts(option), vendor)  # type: ignore[arg-type]


class _OptionFacts:
    """A new solution seen as an application by the rating: the facts an
    application carries, with lifecycle ``proposed`` (it is not yet running)."""

    lifecycle = "proposed"
    users = None

    def __init__(self, option: Option) -> None:
        self.vendor: str | None = option.vendor
        self.hosting: str | None = option.hosting
        self.annual_cost: float | None = option.annual_cost
        self.sustainability: SustainabilityFacts | None = option.sustainability


# --- pieces ---------------------------------------------------------------------------------------------------------


def _name(entities: dict[str, Any], id_: str | None) -> str:
    if id_ is None:
        return ""
    entity = entities.get(id_)
    return entity.name if entity is not None else id_


def _existing(
    catalog: Catalog, covered: list[str], ratings: dict[str, Rating], index: GovernanceIndex
) -> list[ExistingApplication]:
    wanted = set(covered)
    candidates = sorted({a for cap in covered for a in index.active.get(cap, ())})
    out = []
    for app_id in candidates:
        app = catalog.applications[app_id]
        caps = sorted(wanted.intersection(app.capabilities))
        contract = app.contract
        end = contract.end if contract else None
        notice = contract.notice_months if contract else None
        rating = ratings.get(app_id)
        out.append(
            ExistingApplication(
                application=app_id,
                name=app.name,
                vendor=app.vendor,
                vendor_name=_name(catalog.vendors, app.vendor) or None,
                product=app.product,
                owner=app.owner,
                owner_name=_name(catalog.organisations, app.owner),
                capabilities=caps,
                annual_cost=app.annual_cost,
                contract_end=end,
                notice_months=notice,
                notice_date=(add_months(end, -notice) if notice else end) if end else None,
                disposition=app.disposition,
                rating=rating.rating if rating else None,
                score=rating.score if rating else None,
                reuse_candidate=app.disposition not in ("migrate", "eliminate"),
            )
        )
    return sorted(out, key=lambda e: (e.name.casefold(), e.application))


def _option(catalog: Catalog, index: int, option: Option, ratings: dict[str, Rating]) -> OptionAssessment:
    app = catalog.applications.get(option.application) if option.application else None
    rating = rate_option(catalog, option, ratings)
    vendor = option.vendor if option.application is None else (app.vendor if app else None)
    rated_from: Literal["application", "option", "none"] = (
        "none" if rating is None else "application" if option.application else "option"
    )
    return OptionAssessment(
        index=index,
        name=option.name,
        kind="reuse" if option.application is not None else "new",
        application=option.application,
        application_name=app.name if app else option.application,
        vendor=vendor,
        vendor_name=_name(catalog.vendors, vendor) or None,
        product=option.product if app is None else app.product,
        hosting=option.hosting if app is None else app.hosting,
        annual_cost=option.annual_cost,
        one_off_cost=option.one_off_cost,
        recommended=option.recommended,
        rating=rating.rating if rating else None,
        score=rating.score if rating else None,
        rated_from=rated_from,
        note=option.note,
    )


def _principles(catalog: Catalog, proposal: Proposal) -> list[PrincipleVerdict]:
    """Every agreed principle, then any other the proposal names, by name."""
    ids = {i for i, p in catalog.principles.items() if p.status == "agreed"} | set(proposal.principles)
    out = []
    for pid in ids:
        principle = catalog.principles.get(pid)
        verdict = proposal.principles.get(pid)
        out.append(
            PrincipleVerdict(
                principle=pid,
                name=principle.name if principle else pid,
                status=principle.status if principle else None,
                meets=verdict.meets if verdict else None,
                note=verdict.note if verdict else None,
            )
        )
    return sorted(out, key=lambda v: (v.name.casefold(), v.principle))


def _priorities(catalog: Catalog, proposal: Proposal) -> list[PriorityServed]:
    out = []
    for pid in proposal.priorities:
        priority = catalog.priorities.get(pid)
        theme = priority.parent if priority else None
        out.append(
            PriorityServed(
                priority=pid,
                name=priority.name if priority else pid,
                theme=theme,
                theme_name=_name(catalog.priorities, theme) or None,
            )
        )
    return sorted(out, key=lambda p: (p.name.casefold(), p.priority))


__all__ = [
    "Assessment",
    "ExistingApplication",
    "GovernanceIndex",
    "OptionAssessment",
    "PrincipleVerdict",
    "PriorityServed",
    "Scorecard",
    "assess",
    "assess_all",
    "decisions_for",
    "rate_option",
]
