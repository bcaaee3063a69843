"""The roadmap pages: one per capability area (a timeline of each
application's phases with its contract end, notice date, the milestones and
its successor), the trajectory as charts, and a page per milestone with the
estate on that date and what breaks it.

Every figure comes from the one lifecycle rule (``generator.catalog.timeline``) and
the roadmap report, so the pages agree with ``ea report roadmap``. The SVG
is drawn here: plain shapes and text, fixed pixel sizes (text is never
scaled below 12 px; a wide timeline scrolls instead), every value escaped,
each chart with a title, a description and a table that says the same.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from generator.analysis.common import add_months, capability_path
from generator.analysis.roadmap import Point, RoadmapReport, roadmap_report
from generator.models.model import Application, Kind
from generator.checks.plan import in_own_data_centre, milestone_breaks
from generator.site.context import SiteContext
from generator.site.parts import block, head, meta, none, page
from generator.site.render import esc
from generator.site.text import LIFECYCLE_LABELS, LIFECYCLE_MEANINGS, long_date, money, number, plural
from generator.catalog.timeline import STARTS, lifecycle_at

ROADMAP_DOC = "roadmap/index.md"
A, C = Kind.APPLICATION, Kind.CAPABILITY

#: Drawing sizes, in CSS pixels. FONT is the smallest text drawn (>= 12).
FONT = 13
SMALL = 12
MONTH_PX = 16
ROW_PX = 46
BAR_PX = 16
MARGIN = 12
#: A white outline behind text, so a grid or milestone line never runs through a word.
HALO = ' stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke"'
#: At most this many applications are drawn on one timeline; the table lists all.
ROWS_DRAWN = 150
#: The timeline shows at least this many years from the start of this year, at most MAX_YEARS.
MIN_YEARS, MAX_YEARS = 3, 8

#: Fill and words of each phase on a timeline; colours pass 3:1 against white.
PHASES = {
    "proposed": ("#ffffff", "Planned"),
    "active": ("#1d70b8", "In use"),
    "phase-out": ("#b58105", "Being phased out"),
}


def _block(html: str) -> str:
    """A pass-through block in the roadmap's own wrapper (links underlined:
    colour is never the only cue)."""
    return block(f'<div class="ea-roadmap">{html}</div>')


def area_doc(area: str) -> str:
    return f"roadmap/{area}.md"


def milestone_doc(milestone: str) -> str:
    return f"roadmap/milestones/{milestone}.md"


def generate(ctx: SiteContext) -> Iterator[tuple[str, str]]:
    """The roadmap overview, a page per capability area and per milestone."""
    catalog = ctx.catalog
    report = roadmap_report(catalog, ctx.today)
    areas = _areas(ctx)
    yield ROADMAP_DOC, _index(ctx, report, areas)
    for area, apps in areas.items():
        yield area_doc(area), _area_page(ctx, area, apps)
    for m in report.milestones:
        yield milestone_doc(m.id), _milestone_page(ctx, m.id)


# --- which applications belong to an area -------------------------------------------------------------------------


def _areas(ctx: SiteContext) -> dict[str, list[str]]:
    """Level-1 capability -> applications on it or beneath it that run at
    some time from today (not retired today, or with a date still to come)."""
    catalog = ctx.catalog
    top: dict[str, str] = {}
    for cap in catalog.capabilities:
        top[cap] = capability_path(catalog, cap)[0]
    out: dict[str, set[str]] = {c: set() for c, cap in catalog.capabilities.items() if top[c] == c}
    for app_id, app in catalog.applications.items():
        if not _in_plan(app, ctx.today):
            continue
        for cap in app.capabilities:
            if cap in top:
                out[top[cap]].add(app_id)
    names = {a: catalog.applications[a].name.casefold() for a in catalog.applications}
    order = sorted(out, key=lambda c: (catalog.capabilities[c].name.casefold(), c))
    return {c: sorted(out[c], key=lambda a: (_first(catalog.applications[a]), names[a], a)) for c in order}


def _in_plan(app: Application, today: date) -> bool:
    if lifecycle_at(app, today) != "retired":
        return True
    return app.dates is not None and any((getattr(app.dates, n) or date.min) >= today for n, _ in STARTS)


def _first(app: Application) -> date:
    """Sort key: the date it goes or went live, else the earliest date known."""
    d = app.dates
    days = [x for x in ((d.live, d.phase_out, d.retire) if d else ()) if x is not None]
    return min(days, default=date.max)


# --- the timeline -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Window:
    start: date
    end: date

    def x(self, day: date) -> float:
        months = (day.year - self.start.year) * 12 + day.month - self.start.month + (day.day - 1) / 31
        return MARGIN + months * MONTH_PX

    @property
    def width(self) -> float:
        return self.x(self.end) + MARGIN

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end


def _window(ctx: SiteContext, apps: list[Application]) -> Window:
    """From the start of this quarter to 31 December of the plan's last year (at
    least MIN_YEARS, at most MAX_YEARS years), so every timeline reads alike."""
    today = ctx.today
    days = [m.date for m in ctx.catalog.milestones.values()]
    for app in apps:
        if app.dates:
            days += [x for x in (app.dates.live, app.dates.phase_out, app.dates.retire) if x]
        if app.contract and app.contract.end:
            days.append(app.contract.end)
    last = max((d.year for d in days if d >= today), default=today.year)
    years = min(max(last - today.year + 1, MIN_YEARS), MAX_YEARS)
    return Window(date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), date(today.year + years - 1, 12, 31))


def _segments(app: Application, w: Window) -> list[tuple[date, date, str]]:
    """(from, to, phase) across the window, one per change of phase."""
    cuts = sorted({w.start, *(d for d in _dates(app) if w.start < d <= w.end)})
    out = []
    for i, day in enumerate(cuts):
        end = cuts[i + 1] if i + 1 < len(cuts) else w.end
        phase = lifecycle_at(app, day)
        if phase in PHASES:
            out.append((day, end, phase))
    return out


def _dates(app: Application) -> list[date]:
    d = app.dates
    return [x for x in ((d.live, d.phase_out, d.retire) if d else ()) if x is not None]


def _notice(app: Application) -> date | None:
    c = app.contract
    if c is None or c.end is None or not c.notice_months:
        return None
    return add_months(c.end, -c.notice_months)


def _text(x: float, y: float, size: int, content: str) -> str:
    """Dark text with a white outline behind it, escaped."""
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="#0b0c0c"{HALO}>{esc(content)}</text>'


def _diamond(x: float, y: float, label: str) -> str:
    r = 7
    return (
        f'<path d="M{x:.1f} {y - r:.1f} L{x + r:.1f} {y:.1f} L{x:.1f} {y + r:.1f} L{x - r:.1f} {y:.1f} Z" '
        f'fill="#d4351c" stroke="#0b0c0c"><title>{esc(label)}</title></path>'
    )


def _triangle(x: float, y: float, label: str) -> str:
    r = 7
    return (
        f'<path d="M{x:.1f} {y - r:.1f} L{x + r:.1f} {y + r:.1f} L{x - r:.1f} {y + r:.1f} Z" '
        f'fill="#ffdd00" stroke="#0b0c0c"><title>{esc(label)}</title></path>'
    )


def _defs(uid: str) -> str:
    """A hatch for 'being phased out', so the phase reads without colour."""
    return (
        f'<defs><pattern id="{uid}-hatch" width="8" height="8" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="8" height="8" fill="#b58105"/>'
        '<line x1="0" y1="0" x2="0" y2="8" stroke="#ffffff" stroke-width="3"/></pattern></defs>'
    )


def _fill(phase: str, uid: str) -> str:
    return f"url(#{uid}-hatch)" if phase == "phase-out" else PHASES[phase][0]


def timeline_svg(ctx: SiteContext, uid: str, title: str, app_ids: list[str]) -> str:
    """The timeline of ``app_ids``: a row per application (its name, then a
    bar of its phases), contract ends (red diamonds), notice dates (yellow
    triangles), milestones (dashed lines, named at the top) and today."""
    catalog = ctx.catalog
    apps = [catalog.applications[a] for a in app_ids[:ROWS_DRAWN]]
    w = _window(ctx, apps)
    milestones = sorted(
        (m for m in catalog.milestones.values() if w.holds(m.date)), key=lambda m: (m.date, m.name.casefold())
    )
    axis_y = MARGIN + SMALL * 1.5 * len(milestones) + 8
    top = axis_y + FONT + 10
    height = top + ROW_PX * len(apps) + MARGIN
    width = w.width
    parts = [_defs(uid)]
    # years along the top, with light lines down the chart
    for year in range(w.start.year + (w.start.month > 1), w.end.year + 1):
        x = w.x(date(year, 1, 1))
        parts.append(
            f'<line x1="{x:.1f}" y1="{axis_y - 4:.1f}" x2="{x:.1f}" y2="{height - MARGIN:.1f}" stroke="#b1b4b6"/>'
        )
        parts.append(_text(x + 4, axis_y + FONT, FONT, str(year)))
    # milestones: a dashed line each, named in a band at the top
    for i, m in enumerate(milestones):
        x = w.x(m.date)
        y = MARGIN + SMALL * 1.5 * i + SMALL
        label = f"{m.name}, {long_date(m.date)}"
        anchor = "end" if x + len(label) * SMALL * 0.6 > width else "start"
        dx = -4 if anchor == "end" else 4
        parts.append(
            f'<line x1="{x:.1f}" y1="{y - SMALL:.1f}" x2="{x:.1f}" y2="{height - MARGIN:.1f}" stroke="#4c2c92" '
            'stroke-width="2" stroke-dasharray="6 4"/>'
        )
        parts.append(
            f'<text x="{x + dx:.1f}" y="{y:.1f}" font-size="{SMALL}" fill="#4c2c92" text-anchor="{anchor}"{HALO}>'
            f"{esc(label)}</text>"
        )
    if w.holds(ctx.today):
        x = w.x(ctx.today)
        parts.append(
            f'<line x1="{x:.1f}" y1="{axis_y - 4:.1f}" x2="{x:.1f}" y2="{height - MARGIN:.1f}" stroke="#0b0c0c" '
            'stroke-width="2"><title>Today</title></line>'
        )
    for row, app in enumerate(apps):
        y = top + ROW_PX * row
        name = app.name
        if app.replaced_by and app.replaced_by in catalog.applications:
            name += f" → replaced by {catalog.applications[app.replaced_by].name}"
        parts.append(_text(MARGIN, y + FONT, FONT, name))
        bar_y = y + FONT + 6
        for start, end, phase in _segments(app, w):
            x1, x2 = w.x(start), w.x(end)
            words = PHASES[phase][1]
            tip = f"{app.name}: {words.lower()} from {long_date(start)}" if start > w.start else f"{app.name}: {words}"
            parts.append(
                f'<rect x="{x1:.1f}" y="{bar_y:.1f}" width="{max(x2 - x1, 1):.1f}" height="{BAR_PX}" '
                f'fill="{_fill(phase, uid)}" stroke="#0b0c0c"><title>{esc(tip)}</title></rect>'
            )
        mid = bar_y + BAR_PX / 2
        notice = _notice(app)
        if notice is not None and w.holds(notice) and lifecycle_at(app, notice) != "retired":
            parts.append(_triangle(w.x(notice), mid, f"{app.name}: last day to give notice, {long_date(notice)}"))
        end = app.contract.end if app.contract else None
        if end is not None and w.holds(end) and lifecycle_at(app, end) != "retired":
            parts.append(_diamond(w.x(end), mid, f"{app.name}: contract ends {long_date(end)}"))
    desc = (
        f"{plural(len(apps), 'application')} from {long_date(w.start)} to {long_date(w.end)}. "
        "Each row is an application: a solid blue bar while it is in use, a hatched bar while it is being phased "
        "out, an outlined bar while it is planned and no bar once it is switched off. Red diamonds mark contract "
        "ends, yellow triangles the last day to give notice, dashed lines the milestones. The table below gives "
        "the same dates."
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ea-timeline" role="img" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" aria-labelledby="{uid}-title {uid}-desc" '
        f'font-family="Arial, Helvetica, sans-serif">'
        f'<title id="{uid}-title">{esc(title)}</title><desc id="{uid}-desc">{esc(desc)}</desc>'
        + "".join(parts)
        + "</svg>"
    )


def _legend(uid: str) -> str:
    """The key, in words and shapes (also readable without colour)."""
    items = [
        f'<svg width="28" height="16" aria-hidden="true" focusable="false"><rect x="1" y="1" width="26" height="14" '
        f'fill="{PHASES["active"][0]}" stroke="#0b0c0c"/></svg> In use',
        f'<svg width="28" height="16" aria-hidden="true" focusable="false">{_defs(uid + "-key")}<rect x="1" y="1" '
        f'width="26" height="14" fill="url(#{uid}-key-hatch)" stroke="#0b0c0c"/></svg> Being phased out',
        '<svg width="28" height="16" aria-hidden="true" focusable="false"><rect x="1" y="1" width="26" height="14" '
        'fill="#ffffff" stroke="#0b0c0c"/></svg> Planned',
        '<svg width="18" height="18" aria-hidden="true" focusable="false">'
        + _diamond(9, 9, "").replace("<title></title>", "")
        + "</svg> Contract ends",
        '<svg width="18" height="18" aria-hidden="true" focusable="false">'
        + _triangle(9, 9, "").replace("<title></title>", "")
        + "</svg> Last day to give notice",
        '<svg width="28" height="16" aria-hidden="true" focusable="false"><line x1="14" y1="0" x2="14" y2="16" '
        'stroke="#4c2c92" stroke-width="2" stroke-dasharray="6 4"/></svg> Milestone',
    ]
    return '<ul class="ea-roadmap-key">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


NOT_RECORDED = '<span class="ea-sub">not recorded</span>'


def _date_cell(day: date | None) -> str:
    return esc(long_date(day)) if day else '<span class="ea-sub">not planned</span>'


def _table(ctx: SiteContext, doc: str, app_ids: list[str]) -> str:
    catalog, today = ctx.catalog, ctx.today
    rows = []
    for a in app_ids:
        app = catalog.applications[a]
        d = app.dates
        now = lifecycle_at(app, today)
        end = app.contract.end if app.contract else None
        successor = ctx.link(doc, A, app.replaced_by) if app.replaced_by in catalog.applications else ""
        rows.append(
            "<tr>"
            f"<td>{ctx.link(doc, A, a)}</td>"
            f'<td><span title="{esc(LIFECYCLE_MEANINGS[now])}">{esc(LIFECYCLE_LABELS[now])}</span></td>'
            f"<td>{_date_cell(d.live if d else None)}</td>"
            f"<td>{_date_cell(d.phase_out if d else None)}</td>"
            f"<td>{_date_cell(d.retire if d else None)}</td>"
            f"<td>{esc(long_date(end)) if end else NOT_RECORDED}</td>"
            f"<td>{esc(long_date(n)) if (n := _notice(app)) else ''}</td>"
            f"<td>{successor}</td>"
            "</tr>"
        )
    head_ = "".join(
        f"<th>{h}</th>"
        for h in (
            "Application",
            "Today",
            "Goes live",
            "Phase-out starts",
            "Switched off",
            "Contract ends",
            "Last day to give notice",
            "Replaced by",
        )
    )
    return (
        f'<div class="ea-table-wrap" data-search-exclude><table class="ea-table"><thead><tr>{head_}</tr></thead>'
        f"<tbody>\n" + "\n".join(rows) + "\n</tbody></table></div>"
    )


def _area_page(ctx: SiteContext, area: str, app_ids: list[str]) -> str:
    doc = area_doc(area)
    cap = ctx.catalog.capabilities[area]
    title = f"Roadmap: {cap.name}"
    if not app_ids:
        body = none("No application supports this area now or in the plan.")
        return page(meta(title), head(ctx, "Roadmap", title), _block(body))
    uid = f"tl-{area}"
    intro = (
        f"<p>What the plan does to the systems behind {ctx.link(doc, C, area)}, from today "
        f"({esc(long_date(ctx.today))}). Scroll sideways on a small screen. "
        f'<a href="{esc(ctx.href(doc, ROADMAP_DOC))}">All areas, the milestones and the trajectory</a>.</p>'
    )
    drawn = len(app_ids[:ROWS_DRAWN])
    more = (
        f"<p>The first {drawn} of {len(app_ids)} applications are drawn; the table lists them all.</p>"
        if drawn < len(app_ids)
        else ""
    )
    svg = timeline_svg(ctx, uid, f"Timeline of the applications in {cap.name}", app_ids)
    return page(
        meta(title),
        head(ctx, "Roadmap", title),
        _block(intro),
        "\n## Timeline\n",
        _block(_legend(uid) + f'<div class="ea-timeline-wrap" data-search-exclude>{svg}</div>' + more),
        "\n## Dates in the plan\n",
        _block(_table(ctx, doc, app_ids)),
    )


# --- the overview and the trajectory ------------------------------------------------------------------------------

#: (field of a trajectory point, chart title, how a value reads)
MEASURES = (
    ("running", "Applications running", lambda v: number(v)),
    ("overlaps", "Capabilities with more than one application in use", lambda v: number(v)),
    ("on_premises", "Applications on premises or in the council's own data centres", lambda v: number(v)),
    ("annual_cost", "Annual cost of the applications running", lambda v: money(v)),
    ("kgco2e", "Carbon a year, in kilograms of CO2 equivalent", lambda v: number(round(v))),
)


def chart_svg(uid: str, title: str, points: list[Point], field: str, show) -> str:  # type: ignore[no-untyped-def]
    """One measure by quarter as columns, each labelled with its value."""
    values = [float(getattr(p, field)) for p in points]
    top = max(values, default=0) or 1
    col, gap, plot_h = 64, 10, 150
    label_h = FONT + 8
    width = MARGIN * 2 + len(points) * (col + gap)
    height = MARGIN + label_h + plot_h + FONT * 2 + 16
    base = MARGIN + label_h + plot_h
    parts = [f'<line x1="{MARGIN}" y1="{base}" x2="{width - MARGIN}" y2="{base}" stroke="#0b0c0c"/>']
    for i, (p, v) in enumerate(zip(points, values, strict=True)):
        x = MARGIN + i * (col + gap)
        h = plot_h * v / top
        text = show(v)
        parts.append(
            f'<rect x="{x}" y="{base - h:.1f}" width="{col}" height="{h:.1f}" fill="#1d70b8">'
            f"<title>{esc(f'{long_date(p.date)}: {text}')}</title></rect>"
        )
        parts.append(
            f'<text x="{x + col / 2:.1f}" y="{base - h - 4:.1f}" font-size="{SMALL}" text-anchor="middle" '
            f'fill="#0b0c0c">{esc(text)}</text>'
        )
        quarter = f"{p.date.strftime('%b')} {p.date.year}"
        parts.append(
            f'<text x="{x + col / 2:.1f}" y="{base + FONT + 4:.1f}" font-size="{SMALL}" text-anchor="middle" '
            f'fill="#0b0c0c">{esc(quarter)}</text>'
        )
    first, last = points[0], points[-1]
    desc = (
        f"{title}: {show(values[0])} on {long_date(first.date)} and {show(values[-1])} on {long_date(last.date)}, "
        "by quarter. The table below gives every figure."
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ea-chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{uid}-title {uid}-desc" '
        f'font-family="Arial, Helvetica, sans-serif">'
        f'<title id="{uid}-title">{esc(title)}</title><desc id="{uid}-desc">{esc(desc)}</desc>'
        + "".join(parts)
        + "</svg>"
    )


def _trajectory(report: RoadmapReport) -> str:
    points = report.trajectory
    if not points:
        return none("No plan is recorded yet.")
    charts = []
    for field, title, show in MEASURES:
        charts.append(
            f"<h3>{esc(title)}</h3>"
            f'<div class="ea-timeline-wrap" data-search-exclude>{chart_svg(f"ch-{field}", title, points, field, show)}'
            "</div>"
        )
    head_ = "".join(f"<th>{esc(h)}</th>" for h in ("Date", *(t for _, t, _ in MEASURES), "Carbon figure covers"))
    rows = "\n".join(
        "<tr>"
        + f"<td>{esc(long_date(p.date))}</td>"
        + "".join(f'<td class="ea-num">{esc(show(float(getattr(p, f))))}</td>' for f, _, show in MEASURES)
        + f'<td class="ea-num">{esc(plural(p.kgco2e_covers, "application"))}, '
        + f"{esc(number(p.kgco2e_unknown))} unknown</td>"
        + "</tr>"
        for p in points
    )
    table = (
        '<div class="ea-table-wrap" data-search-exclude><table class="ea-table">'
        f"<caption>The trajectory by quarter, as the charts show it</caption><thead><tr>{head_}</tr></thead>"
        f"<tbody>\n{rows}\n</tbody></table></div>"
    )
    intro = (
        "<p>How the estate changes as the plan is carried out, at the start of each quarter. An application "
        "counts while it is in use or being phased out. Carbon adds up only the applications whose figure is "
        "known; the table says how many that is.</p>"
    )
    return intro + "".join(charts) + table


def _index(ctx: SiteContext, report: RoadmapReport, areas: dict[str, list[str]]) -> str:
    catalog = ctx.catalog
    area_items = "".join(
        f'<li><a href="{esc(ctx.href(ROADMAP_DOC, area_doc(a)))}">{esc(catalog.capabilities[a].name)}</a> '
        f'<span class="ea-sub">{esc(plural(len(apps), "application"))}</span></li>'
        for a, apps in areas.items()
    )
    ms = []
    for m in report.milestones:
        state = (
            f"the plan breaks it ({plural(len(m.breaks), 'application')})" if m.breaks else "the plan meets it"
        )
        ms.append(
            f"<li>{esc(long_date(m.date))}: "
            f'<a href="{esc(ctx.href(ROADMAP_DOC, milestone_doc(m.id)))}">{esc(m.name)}</a> '
            f'<span class="ea-sub">{esc(state)}</span></li>'
        )
    milestones = f"<ul>{''.join(ms)}</ul>" if ms else none("No milestones are recorded.")
    intro = (
        f"<p>The council's plan for its systems from today ({esc(long_date(ctx.today))}): when each goes live, "
        "is phased out and is switched off, against the contracts and the milestones the council has set.</p>"
    )
    return page(
        meta("Roadmap"),
        head(ctx, "Analysis", "Roadmap"),
        _block(intro),
        "\n## Capability areas\n",
        _block(f"<ul>{area_items}</ul>" if area_items else none("No capabilities.")),
        "\n## Milestones\n",
        _block(milestones),
        "\n## Trajectory\n",
        _block(_trajectory(report)),
    )


# --- a milestone --------------------------------------------------------------------------------------------------


def _break_text(app: Application, where: str) -> str:
    d = app.dates
    if where == "closes_data_centre":
        retire = d.retire if d else None
        place = "on premises" if app.hosting == "on-premises" else "in the council's own data centre"
        return f"still running {place}: " + (
            f"switched off on {long_date(retire)}" if retire else "no date to switch it off"
        )
    if where == "retired":
        retire = d.retire if d else None
        return "not switched off by then: " + (f"planned for {long_date(retire)}" if retire else "no date planned")
    live = d.live if d else None
    return "not live by then: " + (f"planned for {long_date(live)}" if live else "no go-live date")


def _milestone_page(ctx: SiteContext, milestone_id: str) -> str:
    catalog = ctx.catalog
    m = catalog.milestones[milestone_id]
    doc = milestone_doc(milestone_id)
    title = f"{m.name}, {long_date(m.date)}"
    asks = []
    if m.closes_data_centre:
        asks.append("no system may still run on premises or in the council's own data centres")
    if m.retired:
        asks.append("these must be switched off: " + ", ".join(ctx.link(doc, A, a) for a in m.retired))
    if m.live:
        asks.append("these must be live: " + ", ".join(ctx.link(doc, A, a) for a in m.live))
    breaks = milestone_breaks(m, catalog.applications)
    brk = (
        "<ul>"
        + "".join(
            f"<li>{ctx.link(doc, A, b.application)}: {esc(_break_text(catalog.applications[b.application], b.loc[0]))}"
            "</li>"
            for b in breaks
            if b.application in catalog.applications
        )
        + "</ul>"
        if breaks
        else '<p class="ea-none">Nothing: the plan meets this milestone.</p>'
    )
    running: dict[str, list[str]] = defaultdict(list)
    for app_id, app in catalog.applications.items():
        phase = lifecycle_at(app, m.date)
        if phase in ("active", "phase-out"):
            running[phase].append(app_id)
    on_prem = sum(1 for p in running.values() for a in p if in_own_data_centre(catalog.applications[a]))
    rows = []
    for phase in ("active", "phase-out"):
        for a in sorted(running[phase], key=lambda x: (catalog.applications[x].name.casefold(), x)):
            app = catalog.applications[a]
            where = "yes" if in_own_data_centre(app) else "no"
            rows.append(
                f"<tr><td>{ctx.link(doc, A, a)}</td><td>{esc(LIFECYCLE_LABELS[phase])}</td><td>{where}</td></tr>"
            )
    total = sum(len(p) for p in running.values())
    summary = (
        f"<p>On {esc(long_date(m.date))}, as the plan stands, {esc(plural(total, 'application'))} will be running "
        f"({esc(number(len(running['phase-out'])))} of them being phased out), "
        f"{esc(number(on_prem))} on premises or in the council's own data centres.</p>"
    )
    table = (
        '<div class="ea-table-wrap" data-search-exclude><table class="ea-table"><thead><tr><th>Application</th>'
        "<th>On that day</th><th>On premises or in a council data centre</th></tr></thead><tbody>\n"
        + "\n".join(rows)
        + "\n</tbody></table></div>"
    )
    return page(
        meta(title),
        head(ctx, "Milestone", title),
        _block(
            (f"<p>By this date {'; '.join(asks)}.</p>" if asks else "")
            + f'<p><a href="{esc(ctx.href(doc, ROADMAP_DOC))}">The roadmap</a></p>'
        ),
        "\n## What breaks it\n",
        _block(brk),
        "\n## What runs on that day\n",
        _block(summary + table),
    )


# --- carbon and the plan, for the application pages and the register ---------------------------------------------

#: The carbon figures of the last site built (one build at a time): worked out once, read by every page.
_CARBON: list[object] = [None, {}]

EVIDENCE_WORDS = {
    "reported": "reported by the supplier or the cloud provider",
    "measured": "from its measured energy use",
    "estimated": "estimated from the servers it runs on",
}


def carbon_figures(ctx: SiteContext) -> dict[str, tuple[float | None, str]]:
    """Application -> (kgCO2e a year rounded once to one decimal place, or
    None when unknown; the evidence), from the one carbon rule."""
    if _CARBON[0] is not ctx:
        from generator.analysis.carbon import carbon_all, kg

        figures = carbon_all(ctx.catalog)
        _CARBON[0] = ctx
        _CARBON[1] = {i: (kg(c.kgco2e), c.evidence) for i, c in figures.items()}
    return _CARBON[1]  # type: ignore[return-value]


def carbon_text(ctx: SiteContext, app_id: str) -> str:
    """'About 1,234.5 kg of CO2 equivalent a year (reported by the supplier ...)', escaped HTML."""
    value, evidence = carbon_figures(ctx).get(app_id, (None, "unknown"))
    if value is None:
        return esc("Not known: no reported figure, measured energy use or servers are recorded")
    return esc(f"About {number(value)} kg of CO2 equivalent a year ({EVIDENCE_WORDS.get(evidence, evidence)})")


def plan_text(ctx: SiteContext, app_id: str, from_doc: str) -> str:
    """The application's dates in words, with a link to its area's roadmap; '' without dates."""
    app = ctx.catalog.applications[app_id]
    d = app.dates
    if d is None:
        return ""
    steps = [
        (d.live, "goes live", "went live"),
        (d.phase_out, "starts being phased out", "started being phased out"),
        (d.retire, "is switched off", "was switched off"),
    ]
    said = [f"{past if day <= ctx.today else future} on {long_date(day)}" for day, future, past in steps if day]
    if not said:
        return ""
    text = esc("It " + ", ".join(said[:-1]) + (" and " if len(said) > 1 else "") + said[-1] + ".")
    areas = sorted(
        {capability_path(ctx.catalog, c)[0] for c in app.capabilities if c in ctx.catalog.capabilities},
        key=lambda c: (ctx.catalog.capabilities[c].name.casefold(), c),
    )
    roadmaps = ", ".join(
        f'<a href="{esc(ctx.href(from_doc, area_doc(a)))}">{esc(ctx.catalog.capabilities[a].name)}</a>' for a in areas
    )
    return text + (f" Roadmap: {roadmaps}." if roadmaps else "")


def carbon_section(ctx: SiteContext, doc: str) -> str:
    """The carbon part of the sustainability report: the estate's figure,
    what the data-centre exit saves, totals by hosting and service area,
    and the method with the council's factors and their sources."""
    from generator.analysis.carbon import carbon_all, carbon_totals
    from generator.models.carbon import factors
    from generator.site.text import HOSTING_LABELS

    catalog = ctx.catalog
    totals = carbon_totals(catalog, carbon_all(catalog))
    f = factors(catalog.scheme)
    e, dc = totals.estate, totals.data_centre_exit
    out = [
        f"<p>The running applications emit about <strong>{esc(number(e.kgco2e))} kg of CO2 equivalent a year"
        f"</strong>, counting the {esc(plural(e.applications, 'application'))} with a figure; "
        f"{esc(plural(e.unknown, 'application'))} {'has' if e.unknown == 1 else 'have'} none and "
        f"{'is' if e.unknown == 1 else 'are'} not counted, so this is a lower bound.</p>",
        f"<p>Closing the council's own data centres: the {esc(plural(dc.applications, 'application'))} in them emit "
        f"about {esc(number(dc.in_data_centres))} kg a year ({esc(number(dc.unknown))} more not known); the systems "
        f"replacing them about {esc(number(dc.successors))} kg, so the exit saves about "
        f"<strong>{esc(number(dc.saving))} kg a year</strong>.</p>",
    ]

    def table(label: str, rows: list[tuple[str, object]]) -> str:
        body = "\n".join(
            f"<tr><td>{name}</td><td class=\"ea-num\">{esc(number(t.kgco2e))}</td>"  # type: ignore[attr-defined]
            f'<td class="ea-num">{esc(number(t.applications))}</td>'  # type: ignore[attr-defined]
            f'<td class="ea-num">{esc(number(t.unknown))}</td></tr>'  # type: ignore[attr-defined]
            for name, t in rows
        )
        return (
            '<div class="ea-table-wrap" data-search-exclude><table class="ea-table"><thead><tr>'
            f'<th>{esc(label)}</th><th class="ea-num">kg of CO2 equivalent a year</th>'
            '<th class="ea-num">Applications counted</th>'
            f'<th class="ea-num">Not known</th></tr></thead><tbody>\n{body}\n</tbody></table></div>'
        )

    out.append("<h3>By hosting</h3>")
    out.append(table("Hosting", [(esc(HOSTING_LABELS.get(t.id, t.name)), t) for t in totals.by_hosting]))
    out.append("<h3>By service area</h3>")
    out.append(table("Service area", [(ctx.link(doc, Kind.ORGANISATION, t.id), t) for t in totals.by_service_area]))
    out.append("<h3>How the figures are worked out</h3>")
    method = (
        "<p>Each application's figure comes from the best evidence recorded, and the register says which: a "
        "figure reported by the supplier or a cloud provider's emissions dashboard; else its measured energy use, "
        "times the overhead of the building it runs in (power usage effectiveness) and the emissions of the "
        "grid's electricity; else the servers it runs on, each drawing its average power all year (8,760 hours), "
        "with the same overhead and grid figures. With none of these it is not known, and no figure is made up.</p>"
    )
    out.append(method)
    if f is None:
        out.append(none("The council has not recorded its carbon factors, so only reported figures are used."))
    else:
        pue = ", ".join(f"{HOSTING_LABELS[h]} {number(float(v))}" for h, v in f.pue.items())
        out.append(
            "<ul>"
            f"<li>Grid electricity: {esc(number(float(f.grid)))} kg of CO2 equivalent per kWh "
            f"(source: {esc(f.grid_source)}).</li>"
            f"<li>Building overhead (power usage effectiveness) by hosting: {esc(pue)}.</li>"
            f"<li>A server with no figure of its own draws {esc(number(float(f.server_watts)))} watts.</li>"
            "</ul>"
        )
    return "\n## Carbon\n" + _block("".join(out))
