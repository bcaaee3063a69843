"""HTML pieces shared by the page generators: page front matter, badges,
field tables and relation lists. Every value is escaped here or by the
caller; nothing from content reaches a page unescaped."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import yaml

from generator.catalog.catalog import RELATIONS
from generator.models.model import Kind
from generator.site import figures, mdext
from generator.site.context import SiteContext
from generator.site.render import esc, external_link, url_scheme
from generator.site.text import DISPOSITION_LABELS, DISPOSITION_MEANINGS, LIFECYCLE_LABELS, LIFECYCLE_MEANINGS

block = mdext.block


def page(meta: dict[str, Any], *parts: str) -> str:
    """A docs page: YAML front matter, then Markdown (headings) and blocks."""
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{head}---\n" + "".join(parts).strip("\n") + "\n"


def meta(title: str, tags: Sequence[str] = (), **extra: Any) -> dict[str, Any]:
    """Front matter with the title and tags escaped: the theme prints both
    without escaping them."""
    out: dict[str, Any] = {"title": esc(title)}
    if tags:
        out["tags"] = [esc(t) for t in tags]
    out.update(extra)
    return out


def head(ctx: SiteContext, kind_label: str, title: str, *, source: str | None = None, extra: str = "") -> str:
    """The page heading: kind, name and the 'Edit this page' link."""
    edit = ""
    url = ctx.edit_url(source) if source else None
    if url and url_scheme(url) in ("http", "https"):
        edit = f'<a class="ea-edit" href="{esc(url)}" rel="noopener noreferrer">Edit this page</a>'
    return block(
        f'<div class="ea-head"><p class="ea-kind">{esc(kind_label)}{edit}</p>\n<h1>{esc(title)}</h1>\n{extra}</div>'
    )


def contact_of(ctx: SiteContext, org_id: str) -> str | None:
    """The unit's own contact, else the nearest one of a unit it is part of
    (a service with no mailbox of its own is reached through its directorate)."""
    orgs = ctx.catalog.organisations
    seen: set[str] = set()
    current: str | None = org_id
    while current and current in orgs and current not in seen:
        seen.add(current)
        if orgs[current].contact:
            return orgs[current].contact
        current = orgs[current].parent
    return None


def contact_link(contact: str) -> str:
    """A mailbox as a mailto link, a channel as a web link."""
    if url_scheme(contact) in ("http", "https"):
        return external_link(contact, "team channel")
    return f'<a href="mailto:{esc(contact)}">{esc(contact)}</a>'


def owner(ctx: SiteContext, doc: str, org_id: str, *, short: bool = False) -> str:
    """An owning unit's link with how to reach it, wherever an owner is shown."""
    text = ctx.link(doc, Kind.ORGANISATION, org_id)
    contact = contact_of(ctx, org_id)
    if contact:
        sep = "<br>" if short else " · "
        text += f'{sep}<span class="ea-contact">{contact_link(contact)}</span>'
    return text


def badge(text: str, css: str = "", title: str = "") -> str:
    cls = f"ea-badge {css}".strip()
    tip = f' title="{esc(title)}"' if title else ""
    return f'<span class="{cls}"{tip}>{esc(text)}</span>'


def lifecycle_badge(value: str) -> str:
    return badge(LIFECYCLE_LABELS[value], f"ea-lifecycle-{value}", LIFECYCLE_MEANINGS[value])


def disposition_badge(value: str | None) -> str:
    if value is None:
        return ""
    return badge(f"TIME: {DISPOSITION_LABELS[value]}", f"ea-disposition-{value}", DISPOSITION_MEANINGS[value])


def band(rating: str, title: str = "") -> str:
    tip = f' title="{esc(title)}"' if title else ""
    return f'<span class="ea-band ea-rating-{esc(rating.lower())}"{tip}>{esc(rating)}</span>'


def fields(rows: Iterable[tuple[str, str]]) -> str:
    """A two-column table of (label, HTML value); empty values are left out."""
    body = "".join(f"<tr><th>{esc(label)}</th><td>{value}</td></tr>\n" for label, value in rows if value)
    return f'<table class="ea-fields">\n<tbody>\n{body}</tbody>\n</table>'


