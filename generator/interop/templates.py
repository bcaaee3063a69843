"""New entity files from templates: every field of the kind, explained in a
YAML comment, so an architect never has to look the content model up.

Required fields come first, holding a ``<placeholder>`` where there is no
safe default: a file written and left unfilled fails validation (the
placeholder is no id that exists), so it cannot slip through review.
Optional fields are commented out. A test keeps the templates in step with
the models: every model field must appear in its kind's template.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import yaml

from generator.core.errors import EaError
from generator.core.util import atomic_write
from generator.documents.document import parse_bytes
from generator.interop.files import Registry, new_path, safe_target
from generator.models.model import (
    DECISION_STATUSES,
    DISPOSITIONS,
    FOLDERS,
    HOSTINGS,
    LIFECYCLES,
    ORG_TYPES,
    PRINCIPLE_STATUSES,
    PROPOSAL_STATUSES,
    VERDICTS,
    Kind,
    Scheme,
)
from generator.models.schema import check_document, suggest_id

#: The kinds ``ea new`` makes, by the word on the command line.
KINDS = {
    "application": Kind.APPLICATION,
    "capability": Kind.CAPABILITY,
    "vendor": Kind.VENDOR,
    "organisation": Kind.ORGANISATION,
    "priority": Kind.PRIORITY,
    "principle": Kind.PRINCIPLE,
    "proposal": Kind.PROPOSAL,
    "decision": Kind.DECISION,
    "milestone": Kind.MILESTONE,
}

#: A placeholder is ``<words>``; a test replaces each one with a real value.
PLACEHOLDER = r"<[a-z][a-z -]*>"


def _name_line(name: str) -> str:
    return yaml.safe_dump({"name": name}, allow_unicode=True, width=10_000).rstrip("\n")


def _comment(lines: list[tuple[str, str]]) -> str:
    """Align ``field: value`` and its ``# explanation`` in two columns."""
    width = min(40, max(len(code) for code, why in lines if why))
    return "\n".join(f"{code:<{width}}  # {why}" if why else code for code, why in lines)


def _scheme_facts(root: Path) -> list[tuple[str, str]]:
    """The scheme's facts, to list under ``sustainability:`` (empty when the
    repository has no readable scheme)."""
    path = root / FOLDERS[Kind.SCHEME]
    try:
        doc = parse_bytes(FOLDERS[Kind.SCHEME], path.read_bytes())
    except OSError:
        return []
    model, _ = check_document(Kind.SCHEME, "sustainability", doc)
    if not isinstance(model, Scheme):
        return []
    out = []
    for key, criterion in sorted(model.facts().items()):
        if criterion.points:
            value = "|".join(criterion.points)
            out.append((f"#   {key}: <{key}>", f"{criterion.name}: one of {value}"))
        else:
            out.append((f"#   {key}: <number>", f"{criterion.name}: a number"))
    return out


