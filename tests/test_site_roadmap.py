"""The roadmap pages on a hand-sized plan: a page per capability area with a
timeline (SVG with a title, a description and a table of the same dates),
the trajectory as charts, and a page per milestone with what breaks it.
Today is 2026-06-01 (conftest's TODAY)."""

from __future__ import annotations

import re
from datetime import date
from xml.etree import ElementTree

import pytest
from conftest import TODAY, MakeRepo, app

from generator.checks.validate import validate
from generator.site.context import SiteContext
from generator.site.generate import generate_docs
from generator.site.roadmap import FONT, SMALL, Window

HOSTILE = 'Old <b>"Payments"</b> & Co'
PLAN = {
    # a hostile name, retiring on 30 September 2027, replaced by the new system
    "applications/old-payments.md": app(
        HOSTILE,
        extra="replaced_by: new-payments\ndates: {live: 2015-04-01, phase_out: 2027-04-01, retire: 2027-09-30}\n"
        "contract: {end: 2027-12-31, notice_months: 6}\nannual_cost: 12000\n",
    ),
    "applications/new-payments.md": app(
        "New Payments", lifecycle="proposed", extra="dates: {live: 2027-03-01}\n"
    ),
    "architecture/milestones/switch-off.md": (
        "---\nname: Old payments switched off\ndate: 2027-06-30\nretired: [old-payments]\n---\n"
    ),
}


def _docs(make_repo: MakeRepo, files: dict[str, str]) -> dict[str, str]:
    result = validate(make_repo(files), today=TODAY, use_cache=False)
    assert not [f for f in result.findings if f.severity == "error"], result.findings
    ctx = SiteContext.create(result.catalog, result.findings, TODAY)
    return {k: v.decode("utf-8") for k, v in generate_docs(ctx).items() if k.startswith("roadmap/")}


@pytest.fixture
def docs(make_repo: MakeRepo) -> dict[str, str]:
    return _docs(make_repo, PLAN)


def _svg(page: str, cls: str) -> ElementTree.Element:
    found = re.search(rf'<svg xmlns="http://www.w3.org/2000/svg" class="{cls}".*?</svg>', page, re.S)
    assert found, cls
    return ElementTree.fromstring(found.group(0))  # well-formed: every value escaped


def test_one_page_per_area_and_per_milestone(docs: dict[str, str]) -> None:
    assert sorted(docs) == ["roadmap/index.md", "roadmap/milestones/switch-off.md", "roadmap/planning-applications.md"]
    assert 'href="planning-applications.html"' in docs["roadmap/index.md"]


def test_timeline_is_accessible_escaped_and_never_below_12_px(docs: dict[str, str]) -> None:
    page = docs["roadmap/planning-applications.md"]
    svg = _svg(page, "ea-timeline")
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{ns}title"), svg.find(f"{ns}desc")
    assert title is not None and desc is not None
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    sizes = {int(t.get("font-size", "0")) for t in svg.iter(f"{ns}text")}
    assert sizes and min(sizes) >= 12 and sizes <= {FONT, SMALL}
    texts = [t.text for t in svg.iter(f"{ns}text")]
    assert f"{HOSTILE} → replaced by New Payments" in texts  # the parser read it back: escaped, not markup
    assert "<b>" not in page
    # the milestone is named with its date in words
    assert "Old payments switched off, 30 June 2027" in texts
    # contract end and notice date as shapes with their dates in words
    tips = [t.text for t in svg.iter(f"{ns}title")]
    assert f"{HOSTILE}: contract ends 31 December 2027" not in tips  # switched off before the contract ends
    assert f"{HOSTILE}: last day to give notice, 30 June 2027" in tips
    # the bars follow the lifecycle at each date: in use, phased out from 1 April 2027, nothing after
    # 30 September 2027; the new system planned, then in use from 1 March 2027
    bars = [t for t in tips if t and ("Payments" in t)]
    assert bars[:2] == [f"{HOSTILE}: In use", f"{HOSTILE}: being phased out from 1 April 2027"]
    assert [b for b in bars if "New" in b] == ["New Payments: Planned", "New Payments: in use from 1 March 2027"]


def test_window_scale_is_fixed_pixels_per_month() -> None:
    # A window starting 1 April 2026; a month is 16 px after a 12 px margin.
    w = Window(date(2026, 4, 1), date(2028, 12, 31))
    assert w.x(date(2026, 4, 1)) == 12
    assert w.x(date(2027, 4, 1)) == 12 + 12 * 16


