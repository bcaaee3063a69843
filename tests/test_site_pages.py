"""Page generation from small repositories, without running MkDocs: which
pages exist, what they say, how they link, and the register downloads."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import TODAY, MakeRepo, app, line_in

from generator.checks.validate import validate
from generator.core.errors import EaError
from generator.site.context import SiteContext
from generator.site.generate import generate_docs, page_count
from generator.site.urls import Urls

CHILD_CAPABILITY = """\
---
name: Householder applications
parent: planning-applications
owner: planning
tags: [planning]
---
"""

PORTAL = app(
    "Planning Portal Connector",
    capabilities="householder-applications",
    extra="""\
vendor: idox
product: Portal connector
annual_cost: 12500
contract:
  end: 2027-03-31
  notice_months: 6
  reference: PLN-7
depends_on:
  - app: uniform
    data: planning applications
tags: [planning, integration]
""",
)


def docs_of(root: Path, *, today: date = TODAY, edit_base: str | None = None) -> dict[str, str]:
    result = validate(root, today=today, use_cache=False)
    ctx = SiteContext.create(result.catalog, result.findings, today, urls=Urls(True), edit_base=edit_base)
    return {k: v.decode("utf-8-sig") for k, v in generate_docs(ctx).items()}


def front(page: str) -> dict[str, object]:
    return yaml.safe_load(page.split("---\n", 2)[1])


def hrefs(page: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', page)


@pytest.fixture
def repo(make_repo: MakeRepo) -> Path:
    return make_repo(
        {
            "capabilities/householder-applications.md": CHILD_CAPABILITY,
            "applications/planning/portal.md": PORTAL,
        }
    )


def test_every_entity_register_and_overview_page_is_generated(repo: Path) -> None:
    docs = docs_of(repo)
    expected = {
        "index.md",
        "applications/index.md",
        "capabilities/index.md",
        "vendors/index.md",
        "organisations/index.md",
        "applications/uniform.md",
        "applications/portal.md",
        "capabilities/planning-applications.md",
        "capabilities/householder-applications.md",
        "vendors/idox.md",
        "organisations/planning.md",
        "capability-hierarchy.md",
        "capability-map.md",
        "integration-map.md",
        "tags.md",
        "sustainability.md",
        "rationalisation.md",
        "sustainability-report.md",
        # governance: present (saying there is nothing yet) before the first request
        "entrance-hall.md",
        "decisions/index.md",
        "meetings/index.md",
        "principles/index.md",
        "priorities/index.md",
        "roadmap/index.md",
        "roadmap/planning-applications.md",  # a roadmap per level-1 capability
    }
    assert {p for p in docs if p.endswith(".md")} == expected
    assert page_count({k: b"" for k in docs}) == len(expected)
    for kind in ("applications", "capabilities", "vendors", "organisations"):
        assert f"downloads/{kind}.csv" in docs and f"downloads/{kind}.json" in docs
    assert {"ea-assets/ea.js", "ea-assets/ea.css"} <= set(docs)


def test_relations_are_shown_both_ways_with_the_data_that_flows(repo: Path) -> None:
    docs = docs_of(repo)
    portal, uniform = docs["applications/portal.md"], docs["applications/uniform.md"]
    assert "<dt>Depends on" in portal and "<dt>Used by" in uniform
    assert '<a href="../uniform/">Uniform</a> <span class="ea-flow">(planning applications)</span>' in portal
    assert (
        '<a href="../portal/">Planning Portal Connector</a> <span class="ea-flow">(planning applications)</span>'
        in uniform
    )
    cap = docs["capabilities/householder-applications.md"]
    assert "<dt>Supported by" in cap and 'href="../../applications/portal/"' in cap
    assert "<dt>Part of" in cap and 'href="../planning-applications/"' in cap
    parent = docs["capabilities/planning-applications.md"]
    assert "<dt>Made up of" in parent and 'href="../householder-applications/"' in parent
    vendor = docs["vendors/idox.md"]
    assert "<dt>Supplies <span" in vendor and 'href="../../applications/portal/"' in vendor
    assert '<a href="https://www.idoxgroup.com" rel="noopener noreferrer">' in vendor


def test_fields_are_readable(repo: Path) -> None:
    portal = docs_of(repo)["applications/portal.md"]
    assert "£12,500 a year" in portal
    assert "Ends on 31 March 2027" in portal
    assert "6 months&#x27; notice: must be given by 30 September 2026" in portal
    assert "Reference PLN-7" in portal
    assert "Software as a service (SaaS)" in portal
    assert "Score 100 out of 100" in portal and "Assessed on 15 January 2026" in portal
    assert '<div class="ea-diagram" data-view="context" data-kind="application" data-id="portal">' in portal


def test_front_matter_carries_the_escaped_title_and_tags(repo: Path) -> None:
    meta = front(docs_of(repo)["applications/portal.md"])
    assert meta == {"title": "Planning Portal Connector", "tags": ["planning", "integration"]}
    assert front(docs_of(repo)["applications/index.md"])["search"] == {"exclude": True}


def test_edit_links_go_to_the_content_file(repo: Path) -> None:
    docs = docs_of(repo, edit_base="https://github.com/council/ea/edit/main/")
    assert (
        'href="https://github.com/council/ea/edit/main/applications/planning/portal.md"'
        in docs["applications/portal.md"]
    )
    assert 'href="https://github.com/council/ea/edit/main/architecture/vendors/idox.md"' in docs["vendors/idox.md"]
    assert "Edit this page" not in docs_of(repo)["applications/portal.md"]


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "*x* and _y_", "[a](b)", 'Tom & "Jerry"'])
def test_names_are_escaped_everywhere_they_appear(make_repo: MakeRepo, name: str) -> None:
    root = make_repo({"applications/odd.md": app(json.dumps(name), extra="depends_on: [uniform]\n")})
    docs = docs_of(root)
    escaped = name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    assert front(docs["applications/odd.md"])["title"] == escaped
    assert f"<h1>{escaped}</h1>" in docs["applications/odd.md"]
    assert f">{escaped}</a>" in docs["applications/index.md"]
    assert f">{escaped}</a>" in docs["applications/uniform.md"]  # "Used by"
    for page in (p for p in docs if p.endswith(".md")):
        assert "<script>alert" not in docs[page], page


def test_a_dangerous_body_is_neutralised(make_repo: MakeRepo) -> None:
    body = "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(2)>\n"
    root = make_repo({"applications/uniform.md": app(extra="vendor: idox\n").replace("What the system does.\n", body)})
    page = docs_of(root)["applications/uniform.md"]
    description = page.split("## Description", 1)[1].split("## Sustainability", 1)[0]
    assert "<script" not in description and "<img" not in description and "javascript:alert" not in description
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in description and "<a>x</a>" in description


def test_a_body_link_to_nowhere_stops_the_build(make_repo: MakeRepo) -> None:
    root = make_repo({"applications/uniform.md": app().replace("What the system does.", "See [x](missing.md).")})
    with pytest.raises(EaError, match=r"applications/uniform.md:\d+: the link 'missing.md' does not lead"):
        docs_of(root)


def test_a_body_link_to_nowhere_is_reported_with_its_line(make_repo: MakeRepo) -> None:
    text = app().replace("What the system does.", "Intro.\n\nMore text.\n\nSee [x](missing.md).\n\n[y](gone.md)")
    root = make_repo({"applications/uniform.md": text})
    with pytest.raises(EaError) as raised:
        docs_of(root)
    message = str(raised.value)
    assert f"applications/uniform.md:{line_in(text, 'missing.md')}: the link 'missing.md'" in message
    assert f"applications/uniform.md:{line_in(text, 'gone.md')}: the link 'gone.md'" in message


def test_register_csv_opens_in_excel_and_has_one_row_per_entity(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "applications/portal.md": PORTAL.replace("householder-applications", "planning-applications"),
            "applications/sums.md": app('"=SUM(A1:A2)"', extra="annual_cost: 1000.5\n"),
        }
    )
    result = validate(root, today=TODAY, use_cache=False)
    raw = generate_docs(SiteContext.create(result.catalog, result.findings, TODAY))["downloads/applications.csv"]
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["id"] for r in rows] == ["sums", "portal", "uniform"]  # by name: =SUM, Planning, Uniform
    by_id = {r["id"]: r for r in rows}
    assert by_id["portal"]["annual_cost"] == "12500" and by_id["portal"]["contract_end"] == "2027-03-31"
    assert by_id["portal"]["vendor_name"] == "Idox" and by_id["portal"]["tags"] == "planning; integration"
    assert by_id["portal"]["depends_on"] == "uniform"
    assert by_id["sums"]["name"] == "'=SUM(A1:A2)"  # not a formula in Excel
    assert by_id["sums"]["annual_cost"] == "1000.5"
    assert by_id["uniform"]["rating"] == "A" and by_id["uniform"]["page"] == "applications/uniform.html"


def test_register_json_holds_the_same_records(repo: Path) -> None:
    records = json.loads(docs_of(repo)["downloads/applications.json"])
    assert [r["id"] for r in records] == ["portal", "uniform"]
    assert records[0]["depends_on"] == ["uniform"] and records[1]["depends_on"] == []
    assert records[0]["capabilities"] == ["householder-applications"]
    assert records[0]["annual_cost"] == 12500


def test_register_table_offers_filters_and_sortable_columns(repo: Path) -> None:
    page = docs_of(repo)["applications/index.md"]
    assert '<input type="search" data-ea-filter="text"' in page
    assert '<select data-ea-filter="lifecycle"><option value="">All</option><option value="Active">Active</option>' in (
        page
    )
    assert page.count('<button type="button" class="ea-sort">') == 12  # with carbon a year
    row = next(line for line in page.splitlines() if 'href="portal/"' in line)
    assert 'data-lifecycle="Active"' in row and 'data-rating="A"' in row
    assert '<td data-label="Annual cost" class="ea-num" data-sort="000000012500.00">£12,500</td>' in row
    assert '<td data-label="Contract ends" data-sort="2027-03-31">' in row
    # several capabilities in one attribute, each between bars, with those above them
    assert 'data-capability="|Householder applications|Planning applications|"' in row
    assert 'data-owner="Planning and Building Control"' in row and 'data-vendor="Idox"' in row
    assert hrefs(page)[:2] == ["../downloads/applications.csv", "../downloads/applications.json"]


def test_home_lists_contracts_ending_within_twelve_months(make_repo: MakeRepo) -> None:
    later = app("Later", extra="contract: {end: 2027-06-02}\n")
    root = make_repo({"applications/portal.md": PORTAL, "applications/later.md": later})
    home = docs_of(root, today=date(2026, 6, 1))["index.md"]
    section = home.split("## Contracts ending in the next 12 months", 1)[1].split("## For architects", 1)[0]
    assert "1 contract ends between 1 June 2026 and 1 June 2027" in section
    assert ">Planning Portal Connector</a>" in section and "Later" not in section
    assert "30 September 2026" in section  # notice by


def test_home_counts_and_warnings(make_repo: MakeRepo) -> None:
    gap = "---\nname: Street lighting\n---\n"
    root = make_repo({"capabilities/street-lighting.md": gap, "applications/old.md": app("Old", lifecycle="retired")})
    home = docs_of(root)["index.md"]
    assert '<a href="applications/?lifecycle=Active">Active</a></td><td class="ea-num">1</td>' in home
    assert '<a href="applications/?lifecycle=Retired">Retired</a></td><td class="ea-num">1</td>' in home
    things = home.split("## For architects: things to check", 1)[1]
    assert "Capability with no active application (gap)" in things
    assert '<a href="capabilities/street-lighting/">capabilities/street-lighting.md</a>' in things


def test_capability_map_counts_active_applications_rolled_up(repo: Path) -> None:
    docs = docs_of(repo)
    page = docs["capability-map.md"]
    block = page.split('<section class="ea-map-block">', 1)[1]
    # Uniform directly, the portal through the child; the child has the portal alone
    assert 'Planning applications</a> <span class="ea-count" title="2 active applications, including' in block
    assert 'Householder applications</a> <span class="ea-count ea-heat-1" title="1 active application,' in block
    tree = docs["capability-hierarchy.md"]
    assert tree.index("Planning applications") < tree.index("Householder applications")
    assert "<details open><summary>" in tree


def test_capability_page_labels_lgsl_codes_from_the_list(make_repo: MakeRepo) -> None:
    """With the LGA's list, each code shows its service label (escaped), and a
    code the list lacks says so; without a list, the codes alone."""
    from generator.checks.lgsl import Service

    cap = "---\nname: Planning applications\nowner: planning\nlgsl: [485, 9999]\n---\n"
    root = make_repo({"capabilities/planning-applications.md": cap})
    result = validate(root, today=TODAY, use_cache=False)
    services = {485: Service(485, "Planning <applications> & appeals")}
    ctx = SiteContext.create(result.catalog, result.findings, TODAY, urls=Urls(True), lgsl=services)
    page = generate_docs(ctx)["capabilities/planning-applications.md"].decode("utf-8-sig")
    assert "<li>485: Planning &lt;applications&gt; &amp; appeals</li>" in page
    assert "<li>9999: <em>not in the service list</em></li>" in page
    plain = docs_of(root)["capabilities/planning-applications.md"]
    assert "485, 9999" in plain and "not in the service list" not in plain


def test_build_with_the_shared_lgsl_list_shows_labels(make_repo: MakeRepo, tmp_path: Path) -> None:
    """`ea.yml` naming the LGA's list: the built page has the label, and an
    unknown code stops the build as `ea validate` would."""
    from generator.site.build import build_site

    lgsl = Path(__file__).resolve().parents[2] / "shared" / "data" / "lgsl" / "englishAndWelshServices.csv"
    if not lgsl.is_file():
        pytest.skip(f"the LGA's service list is not at {lgsl} (shared data)")
    cap = "---\nname: Waste collection\nowner: planning\nlgsl: [524]\n---\n"
    root = make_repo({"capabilities/waste-collection.md": cap})
    (root / "data").mkdir()
    shutil.copyfile(lgsl, root / "data" / "lgsl.csv")  # ea.yml names files inside the repository only
    (root / "ea.yml").write_text("lgsl: data/lgsl.csv\n", encoding="utf-8")
    built = build_site(root, site_dir=tmp_path / "site", today=TODAY, use_cache=False)
    assert built.site_dir is not None, built.findings
    html = (tmp_path / "site" / "capabilities" / "waste-collection.html").read_text(encoding="utf-8")
    assert "524: Household waste collection" in html
    (root / "capabilities" / "waste-collection.md").write_text(cap.replace("524", "99999"), encoding="utf-8")
    stopped = build_site(root, site_dir=tmp_path / "site", today=TODAY, use_cache=False)
    assert stopped.site_dir is None and [f.code for f in stopped.findings if f.code == "EA190"] == ["EA190"]


def test_a_capability_lists_the_systems_of_every_capability_beneath_it(make_repo: MakeRepo) -> None:
    """The parent has no system of its own here: its page still answers "which
    system, who owns it, when does its contract end" from its children's."""
    grandchild = "---\nname: Prior approvals\nparent: householder-applications\n---\n"
    root = make_repo(
        {
            "capabilities/householder-applications.md": CHILD_CAPABILITY,
            "capabilities/prior-approvals.md": grandchild,
            "applications/portal.md": PORTAL,
            "applications/uniform.md": app("Uniform", capabilities="prior-approvals", extra="vendor: idox\n"),
        }
    )
    parent = docs_of(root)["capabilities/planning-applications.md"]
    section = parent.split("## Applications", 1)[1].split("## Description", 1)[0]
    assert "No application supports" not in section
    assert "2 applications support this capability or one beneath it" in section
    groups = re.findall(r'<h3 class="ea-group">Supporting <a href="[^"]*">([^<]*)</a></h3>', section)
    assert groups == ["Householder applications", "Prior approvals"]  # depth first, each level by name
    portal_row = section.split("Planning Portal Connector</a>", 1)[1].split("</tr>", 1)[0]
    assert ">Planning and Building Control</a>" in portal_row  # the owner
    assert "31 March 2027" in portal_row and "£12,500" in portal_row
    assert section.index("Planning Portal Connector") < section.index(">Uniform</a>")
    lone = docs_of(make_repo({"capabilities/householder-applications.md": CHILD_CAPABILITY}))
    assert (
        "No application supports this capability or any capability beneath it."
        in lone["capabilities/householder-applications.md"]
    )


