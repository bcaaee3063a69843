"""A register as a council keeps it, imported with no mapping file and no
editing: Windows-1252, a title row, blank rows, a repeated row, a TOTAL row,
money written with 'pa', 'p.a.', 'per annum', '+ VAT', supplier names with and
without 'Ltd' or 'UK', a Department column and 'No. of Users'. Then the
repository's own changes (aliases, deleted files) are respected by --update."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import MakeRepo, app, run, show

from generator.cli import main
from generator.interop.applications import plan_applications
from generator.interop.files import Plan
from generator.interop.mapping import load_mapping, parse_money

TITLE = "Mercia Vale District Council - Application register (audit 2026)"
HEADER = "Application,Supplier,Department,Capability,Status,Hosting,No. of Users,Annual cost,Contract end"
#: (row text, expected annual cost or None). 26 application rows, as exported from Excel.
ROWS = [
    ("Academy Revenues,Capita Business Services Ltd,Finance,Council tax,Live,On-prem,120,£85,000 pa,31/03/2027", 85000),
    ("Uniform Planning,Idox,Planning,Planning applications,Live,On-prem,60,£12,500 p.a.,30/09/2026", 12500),
    ("Uniform Building Control,IDOX plc,Planning,Building control,Live,On-prem,15,£31,000 per annum,", 31000),
    ("Uniform Licensing,Idox Software Ltd,Regulatory Services,Licensing,Live,On-prem,12,£45,000 + VAT,", 45000),
    ("Idox Document Management,Idox Group,Planning,Document management,Live,SaaS,80,£9,000 ex VAT,", 9000),
    ("Civica Pay,Civica UK Ltd,Finance,Payments,Live,SaaS,40,£12.5k,", 12500),
    ("Civica APP,Civica,Regulatory Services,Environmental health,Live,On-prem,35,£22,000 per year,", 22000),
    ("Civica Cx,Civica UK Limited,Customer Services,Customer contact,Live,SaaS,90,£60k pa,", 60000),
    ("Staff Intranet,In-house,Customer Services,Internal communications,Live,On-prem,650,,", None),
    ("Committee Minutes,N/A,Democratic Services,Committee management,Live,On-prem,20,,", None),
    ("ModernGov,Civica UK Ltd.,Democratic Services,Committee management,Live,SaaS,25,£8500,", 8500),
    (
        "Xpress Electoral,Xpress Software Solutions Ltd,Democratic Services,Electoral registration,Live,SaaS,6,"
        "£14,000,",
        14000,
    ),
    ("Bartec Collective,Bartec Municipal Technologies Ltd,Waste,Waste collection,Live,SaaS,45,£38,500 pa,", 38500),
    ("Whitespace Waste,Whitespace Work Software Ltd,Waste,Waste collection,Phase out,SaaS,30,£16k p.a.,", 16000),
    ("Northgate Housing,NEC Software Solutions UK Ltd,Housing,Housing management,Live,On-prem,110,£95,000 pa,", 95000),
    ("Abritas Allocations,Abritas Ltd,Housing,Housing allocations,Live,SaaS,18,£11,000,", 11000),
    (
        "Liquidlogic Adults,System C Healthcare Ltd,Adult Social Care,Adult social care case management,Live,SaaS,300,"
        "£120,000 per annum,",
        120000,
    ),
    ("Mosaic,Servelec,Children's Services,Children's social care case management,Live,SaaS,280,£135k pa,", 135000),
    ("iTrent,MHR International UK Ltd,HR,Payroll,Live,SaaS,900,£70,000 + VAT,", 70000),
    ("Agresso,Unit4 Business Software Ltd,Finance,Financial management,Live,On-prem,150,£80k,", 80000),
    ("Spydus,Civica,Libraries,Library management,Live,SaaS,40,£19,500 pa,", 19500),
    ("Confirm,Brightly Software Ltd,Highways,Highways asset management,Live,SaaS,35,£27,000 p.a.,", 27000),
    ("ArcGIS,Esri UK Ltd,Customer Services,Mapping,Live,SaaS,70,£18,000,", 18000),
    ("Granicus GovDelivery,Granicus,Customer Services,Customer contact,Live,SaaS,10,£7.5k,", 7500),
    ("Jadu CMS,Jadu Ltd,Customer Services,Website,Live,SaaS,25,£21,000 pa,", 21000),
    ("Egress Switch,Egress Software Technologies Ltd,ICT,Secure email,Live,SaaS,400,£9,800 per year,", 9800),
]
assert len(ROWS) == 26


def register_bytes() -> bytes:
    """The register as Excel saves 'CSV' on a UK Windows PC: Windows-1252,
    CRLF, a title row and a blank row above the header, blank rows and a
    repeated row among the data, and TOTAL and Sub-total rows."""
    lines = [f'"{TITLE}",,,,,,,,', ",,,,,,,,", HEADER]
    for i, (text, _) in enumerate(ROWS):
        lines.append(_quoted(text))
        if i == 9:
            lines.append(",,,,,,,,")  # a blank row in the middle
        if i == 5:
            lines.append(_quoted(ROWS[5][0]))  # the same row pasted twice
    lines += [",,,,,,,,", 'Sub-total (Finance),,,,,,,"£177,500",', 'TOTAL,,,,,,,"£1,012,300",']
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def _quoted(text: str) -> str:
    """Quote the cells that hold commas (money), as Excel does."""
    fields = text.split(",")
    head = fields[:7]
    rest = ",".join(fields[7:])
    money, _, end = rest.rpartition(",")
    return ",".join(head) + f',"{money}",{end}' if money else ",".join(head) + f",{rest}"


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "Register 2026.csv"
    path.write_bytes(register_bytes())
    return path


def _front(content: bytes) -> dict:
    return yaml.safe_load(content.decode().split("---\n")[1])


def _by_level(plan: Plan, level: str) -> list[str]:
    return [m.line() for m in plan.messages if m.level == level]


def test_the_fixture_is_what_a_council_sends() -> None:
    raw = register_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert b"\xa3" in raw and b"\r\n" in raw  # '£' in Windows-1252, Excel's line ends
    assert raw.decode("cp1252").splitlines()[0].startswith(f'"{TITLE}"')


def test_a_messy_register_imports_whole_with_no_mapping_file(tmp_path: Path, register: Path) -> None:
    root = tmp_path / "council"
    root.mkdir()
    plan = plan_applications(root, register)
    assert plan.skipped == [], "\n".join(m.line() for m in plan.messages)
    files = {f.path: f.content for f in plan.files}
    apps = {p: _front(c) for p, c in files.items() if p.startswith("applications/")}
    assert len(apps) == 26
    for text, cost in ROWS:
        name = text.split(",")[0]
        data = next(d for d in apps.values() if d["name"] == name)
        assert data.get("annual_cost") == cost, name
    # suppliers: one Civica, one Idox, one Capita; 'In-house' and 'N/A' are no vendor
    vendors = sorted(p for p in files if p.startswith("architecture/vendors/"))
    civica = [p for p in vendors if "civica" in p]
    idox = [p for p in vendors if "idox" in p]
    assert civica == ["architecture/vendors/civica.md"], vendors
    assert idox == ["architecture/vendors/idox.md"], vendors
    # named the shortest way the sheet writes it, the other ways kept as aliases
    assert _front(files["architecture/vendors/civica.md"]) == {
        "name": "Civica",
        "aliases": ["Civica UK Ltd", "Civica UK Limited", "Civica UK Ltd."],
    }
    assert _front(files["architecture/vendors/idox.md"])["aliases"] == ["IDOX plc", "Idox Software Ltd", "Idox Group"]
    assert not [p for p in vendors if any(w in p for w in ("house", "none", "n-a", "unnamed"))], vendors
    by_name = {d["name"]: d for d in apps.values()}
    assert "vendor" not in by_name["Staff Intranet"] and "vendor" not in by_name["Committee Minutes"]
    assert {by_name[n]["vendor"] for n in ("Civica Pay", "Civica APP", "Civica Cx", "ModernGov", "Spydus")} == {
        "civica"
    }
    assert by_name["iTrent"]["users"] == 900 and by_name["iTrent"]["owner"] == "hr"
    assert _front(files["architecture/organisations/finance.md"]) == {"name": "Finance", "type": "service"}
    # every row not imported is accounted for, by row number as Excel shows it
    ignored = "\n".join(_by_level(plan, "ignored"))
    assert "row 10: repeats row 9 exactly" in ignored
    assert "a total row ('Sub-total (Finance)')" in ignored and "a total row ('TOTAL')" in ignored
    assert "blank rows 15, 32" in ignored
    assert "Supplier 'In-house' means no value (row 13)" in ignored
    assert any("Windows-1252" in m for m in _by_level(plan, "note"))


def test_the_import_writes_a_repository_that_validates(tmp_path: Path, register: Path) -> None:
    root = tmp_path / "council"
    root.mkdir()
    result = CliRunner().invoke(main, ["import", "applications", str(register), "--root", str(root)])
    assert result.exit_code == 0, result.output
    errors = [f for f in run(root) if f.severity.value == "error"]
    assert errors == [], show(errors)


def test_dry_run_summary_counts_instead_of_listing(tmp_path: Path, register: Path) -> None:
    root = tmp_path / "council"
    root.mkdir()
    args = ["import", "applications", str(register), "--root", str(root), "--dry-run"]
    full = CliRunner().invoke(main, args)
    short = CliRunner().invoke(main, [*args, "--summary"])
    assert short.exit_code == full.exit_code == 0, short.output
    assert len(short.output.splitlines()) < 25 < len(full.output.splitlines()) / 10
    assert "    26  applications" in short.output
    assert "     2  total row" in short.output
    assert "     1  repeated row" in short.output
    assert "Dry run: nothing was written" in short.output
    assert not list(root.iterdir())


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("£85,000 pa", 85000),
        ("£12,500 p.a.", 12500),
        ("£31,000 per annum", 31000),
        ("£22,000 per year", 22000),
        ("£45,000 + VAT", 45000),
        ("£45,000 +VAT p.a.", 45000),
        ("£45,000 pa plus VAT", 45000),
        ("£9,000 ex VAT", 9000),
        ("£9,000 (excl. VAT)", 9000),
        ("£85,000", 85000),
        ("£12.5k", 12500),
        ("£12.5K pa", 12500),
        ("c. £5,000", 5000),
        ("£1.2m per annum", 1_200_000),
        ("£7,000/yr", 7000),
        ("Nil", 0),
    ],
)
def test_money_as_registers_write_it(cell: str, expected: float) -> None:
    assert parse_money(cell) == expected


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("£54,000 inc VAT", "includes VAT"),
        ("£500 per month", "not a yearly amount"),
        ("£500 pcm", "not a yearly amount"),
        ("£1e400", "not an amount"),
        ("£99999999999999", "not a plausible yearly amount"),
    ],
)
def test_money_that_is_not_a_yearly_net_amount_is_refused(cell: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_money(cell)


def test_a_value_mapped_to_nothing_is_no_value(tmp_path: Path) -> None:
    source = tmp_path / "r.csv"
    source.write_text(
        "Name,Supplier,Service area,Capability,Status,Hosting\n"
        "Intranet,ICT Team,ICT,Comms,Live,On-prem\n"
        "Payroll,Zellis UK Ltd,HR,Payroll,Live,SaaS\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "m.yml"
    mapping.write_text("values:\n  Supplier:\n    ICT Team: ~\n  vendor:\n    Zellis UK Ltd: null\n")
    plan = plan_applications(tmp_path, source, load_mapping(mapping))
    files = {f.path: f.content for f in plan.files}
    assert "vendor" not in _front(files["applications/intranet.md"])
    assert "vendor" not in _front(files["applications/payroll.md"])
    assert not [p for p in files if p.startswith("architecture/vendors/")]


def test_suppliers_match_existing_vendors_across_legal_words_and_aliases(tmp_path: Path, make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "architecture/vendors/civica.md": "---\nname: Civica\n---\n",
            "architecture/vendors/nec.md": (
                "---\nname: NEC Software Solutions\naliases: [Northgate Public Services]\n---\n"
            ),
        }
    )
    source = tmp_path / "r.csv"
    source.write_text(
        "Name,Supplier,Service area,Capability,Status,Hosting\n"
        "A,Civica UK Limited,planning,planning-applications,Live,SaaS\n"
        "B,CIVICA U.K. LTD.,planning,planning-applications,Live,SaaS\n"
        "C,Northgate Public Services (UK) Ltd,planning,planning-applications,Live,SaaS\n"
        "D,IDOX Group plc,planning,planning-applications,Live,SaaS\n"
        "E,Idox Software Ltd,planning,planning-applications,Live,SaaS\n",
        encoding="utf-8",
    )
    plan = plan_applications(root, source)
    assert plan.skipped == [], [m.line() for m in plan.messages]
    files = {f.path: _front(f.content) for f in plan.files}
    assert [files[f"applications/{x}.md"].get("vendor") for x in "abcde"] == ["civica", "civica", "nec", "idox", "idox"]
    assert not [p for p in files if p.startswith("architecture/vendors/")]


def test_every_problem_of_a_row_is_reported_at_once(tmp_path: Path, make_repo: MakeRepo) -> None:
    root = make_repo()
    source = tmp_path / "r.csv"
    source.write_text(
        "Name,Supplier,Service area,Capability,Status,Hosting,Users,Annual cost,Depends on\n"
        "Bad,Idox,,planning-applications,Banana,,lots,£5 a month,Ghost\n",
        encoding="utf-8",
    )
    plan = plan_applications(root, source)
    (message,) = plan.skipped
    for part in (
        "lifecycle 'Banana'",
        "'lots' is not a whole number",
        "not a yearly amount",
        "no owner",
        "no hosting",
        "'Ghost'",
    ):
        assert part in message.text, message.text
    assert message.where == "row 2"


def test_update_matches_an_application_by_alias_after_a_rename(tmp_path: Path, make_repo: MakeRepo) -> None:
    root = make_repo(
        {"applications/uniform.md": app("Uniform Enterprise", extra="aliases: [Uniform Planning]\nvendor: idox\n")}
    )
    source = tmp_path / "r.csv"
    source.write_text("Name,Users\nUniform Planning,75\n", encoding="utf-8")
    plan = plan_applications(root, source, update=True)
    assert [(f.path, f.action) for f in plan.files] == [("applications/uniform.md", "update")]
    assert _front(plan.files[0].content)["users"] == 75


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_what_the_repository_deleted_is_reported_not_recreated(tmp_path: Path, make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "capabilities/street-cleansing.md": "---\nname: Street cleansing\n---\n",
            "capabilities/waste-collection.md": "---\nname: Waste collection\n---\n",
        }
    )
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "start")
    _git(root, "rm", "-q", "capabilities/street-cleansing.md")
    _git(root, "mv", "capabilities/waste-collection.md", "capabilities/waste-services.md")
    _git(root, "commit", "-qm", "the architect's changes")
    source = tmp_path / "r.csv"
    source.write_text(
        "Name,Service area,Capability,Status,Hosting\n"
        "Sweeper,planning,Street cleansing,Live,SaaS\n"
        "Bins,planning,Waste collection,Live,SaaS\n",
        encoding="utf-8",
    )
    plan = plan_applications(root, source)
    (skipped,) = plan.skipped
    assert skipped.where == "row 2" and "capabilities/street-cleansing.md) was deleted" in skipped.text
    assert "--recreate-deleted" in skipped.text
    files = {f.path: _front(f.content) for f in plan.files}
    assert "capabilities/street-cleansing.md" not in files and "capabilities/waste-collection.md" not in files
    assert files["applications/bins.md"]["capabilities"] == ["waste-services"], "a renamed file is followed"
    again = plan_applications(root, source, recreate_deleted=True)
    assert again.skipped == []
    assert "capabilities/street-cleansing.md" in {f.path for f in again.files}


def test_the_same_register_as_an_excel_workbook(tmp_path: Path) -> None:
    """As the council's own .xlsx: a title row, a blank row, amounts as text
    and as numbers, a repeated row, blank rows and a TOTAL row whose SUM
    formula Excel never computed (openpyxl reads no value for it)."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.append([TITLE])
    ws.append([])
    ws.append(HEADER.split(","))
    for i, (text, cost) in enumerate(ROWS):
        cells: list[object] = _quoted(text).replace('"', "").split(",")
        name, rest = cells[0], cells[1:]
        money = text[len(",".join(text.split(",")[:7])) + 1 :].rsplit(",", 1)[0]
        row = [name, *rest[:6], money if i % 2 else cost, None]
        ws.append(row)
        if i == 3:
            ws.append(row)
        if i == 12:
            ws.append([])
    ws.append(["TOTAL", None, None, None, None, None, None, "=SUM(H4:H31)"])
    path = tmp_path / "register.xlsx"
    book.save(path)
    root = tmp_path / "council"
    root.mkdir()
    plan = plan_applications(root, path)
    assert plan.skipped == [], "\n".join(m.line() for m in plan.messages)
    apps = {_front(f.content)["name"]: _front(f.content) for f in plan.files if f.path.startswith("applications/")}
    assert len(apps) == 26
    assert {name: data.get("annual_cost") for name, data in apps.items()} == {t.split(",")[0]: c for t, c in ROWS}
    ignored = "\n".join(_by_level(plan, "ignored"))
    assert "row 8: repeats row 7 exactly" in ignored and "a total row ('TOTAL')" in ignored


