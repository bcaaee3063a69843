"""Generate the docs folder MkDocs builds: pages as Markdown, downloads and
the site's own assets, all in memory first so a problem stops the build
before anything is written.

The site is a list of sections (``SECTIONS``). Each has a generator, a
function from the SiteContext to (docs path, content) pairs, and the
navigation entries it adds. A new section (say "Rationalisation") is a
module with a ``generate(ctx)`` function, plus one ``Section`` line here.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from generator.errors import EaError
from generator.site import analyses, capabilities, entities, estate, home, overview, registers, roadmap
from generator.site.context import SiteContext

Content = str | bytes
PageGenerator = Callable[[SiteContext], Iterable[tuple[str, Content]]]
#: the site's own scripts and styles, copied to ``ea-assets/``
ASSETS = ("ea.css", "ea.js", "file-worker.js")


@dataclass(frozen=True, slots=True)
class NavItem:
    """One navigation entry; ``group`` is the heading it sits under (None:
    top level). Groups appear in the order they are first named."""

    group: str | None
    title: str
    doc: str


@dataclass(frozen=True, slots=True)
class Section:
    name: str
    generate: PageGenerator
    nav: tuple[NavItem, ...] = ()


def _assets(ctx: SiteContext) -> Iterable[tuple[str, Content]]:
    folder = resources.files("generator") / "assets"
    for name in ASSETS:
        yield f"ea-assets/{name}", (folder / name).read_bytes()


SECTIONS: tuple[Section, ...] = (
    Section("home", home.generate, (NavItem(None, "Home", "index.md"),)),
    Section(
        "registers",
        registers.generate,
        (
            NavItem("Registers", "Applications", "applications/index.md"),
            NavItem("Registers", "Capabilities", "capabilities/index.md"),
            NavItem("Registers", "Vendors", "vendors/index.md"),
            NavItem("Registers", "Organisation units", "organisations/index.md"),
        ),
    ),
    # entity pages are reached from registers, relations and search, never the
    # navigation: it must stay short however many entities there are
    Section("entities", entities.generate),
    Section(
        "capabilities",
        capabilities.generate,
        (
            NavItem("Views", "Capability map", capabilities.MAP_DOC),
            NavItem("Views", "Capability hierarchy", capabilities.TREE_DOC),
        ),
    ),
    Section("estate", estate.generate, (NavItem("Views", "Integration map", estate.ESTATE_DOC),)),
    Section(
        "analyses",
        analyses.generate,
        (
            NavItem("Analyses", "Rationalisation", analyses.RATIONALISATION_DOC),
            NavItem("Analyses", "Sustainability report", analyses.SUSTAINABILITY_DOC),
        ),
    ),
    Section("roadmap", roadmap.generate, (NavItem("Analyses", "Roadmap", roadmap.ROADMAP_DOC),)),
    Section(
        "overview",
        overview.generate,
        (NavItem("Views", "Sustainability", "sustainability.md"), NavItem(None, "Tags", overview.TAGS_DOC)),
    ),
    Section("assets", _assets),
)


def nav(sections: Iterable[Section] = SECTIONS) -> list[object]:
    """The MkDocs ``nav`` of the sections, grouped."""
    out: list[object] = []
    groups: dict[str, list[object]] = {}
    for section in sections:
        for item in section.nav:
            if item.group is None:
                out.append({item.title: item.doc})
            else:
                if item.group not in groups:
                    groups[item.group] = []
                    out.append({item.group: groups[item.group]})
                groups[item.group].append({item.title: item.doc})
    return out


def generate_docs(ctx: SiteContext, sections: Iterable[Section] = SECTIONS) -> dict[str, bytes]:
    """Every docs file by path. Raises EaError when a description links to
    nothing, naming each file and link."""
    docs: dict[str, bytes] = {}
    for section in sections:
        for path, content in section.generate(ctx):
            if path in docs:
                raise EaError(f"two parts of the site write {path} (the second is '{section.name}')")
            docs[path] = content.encode("utf-8") if isinstance(content, str) else content
    assert ctx.renderer is not None
    links = ctx.renderer.links
    if links.problems:
        lines = [
            f"{p.source}:{p.line}: the link '{p.target}' {p.problem}"
            for p in sorted(set(links.problems), key=lambda p: (p.source, p.line, p.target))
        ]
        raise EaError("The site was not built: correct these links in the descriptions.\n  " + "\n  ".join(lines))
    for rel, target in sorted(links.copies.items()):
        docs[target] = (ctx.catalog.root / rel).read_bytes()
    return dict(sorted(docs.items()))


def page_count(docs: dict[str, bytes]) -> int:
    return sum(1 for path in docs if path.endswith(".md"))


def write_docs(docs: dict[str, bytes], folder: Path) -> None:
    """Write the docs folder afresh (a stale page would be built too)."""
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    for path, data in docs.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
