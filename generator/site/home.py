"""The home page: the estate at a glance for someone who is not an
architect, what needs attention soon, and where to go next."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from generator.core.findings import CODES, Finding, Severity
from generator.models.model import DISPOSITIONS, HOSTINGS, LIFECYCLES, Kind
from generator.site.context import SiteContext
from generator.site.entities import active_for
from generator.site.parts import block, meta, none, page
from generator.site.registers import NOT_ASSESSED, NOT_DECIDED, TITLES, rating_of
from generator.site.render import esc
from generator.site.text import (
    DISPOSITION_LABELS,
    DISPOSITION_MEANINGS,
    HOSTING_SHORT,
    LIFECYCLE_LABELS,
    LIFECYCLE_MEANINGS,
    add_months,
    long_date,
    money,
    number,
    plural,
)

DOC = "index.md"
#: findings listed per kind of warning before "and N more"
PER_GROUP = 10


def generate(ctx: SiteContext) -> Iterator[tuple[str, str]]:
    yield DOC, home_page(ctx)


def _cards(ctx: SiteContext) -> str:
    cards = []
    for kind in (Kind.APPLICATION, Kind.CAPABILITY, Kind.VENDOR, Kind.ORGANISATION):
        count = len(ctx.catalog.of(kind))
        href = esc(ctx.href(DOC, f"{ctx.doc(kind, 'index')}"))
        cards.append(
            f'<a class="ea-card" href="{href}"><strong>{esc(number(count))}</strong>'
            f"<span>{esc(TITLES[kind].lower())}</span></a>"
        )
    return f'<div class="ea-cards">{"".join(cards)}</div>'


def _breakdown(ctx: SiteContext, title: str, key: str, counts: Counter[str], order: list[tuple[str, str]]) -> str:
    """A table of counts with bars; each value links to the register filtered by it."""
    total = max(1, sum(counts.values()))
    register = ctx.href(DOC, "applications/index.md")
    rows = []
    for value, meaning in order:
        count = counts.get(value, 0)
        if not count:
            continue
        width = round(100 * count / total)
        tip = f' title="{esc(meaning)}"' if meaning else ""
        rows.append(
            f'<tr{tip}><td><a href="{esc(register)}?{esc(key)}={esc(value)}">{esc(value)}</a></td>'
            f'<td class="ea-num">{esc(number(count))}</td>'
            f'<td class="ea-barcell"><span class="ea-bar" style="width:{width}%"></span></td></tr>'
        )
    body = "\n".join(rows) or '<tr><td colspan="3">None</td></tr>'
    return (
        f'<table class="ea-table ea-breakdown"><thead><tr><th>{esc(title)}</th><th class="ea-num">Applications</th>'
        f'<th><span class="ea-hidden">Share</span></th></tr></thead><tbody>\n{body}\n</tbody></table>'
    )


def _glance(ctx: SiteContext) -> str:
    apps = ctx.catalog.applications
    lifecycle = Counter(LIFECYCLE_LABELS[a.lifecycle] for a in apps.values())
    disposition = Counter(DISPOSITION_LABELS[a.disposition] if a.disposition else NOT_DECIDED for a in apps.values())
    hosting = Counter(HOSTING_SHORT[a.hosting] for a in apps.values())
    rating = Counter(rating_of(ctx, i) for i in apps if apps[i].lifecycle != "retired")
    bands = (
        [(b.rating, b.meaning or "") for b in sorted(ctx.catalog.scheme.bands, key=lambda b: -b.min_score)]
        if (ctx.catalog.scheme)
        else []
    )
    tables = [
        _breakdown(
            ctx, "Lifecycle", "lifecycle", lifecycle, [(LIFECYCLE_LABELS[v], LIFECYCLE_MEANINGS[v]) for v in LIFECYCLES]
        ),
        _breakdown(
            ctx,
            "TIME disposition",
            "disposition",
            disposition,
            [(DISPOSITION_LABELS[v], DISPOSITION_MEANINGS[v]) for v in DISPOSITIONS] + [(NOT_DECIDED, "")],
        ),
        _breakdown(ctx, "Hosting", "hosting", hosting, [(HOSTING_SHORT[v], "") for v in HOSTINGS]),
        _breakdown(ctx, "Sustainability rating (not retired)", "rating", rating, [*bands, (NOT_ASSESSED, "")]),
    ]
    cost = sum(a.annual_cost or 0 for a in apps.values() if a.lifecycle != "retired")
    summary = (
        f"<p>{esc(plural(len(apps), 'application'))} in the repository; those not retired cost "
        f"{esc(money(cost))} a year where a cost is recorded. Select a value to see those applications.</p>"
    )
    return summary + f'<div class="ea-breakdowns">{"".join(tables)}</div>'


def _capabilities(ctx: SiteContext) -> str:
    caps = ctx.catalog.capabilities
    top = [c for c in ctx.sorted_ids(Kind.CAPABILITY) if not caps[c].parent or caps[c].parent not in caps]
    if not top:
        return none("No capabilities yet.")
    items = []
    for c in top:
        count = len(active_for(ctx, c, rolled_up=True))
        items.append(
            f'<li>{ctx.link(DOC, Kind.CAPABILITY, c)} <span class="ea-count" '
            f'title="{esc(plural(count, "active application"))}">{esc(number(count))}</span></li>'
        )
    more = (
        f'<p>See them all on the <a href="{esc(ctx.href(DOC, "capability-map.md"))}">capability map</a> '
        f'and in the <a href="{esc(ctx.href(DOC, "capability-hierarchy.md"))}">hierarchy</a>.</p>'
    )
    return f'<ul class="ea-columns">{"".join(items)}</ul>{more}'


def _contracts(ctx: SiteContext) -> str:
    until = add_months(ctx.today, 12)
    apps = ctx.catalog.applications
    due = [
        i
        for i, a in apps.items()
        if a.lifecycle != "retired" and a.contract and a.contract.end and ctx.today <= a.contract.end <= until
    ]
    due.sort(key=lambda i: (apps[i].contract.end, apps[i].name.casefold(), i))  # type: ignore[union-attr]
    intro = (
        f"{len(due)} contract{' ends' if len(due) == 1 else 's end'} between {long_date(ctx.today)} and "
        f"{long_date(until)}."
    )
    if not due:
        return f"<p>{esc(intro)}</p>"
    rows = []
    for i in due:
        app = apps[i]
        contract = app.contract
        assert contract is not None and contract.end is not None
        notice = ""
        if contract.notice_months is not None:
            by = add_months(contract.end, -contract.notice_months)
            notice = esc(long_date(by))
            if by < ctx.today:
                notice = f'<span class="ea-late">{notice} (passed)</span>'
        vendor = ctx.link(DOC, Kind.VENDOR, app.vendor) if app.vendor else ""
        cost = esc(money(app.annual_cost)) if app.annual_cost is not None else ""
        rows.append(
            f"<tr><td>{ctx.link(DOC, Kind.APPLICATION, i)}</td><td>{vendor}</td>"
            f'<td data-sort="{contract.end.isoformat()}">{esc(long_date(contract.end))}</td><td>{notice}</td>'
            f'<td class="ea-num">{cost}</td></tr>'
        )
    return (
        f"<p>{esc(intro)}</p>"
        '<div class="ea-table-wrap"><table class="ea-table"><thead><tr><th>Application</th><th>Vendor</th>'
        '<th>Contract ends</th><th>Notice must be given by</th><th class="ea-num">Annual cost</th></tr></thead>'
        "<tbody>\n" + "\n".join(rows) + "\n</tbody></table></div>"
    )


def _warnings(ctx: SiteContext) -> str:
    warnings = [f for f in ctx.findings if f.severity is Severity.WARNING]
    if not warnings:
        return "<p>Validation found nothing to check.</p>"
    groups: dict[str, list[Finding]] = {}
    for f in warnings:
        groups.setdefault(f.code, []).append(f)
    out = [
        f"<p>Validation of the repository found {esc(plural(len(warnings), 'warning'))}. They do not stop the site "
        "being published, but each is worth a look. Run <code>ea validate</code> for the full list.</p>"
    ]
    for code in sorted(groups):
        items = groups[code]
        title = CODES[code].title
        lis = []
        for f in items[:PER_GROUP]:
            doc = ctx.pages.get(f.path)
            where = f'<a href="{esc(ctx.href(DOC, doc))}">{esc(f.path)}</a>' if doc else f"<code>{esc(f.path)}</code>"
            line = f" (line {f.line})" if f.line else ""
            lis.append(f"<li>{where}{line}: {esc(f.message)}</li>")
        more = (
            f'<p class="ea-more">and {esc(number(len(items) - PER_GROUP))} more.</p>' if len(items) > PER_GROUP else ""
        )
        out.append(
            f'<div class="ea-finding-group"><h3>{esc(title[:1].upper() + title[1:])} '
            f'<span class="ea-count">{esc(number(len(items)))}</span> <code>{esc(code)}</code></h3>'
            f"<ul>{''.join(lis)}</ul>{more}</div>"
        )
    return "\n".join(out)


def _getting_started(ctx: SiteContext) -> str:
    """A new repository's home page: no empty tables, but what to add first,
    in the order the parts depend on each other."""
    steps = [
        (Kind.ORGANISATION, "the council's directorates, services and teams, who own everything else"),
        (Kind.CAPABILITY, "what the council does, such as deciding planning applications"),
        (Kind.VENDOR, "the suppliers of the council's systems"),
        (Kind.APPLICATION, "the systems themselves, each linked to what it supports, who owns it and who supplies it"),
    ]
    items = "".join(
        f"<li><strong>{esc(TITLES[kind])}</strong>: {esc(what)}"
        f"{' (done)' if ctx.catalog.of(kind) else ''}</li>"
        for kind, what in steps
    )
    return (
        "<p>No applications have been added to this repository yet, so there is nothing to summarise. "
        "The enterprise architecture team adds content in this order:</p>"
        f"<ol>{items}</ol>"
        "<p>Each part appears on this site as soon as it is added.</p>"
    )


def home_page(ctx: SiteContext) -> str:
    intro = (
        '<div class="ea-head"><h1>Our applications and capabilities</h1>'
        '<p class="ea-intro">What the council does (capabilities), the systems that support it (applications), '
        "who supplies them (vendors) and who owns them (organisation units), kept by the enterprise architecture "
        "team in one repository. Use the search, or start from a register.</p></div>"
    )
    if not ctx.catalog.of(Kind.APPLICATION):
        return page(meta("Home"), block(intro + _cards(ctx)), "\n## Getting started\n", block(_getting_started(ctx)))
    return page(
        meta("Home"),
        block(intro + _cards(ctx)),
        "\n## Applications at a glance\n",
        block(_glance(ctx)),
        "\n## Capabilities\n",
        block(_capabilities(ctx)),
        "\n## Contracts ending in the next 12 months\n",
        block(_contracts(ctx)),
        "\n## For architects: things to check\n",
        block(_warnings(ctx)),
    )
