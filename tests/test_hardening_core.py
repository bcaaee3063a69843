"""Attacks from hostile pull requests on validation itself, kept as tests:
each reproduces the attack and asserts it is held (exit code, nothing echoed,
no traceback, bounded output)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY, MakeRepo
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.checks import similar
from generator.checks.validate import validate
from generator.cli import main

SECRET = "s3cret-token-value"


def _validate(root: Path, *extra: str) -> tuple[int, str]:
    args = ["validate", str(root), "--today", TODAY.isoformat(), "--no-cache", *extra]
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    return result.exit_code, result.output


# --- ea.yml `lgsl:` ---------------------------------------------------------------


@pytest.mark.parametrize("where", ["absolute", "dotdot", "symlink", "git"])
def test_lgsl_setting_reads_nothing_outside_the_repository(make_repo: MakeRepo, tmp_path: Path, where: str) -> None:
    """`lgsl: /proc/self/environ` printed the CI job's environment; a file
    outside the repository (by absolute path, '..', a committed symbolic link
    or under .git) is refused, exit 2, and nothing of it is echoed."""
    root = make_repo()
    outside = tmp_path / "secrets.txt"
    outside.write_text(f"TOKEN={SECRET}\nother=1\n", encoding="utf-8")
    if where == "absolute":
        setting = str(outside)
    elif where == "dotdot":
        setting = os.path.relpath(outside, root)
    elif where == "symlink":
        (root / "data").symlink_to(tmp_path)
        setting = "data/secrets.txt"
    else:
        (root / ".git").mkdir()
        (root / ".git" / "config").write_text(f"[http]\nextraheader = {SECRET}\n", encoding="utf-8")
        setting = ".git/config"
    (root / "ea.yml").write_text(f"lgsl: {setting}\n", encoding="utf-8")
    code, output = _validate(root)
    assert code == 2, output
    assert "ea.yml:1" in output
    assert SECRET not in output and "TOKEN" not in output


def test_lgsl_proc_environ_is_refused(make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EA_TEST_SECRET", SECRET)
    root = make_repo()
    (root / "ea.yml").write_text("lgsl: /proc/self/environ\n", encoding="utf-8")
    code, output = _validate(root)
    assert code == 2 and SECRET not in output and "EA_TEST_SECRET" not in output.upper()


def test_lgsl_file_inside_that_is_not_a_list_is_not_echoed(make_repo: MakeRepo) -> None:
    """A file inside the repository that is not the list: its header is not
    shown (it may be a file of secrets someone committed by mistake)."""
    root = make_repo()
    (root / "data").mkdir()
    (root / "data" / "keys.csv").write_text(f"user,{SECRET}\n", encoding="utf-8")
    (root / "ea.yml").write_text("lgsl: data/keys.csv\n", encoding="utf-8")
    code, output = _validate(root)
    assert code == 2 and "Identifier" in output
    assert SECRET not in output


def test_lgsl_file_inside_the_repository_is_read(make_repo: MakeRepo) -> None:
    cap = "---\nname: Planning applications\nowner: planning\nlgsl: [4242]\n---\n"
    root = make_repo({"capabilities/planning-applications.md": cap})
    (root / "data").mkdir()
    (root / "data" / "lgsl.csv").write_text("Identifier,Label\n4242,Planning\n", encoding="utf-8")
    (root / "ea.yml").write_text("lgsl: ./data/../data/lgsl.csv\n", encoding="utf-8")
    code, output = _validate(root, "--format", "json")
    assert code == 0, output
    assert json.loads(output)["findings"] == []


# --- runner commands and control characters in messages ---------------------------

HOSTILE = "Pay\\n::error file=x.md::forged ##vso[task.complete result=Succeeded]done ##[error]x \\e[31mred\\x01"


def _runner_lines_are_ours(output: str, findings: int, fmt: str) -> None:
    """No line of the output is a runner command but the annotations the
    report itself writes (one per finding), and none holds a second one."""
    lines = output.splitlines()
    commands = [ln for ln in lines if ln.lstrip().startswith("::")]
    azure = [ln for ln in lines if "##vso[" in ln.lower() or "##[" in ln]
    if fmt == "github":
        assert len(commands) == findings and all(ln.startswith(("::error ", "::warning ")) for ln in commands)
        assert all(ln.count("::") == 2 for ln in commands), commands
    else:
        assert commands == [], commands
    if fmt == "azure":
        assert len(azure) == findings and all(ln.startswith("##vso[task.logissue ") for ln in azure)
        assert all(ln.lower().count("##vso[") == 1 and "##[" not in ln for ln in azure), azure
    else:
        assert azure == [], azure
    assert "\x1b" not in output and "\x01" not in output


@pytest.mark.parametrize("fmt", ["text", "github", "azure", "json", "junit"])
def test_content_in_messages_runs_no_runner_command(make_repo: MakeRepo, fmt: str) -> None:
    """A name with a newline and '::error', '##vso[', '##[' and terminal
    escapes, quoted by a finding (EA150, both files named so), in every format."""
    from conftest import app

    name = f'"{HOSTILE}"'
    root = make_repo({"applications/a.md": app(name), "applications/b.md": app(name)})
    report = json.loads(_validate(root, "--format", "json")[1])
    messages = [f["message"] for f in report["findings"] if f["code"] == "EA150"]
    assert len(messages) == 1 and "forged ##vso[task.complete" in messages[0]  # JSON keeps the data as it is
    findings = len(report["findings"])
    code, output = _validate(root, "--format", fmt)
    assert code == 1, output
    if fmt == "junit":
        import xml.etree.ElementTree as ET

        root_el = ET.fromstring(output.encode("utf-8"))
        failures = [el.get("message", "") for el in root_el.iter("failure")]
        assert any("forged" in m and "\\x0a" in m for m in failures), failures
    _runner_lines_are_ours(output, findings if fmt in ("github", "azure") else 0, fmt)


def test_ea_yml_key_runs_no_runner_command(make_repo: MakeRepo) -> None:
    """A key in ea.yml holding a newline, '::error' and '##vso[': exit 2, the
    message names the line, and no line of it is a runner command."""
    root = make_repo()
    (root / "ea.yml").write_text(f'"{HOSTILE}": 1\n', encoding="utf-8")
    code, output = _validate(root)
    assert code == 2 and "ea.yml:1: unknown setting" in output
    _runner_lines_are_ours(output, 0, "text")


def test_printable_escapes_each_runner_and_terminal_command() -> None:
    from generator.core.report import json_runner_safe, printable, printable_lines

    assert printable("a\nb\r\x1b[2J\x9b\u2028\u202e") == "a\\x0ab\\x0d\\x1b[2J\\x9b\\u2028\\u202e"
    assert printable("::error::x") == ":\\x3aerror:\\x3ax"
    assert printable("##VSO[task.x]y ##[group]z") == "##VSO\\x5btask.x]y ##\\x5bgroup]z"
    assert printable("Civica Pay #1 [cloud]: 50% of C:\\ ") == "Civica Pay #1 [cloud]: 50% of C:\\ "
    # text for people: "::" is escaped only where a runner reads it, at a line's start
    assert printable_lines("first\n  ::error::x\n##vso[y]") == "first\n  :\\x3aerror::x\n##vso\\x5by]"
    assert printable("written: a: b C::D", anywhere=False) == "written: a: b C::D"
    assert printable(" ::warning::x", anywhere=False) == " :\\x3awarning::x"
    assert json.loads(json_runner_safe(json.dumps(["##vso[x] ##[y]"]))) == ["##vso[x] ##[y]"]
    assert "##vso[" not in json_runner_safe(json.dumps(["##vso[x]"]))


# --- values that passed validate and then broke the build or a report -------------

_UNIFORM = "vendor: idox\nproduct: Uniform\n"


def _scheme(old: str, new: str) -> dict[str, str]:
    from conftest import SCHEME

    assert old in SCHEME
    return {"architecture/sustainability.md": SCHEME.replace(old, new, 1)}


def _application(extra: str, assessed: str | None = "2026-01-15") -> dict[str, str]:
    from conftest import app

    return {"applications/uniform.md": app(extra=_UNIFORM + extra, assessed=assessed)}


BOUNDS = {
    "annual_cost": (_application("annual_cost: 1.0e+308\n"), "applications/uniform.md", "annual_cost:"),
    "annual_cost_inf": (_application("annual_cost: .inf\n"), "applications/uniform.md", "annual_cost:"),
    "contract_year_1": (
        _application("contract: {end: 0001-01-31, notice_months: 3}\n"),
        "applications/uniform.md",
        "contract:",
    ),
    "notice_months": (
        _application("contract:\n  end: 2027-01-31\n  notice_months: 99999999\n"),
        "applications/uniform.md",
        "notice_months:",
    ),
    "assessed_9999": (_application("", assessed="9999-12-31"), "applications/uniform.md", "assessed:"),
    "users": (_application("users: 1" + "0" * 40 + "\n"), "applications/uniform.md", "users:"),
    "weight_inf": (_scheme("weight: 2", "weight: .inf"), "architecture/sustainability.md", "weight:"),
    "weight_nan": (_scheme("weight: 2", "weight: .nan"), "architecture/sustainability.md", "weight:"),
    "points_inf": (_scheme("saas: 4,", "saas: .inf,"), "architecture/sustainability.md", "points: {saas"),
    "max_age_months": (
        _scheme("max_age_months: 24", "max_age_months: 99999999"),
        "architecture/sustainability.md",
        "max_age_months:",
    ),
}


@pytest.mark.parametrize("case", sorted(BOUNDS))
def test_out_of_range_value_is_a_finding_not_a_traceback(make_repo: MakeRepo, tmp_path: Path, case: str) -> None:
    """Each value once passed validate and then ended `ea build` or a report
    in a traceback (OverflowError, year out of range, max() of nothing), or
    ended validate itself in one: now an error at its file and line, the
    build stops cleanly (exit 1) and the reports run on what is valid."""
    from conftest import line_in

    files, path, needle = BOUNDS[case]
    root = make_repo(files)
    code, output = _validate(root, "--format", "json")
    assert code == 1, output
    errors = [(f["path"], f["line"]) for f in json.loads(output)["findings"] if f["severity"] == "error"]
    assert errors == [(path, line_in(files[path], needle))], errors
    runner = CliRunner()
    build = runner.invoke(main, ["build", str(root), "-d", str(tmp_path / "site"), "--today", TODAY.isoformat()])
    assert build.exit_code == 1 and isinstance(build.exception, SystemExit), build.exc_info
    for report in ("rationalisation", "sustainability"):
        result = runner.invoke(main, ["report", report, str(root), "--today", TODAY.isoformat()])
        assert result.exit_code == 0 and (result.exception is None or isinstance(result.exception, SystemExit)), (
            result.exc_info
        )


@pytest.mark.parametrize("value", [".inf", ".nan", "1.0e+308", "1" + "0" * 400])
def test_numeric_fact_must_be_finite_and_bounded(make_repo: MakeRepo, value: str) -> None:
    """A numeric sustainability fact the scheme compares with bounds."""
    from conftest import SCHEME, app, line_in, run

    pue = "  - id: pue\n    name: PUE\n    fact: sustainability.pue\n    at_most: [{value: 1.5, points: 4}]\n"
    scheme = SCHEME.replace("bands:", pue + "bands:")
    text = app(extra=_UNIFORM).replace("  assessed:", f"  pue: {value}\n  assessed:")
    root = make_repo({"architecture/sustainability.md": scheme, "applications/uniform.md": text})
    findings = [f for f in run(root) if f.code == "EA111"]
    assert [(f.path, f.line) for f in findings] == [("applications/uniform.md", line_in(text, "pue:"))]
    assert len(findings[0].message) < 200


def test_extreme_values_within_the_bounds_build_and_report(make_repo: MakeRepo, tmp_path: Path) -> None:
    """The largest values the model allows, and dates at its ends with the
    longest notice: validate, build and both reports run to the end."""
    from conftest import SCHEME, app

    scheme = SCHEME.replace("max_age_months: 24", "max_age_months: 120").replace("weight: 2", "weight: 1000")
    scheme = scheme.replace("saas: 4,", "saas: 1000,")
    files = {"architecture/sustainability.md": scheme}
    for i, (end, assessed) in enumerate((("1900-01-01", "1900-01-01"), ("2199-12-31", "2199-12-31"))):
        files[f"applications/app-{i}.md"] = app(
            f"System {i}",
            extra=f"users: 100000000\nannual_cost: 1000000000\ncontract:\n  end: {end}\n  notice_months: 120\n",
            assessed=assessed,
        )
    root = make_repo(files)
    code, output = _validate(root, "--format", "json")
    assert code == 0, output
    runner = CliRunner()
    build = runner.invoke(main, ["build", str(root), "-d", str(tmp_path / "site"), "--today", TODAY.isoformat()])
    assert build.exit_code == 0, build.output
    for report in ("rationalisation", "sustainability"):
        for fmt in ("md", "json"):
            result = runner.invoke(main, ["report", report, str(root), "--format", fmt, "--today", TODAY.isoformat()])
            assert result.exit_code == 0, result.output


def test_month_arithmetic_stays_within_the_calendar() -> None:
    from datetime import date

    from generator.analysis.common import add_months
    from generator.checks.rules import _months_before

    assert add_months(date(1, 1, 31), -3) == date.min
    assert add_months(date(9999, 12, 1), 1) == date.max
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert _months_before(date(2026, 6, 1), 99_999_999) == date.min
    assert _months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)


# --- invisible and look-alike characters ------------------------------------------

HIDERS = {
    "zero width space": "Civica\u200b Pay",
    "soft hyphen": "Civi\u00adca Pay",
    "word joiner": "Civica Pay\u2060",
    "variation selector": "Civica\ufe0f Pay",
    "bidi override": "\u202eCivica Pay\u202c",
    "bidi isolate": "\u2066Civica Pay\u2069",
    "zero width joiner": "Civ\u200dica Pay",
    "byte order mark": "\ufeffCivica Pay",
    "cyrillic es": "\u0421ivica Pay",
    "cyrillic a and i": "Civ\u0456c\u0430 Pay",
    "greek rho": "Civica \u03a1ay",
    "fullwidth and cyrillic": "\uff23ivic\u0430 Pay",
    "braille pattern blank": "Civica Pay\u2800",
    "hangul filler": "Civica\u3164 Pay",
    "hangul choseong filler": "\u115fCivica Pay",
    "halfwidth hangul filler": "Civica Pay\uffa0",
    "mongolian vowel separator": "Civica\u180e Pay",
}


@pytest.mark.parametrize("how", sorted(HIDERS))
def test_hidden_characters_do_not_hide_a_duplicated_system(make_repo: MakeRepo, how: str) -> None:
    """Each character once turned the EA150 error into an EA160 warning, and CI
    passed; now the names are one name (EA150, exit 1) and the hiding name is
    also a warning of its own (EA162)."""
    from conftest import app

    hidden = HIDERS[how]
    files = {"applications/civica-pay.md": app("Civica Pay"), "applications/pay-two.md": app(f'"{hidden}"')}
    root = make_repo(files)
    code, output = _validate(root, "--format", "json")
    findings = json.loads(output)["findings"]
    assert code == 1, output
    assert [(f["code"], f["path"]) for f in findings if f["code"] in ("EA150", "EA160", "EA162")] == [
        ("EA150", "applications/pay-two.md"),
        ("EA162", "applications/pay-two.md"),
    ], output


def test_hidden_characters_do_not_hide_a_duplicated_product(make_repo: MakeRepo) -> None:
    """The same vendor and product, the product's name with a Cyrillic 'і'
    and a zero-width space: still the same product (EA151)."""
    from conftest import app

    files = {"applications/uniform-2.md": app("Planning system", extra="vendor: idox\nproduct: Un\u0456\u200bform\n")}
    code, output = _validate(make_repo(files), "--format", "json")
    assert code == 1 and [f["code"] for f in json.loads(output)["findings"]] == ["EA151"], output


def test_a_name_in_another_script_is_not_a_lookalike() -> None:
    """A wholly Cyrillic or Greek name is a name, not an attack; accented
    Latin and Welsh letters are left as they are."""
    from generator.checks.rules import _hidden, normalise_name

    assert _hidden("\u041f\u0430\u0441\u043f\u043e\u0440\u0442") == []  # Паспорт
    assert _hidden("Ysgol Gymraeg \u0175") == [] and _hidden("Caf\u00e9") == []
    assert normalise_name("Caf\u00e9") != normalise_name("Cafe")  # accents still tell names apart for EA150
    assert normalise_name("\u0399DOX") == normalise_name("idox")  # Greek capital iota reads as i, not l
    assert normalise_name("Civica\tPay") == normalise_name("civica  pay")


# --- work that grew with the square of a pull request's size ----------------------


class _Counted:
    """A capability whose ``parent`` reads are counted."""

    reads = 0

    def __init__(self, parent: str | None) -> None:
        self._parent = parent

    @property
    def parent(self) -> str | None:
        _Counted.reads += 1
        return self._parent


class _RingCatalog:
    """Just what ``check_parent_cycles`` reads: entities by kind and a source per entity."""

    def __init__(self, capabilities: dict[str, _Counted]) -> None:
        self.capabilities = capabilities

    def of(self, kind: object) -> dict[str, _Counted]:
        from generator.models.model import Kind

        return self.capabilities if kind is Kind.CAPABILITY else {}

    def source(self, kind: object, id_: str) -> object:
        class Source:
            path = f"capabilities/{id_}.md"

            @staticmethod
            def line(loc: object) -> int:
                return 2

        return Source()


@pytest.mark.parametrize("shape", ["one ring", "a chain into a ring", "many chains"])
def test_parent_cycles_read_each_parent_once(shape: str) -> None:
    """10,000 capabilities in one cycle took 51 s: every entity walked the
    whole ring. Each parent is now read once, whatever the shape (the
    figures are in benchmarks/bench_hostile.py)."""
    from datetime import date

    from generator.checks.rules import check_parent_cycles

    n = 3000
    if shape == "one ring":
        parents = {f"c{i:05d}": f"c{(i + 1) % n:05d}" for i in range(n)}
    elif shape == "a chain into a ring":
        parents = {f"c{i:05d}": f"c{i + 1:05d}" for i in range(n - 1)} | {f"c{n - 1:05d}": f"c{n - 10:05d}"}
    else:
        parents = {f"c{i:05d}": (f"c{i - 1:05d}" if i % 100 else None) for i in range(n)}
    _Counted.reads = 0
    findings = check_parent_cycles(_RingCatalog({k: _Counted(v) for k, v in parents.items()}), date(2026, 6, 1))
    assert _Counted.reads == n
    assert len(findings) == (0 if shape == "many chains" else 1)
    if shape == "a chain into a ring":
        assert findings[0].message == "cycle in parent: " + " -> ".join(
            [f"c{i:05d}" for i in range(n - 10, n)] + [f"c{n - 10:05d}"]
        )


def test_a_flood_of_near_duplicates_is_one_finding_per_file(make_repo: MakeRepo) -> None:
    """1,500 names like 'Civica Pay Westmere Instance 00042' made a million
    EA160 warnings (2.8 GB, a 420 MB report): now one per file, naming the
    earliest few others and counting the rest (time and memory figures are in
    benchmarks/bench_hostile.py)."""
    from conftest import app

    n = 120
    files = {f"applications/pay-{i:03d}.md": app(f"Civica Pay Westmere Instance {i:05d}") for i in range(n)}
    code, output = _validate(make_repo(files), "--format", "json")
    near = [f for f in json.loads(output)["findings"] if f["code"] == "EA160"]
    assert code == 0
    assert len(near) == n - 1 and len({f["path"] for f in near}) == n - 1
    last = next(f for f in near if f["path"] == f"applications/pay-{n - 1:03d}.md")
    assert "as 'Civica Pay Westmere Instance 00000' (pay-000)" in last["message"]
    assert "(pay-001), 'Civica Pay Westmere Instance 00002' (pay-002) and 116 other applications" in last["message"]
    assert "distinct_from: [pay-000]" in last["hint"]
    assert len(output) < 1000 * n  # a finding per pair was 7,140 findings here, 3 MB


def test_import_messages_run_no_runner_command(make_repo: MakeRepo, tmp_path: Path) -> None:
    """A register someone sent, with runner commands in its cells: the import's
    messages and its dry-run preview go through the same escaping."""
    root = make_repo()
    header = "System name,Supplier,Service area,Function,Status,Hosted,TIME,Users,Cost (£),Renewal date,Notice period\n"
    name = '"Academy\n::error::forged ##vso[task.complete result=Succeeded]x\x1b[2J"'
    hostile = name + ",Capita,planning,Nowhere ##[error]x,"
    source = tmp_path / "register.csv"
    source.write_text(header + hostile + "Live,On-prem,,,,,\n", encoding="utf-8")
    for dry in (["--dry-run"], []):
        result = CliRunner().invoke(main, ["import", "applications", str(source), "--root", str(root), *dry])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
        assert "forged" in result.output
        _runner_lines_are_ours(result.output, 0, "text")


@pytest.mark.parametrize("cells", [False, True], ids=["blocks", "cells"])
def test_the_pair_comparison_stops_at_its_limit_the_same_way_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cells: bool
) -> None:
    """Numbered names are n²/2 pairs (10,000 of them: 50 million): the
    comparison keeps at most ``max_pairs``, the same ones whether it ran
    cold or from a memo of an earlier run, and says it is not complete
    (also where the comparison by cells runs first and finds the flood)."""
    if cells:
        monkeypatch.setattr(similar, "_CELLS_FROM", 0)
    monkeypatch.setattr(similar, "MIN_PAIR_LIMIT", 300)
    monkeypatch.setattr(similar, "PAIRS_PER_KEY", 2)
    keys = {f"civicapaywestmereinstance{i:05d}" for i in range(150)}  # 11,175 pairs
    cold = similar.similar_pairs(keys, 90.0)
    assert len(cold) == 300 and not cold.complete
    assert all(a < b for a, b in cold)
    memo = tmp_path / "memo.pickle"
    first = similar.similar_pairs(keys - {"civicapaywestmereinstance00007"}, 90.0, memo)
    assert not first.complete and not memo.exists()  # no memo of a partial comparison
    again = similar.similar_pairs(keys, 90.0, memo)
    assert again == cold and not again.complete
    few = {f"uniform{c}" for c in "abcdefgh"} | {"northgaterevenues", "northgaterevenue"}
    assert similar.similar_pairs(few, 90.0).complete


def test_a_flood_past_the_limit_says_its_counts_are_at_least(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import app, run

    from generator.checks import similar

    monkeypatch.setattr(similar, "MIN_PAIR_LIMIT", 200)  # of 780 pairs
    monkeypatch.setattr(similar, "PAIRS_PER_KEY", 1)
    files = {f"applications/pay-{i:03d}.md": app(f"Civica Pay Westmere Instance {i:05d}") for i in range(40)}
    near = [f for f in run(make_repo(files)) if f.code == "EA160"]
    assert near and len(near) <= 39
    assert any("and at least " in f.message for f in near), [f.message for f in near]


@pytest.mark.parametrize("report", ["rationalisation", "sustainability"])
def test_report_json_and_markdown_run_no_runner_command(make_repo: MakeRepo, report: str) -> None:
    """An application's name in the reports printed to a CI log: Markdown
    escapes it, JSON keeps the same string but writes no '##vso['."""
    from conftest import app

    root = make_repo({"applications/uniform.md": app(f'"{HOSTILE}"', extra=_UNIFORM)})
    for fmt in ("md", "json"):
        args = ["report", report, str(root), "--format", fmt, "--today", TODAY.isoformat()]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        _runner_lines_are_ours(result.output, 0, "text")
        if fmt == "json" and report == "sustainability":  # the rationalisation report names no one system here
            data = json.dumps(json.loads(result.output), ensure_ascii=False)
            assert "forged ##vso[task.complete" in data


def test_body_link_targets_in_build_errors_run_no_runner_command(make_repo: MakeRepo, tmp_path: Path) -> None:
    """A broken body link whose target holds '::error' and '##vso[': the
    error that stops the build shows it escaped."""
    from conftest import app

    body = "See [a](../x%0A::error%20file=x::forged/x.md), [b](y::error::z.md) and [c](##vso[task.complete]x.md)."
    text = app(extra=_UNIFORM).replace("What the system does.", body)
    root = make_repo({"applications/uniform.md": text})
    args = ["build", str(root), "-d", str(tmp_path / "site"), "--today", TODAY.isoformat()]
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (1, 2) and isinstance(result.exception, SystemExit), result.exc_info
    assert "forged" in result.output
    _runner_lines_are_ours(result.output, 0, "text")


@pytest.mark.parametrize("what", ["folder", "fifo"])
def test_lgsl_setting_names_a_regular_file(make_repo: MakeRepo, what: str) -> None:
    """A folder, or a named pipe that would block the run forever, is refused."""
    root = make_repo()
    if what == "folder":
        (root / "data").mkdir()
    else:
        os.mkfifo(root / "data")
    (root / "ea.yml").write_text("lgsl: data\n", encoding="utf-8")
    code, output = _validate(root)
    assert code == 2 and "not a regular file" in output, output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_named_like_a_content_file_is_reported_not_read(make_repo: MakeRepo, tmp_path: Path) -> None:
    """Opening a named pipe waits for a writer for ever: a pull request that
    adds one must fail validation (EA100), not hang the CI job."""
    root = make_repo()
    os.mkfifo(root / "applications" / "waiting.md")
    os.environ["EA_CACHE_DIR"] = str(tmp_path / "cache")
    for use_cache in (True, True, False):
        found = [(f.code, f.path) for f in validate(root, use_cache=use_cache).findings]
        assert ("EA100", "applications/waiting.md") in found


def test_a_file_name_that_is_not_utf8_is_reported_not_read(make_repo: MakeRepo, tmp_path: Path) -> None:
    """A name the file system gives as bytes that are not UTF-8 cannot be put
    in a page, a report or the cache: EA100, with the bytes shown as the
    replacement character, the same with the cache and without."""
    root = make_repo()
    name = os.fsencode(root / "applications") + b"/caf\xe9.md"
    with open(name, "wb") as fh:
        fh.write((root / "applications" / "uniform.md").read_bytes())
    os.environ["EA_CACHE_DIR"] = str(tmp_path / "cache")
    runs = [validate(root, use_cache=use_cache).findings for use_cache in (True, True, False)]
    assert runs[0] == runs[1] == runs[2]
    bad = [f for f in runs[0] if f.code == "EA100"]
    assert [f.path for f in bad] == ["applications/caf\ufffd.md"]
    out = CliRunner().invoke(main, ["validate", str(root), "--format", "json"])
    assert "caf\\ufffd.md" in out.stdout or "caf\ufffd.md" in out.stdout


_NAME_LETTERS = "aeeeiorrstnnCc0123é\u0430 "


@settings(max_examples=60, deadline=None)
@given(
    keys=st.lists(st.text(alphabet=_NAME_LETTERS, min_size=0, max_size=40), min_size=1, max_size=80),
    extra=st.lists(st.text(alphabet=_NAME_LETTERS, min_size=1, max_size=40), max_size=10),
    threshold=st.sampled_from([90.0, 85.0, 95.0, 50.0]),
    letters=st.integers(0, 4),
)
def test_comparing_by_cells_finds_exactly_what_comparing_every_pair_finds(
    keys: list[str], extra: list[str], threshold: float, letters: int
) -> None:
    """The cells rule pairs out by a lower bound on their distance: never a
    pair that reaches the threshold. Same pairs as comparing every pair, in
    the triangle (cold) and from new keys to all (a re-run)."""
    from rapidfuzz import fuzz

    def every(left: list[str], right: list[str], triangle: bool) -> set[tuple[str, str]]:
        return {
            (a, b) if a < b else (b, a)
            for i, a in enumerate(left)
            for j, b in enumerate(right)
            if (not triangle or j > i) and a != b and fuzz.ratio(a, b, score_cutoff=threshold)
        }

    def norm(found: list[tuple[str, str]] | None) -> set[tuple[str, str]]:
        assert found is not None
        return {(a, b) if a < b else (b, a) for a, b in found if a != b}

    current = sorted(set(keys) | set(extra))
    new = sorted(set(extra))
    old = similar._CELL_LETTERS
    similar._CELL_LETTERS = letters
    try:
        triangle = similar._by_cells(current, current, threshold, triangle=True, limit=10**9)
        assert norm(triangle) == every(current, current, True)
        if new:
            assert norm(similar._by_cells(new, current, threshold, triangle=False, limit=10**9)) == every(
                new, current, False
            )
    finally:
        similar._CELL_LETTERS = old


class _Trickle:
    """A file that hands out at most ``step`` bytes a read (as some network
    file systems do) and records what it was asked for."""

    def __init__(self, path: Path, step: int) -> None:
        self.fh = open(path, "rb", buffering=0)  # noqa: SIM115 - closed by the test
        self.step = step
        self.asked: list[int] = []

    def fileno(self) -> int:
        return self.fh.fileno()

    def read(self, size: int) -> bytes:
        self.asked.append(size)
        return self.fh.read(min(size, self.step))


@pytest.mark.parametrize("size", [0, 1, 999, 1000, 1001, 5000])
@pytest.mark.parametrize("step", [1, 7, 1 << 20])
def test_read_capped_reads_whole_files_and_one_byte_past_the_limit(tmp_path: Path, size: int, step: int) -> None:
    from generator.core.util import read_capped

    data = bytes(i % 251 for i in range(size))
    (tmp_path / "f").write_bytes(data)
    for limit in (1000, 1_000_000):
        fh = _Trickle(tmp_path / "f", step)
        try:
            raw = read_capped(fh, limit)  # type: ignore[arg-type]
        finally:
            fh.fh.close()
        assert raw == data[: limit + 1]
        # a small file is never read into a buffer the size of the limit: the cost it exists to avoid
        assert max(fh.asked) <= max(size + 1, 65536)


def test_read_regular_refuses_links_and_pipes_without_waiting(tmp_path: Path) -> None:
    """Files read after they were checked (page text, pack bodies, files a
    page links to) are read only if they are still regular files: a link is
    not followed and a named pipe is not waited on."""
    from generator.core.util import read_regular

    (tmp_path / "page.md").write_bytes(b"---\nname: A\n---\nText\n")
    assert read_regular(tmp_path / "page.md") == b"---\nname: A\n---\nText\n"
    assert read_regular(tmp_path / "page.md", 3) == b"---\n"
    (tmp_path / "secret").write_text("not for the site")
    (tmp_path / "link.md").symlink_to(tmp_path / "secret")
    with pytest.raises(OSError):
        read_regular(tmp_path / "link.md")
    os.mkfifo(tmp_path / "pipe.md")
    with pytest.raises(OSError, match="not a regular file"):
        read_regular(tmp_path / "pipe.md")  # returns at once: nothing holds the pipe's other end