def template(kind: Kind, name: str, root: Path | None = None, today: date | None = None) -> str:
    """The text of a new file of ``kind`` called ``name``. A proposal is
    submitted and a decision proposed ``today`` (the day it is written)."""
    head = _name_line(name)
    day = (today or date.today()).isoformat()
    if kind is Kind.APPLICATION:
        facts = _scheme_facts(root) if root is not None else []
        lines = [
            ("# An application: one deployed IT system (one instance of a product).", ""),
            ("# Fill in every <placeholder>; remove the '#' before an optional field to use it.", ""),
            (head, "required: the name staff know it by, e.g. Uniform (North)"),
            ("capabilities: [<capability-id>]", "required: ids from capabilities/ it supports, e.g. [a, b]"),
            ("owner: <organisation-id>", "required: business owner, an id from architecture/organisations/"),
            ("lifecycle: <lifecycle>", f"required: {', '.join(LIFECYCLES)}"),
            ("hosting: <hosting>", f"required: {', '.join(HOSTINGS)}"),
            ("# aliases: [Other name]", "other names staff use (checked for clashes like names)"),
            ("# vendor: <vendor-id>", "supplier, an id from architecture/vendors/; leave out for in-house"),
            ("# product: Product name", "the vendor's product, e.g. Uniform"),
            ("# origin: <organisation-id>", "predecessor council that brought this instance (type: council)"),
            ("# disposition: <disposition>", f"the TIME decision: {', '.join(DISPOSITIONS)}"),
            ("# replaced_by: <application-id>", "successor, for migrate, eliminate, phase-out or retired"),
            ("# depends_on:", "integrations: systems this one reads from or calls"),
            ("#   - <application-id>", "an id, or a mapping naming the data that flows:"),
            ("#   - {app: <application-id>, data: Council tax accounts}", ""),
            ("# users: 250", "approximate number of staff users"),
            ("# annual_cost: 12500", "licence, support and hosting per year in pounds, no £ or commas"),
            ("# migration_cost: 30000", "one-off cost of moving off it in pounds"),
            ("# contract:", "the current contract"),
            ("#   end: 2027-03-31", "date it ends, YYYY-MM-DD"),
            ("#   notice_months: 6", "notice period in months"),
            ("#   reference: CON-123", "contract reference"),
            ("# dates:", "the plan: a past date is a fact, a future one a plan (in this order)"),
            ("#   live: 2019-04-01", "went or goes live (active from this day)"),
            ("#   phase_out: 2027-01-01", "starts being phased out (phase-out from this day)"),
            ("#   retire: 2027-09-30", "switched off (retired from this day)"),
            ("# sustainability:", "the facts the sustainability scheme rates (architecture/sustainability.md)"),
            *(facts or [("#   <fact>: <value>", "one line per fact the scheme asks for")]),
            ("#   reported_kgco2e: 1200", "carbon: a year's kgCO2e the supplier reports (best evidence)"),
            ("#   energy_kwh: 5000", "carbon: a year's measured IT energy in kWh, before PUE"),
            ("#   servers: 2", "carbon: physical servers (or whole-server equivalents) it runs on"),
            ("#   average_watts: 350", "carbon: average draw of one server (else the scheme's server_watts)"),
            ("#   assessed: 2026-01-31", "date of the assessment, YYYY-MM-DD"),
            ("# distinct_from: [<application-id>]", "other systems despite a similar name or the same product"),
            ("# complements: [<application-id>]", "systems it works alongside on a shared capability (not an overlap)"),
            ("# tags: [tag]", "free tags, shown and searchable on the site"),
        ]
        body = "What the system does, who uses it and anything a newcomer should know."
    elif kind is Kind.CAPABILITY:
        lines = [
            ("# A capability: something the council does, whatever system supports it.", ""),
            ("# Remove the '#' before an optional field to use it.", ""),
            (head, "required: display name, e.g. Waste collection"),
            ("# parent: <capability-id>", "parent capability id (no cycles)"),
            ("# owner: <organisation-id>", "accountable service area, an id from architecture/organisations/"),
            ("# description: One-line summary", "shown in lists; the body below holds the rest"),
            ("# lgsl: [524]", "Local Government Service List codes this capability delivers"),
            ("# tags: [tag]", "free tags"),
        ]
        body = "What this capability covers and why it matters."
    elif kind is Kind.VENDOR:
        lines = [
            ("# A vendor: a supplier of applications.", ""),
            ("# Remove the '#' before an optional field to use it.", ""),
            (head, "required: legal or trading name"),
            ("# aliases: [Other name Ltd]", "other names it trades or invoices under (imports match them)"),
            ("# website: https://www.example.com", "http or https address"),
            ("# carbon_reduction_plan: true", "publishes a Carbon Reduction Plan (PPN 06/21): true or false"),
            ("# net_zero_target: 2040", "year of its committed net-zero target"),
            ("# tags: [tag]", "free tags"),
        ]
        body = "Who the supplier is and how the council works with them."
    elif kind is Kind.ORGANISATION:
        lines = [
            ("# An organisation unit: a council, directorate, service, team or partner.", ""),
            ("# Fill in every <placeholder>; remove the '#' before an optional field to use it.", ""),
            (head, "required: e.g. Planning and Building Control"),
            ("type: <type>", f"required: {', '.join(ORG_TYPES)} (a predecessor council is a council)"),
            ("# parent: <organisation-id>", "the unit this one is part of"),
            ("# contact: team@example.gov.uk", "team mailbox or channel address (a team's, never a person's)"),
        ]
        body = "What this unit is responsible for."
    elif kind is Kind.PRIORITY:
        lines = [
            ("# A corporate priority or outcome from the council plan.", ""),
            ("# Remove the '#' before an optional field to use it.", ""),
            (head, "required: e.g. Net zero council by 2030"),
            ("# parent: <priority-id>", "the theme above this outcome, an id from architecture/priorities/"),
            ("# owner: <organisation-id>", "accountable directorate or service, from architecture/organisations/"),
            ("# source: https://www.example.gov.uk/council-plan", "the corporate plan it comes from"),
            ("# from: 2025-04-01", "start of the plan period, YYYY-MM-DD"),
            ("# until: 2030-03-31", "end of the plan period, YYYY-MM-DD"),
            ("# tags: [tag]", "free tags"),
        ]
        body = "What the council means to achieve, and how it will know."
    elif kind is Kind.PRINCIPLE:
        lines = [
            ("# An architecture principle: proposals are assessed against the agreed ones.", ""),
            ("# Fill in every <placeholder>; remove the '#' before an optional field to use it.", ""),
            (head, "required: e.g. Reuse before buy"),
            ("statement: <the principle in one sentence>", "required: the principle in one sentence"),
            ("status: <principle-status>", f"required: {', '.join(PRINCIPLE_STATUSES)}"),
            ("# rationale: Why the council holds it", "why the council holds it"),
            ("# implications:", "what it means for a proposal, one line each"),
            ("#   - A proposal lists the systems we already run", ""),
            ("# source: https://www.gov.uk/guidance/the-technology-code-of-practice", "where it comes from"),
            ("# tags: [tag]", "free tags"),
        ]
        body = "What the principle means in practice, with an example."
    elif kind is Kind.PROPOSAL:
        lines = [
            ("# A proposal: a request for IT change from a service area (the Entrance Hall).", ""),
            ("# Fill in every <placeholder>; remove the '#' before an optional field to use it.", ""),
            (head, "required: what is asked for"),
            ("requested_by: <organisation-id>", "required: the service area asking, from architecture/organisations/"),
            ("capabilities: [<capability-id>]", "required: ids from capabilities/ it supports"),
            (f"submitted: {day}", "required: when it entered the Entrance Hall, YYYY-MM-DD"),
            ("status: submitted", f"required: {', '.join(PROPOSAL_STATUSES)}"),
            ("# sponsor: Head of Service", "the sponsoring role (a role, not a person's name)"),
            ("# needed_by: 2027-04-01", "when the service needs it"),
            ("# priorities: [<priority-id>]", "corporate priorities it serves, from architecture/priorities/"),
            ("# meeting: 2027-01-13", "the Digital Group meeting that takes it"),
            ("# options:", "the solutions considered: reuse an application, or a new solution"),
            ("#   - name: Reuse what we have", ""),
            ("#     application: <application-id>", "reuse or extend a system the council runs"),
            ("#     recommended: true", "at most one option"),
            ("#   - name: A new product", ""),
            ("#     vendor: <vendor-id>", "a new solution: vendor, product, hosting, sustainability facts"),
            ("#     product: Product name", ""),
            ("#     hosting: saas", f"one of {', '.join(HOSTINGS)}"),
            ("#     annual_cost: 12000", "extra cost per year in pounds (either kind of option)"),
            ("#     one_off_cost: 30000", "cost to implement in pounds"),
            ("#     sustainability: {assessed: 2027-01-31}", "the facts the scheme rates, as for an application"),
            ("#     note: One sentence", ""),
            ("# principles:", "assessment against each agreed principle (architecture/principles/)"),
            ("#   <principle-id>: {meets: yes, note: Why}", f"meets: {', '.join(VERDICTS)}"),
            ("# decision: <decision-id>", "the decision record, from architecture/decisions/"),
            ("# delivers: [<application-id>]", "the systems it brought in or changed, once delivered"),
            ("# one_off_cost: 50000", "whole-project estimate in pounds"),
            ("# tags: [tag]", "free tags"),
        ]
        body = (
            "## The need\n\nWhat the service needs and why now.\n\n"
            "## Benefits\n\nFor residents, staff and the council."
        )
    elif kind is Kind.DECISION:
        lines = [
            ("# A decision record of the Digital Group or the design authority.", ""),
            ("# Remove the '#' before an optional field to use it.", ""),
            (head, "required: the decision as a short title"),
            ("status: proposed", f"required: {', '.join(DECISION_STATUSES)}"),
            (f"date: {day}", "required: when it was taken (or proposed), YYYY-MM-DD"),
            ("# deciders: Digital Group", "the forum or role"),
            ("# supersedes: [<decision-id>]", "earlier decisions this one replaces"),
            ("# proposals: [<proposal-id>]", "the proposals it decides"),
            ("# applications: [<application-id>]", "the systems it is about"),
            ("# capabilities: [<capability-id>]", "the capabilities it is about"),
            ("# principles: [<principle-id>]", "the principles it applied"),
            ("# priorities: [<priority-id>]", "the corporate priorities it serves"),
            ("# review_by: 2028-03-31", "when it must be looked at again"),
            ("# tags: [tag]", "free tags"),
        ]
        body = (
            "## Context\n\nThe situation and the question to decide.\n\n"
            "## Options considered\n\nEach option, with its pros and cons.\n\n"
            "## Outcome\n\nThe option chosen, and why.\n\n"
            "## Consequences\n\nWhat follows, good and bad."
        )
    elif kind is Kind.MILESTONE:
        lines = [
            ("# A milestone: a dated point the plan must meet (a closure, a go-live).", ""),
            ("# Fill in every <placeholder>; remove the '#' before an optional field to use it.", ""),
            (head, "required: e.g. County Hall data centre closes"),
            ("date: <yyyy-mm-dd>", "required: the day it falls, YYYY-MM-DD"),
            (
                "# closes_data_centre: true",
                "from this date nothing may run on premises or in the council's own data centre",
            ),
            ("# retired: [<application-id>]", "applications that must be retired by this date"),
            ("# live: [<application-id>]", "applications that must be live by this date"),
            ("# tags: [tag]", "free tags"),
        ]
        body = "Why this date matters and who depends on it."
    else:  # pragma: no cover - KINDS lists what the CLI offers
        raise ValueError(f"no template for {kind}")
    return f"---\n{_comment(lines)}\n---\n{body}\n"


