"""The site's search index, written from the catalog instead of scraped from
the built pages.

mkdocs-material's search plugin parses every page's HTML after it is built
and indexes every table cell: on a large estate that was most of the build
time, and the index the browser rebuilt on every page load ran to megabytes
of register rows. We generate every page, so we know what a reader searches
for: an entity's name, the other names staff use for it, its id, and a line
that says what it is. The index holds one entry per page with exactly that.

Each entry says what kind of page it is (application, capability, vendor,
organisation unit, register, view, report) as its first tag, which the theme
shows under the result. Names outrank passing mentions: the fields are
weighted (title, then other names, then tags, then the summary text). The
theme's worker scores a name of ten words that holds the query as highly as
a name that is the query, so each entry's boost is divided by the square
root of the number of words in its name (gentler than dividing by the count,
so a name holding more of the query's words still wins): "Civica" (the supplier) comes before "Civica Pay
(Westmere)", "Council Tax" before "Council Tax Recovery". A small weight by
kind breaks the remaining ties (registers, then systems, then capabilities).

The entries follow the format the theme's search worker reads:
``{"config": {lang, separator, pipeline, fields}, "docs": [{location, title,
text, tags, aliases, boost}]}``. ``title``, ``text`` and ``tags`` are HTML
(the theme inserts them as markup), so every value is escaped here.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from generator.models.model import Application, Capability, Kind, Organisation, Vendor
from generator.site.context import KIND_LABELS, SiteContext
from generator.site.render import esc
from generator.site.text import LIFECYCLE_LABELS, ORG_TYPE_LABELS

#: Weights of the fields the worker indexes: a match in a name counts far
#: more than one in the summary, so names rank above passing mentions.
FIELDS: dict[str, dict[str, float]] = {
    "title": {"boost": 1000.0},
    "aliases": {"boost": 500.0},
    "tags": {"boost": 100.0},
    "text": {"boost": 1.0},
}
#: Words are split at spaces, hyphens and punctuation (and at the entities
#: that escaping leaves), so "(Northfield)" is found by "northfield" and an
#: id like ``council-tax`` by "tax".
SEPARATOR = r"[\s\-,:;!?=\[\]()\"/|]+|\.(?!\d)|&(?:amp|lt|gt|quot|#x27);"
#: Among pages whose names match a query equally well, the order of kinds.
KIND_WEIGHT: dict[Kind, float] = {
    Kind.APPLICATION: 1.2,
    Kind.CAPABILITY: 1.1,
    Kind.VENDOR: 1.0,
    Kind.ORGANISATION: 1.0,
}
#: What a page listed in the navigation is called, by its navigation group.
GROUP_LABELS: dict[str | None, str] = {"Registers": "Register", "Views": "View", "Analyses": "Report"}
GROUP_WEIGHT: dict[str | None, float] = {"Registers": 1.3}
SUMMARY_CHARS = 240
#: How many related names an entry lists before "and N more".
LISTED = 3

_FRONT = re.compile(rb"\A---\n(.*?)\n---\n", re.S)
_LEAD = re.compile(r"<p(?: class=\"(?P<cls>[^\"]*)\")?>(?P<text>.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]*>")
_HEADING = re.compile(r"^## (.+)$", re.M)
_SKIPPED_LEADS = ("ea-kind", "ea-badges", "ea-downloads", "ea-shown", "ea-empty")
#: the attributes the theme's plugin strips from pages as it indexes them
#: (with the space before each, see ``strip_search_attrs``)
_SEARCH_ATTR = re.compile(r"data-search-\w+=\"[^\"]+\"")


class IndexBuilder:
    """Collects the index as the docs files are made (see ``add``), so the
    pages need not be held until the end: an entity's entry comes from the
    catalog, any other page's from its front matter and opening lines."""

    def __init__(self, ctx: SiteContext) -> None:
        from generator.site.generate import SECTIONS

        self.ctx = ctx
        self.nav_groups = {item.doc: item.group for section in SECTIONS for item in section.nav}
        self.entities = {ctx.doc(kind, id_): (kind, id_) for kind in KIND_WEIGHT for id_ in ctx.catalog.of(kind)}
        self.made: set[str] = set()
        self.pages: dict[str, dict[str, Any]] = {}

    def add(self, doc: str, content: bytes) -> None:
        """Note a docs file as it is made."""
        self.made.add(doc)
        if doc.endswith(".md") and doc not in self.entities:
            entry = _page(doc, content, self.nav_groups)
            if entry is not None:
                entry["location"] = self.ctx.urls.url(doc)
                self.pages[doc] = entry

    def entries(self) -> list[dict[str, Any]]:
        """One entry per page made, sorted by location."""
        out = list(self.pages.values())
        for doc, (kind, id_) in self.entities.items():
            if doc in self.made:
                out.append(_entity(self.ctx, kind, id_, doc))
        return sorted(out, key=lambda e: e["location"])


