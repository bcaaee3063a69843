"""Layout coordinates of a diagram: where Graphviz puts each node, cluster
and edge, for outputs that draw the picture themselves (the ArchiMate
export's views) rather than take Graphviz's SVG.

Graphviz runs exactly as for the site's SVGs (same DOT, same engine rule,
same plugins and built-in font metrics), but writes JSON (``-Tjson0``: the
layout without drawing instructions). Coordinates are returned in points
with the origin at the top left and y growing downwards, as drawing tools
(and the ArchiMate exchange format) expect; Graphviz's own origin is the
bottom left.
"""

from __future__ import annotations

import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from generator.diagrams.render import DIAGRAM_TIMEOUT, _lean_env, require_dot

#: Points per inch: Graphviz gives node sizes in inches and positions in points.
POINTS_PER_INCH = 72.0


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in points, top-left origin."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True, slots=True)
class Cluster:
    name: str  # the DOT subgraph name, e.g. "cluster_3"
    label: str
    box: Box
    nodes: tuple[str, ...]  # every node inside it, nested clusters' too
    clusters: tuple[str, ...]  # the clusters directly inside it


@dataclass(frozen=True, slots=True)
class EdgeRoute:
    tail: str
    head: str
    label: str
    points: tuple[tuple[float, float], ...]  # from tail to head, on the drawn curve


@dataclass
class Layout:
    width: float
    height: float
    nodes: dict[str, Box] = field(default_factory=dict)
    clusters: dict[str, Cluster] = field(default_factory=dict)
    edges: list[EdgeRoute] = field(default_factory=list)


class LayoutError(RuntimeError):
    """Graphviz could not lay the diagram out (in time)."""


def layout(dot: str, engine: str = "dot", timeout: float = DIAGRAM_TIMEOUT) -> Layout:
    """Lay out the DOT source ``dot`` and return its coordinates. Raises
    LayoutError when Graphviz fails or takes longer than ``timeout`` seconds."""
    args = [require_dot(), f"-K{engine}", "-Tjson0"]
    if engine == "sfdp":  # as for the site's SVGs: no overlapping nodes, straight edges
        args += ["-Goverlap=prism", "-Gsplines=false"]
    try:
        proc = subprocess.run(
            args, input=dot.encode(), capture_output=True, timeout=timeout, check=False, env=_lean_env()
        )
    except subprocess.TimeoutExpired as exc:
        raise LayoutError(f"Graphviz took longer than {timeout:g} s") from exc
    if proc.returncode != 0:
        raise LayoutError(proc.stderr.decode(errors="replace")[-300:].strip() or "Graphviz failed")
    try:
        return parse_json(json.loads(proc.stdout))
    except (ValueError, KeyError, TypeError) as exc:
        raise LayoutError(f"unexpected Graphviz output: {exc}") from exc


def layout_many(
    sources: dict[str, tuple[str, str]],
    workers: int | None = None,
    timeout: float = DIAGRAM_TIMEOUT,
    *,
    fallback: bool = True,
) -> dict[str, Layout | LayoutError]:
    """Lay out many graphs ({key: (dot, engine)}), several Graphviz processes
    at once; each result is a Layout or the LayoutError that stopped it. As
    for the site's SVGs, a graph ``dot`` cannot lay out in time is laid out
    with the faster ``sfdp``, unless ``fallback`` is False (sfdp draws no
    clusters, so a graph that is all nesting would lose its meaning)."""

    def one(item: tuple[str, tuple[str, str]]) -> Layout | LayoutError:
        dot, engine = item[1]
        try:
            return layout(dot, engine, timeout)
        except LayoutError as exc:
            if engine == "sfdp" or not fallback:
                return exc
        try:
            return layout(dot, "sfdp", timeout)
        except LayoutError as exc:
            return exc

    items = sorted(sources.items(), key=lambda kv: -len(kv[1][0]))  # the largest first
    count = max(1, min(workers or os.cpu_count() or 1, len(items) or 1))
    with ThreadPoolExecutor(max_workers=count) as pool:
        results = list(pool.map(one, items))
    return {key: result for (key, _), result in zip(items, results, strict=True)}


def _floats(text: str) -> list[float]:
    return [float(v) for v in text.split(",")]


def parse_json(data: dict) -> Layout:
    """A Layout from Graphviz's JSON (``-Tjson`` or ``-Tjson0``)."""
    _, _, width, height = _floats(data["bb"])
    out = Layout(width, height)
    objects = data.get("objects", [])
    by_gvid = {o["_gvid"]: o for o in objects}
    for o in objects:
        if "pos" not in o or "bb" in o:
            continue
        x, y = _floats(o["pos"])
        w, h = float(o["width"]) * POINTS_PER_INCH, float(o["height"]) * POINTS_PER_INCH
        out.nodes[o["name"]] = Box(x - w / 2, height - y - h / 2, w, h)
    for o in objects:
        if "bb" not in o:
            continue
        llx, lly, urx, ury = _floats(o["bb"])
        out.clusters[o["name"]] = Cluster(
            o["name"],
            o.get("label", ""),
            Box(llx, height - ury, urx - llx, ury - lly),
            tuple(by_gvid[i]["name"] for i in o.get("nodes", []) if "pos" in by_gvid[i]),
            tuple(by_gvid[i]["name"] for i in o.get("subgraphs", []) if "bb" in by_gvid[i]),
        )
    for e in data.get("edges", []):
        if "pos" not in e:
            continue
        tail, head = by_gvid[e["tail"]]["name"], by_gvid[e["head"]]["name"]
        points = tuple((x, height - y) for x, y in _curve(e["pos"]))
        out.edges.append(EdgeRoute(tail, head, e.get("label", ""), points))
    return out


def _curve(pos: str) -> list[tuple[float, float]]:
    """Points on an edge's drawn curve, tail to head: Graphviz gives B-spline
    control points (1 + 3n of them) and the arrow tips; a connection in a
    drawing tool is a polyline, so take each cubic piece's ends and middle
    (points on the curve, not the control points off it)."""
    start = end = None
    controls: list[tuple[float, float]] = []
    for part in pos.split(";")[0].split():
        if part.startswith("s,"):
            x, y = _floats(part[2:])
            start = (x, y)
        elif part.startswith("e,"):
            x, y = _floats(part[2:])
            end = (x, y)
        else:
            x, y = _floats(part)
            controls.append((x, y))
    points: list[tuple[float, float]] = [start] if start else []
    if controls:
        points.append(controls[0])
        for i in range(0, len(controls) - 3, 3):
            p0, p1, p2, p3 = controls[i : i + 4]
            points.append(_bezier(p0, p1, p2, p3, 0.5))
            points.append(p3)
    if end:
        points.append(end)
    return points


def _bezier(
    p0: tuple[float, float], p1: tuple[float, float], p2: tuple[float, float], p3: tuple[float, float], t: float
) -> tuple[float, float]:
    u = 1 - t
    a, b, c, d = u**3, 3 * u * u * t, 3 * u * t * t, t**3
    return (a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1])
