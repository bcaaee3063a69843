"""The Digital Group's papers for one meeting (``ea pack``).

Everything the meeting needs, computed from the repository so nobody
assembles it by hand: the requests it takes, each with its one-page
assessment; the decisions whose review falls before the next meeting; the
contracts whose notice date falls within three months after the meeting;
the requests already past the date they were needed; the Entrance Hall's
pipeline; and, given a Git revision, what changed in the architecture since
(``generator.analysis.diff``).

The papers are built once as a small neutral document (headings,
paragraphs, fact tables, tables) and written as Markdown, to paste into a
committee report, or as one self-contained HTML file to print: no external
resource, a print stylesheet, every value escaped.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from generator.analysis import digital_group as dg
from generator.analysis.common import add_months
from generator.analysis.governance import Assessment, GovernanceIndex, assess
from generator.catalog.catalog import Catalog
from generator.models.model import Kind
from generator.core.report import printable
from generator.core.util import read_regular
from generator.documents.document import MAX_FILE_BYTES, body_of
from generator.site.text import DISPOSITION_LABELS, HOSTING_SHORT, long_date, money, number, plural
from generator.analysis.ratings import Rating, Units, rate_application

# --- the neutral document ----------------------------------------------------


@dataclass
class Heading:
    level: int
    text: str
    #: start a new printed page before it
    new_page: bool = False


@dataclass
class Para:
    text: str
    #: draw attention (late, overdue)
    warn: bool = False


@dataclass
class Facts:
    rows: list[tuple[str, str]]


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()


@dataclass
class Bullets:
    items: list[str]


@dataclass
class Body:
    """An architect's Markdown body (the request's own words)."""

    markdown: str


Block = Heading | Para | Facts | Table | Bullets | Body


@dataclass
class Pack:
    meeting: date
    today: date
    next_meeting: date | None
    review_before: date
    proposals: list[str]
    reviews: list[str]
    contracts: list[dg.ContractDue]
    late: list[str]
    pipeline: dg.Pipeline
    blocks: list[Block] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"Digital Group papers: meeting on {long_date(self.meeting)}"


def build_pack(
    catalog: Catalog,
    meeting: date,
    *,
    today: date,
    changes: Any = None,
) -> Pack:
    """The papers for the meeting on ``meeting``. ``changes``: a
    ``generator.analysis.diff.Diff`` for "changed since the last meeting"."""
    nxt = dg.next_meeting(catalog, meeting)
    review_before = nxt or add_months(meeting, dg.DEFAULT_CYCLE_MONTHS)
    pack = Pack(
        meeting=meeting,
        today=today,
        next_meeting=nxt,
        review_before=review_before,
        proposals=dg.for_meeting(catalog, meeting),
        reviews=dg.reviews_due(catalog, review_before),
        contracts=dg.contracts_due(catalog, meeting),
        late=dg.late(catalog, max(meeting, today)),
        pipeline=dg.pipeline(catalog, today),
    )
    pack.blocks = _blocks(catalog, pack, changes)
    return pack


class _LazyRatings(dict[str, Rating]):
    """Applications' ratings, each computed when first asked for: a meeting's
    requests touch a few hundred applications, and rating all ten thousand
    would be most of the pack's time."""

    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.catalog = catalog
        self.missing: set[str] = set()
        # one for the scheme, not one per application: working the unit out
        # again for each rating was most of the time the ratings took
        self.units = Units(catalog.scheme) if catalog.scheme is not None else None

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        if key not in self and key not in self.missing:
            app = self.catalog.applications.get(key)
            scheme = self.catalog.scheme
            rating = None
            if app is not None and scheme is not None:
                vendor = self.catalog.vendors.get(app.vendor) if app.vendor else None
                rating = rate_application(scheme, app, vendor, self.units)
            if rating is None:
                self.missing.add(key)
            else:
                self[key] = rating
        return dict.get(self, key, default)


def _body(src: Any) -> str:
    """A content file's body (after the closing frontmatter line), without
    parsing its YAML again: the file validated, only its text is wanted, and
    parsing every request's frontmatter anew was a third of the pack's time."""
    if src._doc is not None or src.root is None:
        return str(src.doc.body)
    try:
        raw = read_regular(src.root / src.path, MAX_FILE_BYTES)
    except OSError:
        return ""
    return body_of(raw)[0]  # as the parse splits it