def write_new(root: Path, kind: Kind, name: str, today: date | None = None) -> str:
    """Write a new file for ``name``; return its relative path. Raises
    FileExistsError when an entity with that id (ignoring case) exists.
    Decisions and proposals are numbered (``numbered``)."""
    if not name.strip():
        raise EaError("the name must not be empty")
    day = today or date.today()
    registry = Registry.of_repository(root)
    id_ = numbered(kind, suggest_id(name), registry.ids(kind), day)
    existing = registry.by_id(kind, id_)
    if existing is not None:
        raise FileExistsError(f"{existing.path} already exists (id '{existing.id}'): not overwritten")
    rel = new_path(kind, id_)
    atomic_write(safe_target(root, kind, rel), template(kind, name, root, day))
    return rel


def numbered(kind: Kind, slug: str, ids: list[str], today: date) -> str:
    """The id of a new decision or proposal, numbered as registers of them
    are: decision records in order (``0008-one-revenues-system``, after the
    highest number there is), proposals by year of intake
    (``2027-015-housing-repairs-portal``). Other kinds keep the slug."""
    if kind is Kind.DECISION:
        numbers = [int(m[1]) for i in ids if (m := re.match(r"^(\d{4})-", i))]
        return f"{max(numbers, default=0) + 1:04d}-{slug}"
    if kind is Kind.PROPOSAL:
        numbers = [int(m[1]) for i in ids if (m := re.match(rf"^{today.year}-(\d{{3}})-", i))]
        return f"{today.year}-{max(numbers, default=0) + 1:03d}-{slug}"
    return slug