def build_index(ctx: SiteContext, docs: Mapping[str, bytes]) -> list[dict[str, Any]]:
    """The index of a whole docs folder held in memory."""
    builder = IndexBuilder(ctx)
    for doc, content in docs.items():
        builder.add(doc, content)
    return builder.entries()


_MAKERS: dict[Kind, Callable[[SiteContext, str, Any], str]] = {}


def _entity(ctx: SiteContext, kind: Kind, id_: str, doc: str) -> dict[str, Any]:
    entity = ctx.catalog.of(kind)[id_]
    text = _MAKERS[kind](ctx, id_, entity)
    summary = _summary(ctx, kind, id_, entity)
    other = [*getattr(entity, "aliases", []), id_]
    return {
        "location": ctx.urls.url(doc),
        "title": esc(entity.name),
        "text": " ".join(part for part in (esc(text), esc(summary)) if part),
        "tags": [esc(KIND_LABELS[kind]), *(esc(t) for t in getattr(entity, "tags", []))],
        "aliases": esc(" ".join(other)),
        "boost": boost(KIND_WEIGHT[kind], entity.name),
    }


_WORD = re.compile(r"\w+")


def boost(weight: float, name: str) -> float:
    """An entry's boost: its kind's weight over the square root of the number
    of words in its name, so of names matching equally the shortest is first."""
    return round(weight / math.sqrt(max(1, len(_WORD.findall(name)))), 4)


def index_json(entries: list[dict[str, Any]], *, lang: list[str], pipeline: list[str]) -> str:
    """The index file's text, compact and deterministic."""
    config = {"lang": lang, "separator": SEPARATOR, "pipeline": pipeline, "fields": FIELDS}
    return json.dumps({"config": config, "docs": entries}, ensure_ascii=False, separators=(",", ":"))


def write_index(site_dir: Path, text: str) -> None:
    """``search/search_index.json`` for a served site and
    ``search/search_index.js`` (the same data as a script) for a site opened
    from the disk, where the theme loads the script instead: a browser
    refuses to fetch a file from a file:// page."""
    folder = Path(site_dir) / "search"
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / "search_index.json", text)
    _write(folder / "search_index.js", "var __index = " + text.replace("</", "<\\/") + ";\n")


def _write(path: Path, text: str) -> None:
    """A site file like MkDocs writes them: the umask's permissions."""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


# --- what each entity's entry says ------------------------------------------------


def _names(ctx: SiteContext, kind: Kind, ids: Iterable[str]) -> str:
    """'A, B, C and 4 more', by name."""
    names = sorted((ctx.name(kind, i) for i in ids), key=str.casefold)
    shown = ", ".join(names[:LISTED])
    return f"{shown} and {len(names) - LISTED} more" if len(names) > LISTED else shown


def _sentences(*parts: str) -> str:
    return " ".join(p if p.endswith(".") else p + "." for p in parts if p)


def _application(ctx: SiteContext, id_: str, app: Application) -> str:
    vendor = ctx.name(Kind.VENDOR, app.vendor) if app.vendor else ""
    product = app.product or ""
    if vendor and product.casefold() not in ("", vendor.casefold()):
        made = f"{product} from {vendor}"
    else:
        made = f"From {vendor}" if vendor else product
    return _sentences(
        f"Also called {', '.join(app.aliases)}" if app.aliases else "",
        made,
        f"Supports {_names(ctx, Kind.CAPABILITY, app.capabilities)}",
        f"Owned by {ctx.name(Kind.ORGANISATION, app.owner)}",
        LIFECYCLE_LABELS.get(app.lifecycle, ""),
    )


def _capability(ctx: SiteContext, id_: str, cap: Capability) -> str:
    apps = ctx.catalog.applications_for(id_)
    return _sentences(
        f"Part of {ctx.name(Kind.CAPABILITY, cap.parent)}" if cap.parent else "",
        f"Owned by {ctx.name(Kind.ORGANISATION, cap.owner)}" if cap.owner else "",
        f"Supported by {_names(ctx, Kind.APPLICATION, apps)}" if apps else "",
    )


def _vendor(ctx: SiteContext, id_: str, vendor: Vendor) -> str:
    aliases = getattr(vendor, "aliases", [])
    apps = [e.source for e in ctx.catalog.incoming(Kind.VENDOR, id_, "supplies")]
    return _sentences(
        f"Also called {', '.join(aliases)}" if aliases else "",
        f"Supplies {_names(ctx, Kind.APPLICATION, apps)}" if apps else "",
    )


def _organisation(ctx: SiteContext, id_: str, org: Organisation) -> str:
    label = ORG_TYPE_LABELS.get(org.type, "")
    within = f" in {ctx.name(Kind.ORGANISATION, org.parent)}" if org.parent else ""
    edges = ctx.catalog.incoming(Kind.ORGANISATION, id_, "owns")
    owns = [e.source for e in edges if e.relation.source is Kind.APPLICATION]
    return _sentences(
        f"{label}{within}" if label else "",
        f"Owns {_names(ctx, Kind.APPLICATION, owns)}" if owns else "",
    )