def test_department_directorate_and_service_columns_name_the_owner(tmp_path: Path) -> None:
    for header, kind in (("Directorate", "directorate"), ("Department", "service"), ("Service", "service")):
        source = tmp_path / f"{header}.csv"
        source.write_text(
            f"Application,{header},Capability,Status,Hosting,No. of Users\nA,Place,Roads,Live,SaaS,1200\n"
        )
        plan = plan_applications(tmp_path, source)
        files = {f.path: f.content for f in plan.files}
        assert (
            _front(files["applications/a.md"])["owner"] == "place"
            and _front(files["applications/a.md"])["users"] == 1200
        )
        assert _front(files["architecture/organisations/place.md"]) == {"name": "Place", "type": kind}, header


def test_an_application_the_repository_deleted_is_not_imported_again(tmp_path: Path, make_repo: MakeRepo) -> None:
    root = make_repo({"applications/academy.md": app("Academy")})
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "start")
    _git(root, "rm", "-q", "applications/academy.md")
    _git(root, "commit", "-qm", "Academy was switched off")
    source = tmp_path / "r.csv"
    source.write_text("Name,Service area,Capability,Status,Hosting\nAcademy,planning,planning-applications,Live,SaaS\n")
    result = CliRunner().invoke(main, ["import", "applications", str(source), "--update", "--root", str(root)])
    assert result.exit_code == 1 and "(applications/academy.md) was deleted from the repository" in result.output
    assert not (root / "applications/academy.md").exists()
    again = ["import", "applications", str(source), "--recreate-deleted", "--root", str(root)]
    assert CliRunner().invoke(main, again).exit_code == 0
    assert (root / "applications/academy.md").exists()
