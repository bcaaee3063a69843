"""The example council's site: built from the repository itself (into a
temporary folder), with the pages people start from, and links that lead
from the home page to a capability, an application and its supplier."""

from __future__ import annotations

import posixpath
import re
from html import escape
from pathlib import Path

import pytest
from conftest import TODAY, site_name

from generator.site.build import build_site

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
HREF = re.compile(r'<a [^>]*?href="([^"#?]*)[^"]*"')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (ROOT / "applications").is_dir():
        pytest.skip("the example council's content is not in this checkout")
    out = tmp_path_factory.mktemp("council")
    result = build_site(ROOT, site_dir=out / "site", work_dir=out / "work", today=TODAY, use_cache=False)
    assert result.site_dir is not None, [str(f) for f in result.findings if f.severity == "error"]
    # one HTML page per generated page, besides the theme's 404 page and the
    # plain full-size pages of wide diagrams (not MkDocs pages)
    made = out / "site"
    built = [p for p in made.rglob("*.html") if p.name != "404.html" and p.relative_to(made).parts[0] != "diagrams"]
    assert result.pages == len(built)
    return result.site_dir


def links(site: Path, page: str) -> list[str]:
    """Site paths (like 'applications/x/') of the local links on a built page."""
    here = posixpath.dirname(page)
    text = (site / page).read_text(encoding="utf-8")
    out = []
    for href in HREF.findall(text):
        if not href or href.startswith(("http:", "https:", "mailto:", "tel:", "/")):  # 404.html is absolute
            continue
        out.append(posixpath.normpath(posixpath.join(here, href)) + ("/" if href.endswith("/") else ""))
    return out


def target(site: Path, path: str) -> Path:
    return site / path / "index.html" if path.endswith("/") or (site / path).is_dir() else site / path


def test_the_pages_people_start_from_exist(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f"<title>{escape(site_name(), quote=False)}</title>" in home  # the title mkdocs.yml sets
    for page in (
        "applications/index.html",
        "capabilities/index.html",
        "vendors/index.html",
        "organisations/index.html",
        "capability-hierarchy.html",
        "capability-map.html",
        "tags.html",
        "sustainability.html",
        "search/search_index.js",
        "search/search_index.json",
        "downloads/applications.csv",
    ):
        assert (site / page).is_file(), page
    apps = {p.stem for p in (ROOT / "applications").rglob("*.md") if p.name.lower() not in ("readme.md", "index.md")}
    assert apps and all((site / "applications" / f"{a}.html").is_file() for a in apps)


def test_home_leads_to_a_capability_an_application_and_its_supplier(site: Path) -> None:
    def kind(path: str, section: str) -> bool:
        """An entity page of the section (not its register): section/<id>.html or section/<id>/."""
        name = path.removeprefix(f"{section}/").rstrip("/")
        return path.startswith(f"{section}/") and "/" not in name and name not in ("", "index.html")

    for cap in (p for p in links(site, "index.html") if kind(p, "capabilities")):
        cap_page = target(site, cap).relative_to(site).as_posix()
        for application in (p for p in links(site, cap_page) if kind(p, "applications")):
            app_page = target(site, application).relative_to(site).as_posix()
            vendors = [p for p in links(site, app_page) if kind(p, "vendors")]
            if vendors:
                assert target(site, vendors[0]).is_file()
                assert any(kind(p, "capabilities") for p in links(site, app_page))  # and back to capabilities
                return
    pytest.fail("no chain home -> capability -> application -> supplier")


def test_every_local_link_on_every_page_leads_to_a_page(site: Path) -> None:
    broken = []
    for html in sorted(site.rglob("*.html")):
        page = html.relative_to(site).as_posix()
        for path in links(site, page):
            if not target(site, path).is_file():
                broken.append(f"{page} -> {path}")
    assert not broken, "\n".join(broken[:20])