def test_table_gives_the_same_dates_in_words(docs: dict[str, str]) -> None:
    page = docs["roadmap/planning-applications.md"]
    table = page[page.index("## Dates in the plan") :]
    for words in ("1 April 2027", "30 September 2027", "31 December 2027", "30 June 2027", "1 March 2027"):
        assert words in table
    assert "2027-09-30" not in page and "phase_out" not in page  # no raw values or field names


def test_milestone_page_says_what_breaks_and_what_runs(docs: dict[str, str]) -> None:
    page = docs["roadmap/milestones/switch-off.md"]
    # old-payments retires 30 September 2027, after the milestone of 30 June 2027
    assert "not switched off by then: planned for 30 September 2027" in page
    # on 30 June 2027: old-payments is being phased out (from 1 April), new-payments live (from 1 March),
    # and the fixture's uniform (no dates) active
    assert "3 applications will be running (1 of them being phased out)" in page


def test_trajectory_charts_have_a_table_equivalent(docs: dict[str, str]) -> None:
    page = docs["roadmap/index.md"]
    for cls in ("ea-chart",):
        svg = _svg(page, cls)
        assert svg.get("role") == "img"
    assert page.count('class="ea-chart"') == 5
    assert "<caption>The trajectory by quarter, as the charts show it</caption>" in page
    assert "1 June 2026" in page  # the first point is today


def test_an_area_with_nothing_planned_says_so(make_repo: MakeRepo) -> None:
    docs = _docs(make_repo, {"applications/uniform.md": app(lifecycle="retired")})
    assert "No application supports this area now or in the plan." in docs["roadmap/planning-applications.md"]


def test_roadmap_pages_are_deterministic(make_repo: MakeRepo) -> None:
    first = _docs(make_repo, PLAN)
    assert first == _docs(make_repo, PLAN)


CARBON = """carbon:
  grid_kgco2e_per_kwh: 0.2
  grid_source: "Grid <factor> & source"
  pue: {on-premises: 1.5, private-cloud: 1.5, iaas: 1.2, paas: 1.2, saas: 1.25}
  server_watts: 200
---
"""


def _carbon_docs(make_repo: MakeRepo) -> dict[str, str]:
    from conftest import SCHEME

    head, body = SCHEME.rsplit("---\n", 1)
    files = {
        "architecture/sustainability.md": head + CARBON + body,
        # reported: 1,234.56 -> 1,234.6 (one decimal place, rounded once)
        "applications/uniform.md": app(
            assessed=None, extra="sustainability: {reported_kgco2e: 1234.56, assessed: 2026-01-15}\n"
        ),
        # estimated: 2 servers x 200 W x 8,760 h / 1,000 = 3,504 kWh x PUE 1.25 (saas) x 0.2 = 876 kg
        "applications/servers.md": app(
            "Server System", assessed=None, extra="sustainability: {servers: 2, assessed: 2026-01-15}\n"
        ),
        # nothing recorded: unknown, never a made-up figure
        "applications/blank.md": app("Blank System", assessed=None),
    }
    result = validate(make_repo(files), today=TODAY, use_cache=False)
    assert not [f for f in result.findings if f.severity == "error"], result.findings
    ctx = SiteContext.create(result.catalog, result.findings, TODAY)
    return {k: v.decode("utf-8-sig") for k, v in generate_docs(ctx).items()}


def test_carbon_on_application_pages_the_register_and_the_report(make_repo: MakeRepo) -> None:
    docs = _carbon_docs(make_repo)
    assert "About 1,234.6 kg of CO2 equivalent a year (reported by the supplier or the cloud provider)" in docs[
        "applications/uniform.md"
    ]
    assert "About 876 kg of CO2 equivalent a year (estimated from the servers it runs on)" in docs[
        "applications/servers.md"
    ]
    assert "Not known: no reported figure" in docs["applications/blank.md"]
    register = docs["applications/index.md"]
    assert "Carbon a year (kg)" in register and "1,234.6" in register and "876" in register
    import json

    records = {r["id"]: r for r in json.loads(docs["downloads/applications.json"])}
    assert (records["uniform"]["kgco2e"], records["uniform"]["carbon_evidence"]) == (1234.6, "reported")
    assert (records["blank"]["kgco2e"], records["blank"]["carbon_evidence"]) == (None, "unknown")
    report = docs["sustainability-report.md"]
    # estate: 1,234.56 + 876 = 2,110.56 -> 2,110.6, from 2 of the 3 running applications
    assert "about <strong>2,110.6 kg of CO2 equivalent a year</strong>, counting the 2 applications" in report
    assert "1 application has none and is not counted" in report
    assert "source: Grid &lt;factor&gt; &amp; source" in report  # escaped
