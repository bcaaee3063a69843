"""The site's diagrams: every view drawn by Graphviz at build time (batched,
cached by the hash of the DOT source) and inlined into the page that shows
it, each node a link to its entity's page with a tooltip."""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from generator.catalog.catalog import Catalog
from generator.diagrams import SECTIONS, site_jobs
from generator.diagrams.render import Rendering, inline_svg
from generator.site.context import SiteContext
from generator.site.urls import Urls, _relative

ESTATE_DOC = "integration-map.md"
MAP_DOC = "capability-map.md"

_GRAPHVIZ_TITLE = re.compile(r"<title>[^<]*</title>\n?")
#: what could make an SVG active: scripts, embedded HTML, event handlers and
#: script addresses. Graphviz writes none of them from escaped labels; they
#: are taken out anyway, as the full-size pages are opened on their own
_ACTIVE_BLOCK = re.compile(r"<(script|foreignObject)\b[^>]*/>|<(script|foreignObject)\b.*?</\2\s*>", re.S | re.I)
_TAG = re.compile(r"<[^<>]+>")
_ACTIVE_ATTR = re.compile(
    r"""\son[a-z]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*)"""
    r"""|\s(?:xlink:)?href\s*=\s*(?:"\s*javascript:[^"]*"|'\s*javascript:[^']*'|javascript:[^\s>]*)""",
    re.I,
)
#: the folder of the full-size diagram pages
FULL_SIZE_DIR = "diagrams"
#: a diagram wider than this (CSS pixels) gets an "Open full size" link: the
#: content column of an entity page measured at a 1,024-pixel-wide window;
#: in the browser the link then shows only while the diagram is wider than
#: its box (ea.js), so a narrow window or phone gets it for more diagrams
WIDE_PX = 728
_WIDTH = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)pt"')


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


