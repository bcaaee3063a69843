"""The governance folders as content folders: found by root discovery,
created by ``ea init`` with a note each, read by the loader (sub-folders,
notes skipped) and watched by ``ea serve``."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from generator.catalog.loader import load
from generator.catalog.root import find_root
from generator.cli import main
from generator.models.model import GOVERNANCE_KINDS, Kind
from generator.site.serve import watched

PROPOSAL = """\
---
name: Planning portal
requested_by: planning
submitted: 2026-01-10
status: submitted
capabilities: [planning-applications]
---
"""


def test_a_folder_with_only_proposals_is_a_repository_root(tmp_path: Path) -> None:
    (tmp_path / "council" / "proposals" / "2026").mkdir(parents=True)
    assert find_root(tmp_path / "council" / "proposals" / "2026") == (tmp_path / "council").resolve()


def test_init_creates_each_governance_folder_with_its_note(tmp_path: Path) -> None:
    target = tmp_path / "wessex"
    result = CliRunner().invoke(main, ["init", str(target), "--name", "Wessex Council"])
    assert result.exit_code == 0, result.output
    for kind in GOVERNANCE_KINDS:
        note = target / kind.folder / "README.md"
        assert note.is_file(), note
        assert f'ea new {kind.value} "' in note.read_text(encoding="utf-8")
    assert "`proposals/`" in (target / "README.md").read_text(encoding="utf-8")


def test_proposals_in_sub_folders_are_loaded_and_notes_are_not(tmp_path: Path) -> None:
    (tmp_path / "proposals" / "2026").mkdir(parents=True)
    (tmp_path / "proposals" / "README.md").write_text("# The Entrance Hall\n", encoding="utf-8")
    (tmp_path / "proposals" / "2026" / "2026-001-portal.md").write_text(PROPOSAL, encoding="utf-8")
    loaded = load(tmp_path, use_cache=False)
    assert [(s.kind, s.id, s.path) for s in loaded.sources] == [
        (Kind.PROPOSAL, "2026-001-portal", "proposals/2026/2026-001-portal.md")
    ]
    assert loaded.sources[0].model is not None


def test_serve_watches_the_proposals_folder(tmp_path: Path) -> None:
    for folder in ("applications", "proposals", "architecture/decisions"):
        (tmp_path / folder).mkdir(parents=True)
    tops = {p.name for p in watched(tmp_path)}
    assert {"applications", "proposals", "architecture"} <= tops


def test_the_pre_commit_hooks_run_on_a_change_to_any_content_folder() -> None:
    """A commit touching only a proposal is validated too."""
    import re

    import yaml

    from generator.interop.init import PRE_COMMIT, render
    from generator.models.model import ENTITY_KINDS

    root = Path(__file__).resolve().parents[1]
    hooks = yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    local = yaml.safe_load(render("Wessex Council", None)[PRE_COMMIT])["repos"][0]["hooks"]
    patterns = [h["files"] for h in hooks + local]
    assert len(patterns) == 3
    for kind in ENTITY_KINDS:
        path = f"{kind.folder}/sub/x.md"
        assert all(re.search(p, path) for p in patterns), (kind, patterns)
