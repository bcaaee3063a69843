"""`ea validate --changed-since REV`: a pull request's annotations name only
the files it touched, while the summary and exit status still cover the
whole repository. Checked on real temporary git repositories."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY, MakeRepo, app

from generator.cli import main
from generator.core.changed import changed_files

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def _repo_with_a_branch(root: Path) -> None:
    """main: an old warning in applications/old.md; branch 'change': an
    error in applications/uniform.md, and a new file not yet committed."""
    (root / "applications" / "old.md").write_text(app("Old system", assessed=None))  # EA181 warning
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "start")
    _git(root, "checkout", "-qb", "change")
    path = root / "applications" / "uniform.md"
    path.write_text(path.read_text().replace("owner: planning", "owner: plannning"))  # EA130 error
    _git(root, "commit", "-qam", "typo")
    (root / "applications" / "brand-new.md").write_text(app("Brand new", extra="vendor: nobody\n"))


def _validate(root: Path, *args: str) -> object:
    return CliRunner().invoke(main, ["validate", str(root), "--today", TODAY.isoformat(), *args])


def test_changed_files_counts_commits_edits_and_new_files(make_repo: MakeRepo) -> None:
    root = make_repo({})
    _repo_with_a_branch(root)
    assert changed_files(root, "main") == {"applications/uniform.md", "applications/brand-new.md"}


def test_github_annotations_only_for_changed_files_with_the_whole_summary(make_repo: MakeRepo) -> None:
    root = make_repo({})
    _repo_with_a_branch(root)
    full = _validate(root, "--format", "github")
    limited = _validate(root, "--format", "github", "--changed-since", "main")
    assert full.exit_code == limited.exit_code == 1
    annotated = [line for line in limited.stdout.splitlines() if line.startswith("::")]
    assert annotated and all("file=applications/uniform.md" in a or "file=applications/brand-new.md" in a
                             for a in annotated)
    assert any("file=applications/old.md" in line for line in full.stdout.splitlines())
    summary = [line for line in full.stdout.splitlines() if "checked" in line]
    assert summary[-1] in limited.stdout, "the summary still counts the whole repository"
    assert "1 finding in files not changed since main not shown" in limited.stdout


def test_azure_annotations_are_limited_too(make_repo: MakeRepo) -> None:
    root = make_repo({})
    _repo_with_a_branch(root)
    out = _validate(root, "--format", "azure", "--changed-since", "main").stdout
    issues = [line for line in out.splitlines() if line.startswith("##vso")]
    assert issues and not any("old.md" in i for i in issues)


def test_json_keeps_every_finding(make_repo: MakeRepo) -> None:
    root = make_repo({})
    _repo_with_a_branch(root)
    out = _validate(root, "--format", "json", "--changed-since", "main").stdout
    assert "applications/old.md" in out


def test_a_repository_in_a_sub_folder_of_the_checkout(tmp_path: Path, make_repo: MakeRepo) -> None:
    content = make_repo({})
    checkout = tmp_path / "checkout"
    shutil.copytree(content, checkout / "ea")
    (checkout / "notes.txt").write_text("not content")
    _git(checkout, "init", "-q", "-b", "main")
    _git(checkout, "add", "-A")
    _git(checkout, "commit", "-qm", "start")
    (checkout / "ea" / "capabilities" / "planning-applications.md").write_text("---\nname: x\nowner: nobody\n---\n")
    (checkout / "notes.txt").write_text("changed, outside the content")
    assert changed_files(checkout / "ea", "main") == {"capabilities/planning-applications.md"}


def test_an_unknown_revision_is_exit_2_with_a_hint(make_repo: MakeRepo) -> None:
    root = make_repo({})
    _repo_with_a_branch(root)
    result = _validate(root, "--changed-since", "origin/nowhere")
    assert result.exit_code == 2
    assert "origin/nowhere" in result.output and "fetch-depth" in result.output


def test_outside_a_git_checkout_is_exit_2(make_repo: MakeRepo) -> None:
    root = make_repo({})
    result = _validate(root, "--changed-since", "main")
    assert result.exit_code == 2 and "git checkout" in result.output
