"""The governance kinds in ``ea export json``, ``xlsx`` and ``archimate``:
priorities as Goals, principles as Principles, proposals as Work Packages and
decisions as Assessments, with relationships ArchiMate allows, still valid
against the Open Group XSD."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MakeRepo
from lxml import etree

from generator.checks.validate import validate
from generator.cli import main
from generator.interop.archimate import ALLOWED, NS, export_archimate, validate_xsd
from generator.interop.export import catalog_json, export_xlsx

XSD_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "archimate" / "xsd" / "local"
A = f"{{{NS}}}"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"

FILES = {
    "architecture/priorities/thriving.md": "---\nname: Thriving communities\n---\n",
    "architecture/priorities/homes.md": (
        "---\nname: Homes people need\nparent: thriving\nowner: planning\nfrom: 2025-04-01\nuntil: 2030-03-31\n---\n"
    ),
    "architecture/principles/reuse.md": "---\nname: Reuse before buy\nstatement: Reuse first.\nstatus: agreed\n---\n",
    "proposals/2026-001-portal.md": """\
---
name: Planning portal
requested_by: planning
submitted: 2026-01-10
status: delivered
priorities: [homes]
capabilities: [planning-applications]
meeting: 2026-02-11
options:
  - name: Extend Uniform
    application: uniform
    one_off_cost: 12000
    recommended: true
  - name: Idox portal
    vendor: idox
    product: Portal
    hosting: saas
    annual_cost: 9000
    sustainability: {energy: renewable, assessed: 2026-01-20}
principles:
  reuse: {meets: yes, note: "Uniform, reused"}
