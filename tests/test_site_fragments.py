"""The theme's navigation, page settings and search box, drawn once per
folder and reused, and its texts, looked up once: every page must be byte for
byte what the theme draws for it alone, under both URL schemes and in
another language."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TODAY, MakeRepo, app

from generator.site import fragments
from generator.site.build import build_site

pytestmark = pytest.mark.slow


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("directory_urls", "language"), [(False, "en-GB"), (True, "fr")])
def test_reused_parts_make_the_pages_the_theme_makes(
    make_repo: MakeRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, directory_urls: bool, language: str
) -> None:
    files = {f"applications/app-{i}.md": app(f"App {i}") for i in range(4)}
    files["mkdocs.yml"] = (
        f"site_name: Test\nuse_directory_urls: {str(directory_urls).lower()}\ntheme:\n  language: {language}\n"
    )
    root = make_repo(files)
    drawn: list[tuple[str, str]] = []
    put = fragments.Fragments.put

    def counted(self: fragments.Fragments, key: tuple[str, str], html: str) -> str:
        drawn.append(key)
        return put(self, key, html)

    monkeypatch.setattr(fragments.Fragments, "put", counted)
    reused = build_site(root, site_dir=tmp_path / "reused", today=TODAY, use_cache=False)
    assert reused.site_dir is not None
    # the navigation of the five pages of applications/ drawn once (with
    # ``page/`` addresses each page is a folder of its own: drawn for each)
    nav = [key for key in drawn if key[0] == "nav"]
    assert len(nav) == len(set(nav))
    assert sum(1 for key in nav if key[1].startswith("applications")) == (5 if directory_urls else 1)

    monkeypatch.setattr(fragments, "install", lambda cfg: None)
    monkeypatch.setattr(fragments, "prepare", lambda folder: None)
    alone = build_site(root, site_dir=tmp_path / "alone", today=TODAY, use_cache=False)
    assert alone.site_dir is not None
    assert tree(tmp_path / "reused") == tree(tmp_path / "alone")
    if language == "fr":  # the theme's own words, looked up once, are the language's
        assert 'placeholder="Rechercher"' in (tmp_path / "reused" / "index.html").read_text(encoding="utf-8")


def test_a_page_the_navigation_lists_is_drawn_for_itself() -> None:
    class Page:
        def __init__(self, url: str) -> None:
            self.url = url

    class Nav:
        def __init__(self, *pages: Page) -> None:
            self.pages = list(pages)

    listed, other, folder_page = Page("vendors/index.html"), Page("vendors/v-1.html"), Page("vendors/v-1/")
    nav = Nav(listed)
    assert fragments.Fragments.nav_key(listed, nav) is None
    assert fragments.Fragments.nav_key(other, nav) == ("nav", "vendors")
    assert fragments.Fragments.nav_key(folder_page, nav) == ("nav", "vendors/v-1/")
    assert fragments.Fragments.nav_key(None, nav) is None
    assert fragments.Fragments.folder_key("config", listed) == ("config", "vendors")
    assert fragments.Fragments.folder_key("search", folder_page) == ("search", "vendors/v-1/")
