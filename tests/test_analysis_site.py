"""The example council's site has the Rationalisation and Sustainability
report pages in its navigation, linking to the entities they name, with the
reports as downloads; ratings also show on application pages, the register
and the home page."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import pytest
from conftest import TODAY, mercia_vale_only

from generator.site.build import build_site

pytestmark = [pytest.mark.slow, mercia_vale_only]

ROOT = Path(__file__).resolve().parents[1]
HREF = re.compile(r'<a [^>]*?href="([^"#?]*)[^"]*"')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("analysis-site")
    result = build_site(ROOT, site_dir=out / "site", work_dir=out / "work", today=TODAY, use_cache=False)
    assert result.site_dir is not None, [str(f) for f in result.findings if f.severity == "error"]
    return result.site_dir


def _links(site: Path, page: str) -> set[str]:
    here = posixpath.dirname(page)
    text = (site / page).read_text(encoding="utf-8")
    return {posixpath.normpath(posixpath.join(here, h)) for h in HREF.findall(text) if h and "://" not in h}


def test_rationalisation_page_links_to_the_land_charges_overlap(site: Path) -> None:
    page = "rationalisation.html"
    text = (site / page).read_text(encoding="utf-8")
    for heading in (
        "Overlaps",
        "Merger matrix",
        "Consolidation candidates",
        "Contracts",
        "Data-centre exit",
        "Cost per capability",
    ):
        assert f">{heading}<" in text, heading
    links = _links(site, page)
    for entity in (
        "capabilities/local-land-charges.html",
        "applications/land-charge-register-southbrook.html",
        "applications/land-charges-register-westmere.html",
        "applications/hmlr-llc-register.html",
        "organisations/southbrook-borough-council.html",
    ):
        assert entity in links, entity
        assert (site / entity).is_file()
    assert "split equally across the capabilities" in text  # the cost-sharing rule is on the page


def test_sustainability_report_page_links_apps_and_the_scheme(site: Path) -> None:
    page = "sustainability-report.html"
    text = (site / page).read_text(encoding="utf-8")
    links = _links(site, page)
    assert "sustainability.html" in links  # the scheme's own page
    assert "applications/vmware-county-hall.html" in links
    assert "organisations/ict-and-digital-service.html" in links  # average by service area
    for heading in ("Distribution", "Improvements", "Average by service area", "Average by capability"):
        assert f">{heading}<" in text, heading


def test_both_pages_are_in_the_navigation(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="rationalisation\.html"[^>]*>\s*(<span[^>]*>)?\s*Rationalisation', home)
    assert re.search(r'href="sustainability-report\.html"[^>]*>\s*(<span[^>]*>)?\s*Sustainability report', home)


def test_reports_are_downloadable(site: Path) -> None:
    raw = (site / "downloads/rationalisation-candidates.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfRank,Application id,")
    assert "land-charge-register-southbrook" in raw.decode("utf-8-sig")
    data = json.loads((site / "downloads/sustainability.json").read_text(encoding="utf-8"))
    assert data["version"] == 1 and data["today"] == TODAY.isoformat()
    links = _links(site, "rationalisation.html")
    assert {"downloads/rationalisation-candidates.csv", "downloads/rationalisation.json"} <= links


def test_ratings_show_on_application_pages_registers_and_the_dashboard(site: Path) -> None:
    app = (site / "applications/vmware-county-hall.html").read_text(encoding="utf-8")
    assert 'class="ea-band ea-rating-d"' in app
    register = (site / "applications/index.html").read_text(encoding="utf-8")
    assert register.count('class="ea-band ea-rating-') > 50
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Sustainability rating" in home
