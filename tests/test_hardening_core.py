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
    from generator.report import json_runner_safe, printable, printable_lines

    assert printable("a\nb\r\x1b[2J\x9b\u2028\u202e") == "a\\x0ab\\x0d\\x1b[2J\\x9b\\u2028\\u202e"
    assert printable("::error::x") == ":\\x3aerror:\\x3ax"
    assert printable("##VSO[task.x]y ##[group]z") == "##VSO\\x5btask.x]y ##\\x5bgroup]z"
    assert printable("Civica Pay #1 [cloud]: 50% of C:\\ ") == "Civica Pay #1 [cloud]: 50% of C:\\ "
    assert printable_lines("first\n  ::error::x\n##vso[y]") == "first\n  :\\x3aerror:\\x3ax\n##vso\\x5by]"
    assert json.loads(json_runner_safe(json.dumps(["##vso[x] ##[y]"]))) == ["##vso[x] ##[y]"]
    assert "##vso[" not in json_runner_safe(json.dumps(["##vso[x]"]))
