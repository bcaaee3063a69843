"""`ea import applications` and `ea export csv`: header synonyms, value maps,
money and date parsing, the never-overwrite and --update rules, every bad row
reported with its number, and the register's round trip."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SCHEME, MakeRepo, app, run, show, write_files

from generator.cli import main
from generator.core.errors import EaError
from generator.interop.applications import plan_applications
from generator.interop.files import Plan
from generator.interop.mapping import load_mapping, parse_date, parse_list, parse_money

HEADER = (
    "System name,Supplier,Service area,Function,Status,Hosted,TIME,Users,Cost (£),Renewal date,Notice period (months)\n"
)


def _csv(tmp_path: Path, text: str, name: str = "register.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _files(plan: Plan) -> dict[str, str]:
    return {f.path: f.content.decode() for f in plan.files}


def _frontmatter(text: str) -> dict:
    import yaml

    return yaml.safe_load(text.split("---\n")[1])


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --- parsing rules ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("£12,500", 12500.0),
        ("12500", 12500.0),
        ("£12,500.50", 12500.5),
        ("GBP 3,000", 3000.0),
        ("£12.5k", 12500.0),
        ("£1.2m", 1_200_000.0),
        (4200, 4200.0),
        (99.95, 99.95),
    ],
)
def test_money_is_read_from_the_ways_registers_write_it(cell: object, expected: float) -> None:
    assert parse_money(cell) == expected


@pytest.mark.parametrize("cell", ["£x", "-£100", "(£100)", "twelve", "£1,2,3.4.5"])
def test_money_that_is_not_an_amount_is_refused(cell: str) -> None:
    with pytest.raises(ValueError):
        parse_money(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("31/03/2027", date(2027, 3, 31)),
        ("1/4/2027", date(2027, 4, 1)),
        ("31-03-2027", date(2027, 3, 31)),
        ("31.03.27", date(2027, 3, 31)),
        ("2027-03-31", date(2027, 3, 31)),
        ("2027-03-31 00:00:00", date(2027, 3, 31)),
        ("31 March 2027", date(2027, 3, 31)),
        ("1st Apr 2027", date(2027, 4, 1)),
        (datetime(2027, 3, 31), date(2027, 3, 31)),
        (46477, date(2027, 3, 31)),  # an Excel serial number
        ("46477", date(2027, 3, 31)),
    ],
)
def test_dates_are_uk_day_first_iso_or_excel(cell: object, expected: date) -> None:
    assert parse_date(cell) == expected


@pytest.mark.parametrize("cell", ["03/31/2027", "31/02/2027", "next March", "12", datetime(2027, 3, 31, 9, 30)])
def test_dates_that_are_not_uk_dates_are_refused(cell: object) -> None:
    with pytest.raises(ValueError):
        parse_date(cell)


def test_lists_split_on_semicolons_first_and_never_inside_brackets() -> None:
    assert parse_list("Planning; Building control") == ["Planning", "Building control"]
    assert parse_list("Planning, Building control") == ["Planning", "Building control"]
    assert parse_list("Licensing, permits and fees; Planning") == ["Licensing, permits and fees", "Planning"]
    assert parse_list("Licensing, permits;") == ["Licensing, permits"]
    assert parse_list("Uniform [applications, decisions]") == ["Uniform [applications, decisions]"]


def test_header_synonyms_value_words_and_units_are_understood(tmp_path: Path) -> None:
    source = _csv(
        tmp_path,
        " SYSTEM NAME ,supplier,Service Area,Function,Status,Hosted,TIME,Users,Cost (£),Renewal date,"
        "Notice period (months)\n"
        'Uniform (North),Idox,Planning,"Planning applications; Building control",Live,On-prem,T,"1,200",'
        '"£12,500",31/03/2027,6\n',
    )
    plan = plan_applications(tmp_path, source)
    assert [m for m in plan.messages if m.level == "skipped"] == []
    data = _frontmatter(_files(plan)["applications/uniform-north.md"])
    assert data == {
        "name": "Uniform (North)",
        "vendor": "idox",
        "capabilities": ["planning-applications", "building-control"],
        "owner": "planning",
        "lifecycle": "active",
        "disposition": "tolerate",
        "hosting": "on-premises",
        "users": 1200,
        "annual_cost": 12500,
        "contract": {"end": date(2027, 3, 31), "notice_months": 6},
    }
    created = _files(plan)
    assert _frontmatter(created["architecture/vendors/idox.md"]) == {"name": "Idox"}
    assert _frontmatter(created["architecture/organisations/planning.md"]) == {"name": "Planning", "type": "service"}
    assert _frontmatter(created["capabilities/building-control.md"]) == {"name": "Building control"}


def test_a_mapping_file_names_columns_value_maps_and_defaults(tmp_path: Path) -> None:
    source = _csv(
        tmp_path,
        "Title,Directorate,Live?,Stuff we ignore,Area\n"
        "Council Tax,Resources,Yes,x,Revenues\n"
        "Old CRM,Resources,Gone,y,CRM\n",
    )
    mapping = _csv(
        tmp_path,
        "columns:\n  Title: name\n  Directorate: owner\n  Live?: lifecycle\n  Stuff we ignore: ignore\n"
        "  Area: capabilities\n"
        "values:\n  Live?: {Yes: active, Gone: retired}\n"
        "defaults:\n  hosting: on-prem\n",
        "mapping.yml",
    )
    plan = plan_applications(tmp_path, source, load_mapping(mapping))
    files = _files(plan)
    assert _frontmatter(files["applications/council-tax.md"])["lifecycle"] == "active"
    assert _frontmatter(files["applications/old-crm.md"])["lifecycle"] == "retired"
    assert _frontmatter(files["applications/old-crm.md"])["hosting"] == "on-premises"
    assert any("'Stuff we ignore' is ignored by the mapping file" in m.text for m in plan.messages)


def test_a_mapping_file_with_an_unknown_field_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    mapping = _csv(tmp_path, "columns:\n  Dept: ownr\n", "mapping.yml")
    with pytest.raises(EaError, match="did you mean 'owner'"):
        load_mapping(mapping)


def test_a_sheet_without_a_name_column_cannot_run(tmp_path: Path) -> None:
    source = _csv(tmp_path, "Supplier,Status\nIdox,Live\n")
    with pytest.raises(EaError, match="no column for the application's name"):
        plan_applications(tmp_path, source)


# --- every row accounted for -----------------------------------------------------------------------------------


def test_every_row_not_taken_is_reported_with_its_number_and_reason(tmp_path: Path) -> None:
    source = _csv(
        tmp_path,
        HEADER + "Uniform,Idox,Planning,Planning,Live,SaaS,,,,,\n"  # row 2: fine
        "Civica,Civica,Revenues,Council tax,Banana,SaaS,,lots,£x,31/02/2027,\n"  # row 3: four bad values
        ",,,,,,,,,,\n"  # row 4: blank
        "Uniform,Idox,Planning,Planning,Live,SaaS,,250,,,\n"  # row 5: same name as row 2, other values
        "No owner,X,,Stuff,Live,SaaS,,,,,\n"  # row 6: missing required owner
        ",Idox,Planning,Planning,Live,SaaS,,,,,\n",  # row 7: no name
    )
    plan = plan_applications(tmp_path, source)
    skipped = {m.where: m.text for m in plan.skipped}
    assert set(skipped) == {"row 3", "row 5", "row 6", "row 7"}, show_messages(plan)
    for reason in (
        "Banana",
        "'lots' is not a whole number",
        "'£x' is not an amount",
        "'31/02/2027' is not a real date",
    ):
        assert reason in skipped["row 3"]
    assert "same name as row 2" in skipped["row 5"]
    assert "no owner" in skipped["row 6"]
    assert "no application name" in skipped["row 7"]
    assert any(m.level == "ignored" and "blank row 4" in m.text for m in plan.messages)
    assert [f.path for f in plan.files if f.kind.value == "application"] == ["applications/uniform.md"]


def test_a_column_nothing_maps_is_reported_not_dropped_silently(tmp_path: Path) -> None:
    source = _csv(tmp_path, HEADER.rstrip("\n") + ",Notes 2\nUniform,Idox,Planning,Planning,Live,SaaS,,,,,,keep me\n")
    plan = plan_applications(tmp_path, source)
    assert any(m.level == "ignored" and "'Notes 2' matches no field" in m.text for m in plan.messages)


def test_a_dependency_on_an_application_nobody_knows_skips_the_row_and_its_dependants(tmp_path: Path) -> None:
    source = _csv(
        tmp_path,
        "Name,Service area,Capability,Status,Hosting,Depends on\n"
        "A,Planning,Planning,Live,SaaS,Ghost\n"
        "B,Planning,Planning,Live,SaaS,A [applications, decisions]\n"
        "C,Planning,Planning,Live,SaaS,\n",
    )
    plan = plan_applications(tmp_path, source)
    assert {m.where for m in plan.skipped} == {"row 2", "row 3"}
    assert "'Ghost'" in next(m.text for m in plan.skipped if m.where == "row 2")
    assert "applications/c.md" in _files(plan)


def test_ids_that_clash_get_a_visible_suffix(tmp_path: Path, make_repo: MakeRepo) -> None:
    root = make_repo({"applications/uniform-north.md": app("Uniform North Legacy", extra="vendor: idox\n")})
    source = _csv(
        tmp_path,
        "Name,Service area,Capability,Status,Hosting\n"
        "Uniform (North),planning,planning-applications,Live,SaaS\n"
        "Uniform North!,planning,planning-applications,Live,SaaS\n",
    )
    plan = plan_applications(root, source)
    renamed = [m for m in plan.messages if m.level == "renamed"]
    assert [m.where for m in renamed] == ["row 2", "row 3"]
    assert "'uniform-north-2'" in renamed[0].text and "applications/uniform-north.md" in renamed[0].text
    assert "'uniform-north-3'" in renamed[1].text
    assert {"applications/uniform-north-2.md", "applications/uniform-north-3.md"} <= set(_files(plan))


# --- writing ---------------------------------------------------------------------------------------------------


def _cli(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_dry_run_prints_the_files_and_writes_nothing(tmp_path: Path, make_repo: MakeRepo) -> None:
    root = make_repo()
    before = _tree(root)
    source = _csv(tmp_path, HEADER + "Academy,Capita,Revenues,Council tax,Live,On-prem,,,,,\n")
    result = _cli("import", "applications", str(source), "--dry-run", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert "--- applications/academy.md (create)" in result.output
    assert "name: Academy" in result.output
    assert "Dry run: nothing was written" in result.output
    assert _tree(root) == before


def test_a_real_import_writes_validates_and_reports(tmp_path: Path, make_repo: MakeRepo) -> None:
    root = make_repo()
    source = _csv(tmp_path, HEADER + "Academy,Capita,planning,Planning applications,Live,On-prem,,,,,\n")
    result = _cli("import", "applications", str(source), "--root", str(root))
    assert result.exit_code == 0, result.output
    assert "Validation: " in result.output
    text = (root / "applications/academy.md").read_text()
    assert "owner: planning" in text and "capabilities:\n- planning-applications" in text
    assert not [f for f in run(root) if f.severity.value == "error"], show(run(root))


def test_existing_files_are_never_overwritten(tmp_path: Path, make_repo: MakeRepo) -> None:
    root = make_repo()
    before = _tree(root)
    source = _csv(tmp_path, HEADER + "Uniform,Idox,planning,Planning applications,Retired,SaaS,,,,,\n")
    result = _cli("import", "applications", str(source), "--root", str(root))
    assert "applications/uniform.md exists: not overwritten" in result.output
    assert _tree(root) == before


def test_update_merges_only_the_sheet_fields_and_keeps_the_body(tmp_path: Path, make_repo: MakeRepo) -> None:
    original = app(extra="vendor: idox\nproduct: Uniform\nusers: 10\n").replace(
        "What the system does.\n", "Body with  odd   spacing\r\nand a CRLF line.\n\n"
    )
    root = make_repo({"applications/uniform.md": original})
    source = _csv(tmp_path, "Name,Users,Annual cost,Status\nUniform,250,£9k,Phase out\n")
    result = _cli("import", "applications", str(source), "--update", "--root", str(root))
    assert result.exit_code == 0, result.output
    raw = (root / "applications/uniform.md").read_bytes()
    assert raw.endswith(b"---\nBody with  odd   spacing\r\nand a CRLF line.\n\n")
    data = _frontmatter(raw.decode())
    assert data["users"] == 250 and data["annual_cost"] == 9000 and data["lifecycle"] == "phase-out"
    assert data["product"] == "Uniform" and data["vendor"] == "idox" and data["hosting"] == "saas"
    assert data["sustainability"] == {"energy": "renewable", "assessed": date(2026, 1, 15)}
    assert list(data)[:4] == ["name", "capabilities", "owner", "lifecycle"], "fields keep their places"
    again = _cli("import", "applications", str(source), "--update", "--root", str(root))
    assert "already has the sheet's values" in again.output
    assert (root / "applications/uniform.md").read_bytes() == raw


def test_imports_refuse_paths_outside_the_content_folders_and_linked_folders(tmp_path: Path) -> None:
    from generator.interop.files import safe_target
    from generator.models.model import Kind

    for rel in ("applications/../x.md", "/etc/x.md", "capabilities/x.md", "applications/x.txt"):
        with pytest.raises(EaError, match="refusing to write"):
            safe_target(tmp_path, Kind.APPLICATION, rel)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "applications").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(EaError, match="symbolic link"):
        safe_target(tmp_path, Kind.APPLICATION, "applications/x.md")


def test_bad_rows_make_the_import_exit_1(tmp_path: Path, make_repo: MakeRepo) -> None:
    root = make_repo()
    source = _csv(tmp_path, HEADER + "Bad,Idox,planning,Planning applications,Banana,SaaS,,,,,\n")
    result = _cli("import", "applications", str(source), "--root", str(root))
    assert result.exit_code == 1
    assert "row 2: 'Bad': Status: lifecycle 'Banana'" in result.output


def test_xlsx_with_a_title_row_real_dates_and_serial_numbers(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.append(["Application register, March 2026"])
    ws.append(["Application", "Supplier", "Business owner", "Capabilities", "Lifecycle", "Hosting", "Contract end"])
    ws.append(["Uniform", "Idox", "Planning", "Planning", "Live", "SaaS", datetime(2027, 3, 31)])
    ws.append(["Academy", "Capita", "Revenues", "Council tax", "Live", "On-prem", 46477])
    path = tmp_path / "register.xlsx"
    book.save(path)
    plan = plan_applications(tmp_path, path)
    files = _files(plan)
    assert not plan.skipped, show_messages(plan)
    assert _frontmatter(files["applications/uniform.md"])["contract"] == {"end": date(2027, 3, 31)}
    assert _frontmatter(files["applications/academy.md"])["contract"] == {"end": date(2027, 3, 31)}
    assert "Imported from register.xlsx, row 3." in files["applications/uniform.md"]


def test_a_windows_1252_csv_is_read_and_said_so(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_bytes((HEADER + "Café system,Idox,Planning,Planning,Live,SaaS,,,£500,,\n").encode("cp1252"))
    plan = plan_applications(tmp_path, path)
    assert "name: Café system" in _files(plan)["applications/caf-system.md"]
    assert any("Windows-1252" in m.text for m in plan.messages)


# --- round trip ------------------------------------------------------------------------------------------------


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_export_csv_import_into_an_empty_repository_and_export_again(tmp_path: Path, make_repo: MakeRepo) -> None:
    extra = (
        "vendor: idox\naliases: [Academy, 'Revs & Bens']\ndepends_on:\n  - {app: uniform, data: 'fees, refunds'}\n"
        "annual_cost: 12500.5\nusers: 40\ncontract: {end: 2027-03-31, notice_months: 6, reference: R-1}\n"
        "disposition: migrate\nreplaced_by: uniform\ntags: [finance, 'a, b']\n"
    )
    source = make_repo({"applications/academy.md": app("Academy Revenues", extra=extra)})
    assert run(source) == [] or all(f.severity.value == "warning" for f in run(source)), show(run(source))
    first = tmp_path / "first.csv"
    assert _cli("export", "csv", str(source), "-o", str(first)).exit_code == 0
    assert first.read_bytes().startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark for Excel"
    target = write_files(tmp_path / "empty", {"architecture/sustainability.md": SCHEME})
    result = _cli("import", "applications", str(first), "--root", str(target))
    assert result.exit_code == 0, result.output
    assert not [f for f in run(target) if f.severity.value == "error"], show(run(target))
    second = tmp_path / "second.csv"
    assert _cli("export", "csv", str(target), "-o", str(second)).exit_code == 0
    assert _rows(second.read_bytes()) == _rows(first.read_bytes())
    assert len(_rows(first.read_bytes())) == 3


def show_messages(plan: Plan) -> str:
    return "\n".join(f"{m.level}: {m.line()}" for m in plan.messages)