def _name(catalog: Catalog, kind: Kind, id_: str | None) -> str:
    if not id_:
        return ""
    entity = catalog.of(kind).get(id_)
    return entity.name if entity is not None else id_


def _names(catalog: Catalog, kind: Kind, ids: list[str]) -> str:
    return ", ".join(_name(catalog, kind, i) for i in ids)


def _d(value: date | None) -> str:
    return long_date(value) if value is not None else ""


def _blocks(catalog: Catalog, pack: Pack, changes: Any) -> list[Block]:
    props = dg.proposals(catalog)
    ratings = _LazyRatings(catalog)
    index = GovernanceIndex(catalog) if pack.proposals else None
    decs = dg.decisions(catalog)
    out: list[Block] = [Heading(1, pack.title)]
    nxt = (
        f"The next meeting is on {long_date(pack.next_meeting)}."
        if pack.next_meeting
        else f"No later meeting is planned yet; reviews are counted up to {long_date(pack.review_before)}."
    )
    out.append(Para(f"Prepared on {long_date(pack.today)} from the enterprise architecture repository. {nxt}"))
    sections = [
        f"Requests for decision ({len(pack.proposals)})",
        f"Decisions to review ({len(pack.reviews)})",
        f"Contracts needing a decision ({len(pack.contracts)})",
        f"Requests past the date they were needed ({len(pack.late)})",
        "The Entrance Hall pipeline",
    ]
    if changes is not None:
        sections.append("Changed since the last meeting")
    out.append(Bullets(sections))

    # 1. requests for decision, each on its own page
    out.append(Heading(2, f"1. {sections[0]}"))
    if not pack.proposals:
        out.append(Para("No request from the Entrance Hall is planned for this meeting."))
    for n, id_ in enumerate(pack.proposals, 1):
        p = props[id_]
        out.append(Heading(3, f"1.{n} {p.name}", new_page=True))
        days = dg.age_days(p.submitted, pack.today)
        late = p.needed_by is not None and p.needed_by < max(pack.meeting, pack.today) and p.status in dg.OPEN
        out.append(
            Facts(
                [
                    ("Status", f"{dg.PROPOSAL_LABELS[p.status]}: {dg.PROPOSAL_MEANINGS[p.status]}"),
                    ("Requested by", _name(catalog, Kind.ORGANISATION, p.requested_by)),
                    ("Sponsor", p.sponsor or ""),
                    ("Arrived", f"{long_date(p.submitted)} ({dg.age_text(days)} ago)"),
                    ("Needed by", _d(p.needed_by) + (" (passed)" if late else "")),
                    ("Capabilities", _names(catalog, Kind.CAPABILITY, p.capabilities)),
                    ("Corporate priorities", _names(catalog, Kind.PRIORITY, p.priorities) or "None named"),
                    ("One-off cost (estimate)", money(p.one_off_cost) if p.one_off_cost is not None else ""),
                    ("Decision", _name(catalog, Kind.DECISION, p.decision)),
                ]
            )
        )
        body = _body(catalog.source(Kind.PROPOSAL, id_)).strip()
        if body:
            out.append(Body(body))
        out.extend(assessment_blocks(assess(catalog, id_, pack.today, ratings, index)))

    # 2. decisions to review
    out.append(Heading(2, f"2. {sections[1]}", new_page=True))
    out.append(Para(f"Decisions in force or proposed whose review falls before {long_date(pack.review_before)}."))
    if pack.reviews:
        rows = []
        for i in pack.reviews:
            d = decs[i]
            overdue = d.review_by is not None and d.review_by < pack.meeting
            rows.append(
                [
                    d.name,
                    dg.DECISION_LABELS[d.status],
                    _d(d.date),
                    _d(d.review_by) + (" (overdue)" if overdue else ""),
                ]
            )
        out.append(Table(["Decision", "Status", "Taken", "Review by"], rows))
    else:
        out.append(Para("None."))

    # 3. contracts
    out.append(Heading(2, f"3. {sections[2]}"))
    out.append(
        Para(
            f"Contracts of systems in use whose last day to give notice falls between the meeting and "
            f"{long_date(add_months(pack.meeting, dg.NOTICE_WINDOW_MONTHS))}: renew, re-procure or give notice."
        )
    )
    if pack.contracts:
        rows = []
        for c in pack.contracts:
            app = catalog.applications[c.application]
            rows.append(
                [
                    app.name,
                    _name(catalog, Kind.VENDOR, app.vendor) if app.vendor else "In-house",
                    _name(catalog, Kind.ORGANISATION, app.owner),
                    money(app.annual_cost) if app.annual_cost is not None else "",
                    long_date(c.notice_date),
                    long_date(c.end),
                ]
            )
        out.append(
            Table(
                ["System", "Supplier", "Business owner", "Annual cost", "Last day to give notice", "Contract ends"],
                rows,
                frozenset({3}),
            )
        )
    else:
        out.append(Para("None."))

    # 4. late requests
    out.append(Heading(2, f"4. {sections[3]}"))
    if pack.late:
        rows = []
        for i in pack.late:
            p = props[i]
            rows.append(
                [
                    p.name,
                    dg.PROPOSAL_LABELS[p.status],
                    _name(catalog, Kind.ORGANISATION, p.requested_by),
                    _d(p.needed_by),
                    _d(p.meeting) or "Not yet planned",
                ]
            )
        out.append(Table(["Request", "Status", "Requested by", "Needed by", "Meeting"], rows))
    else:
        out.append(Para("None: every open request can still be met by the date it is needed."))

    # 5. pipeline
    out.append(Heading(2, f"5. {sections[4]}"))
    counts = pack.pipeline.counts
    out.append(
        Table(
            ["Status", "Requests"],
            [[dg.PROPOSAL_LABELS[s], number(counts.get(s, 0))] for s in dg.PROPOSAL_STATUSES],
            frozenset({1}),
        )
    )
    if pack.pipeline.median_age_days is not None:
        out.append(
            Para(
                f"{plural(pack.pipeline.open, 'request')} waiting for a decision (submitted, being triaged or "
                f"being assessed); median wait {dg.age_text(int(pack.pipeline.median_age_days))} "
                f"({number(pack.pipeline.median_age_days)} days), longest "
                f"{dg.age_text(pack.pipeline.oldest_age_days or 0)}."
            )
        )
    else:
        out.append(Para("No request is waiting for a decision."))

    # 6. changes
    if changes is not None:
        out.append(Heading(2, f"6. {sections[5]}", new_page=True))
        out.extend(changes_blocks(changes))
    return out


