"""Everything a page generator needs, gathered once from the catalog: where
each entity's page is, its name, its rating, the rendered diagrams, and the
helpers that make links between pages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from generator.catalog.catalog import Catalog
from generator.core.findings import Finding
from generator.checks.lgsl import Service
from generator.models.model import ENTITY_KINDS, Kind
from generator.site.render import BodyLinks, BodyRenderer, esc
from generator.site.urls import Urls
from generator.analysis.ratings import Rating, rate_all

#: The site folder of each kind's pages.
SECTIONS: dict[Kind, str] = {
    Kind.APPLICATION: "applications",
    Kind.CAPABILITY: "capabilities",
    Kind.VENDOR: "vendors",
    Kind.ORGANISATION: "organisations",
    Kind.PRIORITY: "priorities",
    Kind.PRINCIPLE: "principles",
    Kind.PROPOSAL: "proposals",
    Kind.DECISION: "decisions",
}
#: What a page calls one entity of a kind.
KIND_LABELS: dict[Kind, str] = {
    Kind.APPLICATION: "Application",
    Kind.CAPABILITY: "Capability",
    Kind.VENDOR: "Vendor",
    Kind.ORGANISATION: "Organisation unit",
    Kind.PRIORITY: "Corporate priority",
    Kind.PRINCIPLE: "Principle",
    Kind.PROPOSAL: "Proposal",
    Kind.DECISION: "Decision",
}
SCHEME_DOC = "sustainability.md"
#: The kinds whose entities have a page of their own; a link to an entity of
#: another kind is shown as its name. (Governance pages: ``site/governance.py``.)
PAGED_KINDS: frozenset[Kind] = frozenset(SECTIONS)


@dataclass
class SiteContext:
    catalog: Catalog
    findings: list[Finding]
    today: date
    urls: Urls
    edit_base: str | None
    ratings: dict[str, Rating]
    #: rendered diagrams (inline SVG) by job key, perhaps still being drawn
    #: (a lookup waits for that one); empty when not drawn
    diagrams: Mapping[str, str] = field(default_factory=dict)
    #: docs file of every content file with a page, by repository path
    pages: dict[str, str] = field(default_factory=dict)
    renderer: BodyRenderer | None = None
    #: the LGA's service list by code, for labels on capability pages (empty: codes only)
    lgsl: dict[int, Service] = field(default_factory=dict)

    @classmethod
    def create(
        cls,
        catalog: Catalog,
        findings: list[Finding],
        today: date,
        *,
        urls: Urls | None = None,
        edit_base: str | None = None,
        diagrams: Mapping[str, str] | None = None,
        lgsl: dict[int, Service] | None = None,
    ) -> SiteContext:
        urls = urls or Urls(False)
        ctx = cls(
            catalog=catalog,
            findings=findings,
            today=today,
            urls=urls,
            edit_base=edit_base,
            ratings=rate_all(catalog),
            diagrams=diagrams if diagrams is not None else {},
            lgsl=dict(lgsl or {}),
        )
        for kind in ENTITY_KINDS:
            if kind not in PAGED_KINDS:
                continue
            for id_ in catalog.of(kind):
                ctx.pages[catalog.source(kind, id_).path] = ctx.doc(kind, id_)
        scheme = catalog.sources.get((Kind.SCHEME, "sustainability"))
        if scheme is not None and catalog.scheme is not None:
            ctx.pages[scheme.path] = SCHEME_DOC
        ctx.renderer = BodyRenderer(BodyLinks(catalog.root, urls, ctx.pages))
        return ctx

    # --- where things are -------------------------------------------------

    @staticmethod
    def doc(kind: Kind, id_: str) -> str:
        """The docs file of an entity's page (ids are unique within a kind,
        so sub-folders of the content are flattened)."""
        return f"{SECTIONS[kind]}/{id_}.md"

    def href(self, from_doc: str, to_doc: str) -> str:
        return self.urls.href(from_doc, to_doc)

    def name(self, kind: Kind, id_: str) -> str:
        entity = self.catalog.of(kind).get(id_)
        return entity.name if entity is not None else id_

    def link(self, from_doc: str, kind: Kind, id_: str, text: str | None = None) -> str:
        """``<a>`` to an entity's page, its name escaped."""
        label = esc(self.name(kind, id_) if text is None else text)
        if id_ not in self.catalog.of(kind) or kind not in PAGED_KINDS:
            return label
        return f'<a href="{esc(self.href(from_doc, self.doc(kind, id_)))}">{label}</a>'

    def edit_url(self, source_path: str) -> str | None:
        return f"{self.edit_base}{source_path}" if self.edit_base else None

    def body(self, kind: Kind, id_: str, from_doc: str) -> str:
        """The entity's Markdown body as safe HTML."""
        source = self.catalog.source(kind, id_)
        text = source.doc.body
        assert self.renderer is not None
        if not text.strip():
            return ""
        return self.renderer.render(text, source=source.path, from_doc=from_doc, first_line=source.doc.body_line)

    def scheme_body(self) -> str:
        source = self.catalog.sources.get((Kind.SCHEME, "sustainability"))
        if source is None or not source.doc.body.strip():
            return ""
        assert self.renderer is not None
        return self.renderer.render(
            source.doc.body, source=source.path, from_doc=SCHEME_DOC, first_line=source.doc.body_line
        )

    def sorted_ids(self, kind: Kind) -> list[str]:
        """Ids ordered by display name (then id), as people look for them."""
        entities: dict[str, Any] = self.catalog.of(kind)
        return sorted(entities, key=lambda i: (entities[i].name.casefold(), i))
