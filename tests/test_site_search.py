"""The site's search: the index written from the catalog (one entry per
page, with what the page is, names weighted above passing mentions), the
pages unchanged by how they are built, and the search box in Chromium, both
served over HTTP and opened from the disk."""

from __future__ import annotations

import functools
import html
import json
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, MakeRepo, app

import generator.site.build as build_module
from generator.checks.validate import validate
from generator.models.model import Kind
from generator.site import mdext
from generator.site.build import build_site
from generator.site.mdext import block, restore

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
LABELS = {
    Kind.APPLICATION: "Application",
    Kind.CAPABILITY: "Capability",
    Kind.VENDOR: "Vendor",
    Kind.ORGANISATION: "Organisation unit",
}
FOLDERS = {
    Kind.APPLICATION: "applications",
    Kind.CAPABILITY: "capabilities",
    Kind.VENDOR: "vendors",
    Kind.ORGANISATION: "organisations",
}
WORD = re.compile(r"\w+")


@pytest.fixture(scope="module")
def council(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example council's site, built into a temporary folder."""
    if not (ROOT / "applications").is_dir():
        pytest.skip("the example council's content is not in this checkout")
    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed")
    out = tmp_path_factory.mktemp("council")
    result = build_site(ROOT, site_dir=out / "site", work_dir=out / "work", today=TODAY, use_cache=False)
    assert result.site_dir is not None
    return result.site_dir


@pytest.fixture(scope="module")
def catalog() -> Any:
    return validate(ROOT, today=TODAY, use_cache=False).catalog


def index_of(site: Path) -> dict[str, Any]:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))


def by_location(site: Path) -> dict[str, dict[str, Any]]:
    return {d["location"]: d for d in index_of(site)["docs"]}


def test_one_entry_per_page_and_nothing_else(council: Path) -> None:
    docs = index_of(council)["docs"]
    locations = [d["location"] for d in docs]
    assert locations == sorted(locations) and len(set(locations)) == len(locations)
    pages = {p.relative_to(council).as_posix() for p in council.rglob("*.html")} - {"404.html"}
    # a wide diagram's full-size page repeats a diagram of a page that is indexed
    full_size = {p for p in pages if p.startswith("diagrams/")}
    assert full_size, "the example council has wide diagrams"
    assert set(locations) == pages - full_size
    assert not any("#" in loc for loc in locations)  # no sections of pages: one result per page


def test_every_entity_is_indexed_by_name_other_names_and_id_with_its_kind(council: Path, catalog: Any) -> None:
    entries = by_location(council)
    for kind, label in LABELS.items():
        for id_, entity in catalog.of(kind).items():
            entry = entries[f"{FOLDERS[kind]}/{id_}.html"]
            assert html.unescape(entry["title"]) == entity.name
            assert entry["tags"][0] == label
            other = html.unescape(entry["aliases"]).split(" ")
            assert id_ in other
            for alias in getattr(entity, "aliases", []):
                assert alias in html.unescape(entry["aliases"]) and alias in html.unescape(entry["text"])
            assert entry["boost"] > 0


def test_pages_say_what_they_are(council: Path) -> None:
    entries = by_location(council)
    assert entries["applications/index.html"]["tags"] == ["Register"]
    assert entries["capability-map.html"]["tags"] == ["View"]
    assert entries["rationalisation.html"]["tags"] == ["Report"]
    assert entries["index.html"]["tags"] == ["Home page"]


def test_names_outrank_passing_mentions(council: Path, catalog: Any) -> None:
    fields = index_of(council)["config"]["fields"]
    assert fields["title"]["boost"] > fields["aliases"]["boost"] > fields["tags"]["boost"] > fields["text"]["boost"]
    entries = by_location(council)
    # of two names that both hold a query, the one with fewer words ranks first
    caps = {cap.name: id_ for id_, cap in catalog.capabilities.items()}
    pairs = [
        (short, long)
        for short in caps
        for long in caps
        if long.startswith(short + " ") and len(WORD.findall(long)) > len(WORD.findall(short))
    ]
    assert pairs, "the example has no capability whose name starts with another's"
    for short, long in pairs:
        assert (
            entries[f"capabilities/{caps[short]}.html"]["boost"] > entries[f"capabilities/{caps[long]}.html"]["boost"]
        )