def assessment_blocks(a: Assessment) -> list[Block]:
    """The one-page assessment: what the council already has, the options
    with their climate ratings, the principles scorecard, the priorities."""
    out: list[Block] = [Heading(4, "What the council already has")]
    if a.existing:
        rows = []
        for e in a.existing:
            contract = f"ends {long_date(e.contract_end)}" if e.contract_end else ""
            if e.notice_date is not None and e.notice_date != e.contract_end:
                contract += f", notice by {long_date(e.notice_date)}"
            rows.append(
                [
                    e.name,
                    e.vendor_name or "In-house",
                    e.owner_name,
                    money(e.annual_cost) if e.annual_cost is not None else "",
                    contract,
                    DISPOSITION_LABELS[e.disposition] if e.disposition else "Not decided",
                    e.rating or "Not assessed",
                ]
            )
        out.append(
            Table(
                ["System", "Supplier", "Business owner", "Annual cost", "Contract", "TIME decision", "Rating"],
                rows,
                frozenset({3}),
            )
        )
    else:
        out.append(Para("No system in use supports what this request is for."))
    out.append(Heading(4, "Options and their climate position"))
    if a.options:
        if a.existing and not a.reuse_considered:
            out.append(Para("Every option is a new system, yet the council already runs systems for this.", warn=True))
        rows = []
        for o in a.options:
            if o.kind == "reuse":
                what = f"Reuse {o.application_name or ''}"
            else:
                what = "New: " + ", ".join(x for x in (o.vendor_name, o.product) if x)
            rows.append(
                [
                    o.name + (" (recommended)" if o.recommended else ""),
                    what,
                    HOSTING_SHORT.get(o.hosting or "", ""),
                    money(o.annual_cost) if o.annual_cost is not None else "",
                    money(o.one_off_cost) if o.one_off_cost is not None else "",
                    o.rating or "Not rated",
                ]
            )
        out.append(
            Table(
                ["Option", "Reuse or new", "Hosting", "Cost a year", "One-off cost", "Climate rating"],
                rows,
                frozenset({3, 4}),
            )
        )
    else:
        out.append(Para("No options have been written up yet."))
    out.append(Heading(4, "Principles"))
    c = a.scorecard
    out.append(
        Para(
            f"Meets {c.yes}, partly meets {c.partly}, does not meet {c.no}"
            + (f"; {plural(c.not_assessed, 'agreed principle')} not assessed yet." if c.not_assessed else ".")
        )
    )
    if a.principles:
        out.append(
            Table(
                ["Principle", "Verdict", "Why"],
                [
                    [v.name, dg.VERDICT_LABELS[v.meets] if v.meets else "Not assessed yet", v.note or ""]
                    for v in a.principles
                ],
            )
        )
    out.append(Heading(4, "Corporate priorities it serves"))
    if a.priorities:
        out.append(Bullets([p.name + (f" (part of {p.theme_name})" if p.theme_name else "") for p in a.priorities]))
    else:
        out.append(Para("None named.", warn=True))
    return out


