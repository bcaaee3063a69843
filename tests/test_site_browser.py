"""The register scripts in a real browser (Debian's Chromium through
Playwright): filtering, sorting, filters preset from the address, the
capability tree's buttons, and no request to any other site."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import TODAY, MakeRepo, app, offline_tab, shown_rows

from generator.site.build import build_site

pytestmark = [pytest.mark.slow, pytest.mark.browser]

APPS = {
    "applications/alpha.md": app("Alpha Payments", extra="annual_cost: 5000\n"),
    "applications/bravo.md": app("Bravo Housing", lifecycle="retired", extra="annual_cost: 40000\n"),
    "applications/charlie.md": app("Charlie Parking", extra="annual_cost: 900\n"),
    "applications/delta.md": app("Delta Waste"),  # no cost: sorts last both ways
    "applications/echo.md": app("Echo Taxi Licensing", capabilities="householder-applications", owner="planning"),
}
CHILD = "---\nname: Householder applications\nparent: planning-applications\n---\n"
ALL = ["Alpha Payments", "Bravo Housing", "Charlie Parking", "Delta Waste", "Echo Taxi Licensing", "Uniform"]


@pytest.fixture
def site(make_repo: MakeRepo, tmp_path: Path) -> Path:
    root = make_repo({**APPS, "capabilities/householder-applications.md": CHILD})
    result = build_site(root, site_dir=tmp_path / "site", today=TODAY, use_cache=False)
    assert result.site_dir is not None
    return result.site_dir


@pytest.fixture
def page(browser: object, site: Path) -> Iterator[object]:
    with offline_tab(browser) as tab:
        yield tab


def test_filter_by_text_and_by_lifecycle(page: object, site: Path) -> None:
    page.goto((site / "applications/index.html").as_uri())  # type: ignore[attr-defined]
    assert shown_rows(page) == ALL
    page.fill("input[data-ea-filter=text]", "parking")  # type: ignore[attr-defined]
    assert shown_rows(page) == ["Charlie Parking"]
    assert page.inner_text(".ea-shown") == "Showing 1 of 6."  # type: ignore[attr-defined]
    page.fill("input[data-ea-filter=text]", "park")  # whole words only  # type: ignore[attr-defined]
    assert shown_rows(page) == []
    page.fill("input[data-ea-filter=text]", "")  # type: ignore[attr-defined]
    page.select_option("select[data-ea-filter=lifecycle]", "Retired")  # type: ignore[attr-defined]
    assert shown_rows(page) == ["Bravo Housing"]
    assert page.url.endswith("?lifecycle=Retired")  # type: ignore[attr-defined]
    page.fill("input[data-ea-filter=text]", "nothing like this")  # type: ignore[attr-defined]
    assert shown_rows(page) == [] and page.is_visible(".ea-empty")  # type: ignore[attr-defined]


def test_filters_are_preset_from_the_address(page: object, site: Path) -> None:
    page.goto((site / "applications/index.html").as_uri() + "?lifecycle=Active&q=waste")  # type: ignore[attr-defined]
    assert shown_rows(page) == ["Delta Waste"]
    assert page.input_value("select[data-ea-filter=lifecycle]") == "Active"  # type: ignore[attr-defined]


def test_word_filter_matches_whole_words_in_the_chosen_column(page: object, site: Path) -> None:
    page.goto((site / "applications/index.html").as_uri())  # type: ignore[attr-defined]
    page.fill("input[data-ea-filter=text]", "planning")  # type: ignore[attr-defined]
    assert shown_rows(page) == ALL  # every row names its capability or owner "Planning ..."
    page.select_option("select[data-ea-filter=in]", label="Name")  # type: ignore[attr-defined]
    assert shown_rows(page) == []
    page.fill("input[data-ea-filter=text]", "taxi")  # type: ignore[attr-defined]
    assert shown_rows(page) == ["Echo Taxi Licensing"]
    assert "in=1" in page.url and "q=taxi" in page.url  # type: ignore[attr-defined]
    page.fill("input[data-ea-filter=text]", "tax")  # "tax" is not "taxi"  # type: ignore[attr-defined]
    assert shown_rows(page) == []


def test_capability_filter_includes_the_systems_of_sub_capabilities(page: object, site: Path) -> None:
    page.goto((site / "applications/index.html").as_uri() + "?capability=Householder+applications")  # type: ignore[attr-defined]
    assert shown_rows(page) == ["Echo Taxi Licensing"]
    page.select_option("select[data-ea-filter=capability]", "Planning applications")  # type: ignore[attr-defined]
    assert shown_rows(page) == ALL  # the parent: its own systems and its child's
    page.select_option("select[data-ea-filter=owner]", "Planning and Building Control")  # type: ignore[attr-defined]
    assert shown_rows(page) == ALL
    options = page.locator("select[data-ea-filter=vendor] option").all_inner_texts()  # type: ignore[attr-defined]
    assert options == ["All", "Idox"] or options == ["All", "Idox", "In-house"], options


def test_decision_columns_in_view_on_a_desktop_and_cards_on_a_phone(browser: object, site: Path) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.goto((site / "applications/index.html").as_uri())
    for header in ("Owner", "TIME", "Rating", "Annual cost", "Contract ends"):
        box = tab.locator("th button", has_text=header).bounding_box()
        assert box is not None and box["x"] + box["width"] <= 1400, (header, box)
    context.close()
    context = browser.new_context(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.goto((site / "applications/index.html").as_uri())
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390  # nothing off the right edge
    cell = tab.locator("table.ea-sortable tbody tr", has_text="Alpha Payments").locator('td[data-label="Annual cost"]')
    assert cell.is_visible()
    label = cell.evaluate("c => getComputedStyle(c, '::before').content")
    assert label == '"Annual cost"'  # each value under its column's name
    context.close()


def test_sort_by_clicking_a_column_header(page: object, site: Path) -> None:
    page.goto((site / "applications/index.html").as_uri())  # type: ignore[attr-defined]
    cost = page.locator("th button", has_text="Annual cost")  # type: ignore[attr-defined]
    cost.click()
    blanks = ["Delta Waste", "Echo Taxi Licensing", "Uniform"]
    assert shown_rows(page) == ["Charlie Parking", "Alpha Payments", "Bravo Housing", *blanks]
    assert cost.locator("xpath=..").get_attribute("aria-sort") == "ascending"
    cost.click()
    assert shown_rows(page) == ["Bravo Housing", "Alpha Payments", "Charlie Parking", *blanks]
    page.locator("th button", has_text="Name").click()  # type: ignore[attr-defined]
    assert shown_rows(page)[0] == "Alpha Payments"
    assert cost.locator("xpath=..").get_attribute("aria-sort") == "none"


def test_tree_opens_and_closes(page: object, site: Path) -> None:
    page.goto((site / "capability-hierarchy.html").as_uri())  # type: ignore[attr-defined]
    assert page.locator("details[open]").count() == 1  # type: ignore[attr-defined]
    page.click("button[data-ea-tree=close]")  # type: ignore[attr-defined]
    assert page.locator("details[open]").count() == 0  # type: ignore[attr-defined]
    assert not page.is_visible("text=Householder applications")  # type: ignore[attr-defined]
    page.click("button[data-ea-tree=open]")  # type: ignore[attr-defined]
    assert page.is_visible("text=Householder applications")  # type: ignore[attr-defined]


def test_search_works_when_the_site_is_opened_from_the_disk(page: object, site: Path) -> None:
    page.goto((site / "index.html").as_uri())  # type: ignore[attr-defined]
    page.keyboard.press("/")  # type: ignore[attr-defined]
    page.keyboard.type("payments")  # type: ignore[attr-defined]
    page.wait_for_selector(".md-search-result__item")  # type: ignore[attr-defined]
    titles = page.locator(".md-search-result__item h1").all_inner_texts()  # type: ignore[attr-defined]
    assert "Alpha Payments" in [t.strip() for t in titles]


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_a_diagram_node_leads_to_its_entity_page(page: object, site: Path) -> None:
    page.goto((site / "capabilities/planning-applications.html").as_uri())  # type: ignore[attr-defined]
    node = page.locator(".ea-diagram svg a", has_text="Alpha Payments")  # type: ignore[attr-defined]
    assert node.count() == 1
    assert "Alpha Payments" in (node.get_attribute("xlink:title") or "")  # the tooltip
    node.click()
    page.wait_for_url("**/applications/alpha.html")  # type: ignore[attr-defined]
    assert page.inner_text("h1").strip() == "Alpha Payments"  # type: ignore[attr-defined]
    assert page.locator('.ea-diagram[data-view="context"] svg').count() == 1  # type: ignore[attr-defined]


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_heat_map_switches_between_counts_and_ratings(page: object, site: Path) -> None:
    page.goto((site / "capability-map.html").as_uri())  # type: ignore[attr-defined]
    counts = page.locator('.ea-diagram[data-view="heatmap-applications"] svg')  # type: ignore[attr-defined]
    ratings = page.locator('.ea-diagram[data-view="heatmap-sustainability"] svg')  # type: ignore[attr-defined]
    assert counts.is_visible() and not ratings.is_visible()
    page.click("text=Average sustainability rating")  # type: ignore[attr-defined]
    assert ratings.is_visible() and not counts.is_visible()


def test_the_other_registers_filter_too_and_keep_it_in_the_address(
    browser: object, make_repo: MakeRepo, tmp_path: Path
) -> None:
    """Capabilities by where they sit, level, owner and gap; vendors by carbon
    reduction plan, net zero target and whether they supply anything in use;
    organisation units by type, where they sit and what they own. Each
    filter is preset from the address and written back to it."""
    files = {
        **APPS,
        "capabilities/householder-applications.md": CHILD,
        "capabilities/land-charges.md": "---\nname: Land charges\nowner: place\n---\nSearches.\n",
        "architecture/organisations/place.md": "---\nname: Place Directorate\ntype: directorate\n---\nPlace.\n",
        "architecture/organisations/planning.md": (
            "---\nname: Planning and Building Control\ntype: service\nparent: place\n---\nPlanning.\n"
        ),
        "architecture/vendors/acme.md": "---\nname: Acme Software\nnet_zero_target: 2055\n---\n",
    }
    result = build_site(make_repo(files), site_dir=tmp_path / "site", today=TODAY, use_cache=False)
    assert result.site_dir is not None
    site = result.site_dir
    context = browser.new_context()  # type: ignore[attr-defined]
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    try:
        tab.goto((site / "capabilities/index.html").as_uri() + "?within=Planning+applications")
        assert shown_rows(tab) == ["Householder applications", "Planning applications"]  # it and what is beneath it
        tab.select_option("select[data-ea-filter=level]", "2")
        assert shown_rows(tab) == ["Householder applications"]
        assert "within=Planning+applications" in tab.url and "level=2" in tab.url
        tab.goto((site / "capabilities/index.html").as_uri() + "?support=None%3A+a+gap")
        assert shown_rows(tab) == ["Land charges"]
        assert tab.input_value("select[data-ea-filter=support]") == "None: a gap"
        tab.select_option("select[data-ea-filter=support]", "")
        tab.select_option("select[data-ea-filter=owner]", "Place Directorate")
        assert shown_rows(tab) == ["Land charges"] and "owner=Place+Directorate" in tab.url

        tab.goto((site / "vendors/index.html").as_uri() + "?crp=Yes")
        assert shown_rows(tab) == ["Idox"]
        tab.select_option("select[data-ea-filter=crp]", "")
        tab.select_option("select[data-ea-filter=net-zero]", "After 2050")
        assert shown_rows(tab) == ["Acme Software"] and "net-zero=After+2050" in tab.url
        tab.goto((site / "vendors/index.html").as_uri() + "?supplies=Supplies+applications+in+use")
        assert shown_rows(tab) == ["Idox"]

        tab.goto((site / "organisations/index.html").as_uri() + "?within=Place+Directorate")
        assert shown_rows(tab) == ["Place Directorate", "Planning and Building Control"]
        tab.select_option("select[data-ea-filter=type]", "Service")
        assert shown_rows(tab) == ["Planning and Building Control"]
        tab.select_option("select[data-ea-filter=type]", "")
        tab.select_option("select[data-ea-filter=within]", "")
        tab.select_option("select[data-ea-filter=owns]", "Capabilities only")
        assert shown_rows(tab) == ["Place Directorate"] and tab.url.endswith("?owns=Capabilities+only")
    finally:
        context.close()
    assert errors == []
