"""The LGSL check against the LGA's list, and the Excel and JSON exports."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MakeRepo, app, line_in

from generator.checks.lgsl import check_lgsl, labels, parse_services, read_services
from generator.checks.validate import validate
from generator.cli import main
from generator.core.errors import EaError
from generator.interop.export import export_xlsx

LGSL = Path(__file__).resolve().parents[2] / "shared" / "data" / "lgsl" / "englishAndWelshServices.csv"
needs_lgsl = pytest.mark.skipif(not LGSL.is_file(), reason=f"the LGA's service list is not at {LGSL} (shared data)")

CAP = "---\nname: Waste collection\nlgsl:\n  - 524\n  - 99999\n  - 1\n  - 88888\n---\nBins.\n"


@needs_lgsl
def test_the_shared_list_reads_with_its_byte_order_mark() -> None:
    services = read_services(LGSL)
    assert len(services) > 900
    assert services[524].label == "Household waste collection"
    assert services[1614].label == "16 to 19 bursary fund", "the first row, right after the BOM"


@needs_lgsl
def test_unknown_codes_are_findings_at_their_list_item(make_repo: MakeRepo) -> None:
    root = make_repo({"capabilities/waste-collection.md": CAP})
    catalog = validate(root, use_cache=False).catalog
    findings = check_lgsl(catalog, read_services(LGSL), "englishAndWelshServices.csv")
    assert [(f.code, f.path, f.line) for f in findings] == [
        ("EA190", "capabilities/waste-collection.md", line_in(CAP, "99999")),
        ("EA190", "capabilities/waste-collection.md", line_in(CAP, "88888")),
    ]
    assert "99999" in findings[0].message and findings[0].hint


@needs_lgsl
def test_labels_for_a_capability_page() -> None:
    services = read_services(LGSL)
    assert labels(services, [524, 99999]) == [(524, "Household waste collection"), (99999, None)]


def test_a_windows_1252_list_and_a_list_without_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes("Identifier,Label\n524,Café waste\n".encode("cp1252"))
    assert read_services(path)[524].label == "Café waste"
    with pytest.raises(EaError, match="no 'Identifier' and 'Label' columns"):
        parse_services("Code,Name\n1,x\n")


# --- exports ---------------------------------------------------------------------------------------------------


def test_xlsx_has_one_sheet_per_kind_with_headers_a_person_reads(make_repo: MakeRepo) -> None:
    from openpyxl import load_workbook

    root = make_repo(
        {"applications/academy.md": app("Academy", extra="annual_cost: 12500\ncontract: {end: 2027-03-31}\n")}
    )
    book = load_workbook(io.BytesIO(export_xlsx(validate(root, use_cache=False).catalog)))
    assert book.sheetnames == ["Applications", "Capabilities", "Vendors", "Organisation units"]
    apps = book["Applications"]
    headers = [c.value for c in apps[1]]
    assert headers[:4] == ["Id", "Name", "Aliases", "Vendor"] and "Annual cost (£)" in headers
    academy = [c for c in apps[2]]
    cost = academy[headers.index("Annual cost (£)")]
    assert cost.value == 12500 and "£" in cost.number_format
    assert academy[headers.index("Contract end")].number_format == "dd/mm/yyyy"
    assert [c.value for c in book["Capabilities"][2]][:2] == ["planning-applications", "Planning applications"]


def test_json_holds_every_entity_with_relations_both_ways(tmp_path: Path, make_repo: MakeRepo) -> None:
    root = make_repo({"applications/academy.md": app("Academy", extra="depends_on:\n  - {app: uniform, data: fees}\n")})
    out = tmp_path / "catalog.json"
    result = CliRunner().invoke(main, ["export", "json", str(root), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert [a["id"] for a in data["applications"]] == ["academy", "uniform"]
    academy = data["applications"][0]
    assert academy["relations"]["depends_on"] == [
        {"kind": "application", "id": "uniform", "name": "Uniform", "data": "fees"}
    ]
    assert academy["sustainability_rating"] == {"rating": "A", "score": 100.0}
    uniform = data["applications"][1]
    assert uniform["relations"]["used_by"][0]["id"] == "academy"
    cap = data["capabilities"][0]
    assert {r["id"] for r in cap["relations"]["supported_by"]} == {"academy", "uniform"}
    assert data["organisation_units"][0]["relations"]["owns"][0]["kind"] in ("application", "capability")
    assert uniform["body"] == "What the system does.\n"
