"""The four views, each a function from the catalog to a Graph.

Colours come from palettes that people with the common forms of colour
blindness can tell apart (Okabe and Ito's for categories; for counts and
ratings the same scales as the site's badges), and never carry meaning alone: every node
also says its disposition, lifecycle or count in words, and lifecycle is
also drawn as a shape.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection
from fractions import Fraction

from generator.analysis.ratings import Rating, band_of
from generator.catalog.catalog import Catalog
from generator.core.util import round_half_up
from generator.diagrams.graph import Edge as GEdge
from generator.diagrams.graph import Graph, LegendItem, Node
from generator.models.model import Application, Kind

VIEWS = ("context", "rationalisation", "estate", "heatmap")

#: TIME disposition -> fill: Okabe and Ito's hues, darkened until each fill
#: is at least 3:1 against the white page (WCAG 1.4.11) and alternating in
#: lightness, so they stay apart in greyscale; the same scale colours the
#: site's TIME badges (ea.css .ea-disposition-*). No decision is white: an
#: absence, drawn by the black outline every node has.
DISPOSITION_FILL = {
    "invest": "#0072B2",
    "tolerate": "#858585",
    "migrate": "#B8860B",
    "eliminate": "#A63A00",
    None: "#FFFFFF",
}
#: the label colour on each disposition fill (4.5:1 or more)
DISPOSITION_TEXT = {
    "invest": "#FFFFFF",
    "tolerate": "#000000",
    "migrate": "#000000",
    "eliminate": "#FFFFFF",
    None: "#000000",
}
#: lifecycle -> (shape, style)
LIFECYCLE_SHAPE = {
    "active": ("box", "filled,rounded"),
    "proposed": ("box", "filled,rounded,dashed"),
    "phase-out": ("octagon", "filled"),
    "retired": ("box", "filled,dotted"),
}
#: one colour scale per measure, the same on the site's badges and tiles
#: (ea.css: .ea-heat-N and .ea-rating-X) as on the heat maps; white text on
#: each fill is at least 4.9:1, and every tile also says its number in words
COUNT_RAMP = (
    (0, "#B91C1C", "#FFFFFF"),  # none: a gap
    (1, "#15803D", "#FFFFFF"),
    (2, "#4D7C0F", "#FFFFFF"),
    (3, "#C2410C", "#FFFFFF"),  # three or more: worth a look for rationalisation
)
RATING_FILL = {
    "A": ("#15803D", "#FFFFFF"),
    "B": ("#4D7C0F", "#FFFFFF"),
    "C": ("#A16207", "#FFFFFF"),
    "D": ("#C2410C", "#FFFFFF"),
    "E": ("#B91C1C", "#FFFFFF"),
}


def _app_node(catalog: Catalog, app_id: str, cluster: str | None = None, centre: bool = False) -> Node:
    app: Application = catalog.applications[app_id]
    shape, style = LIFECYCLE_SHAPE.get(app.lifecycle, ("box", "filled"))
    words = [app.lifecycle]
    if app.disposition:
        words.insert(0, app.disposition)
    label = f"{app.name}\n{' · '.join(words)}"
    vendor = catalog.vendors.get(app.vendor) if app.vendor else None
    supplier = f"{vendor.name}" + (f" {app.product}" if app.product else "") if vendor else "in-house"
    tooltip = f"{app.name} ({supplier}); {', '.join(words)}"
    return Node(
        id=f"application:{app_id}",
        label=label,
        kind="application",
        entity=app_id,
        cluster=cluster,
        fill=DISPOSITION_FILL.get(app.disposition, "#FFFFFF"),
        fontcolor=DISPOSITION_TEXT.get(app.disposition, "#000000"),
        shape=shape,
        style=style,
        tooltip=tooltip,
        penwidth=2.5 if centre else 1.0,
    )


def _disposition_legend() -> list[LegendItem]:
    items = [LegendItem(f"{d}", DISPOSITION_FILL[d]) for d in ("invest", "tolerate", "migrate", "eliminate")]
    items.append(LegendItem("no TIME decision", DISPOSITION_FILL[None]))
    items += [
        LegendItem(f"{lc}", "#FFFFFF", *LIFECYCLE_SHAPE[lc]) for lc in ("active", "proposed", "phase-out", "retired")
    ]
    return items


def context(catalog: Catalog, app_id: str, hops: int = 1) -> Graph:
    """An application, what it depends on and what depends on it, ``hops``
    steps out each way; edges read "depends on", labelled with the data."""
    if app_id not in catalog.applications:
        raise KeyError(app_id)
    name = catalog.applications[app_id].name
    graph = Graph(name=f"context-{app_id}", title=f"Integrations of {name}")
    graph.add(_app_node(catalog, app_id, centre=True))
    for direction in ("out", "in"):
        frontier = {app_id}
        for _ in range(max(1, hops)):
            nxt = set()
            for current in sorted(frontier):
                if direction == "out":
                    edges = catalog.outgoing(Kind.APPLICATION, current, "depends_on")
                else:
                    edges = catalog.incoming(Kind.APPLICATION, current, "used_by")
                for e in edges:
                    other = e.target if direction == "out" else e.source
                    graph.add(_app_node(catalog, other))
                    graph.edges.add(
                        GEdge(
                            f"application:{e.source}",
                            f"application:{e.target}",
                            e.data or "",
                            tooltip=f"{e.source} depends on {e.target}" + (f": {e.data}" if e.data else ""),
                        )
                    )
                    nxt.add(other)
            frontier = nxt - {app_id}
    graph.legend = [
        LegendItem("A → B: A depends on B\n(label: the data)", "#FFFFFF", "plaintext", "solid"),
        *_disposition_legend(),
    ]
    if len(graph.nodes) == 1:
        graph.note = "No recorded integrations."
    return graph


#: levels of sub-capabilities a rationalisation diagram draws: every
#: capability page has one, so a hierarchy hundreds of levels deep would
#: otherwise draw a number of nodes that grows with the square of its depth
RATIONALISATION_LEVELS = 8


def _levels_below(catalog: Catalog, cap_id: str, levels: int) -> tuple[list[str], bool]:
    """The capability and its sub-capabilities down to ``levels`` below it
    (sorted after the capability itself), and whether any lie deeper."""
    found, frontier, seen = [], [cap_id], {cap_id}
    for _ in range(levels):
        next_level = []
        for c in frontier:
            for child in catalog.children(Kind.CAPABILITY, c):
                if child not in seen:
                    seen.add(child)
                    next_level.append(child)
        found.extend(next_level)
        frontier = next_level
    deeper = any(child not in seen for c in frontier for child in catalog.children(Kind.CAPABILITY, c))
    return [cap_id, *sorted(found)], deeper


def rationalisation(catalog: Catalog, cap_id: str) -> Graph:
    """A capability with its sub-capabilities and every application that
    supports them, grouped by the predecessor council that brought each."""
    if cap_id not in catalog.capabilities:
        raise KeyError(cap_id)
    cap = catalog.capabilities[cap_id]
    graph = Graph(name=f"rationalisation-{cap_id}", title=f"Applications supporting {cap.name}")
    caps, deeper = _levels_below(catalog, cap_id, RATIONALISATION_LEVELS)
    for c in caps:
        model = catalog.capabilities[c]
        graph.add(
            Node(
                id=f"capability:{c}",
                label=model.name,
                kind="capability",
                entity=c,
                fill="#FFF7E0",
                shape="component",
                style="filled",
                tooltip=f"Capability: {model.name}",
                penwidth=2.0 if c == cap_id else 1.0,
            )
        )
        if model.parent and model.parent in catalog.capabilities and c != cap_id:
            graph.edges.add(
                GEdge(f"capability:{model.parent}", f"capability:{c}", style="dashed", tooltip="made up of")
            )
    apps_seen = 0
    for c in caps:
        for edge in catalog.incoming(Kind.CAPABILITY, c, "supported_by"):
            app = catalog.applications[edge.source]
            origin = app.origin or ""
            cluster = f"origin:{origin}"
            graph.clusters[cluster] = (
                f"Brought by {catalog.organisations[origin].name}"
                if origin in catalog.organisations
                else "Procured by the new council"
                if not origin
                else f"Brought by {origin}"
            )
            graph.add(_app_node(catalog, edge.source, cluster=cluster))
            graph.edges.add(GEdge(f"application:{edge.source}", f"capability:{c}", tooltip="supports"))
            apps_seen += 1
    graph.legend = [LegendItem("capability", "#FFF7E0", "component", "filled"), *_disposition_legend()]
    if not apps_seen:
        graph.note = "No application supports this capability or any beneath it."
    if deeper:
        note = f"Sub-capabilities more than {RATIONALISATION_LEVELS} levels below are not drawn."
        graph.note = f"{graph.note} {note}".strip()
    graph.rankdir = "RL"
    return graph


def estate(catalog: Catalog, lifecycles: Collection[str] = ("active",)) -> Graph:
    """Every active application (or every one in ``lifecycles``: the
    ArchiMate export's view at a milestone draws those being phased out too,
    as still running) and the dependencies between them, clustered by the
    service area that owns each."""
    graph = Graph(name="estate", title="Estate integration map")
    active = {i for i, a in catalog.applications.items() if a.lifecycle in lifecycles}
    for app_id in sorted(active):
        owner = catalog.applications[app_id].owner
        cluster = f"owner:{owner}"
        graph.clusters[cluster] = catalog.organisations[owner].name if owner in catalog.organisations else owner
        graph.add(_app_node(catalog, app_id, cluster=cluster))
    for app_id in sorted(active):
        for e in catalog.outgoing(Kind.APPLICATION, app_id, "depends_on"):
            if e.target in active:
                graph.edges.add(
                    GEdge(
                        f"application:{app_id}",
                        f"application:{e.target}",
                        "",
                        tooltip=f"{app_id} depends on {e.target}" + (f": {e.data}" if e.data else ""),
                    )
                )
    graph.legend = [LegendItem("A → B: A depends on B", "#FFFFFF", "plaintext", "solid"), *_disposition_legend()]
    return graph


def heatmap(catalog: Catalog, ratings: dict[str, Rating] | None = None, metric: str = "applications") -> Graph:
    """Level-1 capabilities as blocks holding their level-2 children, coloured
    by the number of active applications (rolled up), or by their average
    sustainability score when ``metric`` is "sustainability"."""
    if metric not in ("applications", "sustainability"):
        raise ValueError(f"unknown heat map metric {metric!r}: use applications or sustainability")
    ratings = ratings or {}
    graph = Graph(name=f"heatmap-{metric}", title="Capability heat map", rankdir="TB")
    level1 = sorted(
        (i for i, c in catalog.capabilities.items() if not c.parent), key=lambda i: catalog.capabilities[i].name
    )
    for top in level1:
        cluster = f"cap:{top}"
        graph.clusters[cluster] = catalog.capabilities[top].name
        children = catalog.children(Kind.CAPABILITY, top) or [top]
        for child in children:
            graph.add(_heat_node(catalog, child, cluster, ratings, metric))
    # lay the level-1 blocks out in rows of four with invisible edges
    columns = 4
    firsts = []
    for top in level1:
        kids = sorted(n.id for n in graph.nodes.values() if n.cluster == f"cap:{top}")
        for a, b in itertools.pairwise(kids):
            graph.edges.add(GEdge(a, b, style="invis"))
        firsts.append((kids[0], kids[-1]))
    for i in range(columns, len(firsts)):
        graph.edges.add(GEdge(firsts[i - columns][1], firsts[i][0], style="invis"))
    if metric == "applications":
        graph.legend = [
            LegendItem(text, fill)
            for text, fill in (
                ("none (a gap)", COUNT_RAMP[0][1]),
                ("1", COUNT_RAMP[1][1]),
                ("2", COUNT_RAMP[2][1]),
                ("3 or more", COUNT_RAMP[3][1]),
            )
        ]
    else:
        graph.legend = [LegendItem(f"average rating {r}", fill) for r, (fill, _) in RATING_FILL.items()]
        graph.legend.append(LegendItem("no assessed application", "#FFFFFF"))
    return graph


def _heat_node(catalog: Catalog, cap_id: str, cluster: str, ratings: dict[str, Rating], metric: str) -> Node:
    cap = catalog.capabilities[cap_id]
    apps = [
        a for a in catalog.applications_for(cap_id, rolled_up=True) if catalog.applications[a].lifecycle == "active"
    ]
    if metric == "applications":
        count = len(apps)
        fill, font = next((f, t) for threshold, f, t in reversed(COUNT_RAMP) if count >= threshold)
        words = "gap: no active application" if count == 0 else f"{count} active application{'s' * (count != 1)}"
    else:
        scores = [ratings[a].exact for a in apps if a in ratings]  # exact: rounded once, for the label
        if scores and catalog.scheme is not None:
            average = sum(scores, Fraction(0)) / len(scores)
            band = band_of(catalog.scheme, average).rating
            fill, font = RATING_FILL.get(band, ("#FFFFFF", "#000000"))
            words = f"average {round_half_up(average, 0):.0f}/100: {band}"
        else:
            fill, font, words = "#FFFFFF", "#000000", "not assessed"
    return Node(
        id=f"capability:{cap_id}",
        label=f"{cap.name}\n{words}",
        kind="capability",
        entity=cap_id,
        cluster=cluster,
        fill=fill,
        fontcolor=font,
        shape="box",
        style="filled",
        tooltip=f"{cap.name}: {words}",
    )