decision: 0002-portal
delivers: [uniform]
one_off_cost: 12000
---
What the planning service asked for.
""",
    "architecture/decisions/0001-old.md": "---\nname: Old\nstatus: superseded\ndate: 2025-01-01\n---\n",
    "architecture/decisions/0002-portal.md": (
        "---\nname: Extend Uniform\nstatus: accepted\ndate: 2026-02-11\nsupersedes: [0001-old]\n"
        "proposals: [2026-001-portal]\napplications: [uniform]\nprinciples: [reuse]\npriorities: [homes]\n---\n"
        "## Context\nWhy.\n"
    ),
}


@pytest.fixture
def root(make_repo: MakeRepo) -> Path:
    root: Path = make_repo(FILES)
    assert validate(root, use_cache=False).findings == []
    return root


def _archimate(root: Path, views: bool = True) -> bytes:
    return export_archimate(validate(root, use_cache=False).catalog, name="Governed", views=views)


def test_archimate_maps_the_governance_kinds(root: Path) -> None:
    tree = etree.fromstring(_archimate(root))
    types = {e.get("identifier"): e.get(XSI_TYPE) for e in tree.iter(A + "element")}
    assert types["id-priority-homes"] == "Goal"
    assert types["id-principle-reuse"] == "Principle"
    assert types["id-proposal-2026-001-portal"] == "WorkPackage"
    assert types["id-decision-0002-portal"] == "Assessment"
    rels = [
        (r.get(XSI_TYPE), r.get("source"), r.get("target"), r.findtext(A + "name"))
        for r in tree.iter(A + "relationship")
    ]
    p, d = "id-proposal-2026-001-portal", "id-decision-0002-portal"
    expected = {
        ("Composition", "id-priority-thriving", "id-priority-homes", None),
        ("Association", "id-org-planning", "id-priority-homes", "owns"),
        ("Association", "id-org-planning", p, "requested"),
        ("Realization", p, "id-priority-homes", None),
        ("Realization", p, "id-app-uniform", None),
        ("Association", p, "id-cap-planning-applications", "for"),
        ("Association", p, "id-app-uniform", "option: reuse"),
        ("Association", p, "id-vendor-idox", "option: supplier"),
        ("Influence", p, "id-principle-reuse", "meets: yes"),
        ("Association", d, "id-decision-0001-old", "supersedes"),
        ("Association", d, "id-app-uniform", "about"),
        ("Association", d, "id-principle-reuse", "applies"),
        ("Association", d, "id-priority-homes", "serves"),
    }
    assert expected <= set(rels)
    # declared on both sides (the proposal's decision, the decision's proposals): one relationship
    assert rels.count(("Association", d, p, "decides")) == 1
    for kind, source, target, _ in rels:
        assert kind == "Association" or kind in ALLOWED[(types[source], types[target])], (kind, source, target)
    definitions = {x.findtext(A + "name"): x.get("type") for x in tree.iter(A + "propertyDefinition")}
    names = {x.get("identifier"): x.findtext(A + "name") for x in tree.iter(A + "propertyDefinition")}
    [element] = [e for e in tree.iter(A + "element") if e.get("identifier") == p]
    props = {names[x.get("propertyDefinitionRef")]: x.findtext(A + "value") for x in element.iter(A + "property")}
    assert props["Status"] == "delivered" and props["Recommended option"] == "Extend Uniform"
    assert props["Submitted"] == "2026-01-10" and props["One-off cost (GBP)"] == "12000"
    assert definitions["Digital Group meeting"] == "date" and definitions["One-off cost (GBP)"] == "number"
    folders = [i.findtext(A + "label") for i in tree.find(A + "organizations")]
    assert "Motivation" in folders and "Implementation & Migration" in folders


@pytest.mark.skipif(not XSD_DIR.is_dir(), reason=f"the Open Group XSDs are not in {XSD_DIR} (shared data)")
@pytest.mark.parametrize("xsd", ["archimate3_Model.xsd", "archimate3_Diagram_with_dc.xsd"])
def test_archimate_with_governance_validates_against_the_xsd(root: Path, xsd: str) -> None:
    # views belong to the Diagram XSD; the Model XSD takes a model-only export
    assert validate_xsd(_archimate(root, views=xsd != "archimate3_Model.xsd"), XSD_DIR / xsd) == []


def test_json_carries_the_new_kinds_their_relations_and_the_assessment(root: Path) -> None:
    data = catalog_json(validate(root, use_cache=False).catalog)
    [homes] = [p for p in data["priorities"] if p["id"] == "homes"]
    assert homes["from"] == "2025-04-01" and homes["until"] == "2030-03-31"
    assert [r["id"] for r in homes["relations"]["served_by"]] == ["2026-001-portal"]
    [old] = [d for d in data["decisions"] if d["id"] == "0001-old"]
    assert [r["id"] for r in old["relations"]["superseded_by"]] == ["0002-portal"]
    [proposal] = data["proposals"]
    assert proposal["principles"] == {"reuse": {"meets": "yes", "note": "Uniform, reused"}}
    assert [r["data"] for r in proposal["relations"]["assessed_against"]] == ["yes"]
    assessment = proposal["assessment"]
    assert [e["application"] for e in assessment["existing"]] == ["uniform"]
    # conftest's scheme: saas 2x4 + renewable 1x4 = 12 of 12; no supplier criteria
    assert [(o["kind"], o["rating"], o["score"]) for o in assessment["options"]] == [
        ("reuse", "A", 100.0),
        ("new", "A", 100.0),
    ]
    assert assessment["decisions"] == ["0002-portal"] and "age_days" not in assessment
    assert json.loads(json.dumps(data)) == data


def test_xlsx_has_a_sheet_per_governance_kind(root: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(export_xlsx(validate(root, use_cache=False).catalog)))
    assert {"Priorities", "Principles", "Proposals", "Proposal options", "Decisions"} <= set(book.sheetnames)
    proposals = list(book["Proposals"].iter_rows(values_only=True))
    row = dict(zip(proposals[0], proposals[1], strict=True))
    assert (row["Status"], row["Recommended option"], row["Recommended option rating"]) == (
        "delivered",
        "Extend Uniform",
        "A",
    )
    assert row["Decisions"] == "Extend Uniform" and row["Principles met"] == "yes 1, partly 0, no 0"
    options = list(book["Proposal options"].iter_rows(values_only=True))
    assert [r[2:4] for r in options[1:]] == [("Extend Uniform", "reuse"), ("Idox portal", "new")]
    assert book["Proposal options"]["J2"].number_format == '"£"#,##0.00'
    decisions = list(book["Decisions"].iter_rows(values_only=True))
    by_id = {r[0]: dict(zip(decisions[0], r, strict=True)) for r in decisions[1:]}
    assert by_id["0001-old"]["Superseded by"] == "Extend Uniform"
    assert by_id["0002-portal"]["Proposals"] == "Planning portal"


def test_a_repository_without_governance_gets_no_empty_sheets(make_repo: MakeRepo) -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(export_xlsx(validate(make_repo(), use_cache=False).catalog)))
    assert book.sheetnames == ["Applications", "Capabilities", "Vendors", "Organisation units"]


def test_export_command_writes_the_governance_layer(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "catalog.json"
    result = CliRunner().invoke(main, ["export", "json", str(root), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [p["id"] for p in json.loads(out.read_text(encoding="utf-8"))["proposals"]] == ["2026-001-portal"]
