"""``ea validate``: the exact output of every format, exit codes, help, the
annotation escaping rules of GitHub and Azure, and the module entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import MakeRepo, app
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.core.findings import CODES, Finding
from generator.core.report import render_azure, render_github, render_json

TODAY = "2026-06-01"

ERROR_MESSAGE = "'vendor' refers to a vendor 'idocs' that does not exist"
ERROR_HINT = "did you mean 'idox'?"
WARNING_MESSAGE = "no active application supports this capability (a gap)"
WARNING_HINT = "list it in an active application's 'capabilities', or record how it is delivered in the body"
SUMMARY = "1 error, 1 warning in 2 files (6 files checked)."


@pytest.fixture
def repo(make_repo: MakeRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """One error (applications/uniform.md line 7) and one warning
    (capabilities/parking.md line 2); returned relative to the working folder."""
    root = make_repo(
        {
            "applications/uniform.md": app(extra="vendor: idocs\nproduct: Uniform\n"),
            "capabilities/parking.md": "---\nname: Parking\n---\n",
        }
    )
    monkeypatch.chdir(tmp_path)
    return root.relative_to(tmp_path).as_posix()


@pytest.fixture
def clean(make_repo: MakeRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    root = make_repo()
    monkeypatch.chdir(tmp_path)
    return root.relative_to(tmp_path).as_posix()


def ea(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def validate(path: str, *args: str) -> Result:
    return ea("validate", path, "--today", TODAY, *args)


def test_fixture_lines_are_as_the_expectations_say(repo: str) -> None:
    lines = Path(repo, "applications/uniform.md").read_text().split("\n")
    assert lines[6] == "vendor: idocs"
    assert Path(repo, "capabilities/parking.md").read_text().split("\n")[1] == "name: Parking"


def test_text(repo: str) -> None:
    result = validate(repo)
    assert result.output == (
        "applications/uniform.md\n"
        f"    7  error   EA130  {ERROR_MESSAGE}\n"
        f"       fix:    {ERROR_HINT}\n"
        "\n"
        "capabilities/parking.md\n"
        f"    2  warning EA180  {WARNING_MESSAGE}\n"
        f"       fix:    {WARNING_HINT}\n"
        "\n"
        f"{SUMMARY}\n"
    )
    assert result.exit_code == 1


def test_json(repo: str) -> None:
    result = validate(repo, "--format", "json", "--no-cache")
    expected = {
        "version": 1,
        "findings": [
            {
                "code": "EA130",
                "severity": "error",
                "path": "applications/uniform.md",
                "line": 7,
                "message": ERROR_MESSAGE,
                "hint": ERROR_HINT,
            },
            {
                "code": "EA180",
                "severity": "warning",
                "path": "capabilities/parking.md",
                "line": 2,
                "message": WARNING_MESSAGE,
                "hint": WARNING_HINT,
            },
        ],
        "summary": {"errors": 1, "warnings": 1, "files": 2, "checked": 6},
    }
    assert result.output == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
    assert result.exit_code == 1


def test_github(repo: str) -> None:
    result = validate(repo, "--format", "github")
    assert result.output == (
        f"::error file={repo}/applications/uniform.md,line=7,title=EA130 reference to a missing id::"
        f"{ERROR_MESSAGE}%0AFix: {ERROR_HINT}\n"
        f"::warning file={repo}/capabilities/parking.md,line=2,title=EA180 capability with no active application "
        f"(gap)::{WARNING_MESSAGE}%0AFix: {WARNING_HINT}\n"
        f"{SUMMARY}\n"
    )
    assert result.exit_code == 1


def test_azure(repo: str) -> None:
    result = validate(repo, "--format", "azure")
    assert result.output == (
        f"##vso[task.logissue type=error;sourcepath={repo}/applications/uniform.md;linenumber=7;code=EA130;]"
        f"EA130 {ERROR_MESSAGE} Fix: {ERROR_HINT}\n"
        f"##vso[task.logissue type=warning;sourcepath={repo}/capabilities/parking.md;linenumber=2;code=EA180;]"
        f"EA180 {WARNING_MESSAGE} Fix: {WARNING_HINT}\n"
        f"{SUMMARY}\n"
    )
    assert result.exit_code == 1


def test_junit(repo: str) -> None:
    result = validate(repo, "--format", "junit")
    assert result.output == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<testsuites name="ea validate" tests="2" failures="1" errors="0">\n'
        '  <testsuite name="applications/uniform.md" tests="1" failures="1" errors="0">\n'
        '    <testcase classname="applications/uniform.md" name="EA130 line 7: reference to a missing id" '
        'file="applications/uniform.md" line="7">\n'
        f'      <failure message="{ERROR_MESSAGE}" type="EA130">'
        f"applications/uniform.md:7: error EA130 {ERROR_MESSAGE}\n"
        f"Fix: {ERROR_HINT}</failure>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        '  <testsuite name="capabilities/parking.md" tests="1" failures="0" errors="0">\n'
        '    <testcase classname="capabilities/parking.md" name="EA180 line 2: capability with no active application '
        '(gap)" file="capabilities/parking.md" line="2">\n'
        f"      <system-out>capabilities/parking.md:2: warning EA180 {WARNING_MESSAGE}\n"
        f"Fix: {WARNING_HINT}</system-out>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        "</testsuites>\n"
    )
    assert result.exit_code == 1


@pytest.mark.parametrize(("strict", "failures"), [(False, 1), (True, 2)])
def test_junit_parses_with_a_failure_per_error(repo: str, strict: bool, failures: int) -> None:
    result = validate(repo, "--format", "junit", *(["--strict"] if strict else []))
    root = ET.fromstring(result.output.split("\n", 1)[1])
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == 2
    assert [c.find("failure").get("type") for c in cases if c.find("failure") is not None] == ["EA130", "EA180"][
        :failures
    ]
    assert root.get("failures") == str(failures)


def test_output_file(repo: str, tmp_path: Path) -> None:
    result = validate(repo, "--format", "json", "-o", "report.json")
    assert result.output == f"{SUMMARY}\n"
    assert result.exit_code == 1
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert [(f["code"], f["path"], f["line"]) for f in report["findings"]] == [
        ("EA130", "applications/uniform.md", 7),
        ("EA180", "capabilities/parking.md", 2),
    ]


def test_json_paths_are_repo_relative_with_forward_slashes(make_repo: MakeRepo) -> None:
    root = make_repo({"applications/planning/extra/bad.md": app("Bad", extra="tagz: 1\n")})
    result = ea("validate", str(root), "--format", "json", "--today", TODAY)
    paths = [f["path"] for f in json.loads(result.output)["findings"]]
    assert paths == ["applications/planning/extra/bad.md"]


def test_clean_exits_0(clean: str) -> None:
    result = validate(clean)
    assert (result.output, result.exit_code) == ("No problems: 5 files checked.\n", 0)


def test_text_for_a_whole_file_finding(make_repo: MakeRepo) -> None:
    root = make_repo({"architecture/sustainability.md": None})
    result = ea("validate", str(root), "--today", TODAY)
    assert result.output == (
        "architecture/sustainability.md\n"
        "    -  warning EA183  no sustainability scheme: ratings cannot be computed\n"
        "       fix:    add architecture/sustainability.md with criteria and bands (see the README)\n"
        "\n"
        "0 errors, 1 warning in 1 file (4 files checked).\n"
    )
    assert result.exit_code == 0


@pytest.mark.parametrize("fmt", ["text", "github", "azure"])
def test_control_characters_from_content_never_reach_the_terminal(make_repo: MakeRepo, fmt: str) -> None:
    root = make_repo({"applications/uniform.md": app(extra='vendor: "\\e[2J\\e[31mred"\n')})
    result = ea("validate", str(root), "--format", fmt, "--today", TODAY)
    assert result.exit_code == 1
    assert "\x1b" not in result.output
    assert "\\x1b[2J" in result.output


def test_warnings_exit_0_and_1_with_strict(make_repo: MakeRepo) -> None:
    root = str(make_repo({"capabilities/parking.md": "---\nname: Parking\n---\n"}))
    relaxed, strict = validate(root), validate(root, "--strict")
    assert relaxed.exit_code == 0, relaxed.output
    assert strict.exit_code == 1, strict.output
    assert relaxed.output == strict.output
    assert relaxed.output.endswith("0 errors, 1 warning in 1 file (6 files checked).\n")


def test_exit_2_on_a_missing_path(tmp_path: Path) -> None:
    result = ea("validate", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_exit_2_on_a_folder_without_content_folders(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    result = ea("validate", str(tmp_path))
    assert result.exit_code == 2
    assert "no content folders" in result.output


def test_exit_2_on_a_bad_date(clean: str) -> None:
    result = ea("validate", clean, "--today", "31/03/2027")
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_today_changes_date_rules(make_repo: MakeRepo) -> None:
    root = str(make_repo({"applications/uniform.md": app(extra="contract:\n  end: 2026-03-31\n")}))
    assert ea("validate", root, "--today", "2026-03-31", "--strict").exit_code == 0
    late = ea("validate", root, "--today", "2026-04-01", "--strict")
    assert late.exit_code == 1 and "EA170" in late.output


def test_help_has_examples() -> None:
    top = ea("--help")
    assert top.exit_code == 0
    assert "Example" in top.output and "ea validate --format github" in top.output
    sub = ea("validate", "--help")
    assert sub.exit_code == 0
    assert "Examples:" in sub.output and "ea validate ../council-ea --strict" in sub.output
    for option in ("--strict", "--format", "--output", "--today", "--no-cache"):
        assert option in sub.output


def test_module_entry_point(clean: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "validate", clean, "--today", TODAY, "--no-cache"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert (proc.stdout, proc.returncode) == ("No problems: 5 files checked.\n", 0), proc.stderr


# --- annotation escaping -----------------------------------------------------------------------------------------

ODD = Finding("EA130", "applications/a,b:c%;].md", 3, "50% done\nnext: a, b; c] d", "use 100%")
WHOLE_FILE = Finding("EA183", "architecture/sustainability.md", 0, "no scheme", "add one")


def test_github_escaping() -> None:
    assert render_github([ODD, WHOLE_FILE], 2) == (
        "::error file=applications/a%2Cb%3Ac%25;].md,line=3,title=EA130 reference to a missing id::"
        "50%25 done\\x0anext: a, b; c] d%0AFix: use 100%25\n"
        "::warning file=architecture/sustainability.md,title=EA183 no sustainability scheme::no scheme%0AFix: add one\n"
        "1 error, 1 warning in 2 files (2 files checked).\n"
    )


def test_azure_escaping() -> None:
    assert render_azure([ODD, WHOLE_FILE], 2) == (
        "##vso[task.logissue type=error;sourcepath=applications/a,b:c%AZP25%3B%5D.md;linenumber=3;code=EA130;]"
        "EA130 50%AZP25 done\\x0anext: a, b; c] d Fix: use 100%AZP25\n"
        "##vso[task.logissue type=warning;sourcepath=architecture/sustainability.md;code=EA183;]"
        "EA183 no scheme Fix: add one\n"
        "1 error, 1 warning in 2 files (2 files checked).\n"
    )


@pytest.mark.parametrize("fmt", ["github", "azure"])
def test_annotations_from_content_stay_one_line_each(make_repo: MakeRepo, fmt: str) -> None:
    """A reference typed with %, :, ',' ';' ']' and an escaped newline cannot
    break out of its annotation or start another command."""
    text = app(extra='vendor: "50%: a, b; c] d\\n::error::forged"\n')
    root = make_repo({"applications/uniform.md": text})
    result = ea("validate", str(root), "--format", fmt, "--today", TODAY)
    lines = result.output.rstrip("\n").split("\n")
    assert len(lines) == 2, result.output
    marker = "::error " if fmt == "github" else "##vso[task.logissue type=error;"
    assert lines[0].startswith(marker)
    assert lines[1] == "1 error, 0 warnings in 1 file (5 files checked)."


# --- the example council -----------------------------------------------------------------------------------------

EXAMPLE = Path(__file__).parents[1]


def test_example_council_validates_without_errors() -> None:
    from generator.checks.validate import validate as run_validation
    from generator.core.findings import Severity

    result = run_validation(EXAMPLE, use_cache=False)
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    assert errors == [], "\n" + "\n".join(f"{f.path}:{f.line}: {f.code} {f.message} (fix: {f.hint})" for f in errors)
    catalog = result.catalog
    assert catalog.applications and catalog.capabilities and catalog.vendors and catalog.organisations, (
        "the example council's content folders are missing or empty"
    )
    assert catalog.scheme is not None


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.builds(
            Finding,
            code=st.sampled_from(sorted(CODES)),
            path=_TEXT,
            line=st.integers(0, 10**6),
            message=_TEXT,
            hint=_TEXT,
        ),
        max_size=4,
    ),
    st.integers(0, 10**5),
)
def test_json_report_is_what_json_dumps_writes(findings: list[Finding], checked: int) -> None:
    """The JSON report is written from a template for speed; byte for byte it
    is what ``json.dumps(..., indent=2, ensure_ascii=False)`` writes, whatever
    the text (quotes, backslashes, control characters, any script)."""
    summary = {
        "errors": sum(f.severity == "error" for f in findings),
        "warnings": sum(f.severity == "warning" for f in findings),
        "files": len({f.path for f in findings}),
        "checked": checked,
    }
    payload = {"version": 1, "findings": [f.as_dict() for f in findings], "summary": summary}
    assert render_json(findings, checked) == json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