def changes_blocks(d: Any) -> list[Block]:
    """A ``generator.analysis.diff.Diff`` as blocks, in words."""
    from generator.analysis.diff import MONEY, OTHER, value_text

    out: list[Block] = [
        Para(
            f"Between {d.base} and {d.head}: {len(d.added)} added, {len(d.removed)} removed, "
            f"{len(d.renamed)} renamed, {len(d.changed)} changed; {len(d.appeared)} problems appeared and "
            f"{len(d.resolved)} were resolved."
        )
    ]
    if d.added:
        out += [Heading(3, "Added"), Table(["Kind", "Name"], [[e.kind, e.name] for e in d.added])]
    if d.removed:
        out += [Heading(3, "Removed"), Table(["Kind", "Name"], [[e.kind, e.name] for e in d.removed])]
    if d.renamed:
        out += [
            Heading(3, "Renamed"),
            Table(["Kind", "Was", "Now"], [[c.after.kind, c.before.name, c.after.name] for c in d.renamed]),
        ]
    if d.changed:
        rows = []
        for c in d.changed:
            what = "; ".join(
                "other details"
                if x.label == OTHER
                else f"{x.label}: {value_text(x.before, x.label in MONEY)} to {value_text(x.after, x.label in MONEY)}"
                for x in c.changes
            )
            rows.append([c.after.kind, c.after.name, what])
        out += [Heading(3, "Changed"), Table(["Kind", "Name", "What changed"], rows)]
    return out


# --- Markdown ------------------------------------------------------------------


def render_markdown(pack: Pack) -> str:
    from generator.analysis.diff import md

    out: list[str] = []
    for b in pack.blocks:
        if isinstance(b, Heading):
            out += ["#" * b.level + " " + md(b.text), ""]
        elif isinstance(b, Para):
            out += [("**" + md(b.text) + "**") if b.warn else md(b.text), ""]
        elif isinstance(b, Bullets):
            out += [f"- {md(i)}" for i in b.items] + [""]
        elif isinstance(b, Facts):
            rows = [(k, v) for k, v in b.rows if v]
            out += ["| | |", "| --- | --- |"] + [f"| **{md(k)}** | {md(v)} |" for k, v in rows] + [""]
        elif isinstance(b, Table):
            out.append("| " + " | ".join(md(h) for h in b.headers) + " |")
            out.append("|" + "|".join(" ---: " if i in b.numeric else " --- " for i in range(len(b.headers))) + "|")
            out += ["| " + " | ".join(md(c) for c in row) + " |" for row in b.rows]
            out.append("")
        elif isinstance(b, Body):
            # the request's own words keep their Markdown; raw HTML in them is shown as text
            text = _clean(b.markdown).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            text = text.replace("](", "]\\(").replace("![", "!\\[")  # links and pictures as text
            out += ["> " + line if line.strip() else ">" for line in text.split("\n")] + [""]
    return "\n".join(out).rstrip("\n") + "\n"


