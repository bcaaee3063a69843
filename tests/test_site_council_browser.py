"""The example council's site as staff use it: built, served on 127.0.0.1
and driven in Debian's Chromium by clicking, from the home page to a
capability, an application and its supplier; the search box; a register
filter; and not one request to any other host. Screenshots of each step go
to test-output/council/ for a person to look at."""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import mercia_vale_only

from generator.site.build import build_site

pytestmark = [pytest.mark.slow, pytest.mark.browser, mercia_vale_only]

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "test-output" / "council"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example council built into a temporary folder and served over HTTP."""
    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed")
    site = tmp_path_factory.mktemp("council") / "site"
    result = build_site(ROOT, site_dir=site, work_dir=site.parent / "work")
    assert result.site_dir is not None, [f for f in result.findings if f.severity.value == "error"]
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def tab(browser: object, served: str) -> Iterator[object]:
    """A page that records every request to anything but the served site."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.outside = []
    page.errors = []
    page.on("request", lambda r: None if r.url.startswith((served, "data:")) else page.outside.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    assert page.outside == [], f"requests left the site: {page.outside}"
    assert page.errors == [], f"script errors: {page.errors}"
    context.close()


def shot(page: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)  # type: ignore[attr-defined]


def heading(page: object) -> str:
    return page.locator("article h1").first.inner_text().strip()  # type: ignore[attr-defined]


def test_home_to_capability_to_application_to_supplier_by_clicking(tab: object, served: str) -> None:
    tab.goto(served)  # type: ignore[attr-defined]
    shot(tab, "1-home")
    tab.locator("article a", has_text="Planning and Building Control").first.click()  # type: ignore[attr-defined]
    tab.wait_for_url("**/capabilities/planning-and-building-control.html")  # type: ignore[attr-defined]
    assert heading(tab) == "Planning and Building Control"
    shot(tab, "2-capability")
    tab.locator("article a", has_text="Local Land Charges").first.click()  # type: ignore[attr-defined]
    tab.wait_for_url("**/capabilities/local-land-charges.html")  # type: ignore[attr-defined]
    tab.locator("article table a", has_text="Uniform (Northfield)").first.click()  # type: ignore[attr-defined]
    tab.wait_for_url("**/applications/uniform-northfield.html")  # type: ignore[attr-defined]
    assert heading(tab) == "Uniform (Northfield)"
    shot(tab, "3-application")
    tab.locator("article a", has_text="Idox").first.click()  # type: ignore[attr-defined]
    tab.wait_for_url("**/vendors/idox.html")  # type: ignore[attr-defined]
    assert heading(tab) == "Idox"
    # the supplier's page leads back: the application is among what it supplies
    assert tab.locator("article a", has_text="Uniform (Northfield)").count() >= 1  # type: ignore[attr-defined]
    shot(tab, "4-vendor")


def test_search_box_finds_an_application_by_name(tab: object, served: str) -> None:
    tab.goto(served)  # type: ignore[attr-defined]
    tab.click("input.md-search__input")  # type: ignore[attr-defined]
    tab.keyboard.type("Whitespace Work")  # type: ignore[attr-defined]
    tab.wait_for_selector(".md-search-result__item")  # type: ignore[attr-defined]
    shot(tab, "5-search")
    # "Whitespace" alone lists the supplier first (its own name); the system is named in full
    tab.locator(".md-search-result__item a", has_text="Whitespace Work Software").first.click()  # type: ignore[attr-defined]
    tab.wait_for_url(lambda url: "/applications/whitespace" in url)  # type: ignore[attr-defined]
    assert "Whitespace" in heading(tab)


def test_register_filter_narrows_the_applications(tab: object, served: str) -> None:
    tab.goto(served + "applications/index.html")  # type: ignore[attr-defined]
    rows = tab.locator("table.ea-sortable tbody tr:not([hidden])")  # type: ignore[attr-defined]
    everything = rows.count()
    assert everything > 100
    tab.fill("input[data-ea-filter=text]", "uniform")  # type: ignore[attr-defined]
    cells = tab.locator("table.ea-sortable tbody tr:not([hidden]) td:first-child")  # type: ignore[attr-defined]
    names = [t.strip() for t in cells.all_inner_texts()]
    assert names and all("uniform" in n.lower() for n in names), names
    assert len(names) < everything
    shot(tab, "6-register-filtered")
