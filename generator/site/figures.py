"""The site's diagrams: every view drawn by Graphviz at build time (batched,
cached by the hash of the DOT source) and inlined into the page that shows
it, each node a link to its entity's page with a tooltip."""

from __future__ import annotations

import re
from pathlib import Path

from generator.catalog.catalog import Catalog
from generator.diagrams import SECTIONS, site_jobs
from generator.diagrams.render import inline_svg, render
from generator.site.urls import Urls

ESTATE_DOC = "integration-map.md"
MAP_DOC = "capability-map.md"

_GRAPHVIZ_TITLE = re.compile(r"<title>[^<]*</title>\n?")


def page_of(key: str) -> str:
    """The docs page that shows the diagram with job key ``key``."""
    view, _, id_ = key.partition("/")
    if view == "context":
        return f"applications/{id_}.md"
    if view == "rationalisation":
        return f"capabilities/{id_}.md"
    if view == "estate":
        return ESTATE_DOC
    return MAP_DOC  # the heat maps


def draw(catalog: Catalog, urls: Urls, cache_dir: Path | None = None) -> dict[str, str]:
    """Inline SVG of every site diagram by job key. Raises EaError (with how
    to install it) when Graphviz is missing."""

    def link(key: str, kind: str, id_: str) -> str:
        return urls.href(page_of(key), f"{SECTIONS[kind]}/{id_}.md")

    svgs = render(site_jobs(catalog, link=link), cache_dir=cache_dir)
    out = {}
    for key, svg in sorted(svgs.items()):
        # Graphviz titles each shape with its internal node id, which a browser
        # would show as the tooltip; the link's own title (the entity) is kept
        # (at natural size: see inline_svg)
        out[key] = _GRAPHVIZ_TITLE.sub("", inline_svg(svg))
    return out