# --- HTML ------------------------------------------------------------------------

_CSS = """
body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.4; color: #111;
  max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 20pt; margin: 0 0 .5rem; }
h2 { font-size: 15pt; margin: 1.6rem 0 .5rem; border-bottom: 2px solid #111; }
h3 { font-size: 12.5pt; margin: 1.2rem 0 .4rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; }
th, td { border: 1px solid #767676; padding: .25rem .45rem; text-align: left; vertical-align: top; }
thead th { background: #e8e8e8; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.facts th { width: 30%; background: #f3f3f3; font-weight: 600; }
.warn { font-weight: 700; }
blockquote { margin: .5rem 0 1rem; padding: .2rem .8rem; border-left: 4px solid #767676; background: #f7f7f7; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  @page { size: A4; margin: 18mm 15mm; }
  .new-page { break-before: page; page-break-before: always; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  tr, blockquote { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
}
"""


WARN = ' class="warn"'
NUM = ' class="num"'
#: Markdown features a paper keeps from a request's text: no raw HTML, no
#: link or picture (a printed paper has nowhere to go, and nothing may load)
_DROPPED = (
    "html",
    "link",
    "image_link",
    "image_reference",
    "reference",
    "short_reference",
    "short_image_ref",
    "autolink",
    "automail",
)


def _clean(text: str) -> str:
    """Text without control characters other than line breaks and tabs."""
    return "".join(c for c in text.replace("\r\n", "\n") if c in "\n\t" or (ord(c) >= 0x20 and ord(c) != 0x7F))


_converter: Any = None


def _body_html(markdown_text: str) -> str:
    """One converter, reset between bodies (making one per request costs more
    than converting)."""
    global _converter
    if _converter is None:
        from markdown import Markdown

        _converter = Markdown(extensions=["sane_lists"], output_format="html")
        _converter.preprocessors.deregister("html_block")
        for name in _DROPPED:
            if name in _converter.inlinePatterns:
                _converter.inlinePatterns.deregister(name)
    try:
        return str(_converter.reset().convert(_clean(markdown_text)))
    finally:
        _converter.reset()


def _e(text: str) -> str:
    return html.escape(printable(text), quote=True)


def render_html(pack: Pack) -> str:
    """One self-contained printable file: the stylesheet inline, no script,
    no picture, no link to anything outside it."""
    from generator.site.render import esc

    parts: list[str] = []
    for b in pack.blocks:
        if isinstance(b, Heading):
            cls = ' class="new-page"' if b.new_page else ""
            parts.append(f"<h{b.level}{cls}>{_e(b.text)}</h{b.level}>")
        elif isinstance(b, Para):
            parts.append(f"<p{WARN if b.warn else ''}>{_e(b.text)}</p>")
        elif isinstance(b, Bullets):
            parts.append("<ul>" + "".join(f"<li>{_e(i)}</li>" for i in b.items) + "</ul>")
        elif isinstance(b, Facts):
            rows = "".join(f'<tr><th scope="row">{_e(k)}</th><td>{_e(v)}</td></tr>' for k, v in b.rows if v)
            parts.append(f'<table class="facts"><tbody>{rows}</tbody></table>')
        elif isinstance(b, Table):
            heads = "".join(
                f'<th scope="col"{NUM if i in b.numeric else ""}>{_e(h)}</th>' for i, h in enumerate(b.headers)
            )
            body = "".join(
                "<tr>"
                + "".join(f"<td{NUM if i in b.numeric else ''}>{_e(c)}</td>" for i, c in enumerate(row))
                + "</tr>"
                for row in b.rows
            )
            parts.append(f"<table><thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table>")
        elif isinstance(b, Body):
            # Markdown with every character of the source escaped first: its
            # emphasis and lists survive, no tag or link address does
            parts.append("<blockquote>" + _body_html(b.markdown) + "</blockquote>")
    title = esc(pack.title)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        f"<title>{title}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(parts)
        + "\n</main>\n</body>\n</html>\n"
    )
