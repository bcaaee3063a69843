"""Governance pages: the Entrance Hall (every request for IT change), a page
per proposal with its assessment, the decision log and a page per decision,
a page per principle, per corporate priority and per Digital Group meeting.

Written for staff who bring requests and sit on the Digital Group: statuses
in words (badges never rely on colour), dates as "30 September 2027", no
field names or file paths. Relations are shown both ways: a decision's
"replaces" gives the earlier one its "replaced by", a proposal's decision
shows the proposal on the decision's page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any

from generator.analysis import digital_group as dg
from generator.analysis.common import add_months
from generator.analysis.governance import Assessment, GovernanceIndex, assess
from generator.models.model import Kind
from generator.site.context import SiteContext
from generator.site.parts import badge, band, block, fields, head, links, meta, none, page
from generator.site.render import esc, external_link
from generator.site.text import DISPOSITION_LABELS, HOSTING_SHORT, long_date, money, number, plural

ENTRANCE_DOC = "entrance-hall.md"
DECISIONS_DOC = "decisions/index.md"
MEETINGS_DOC = "meetings/index.md"
PRINCIPLES_DOC = "principles/index.md"
PRIORITIES_DOC = "priorities/index.md"

PROPOSAL_CSS = {
    "submitted": "ea-lifecycle-proposed",
    "triage": "ea-lifecycle-proposed",
    "assessment": "ea-lifecycle-proposed",
    "approved": "ea-lifecycle-active",
    "rejected": "ea-status-no",
    "deferred": "ea-lifecycle-phase-out",
    "withdrawn": "ea-lifecycle-retired",
    "delivered": "ea-lifecycle-active",
}
DECISION_CSS = {
    "proposed": "ea-lifecycle-proposed",
    "accepted": "ea-lifecycle-active",
    "rejected": "ea-status-no",
    "deprecated": "ea-lifecycle-retired",
    "superseded": "ea-lifecycle-retired",
}
VERDICT_CSS = {"yes": "ea-lifecycle-active", "partly": "ea-lifecycle-phase-out", "no": "ea-status-no"}
PRINCIPLE_CSS = {"draft": "ea-lifecycle-proposed", "agreed": "ea-lifecycle-active", "retired": "ea-lifecycle-retired"}


def meeting_doc(day: date) -> str:
    return f"meetings/{day.isoformat()}.md"


def meeting_title(day: date) -> str:
    return f"Digital Group meeting on {long_date(day)}"


def proposal_badge(status: str) -> str:
    return badge(dg.PROPOSAL_LABELS[status], PROPOSAL_CSS[status], dg.PROPOSAL_MEANINGS[status])


def decision_badge(status: str) -> str:
    return badge(dg.DECISION_LABELS[status], DECISION_CSS[status], dg.DECISION_MEANINGS[status])


def verdict_badge(meets: str) -> str:
    return badge(dg.VERDICT_LABELS[meets], VERDICT_CSS[meets])


def _date(value: date | None) -> str:
    return esc(long_date(value)) if value is not None else ""


def _sort_date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _meeting_link(ctx: SiteContext, doc: str, day: date | None) -> str:
    if day is None:
        return ""
    return f'<a href="{esc(ctx.href(doc, meeting_doc(day)))}">{esc(long_date(day))}</a>'


def _table(headers: Sequence[str], rows: Sequence[str], numeric: Sequence[int] = ()) -> str:
    num = ' class="ea-num"'
    heads = "".join(f"<th{num if i in numeric else ''}>{esc(h)}</th>" for i, h in enumerate(headers))
    return (
        f'<div class="ea-table-wrap"><table class="ea-table"><thead><tr>{heads}</tr></thead><tbody>\n'
        + "\n".join(rows)
        + "\n</tbody></table></div>"
    )


def _td(html: str, numeric: bool = False, sort: str | None = None) -> str:
    attrs = (' class="ea-num"' if numeric else "") + (f' data-sort="{esc(sort)}"' if sort is not None else "")
    return f"<td{attrs}>{html}</td>"


def _filter_table(
    intro: str,
    filters: Sequence[tuple[str, str, dict[str, str], Sequence[str]]],
    headers: Sequence[tuple[str, bool]],
    rows: Sequence[tuple[str, dict[str, str], list[str]]],
) -> str:
    """A table people filter and sort in the browser, built as the registers
    are (``ea-assets/ea.js`` works on it): ``filters`` are (key, label,
    value by row id, preferred order); ``rows`` (row id, unused, cells)."""
    controls = [
        '<label class="ea-filter ea-filter-text">Filter<input type="search" data-ea-filter="text" '
        'placeholder="Type any word" aria-label="Filter the table"></label>'
    ]
    for key, label, values, order in filters:
        present = set(values.values())
        options = [o for o in order if o in present] + sorted(present - set(order))
        opts = "".join(f'<option value="{esc(o)}">{esc(o)}</option>' for o in options)
        controls.append(
            f'<label class="ea-filter">{esc(label)}<select data-ea-filter="{esc(key)}">'
            f'<option value="">All</option>{opts}</select></label>'
        )
    heads = []
    for title, num in headers:
        cls = ' class="ea-num" data-type="number"' if num else ""
        heads.append(f'<th{cls} aria-sort="none"><button type="button" class="ea-sort">{esc(title)}</button></th>')
    body = []
    for row_id, _, cells in rows:
        data = "".join(f' data-{esc(key)}="{esc(values[row_id])}"' for key, _, values, _ in filters)
        body.append(f"<tr{data}>{''.join(cells)}</tr>")
    total = number(len(rows))
    return (
        '<div class="ea-register">\n'
        f'<p class="ea-intro">{esc(intro)}</p>\n'
        f'<div class="ea-filters">{"".join(controls)}</div>\n'
        f'<p class="ea-shown" aria-live="polite">Showing {total} of {total}.</p>\n'
        '<div class="ea-table-wrap">\n<table class="ea-table ea-sortable">\n'
        f"<thead><tr>{''.join(heads)}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>\n</div>\n"
        '<p class="ea-empty" hidden>Nothing matches these filters.</p>\n</div>'
    )


def _heading(title: str, intro: str = "") -> str:
    text = f'<p class="ea-intro">{esc(intro)}</p>' if intro else ""
    return block(f'<div class="ea-head"><h1>{esc(title)}</h1>{text}</div>')


# --- the Entrance Hall ---------------------------------------------------------


def _pipeline(ctx: SiteContext, doc: str) -> str:
    p = dg.pipeline(ctx.catalog, ctx.today)
    items = [
        f"<li>{proposal_badge(s)} {esc(number(p.counts.get(s, 0)))}</li>"
        for s in dg.PROPOSAL_STATUSES
        if p.counts.get(s, 0)
    ]
    wait = ""
    if p.median_age_days is not None:
        wait = (
            f"<p>{esc(plural(p.open, 'request'))} waiting for a decision. Half have waited longer than "
            f"{esc(dg.age_text(int(p.median_age_days)))}; the longest has waited "
            f"{esc(dg.age_text(p.oldest_age_days or 0))}.</p>"
        )
    return f'<ul class="ea-badges ea-pipeline">{"".join(items)}</ul>{wait}'


def entrance_hall_page(ctx: SiteContext) -> str:
    doc = ENTRANCE_DOC
    props = dg.proposals(ctx.catalog)
    title = "Entrance Hall"
    intro = (
        "Every request for IT change from a service area, from the day it reaches the Entrance Hall until it "
        "is delivered or closed. The Digital Group decides on each one at a meeting; open a request to see what "
        "the council already has that could meet it, the options and their climate ratings, and how it fits "
        "the council's principles and priorities."
    )
    if not props:
        return page(
            meta(title, hide=["toc"]),
            _heading(title, intro),
            block(none("No requests have reached the Entrance Hall yet.")),
        )
    order = {s: i for i, s in enumerate(dg.PROPOSAL_STATUSES)}
    ids = sorted(props, key=lambda i: (order.get(props[i].status, 99), props[i].submitted, i))
    status = {i: dg.PROPOSAL_LABELS[props[i].status] for i in ids}
    service = {i: ctx.name(Kind.ORGANISATION, props[i].requested_by) for i in ids}
    meeting = {i: long_date(props[i].meeting) if props[i].meeting else "Not yet planned" for i in ids}
    rows = []
    for i in ids:
        p = props[i]
        days = dg.age_days(p.submitted, ctx.today)
        late = p.status in dg.OPEN and p.needed_by is not None and p.needed_by < ctx.today
        needed = _date(p.needed_by)
        if late:
            needed = f'<span class="ea-late">{needed} (passed)</span>'
        cells = [
            _td(ctx.link(doc, Kind.PROPOSAL, i), sort=p.name.casefold()),
            _td(proposal_badge(p.status), sort=f"{order.get(p.status, 99):02d}"),
            _td(ctx.link(doc, Kind.ORGANISATION, p.requested_by), sort=service[i].casefold()),
            _td(_date(p.submitted), sort=_sort_date(p.submitted)),
            _td(esc(dg.age_text(days)) if p.status in dg.OPEN else "", True, f"{days:06d}"),
            _td(needed, sort=_sort_date(p.needed_by)),
            _td(_meeting_link(ctx, doc, p.meeting) or esc("Not yet planned"), sort=_sort_date(p.meeting)),
        ]
        rows.append((i, {}, cells))
    table = _filter_table(
        "Requests still open come first, oldest first. The age is counted from the day a request arrived, for "
        "requests still waiting for a decision.",
        [
            ("status", "Status", status, [dg.PROPOSAL_LABELS[s] for s in dg.PROPOSAL_STATUSES]),
            ("service", "Requested by", service, ()),
            ("meeting", "Meeting", meeting, sorted({m for m in meeting.values()}, key=_meeting_order)),
        ],
        [
            ("Request", False),
            ("Status", False),
            ("Requested by", False),
            ("Arrived", False),
            ("Waiting for", True),
            ("Needed by", False),
            ("Digital Group meeting", False),
        ],
        rows,
    )
    return page(
        meta(title, search={"exclude": True}, hide=["toc"]),
        _heading(title, intro),
        "\n## Where requests stand\n",
        block(_pipeline(ctx, doc)),
        "\n## Every request\n",
        block(table),
    )


def _meeting_order(text: str) -> tuple[int, str]:
    return (1, text) if text == "Not yet planned" else (0, text)


# --- proposals -------------------------------------------------------------------


def proposal_page(ctx: SiteContext, id_: str, assessment: Assessment | None = None) -> str:
    p = dg.proposals(ctx.catalog)[id_]
    doc = ctx.doc(Kind.PROPOSAL, id_)
    source = ctx.catalog.source(Kind.PROPOSAL, id_).path
    days = dg.age_days(p.submitted, ctx.today)
    arrived = long_date(p.submitted) + (f" ({dg.age_text(days)} ago)" if p.status in dg.OPEN else "")
    needed = _date(p.needed_by)
    if p.status in dg.OPEN and p.needed_by is not None and p.needed_by < ctx.today:
        needed = f'<span class="ea-late">{needed}: that date has passed and the request is still open</span>'
    decision = ctx.link(doc, Kind.DECISION, p.decision) if p.decision else ""
    rows = [
        ("Status", f"{proposal_badge(p.status)} {esc(dg.PROPOSAL_MEANINGS[p.status])}"),
        ("Requested by", ctx.link(doc, Kind.ORGANISATION, p.requested_by)),
        ("Sponsor", esc(p.sponsor) if p.sponsor else ""),
        ("Arrived in the Entrance Hall", esc(arrived)),
        ("Needed by", needed),
        ("Digital Group meeting", _meeting_link(ctx, doc, p.meeting)),
        ("Decision", decision),
        ("Capabilities it supports", links(ctx, doc, Kind.CAPABILITY, p.capabilities)),
        ("Corporate priorities it serves", links(ctx, doc, Kind.PRIORITY, p.priorities)),
        ("Systems it brought in or changed", links(ctx, doc, Kind.APPLICATION, p.delivers)),
        ("One-off cost (estimate)", esc(money(p.one_off_cost)) if p.one_off_cost is not None else ""),
    ]
    body = ctx.body(Kind.PROPOSAL, id_, doc)
    parts = [
        meta(p.name, p.tags),
        head(
            ctx,
            "Request for IT change",
            p.name,
            source=source,
            extra=f'<p class="ea-badges">{proposal_badge(p.status)}</p>',
        ),
        "\n## Key facts\n",
        block(fields(rows)),
        "\n## What is asked for\n",
        block(body or none("No description yet.")),
    ]
    if assessment is not None:
        parts.append(assessment_html(ctx, assessment, doc))
    others = [d for d in dg.decisions_about(ctx.catalog, Kind.PROPOSAL, id_) if d != p.decision]
    if others:
        parts += ["\n## Other decisions about it\n", block(decision_list(ctx, doc, others))]
    return page(*parts)


RATED_FROM = {
    "application": "the system's own rating",
    "option": "rated from the supplier's and the solution's facts",
    "none": "not rated: no facts recorded yet",
}


def assessment_html(ctx: SiteContext, a: Assessment, doc: str) -> str:
    """The assessment, computed (``analysis.governance``): what the council
    already has, the options with their climate ratings, the principles
    scorecard and the priorities served."""
    out = ["\n## What the council already has\n"]
    if a.existing:
        rows = []
        for e in a.existing:
            contract = ""
            if e.contract_end is not None:
                contract = esc(f"Ends {long_date(e.contract_end)}")
                if e.notice_date is not None and e.notice_date != e.contract_end:
                    contract += "<br>" + esc(f"Notice by {long_date(e.notice_date)}")
            time_ = DISPOSITION_LABELS[e.disposition] if e.disposition else "Not decided"
            if not e.reuse_candidate:
                time_ += " (not a candidate for reuse)"
            rows.append(
                f"<tr><td>{ctx.link(doc, Kind.APPLICATION, e.application)}</td>"
                f"<td>{ctx.link(doc, Kind.VENDOR, e.vendor) if e.vendor else esc('In-house')}</td>"
                f"<td>{ctx.link(doc, Kind.ORGANISATION, e.owner)}</td>"
                f'<td class="ea-num">{esc(money(e.annual_cost)) if e.annual_cost is not None else ""}</td>'
                f"<td>{contract}</td><td>{esc(time_)}</td>"
                f"<td>{band(e.rating) if e.rating else esc('Not assessed')}</td></tr>"
            )
        out.append(
            block(
                "<p>Systems in use that support what this request is for (or something beneath it): reuse "
                "before buying.</p>"
                + _table(
                    ["System", "Supplier", "Business owner", "Annual cost", "Contract", "TIME decision", "Rating"],
                    rows,
                    numeric=[3],
                )
            )
        )
    else:
        out.append(block(none("No system in use supports what this request is for.")))
    out.append("\n## Options and their climate position\n")
    if a.options:
        rows = []
        for o in a.options:
            if o.kind == "reuse":
                what = "Reuse"
                who = ctx.link(doc, Kind.APPLICATION, o.application) if o.application else ""
            else:
                what = "New"
                who = ctx.link(doc, Kind.VENDOR, o.vendor) if o.vendor else esc("Not named yet")
            name = esc(o.name) + (" " + badge("Recommended", "ea-lifecycle-active") if o.recommended else "")
            rating = (
                band(o.rating) + " " if o.rating else ""
            ) + f'<span class="ea-sub">{esc(RATED_FROM[o.rated_from])}</span>'
            rows.append(
                f"<tr><td>{name}</td><td>{esc(what)}</td><td>{who}</td><td>{esc(o.product or '')}</td>"
                f"<td>{esc(HOSTING_SHORT.get(o.hosting or '', ''))}</td>"
                f'<td class="ea-num">{esc(money(o.annual_cost)) if o.annual_cost is not None else ""}</td>'
                f'<td class="ea-num">{esc(money(o.one_off_cost)) if o.one_off_cost is not None else ""}</td>'
                f"<td>{rating}</td></tr>"
            )
        warn = ""
        if a.existing and not a.reuse_considered:
            warn = (
                '<p class="ea-check">Every option is a new system, yet the council already runs systems for this.</p>'
            )
        out.append(
            block(
                warn
                + _table(
                    [
                        "Option",
                        "Reuse or new",
                        "System or supplier",
                        "Product",
                        "Hosting",
                        "Cost a year",
                        "One-off cost",
                        "Climate rating",
                    ],
                    rows,
                    numeric=[5, 6],
                )
            )
        )
    else:
        out.append(block(none("No options have been written up yet.")))
    out.append("\n## Principles\n")
    if a.principles:
        c = a.scorecard
        summary = (
            f"<p>Meets {number(c.yes)}, partly meets {number(c.partly)}, does not meet {number(c.no)}"
            + (f"; {number(c.not_assessed)} agreed principles not assessed yet" if c.not_assessed else "")
            + ".</p>"
        )
        rows = [
            f"<tr><td>{ctx.link(doc, Kind.PRINCIPLE, v.principle)}</td>"
            f"<td>{verdict_badge(v.meets) if v.meets else esc('Not assessed yet')}</td>"
            f"<td>{esc(v.note or '')}</td></tr>"
            for v in a.principles
        ]
        out.append(block(summary + _table(["Principle", "Verdict", "Why"], rows)))
    else:
        out.append(block(none("The council has no agreed principles yet.")))
    out.append("\n## Corporate priorities it serves\n")
    if a.priorities:
        items = [
            f"<li>{ctx.link(doc, Kind.PRIORITY, p.priority)}"
            + (f' <span class="ea-sub">part of {ctx.link(doc, Kind.PRIORITY, p.theme)}</span>' if p.theme else "")
            + "</li>"
            for p in a.priorities
        ]
        out.append(block(f"<ul>{''.join(items)}</ul>"))
    else:
        out.append(block('<p class="ea-check">This request does not name a corporate priority it serves.</p>'))
    return "".join(out)


# --- decisions -------------------------------------------------------------------


def decision_list(ctx: SiteContext, doc: str, ids: Sequence[str]) -> str:
    """A short list of decisions: date, name and status in words."""
    decs = dg.decisions(ctx.catalog)
    items = [
        f"<li>{esc(long_date(decs[i].date))}: {ctx.link(doc, Kind.DECISION, i)} {decision_badge(decs[i].status)}</li>"
        for i in ids
    ]
    return f'<ul class="ea-decisions">{"".join(items)}</ul>'


def decision_log_page(ctx: SiteContext) -> str:
    doc = DECISIONS_DOC
    decs = dg.decisions(ctx.catalog)
    title = "Decision log"
    intro = (
        "Every decision of the Digital Group and the design authority, newest first. A decision that was "
        "replaced says by which; open one to read its context, the options considered and its consequences."
    )
    if not decs:
        return page(meta(title, hide=["toc"]), _heading(title, intro), block(none("No decisions recorded yet.")))
    after = dg.superseded_by(ctx.catalog)
    ids = sorted(decs, key=lambda i: (decs[i].date, i), reverse=True)
    status = {i: dg.DECISION_LABELS[decs[i].status] for i in ids}
    rows = []
    for i in ids:
        d = decs[i]
        links_to = []
        if d.supersedes:
            links_to.append("Replaces " + links(ctx, doc, Kind.DECISION, d.supersedes))
        if after.get(i):
            links_to.append("Replaced by " + links(ctx, doc, Kind.DECISION, after[i]))
        cells = [
            _td(_date(d.date), sort=d.date.isoformat()),
            _td(ctx.link(doc, Kind.DECISION, i), sort=d.name.casefold()),
            _td(decision_badge(d.status), sort=d.status),
            _td(esc(d.deciders or "")),
            _td("<br>".join(links_to)),
        ]
        rows.append((i, {}, cells))
    table = _filter_table(
        "Newest first.",
        [("status", "Status", status, [dg.DECISION_LABELS[s] for s in dg.DECISION_STATUSES])],
        [
            ("Date", False),
            ("Decision", False),
            ("Status", False),
            ("Taken by", False),
            ("Replaces or replaced by", False),
        ],
        rows,
    )
    return page(meta(title, search={"exclude": True}, hide=["toc"]), _heading(title, intro), block(table))


def decision_page(ctx: SiteContext, id_: str) -> str:
    d = dg.decisions(ctx.catalog)[id_]
    doc = ctx.doc(Kind.DECISION, id_)
    source = ctx.catalog.source(Kind.DECISION, id_).path
    after = dg.superseded_by(ctx.catalog).get(id_, [])
    review = _date(d.review_by)
    if d.review_by is not None and d.review_by < ctx.today and d.status in dg.LIVE_DECISIONS:
        review = f'<span class="ea-late">{review}: the review is overdue</span>'
    rows = [
        ("Status", f"{decision_badge(d.status)} {esc(dg.DECISION_MEANINGS[d.status])}"),
        ("Date", _date(d.date)),
        ("Taken by", esc(d.deciders) if d.deciders else ""),
        ("To be reviewed by", review),
        ("Replaces", links(ctx, doc, Kind.DECISION, d.supersedes)),
        ("Replaced by", links(ctx, doc, Kind.DECISION, after)),
        ("Requests it decides", links(ctx, doc, Kind.PROPOSAL, dg.proposals_of_decision(ctx.catalog, id_))),
        ("Systems it is about", links(ctx, doc, Kind.APPLICATION, d.applications)),
        ("Capabilities it is about", links(ctx, doc, Kind.CAPABILITY, d.capabilities)),
        ("Principles it applies", links(ctx, doc, Kind.PRINCIPLE, d.principles)),
        ("Corporate priorities it serves", links(ctx, doc, Kind.PRIORITY, d.priorities)),
    ]
    notice = ""
    if after:
        notice = (
            f'<p class="ea-check">This decision was replaced by {links(ctx, doc, Kind.DECISION, after)}: '
            "read that one for what applies now.</p>"
        )
    body = ctx.body(Kind.DECISION, id_, doc)
    return page(
        meta(d.name, d.tags),
        head(
            ctx,
            "Decision record",
            d.name,
            source=source,
            extra=f'<p class="ea-badges">{decision_badge(d.status)}</p>' + notice,
        ),
        "\n## Key facts\n",
        block(fields(rows)),
        "\n## The decision in full\n",
        block(body or none("The context, options and consequences have not been written up yet.")),
    )


def decisions_section(ctx: SiteContext, kind: Kind, id_: str, doc: str) -> str:
    """The decisions about an application or capability, for its own page
    (empty when there are none)."""
    ids = dg.decisions_about(ctx.catalog, kind, id_)
    if not ids:
        return ""
    return "\n## Decisions\n" + block(decision_list(ctx, doc, ids))


# --- principles and priorities -----------------------------------------------------


def principle_page(ctx: SiteContext, id_: str) -> str:
    pr = ctx.catalog.of(Kind.PRINCIPLE)[id_]
    doc = ctx.doc(Kind.PRINCIPLE, id_)
    source = ctx.catalog.source(Kind.PRINCIPLE, id_).path
    status = badge(dg.PRINCIPLE_STATUS_LABELS[pr.status], PRINCIPLE_CSS[pr.status])
    extra = f'<p class="ea-summary">{esc(pr.statement)}</p><p class="ea-badges">{status}</p>'
    parts: list[str] = [meta(pr.name, pr.tags), head(ctx, "Principle", pr.name, source=source, extra=extra)]
    if pr.status != "agreed":
        parts.append(
            block(
                '<p class="ea-check">Only agreed principles are used to assess requests; this one is '
                f"{esc(dg.PRINCIPLE_STATUS_LABELS[pr.status].lower())}.</p>"
            )
        )
    parts += [
        "\n## Why the council holds it\n",
        block(f"<p>{esc(pr.rationale)}</p>" if pr.rationale else none("Not written yet.")),
    ]
    implications = "".join(f"<li>{esc(i)}</li>" for i in pr.implications)
    parts += [
        "\n## What it means for a request\n",
        block(f"<ul>{implications}</ul>" if implications else none("Not written yet.")),
    ]
    if pr.source:
        parts.append(block(f"<p>Source: {external_link(pr.source)}</p>"))
    body = ctx.body(Kind.PRINCIPLE, id_, doc)
    if body:
        parts += ["\n## More about it\n", block(body)]
    decs = dg.decisions_about(ctx.catalog, Kind.PRINCIPLE, id_)
    parts += ["\n## Decisions applying it\n", block(decision_list(ctx, doc, decs) if decs else none("None yet."))]
    props = dg.proposals(ctx.catalog)
    assessed = sorted((i for i, p in props.items() if id_ in p.principles), key=lambda i: (props[i].submitted, i))
    rows = []
    for i in assessed:
        verdict = props[i].principles[id_]
        rows.append(
            f"<tr><td>{ctx.link(doc, Kind.PROPOSAL, i)}</td><td>{proposal_badge(props[i].status)}</td>"
            f"<td>{verdict_badge(verdict.meets)}</td><td>{esc(verdict.note or '')}</td></tr>"
        )
    parts += [
        "\n## Requests assessed against it\n",
        block(_table(["Request", "Status", "Verdict", "Why"], rows) if rows else none("None yet.")),
    ]
    return page(*parts)


def priority_page(ctx: SiteContext, id_: str) -> str:
    pr = ctx.catalog.of(Kind.PRIORITY)[id_]
    doc = ctx.doc(Kind.PRIORITY, id_)
    source = ctx.catalog.source(Kind.PRIORITY, id_).path
    start, end = _period(pr)
    period = ""
    if start and end:
        period = f"{long_date(start)} to {long_date(end)}"
    elif start:
        period = f"From {long_date(start)}"
    elif end:
        period = f"Until {long_date(end)}"
    children = sorted(i for i, other in ctx.catalog.of(Kind.PRIORITY).items() if other.parent == id_)
    rows = [
        ("Part of", ctx.link(doc, Kind.PRIORITY, pr.parent) if pr.parent else ""),
        ("Made up of", links(ctx, doc, Kind.PRIORITY, children)),
        ("Accountable", ctx.link(doc, Kind.ORGANISATION, pr.owner) if pr.owner else ""),
        ("Plan period", esc(period)),
        ("Source", external_link(pr.source, "The council plan") if pr.source else ""),
    ]
    props = dg.proposals(ctx.catalog)
    serving = [i for i in props if id_ in props[i].priorities]
    groups = dg.by_status(ctx.catalog)
    table_rows = []
    total = 0.0
    for status in dg.PROPOSAL_STATUSES:
        for i in groups.get(status, []):
            if i not in serving:
                continue
            p = props[i]
            cost = p.one_off_cost
            total += cost or 0
            table_rows.append(
                f"<tr><td>{ctx.link(doc, Kind.PROPOSAL, i)}</td><td>{proposal_badge(p.status)}</td>"
                f"<td>{ctx.link(doc, Kind.ORGANISATION, p.requested_by)}</td>"
                f'<td class="ea-num">{esc(money(cost)) if cost is not None else ""}</td></tr>'
            )
    summary = ""
    if table_rows:
        summary = (
            f"<p>{esc(plural(len(table_rows), 'request'))} serve this priority, with one-off costs of "
            f"{esc(money(total))} where estimated.</p>"
        )
    body = ctx.body(Kind.PRIORITY, id_, doc)
    decs = dg.decisions_about(ctx.catalog, Kind.PRIORITY, id_)
    return page(
        meta(pr.name, pr.tags),
        head(ctx, "Corporate priority", pr.name, source=source),
        "\n## Key facts\n",
        block(fields(rows)),
        "\n## Description\n",
        block(body or none("No description yet.")),
        "\n## Requests serving it\n",
        block(
            summary + _table(["Request", "Status", "Requested by", "One-off cost"], table_rows, numeric=[3])
            if table_rows
            else none("No request names this priority yet.")
        ),
        "\n## Decisions citing it\n",
        block(decision_list(ctx, doc, decs) if decs else none("None yet.")),
    )


def _period(priority: Any) -> tuple[date | None, date | None]:
    """The plan period, whatever the model calls its fields (``from`` is a
    Python keyword)."""
    start = next((getattr(priority, n) for n in ("from_", "start", "valid_from") if hasattr(priority, n)), None)
    end = next((getattr(priority, n) for n in ("until", "end", "valid_until") if hasattr(priority, n)), None)
    return start, end


def _index(ctx: SiteContext, kind: Kind, doc: str, title: str, intro: str, describe: Callable[[Any], str]) -> str:
    entities = ctx.catalog.of(kind)
    if not entities:
        return page(meta(title, hide=["toc"]), _heading(title, intro), block(none("None recorded yet.")))
    items = [f"<li>{ctx.link(doc, kind, i)}{describe(entities[i])}</li>" for i in ctx.sorted_ids(kind)]
    return page(meta(title, hide=["toc"]), _heading(title, intro), block(f'<ul class="ea-index">{"".join(items)}</ul>'))


# --- meetings ---------------------------------------------------------------------


def meeting_page(ctx: SiteContext, day: date) -> str:
    doc = meeting_doc(day)
    props = dg.proposals(ctx.catalog)
    ids = dg.for_meeting(ctx.catalog, day)
    title = meeting_title(day)
    when = "took" if day < ctx.today else "takes"
    rows = []
    for i in ids:
        p = props[i]
        rows.append(
            f"<tr><td>{ctx.link(doc, Kind.PROPOSAL, i)}</td><td>{proposal_badge(p.status)}</td>"
            f"<td>{ctx.link(doc, Kind.ORGANISATION, p.requested_by)}</td><td>{_date(p.needed_by)}</td>"
            f"<td>{ctx.link(doc, Kind.DECISION, p.decision) if p.decision else ''}</td></tr>"
        )
    decs = dg.decisions(ctx.catalog)
    taken = sorted((i for i, d in decs.items() if d.date == day), key=lambda i: i)
    nxt = dg.next_meeting(ctx.catalog, day)
    review_before = nxt or add_months(day, dg.DEFAULT_CYCLE_MONTHS)
    reviews = dg.reviews_due(ctx.catalog, review_before)
    contracts = dg.contracts_due(ctx.catalog, day)
    contract_rows = [
        f"<tr><td>{ctx.link(doc, Kind.APPLICATION, c.application)}</td><td>{esc(long_date(c.notice_date))}</td>"
        f"<td>{esc(long_date(c.end))}</td></tr>"
        for c in contracts
    ]
    intro = f"The meeting {when} {plural(len(ids), 'request')} from the Entrance Hall."
    return page(
        meta(title, hide=["toc"]),
        _heading(title, intro),
        "\n## Requests it takes\n",
        block(_table(["Request", "Status", "Requested by", "Needed by", "Decision"], rows) if rows else none("None.")),
        "\n## Decisions dated that day\n",
        block(decision_list(ctx, doc, taken) if taken else none("None recorded.")),
        "\n## Decisions to review\n",
        block(
            f"<p>Decisions in force whose review falls before {esc(long_date(review_before))}.</p>"
            + decision_list(ctx, doc, reviews)
            if reviews
            else none(f"No decision comes up for review before {long_date(review_before)}.")
        ),
        "\n## Contracts needing a decision\n",
        block(
            "<p>Contracts whose last day to give notice falls within three months after the meeting.</p>"
            + _table(["System", "Last day to give notice", "Contract ends"], contract_rows)
            if contract_rows
            else none("No contract's notice date falls within three months after the meeting.")
        ),
    )


def meetings_page(ctx: SiteContext) -> str:
    title = "Digital Group meetings"
    intro = "The meetings at which the Digital Group takes requests from the Entrance Hall, newest first."
    days = dg.meetings(ctx.catalog)
    if not days:
        return page(meta(title, hide=["toc"]), _heading(title, intro), block(none("No meeting planned yet.")))
    items = []
    for day in reversed(days):
        count = len(dg.for_meeting(ctx.catalog, day))
        items.append(
            f'<li><a href="{esc(ctx.href(MEETINGS_DOC, meeting_doc(day)))}">{esc(long_date(day))}</a> '
            f'<span class="ea-sub">{esc(plural(count, "request"))}</span></li>'
        )
    return page(meta(title, hide=["toc"]), _heading(title, intro), block(f'<ul class="ea-index">{"".join(items)}</ul>'))


# --- the section ---------------------------------------------------------------------


def generate(ctx: SiteContext) -> Iterator[tuple[str, str]]:
    yield ENTRANCE_DOC, entrance_hall_page(ctx)
    index = GovernanceIndex(ctx.catalog)
    for id_ in sorted(dg.proposals(ctx.catalog)):
        assessment = assess(ctx.catalog, id_, ctx.today, ctx.ratings, index)
        yield ctx.doc(Kind.PROPOSAL, id_), proposal_page(ctx, id_, assessment)
    yield DECISIONS_DOC, decision_log_page(ctx)
    for id_ in sorted(dg.decisions(ctx.catalog)):
        yield ctx.doc(Kind.DECISION, id_), decision_page(ctx, id_)
    yield (
        PRINCIPLES_DOC,
        _index(
            ctx,
            Kind.PRINCIPLE,
            PRINCIPLES_DOC,
            "Principles",
            "The principles every request is assessed against. Only agreed principles are used.",
            lambda p: (
                f" {badge(dg.PRINCIPLE_STATUS_LABELS[p.status], PRINCIPLE_CSS[p.status])}"
                f'<br><span class="ea-sub">{esc(p.statement)}</span>'
            ),
        ),
    )
    for id_ in sorted(ctx.catalog.of(Kind.PRINCIPLE)):
        yield ctx.doc(Kind.PRINCIPLE, id_), principle_page(ctx, id_)
    yield (
        PRIORITIES_DOC,
        _index(
            ctx,
            Kind.PRIORITY,
            PRIORITIES_DOC,
            "Corporate priorities",
            "The outcomes of the council plan that IT change serves. Open one to see the requests serving it.",
            lambda p: "",
        ),
    )
    for id_ in sorted(ctx.catalog.of(Kind.PRIORITY)):
        yield ctx.doc(Kind.PRIORITY, id_), priority_page(ctx, id_)
    yield MEETINGS_DOC, meetings_page(ctx)
    for day in dg.meetings(ctx.catalog):
        yield meeting_doc(day), meeting_page(ctx, day)
