"""Diagrams: views of the catalog as graphs, written as Graphviz DOT and
rendered to SVG in batches with a cache.

``views`` turns the catalog into plain graph data (testable without Graphviz),
``dot`` writes that data as DOT text with every label escaped, ``render``
runs Graphviz. Nothing here knows about pages or click.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.analysis.ratings import rate_all
from generator.catalog.catalog import Catalog
from generator.diagrams.graph import Graph
from generator.diagrams.views import VIEWS, context, estate, heatmap, rationalisation


def build_view(
    catalog: Catalog, view: str, entity: str | None = None, *, hops: int = 1, metric: str = "applications"
) -> Graph:
    """The Graph of one view. Raises ValueError for a bad view or a missing id,
    with a message fit for a person."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}: use one of {', '.join(VIEWS)}")
    if view in ("context", "rationalisation"):
        kind = "application" if view == "context" else "capability"
        known = catalog.applications if view == "context" else catalog.capabilities
        if not entity:
            raise ValueError(f"the {view} view needs the id of {'an' if kind[0] == 'a' else 'a'} {kind}")
        if entity not in known:
            raise ValueError(f"no {kind} with id {entity!r}")
        return context(catalog, entity, hops) if view == "context" else rationalisation(catalog, entity)
    if view == "estate":
        return estate(catalog)
    return heatmap(catalog, rate_all(catalog), metric)


def site_jobs(
    catalog: Catalog,
    link_prefix: str = "../../",
    hops: int = 1,
    *,
    link: Callable[[str, str, str], str | None] | None = None,
) -> list:
    """Render jobs for every diagram the site shows, keyed "context/<app>",
    "rationalisation/<capability>", "estate", "heatmap-applications" and
    "heatmap-sustainability". Node links are ``link_prefix`` +
    ``<section>/<id>/``, relative to the page that inlines the diagram; or,
    when ``link`` is given, ``link(job key, kind, id)``: the site passes one
    built from its URL scheme, so links fit the page each diagram is on
    (``page.html`` or ``page/``)."""
    from generator.diagrams.dot import to_dot
    from generator.diagrams.render import Job, engine_for

    def default(kind: str, id_: str) -> str:
        return f"{link_prefix}{SECTIONS[kind]}/{id_}/"

    def linker(key: str) -> Callable[[str, str], str | None]:
        if link is None:
            return default
        return lambda kind, id_: link(key, kind, id_)

    ratings = rate_all(catalog)
    graphs: list[tuple[str, Graph]] = []
    graphs += [(f"context/{a}", context(catalog, a, hops)) for a in sorted(catalog.applications)]
    graphs += [(f"rationalisation/{c}", rationalisation(catalog, c)) for c in sorted(catalog.capabilities)]
    graphs.append(("estate", estate(catalog)))
    graphs += [(f"heatmap-{m}", heatmap(catalog, ratings, m)) for m in ("applications", "sustainability")]
    return [Job(key, to_dot(graph, linker(key)), engine_for(len(graph.nodes))) for key, graph in graphs]


#: The site folder of each kind of node's page (also used by ``ea diagram --link-base``).
SECTIONS = {
    "application": "applications",
    "capability": "capabilities",
    "vendor": "vendors",
    "organisation": "organisations",
}