def _summary(ctx: SiteContext, kind: Kind, id_: str, entity: Any) -> str:
    """The one-line description where there is one, else the first paragraph
    of the description, as plain text, cut at a word."""
    if getattr(entity, "description", None):
        return _cut(str(entity.description))
    return _cut(plain_first_paragraph(ctx.catalog.source(kind, id_).doc.body))


_NOT_PROSE = re.compile(r"[#|<>]|[-*+] |\d+[.)] ")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\[[^\]]*\]")
_MD_MARKS = re.compile(r"(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)|`+")


def plain_first_paragraph(body: str) -> str:
    """The first paragraph of prose of a Markdown body, without markup
    (headings, lists, tables, quotes, code and HTML blocks are passed over)."""
    lines: list[str] = []
    fenced = False
    for raw in body.splitlines():
        line = raw.strip()
        if line.startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced:
            continue
        if not line:
            if lines:
                break
            continue
        if not lines and _NOT_PROSE.match(line):
            continue
        lines.append(line)
    text = " ".join(lines)
    text = _MD_IMAGE.sub(r"\1", text)
    text = _MD_LINK.sub(lambda m: m.group(1) or m.group(2) or "", text)
    text = _TAG.sub("", text)
    return _MD_MARKS.sub("", text)


def _cut(text: str, limit: int = SUMMARY_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


_MAKERS.update(
    {
        Kind.APPLICATION: _application,
        Kind.CAPABILITY: _capability,
        Kind.VENDOR: _vendor,
        Kind.ORGANISATION: _organisation,
    }
)


# --- the other pages --------------------------------------------------------------


def _page(doc: str, content: bytes, nav_groups: dict[str, str | None]) -> dict[str, Any] | None:
    """An entry for a generated page that is not an entity's: its title, its
    opening paragraph and its section headings."""
    front = _FRONT.match(content)
    if front is None:
        return None
    meta = yaml.safe_load(front.group(1)) or {}
    title = meta.get("title") if isinstance(meta, dict) else None
    if not isinstance(title, str):
        return None
    body = content[front.end() : front.end() + 20_000].decode("utf-8", "replace")
    lead = ""
    for match in _LEAD.finditer(body):
        if not any(c in (match.group("cls") or "") for c in _SKIPPED_LEADS):
            lead = _cut(html.unescape(_TAG.sub("", match.group("text"))))
            break
    headings = [_TAG.sub("", h).strip() for h in _HEADING.findall(content.decode("utf-8", "replace"))]
    text = esc(lead)
    if headings:
        text += (" " if text else "") + esc("Sections: " + ", ".join(headings) + ".")
    group = nav_groups.get(doc)
    entry: dict[str, Any] = {"location": "", "title": title, "text": text}  # title: escaped in the front matter
    label = "Home page" if doc == "index.md" else GROUP_LABELS.get(group, "Page")
    entry["tags"] = [esc(label)]
    entry["boost"] = boost(GROUP_WEIGHT.get(group, 1.0), html.unescape(title))
    return entry


# --- in MkDocs --------------------------------------------------------------------


def strip_search_attrs(content: str) -> str:
    """``content`` without the theme's ``data-search-*`` attributes, each
    with the white space before it, as the theme's plugin leaves a page
    (its pattern, ``\\s?data-search-...``, tried at every character of a
    page, took longer than the rest of that plugin's work)."""
    if "data-search-" not in content:
        return content
    out: list[str] = []
    done = 0
    for match in _SEARCH_ATTR.finditer(content):
        start = match.start()
        if start > done and content[start - 1].isspace():
            start -= 1
        out.append(content[done:start])
        done = match.end()
    out.append(content[done:])
    return "".join(out)


def take_over(plugins: Any, entries: list[dict[str, Any]]) -> None:
    """Swap the theme's search plugin for one that writes ``entries`` instead
    of parsing every built page. The plugin stays registered under the
    theme's name, so the theme still shows the search box and loads its
    worker; only its indexing is replaced."""
    from material.plugins.search.plugin import SearchPlugin

    name = "material/search"
    old = plugins.get(name)
    if old is None:
        return

    class CatalogSearch(SearchPlugin):  # type: ignore[misc]
        def on_page_context(self, context: Any, *, page: Any, config: Any, nav: Any) -> None:
            # what the theme's plugin does to the page besides indexing it
            page.content = strip_search_attrs(page.content)

        def on_post_build(self, *, config: Any) -> None:
            if not self.config.enabled:
                return
            text = index_json(entries, lang=list(self.config.lang), pipeline=list(self.config.pipeline))
            write_index(Path(config.site_dir), text)

    new = CatalogSearch()
    new.config = old.config
    # each of the old plugin's handlers is replaced where it stands, so every
    # other plugin's handlers keep running in the same order
    for methods in plugins.events.values():
        for i, method in enumerate(methods):
            if getattr(method, "__self__", None) is old:
                methods[i] = getattr(new, method.__name__)
                plugins._event_origins[methods[i]] = name
    dict.__setitem__(plugins, name, new)
