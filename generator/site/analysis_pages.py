"""Site pages for the analyses: Markdown headings (so MkDocs gives each page
a table of contents and search) around HTML blocks built here.

Every value from content goes through the site's ``esc``, and each HTML
part is wrapped in the site's pass-through ``block`` so Markdown never
parses it; links to entity pages come from the caller's ``link(kind, id)``,
which returns escaped HTML, so this module knows nothing of where pages live.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from fractions import Fraction

from generator.analysis.common import money
from generator.analysis.rationalisation import RationalisationReport
from generator.analysis.sustainability import AppRating, Average, SustainabilityReport
from generator.models.model import Kind
from generator.site.mdext import block
from generator.site.render import esc
from generator.site.text import MONTHS as _MONTHS
from generator.site.text import fact_words
from generator.core.util import exact, round_half_up

Link = Callable[[Kind, str], str]
A, C, ORG = Kind.APPLICATION, Kind.CAPABILITY, Kind.ORGANISATION

#: Rows shown on a page before the rest is left to the downloads.
IMPROVEMENTS_SHOWN = 25
#: Longest table on a page: a large estate's full lists are in the downloads.
ROWS_SHOWN = 200


def _more(total: int, noun: str) -> str:
    """The note under a table cut at ROWS_SHOWN items."""
    if total <= ROWS_SHOWN:
        return ""
    return _p(f"The first {ROWS_SHOWN} of {total} {noun} are shown; all of them are in the downloads.")


# --- formatting ---------------------------------------------------------------------------------------------------


def _date(value: date | None) -> str:
    """31 March 2027, as GOV.UK writes dates (in running text)."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}" if value else ""


def _day(value: date | None) -> str:
    """31 March 2027 in table cells too: one date format across the site."""
    return _date(value)


def _money(value: float | None) -> str:
    return "" if value is None else money(value)


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.1f}"


def _band(rating: str | None, title: str = "", status: str = "rated") -> str:
    if not rating:
        return '<span class="ea-sub">not assessed</span>'
    tip = f' title="{esc(title)}"' if title else ""
    stale = ' <span class="ea-sub">(stale)</span>' if status == "stale" else ""
    return f'<span class="ea-band ea-rating-{esc(rating.lower())}"{tip}>{esc(rating)}</span>{stale}'


def _table(
    headers: Iterable[tuple[str, bool]], rows: Iterable[str], total: int = 0, noun: str = "", *, sortable: bool = False
) -> str:
    """An ``ea-table``; headers are (text, numeric), rows ready-made ``<tr>``s;
    ``total`` items of which only ROWS_SHOWN were made into rows, if more.
    A ``sortable`` table (one row per item, no merged cells) gets the
    registers' column sorting and a word filter (the site's script)."""
    headers = list(headers)
    body = "\n".join(rows)
    if not sortable:
        head = "".join(f'<th class="ea-num">{esc(h)}</th>' if num else f"<th>{esc(h)}</th>" for h, num in headers)
        return (
            f'<div class="ea-table-wrap" data-search-exclude><table class="ea-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>\n{body}\n</tbody></table></div>"
        ) + _more(total, noun)
    numeric = ' class="ea-num" data-type="number"'
    head = "".join(
        f'<th{numeric if num else ""} aria-sort="none"><button type="button" class="ea-sort">{esc(h)}</button></th>'
        for h, num in headers
    )
    return (
        '<div class="ea-register ea-report" data-ea-local data-search-exclude>'
        '<div class="ea-filters"><label class="ea-filter ea-filter-text">Filter these rows by whole words'
        '<input type="search" data-ea-filter="text"></label></div>'
        '<p class="ea-shown" aria-live="polite"></p>'
        f'<div class="ea-table-wrap"><table class="ea-table ea-sortable"><thead><tr>{head}</tr></thead>'
        f"<tbody>\n{body}\n</tbody></table></div>"
        '<p class="ea-empty" hidden>No row has these words.</p></div>'
    ) + _more(total, noun)


