"""The assessment of a proposal (``generator.analysis.governance``) on a small
hand-built repository whose every figure is worked out below by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import TODAY, MakeRepo

from generator.analysis.governance import assess, assess_all, decisions_for
from generator.catalog.catalog import Catalog
from generator.checks.validate import validate

#: Hosting weighs 2, energy 2, the supplier's Carbon Reduction Plan 1; each
#: scores 0-4, so the maximum is 20 points (16 with no supplier).
SCHEME = """\
---
name: Test scheme
criteria:
  - {id: hosting, name: Hosting, fact: hosting, weight: 2, points: {saas: 4, on-premises: 0}}
  - {id: energy, name: Energy, fact: sustainability.energy, weight: 2, points: {renewable: 4, grid: 1}}
  - {id: crp, name: CRP, fact: vendor.carbon_reduction_plan, weight: 1, points: {"true": 4, "false": 0}}
bands:
  - {rating: A, min_score: 80}
  - {rating: C, min_score: 50}
  - {rating: E, min_score: 0}
---
"""


def _app(name: str, cap: str, lifecycle: str = "active", extra: str = "") -> str:
    return (
        f"---\nname: {name}\ncapabilities: [{cap}]\nowner: planning\nlifecycle: {lifecycle}\nhosting: saas\n"
        f"{extra}sustainability: {{energy: renewable, assessed: 2026-01-15}}\n---\n"
    )


FILES = {
    "architecture/sustainability.md": SCHEME,
    "architecture/vendors/civica.md": "---\nname: Civica\ncarbon_reduction_plan: false\n---\n",
    "capabilities/planning.md": "---\nname: Planning\n---\n",
    "capabilities/planning-applications.md": "---\nname: Planning applications\nparent: planning\n---\n",
    "capabilities/enforcement.md": "---\nname: Enforcement\nparent: planning-applications\n---\n",
    # active, on the proposal's capability: 8 + 8 + 4 (Idox has a plan) = 20 of 20
    "applications/uniform.md": _app(
        "Uniform",
        "planning-applications",
        extra="vendor: idox\nproduct: Uniform\nannual_cost: 40000\ndisposition: invest\n"
        "contract: {end: 2027-03-31, notice_months: 6}\n",
    ),
    # active, beneath it, to be eliminated: listed, not a reuse candidate
    "applications/enforcer.md": _app(
        "Enforcer", "enforcement", extra="disposition: eliminate\nreplaced_by: uniform\ncontract: {end: 2026-12-31}\n"
    ),
    # above the proposal's capability, and retired: not listed
    "applications/planning-hub.md": _app("Planning hub", "planning"),
    "applications/old-uniform.md": _app("Old Uniform", "planning-applications", lifecycle="retired"),
    "architecture/priorities/homes.md": "---\nname: Homes people need\n---\n",
    "architecture/priorities/faster-planning.md": "---\nname: Faster planning decisions\nparent: homes\n---\n",
    "architecture/principles/reuse.md": "---\nname: Reuse before buy\nstatement: Reuse.\nstatus: agreed\n---\n",
    "architecture/principles/cloud.md": "---\nname: Cloud first\nstatement: Cloud.\nstatus: agreed\n---\n",
    "architecture/principles/open.md": "---\nname: Open data\nstatement: Open.\nstatus: draft\n---\n",
    "architecture/principles/paper.md": "---\nname: Paper\nstatement: Paper.\nstatus: draft\n---\n",
    "architecture/decisions/0001-portal.md": "---\nname: Portal\nstatus: accepted\ndate: 2026-03-01\n---\n",
    "architecture/decisions/0002-portal-hosting.md": (
        "---\nname: Portal hosting\nstatus: proposed\ndate: 2026-04-01\nproposals: [2026-001-portal]\n---\n"
    ),
    "proposals/2026-001-portal.md": """\
---
name: Planning portal
requested_by: planning
submitted: 2026-01-10
status: approved
needed_by: 2026-05-01
priorities: [faster-planning]
capabilities: [planning-applications]
meeting: 2026-02-11
decision: 0001-portal
one_off_cost: 30000
options:
  - name: Extend Uniform
    application: uniform
    one_off_cost: 12000
  - name: Civica portal
    vendor: civica
    product: Portal
    hosting: saas
    annual_cost: 9000
    sustainability: {energy: grid}
    recommended: true
  - name: Build our own
    hosting: on-premises
    sustainability: {energy: renewable}
  - name: Unassessed product
    vendor: civica
principles:
  reuse: {meets: yes, note: Uniform is reused}
  open: partly
