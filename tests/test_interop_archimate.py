"""ArchiMate Model Exchange File Format: the export validates against the
Open Group XSD (offline), uses only relationships ArchiMate allows, reads back
into the same model; the import reads every real exchange file in the shared
folder and refuses the invalid one without writing anything."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SCHEME, MakeRepo, app, run, show, write_files
from lxml import etree

from generator.checks.validate import validate
from generator.cli import main
from generator.core.errors import EaError
from generator.interop.archimate import ALLOWED, NS, export_archimate, plan_archimate, validate_xsd

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "archimate"
XSD_DIR = SHARED / "xsd" / "local"
EXAMPLES = SHARED / "examples"
VALID_EXAMPLES = sorted(p for p in EXAMPLES.glob("*/*.xml") if p.name != "aoeff_3_1.xml") if EXAMPLES.is_dir() else []
INVALID_EXAMPLE = EXAMPLES / "arktect" / "aoeff_3_1.xml"

needs_xsd = pytest.mark.skipif(
    not XSD_DIR.is_dir(), reason=f"the Open Group XSDs are not in {XSD_DIR} (shared data, not part of the project)"
)
needs_examples = pytest.mark.skipif(
    not EXAMPLES.is_dir(), reason=f"the real exchange files are not in {EXAMPLES} (shared data)"
)
needs_council = pytest.mark.skipif(
    not (ROOT / "applications").is_dir(), reason="the example council's content folders are not there yet"
)

A = f"{{{NS}}}"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


def _small(make_repo: MakeRepo) -> Path:
    """The minimal repository plus what exercises every mapping: a capability
    hierarchy, an owner, an origin council, data flows and a successor."""
    return make_repo(
        {
            "capabilities/planning.md": "---\nname: Planning & <building> control\nlgsl: [524, 1]\n---\nTop.\n",
            "capabilities/planning-applications.md": (
                "---\nname: Planning applications\nparent: planning\nowner: planning\n"
                "description: Deciding applications\ntags: [core]\n---\nReceiving and deciding.\n"
            ),
            "architecture/organisations/north.md": "---\nname: North Council\ntype: council\n---\n",
            "architecture/organisations/planning.md": (
                "---\nname: Planning and Building Control\ntype: service\nparent: north\n---\nThe service.\n"
            ),
            "applications/academy.md": app(
                "Academy",
                extra='vendor: idox\norigin: north\ndepends_on:\n  - {app: uniform, data: Fees & "refunds"}\n'
                "  - uniform\nannual_cost: 1250.5\ncontract: {end: 2027-03-31, notice_months: 6}\n"
                "disposition: migrate\nreplaced_by: uniform\nusers: 12\n",
            ),
        }
    )


def _export(root: Path, name: str = "Test council", *, views: bool = True) -> bytes:
    result = validate(root, use_cache=False)
    return export_archimate(result.catalog, name=name, views=views)


# --- export ----------------------------------------------------------------------------------------------------


@needs_xsd
@pytest.mark.parametrize(
    ("xsd", "views"),
    [("archimate3_Diagram.xsd", True), ("archimate3_Diagram_with_dc.xsd", True), ("archimate3_Model.xsd", False)],
)
def test_export_of_a_small_repository_validates_against_the_xsd(make_repo: MakeRepo, xsd: str, views: bool) -> None:
    data = _export(_small(make_repo), views=views)
    assert (b"<views>" in data) is views  # the Model XSD has no views: a model-only export is valid against it
    assert validate_xsd(data, XSD_DIR / xsd) == []


@needs_xsd
@needs_council
def test_export_of_the_example_council_validates_against_the_xsd() -> None:
    data = _export(ROOT)
    # the capability and estate maps, one view per application and one per milestone
    views = (
        2
        + len(list((ROOT / "applications").rglob("*.md")))
        + len(list((ROOT / "architecture" / "milestones").glob("*.md")))
    )
    assert data.count(b'xsi:type="Diagram"') == views
    assert validate_xsd(data, XSD_DIR / "archimate3_Diagram_with_dc.xsd") == []
    assert validate_xsd(_export(ROOT, views=False), XSD_DIR / "archimate3_Model.xsd") == []
    assert data.count(b'xsi:type="ApplicationComponent"') == len(list((ROOT / "applications").rglob("*.md")))


@needs_xsd
def test_the_xsd_check_is_real_a_broken_export_fails_it(make_repo: MakeRepo) -> None:
    data = _export(_small(make_repo), views=False).replace(b'xsi:type="Realization"', b'xsi:type="Realisation"', 1)
    problems = validate_xsd(data, XSD_DIR / "archimate3_Model.xsd")
    assert problems and "Realisation" in problems[0]


def test_export_maps_kinds_and_relations_to_allowed_archimate_concepts(make_repo: MakeRepo) -> None:
    root = etree.fromstring(_export(_small(make_repo)))
    types = {e.get("identifier"): e.get(XSI_TYPE) for e in root.iter(A + "element")}
    assert types["id-app-academy"] == "ApplicationComponent"
    assert types["id-cap-planning"] == "Capability"
    assert types["id-vendor-idox"] == "BusinessActor" and types["id-org-planning"] == "BusinessActor"
    rels = {
        (r.get(XSI_TYPE), r.get("source"), r.get("target"), r.findtext(A + "name"))
        for r in root.iter(A + "relationship")
    }
    assert ("Realization", "id-app-academy", "id-cap-planning-applications", None) in rels
    assert ("Flow", "id-app-uniform", "id-app-academy", 'Fees & "refunds"') in rels, "the dependency serves"
    assert ("Serving", "id-app-uniform", "id-app-academy", None) in rels
    assert ("Composition", "id-cap-planning", "id-cap-planning-applications", None) in rels
    assert ("Association", "id-vendor-idox", "id-app-academy", "supplies") in rels
    assert ("Association", "id-org-planning", "id-app-academy", "owns") in rels
    assert ("Association", "id-org-north", "id-app-academy", "brought") in rels
    assert ("Association", "id-app-academy", "id-app-uniform", "replaced by") in rels
    for kind, source, target, _ in rels:
        pair = (types[source], types[target])
        assert kind == "Association" or kind in ALLOWED[pair], (kind, pair)


def test_export_escapes_names_and_types_property_values(make_repo: MakeRepo) -> None:
    data = _export(_small(make_repo))
    assert b"Planning &amp; &lt;building&gt; control" in data
    root = etree.fromstring(data)
    definitions = {d.findtext(A + "name"): d.get("type") for d in root.iter(A + "propertyDefinition")}
    assert definitions["Lifecycle"] == "string"
    assert definitions["Annual cost (GBP)"] == "number"
    assert definitions["Contract end"] == "date"
    assert definitions["Sustainability rating"] == "string"
    assert definitions["Sustainability: energy"] == "string"
    assert all(re.fullmatch(r"[A-Za-z_][\w.\-]*", i) for i in (e.get("identifier") for e in root.iter()) if i)


def test_export_is_deterministic(make_repo: MakeRepo) -> None:
    root = _small(make_repo)
    assert _export(root) == _export(root)


def test_export_command_checks_against_an_xsd_and_refuses_errors(tmp_path: Path, make_repo: MakeRepo) -> None:
    broken = make_repo({"applications/bad.md": app("Bad", owner="nobody")})
    out = tmp_path / "model.xml"
    result = CliRunner().invoke(main, ["export", "archimate", str(broken), "-o", str(out)])
    assert result.exit_code == 1 and "Export stopped" in result.output
    assert not out.exists()


@needs_xsd
def test_export_command_with_xsd(tmp_path: Path, make_repo: MakeRepo) -> None:
    out = tmp_path / "model.xml"
    xsd = XSD_DIR / "archimate3_Diagram_with_dc.xsd"
    result = CliRunner().invoke(
        main, ["export", "archimate", str(_small(make_repo)), "-o", str(out), "--xsd", str(xsd)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>')


# --- import ----------------------------------------------------------------------------------------------------


@needs_examples
@pytest.mark.parametrize("path", VALID_EXAMPLES, ids=lambda p: p.name)
def test_every_real_exchange_file_imports_into_a_repository_that_validates(tmp_path: Path, path: Path) -> None:
    root = write_files(tmp_path / "repo", {"architecture/sustainability.md": SCHEME})
    result = CliRunner().invoke(main, ["import", "archimate", str(path), "--root", str(root)])
    assert result.exit_code == 0, result.output
    findings = run(root)
    assert not [f for f in findings if f.severity.value == "error"], show(findings)
    apps = list((root / "applications").glob("*.md")) if (root / "applications").is_dir() else []
    expected = len({re.sub(r"\s+", " ", n).strip().casefold() for n in _names(path, "ApplicationComponent")})
    assert len(apps) == expected


def _names(path: Path, kind: str) -> list[str]:
    root = etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=False)).getroot()
    return [e.findtext(A + "name") or "" for e in root.iter(A + "element") if e.get(XSI_TYPE) == kind]


@needs_examples
def test_the_sparx_windows_1252_file_keeps_its_structure(tmp_path: Path) -> None:
    plan = plan_archimate(tmp_path, EXAMPLES / "arktect" / "aoeff_3_0_sparx.xml")
    paths = {f.path for f in plan.files}
    assert "applications/app-a.md" in paths and "capabilities/capability.md" in paths
    assert any(m.level == "renamed" and "business-actor-2" in m.text for m in plan.messages)
    defaults = [m for m in plan.messages if m.level == "default"]
    assert any("hosting: on-premises" in m.text for m in defaults)
    text = next(f.content.decode() for f in plan.files if f.path == "applications/app-a.md")
    assert "**To be confirmed:**" in text and "owner: unassigned" in text


@needs_examples
def test_archisurance_dependencies_come_from_serving_relationships(tmp_path: Path) -> None:
    plan = plan_archimate(tmp_path, EXAMPLES / "archi" / "archisurance.xml")
    portal = next(f.content.decode() for f in plan.files if f.path == "applications/web-portal.md")
    assert "depends_on:\n- call-center-application\n- crm-system\n- risk-assessment\n" in portal
    ignored = " ".join(m.text for m in plan.messages if m.level == "ignored")
    assert "BusinessProcess (9)" in ignored and "Triggering" in ignored


@needs_examples
def test_the_invalid_exchange_file_is_a_clear_error_and_nothing_is_written(tmp_path: Path, make_repo: MakeRepo) -> None:
    root = make_repo()
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    result = CliRunner().invoke(main, ["import", "archimate", str(INVALID_EXAMPLE), "--root", str(root)])
    assert result.exit_code == 2
    assert "not a valid exchange file; nothing was imported" in result.output
    assert "'Has Owner'" in result.output and "line 20" in result.output
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


def test_not_an_exchange_file_and_not_xml_are_clear_errors(tmp_path: Path) -> None:
    (tmp_path / "a.xml").write_text("<model><element/></model>")
    with pytest.raises(EaError, match=r"not an ArchiMate 3\.x exchange file"):
        plan_archimate(tmp_path, tmp_path / "a.xml")
    (tmp_path / "b.xml").write_text("<model")
    with pytest.raises(EaError, match="not well-formed XML"):
        plan_archimate(tmp_path, tmp_path / "b.xml")


def test_entities_are_not_expanded(tmp_path: Path) -> None:
    hostile = (
        '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f'<model xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m">'
        '<name>m</name><elements><element identifier="a" xsi:type="Capability"><name>&x;</name></element>'
        "</elements></model>"
    )
    (tmp_path / "h.xml").write_text(hostile)
    plan = plan_archimate(tmp_path, tmp_path / "h.xml")
    assert all(b"root:" not in f.content for f in plan.files)


def test_import_never_overwrites_and_reuses_existing_entities(tmp_path: Path, make_repo: MakeRepo) -> None:
    source = _small(make_repo)
    path = tmp_path / "model.xml"
    path.write_bytes(_export(source))
    plan = plan_archimate(source, path)
    assert plan.files == []
    assert {m.level for m in plan.messages} == {"exists", "ignored"}
    [views] = [m.text for m in plan.messages if m.level == "ignored"]
    assert views.startswith("4 views not imported ('Capability map', 'Estate integration map', 'Integrations of")


def test_export_import_export_gives_the_same_model(tmp_path: Path, make_repo: MakeRepo) -> None:
    first = _export(_small(make_repo))
    path = tmp_path / "model.xml"
    path.write_bytes(first)
    target = write_files(tmp_path / "empty", {"architecture/sustainability.md": SCHEME})
    result = CliRunner().invoke(main, ["import", "archimate", str(path), "--root", str(target)])
    assert result.exit_code == 0, result.output
    assert _export(target) == first


@needs_council
def test_the_example_council_survives_export_import_export(tmp_path: Path) -> None:
    """The estate comes back whole; the governance layer (goals, principles,
    work packages, assessments) is exported but not imported."""
    first = _export(ROOT)
    path = tmp_path / "council.xml"
    path.write_bytes(first)
    scheme = (ROOT / "architecture" / "sustainability.md").read_text(encoding="utf-8")
    target = write_files(tmp_path / "empty", {"architecture/sustainability.md": scheme})
    plan = plan_archimate(target, path)
    assert plan.skipped == [] and not [m for m in plan.messages if m.level == "default"]
    ignored = " ".join(m.text for m in plan.messages if m.level == "ignored")
    assert all(t in ignored for t in ("Goal", "Principle", "WorkPackage", "Assessment")), ignored
    plan.apply()
    estate = validate(ROOT, use_cache=False).catalog
    estate.priorities, estate.principles, estate.proposals, estate.decisions = {}, {}, {}, {}
    estate.milestones = {}  # drawn as views, not elements: nothing of them to import
    assert _export(target) == export_archimate(estate, name="Test council")