def _td(html_value: str, num: bool = False, rowspan: int = 1, sort: float | str | None = None) -> str:
    span = f' rowspan="{rowspan}"' if rowspan > 1 else ""
    cls = ' class="ea-num"' if num else ""
    key = f' data-sort="{esc(str(sort))}"' if sort is not None else ""
    return f"<td{cls}{span}{key}>{html_value}</td>"


#: a table with more rows than this starts closed under a summary that says what it holds
FOLD_AFTER = 10


def _fold(what: str, count: int, html: str) -> str:
    """A long table behind a summary, so the page's answer and its sections
    are a few screens, not sixty, and the closed rows cost no Tab stops."""
    if count <= FOLD_AFTER:
        return html
    return f'<details class="ea-fold"><summary>{esc(what)}</summary>{html}</details>'


def _p(text: str) -> str:
    return f"<p>{esc(text)}</p>"


def _fact(value: str | None, fact: str = "") -> str:
    """A criterion's fact in words, as text (not yet escaped)."""
    if value is None:
        return "not recorded"
    return fact_words(fact, value.strip())


def _none(text: str) -> str:
    return f'<p class="ea-none">{esc(text)}</p>'


def _links(link: Link, kind: Kind, ids: Iterable[str]) -> str:
    return ", ".join(link(kind, i) for i in ids)


# --- rationalisation ----------------------------------------------------------------------------------------------


def rationalisation_page(r: RationalisationReport, link: Link, downloads: str = "") -> str:
    """The body of the Rationalisation page (after the page's own heading).
    ``downloads`` is ready-made HTML (links to the report files), if any."""
    total_stake = r.money_at_stake
    savings = [exact(c.saving) for c in r.candidates if c.saving is not None]
    flagged = [e for e in r.contracts if e.flagged]
    summary = (
        "<ul>"
        f"<li><strong>{len(r.overlaps)}</strong> capabilities are supported by more than one active application, "
        f"with {esc(_money(total_stake))} a year at stake.</li>"
        f"<li><strong>{len(r.candidates)}</strong> consolidation candidates could save up to "
        f"{esc(_money(round_half_up(sum(savings, Fraction(0)), 2)))} a year"
        + (f" ({len(r.candidates) - len(savings)} with no cost recorded)" if len(savings) < len(r.candidates) else "")
        + ".</li>"
        f"<li><strong>{len(flagged)}</strong> contracts need a decision now: ended, notice date passed, or due "
        "within three months.</li>"
        f"<li><strong>{len(r.data_centre)}</strong> running applications stand in the way of closing the "
        "council's own data centres.</li>"
        "</ul>"
        + _p(f"As of {_date(r.today)}. Money is in pounds a year, as recorded for each application.")
        + downloads
    )
    parts = ["\n## Duplicated systems: the largest\n", block(_top_duplicates(r, link)), "\n## In numbers\n"]
    parts += [block(summary)]
    parts += ["\n## Overlaps by area\n", block(_rollups(r, link)), "\n## Overlaps\n"]
    parts += [
        block(_fold(f"All {len(r.overlaps)} overlaps, application by application", len(r.overlaps), _overlaps(r, link)))
    ]
    parts += ["\n## Merger matrix\n"]
    parts += [block(_fold(f"The matrix of {len(r.matrix.rows)} capabilities", len(r.matrix.rows), _matrix(r, link)))]
    parts += ["\n## Consolidation candidates\n"]
    parts += [block(_fold(f"All {len(r.candidates)} candidates", len(r.candidates), _candidates(r, link)))]
    parts += ["\n## Contracts\n", block(_contracts(r, link))]
    parts += ["\n## Data-centre exit\n"]
    parts += [block(_fold(f"All {len(r.data_centre)} applications", len(r.data_centre), _data_centre(r, link)))]
    parts += ["\n## Cost per capability\n"]
    parts += [block(_fold(f"All {len(r.costs)} capabilities", len(r.costs), _costs(r, link)))]
    if r.notes:
        parts += ["\n## Notes\n", block("<ul>" + "".join(f"<li>{esc(n)}</li>" for n in r.notes) + "</ul>")]
    return "".join(parts)