def test_summaries_not_tables(council: Path) -> None:
    docs = index_of(council)["docs"]
    assert max(len(d["text"]) for d in docs) < 800
    assert not any("<table" in d["text"] or "<td" in d["text"] for d in docs)
    # the page was indexed cell by cell before: about 700 KB
    assert (council / "search" / "search_index.json").stat().st_size < 300_000


def test_the_offline_copy_is_the_same_index(council: Path) -> None:
    script = (council / "search" / "search_index.js").read_text(encoding="utf-8")
    assert script.startswith("var __index = ") and script.endswith(";\n")
    assert "</" not in script
    assert json.loads(script[len("var __index = ") : -2].replace("<\\/", "</")) == index_of(council)


def test_index_files_have_the_site_s_permissions(council: Path) -> None:
    page = (council / "index.html").stat().st_mode & 0o777
    for name in ("search_index.json", "search_index.js"):
        assert (council / "search" / name).stat().st_mode & 0o777 == page


def test_values_are_escaped_in_the_index(make_repo: MakeRepo, tmp_path: Path) -> None:
    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed")
    evil = '<img src=x onerror="alert(1)">'
    root = make_repo(
        {
            "applications/evil.md": app(f"'{evil}'", extra=f"aliases: ['{evil} & co']\nvendor: idox\n"),
        }
    )
    result = build_site(root, site_dir=tmp_path / "site", today=TODAY, use_cache=False)
    assert result.site_dir is not None
    entry = by_location(result.site_dir)["applications/evil.html"]
    for value in (entry["title"], entry["text"], entry["aliases"], *entry["tags"]):
        assert "<img" not in value
    assert html.unescape(entry["title"]) == evil
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; co" in entry["aliases"]


def test_locations_follow_the_site_s_address_scheme(make_repo: MakeRepo, tmp_path: Path) -> None:
    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed")
    root = make_repo({"mkdocs.yml": "site_name: Test\nuse_directory_urls: true\n"})
    result = build_site(root, site_dir=tmp_path / "site", today=TODAY, use_cache=False)
    assert result.site_dir is not None
    locations = [d["location"] for d in index_of(result.site_dir)["docs"]]
    assert "applications/uniform/" in locations and "" in locations
    for location in locations:
        assert (result.site_dir / location / "index.html").is_file(), location


