"""Views for the ArchiMate export: the diagrams Archi users open a model for,
laid out by Graphviz as the site's diagrams are.

Four kinds of view, in this order, each with a fixed identifier so that two
exports of changed content differ only where the content did:

1. **Capability map** (``id-view-capability-map``): capabilities nested by
   level, each holding the applications (not retired) that support it
   directly; an application supporting three capabilities is drawn in each.
   Nesting stands for the Composition and Realization relationships, so the
   view draws no connections.
2. **Estate integration map** (``id-view-estate``): the site's estate diagram,
   active applications inside the organisation unit that owns each, with a
   connection for every integration between them.
3. **Integrations of <application>** (``id-view-context-<id>``), one per
   application by id: the site's context diagram of it.
4. **Estate at <milestone> (<date>)** (``id-view-milestone-<id>``), one per
   milestone by date then id: the estate integration map as the plan says it
   will be on that date (``timeline.catalog_as_of``, the one rule for a
   lifecycle at a date), with the applications still being phased out drawn
   too, as running. Of the maps, the estate map is the one a date changes
   most (the capability map only loses applications), and its connections
   show which integrations must have moved by then. The milestone itself is
   not an element: the view's name carries its name and date, and its
   documentation what the plan leaves undone (``plan.milestone_breaks``).

Every node refers to an element of the model and every connection to one of
its relationships (a dependency is the Serving or Flow relationship from the
dependency to the dependant, so the connection runs that way too). Bounds,
nesting and bendpoints come from the Graphviz layout, converted from points
(origin bottom left) to the exchange format's pixels (96 per inch, origin top
left, coordinates absolute, nested nodes too). No styles are written, so the
tool's own look applies. Container titles are laid out at the top, where
Archi writes a container's name (the site puts them at the bottom).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from lxml import etree

from generator.catalog.catalog import Catalog
from generator.catalog.timeline import RUNNING, catalog_as_of
from generator.checks.plan import milestone_breaks
from generator.core.errors import EaError
from generator.diagrams.dot import CLUSTER, FONT, GRAPH, quote, to_dot
from generator.diagrams.graph import Graph
from generator.diagrams.layout import Box, Layout, LayoutError, layout_many
from generator.diagrams.render import engine_for, require_dot
from generator.diagrams.views import context, estate
from generator.models.model import Kind

#: Pixels per point: the exchange format counts screen pixels (96 per inch), Graphviz points (72).
SCALE = 96 / 72
#: Capability hierarchies deeper than this are not drawn as a map (nested boxes that deep cannot be read).
MAX_DEPTH = 40
#: A bendpoint closer than this (pixels) to the straight line through its neighbours is left out.
STRAIGHT = 2.0

APP, CAP, ORG = Kind.APPLICATION, Kind.CAPABILITY, Kind.ORGANISATION

#: (source element, target element) -> [(relationship type, name, relationship identifier)], sorted
RelationshipIndex = dict[tuple[str, str], list[tuple[str, str, str]]]


@dataclass
class ViewNode:
    identifier: str
    element: str  # the identifier of the element it shows
    box: tuple[int, int, int, int] = (0, 0, 1, 1)  # x, y, w, h in pixels
    children: list[ViewNode] = field(default_factory=list)


@dataclass
class ViewConnection:
    identifier: str
    relationship: str
    source: str  # node identifiers
    target: str
    bendpoints: list[tuple[int, int]]


@dataclass
class View:
    identifier: str
    name: str
    documentation: str
    nodes: list[ViewNode]
    connections: list[ViewConnection]

    def count(self) -> tuple[int, int]:
        """(nodes, connections), nested nodes included."""
        stack, n = list(self.nodes), 0
        while stack:
            node = stack.pop()
            n += 1
            stack.extend(node.children)
        return n, len(self.connections)


@dataclass
class _Spec:
    """A view before layout: its DOT, and how DOT names map to elements."""

    identifier: str
    name: str
    documentation: str
    dot: str
    engine: str
    nodes: dict[str, str]  # DOT node name -> element identifier
    clusters: Callable[[Layout], dict[str, str]]  # DOT cluster name -> element identifier, once laid out
    edges: list[tuple[str, str, str, str]]  # (DOT tail, DOT head, label, relationship identifier), drawn head to tail


def build_views(
    catalog: Catalog, element_id: Callable[[Kind, str], str], relationships: RelationshipIndex
) -> tuple[list[View], list[str]]:
    """Every view of the export, laid out, and a note for each view that could
    not be drawn (left out). EaError when Graphviz is not installed."""
    try:
        require_dot()
    except EaError as exc:
        raise EaError(f"{exc}\nOr export the model without its views: ea export archimate --no-views") from exc
    specs: list[_Spec] = []
    notes: list[str] = []
    cap_map = _capability_map(catalog, element_id)
    if isinstance(cap_map, str):
        notes.append(cap_map)
    elif cap_map is not None:
        specs.append(cap_map)
    if any(a.lifecycle == "active" for a in catalog.applications.values()):
        specs.append(
            _graph_spec(
                "id-view-estate",
                "Estate integration map",
                "Active applications inside the organisation unit that owns each, and the integrations between "
                "them (the site's estate diagram).",
                estate(catalog),
                element_id,
                relationships,
                catalog,
                labelled=False,
            )
        )
    for app_id in sorted(catalog.applications):
        graph = context(catalog, app_id)
        specs.append(
            _graph_spec(
                f"id-view-context-{app_id}",
                graph.title,
                f"What {catalog.applications[app_id].name} depends on and what depends on it, one step each way "
                "(the site's integration diagram of it).",
                graph,
                element_id,
                relationships,
                catalog,
                labelled=True,
            )
        )
    specs += _milestone_specs(catalog, element_id, relationships)
    # the capability map is all nesting: never drawn by sfdp, which draws no boxes around groups
    nested = {s.identifier for s in specs if s.identifier == "id-view-capability-map"}
    layouts = layout_many({s.identifier: (s.dot, s.engine) for s in specs if s.identifier not in nested})
    layouts.update(
        layout_many({s.identifier: (s.dot, s.engine) for s in specs if s.identifier in nested}, fallback=False)
    )
    views = []
    for spec in specs:
        result = layouts[spec.identifier]
        if isinstance(result, LayoutError):
            notes.append(f"view '{spec.name}' left out: Graphviz could not lay it out ({result})")
            continue
        views.append(_view(spec, result))
    return views, notes


# --- what to draw --------------------------------------------------------------------------------------------------


def _graph_spec(
    identifier: str,
    name: str,
    documentation: str,
    graph: Graph,
    element_id: Callable[[Kind, str], str],
    relationships: RelationshipIndex,
    catalog: Catalog,
    *,
    labelled: bool,
) -> _Spec:
    """A view of one of the site's diagrams: applications as nodes, clusters
    (owning organisation units) as containers, dependencies as connections."""
    graph = replace(graph, legend=[], note="")  # the legend is the site's key to its colours; no element
    dot = _titles_on_top(to_dot(graph))
    nodes = {n.id: element_id(APP, n.entity) for n in graph.nodes.values() if n.kind == "application"}
    edges = []
    for e in sorted(graph.edges, key=lambda e: (e.source, e.target, e.label)):
        if e.style == "invis" or e.source not in nodes or e.target not in nodes:
            continue
        # "A depends on B" is drawn A -> B; the relationship runs from B (serving) to A. Where edges
        # are labelled with the data (context diagrams), a labelled edge is that Flow and an unlabelled
        # one the Serving; where they are not (the estate map), an edge stands for every Serving and
        # Flow between the two, drawn on the same route
        for kind, rel_name, ident in relationships.get((nodes[e.target], nodes[e.source]), []):
            if kind not in ("Serving", "Flow"):
                continue
            if not labelled or (kind, rel_name) == (("Flow", e.label) if e.label else ("Serving", "")):
                edges.append((e.source, e.target, _as_laid_out(e.label), ident))

    def clusters(laid: Layout) -> dict[str, str]:
        out = {}
        for cluster in laid.clusters.values():
            members = {graph.nodes[n].cluster for n in cluster.nodes if n in graph.nodes}
            if len(members) == 1:
                (owner_cluster,) = members
                if owner_cluster and owner_cluster.startswith("owner:"):
                    owner = owner_cluster.split(":", 1)[1]
                    if owner in catalog.organisations:
                        out[cluster.name] = element_id(ORG, owner)
        return out

    return _Spec(identifier, name, documentation, dot, engine_for(len(graph.nodes)), nodes, clusters, edges)


MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def day_text(day: date) -> str:
    """A date as staff read it ("30 June 2027"), whatever the locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _milestone_specs(
    catalog: Catalog, element_id: Callable[[Kind, str], str], relationships: RelationshipIndex
) -> list[_Spec]:
    """One estate map per milestone, by date then id: the applications the
    plan has running on that date (live, or being phased out), each in its
    lifecycle then as ``catalog_as_of`` gives it, inside the unit that owns
    it, with the integrations between them. A milestone with nothing running
    has no view."""
    specs = []
    for ms_id, milestone in sorted(catalog.milestones.items(), key=lambda m: (m[1].date, m[0])):
        then = catalog_as_of(catalog, milestone.date)
        if not any(a.lifecycle in RUNNING for a in then.applications.values()):
            continue
        when = day_text(milestone.date)
        breaks = milestone_breaks(milestone, catalog.applications)
        promise = (
            f" The plan leaves {len(breaks)} of this milestone's promises unmet: "
            + "; ".join(f"{catalog.applications[b.application].name} {b.reason}" for b in breaks)
            + "."
            if breaks
            else ""
        )
        specs.append(
            _graph_spec(
                f"id-view-milestone-{ms_id}",
                f"Estate at {milestone.name} ({when})",
                f"The estate as the plan says it will be on {when}: the applications running then (live, or being "
                f"phased out) inside the organisation unit that owns each, and the integrations between them."
                f"{promise}",
                estate(then, lifecycles=RUNNING),
                element_id,
                relationships,
                then,
                labelled=False,
            )
        )
    return specs


