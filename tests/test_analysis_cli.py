"""``ea report``: formats (CSV that Excel opens: UTF-8 with a BOM; workbooks
that openpyxl opens), outputs and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from analysis_fixture import FILES
from click.testing import CliRunner
from conftest import MakeRepo

from generator.analysis import rationalisation
from generator.analysis import sustainability as sustainability_module
from generator.cli import main
from generator.cli.report import rationalisation as rationalisation_command
from generator.cli.report import sustainability as sustainability_command
from generator.interop.tabular import read_table

TODAY = ["--today", "2026-06-01"]


@pytest.fixture
def repo(make_repo: MakeRepo) -> Path:
    return make_repo(FILES, minimal=False)


def invoke(*args: str | Path) -> object:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_markdown_to_stdout_states_the_rules(repo: Path) -> None:
    result = invoke("report", "rationalisation", repo, *TODAY)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("# Rationalisation report\n\nAs of 2026-06-01.")
    for title in (
        "Overlaps",
        "Merger matrix",
        "Consolidation candidates",
        "Contracts",
        "Data-centre exit",
        "Cost per capability",
    ):
        assert f"\n## {title}\n" in out
    assert "split equally across the capabilities" in out
    assert "| leaf | Leaf | Top area | £6,000 | alpha | Alpha | Northfield DC | 100 | £10,000 |" in out


def test_json_is_stable_and_versioned(repo: Path) -> None:
    first = invoke("report", "sustainability", repo, "--format", "json", *TODAY)
    second = invoke("report", "sustainability", repo, "--format", "json", *TODAY)
    assert first.exit_code == 0 and first.output == second.output
    data = json.loads(first.output)
    assert list(data)[:4] == ["version", "today", "scheme", "max_age_months"]
    assert data["version"] == 1 and data["today"] == "2026-06-01"
    assert [(r["application"], r["rating"]) for r in data["ratings"][:2]] == [("alpha", "A"), ("delta", "A")]


def test_csv_section_has_a_bom_and_reads_back(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "candidates.csv"
    result = invoke("report", "rationalisation", repo, "--format", "csv", "--section", "candidates", "-o", out, *TODAY)
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    table = read_table(out)
    assert table.headers[:3] == ["Rank", "Application id", "Application"]
    assert [(r[0], r[1], r[7]) for _, r in table.rows] == [("1", "beta", "6000"), ("2", "delta", "2000")]


def test_csv_section_to_stdout(repo: Path) -> None:
    result = CliRunner().invoke(
        main, ["report", "sustainability", str(repo), "--format", "csv", "--section", "distribution", *TODAY]
    )
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbfRating,From score,Applications\r\nA,75,2\r\n")


def test_csv_folder_holds_one_file_per_section(repo: Path, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    result = invoke("report", "rationalisation", repo, "--format", "csv", "-o", folder, *TODAY)
    assert result.exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"rationalisation-{s}.csv" for s in rationalisation.SECTIONS
    )


def test_xlsx_one_sheet_per_section_bold_frozen_header(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    result = invoke("report", "rationalisation", repo, "--format", "xlsx", "-o", out, *TODAY)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "Overlaps",
        "Overlaps by capability area",
        "Merger matrix",
        "Consolidation candidates",
        "Contracts",
        "Data-centre exit",
        "Cost per capability",
    ]
    ws = book["Consolidation candidates"]
    assert ws.freeze_panes == "A2" and all(c.font.bold for c in ws[1])
    assert [c.value for c in ws[2]][:2] == [1, "beta"]
    assert ws.cell(row=2, column=8).value == 6000 and "£" in ws.cell(row=2, column=8).number_format
    contracts = book["Contracts"]
    assert contracts.cell(row=2, column=1).value.date().isoformat() == "2026-03-31"  # a real date


def test_text_that_looks_like_a_formula_stays_text(make_repo: MakeRepo, tmp_path: Path) -> None:
    files = dict(FILES)
    files["applications/beta.md"] = files["applications/beta.md"].replace("name: Beta", 'name: "=1+2"')
    repo = make_repo(files, minimal=False)
    csv_out, xlsx_out = tmp_path / "c.csv", tmp_path / "c.xlsx"
    invoke("report", "rationalisation", repo, "--format", "csv", "--section", "candidates", "-o", csv_out, *TODAY)
    assert "'=1+2" in csv_out.read_text(encoding="utf-8-sig")
    invoke("report", "rationalisation", repo, "--format", "xlsx", "-o", xlsx_out, *TODAY)
    cell = openpyxl.load_workbook(xlsx_out)["Consolidation candidates"].cell(row=2, column=3)
    assert (cell.value, cell.data_type) == ("=1+2", "s")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xlsx"], "needs a file"),
        (["--format", "csv"], "--section NAME"),
        (["--format", "md", "--section", "overlaps"], "--format csv only"),
    ],
)
def test_usage_errors_exit_2(repo: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["report", "rationalisation", str(repo), *args])
    assert result.exit_code == 2
    assert message in result.output


def test_not_a_repository_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", "sustainability", str(tmp_path)])
    assert result.exit_code == 2
    assert "holds no content folders" in result.output


def test_csv_folder_that_is_a_file_exits_2(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("x")
    result = CliRunner().invoke(main, ["report", "rationalisation", str(repo), "--format", "csv", "-o", str(target)])
    assert result.exit_code == 2
    assert "is a file" in result.output


def test_section_choices_match_the_library() -> None:
    for command, module in (
        (rationalisation_command, rationalisation),
        (sustainability_command, sustainability_module),
    ):
        choices = next(p for p in command.params if p.name == "section").type.choices  # type: ignore[attr-defined]
        assert tuple(choices) == module.SECTIONS


def test_help_has_examples() -> None:
    for args in (["report"], ["report", "rationalisation"], ["report", "sustainability"]):
        result = CliRunner().invoke(main, [*args, "--help"])
        assert result.exit_code == 0 and "Example" in result.output


def test_xlsx_bytes_depend_on_the_content_and_date_only(repo: Path, tmp_path: Path) -> None:
    import zipfile

    out = tmp_path / "s.xlsx"
    invoke("report", "sustainability", repo, "--format", "xlsx", "-o", out, *TODAY)
    with zipfile.ZipFile(out) as book:
        assert {i.date_time for i in book.infolist()} == {(2026, 6, 1, 0, 0, 0)}
        core = book.read("docProps/core.xml").decode()
    assert core.count("2026-06-01T00:00:00Z") == 2  # created and modified: the report's date, not the clock


def test_every_section_is_documented() -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs/reports.md").read_text(encoding="utf-8")
    for name in (*rationalisation.SECTIONS, *sustainability_module.SECTIONS):
        assert f"| `{name}` |" in doc, f"docs/reports.md has no row for the section {name}"


def test_invalid_files_are_left_out_and_counted(make_repo: MakeRepo) -> None:
    files = dict(FILES)
    files["applications/delta.md"] = files["applications/delta.md"].replace("users: 20", "users: many")
    result = CliRunner().invoke(
        main, ["report", "rationalisation", str(make_repo(files, minimal=False)), "--format", "json", *TODAY]
    )
    assert result.exit_code == 0
    assert "1 validation error: the report covers only the files that are valid" in result.stderr
    data = json.loads(result.stdout)
    assert [o["capability"] for o in data["overlaps"]] == ["leaf"]  # delta's overlap on "other" is gone


def test_control_characters_never_reach_a_terminal_or_break_a_workbook(make_repo: MakeRepo, tmp_path: Path) -> None:
    files = dict(FILES)
    files["applications/beta.md"] = files["applications/beta.md"].replace("name: Beta", 'name: "Be\\x1b[31mta\\x01"')
    repo = make_repo(files, minimal=False)
    md = invoke("report", "rationalisation", repo, *TODAY)
    assert md.exit_code == 0 and "\x1b" not in md.output and "\x01" not in md.output
    assert "Be\\x1b[31mta\\x01" in md.output  # shown as escapes
    out = tmp_path / "c.xlsx"
    assert invoke("report", "rationalisation", repo, "--format", "xlsx", "-o", out, *TODAY).exit_code == 0
    assert openpyxl.load_workbook(out)["Consolidation candidates"].cell(row=2, column=3).value == "Be[31mta"