def none(text: str) -> str:
    return f'<p class="ea-none">{esc(text)}</p>'


def links(ctx: SiteContext, from_doc: str, kind: Kind, ids: Iterable[str]) -> str:
    return ", ".join(ctx.link(from_doc, kind, i) for i in ids)


def relations(ctx: SiteContext, kind: Kind, id_: str, from_doc: str) -> str:
    """Every relation both ways, from the one table in ``catalog.RELATIONS``:
    "Depends on" here is "Used by" there, with the data that flows."""
    catalog = ctx.catalog
    groups: list[tuple[str, list[tuple[Kind, str, str | None]]]] = []
    for rel in RELATIONS:
        if rel.source is kind:
            edges = [e for e in catalog.outgoing(kind, id_, rel.name) if e.relation is rel]
            if edges:
                groups.append((rel.label, [(rel.target, e.target, e.data) for e in edges]))
    for rel in RELATIONS:
        if rel.target is kind:
            edges = [e for e in catalog.incoming(kind, id_, rel.inverse) if e.relation is rel]
            if edges:
                groups.append((rel.inverse_label, [(rel.source, e.source, e.data) for e in edges]))
    if not groups:
        return none("No relations to other entries.")
    out = ['<dl class="ea-relations">']
    for label, items in groups:
        items.sort(key=lambda t: (ctx.name(t[0], t[1]).casefold(), t[1], t[2] or ""))
        lis = []
        for other_kind, other, data in items:
            text = ctx.link(from_doc, other_kind, other)
            if data:
                text += f' <span class="ea-flow">({esc(data)})</span>'
            if other_kind is Kind.APPLICATION:
                lifecycle = catalog.applications[other].lifecycle
                if lifecycle != "active":
                    text += f' <span class="ea-sub">{esc(LIFECYCLE_LABELS[lifecycle].lower())}</span>'
            lis.append(f"<li>{text}</li>")
        out.append(f'<dt>{esc(label)} <span class="ea-count">{len(items)}</span></dt><dd><ul>{"".join(lis)}</ul></dd>')
    out.append("</dl>")
    return "\n".join(out)


#: what each diagram shows, as a screen reader names its box
DIAGRAM_LABELS = {
    "context": "Context diagram",
    "estate": "Integration map",
    "heatmap-applications": "Heat map of active applications",
    "heatmap-sustainability": "Heat map of sustainability ratings",
}


def diagram(ctx: SiteContext, key: str, view: str, kind: str = "", id_: str = "", note: str = "") -> str:
    """The container of a diagram: the inline SVG when it was drawn. It is
    left out of the search index (its labels repeat the page)."""
    attrs = f'data-view="{esc(view)}"'
    if kind:
        attrs += f' data-kind="{esc(kind)}" data-id="{esc(id_)}"'
    svg = ctx.diagrams.get(key)
    inner = svg if svg is not None else none("The diagram is drawn when the site is built.")
    caption = f'<p class="ea-diagram-note">{esc(note)}</p>' if note else ""
    # the diagram is shown at its natural size and scrolls in its box: the box
    # takes the keyboard focus (arrow keys scroll it) and is named for a screen reader
    name = DIAGRAM_LABELS.get(view, "Diagram")
    label = esc(name + " (scrolls)")
    # a diagram wider than the content column can also be opened on a page of
    # its own, the whole window wide (ea.js hides the link while it fits)
    opener = ""
    if figures.is_wide(svg):
        href = ctx.urls.href(figures.page_of(key), figures.full_size_doc(key))
        opener = (
            f'<p class="ea-diagram-open"><a href="{esc(href)}" aria-label="Open full size: {esc(name)}">'
            "Open full size</a></p>"
        )
    return (
        f'<div class="ea-diagram" {attrs}>\n{opener}'
        f'<div data-search-exclude tabindex="0" role="region" aria-label="{label}">'
        f"{inner}</div>{caption}</div>"
    )