def _as_laid_out(label: str) -> str:
    """A label as Graphviz gives it back in its layout: the DOT string's
    escapes kept, except that of the double quote (so edges between the same
    two nodes are told apart by label, whatever characters the data has)."""
    return quote(label)[1:-1].replace('\\"', '"')


_CLUSTER_OPEN = re.compile(r'^(\s*subgraph "cluster_[^"\n]*" \{)$', re.MULTILINE)


def _titles_on_top(dot: str) -> str:
    """Lay each cluster out with its title at the top, where Archi writes a
    container's name (set first in the cluster, so anything the cluster
    itself says wins)."""
    return _CLUSTER_OPEN.sub(lambda m: m.group(1) + '\n        graph [labelloc="t"];', dot)


def _capability_map(catalog: Catalog, element_id: Callable[[Kind, str], str]) -> _Spec | str | None:
    """Capabilities nested by level with their applications, as DOT with
    nested clusters; a capability with nothing inside is a plain box. Items in
    a container are arranged in a grid about as wide as it is tall (invisible
    edges stack each row under the one above), so the map is not one long row."""
    if not catalog.capabilities:
        return None

    def key(kind: Kind, id_: str) -> tuple[str, str]:
        return (catalog.of(kind)[id_].name.casefold(), id_)

    children: dict[str, list[str]] = {c: [] for c in catalog.capabilities}
    roots = []
    for cap_id, cap in catalog.capabilities.items():
        if cap.parent in catalog.capabilities and cap.parent != cap_id:
            children[cap.parent].append(cap_id)
        else:
            roots.append(cap_id)
    apps: dict[str, list[str]] = {c: [] for c in catalog.capabilities}
    for app_id, app in catalog.applications.items():
        if app.lifecycle == "retired":
            continue
        for cap_id in dict.fromkeys(app.capabilities):
            if cap_id in apps:
                apps[cap_id].append(app_id)

    nodes: dict[str, str] = {}
    clusters: dict[str, str] = {}
    lines: list[str] = []
    invisible: list[tuple[str, str]] = []
    rows: list[list[str]] = []

    def item(cap_id: str, depth: int, indent: str) -> _Item:
        """Write one capability; returns where it starts and ends."""
        if depth > MAX_DEPTH:
            raise _TooDeep
        name = catalog.capabilities[cap_id].name
        inner_apps = sorted(apps[cap_id], key=lambda a: key(APP, a))
        inner_caps = sorted(children[cap_id], key=lambda c: key(CAP, c))
        if not inner_apps and not inner_caps:
            node = f"cap:{cap_id}"
            nodes[node] = element_id(CAP, cap_id)
            lines.append(f"{indent}{quote(node)} [label={quote(name)}];")
            return _Item((node,), node, 1)
        cluster = f"cluster_cap:{cap_id}"
        clusters[cluster] = element_id(CAP, cap_id)
        lines.append(f"{indent}subgraph {quote(cluster)} {{")
        lines.append(f"{indent}    graph [{_attrs({**CLUSTER, 'label': name, 'tooltip': name})}];")
        members: list[_Item] = []
        for app_id in inner_apps:
            node = f"app:{cap_id}:{app_id}"
            nodes[node] = element_id(APP, app_id)
            lines.append(f"{indent}    {quote(node)} [label={quote(catalog.applications[app_id].name)}];")
            members.append(_Item((node,), node, 1))
        for child in inner_caps:
            members.append(item(child, depth + 1, indent + "    "))
        lines.append(f"{indent}}}")
        return _grid(members, invisible, rows)

    try:
        root_items = [item(c, 1, "    ") for c in sorted(roots, key=lambda c: key(CAP, c))]
    except _TooDeep:
        return f"view 'Capability map' left out: the capability hierarchy is deeper than {MAX_DEPTH} levels"
    _grid(root_items, invisible, rows)
    # the site's node style, half an inch tall: room for Archi's type icon beside a one-line name
    node_attrs = {"fontname": FONT, "fontsize": "11", "margin": "0.12,0.06", "height": "0.5", "shape": "box"}
    head = [
        f"digraph {quote('capability-map')} {{",
        f"    graph [{_attrs({**GRAPH, 'rankdir': 'TB', 'labelloc': 't', 'tooltip': 'Capability map'})}];",
        f"    node [{_attrs(node_attrs)}];",
    ]
    tail = [f"    {quote(a)} -> {quote(b)} [style={quote('invis')}];" for a, b in invisible]
    tail += ["    {rank=same; " + "; ".join(quote(t) for t in row) + "}" for row in rows if len(row) > 1]
    dot = "\n".join([*head, *lines, *tail, "}"]) + "\n"
    return _Spec(
        "id-view-capability-map",
        "Capability map",
        "Capabilities nested by level, each holding the applications (not retired) that support it directly.",
        dot,
        "dot",
        nodes,
        lambda _laid: clusters,
        [],
    )


