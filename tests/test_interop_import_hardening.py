"""Imports under attack or failure: a zip bomb and a DTD in a workbook, a
mapping file nested ten thousand deep, ten thousand names with one slug, an
identifier too long for a file name, a linked content folder and a write that
fails half way. Each is refused with exit 2 and leaves the repository exactly
as it was (`git status` clean)."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MakeRepo, app, fail_write

from generator.cli import main
from generator.core.errors import EaError
from generator.interop import files as files_module
from generator.interop.applications import plan_applications
from generator.interop.files import Registry
from generator.interop.mapping import load_mapping
from generator.interop.tabular import read_table
from generator.models.model import Kind

NS = "http://www.opengroup.org/xsd/archimate/3.0/"
REGISTER = "Name,Supplier,Service area,Capability,Status,Hosting\n"


def _cli(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _committed(root: Path) -> Path:
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "start")
    assert _git(root, "status", "--porcelain", "--ignored") == ""
    return root


def _workbook(path: Path, extra: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None) -> Path:
    """A real workbook (openpyxl) with parts added or replaced."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.append(["Name", "Supplier", "Service area", "Capability", "Status", "Hosting"])
    ws.append(["Uniform", "Idox", "planning", "planning-applications", "Live", "SaaS"])
    plain = path.with_suffix(".plain.xlsx")
    book.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = (replace or {}).get(item.filename, src.read(item.filename))
            out.writestr(item.filename, data)
        for name, data in (extra or {}).items():
            out.writestr(name, data)
    return path


# --- workbooks -----------------------------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_anything_is_decompressed(tmp_path: Path) -> None:
    bomb = _workbook(tmp_path / "bomb.xlsx", extra={"xl/media/padding.bin": b"\0" * (8 * 2**20)})
    assert bomb.stat().st_size < 200_000, "a small file that declares 8 MB"
    with pytest.raises(EaError, match=r"compressed [\d,]+ to 1"):
        read_table(bomb)
    result = _cli("import", "applications", str(bomb), "--root", str(tmp_path), "--dry-run")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_a_workbook_over_the_size_or_part_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.interop import tabular

    book = _workbook(tmp_path / "big.xlsx", extra={f"xl/extra/{i}.xml": b"<x/>" for i in range(30)})
    assert read_table(book).rows, "the workbook itself is readable"
    monkeypatch.setattr(tabular, "MAX_XLSX_ENTRIES", 20)
    with pytest.raises(EaError, match="parts; an Excel workbook has at most 20"):
        read_table(book)
    monkeypatch.setattr(tabular, "MAX_XLSX_ENTRIES", 1000)
    monkeypatch.setattr(tabular, "MAX_XLSX_UNCOMPRESSED", 1000)
    with pytest.raises(EaError, match="uncompressed; the limit is"):
        read_table(book)


def test_a_workbook_with_a_dtd_is_a_clear_error(tmp_path: Path) -> None:
    sheet = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>'
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>'
    )
    book = _workbook(tmp_path / "dtd.xlsx", replace={"xl/worksheets/sheet1.xml": sheet})
    with pytest.raises(EaError, match="declares a DTD"):
        read_table(book)
    result = _cli("import", "applications", str(book), "--root", str(tmp_path))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "aaaa" not in result.output


def test_a_broken_sheet_part_is_a_clear_error(tmp_path: Path) -> None:
    book = _workbook(tmp_path / "broken.xlsx", replace={"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row>"})
    with pytest.raises(EaError, match=r"broken\.xlsx"):
        read_table(book)


# --- mapping files -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["columns: " + "[" * 10_000, "values:\n  a: " + "{a: " * 5_000])
def test_a_mapping_file_nested_deeply_is_refused_without_a_traceback(tmp_path: Path, text: str) -> None:
    mapping = tmp_path / "m.yml"
    mapping.write_text(text)
    with pytest.raises(EaError, match="nests more than 8 levels"):
        load_mapping(mapping)
    source = tmp_path / "r.csv"
    source.write_text(REGISTER)
    result = _cli("import", "applications", str(source), "--mapping", str(mapping), "--root", str(tmp_path))
    assert result.exit_code == 2 and "nests more than" in result.output


# --- ids -----------------------------------------------------------------------------------------------------------