#: how many of the largest duplicates open the Rationalisation page
TOP_SHOWN = 5


def _top_duplicates(r: RationalisationReport, link: Link) -> str:
    """The page's answer to "which of our systems are duplicated after the
    merger?": the overlaps with the most money at stake, each system with
    the council that brought it."""
    if not r.overlaps:
        return _none("No capability is supported by more than one active application.")
    items = []
    for o in r.overlaps[:TOP_SHOWN]:
        systems = ", ".join(
            link(A, a.id) + (f" ({esc(a.origin_name or a.origin)})" if a.origin else "") for a in o.applications
        )
        money = f"{_money(o.money_at_stake)} a year at stake" if o.money_at_stake else "no costs recorded"
        items.append(f"<li><strong>{link(C, o.capability)}</strong>: {systems}. {esc(money)}.</li>")
    lead = (
        f"{len(r.overlaps)} capabilities are supported by more than one active system. "
        f"The {min(TOP_SHOWN, len(r.overlaps))} with the most money at stake:"
    )
    return f'<p class="ea-answer">{esc(lead)}</p><ol class="ea-answer-list">{"".join(items)}</ol>'


def _rollups(r: RationalisationReport, link: Link) -> str:
    rows = [
        "<tr>"
        + _td(link(C, u.capability))
        + _td(_links(link, C, u.overlaps))
        + _td(_num(len(u.applications)), True)
        + _td(esc(_money(u.money_at_stake)), True)
        + "</tr>"
        for u in sorted(r.rollups, key=lambda u: (-u.money_at_stake, u.name.casefold(), u.capability))
        if u.level == 1
    ]
    if not rows:
        return _none("No capability is supported by more than one active application.")
    return _p(r.rules["overlap"] + " " + r.rules["rounding"]) + _table(
        [("Area", False), ("Overlapping capabilities", False), ("Applications", True), ("Money at stake", True)], rows
    )


def _app_cells(a: object, link: Link) -> str:
    from generator.analysis.rationalisation import AppFacts

    assert isinstance(a, AppFacts)
    return (
        _td(link(A, a.id))
        + _td(link(ORG, a.origin) if a.origin else '<span class="ea-sub">none recorded</span>')
        + _td(esc(_num(a.users)), True)
        + _td(esc(_money(a.annual_cost)), True)
        + _td(esc(_day(a.contract_end)))
        + _td(esc(a.disposition or ""))
        + _td(_band(a.rating, f"score {_num(a.score)}" if a.score is not None else "", a.rating_status))
    )


def _overlaps(r: RationalisationReport, link: Link) -> str:
    if not r.overlaps:
        return _none("None.")
    rows = []
    for o in r.overlaps[:ROWS_SHOWN]:
        n = len(o.applications)
        for i, a in enumerate(o.applications):
            lead = _td(link(C, o.capability), rowspan=n) + _td(esc(_money(o.money_at_stake)), True, n) if i == 0 else ""
            kept = "kept (marked invest)" if o.kept_basis == "invest" else "assumed kept (largest cost)"
            rows.append(f"<tr>{lead}{_app_cells(a, link)}{_td(esc(kept) if a.id in o.kept else '')}</tr>")
    return _p(r.rules["cost_sharing"]) + _table(
        [
            ("Capability", False),
            ("Money at stake", True),
            ("Application", False),
            ("Origin", False),
            ("Users", True),
            ("Annual cost", True),
            ("Contract end", False),
            ("Disposition", False),
            ("Rating", False),
            ("Stays", False),
        ],
        rows,
        len(r.overlaps),
        "overlaps",
    )