class _TooDeep(Exception):
    pass


def _attrs(pairs: dict[str, str]) -> str:
    return ", ".join(f"{k}={quote(str(v))}" for k, v in sorted(pairs.items()) if v not in (None, ""))


@dataclass(frozen=True, slots=True)
class _Item:
    """Something on the map as the grid sees it: the nodes on its first rank
    (all of them must move for it to move down), its lowest node, and how
    many rows it takes."""

    tops: tuple[str, ...]
    bottom: str
    height: int


def _grid(members: list[_Item], invisible: list[tuple[str, str]], rows: list[list[str]]) -> _Item:
    """Arrange ``members`` in rows of about sqrt(n): each item hangs under the
    one a row above it (invisible edges from that one's lowest node to each of
    this one's first-rank nodes), and the first-rank nodes of a row share a
    rank (Graphviz's ``newrank`` allows that across clusters), so the row's
    tops line up. Returns the arrangement as one item."""
    cols = max(1, math.ceil(math.sqrt(len(members))))
    rows.extend(
        [top for member in members[start : start + cols] for top in member.tops]
        for start in range(0, len(members), cols)
    )
    heights = [0] * cols
    lowest: list[str] = [""] * cols
    for j, member in enumerate(members):
        column = j % cols
        if j >= cols:
            invisible.extend((members[j - cols].bottom, top) for top in member.tops)
        heights[column] += member.height
        lowest[column] = member.bottom
    tallest = max(range(cols), key=lambda c: heights[c])
    tops = tuple(top for member in members[:cols] for top in member.tops)
    return _Item(tops, lowest[tallest], heights[tallest])