---
""",
}


@pytest.fixture
def catalog(make_repo: MakeRepo) -> Catalog:
    root: Path = make_repo(FILES)
    result = validate(root, today=TODAY, use_cache=False)
    assert not [f for f in result.findings if f.severity == "error"], result.findings
    return result.catalog


def test_what_we_already_have(catalog: Catalog) -> None:
    a = assess(catalog, "2026-001-portal", TODAY)
    assert a.capabilities == ["enforcement", "planning-applications"]
    assert [e.application for e in a.existing] == ["enforcer", "uniform"]
    enforcer, uniform = a.existing
    assert (uniform.owner, uniform.owner_name) == ("planning", "Planning and Building Control")
    assert uniform.annual_cost == 40000
    assert (uniform.vendor_name, uniform.product, uniform.disposition) == ("Idox", "Uniform", "invest")
    # 2027-03-31 less six months
    assert (uniform.contract_end, uniform.notice_months, uniform.notice_date) == (
        date(2027, 3, 31),
        6,
        date(2026, 9, 30),
    )
    assert (uniform.rating, uniform.score, uniform.reuse_candidate) == ("A", 100.0, True)
    assert uniform.capabilities == ["planning-applications"]
    # no notice period: the decision date is the end itself; no supplier, so 16 of 16
    assert (enforcer.notice_date, enforcer.rating, enforcer.score) == (date(2026, 12, 31), "A", 100.0)
    assert enforcer.reuse_candidate is False and enforcer.capabilities == ["enforcement"]


def test_each_options_climate_position(catalog: Catalog) -> None:
    reuse, civica, own, unassessed = assess(catalog, "2026-001-portal", TODAY).options
    # reuse takes Uniform's rating, vendor and hosting
    assert (reuse.kind, reuse.rating, reuse.score, reuse.rated_from) == ("reuse", "A", 100.0, "application")
    assert (reuse.vendor, reuse.hosting, reuse.one_off_cost) == ("idox", "saas", 12000)
    # saas 2x4 + grid 2x1 + Civica's missing plan 1x0 = 10 of 20 = 50.0: band C
    assert (civica.kind, civica.rating, civica.score, civica.rated_from) == ("new", "C", 50.0, "option")
    assert civica.recommended and civica.vendor_name == "Civica"
    # in-house: the supplier criterion does not apply; on-premises 0 + renewable 2x4 = 8 of 16 = 50.0
    assert (own.rating, own.score, own.vendor) == ("C", 50.0, None)
    # no facts recorded: no rating, as for an unassessed application
    assert (unassessed.rating, unassessed.rated_from) == (None, "none")


def test_principles_scorecard_and_priorities(catalog: Catalog) -> None:
    a = assess(catalog, "2026-001-portal", TODAY)
    verdicts = [(p.principle, p.status, p.meets) for p in a.principles]
    # every agreed principle, and the draft one it was assessed against; by name
    assert verdicts == [("cloud", "agreed", None), ("open", "draft", "partly"), ("reuse", "agreed", "yes")]
    assert a.principles[2].note == "Uniform is reused"
    assert a.scorecard.model_dump() == {"yes": 1, "partly": 1, "no": 0, "not_assessed": 1}
    assert [(p.priority, p.name, p.theme, p.theme_name) for p in a.priorities] == [
        ("faster-planning", "Faster planning decisions", "homes", "Homes people need")
    ]


def test_dates_decisions_and_summary(catalog: Catalog) -> None:
    a = assess(catalog, "2026-001-portal", TODAY)
    assert a.age_days == 142  # 10 January to 1 June 2026
    assert a.overdue is False  # approved: no longer waiting, although past needed_by
    assert (a.recommended, a.reuse_considered, a.meeting) == (1, True, date(2026, 2, 11))
    assert a.decisions == ["0001-portal", "0002-portal-hosting"] == decisions_for(catalog, "2026-001-portal")
    assert a.requested_by_name == "Planning and Building Control"
    assert list(assess_all(catalog, TODAY)) == ["2026-001-portal"]
    assert a.model_dump(mode="json")["existing"][1]["notice_date"] == "2026-09-30"


def test_an_open_proposal_past_needed_by_is_overdue(make_repo: MakeRepo) -> None:
    files = dict(FILES)
    files["proposals/2026-001-portal.md"] = FILES["proposals/2026-001-portal.md"].replace(
        "status: approved", "status: triage"
    )
    catalog = validate(make_repo(files), today=TODAY, use_cache=False).catalog
    assert assess(catalog, "2026-001-portal", TODAY).overdue is True
    assert assess(catalog, "2026-001-portal", date(2026, 4, 30)).overdue is False