def _matrix(r: RationalisationReport, link: Link) -> str:
    m = r.matrix
    if not m.councils:
        return _none(
            "No active application records the predecessor council that brought it, so there is no merger "
            "to compare. This section fills in when applications name the council they came from."
        )
    if not m.rows:
        return _none("No active application supports any capability.")
    width = len(m.councils) + 1
    rows, area = [], None
    for row in m.rows[:ROWS_SHOWN]:
        if row.area != area:  # a heading row for each level-1 capability
            area = row.area
            rows.append(f'<tr class="ea-group"><th colspan="{width}"><strong>{link(C, area)}</strong></th></tr>')
        cells = "".join(_td(_links(link, A, row.cells.get(c.id, []))) for c in m.councils)
        mark = ' <span class="ea-badge ea-disposition-migrate">candidate</span>' if row.candidate else ""
        rows.append(f"<tr>{_td(link(C, row.capability) + mark)}{cells}</tr>")
    candidates = sum(1 for row in m.rows if row.candidate)
    headers = [(c.name if c.id else "No origin", False) for c in m.councils]
    return (
        _p(r.rules["matrix"])
        + _p(
            f"{candidates} of {len(m.rows)} capabilities are candidates. 'No origin': procured by the new council, "
            "or origin not recorded."
        )
        + _table([("Capability", False), *headers], rows, len(m.rows), "capabilities")
    )