# --- laid out ------------------------------------------------------------------------------------------------------


def _px(box: Box) -> tuple[int, int, int, int]:
    """A box in exchange-format pixels: each edge rounded on its own, so a
    child rounded inside its container stays inside it."""
    left, top = round(box.x * SCALE), round(box.y * SCALE)
    right, bottom = round((box.x + box.w) * SCALE), round((box.y + box.h) * SCALE)
    return max(0, left), max(0, top), max(1, right - left), max(1, bottom - top)


def _view(spec: _Spec, laid: Layout) -> View:
    cluster_elements = spec.clusters(laid)
    prefix = spec.identifier
    made: dict[str, ViewNode] = {}
    for name, element in spec.nodes.items():
        if name in laid.nodes:
            made[name] = ViewNode(_node_id(prefix, name, element), element, _px(laid.nodes[name]))
    for name, element in cluster_elements.items():
        if name in laid.clusters:
            made[name] = ViewNode(_node_id(prefix, name, element), element, _px(laid.clusters[name].box))
    parent = _nesting(laid, set(made))
    roots = []
    for name in sorted(made, key=lambda n: made[n].identifier):
        if name in parent:
            made[parent[name]].children.append(made[name])
        else:
            roots.append(made[name])
    connections = []
    routes: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
    for route in laid.edges:
        routes.setdefault((route.tail, route.head, route.label), list(route.points))
    drawn = set()
    for tail, head, label, relationship in spec.edges:
        if tail not in made or head not in made or (tail, head, label) not in routes or relationship in drawn:
            continue
        drawn.add(relationship)
        points = [(round(x * SCALE), round(y * SCALE)) for x, y in reversed(routes[(tail, head, label)])]
        connections.append(
            ViewConnection(
                f"{prefix}.{relationship}",
                relationship,
                made[head].identifier,
                made[tail].identifier,
                _bends(points),
            )
        )
    connections.sort(key=lambda c: c.identifier)
    return View(spec.identifier, spec.name, spec.documentation, roots, connections)