def test_allocating_many_ids_from_one_slug_is_linear(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = Registry()
    lookups = 0
    real = Registry.by_id

    def counted(self: Registry, kind: Kind, id_: str) -> object:
        nonlocal lookups
        lookups += 1
        return real(self, kind, id_)

    monkeypatch.setattr(Registry, "by_id", counted)
    ids = []
    for _ in range(3000):
        id_ = registry.free_id(Kind.APPLICATION, "civica")
        registry.add(files_module.Entity(Kind.APPLICATION, id_, None, None))
        ids.append(id_)
    assert ids[:3] == ["civica", "civica-2", "civica-3"] and len(set(ids)) == 3000
    assert lookups < 4 * 3000, f"{lookups} lookups for 3,000 ids: quadratic"


def test_ten_thousand_names_with_one_slug_all_get_ids(tmp_path: Path) -> None:
    """The case that took 25 s (benchmarks/bench_import.py measures it now)."""
    symbols = "!?#*+=~^"
    names = ["Civica " + "".join(symbols[(i >> (3 * k)) & 7] for k in range(5)) for i in range(10_000)]
    source = tmp_path / "r.csv"
    source.write_text(REGISTER + "".join(f"{n},,planning,planning,Live,SaaS\n" for n in names))
    plan = plan_applications(tmp_path, source)
    assert plan.count("create", Kind.APPLICATION) == 10_000 and plan.skipped == []
    ids = {f.id for f in plan.files if f.kind is Kind.APPLICATION}
    assert ids == {"civica", *(f"civica-{n}" for n in range(2, 10_001))}


def test_a_long_chain_of_dependants_on_a_missing_application_is_all_reported(tmp_path: Path) -> None:
    """Each row depends on the one before, the first on an application nobody
    knows: every row is reported, each naming the one it depends on."""
    rows = ["App 0,planning,planning,Live,SaaS,Ghost\n"]
    rows += [f"App {i},planning,planning,Live,SaaS,App {i - 1}\n" for i in range(1, 2_000)]
    source = tmp_path / "r.csv"
    source.write_text("Name,Service area,Capability,Status,Hosting,Depends on\n" + "".join(rows))
    plan = plan_applications(tmp_path, source)
    assert len(plan.skipped) == 2_000 and plan.count("create", Kind.APPLICATION) == 0
    assert "names 'App 1998'" in next(m.text for m in plan.skipped if m.where == "row 2001")


# --- all or nothing ------------------------------------------------------------------------------------------------


def test_a_linked_applications_folder_refuses_before_writing_anything(tmp_path: Path, make_repo: MakeRepo) -> None:
    root = make_repo({"applications/uniform.md": None})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / "applications").symlink_to(elsewhere)
    _committed(root)
    source = tmp_path / "r.csv"
    source.write_text(REGISTER + "Academy,Capita,Revenues,Council tax,Live,On-prem\n")
    result = _cli("import", "applications", str(source), "--root", str(root))
    assert result.exit_code == 2, result.output
    assert "symbolic link" in result.output and "nothing was written" in result.output
    assert _git(root, "status", "--porcelain", "--ignored", "--untracked-files=all") == ""
    assert list(elsewhere.iterdir()) == []


def test_a_write_that_fails_half_way_puts_everything_back(
    tmp_path: Path, make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _committed(make_repo())
    source = tmp_path / "r.csv"
    source.write_text(
        "Name,Supplier,Service area,Capability,Status,Hosting,Users\n"
        "Uniform,Idox,planning,planning-applications,Live,SaaS,99\n"  # an update
        "Academy,Capita,Revenues,Council tax,Live,On-prem,\n"  # four new files
        "Jadu,Jadu Ltd,Web,Website,Live,SaaS,\n"
    )
    before = (root / "applications/uniform.md").stat().st_mode
    real = fail_write(monkeypatch, files_module, 5, OSError(28, "No space left on device"))
    result = _cli("import", "applications", str(source), "--update", "--root", str(root))
    assert result.exit_code == 2, result.output
    assert "No space left on device" in result.output and "nothing was changed" in result.output
    assert _git(root, "status", "--porcelain", "--ignored", "--untracked-files=all") == ""
    assert (root / "applications/uniform.md").stat().st_mode == before
    monkeypatch.setattr(files_module, "atomic_write", real)
    again = _cli("import", "applications", str(source), "--update", "--root", str(root))
    assert again.exit_code == 0, again.output


def test_an_archimate_identifier_too_long_for_a_file_name_writes_nothing(tmp_path: Path, make_repo: MakeRepo) -> None:
    root = _committed(make_repo())
    long_id = "id-app-" + "a" * 300
    model = (
        f'<?xml version="1.0"?><model xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'identifier="m"><name>m</name><elements>'
        '<element identifier="c1" xsi:type="Capability"><name>Waste</name></element>'
        '<element identifier="c2" xsi:type="Capability"><name>Roads</name></element>'
        '<element identifier="c3" xsi:type="Capability"><name>Parks</name></element>'
        f'<element identifier="{long_id}" xsi:type="ApplicationComponent"><name>Long</name></element>'
        "</elements></model>"
    )
    path = tmp_path / "m.xml"
    path.write_text(model)
    result = _cli("import", "archimate", str(path), "--root", str(root))
    assert result.exit_code == 2, result.output
    assert "file name of 303 bytes" in result.output and "Traceback" not in result.output
    assert _git(root, "status", "--porcelain", "--ignored", "--untracked-files=all") == ""


def test_a_good_import_into_git_changes_only_what_it_reports(tmp_path: Path, make_repo: MakeRepo) -> None:
    root = _committed(make_repo({"applications/uniform.md": app(extra="vendor: idox\n")}))
    source = tmp_path / "r.csv"
    source.write_text(REGISTER + "Academy,Capita,planning,planning-applications,Live,On-prem\n")
    result = _cli("import", "applications", str(source), "--root", str(root))
    assert result.exit_code == 0, result.output
    status = sorted(_git(root, "status", "--porcelain", "--untracked-files=all").splitlines())
    assert status == ["?? applications/academy.md", "?? architecture/vendors/capita.md"]


def test_cell_values_reach_the_terminal_without_control_characters(tmp_path: Path) -> None:
    """A cell can hold an ANSI escape or a line that a CI runner reads as a
    command; the report prints them escaped."""
    source = tmp_path / "r.csv"
    source.write_text(
        REGISTER.rstrip("\n") + ',"Notes\n::error::owned\x1b[31m"\n'
        '"Evil\x1b[31m",Idox,planning,Planning,Live,SaaS,x\n'
        'Bad,"In-house\n::error::owned",planning,Planning,Banana\x1b[0m,SaaS,y\n',
        encoding="utf-8",
    )
    result = _cli("import", "applications", str(source), "--root", str(tmp_path), "--dry-run")
    assert "\x1b" not in result.output and "\n::error" not in result.output, result.output
    assert "\\x1b" in result.output