def _candidates(r: RationalisationReport, link: Link) -> str:
    if not r.candidates:
        return _none("No candidates.")
    rows = [
        "<tr>"
        + _td(str(c.rank), True)
        + _td(link(A, c.application.id))
        + _td(link(ORG, c.application.origin) if c.application.origin else "")
        + _td("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in c.reasons) + "</ul>")
        + _td(
            (link(A, c.target) + f'<br><span class="ea-sub">{esc(c.target_basis or "")}</span>')
            if c.target
            else '<span class="ea-sub">none yet</span>'
        )
        + _td(_saving(c), True, sort=c.saving if c.saving is not None else "")
        + _td(_when(c))
        + _td("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in c.unknowns) + "</ul>" if c.unknowns else "")
        + "</tr>"
        for c in r.candidates[:ROWS_SHOWN]
    ]
    return _p(r.rules["candidates"]) + _table(
        [
            ("Rank", True),
            ("Application", False),
            ("Origin", False),
            ("Reasons", False),
            ("Target", False),
            ("Annual saving", True),
            ("When it can be saved", False),
            ("Not known", False),
        ],
        rows,
        len(r.candidates),
        "candidates",
        sortable=True,
    )


def _saving(c: object) -> str:
    """The saving, and net of added and one-off costs where those are recorded."""
    from generator.analysis.rationalisation import Candidate

    assert isinstance(c, Candidate)
    if c.saving is None:
        return '<span class="ea-sub">unknown: no cost recorded</span>'
    out = esc(_money(c.saving))
    if c.added_cost is not None:
        out += f'<br><span class="ea-sub">less {esc(_money(c.added_cost))} a year for the target:</span> ' + esc(
            _money(c.net_saving)
        )
    if c.migration_cost is not None:
        out += (
            f'<br><span class="ea-sub">first year, after {esc(_money(c.migration_cost))} one-off:</span> '
            + esc(_money(c.first_year_saving))
        )
    return out


def _when(c: object) -> str:
    """The contract's decision date and status, in words."""
    from generator.analysis.rationalisation import Candidate

    assert isinstance(c, Candidate)
    if c.realisable == "not this term":
        text = (
            f"Not this term: the notice date passed on {_date(c.decision_date)}; "
            f"the contract runs to {_date(c.contract_end)}."
        )
    elif c.realisable == "at contract end":
        text = f"From {_date(c.contract_end)}, if notice is given by {_date(c.decision_date)}."
    elif c.contract_status == "ended":
        text = f"Now: the contract ended on {_date(c.contract_end)}."
    elif c.realisable == "now":
        text = "Now: no supplier contract."
    else:
        text = "Unknown: no contract end date recorded."
    badge = _STATUS_CSS.get(c.contract_status)
    mark = f'<span class="ea-badge {badge}">{esc(c.contract_status)}</span> ' if badge else ""
    return mark + esc(text)


_STATUS_CSS = {
    "ended": "ea-disposition-eliminate",
    "notice passed": "ea-disposition-eliminate",
    "notice due": "ea-disposition-migrate",
    "upcoming": "ea-disposition-tolerate",
}


def _contracts(r: RationalisationReport, link: Link) -> str:
    if not r.contracts:
        return _none("No contract ends in the next 24 months.")
    rows = [
        "<tr>"
        + _td(esc(_day(e.decision_date)), sort=e.decision_date.isoformat() if e.decision_date else "")
        + _td(f'<span class="ea-badge {_STATUS_CSS[e.status]}">{esc(e.status)}</span>')
        + _td(link(A, e.application))
        + _td(esc(_day(e.end)), sort=e.end.isoformat() if e.end else "")
        + _td(esc(_num(e.notice_months)) if e.notice_months else '<span class="ea-sub">not recorded</span>', True)
        + _td(esc(e.reference or ""))
        + _td(esc(_money(e.annual_cost)), True, sort=e.annual_cost if e.annual_cost is not None else "")
        + "</tr>"
        for e in r.contracts[:ROWS_SHOWN]
    ]
    return _p(f"As of {_date(r.today)}. " + r.rules["contracts"]) + _table(
        [
            ("Decision date", False),
            ("Status", False),
            ("Application", False),
            ("Contract end", False),
            ("Notice (months)", True),
            ("Reference", False),
            ("Annual cost", True),
        ],
        rows,
        len(r.contracts),
        "contracts",
        sortable=True,
    )


def _data_centre(r: RationalisationReport, link: Link) -> str:
    if not r.data_centre:
        return _none("No running application is on premises or in the council's own data centre.")
    rows = []
    groups: dict[tuple[str, str], list[int]] = {}
    for i, d in enumerate(r.data_centre[:ROWS_SHOWN]):
        groups.setdefault((d.building, d.owner), []).append(i)
    building = None
    for (where, owner), indexes in groups.items():
        if where != building:
            building = where
            rows.append(f'<tr class="ea-group"><th colspan="6"><strong>{esc(_BUILDINGS[where])}</strong></th></tr>')
        for n, i in enumerate(indexes):
            d = r.data_centre[i]
            lead = _td(link(ORG, owner), rowspan=len(indexes)) if n == 0 else ""
            users = _links(link, A, d.dependents) or '<span class="ea-sub">nothing recorded</span>'
            more = len(d.all_dependents) - len(d.dependents)
            if more > 0:
                users += f'<br><span class="ea-sub">and {more} more through them:</span><ul>' + "".join(
                    "<li>" + " → ".join(link(A, x) for x in path) + "</li>" for path in d.paths.values()
                ) + "</ul>"
            rows.append(
                "<tr>"
                + lead
                + _td(link(A, d.application.id))
                + _td(esc(d.why))
                + _td(esc(" · ".join(x for x in (d.application.lifecycle, d.application.disposition) if x)))
                + _td(link(A, d.replaced_by) if d.replaced_by else "")
                + _td(users)
                + "</tr>"
            )
    return _p(r.rules["data_centre"]) + _table(
        [
            ("Service area", False),
            ("Application", False),
            ("Why", False),
            ("Lifecycle · TIME", False),
            ("Replaced by", False),
            ("Depends on it", False),
        ],
        rows,
        len(r.data_centre),
        "applications",
    )


_BUILDINGS = {
    "council": "In the council's own data centres",
    "elsewhere": "On premises in a partner's or a supplier's building",
    "not recorded": "On premises, building not recorded",
}


def _costs(r: RationalisationReport, link: Link) -> str:
    rows = [
        f'<tr class="ea-level-{c.level}">'
        + _td(("&nbsp;&nbsp;&nbsp;&nbsp;" * (c.level - 1)) + link(C, c.capability))
        + _td(esc(_num(len(c.applications))), True)
        + _td(esc(_money(c.cost)), True)
        + _td(
            f"<strong>{esc(_money(c.rolled_up_cost))}</strong>" if c.level == 1 else esc(_money(c.rolled_up_cost)), True
        )
        + _td(esc(_num(c.costs_missing)) if c.costs_missing else "", True)
        + "</tr>"
        for c in r.costs[:ROWS_SHOWN]
    ]
    if not rows:
        return _none("No capabilities.")
    return _p(r.rules["cost_sharing"] + " " + r.rules["running"] + " " + r.rules["rounding"]) + _table(
        [
            ("Capability", False),
            ("Applications", True),
            ("Own cost", True),
            ("With sub-capabilities", True),
            ("Costs not recorded", True),
        ],
        rows,
        len(r.costs),
        "capabilities",
    )


# --- sustainability -----------------------------------------------------------------------------------------------


def sustainability_page(r: SustainabilityReport, link: Link, scheme_href: str = "", downloads: str = "") -> str:
    """The body of the Sustainability report page."""
    if r.scheme is None:
        return block(_none("There is no sustainability scheme (architecture/sustainability.md), so nothing is rated."))
    scheme = f'<a href="{esc(scheme_href)}">{esc(r.scheme)}</a>' if scheme_href else esc(r.scheme)
    intro = (
        f"<p>Ratings from the scheme {scheme}, as of {esc(_date(r.today))}. {esc(r.rules['score'])}</p>"
        + _p(r.rules["scope"] + " " + r.rules["stale"])
        + _p(r.rules["rounding"])
        + downloads
    )
    parts = ["\n## The worst systems for the climate, and why\n", block(_worst(r, link)), "\n## About these ratings\n"]
    parts += [block(intro), "\n## Distribution\n", block(_distribution(r))]
    shown = min(len(r.improvements), IMPROVEMENTS_SHOWN)
    parts += ["\n## Improvements\n"]
    parts += [block(_fold(f"The {shown} largest improvements", len(r.improvements), _improvements(r, link)))]
    areas, caps = r.by_service_area, r.by_capability
    parts += ["\n## Average by service area\n"]
    parts += [
        block(_fold(f"All {len(areas)} service areas", len(areas), _averages(areas, ORG, link, r.rules["averages"])))
    ]
    parts += ["\n## Average by capability\n"]
    parts += [block(_fold(f"All {len(caps)} capabilities", len(caps), _averages(caps, C, link, r.rules["averages"])))]
    parts += ["\n## Every rating and the points behind it\n"]
    parts += [
        block(
            _fold(
                f"All {len(r.ratings)} applications, each criterion's points", len(r.ratings), _ratings(r.ratings, link)
            )
        )
    ]
    if r.notes:
        parts += ["\n## Notes\n", block("<ul>" + "".join(f"<li>{esc(n)}</li>" for n in r.notes) + "</ul>")]
    return "".join(parts)


#: how many of the lowest-scoring systems open the Sustainability report
WORST_SHOWN = 3


def _worst(r: SustainabilityReport, link: Link) -> str:
    """The page's answer to "what is our worst system for the climate, and
    why?": the lowest scores, each with the criteria that cost it the most."""
    scored = [x for x in r.ratings if x.score is not None and x.rating]
    if not scored:
        return _none("No application has a rating yet.")
    worst = sorted(scored, key=lambda x: (x.score, x.name.casefold(), x.application))[:WORST_SHOWN]
    items = []
    for x in worst:
        lost = sorted(
            (c for c in x.criteria if c.applies and c.weighted < c.weighted_max),
            key=lambda c: (-(c.weighted_max - c.weighted), c.name),
        )[:3]
        why = "; ".join(
            f"{c.name}: {_fact(c.value, c.fact)} ({_num(c.points)} of {_num(c.max_points)})"
            for c in lost
        )
        reason = f" It loses most on {why}." if why else ""
        items.append(
            f"<li><strong>{link(A, x.application)}</strong>: {_band(x.rating)} "
            f"{esc(f'{_num(x.score)} out of 100.{reason}')}</li>"
        )
    lead = f"Of {len(scored)} rated applications, the lowest scores:"
    return f'<p class="ea-answer">{esc(lead)}</p><ol class="ea-answer-list">{"".join(items)}</ol>'


def _distribution(r: SustainabilityReport) -> str:
    total = sum(b.count for b in r.distribution) or 1
    rows = [
        "<tr>"
        + _td(_band(b.rating) if b.min_score is not None else esc(b.rating))
        + _td(esc(_num(b.min_score)), True)
        + _td(esc(b.meaning or ""))
        + _td(esc(_num(b.count)), True)
        + _td(f"{100 * b.count / total:.0f}%", True)
        + "</tr>"
        for b in r.distribution
    ]
    return _table(
        [("Rating", False), ("From score", True), ("Meaning", False), ("Applications", True), ("Share", True)], rows
    )


def _improvements(r: SustainabilityReport, link: Link) -> str:
    if not r.improvements:
        return _none("Every rated application is at the top of each criterion.")
    shown = r.improvements[:IMPROVEMENTS_SHOWN]
    rows = [
        "<tr>"
        + _td(link(A, m.application))
        + _td(
            "<ul>"
            + "".join(
                f"<li>{esc(c.name)}: {esc(c.from_value or 'not recorded')} → <strong>{esc(c.to_value)}</strong>"
                + (' <span class="ea-sub">(the supplier)</span>' if c.actor == "supplier" else "")
                + "</li>"
                for c in m.changes
            )
            + "</ul>"
        )
        + _td(f"{_band(m.rating)} {esc(_num(m.score))} → {_band(m.new_rating)} {esc(_num(m.new_score))}")
        + _td(f"+{esc(_num(m.gain))}", True)
        + "</tr>"
        for m in shown
    ]
    more = len(r.improvements) - len(shown)
    tail = _p(f"{more} smaller improvements are in the downloads.") if more > 0 else ""
    return (
        _p(r.rules["improvements"])
        + _table([("Application", False), ("Change", False), ("Rating now → after", False), ("Gain", True)], rows)
        + tail
    )


def _averages(items: list[Average], kind: Kind, link: Link, rule: str) -> str:
    if not items:
        return _none("None.")
    rows = [
        "<tr>"
        + _td(("&nbsp;&nbsp;&nbsp;&nbsp;" * ((a.level or 1) - 1)) + link(kind, a.id))
        + _td(_band(a.rating) if a.rating else '<span class="ea-sub">none rated</span>')
        + _td(esc(_num(a.average)), True, sort=a.average if a.average is not None else "")
        + _td(esc(_num(a.rated)), True)
        + _td(esc(_num(a.unrated)) if a.unrated else "", True)
        + "</tr>"
        for a in items[:ROWS_SHOWN]
    ]
    label = "Capability" if kind is C else "Service area"
    return _p(rule) + _table(
        [(label, False), ("Rating", False), ("Average score", True), ("Rated", True), ("Not assessed", True)],
        rows,
        len(items),
        "rows",
        sortable=True,
    )


def _ratings(items: list[AppRating], link: Link) -> str:
    names = next(([c.name for c in x.criteria] for x in items if x.criteria), [])
    rows = []
    for x in items[:ROWS_SHOWN]:
        cells = []
        for c in x.criteria:
            if not c.applies:
                cells.append(_td('<span class="ea-sub">n/a</span>'))
            else:
                missing = '<span class="ea-sub">not recorded</span>'
                value = esc(_fact(c.value, c.fact)) if c.value is not None else missing
                cells.append(
                    _td(
                        f"{value}<br><strong>{esc(_num(c.points))}</strong>/{esc(_num(c.max_points))}"
                        f' <span class="ea-sub">×{esc(_num(c.weight))}</span>'
                    )
                )
        cells += [_td("")] * (len(names) - len(x.criteria))
        status = "" if x.status == "rated" else f'<br><span class="ea-sub">{esc(x.status)}</span>'
        rows.append(
            "<tr>"
            + _td(link(A, x.application))
            + _td(_band(x.rating) + status)
            + _td(esc(_num(x.score)), True)
            + "".join(cells)
            + "</tr>"
        )
    headers = [("Application", False), ("Rating", False), ("Score", True), *[(n, False) for n in names]]
    return _table(headers, rows, len(items), "applications", sortable=True)
