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
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from generator.core.errors import EaError
from generator.core.util import read_regular
from generator.site import (
    analyses,
    capabilities,
    entities,
    estate,
    figures,
    governance,
    home,
    overview,
    registers,
    roadmap,
)
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
    #: whether its pages show diagrams: such sections are made last, so
    #: Graphviz draws while the others are made (see ``iter_docs``)
    draws: bool = False


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
    Section("entities", entities.generate, draws=True),
    Section(
        "capabilities",
        capabilities.generate,
        (
            NavItem("Views", "Capability map", capabilities.MAP_DOC),
            NavItem("Views", "Capability hierarchy", capabilities.TREE_DOC),
        ),
        draws=True,
    ),
    Section("estate", estate.generate, (NavItem("Views", "Integration map", estate.ESTATE_DOC),), draws=True),
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
    Section(
        "governance",
        governance.generate,
        (
            NavItem("Governance", "Entrance Hall", governance.ENTRANCE_DOC),
            NavItem("Governance", "Decision log", governance.DECISIONS_DOC),
            NavItem("Governance", "Digital Group meetings", governance.MEETINGS_DOC),
            NavItem("Governance", "Principles", governance.PRINCIPLES_DOC),
            NavItem("Governance", "Corporate priorities", governance.PRIORITIES_DOC),
        ),
    ),
    # wide diagrams, each also on a page of its own (linked from the diagram)
    Section("diagrams", figures.generate, draws=True),
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
    docs = dict(iter_docs(ctx, sections))
    return dict(sorted(docs.items()))


def iter_docs(ctx: SiteContext, sections: Iterable[Section] = SECTIONS) -> Iterator[tuple[str, bytes]]:
    """Every docs file, one at a time as it is made, so a build can write
    each away instead of holding the whole site (the files a description
    links to come last). Sections that show diagrams come after the others,
    in their own order, so the diagrams are drawn in the background
    meanwhile (no page depends on another being made first). Raises
    EaError, once the pages are made, when a description links to nothing,
    naming each file and link."""
    seen: set[str] = set()
    for section in sorted(sections, key=lambda section: section.draws):
        for path, content in section.generate(ctx):
            if path in seen:
                raise EaError(f"two parts of the site write {path} (the second is '{section.name}')")
            seen.add(path)
            yield path, content.encode("utf-8") if isinstance(content, str) else content
    assert ctx.renderer is not None
    links = ctx.renderer.links
    if links.problems:
        lines = [
            f"{p.source}:{p.line}: the link '{p.target}' {p.problem}"
            for p in sorted(set(links.problems), key=lambda p: (p.source, p.line, p.target))
        ]
        raise EaError("The site was not built: correct these links in the descriptions.\n  " + "\n  ".join(lines))
    for rel, target in sorted(links.copies.items()):
        yield target, read_regular(ctx.catalog.root / rel)  # checked when linked; still no link or pipe now


def page_count(docs: dict[str, bytes]) -> int:
    return sum(1 for path in docs if path.endswith(".md"))


def write_docs(docs: Mapping[str, bytes] | Iterable[tuple[str, bytes]], folder: Path) -> None:
    """Write the docs folder from a mapping or from (path, content) pairs as
    they are made. Files of an earlier build are overwritten where they
    stand and the rest removed (a stale page would be built too): removing
    and recreating thousands of files cost more than writing them."""
    folder = Path(folder)
    old = {p for p in folder.rglob("*") if not p.is_dir()} if folder.is_dir() else set()
    fresh = not old  # nothing of an earlier build to find in the way
    made_dirs: set[Path] = set()
    for path, data in docs.items() if isinstance(docs, Mapping) else docs:
        target = folder / path
        try:
            if target.parent not in made_dirs:
                target.parent.mkdir(parents=True, exist_ok=True)
                made_dirs.add(target.parent)
            if not fresh and target.is_symlink():
                target.unlink()
            target.write_bytes(data)
        except OSError:  # a file where a folder now goes, or the other way round
            _clear_way(folder, target)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        old.discard(target)
    for stale in old:
        if stale.is_symlink() or stale.is_file():
            stale.unlink()


def _clear_way(folder: Path, target: Path) -> None:
    """Remove what an earlier build left in the way of ``target``."""
    for parent in reversed(target.relative_to(folder).parents):
        here = folder / parent
        if here.is_symlink() or here.is_file():
            here.unlink()
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
