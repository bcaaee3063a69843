"""Graph data a view produces: what to draw, not how Graphviz spells it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Node:
    id: str  # unique within the graph, e.g. "application:uniform-north"
    label: str
    kind: str  # application, capability, ...
    entity: str  # the entity id, for links
    cluster: str | None = None
    fill: str = "#ffffff"
    shape: str = "box"
    style: str = "filled"
    tooltip: str = ""
    penwidth: float = 1.0
    fontcolor: str = "#000000"


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    label: str = ""
    style: str = "solid"
    tooltip: str = ""


@dataclass(frozen=True, slots=True)
class LegendItem:
    label: str
    fill: str = "#ffffff"
    shape: str = "box"
    style: str = "filled"


@dataclass
class Graph:
    """A diagram before layout. ``clusters`` maps cluster id to its title."""

    name: str
    title: str
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: set[Edge] = field(default_factory=set)
    clusters: dict[str, str] = field(default_factory=dict)
    legend: list[LegendItem] = field(default_factory=list)
    note: str = ""
    rankdir: str = "LR"

    def add(self, node: Node) -> None:
        self.nodes.setdefault(node.id, node)
