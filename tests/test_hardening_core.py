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
