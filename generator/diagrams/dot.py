"""Write a Graph as DOT text: sorted, so the same content gives the same
bytes, and with every string escaped, so a name with quotes, backslashes or
angle brackets renders as that text (Graphviz escapes it again for SVG)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from generator.diagrams.graph import Graph, Node

Linker = Callable[[str, str], str | None]  # (kind, entity id) -> URL or None

FONT = "Helvetica,Arial,sans-serif"
GRAPH = {
    "fontname": FONT,
    "fontsize": "12",
    "labelloc": "b",
    "labeljust": "l",
    "nodesep": "0.25",
    "ranksep": "0.45",
    "newrank": "true",
}
CLUSTER = {"style": "rounded,filled", "fillcolor": "#f4f6f8", "color": "#6b7785", "fontsize": "12"}


_CONTROL = re.compile("[\x00-\x09\x0b-\x1f]")


def quote(text: str) -> str:
    """A DOT double-quoted string. Backslashes are doubled first, because
    Graphviz reads ``\\N``, ``\\G``, ``\\l`` and friends in labels as escapes;
    line breaks become centred ``\\n`` breaks; other control characters go."""
    text = _CONTROL.sub("", text)  # a pattern, not a test per character: this runs for every label
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def _attrs(pairs: dict[str, str | float | None]) -> str:
    items = []
    for key in sorted(pairs):
        value = pairs[key]
        if value is None or value == "":
            continue
        items.append(f"{key}={quote(str(value))}")
    return "[" + ", ".join(items) + "]"


def _node(node: Node, link: Linker | None) -> str:
    url = link(node.kind, node.entity) if link else None
    attrs: dict[str, str | float | None] = {
        "label": node.label,
        "fillcolor": node.fill,
        "shape": node.shape,
        "style": node.style,
        "tooltip": node.tooltip or node.label,
        "penwidth": node.penwidth if node.penwidth != 1.0 else None,
        "fontcolor": node.fontcolor if node.fontcolor != "#000000" else None,
        "URL": url,
        "target": "_top" if url else None,
    }
    return f"    {quote(node.id)} {_attrs(attrs)};"


def to_dot(graph: Graph, link: Linker | None = None) -> str:
    """The DOT source of ``graph``. ``link`` makes each node a link (to its
    entity's page)."""
    lines = [
        f"digraph {quote(graph.name)} {{",
        f"    graph {_attrs({**GRAPH, 'rankdir': graph.rankdir, 'tooltip': graph.title, 'label': graph.note})};",
        f"    node {_attrs({'fontname': FONT, 'fontsize': '11', 'margin': '0.12,0.06', 'height': '0.4'})};",
        f"    edge {_attrs({'fontname': FONT, 'fontsize': '9', 'color': '#555555', 'arrowsize': '0.7'})};",
    ]
    by_cluster: dict[str | None, list[Node]] = {}
    for node_id in sorted(graph.nodes):
        node = graph.nodes[node_id]
        by_cluster.setdefault(node.cluster, []).append(node)
    for index, cluster in enumerate(sorted(c for c in by_cluster if c is not None)):
        title = graph.clusters.get(cluster, cluster)
        lines.append(f"    subgraph {quote(f'cluster_{index}')} {{")
        lines.append(f"        graph {_attrs({**CLUSTER, 'label': title, 'tooltip': title})};")
        lines.extend("    " + _node(n, link) for n in by_cluster[cluster])
        lines.append("    }")
    lines.extend(_node(n, link) for n in by_cluster.get(None, []))
    for edge in sorted(graph.edges, key=lambda e: (e.source, e.target, e.label)):
        attrs = {
            "label": edge.label,
            "style": edge.style if edge.style != "solid" else None,
            "tooltip": edge.tooltip or edge.label,
        }
        lines.append(f"    {quote(edge.source)} -> {quote(edge.target)} {_attrs(attrs)};")
    if graph.legend:
        lines.append(f"    {quote('legend')} {_legend(graph)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


_SHAPE_WORDS = {"octagon": "octagon", "plaintext": "", "component": "block", "box": "box"}


def _legend(graph: Graph) -> str:
    """The legend as one node with an HTML-like table: compact wherever the
    layout puts it. Every text in it is HTML-escaped."""
    # two items a row once there are more than five: half the height, and
    # still narrower than most diagrams it sits beside
    columns = 2 if len(graph.legend) > 5 else 1
    cells: list[str] = []
    for item in graph.legend:
        words = [html.escape(item.label)]
        styles = set(item.style.split(","))
        shape = _SHAPE_WORDS.get(item.shape, item.shape)
        if item.shape != "plaintext":
            outline = "dashed " if "dashed" in styles else "dotted " if "dotted" in styles else ""
            rounded = "rounded " if "rounded" in styles else ""
            if shape != "box" or outline or rounded:
                words.append(html.escape(f"({outline}{rounded}{shape})"))
            swatch = f'<TD BGCOLOR="{html.escape(item.fill)}" WIDTH="18"> </TD>'
        else:
            swatch = "<TD></TD>"
        cells.append(f'{swatch}<TD ALIGN="LEFT">{" ".join(words)}</TD>')
    rows = [f'<TR><TD COLSPAN="{2 * columns}" ALIGN="LEFT"><B>Legend</B></TD></TR>']
    for start in range(0, len(cells), columns):
        row = cells[start : start + columns]
        row += ["<TD></TD><TD></TD>"] * (columns - len(row))
        rows.append(f"<TR>{''.join(row)}</TR>")
    table = (
        '<TABLE BORDER="1" COLOR="#6b7785" CELLBORDER="0" CELLSPACING="2" CELLPADDING="2">' + "".join(rows) + "</TABLE>"
    )
    return f'[shape="plaintext", fontsize="9", tooltip="Legend", label=<{table}>]'