def _node_id(prefix: str, dot_name: str, element: str) -> str:
    if dot_name.startswith("app:") and dot_name.count(":") == 2:  # an application inside a capability on the map
        return f"{prefix}.{dot_name.split(':')[1]}.{element}"
    return f"{prefix}.{element}"


def _nesting(laid: Layout, drawn: set[str]) -> dict[str, str]:
    """For each drawn node and cluster, the drawn cluster it sits in directly:
    the innermost cluster holding it (Graphviz lists a node under every
    cluster around it), skipping clusters that are not drawn."""
    above = {child: c.name for c in laid.clusters.values() for child in c.clusters}
    depths: dict[str, int] = {}

    def depth(name: str) -> int:
        if name not in depths:
            chain, current = 0, name
            while current in above:
                chain, current = chain + 1, above[current]
            depths[name] = chain
        return depths[name]

    def drawn_from(name: str | None) -> str | None:
        while name is not None and name not in drawn:
            name = above.get(name)
        return name

    holder: dict[str, str] = {}
    for cluster in laid.clusters.values():
        for node in cluster.nodes:
            if node not in holder or depth(cluster.name) > depth(holder[node]):
                holder[node] = cluster.name
    out = {}
    for name in drawn:
        outer = drawn_from(above.get(name)) if name in laid.clusters else drawn_from(holder.get(name))
        if outer is not None:
            out[name] = outer
    return out


def _bends(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The bendpoints of a route (its ends are where the tool attaches the
    connection to the nodes): repeats and points on a straight run left out."""
    inner: list[tuple[int, int]] = []
    for p in points[1:-1]:
        if not inner or inner[-1] != p:
            inner.append(p)
    if len(points) < 2:
        return []
    changed = True
    while changed:
        changed = False
        full = [points[0], *inner, points[-1]]
        for i in range(1, len(full) - 1):
            if _distance(full[i], full[i - 1], full[i + 1]) < STRAIGHT:
                del inner[i - 1]
                changed = True
                break
    return inner


def _distance(p: tuple[int, int], a: tuple[int, int], b: tuple[int, int]) -> float:
    """Distance from ``p`` to the line through ``a`` and ``b``."""
    (px, py), (ax, ay), (bx, by) = p, a, b
    length = math.hypot(bx - ax, by - ay)
    if length == 0:
        return math.hypot(px - ax, py - ay)
    return abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length


# --- writing -------------------------------------------------------------------------------------------------------


def write_views(
    root: etree._Element, views: list[View], sub: Callable[..., etree._Element], xsi_type: str, xml_lang: str
) -> None:
    """``<views><diagrams>`` with every view, nodes nested as laid out, in a
    fixed order (views as built, nodes and connections by identifier)."""
    if not views:
        return
    diagrams = sub(sub(root, "views"), "diagrams")
    for view in views:
        el = sub(diagrams, "view", identifier=view.identifier)
        el.set(xsi_type, "Diagram")
        sub(el, "name", view.name).set(xml_lang, "en")
        sub(el, "documentation", view.documentation).set(xml_lang, "en")
        for node in view.nodes:
            _write_node(el, node, sub, xsi_type)
        for c in view.connections:
            conn = sub(el, "connection", identifier=c.identifier, relationshipRef=c.relationship)
            conn.set(xsi_type, "Relationship")
            conn.set("source", c.source)
            conn.set("target", c.target)
            for x, y in c.bendpoints:
                sub(conn, "bendpoint", x=str(max(0, x)), y=str(max(0, y)))


def _write_node(parent: etree._Element, node: ViewNode, sub: Callable[..., etree._Element], xsi_type: str) -> None:
    x, y, w, h = node.box
    el = sub(parent, "node", identifier=node.identifier, elementRef=node.element)
    el.set(xsi_type, "Element")
    for attr, value in (("x", x), ("y", y), ("w", w), ("h", h)):
        el.set(attr, str(value))
    for child in node.children:
        _write_node(el, child, sub, xsi_type)
