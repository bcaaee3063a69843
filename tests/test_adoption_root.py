"""Commands run from a sub-folder work on the repository above it, as git
does, and say which root they use."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MakeRepo

from generator.catalog.root import find_root
from generator.cli import main
from generator.cli.common import _announced


@pytest.fixture(autouse=True)
def _fresh_announcements():
    _announced.clear()
    yield
    _announced.clear()


def test_find_root_walks_upwards(make_repo: MakeRepo, tmp_path: Path) -> None:
    root = make_repo({})
    deep = root / "applications" / "planning" / "north"
    deep.mkdir(parents=True)
    assert find_root(deep) == root.resolve()
    assert find_root(root) == root.resolve()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    assert find_root(outside) is None


def test_ea_yml_alone_marks_a_root(tmp_path: Path) -> None:
    (tmp_path / "repo" / "notes").mkdir(parents=True)
    (tmp_path / "repo" / "ea.yml").write_text("# settings\n")
    assert find_root(tmp_path / "repo" / "notes") == (tmp_path / "repo").resolve()


def test_validate_in_a_sub_folder_uses_the_root_and_says_so(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo({})
    monkeypatch.chdir(root / "applications")
    result = CliRunner().invoke(main, ["validate", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"checked": 5' in result.stdout  # every file of the repository, not none
    assert result.stderr.count(f"using the repository at {root.resolve()}") == 1


def test_root_itself_is_not_announced(make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_repo({})
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0 and result.stderr == ""


def test_new_in_a_sub_folder_writes_into_the_kinds_folder(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo({})
    (root / "capabilities" / "planning").mkdir()
    monkeypatch.chdir(root / "capabilities" / "planning")
    result = CliRunner().invoke(main, ["new", "vendor", "Civica"])
    assert result.exit_code == 0, result.output
    assert (root / "architecture" / "vendors" / "civica.md").is_file()
    assert not (root / "capabilities" / "planning" / "architecture").exists()


def test_outside_any_repository_is_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 2
    assert "ea init" in result.output