class Drawings(Mapping[str, str]):
    """The site's diagrams (inline SVG by job key) while Graphviz draws them:
    looking one up waits for that diagram only, so pages are made while the
    rest are drawn. ``close()`` when done."""

    def __init__(self, rendering: Rendering) -> None:
        self._rendering = rendering
        self._keys = rendering.keys()

    def __getitem__(self, key: str) -> str:
        return self._rendering.result(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def close(self) -> None:
        self._rendering.close()


def draw(catalog: Catalog, urls: Urls, cache_dir: Path | None = None) -> Drawings:
    """Every site diagram, drawn in the background (see ``Drawings``) in the
    order the pages show them, after the few large views (drawn first, so
    they cannot hold up the end). Raises EaError (with how to install it)
    when Graphviz is missing."""

    def link(key: str, kind: str, id_: str) -> str:
        return urls.href(page_of(key), f"{SECTIONS[kind]}/{id_}.md")

    jobs = site_jobs(catalog, link=link)
    whole = [job for job in jobs if "/" not in job.key]  # the estate and the heat maps
    jobs = [*whole, *(job for job in jobs if "/" in job.key)]
    return Drawings(Rendering(jobs, cache_dir=cache_dir, finish=_finish))


def _finish(svg: str) -> str:
    # Graphviz titles each shape with its internal node id, which a browser
    # would show as the tooltip; the link's own title (the entity) is kept
    # (at natural size: see inline_svg)
    return sanitise_svg(_GRAPHVIZ_TITLE.sub("", inline_svg(svg)))


def sanitise_svg(svg: str) -> str:
    """The SVG without anything that could run: no script, no foreignObject,
    no event attributes, no javascript: links."""
    svg = _ACTIVE_BLOCK.sub("", svg)
    # an attribute found in no part of the text is in no tag: the tags are
    # only gone through one by one where one is found (Graphviz writes none)
    if _ACTIVE_ATTR.search(svg) is None:
        return svg
    return _TAG.sub(lambda tag: _ACTIVE_ATTR.sub("", tag[0]), svg)


def width_px(svg: str) -> float:
    """The drawn width of an inline SVG in CSS pixels (Graphviz gives points)."""
    match = _WIDTH.search(svg)
    return float(match[1]) * 4 / 3 if match else 0.0


def is_wide(svg: str | None) -> bool:
    """Whether a diagram is wider than the content column (see WIDE_PX)."""
    return svg is not None and width_px(svg) > WIDE_PX


def full_size_doc(key: str) -> str:
    """The site path of the full-size page of diagram ``key``."""
    return f"{FULL_SIZE_DIR}/{key.replace('/', '-')}.html"


def _title(ctx: SiteContext, key: str) -> tuple[str, str]:
    """(what the diagram is, the title of the page it sits on)."""
    view, _, id_ = key.partition("/")
    if view == "context":
        return "Context diagram", ctx.catalog.applications[id_].name
    if view == "rationalisation":
        return "Applications supporting this capability", ctx.catalog.capabilities[id_].name
    if view == "estate":
        return "Integration map", "Integration map"
    what = (
        "Heat map of sustainability ratings" if view.endswith("sustainability") else "Heat map of active applications"
    )
    return what, "Capability map"


_PAGE_CSS = """
body { margin: 0; font: 16px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial, sans-serif;
  background: #fff; color: #000; }
header { padding: 12px 16px; border-bottom: 1px solid #6b7785; }
h1 { font-size: 1.25rem; margin: .25rem 0 0; }
a { color: #00574c; }
a:focus-visible, [tabindex]:focus-visible { outline: 3px solid #1a1a1a; outline-offset: 2px;
  box-shadow: 0 0 0 5px #ffdd00; }
main { padding: 16px; }
.box { overflow: auto; }
svg { display: block; max-width: none; }
svg a { text-decoration: none; }
svg a:focus polygon, svg a:hover polygon, svg a:hover path { stroke-width: 2.5; }
"""


def full_size_page(ctx: SiteContext, key: str, svg: str) -> str:
    """A page of its own holding only the diagram at natural size, with its
    node links working (rewritten from the diagram's own page to this one)
    and a way back. Plain HTML and CSS: nothing fetched, nothing run, so
    it opens offline and from file://."""
    page = ctx.urls.url(page_of(key))
    folder = page if page.endswith("/") else posixpath.dirname(page)
    back = ctx.urls.href(full_size_doc(key), page_of(key))
    what, title = _title(ctx, key)
    heading = what if what == title else f"{what}: {title}"
    return (
        '<!doctype html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(heading)} (full size)</title>\n"
        f"<style>{_PAGE_CSS}</style>\n</head>\n<body>\n"
        f'<header><p><a href="{html.escape(back)}">Back to {html.escape(title)}</a></p>'
        f"<h1>{html.escape(heading)}</h1></header>\n"
        f'<main><div class="box" tabindex="0" role="region" aria-label="{html.escape(what)} (scrolls)">'
        f"{_rebase(sanitise_svg(svg), folder)}</div></main>\n</body>\n</html>\n"
    )


_HREF = re.compile(r'(\s(?:xlink:)?href=")([^"#][^"]*)(")')


def _rebase(svg: str, folder: str) -> str:
    """The diagram's links, written relative to its own page in ``folder``,
    made relative to the full-size page (in FULL_SIZE_DIR)."""

    def move(match: re.Match[str]) -> str:
        target = match[2]
        if re.match(r"[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("/"):
            return match[0]  # an address of its own
        path, sep, fragment = target.partition("#")
        joined = posixpath.normpath(posixpath.join(folder, html.unescape(path)))
        joined = "" if joined == "." else joined + ("/" if path.endswith("/") else "")
        moved = _relative(joined, FULL_SIZE_DIR) + sep + fragment
        return match[1] + html.escape(moved) + match[3]

    return _HREF.sub(move, svg)


def generate(ctx: SiteContext) -> Iterator[tuple[str, str]]:
    """The full-size page of every diagram wider than the content column."""
    for key, svg in sorted(ctx.diagrams.items()):
        if is_wide(svg):
            yield full_size_doc(key), full_size_page(ctx, key, svg)