def test_pages_are_the_same_as_the_theme_s_indexing_made_them(
    council: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writing the index ourselves and holding one page's HTML at a time
    change nothing on any page: a build with the theme's own search plugin
    and every page held whole makes the same files, the index apart."""
    run = build_module.run_mkdocs

    def the_old_way(config: dict[str, Any], **kwargs: Any) -> None:
        run(config, **{**kwargs, "search": None, "defer_blocks": False})

    monkeypatch.setattr(build_module, "run_mkdocs", the_old_way)
    result = build_site(ROOT, site_dir=tmp_path / "site", work_dir=tmp_path / "work", today=TODAY, use_cache=False)
    assert result.site_dir is not None
    old = {p.relative_to(result.site_dir).as_posix(): p for p in result.site_dir.rglob("*") if p.is_file()}
    new = {p.relative_to(council).as_posix(): p for p in council.rglob("*") if p.is_file()}
    assert set(old) == set(new)
    differ = [rel for rel in sorted(old) if old[rel].read_bytes() != new[rel].read_bytes()]
    assert differ == ["search/search_index.js", "search/search_index.json"]
    assert len(index_of(result.site_dir)["docs"]) > 3 * len(index_of(council)["docs"])  # the theme's, by section


def test_deferred_blocks_come_back_exactly() -> None:
    """A page rendered with large blocks left out, once restored, is what
    Markdown makes of it with them in (tabs, blank lines, inline starts)."""
    import markdown

    rows = "".join(f"<tr><td>\t{i}</td></tr>\n  \n" for i in range(200))
    inline = "<span>inline, kept</span>" + "x" * 3000
    blocks = [f"<table>\n{rows}</table>", inline, "<p>short</p>", f"<div>{rows}</div>"]
    source = "# Title\n\nSome *text*.\n" + "".join(block(b) + "\n## Part\n" for b in blocks)

    def render(defer: bool) -> str:
        return markdown.Markdown(extensions=[mdext.makeExtension(defer=defer)]).convert(source)

    whole, deferred = render(False), render(True)
    assert deferred.count("<!-- ea:deferred ") == 2  # the table and the div; not the inline or short one
    assert len(deferred) < len(whole) / 3
    assert restore(deferred, source) == whole
    assert restore("<p>no markers</p>", source) == "<p>no markers</p>"


# --- in the browser ----------------------------------------------------------------


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(council: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(council)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def tab(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    assert page.errors == [], f"script errors: {page.errors}"
    context.close()


def results(page: Any, query: str) -> list[tuple[str, list[str]]]:
    """(title, tags) of each result, best first, once the results are in."""
    page.keyboard.press("/")
    page.fill("input.md-search__input", "")
    page.keyboard.type(query)
    page.wait_for_function(
        "q => document.querySelector('.md-search-result__item') &&"
        " document.querySelector('input.md-search__input').value === q",
        arg=query,
    )
    page.wait_for_timeout(300)  # the worker answers as the last key is typed
    out = []
    for item in page.locator(".md-search-result__item").all():
        title = item.locator("h1").first.inner_text().strip()
        out.append((title, [t.strip() for t in item.locator("h1 ~ nav .md-tag").all_inner_texts()]))
    return out


def distinctive_application(catalog: Any) -> Any:
    """An application with other names, none of whose full name's words all
    appear in any other page's name, so it must come first."""
    names = [e.name for kind in LABELS for e in catalog.of(kind).values()]
    for id_ in sorted(catalog.applications):
        entity = catalog.applications[id_]
        words = {w.casefold() for w in WORD.findall(entity.name)}
        rivals = [n for n in names if n != entity.name and words <= {w.casefold() for w in WORD.findall(n)}]
        if entity.aliases and len(words) > 1 and not rivals:
            return entity
    pytest.skip("the example council has no application with a distinctive name and an alias")


@pytest.mark.browser
def test_typing_a_name_finds_the_entity_first_with_its_kind(tab: Any, served: str, catalog: Any) -> None:
    entity = distinctive_application(catalog)
    tab.goto(served)
    first = results(tab, entity.name)[0]
    assert first == (entity.name, ["Application", *entity.tags])


@pytest.mark.browser
def test_another_name_finds_the_entity(tab: Any, served: str, catalog: Any) -> None:
    entity = distinctive_application(catalog)
    tab.goto(served)
    titles = [title for title, _ in results(tab, entity.aliases[0])[:3]]
    assert entity.name in titles


@pytest.mark.browser
def test_a_name_ranks_above_pages_that_mention_it(tab: Any, served: str, catalog: Any) -> None:
    """A supplier's own page before the pages of the systems it supplies,
    whose summaries name it."""
    vendor = next(
        v
        for _, v in sorted(catalog.vendors.items())
        if len(WORD.findall(v.name)) == 1
        and sum(1 for a in catalog.applications.values() if a.vendor == _) >= 2
        and not any(v.name.casefold() in a.name.casefold() for a in catalog.applications.values())
    )
    tab.goto(served)
    found = results(tab, vendor.name)
    assert found[0] == (vendor.name, ["Vendor", *vendor.tags])
    assert any(tags and tags[0] == "Application" for _, tags in found[1:])  # the mentions follow


@pytest.mark.browser
def test_search_works_from_the_disk(tab: Any, council: Path, catalog: Any) -> None:
    entity = distinctive_application(catalog)
    tab.goto((council / "index.html").as_uri())
    assert results(tab, entity.name)[0] == (entity.name, ["Application", *entity.tags])


@pytest.mark.parametrize(
    "content",
    [
        '<div data-search-exclude="">x</div>',
        '<div class="a"\n data-search-exclude="" data-search-boost="2">x</div><p>data-search-exclude</p>',
        '<p a="1"data-search-x="y">data-search-a-b="c"</p>\u00a0data-search-z="1" data-search-="2"',
        "no attributes at all",
    ],
)
def test_search_attributes_are_stripped_as_the_theme_strips_them(content: str) -> None:
    from generator.site.search import strip_search_attrs

    theme = re.sub(r"\s?data-search-\w+=\"[^\"]+\"", "", content)  # the theme's plugin's own pattern
    assert strip_search_attrs(content) == theme
