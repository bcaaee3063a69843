"""The governance pages in a real browser (Debian's Chromium through
Playwright): from the Entrance Hall, filter the requests, open one, follow
it to its meeting and its decision; and axe-core finds no WCAG 2.2 AA
violation on the Entrance Hall, a proposal page, a decision page, the
decision log, a meeting, a principle or a priority page.

axe-core is read from ``EA_AXE_JS`` or from where ``make test`` installs it
(``.ea-test/node_modules/axe-core/axe.min.js``); without it only the axe
part is skipped, saying so."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import offline_tab, shown_rows
from governance_fixture import TODAY, governance_files

from generator.site.build import build_site

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[1]
AXE = Path(os.environ.get("EA_AXE_JS", ROOT / ".ea-test" / "node_modules" / "axe-core" / "axe.min.js"))
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    if shutil.which("dot") is None:
        pytest.skip("Graphviz is not installed")
    from conftest import minimal_files, write_files

    tmp = tmp_path_factory.mktemp("gov-site")
    root = write_files(tmp / "repo", {**minimal_files(), **governance_files()})
    result = build_site(root, site_dir=tmp / "site", work_dir=tmp / "work", today=TODAY, use_cache=False)
    assert result.site_dir is not None
    return result.site_dir


@pytest.fixture
def page(browser: object, site: Path) -> Iterator[object]:
    with offline_tab(browser, viewport={"width": 1400, "height": 900}) as tab:
        yield tab


def test_from_the_entrance_hall_to_a_meeting_and_a_decision(page: object, site: Path) -> None:
    page.goto((site / "entrance-hall.html").as_uri())  # type: ignore[attr-defined]
    assert page.locator("h1").first.inner_text() == "Entrance Hall"  # type: ignore[attr-defined]
    assert len(shown_rows(page)) == 4
    page.select_option("select[data-ea-filter=status]", "Being assessed")  # type: ignore[attr-defined]
    assert shown_rows(page) == ["Housing repairs portal"]
    page.select_option("select[data-ea-filter=status]", "")  # type: ignore[attr-defined]
    page.select_option("select[data-ea-filter=meeting]", "10 March 2027")  # type: ignore[attr-defined]
    assert len(shown_rows(page)) == 2
    page.click("text=Housing repairs portal")  # type: ignore[attr-defined]
    page.wait_for_url("**/proposals/2027-001-repairs-portal.html")  # type: ignore[attr-defined]
    assert page.locator("h1").first.inner_text() == "Housing repairs portal"  # type: ignore[attr-defined]
    assert page.get_by_role("heading", name="Options and their climate position").is_visible()  # type: ignore[attr-defined]
    page.click("a:has-text('10 March 2027')")  # type: ignore[attr-defined]
    page.wait_for_url("**/meetings/2027-03-10.html")  # type: ignore[attr-defined]
    assert page.locator("h1").first.inner_text() == "Digital Group meeting on 10 March 2027"  # type: ignore[attr-defined]
    page.click("text=Uniform stays the planning system")  # type: ignore[attr-defined]
    page.wait_for_url("**/decisions/0001-uniform-stays.html")  # type: ignore[attr-defined]
    assert page.get_by_role("heading", name="Context").is_visible()  # type: ignore[attr-defined]


def test_the_decision_log_leads_both_ways_along_supersession(page: object, site: Path) -> None:
    page.goto((site / "decisions" / "index.html").as_uri())  # type: ignore[attr-defined]
    assert shown_rows(page)[0] == "1 October 2026"  # newest first
    page.select_option("select[data-ea-filter=status]", "Replaced")  # type: ignore[attr-defined]
    assert len(shown_rows(page)) == 1
    page.click("tr:not([hidden]) td:nth-child(2) a")  # type: ignore[attr-defined]
    page.wait_for_url("**/decisions/0003-two-revenues-systems.html")  # type: ignore[attr-defined]
    assert "This decision was replaced by" in page.inner_text(".ea-check")  # type: ignore[attr-defined]
    page.click(".ea-check >> text=One revenues system")  # type: ignore[attr-defined]
    page.wait_for_url("**/decisions/0002-one-revenues-system.html")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "doc",
    [
        "entrance-hall.html",
        "proposals/2027-001-repairs-portal.html",
        "decisions/0001-uniform-stays.html",
        "decisions/index.html",
        "meetings/2027-03-10.html",
        "principles/reuse-first.html",
        "priorities/net-zero.html",
    ],
)
def test_axe_finds_no_violation(page: object, site: Path, doc: str) -> None:
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed (make test installs it into {AXE.parents[2]}, or set EA_AXE_JS)")
    page.goto((site / doc).as_uri())  # type: ignore[attr-defined]
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    result = page.evaluate(  # type: ignore[attr-defined]
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    problems = [
        f"{v['id']} x{len(v['nodes'])}: {v['help']} e.g. {v['nodes'][0]['target']}" for v in result["violations"]
    ]
    assert problems == []
