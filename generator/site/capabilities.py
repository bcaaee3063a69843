"""The capability hierarchy as a tree people open and close, and the
capability map: level-1 capabilities as blocks with their children and
the number of active applications supporting each."""

from __future__ import annotations

from collections.abc import Iterator

from generator.models.model import Kind
from generator.site.context import SiteContext
from generator.site.entities import active_for
from generator.site.parts import block, diagram, meta, none, page
from generator.site.render import esc
from generator.site.text import number, plural

TREE_DOC = "capability-hierarchy.md"
MAP_DOC = "capability-map.md"


def generate(ctx: SiteContext) -> Iterator[tuple[str, str]]:
    yield TREE_DOC, tree_page(ctx)
    yield MAP_DOC, map_page(ctx)


def _top(ctx: SiteContext) -> list[str]:
    caps = ctx.catalog.capabilities
    return [c for c in ctx.sorted_ids(Kind.CAPABILITY) if not caps[c].parent or caps[c].parent not in caps]


def _children(ctx: SiteContext, cap_id: str) -> list[str]:
    caps = ctx.catalog.capabilities
    return sorted(ctx.catalog.children(Kind.CAPABILITY, cap_id), key=lambda c: (caps[c].name.casefold(), c))


def _count_title(count: int) -> str:
    return f"{plural(count, 'active application')}, including those of its sub-capabilities"


def _heat(count: int) -> int:
    """0 none (a gap), 1 one, 2 two, 3 three or more (worth rationalising)."""
    return min(count, 3)


def tree_page(ctx: SiteContext) -> str:
    def label(cap_id: str) -> str:
        count = len(active_for(ctx, cap_id, rolled_up=True))
        return (
            f'{ctx.link(TREE_DOC, Kind.CAPABILITY, cap_id)} <span class="ea-count" title="{esc(_count_title(count))}">'
            f"{esc(number(count))}</span>"
        )

    def items(top: list[str]) -> str:
        """The nested list, made with a stack: a hierarchy hundreds of levels
        deep must not exhaust Python's recursion limit."""
        out: list[str] = []
        stack: list[tuple[str, int, bool]] = [(c, 1, False) for c in reversed(top)]
        while stack:
            cap_id, depth, closing = stack.pop()
            if closing:
                out.append("</ul></details></li>")
                continue
            if depth == 1 and out:
                out.append("\n")
            kids = _children(ctx, cap_id)
            if not kids:
                out.append(f'<li><span class="ea-leaf">{label(cap_id)}</span></li>')
                continue
            opened = " open" if depth == 1 else ""
            # the link stays outside the summary: a control inside a control is
            # announced as neither (WCAG 4.1.2); the summary names what it opens
            name = esc(ctx.name(Kind.CAPABILITY, cap_id))
            toggle = f'{esc(plural(len(kids), "sub-capability", "sub-capabilities"))}<span class="ea-hidden"> of {name}</span>'
            out.append(f'<li><span class="ea-node">{label(cap_id)}</span><details{opened}><summary>{toggle}</summary><ul>')
            stack.append((cap_id, depth, True))
            stack.extend((k, depth + 1, False) for k in reversed(kids))
        return "".join(out)

    top = _top(ctx)
    if not top:
        body = none("No capabilities yet.")
    else:
        body = (
            '<div class="ea-tree-tools" hidden><button type="button" data-ea-tree="open">Open all</button>'
            '<button type="button" data-ea-tree="close">Close all</button></div>\n'
            '<ul class="ea-tree">\n' + items(top) + "\n</ul>"
        )
    intro = (
        "<p>Every capability under its parent. The number after each name counts the active applications that "
        "support it or any capability below it.</p>"
    )
    return page(
        meta("Capability hierarchy", search={"exclude": True}),
        block(f'<div class="ea-head"><h1>Capability hierarchy</h1>{intro}</div>'),
        block(body),
    )


def map_page(ctx: SiteContext) -> str:
    blocks = []
    for cap_id in _top(ctx):
        count = len(active_for(ctx, cap_id, rolled_up=True))
        heat = " ea-heat-0" if count == 0 else ""
        items = []
        for child in _children(ctx, cap_id):
            n = len(active_for(ctx, child, rolled_up=True))
            li_class = ' class="ea-heat-0"' if n == 0 else ""
            items.append(
                f'<li{li_class}>{ctx.link(MAP_DOC, Kind.CAPABILITY, child)} <span class="ea-count ea-heat-{_heat(n)}"'
                f' title="{esc(_count_title(n))}">{esc(number(n))}</span></li>'
            )
        children = f"<ul>{''.join(items)}</ul>" if items else ""
        blocks.append(
            f'<section class="ea-map-block{heat}"><h2>{ctx.link(MAP_DOC, Kind.CAPABILITY, cap_id)} '
            f'<span class="ea-count" title="{esc(_count_title(count))}">{esc(number(count))}</span></h2>'
            f"{children}</section>"
        )
    legend = (
        '<p class="ea-legend">The number is the count of active applications supporting the capability or any '
        'capability below it: <span class="ea-count ea-heat-0">0</span> none (a gap), '
        '<span class="ea-count ea-heat-1">1</span> one, <span class="ea-count ea-heat-2">2</span> two, '
        '<span class="ea-count ea-heat-3">3</span> three or more (worth a look for rationalisation).</p>'
    )
    body = f'<div class="ea-map">{"".join(blocks)}</div>' if blocks else none("No capabilities yet.")
    return page(
        meta("Capability map", search={"exclude": True}, hide=["toc"]),
        block('<div class="ea-head"><h1>Capability map</h1></div>' + legend),
        block(body),
        "\n## Heat map\n",
        block(heat_maps(ctx)),
    )


def heat_maps(ctx: SiteContext) -> str:
    """The two heat maps (count of applications, average rating), one shown
    at a time: radio buttons switch between them with CSS alone."""
    counts = diagram(ctx, "heatmap-applications", "heatmap-applications")
    ratings = diagram(ctx, "heatmap-sustainability", "heatmap-sustainability")
    return (
        '<div class="ea-switch"><fieldset><legend>Colour the heat map by</legend>'
        '<input type="radio" name="ea-heat" id="ea-heat-apps" checked>'
        '<label for="ea-heat-apps">Number of active applications</label>'
        '<input type="radio" name="ea-heat" id="ea-heat-rating">'
        '<label for="ea-heat-rating">Average sustainability rating</label></fieldset>'
        f'<div class="ea-switch-panel ea-heat-apps">{counts}</div>'
        f'<div class="ea-switch-panel ea-heat-rating">{ratings}</div>'
        "</div>"
    )
