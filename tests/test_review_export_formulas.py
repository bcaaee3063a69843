"""`ea export csv` and `ea export xlsx` never hand a spreadsheet a formula
taken from content (CSV/formula injection), and the CSV register still
round-trips through `ea import applications`."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner
from conftest import SCHEME, MakeRepo, app, write_files

from generator.checks.validate import validate
from generator.cli import main
from generator.interop.export import export_xlsx

EVIL_NAME = '=HYPERLINK("http://evil.example/","x")'
EXTRA = "aliases: ['@SUM(1+1)']\ncontract: {reference: '+1-2'}\ntags: ['-cmd']\n"


def _cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_export_csv_cells_never_start_a_formula(tmp_path: Path, make_repo: MakeRepo) -> None:
    root = make_repo({"applications/evil.md": app(f"'{EVIL_NAME}'", extra=EXTRA)})
    out = tmp_path / "register.csv"
    assert _cli("export", "csv", str(root), "-o", str(out)).exit_code == 0
    cells = [cell for row in _rows(out.read_bytes())[1:] for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")], cells
    assert "'" + EVIL_NAME in cells


def test_export_csv_with_formula_like_text_round_trips(tmp_path: Path, make_repo: MakeRepo) -> None:
    root = make_repo({"applications/evil.md": app(f"'{EVIL_NAME}'", extra=EXTRA)})
    first = tmp_path / "first.csv"
    assert _cli("export", "csv", str(root), "-o", str(first)).exit_code == 0
    target = write_files(tmp_path / "empty", {"architecture/sustainability.md": SCHEME})
    result = _cli("import", "applications", str(first), "--root", str(target))
    assert result.exit_code == 0, result.output
    second = tmp_path / "second.csv"
    assert _cli("export", "csv", str(target), "-o", str(second)).exit_code == 0
    assert _rows(second.read_bytes()) == _rows(first.read_bytes())


def test_export_xlsx_writes_text_never_formulas(make_repo: MakeRepo) -> None:
    from openpyxl import load_workbook

    root = make_repo({"applications/evil.md": app(f"'{EVIL_NAME}'", extra=EXTRA)})
    book = load_workbook(io.BytesIO(export_xlsx(validate(root, use_cache=False).catalog)))
    formulas = [(ws.title, c.coordinate) for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    names = [c.value for c in book["Applications"]["B"]]
    assert EVIL_NAME in names, "the text itself is kept, as text"


def test_export_xlsx_with_control_characters_in_a_name_does_not_fail(make_repo: MakeRepo) -> None:
    """YAML lets a double-quoted name hold control characters that an Excel
    sheet cannot: they are left out of the cell, not a traceback."""
    from openpyxl import load_workbook

    root = make_repo({"applications/evil.md": app('"Academy\\x01\\x0b Revenues"')})
    book = load_workbook(io.BytesIO(export_xlsx(validate(root, use_cache=False).catalog)))
    assert "Academy Revenues" in [c.value for c in book["Applications"]["B"]]


def test_export_xlsx_is_the_same_file_for_the_same_repository_and_day(make_repo: MakeRepo) -> None:
    """Exporting twice gives the same bytes (a workbook kept in Git or
    published does not change when the repository has not), dated the day
    given, in the file's properties and in every part of the zip."""
    import time
    import zipfile
    from datetime import date

    catalog = validate(make_repo(), use_cache=False).catalog
    first = export_xlsx(catalog, date(2027, 4, 1))
    time.sleep(2.1)  # zip entries carry the time to two seconds
    assert export_xlsx(catalog, date(2027, 4, 1)) == first
    with zipfile.ZipFile(io.BytesIO(first)) as book:
        assert {info.date_time for info in book.infolist()} == {(2027, 4, 1, 0, 0, 0)}
    from openpyxl import load_workbook

    assert load_workbook(io.BytesIO(first)).properties.modified.date() == date(2027, 4, 1)