def test_not_assessed_counts_agree_between_pages(make_repo: MakeRepo) -> None:
    """Retired systems need no assessment: home, the scheme page, the register
    filter and the Sustainability report all count the same ones."""
    root = make_repo(
        {
            "applications/old.md": app("Old", lifecycle="retired", assessed=None),
            "applications/new.md": app("New", assessed=None),
            "applications/newer.md": app("Newer", assessed=None),
        }
    )
    docs = docs_of(root)
    home = docs["index.md"]
    assert re.search(r'\?rating=Not assessed">Not assessed</a></td><td class="ea-num">2</td>', home), home
    assert "2 applications</a> have no assessment" in docs["sustainability.md"]
    register = docs["applications/index.md"]
    assert register.count('data-rating="Not assessed"') == 2
    assert register.count('data-rating="Retired: not rated"') == 1
    from generator.analysis import sustainability_report

    result = validate(root, today=TODAY, use_cache=False)
    report = sustainability_report(result.catalog, TODAY)
    assert [b.count for b in report.distribution if b.rating == "not assessed"] == [2]


def test_a_passed_notice_date_says_so_in_words(make_repo: MakeRepo) -> None:
    """Red alone is no signal for someone who cannot tell red (WCAG 1.4.1)."""
    late = app("Late", extra="contract: {end: 2026-08-31, notice_months: 6}\n")  # notice by 28 February 2026
    docs = docs_of(make_repo({"applications/late.md": late}))
    assert '<span class="ea-late">28 February 2026 (passed)</span>' in docs["index.md"]
    assert "must be given by 28 February 2026 (passed)</span>" in docs["applications/late.md"]


def test_file_paths_and_ids_only_under_for_architects(repo: Path) -> None:
    docs = docs_of(repo)
    for path in ("applications/portal.md", "capabilities/planning-applications.md", "vendors/idox.md"):
        staff, architects = docs[path].split("## For architects", 1)
        assert "<code>" not in staff and ".md</code>" in architects, path
    assert "<code>applications/planning/portal.md</code>" in docs["applications/portal.md"]


def test_the_scheme_page_speaks_in_words_and_keeps_fields_for_architects(repo: Path) -> None:
    page = docs_of(repo)["sustainability.md"]
    staff, architects = page.split("## For architects", 1)
    assert "Software as a service (SaaS): 4" in staff and "On premises: 0" in staff  # not saas / on-premises
    assert "<code>" not in staff
    assert "<code>hosting</code>" in architects and "<code>sustainability.energy</code>" in architects
    uniform = docs_of(repo)["applications/uniform.md"]
    assert "<td>Software as a service (SaaS)</td>" in uniform  # the rating's facts too
