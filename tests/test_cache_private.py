"""The caches are pickles, and unpickling runs code: on a shared host a cache
that another user owns or can write to is never read. Each test plants a
pickle that would create a marker file when loaded and asserts that nothing
ran, that the findings are those of a run without the cache, and that at most
one short note says why. An unwritable cache folder only costs time."""

from __future__ import annotations

import os
import pickle
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY, MakeRepo, app

from generator.catalog import loader
from generator.catalog.loader import memo_dir, read_private
from generator.checks.validate import validate
from generator.cli import main

CACHE_FILES = ("documents-00.pickle", "documents-17.pickle", "checks.pickle", "similar-names.pickle")


class Planted:
    """Unpickling this creates ``marker`` (stands in for running a command)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


@pytest.fixture
def repo(make_repo: MakeRepo) -> Path:
    """A repository with a finding (a warning), so a kept finding would show."""
    return make_repo({"applications/uniform.md": app(extra="disposition: migrate\n")})


def plant(folder: Path, marker: Path, mode: int = 0o600) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in CACHE_FILES:
        path = folder / name
        path.write_bytes(pickle.dumps({"fingerprint": "x", "payload": Planted(marker)}))
        os.chmod(path, mode)


def full_run(root: Path) -> list[object]:
    return list(validate(root, today=TODAY, use_cache=False).findings)


def test_the_planted_pickle_would_run(tmp_path: Path) -> None:
    """The attack is real: loading the planted file creates the marker."""
    marker = tmp_path / "ran"
    plant(tmp_path / "c", marker)
    pickle.loads((tmp_path / "c" / CACHE_FILES[0]).read_bytes())
    assert marker.exists()


def test_a_repository_folder_writable_by_others_is_not_read(repo: Path, tmp_path: Path) -> None:
    """The repository's own cache folder, open to everyone, with pickles in
    it: none is loaded; the folder is made private and emptied, and what the
    run writes there is used by the next."""
    folder = memo_dir(repo.resolve())
    marker = tmp_path / "ran"
    plant(folder, marker)
    os.chmod(folder, 0o777)
    result = validate(repo, today=TODAY)
    assert not marker.exists()
    assert result.findings == full_run(repo)
    assert len(result.notes) == 1 and "writable by other users" in result.notes[0]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():  # what is there now was written by this run
        pickle.loads(path.read_bytes())
    assert not marker.exists()
    again = validate(repo, today=TODAY)
    assert again.notes == [] and again.findings == result.findings


@pytest.mark.parametrize("mode", [0o777, 0o775, 0o757], ids=["everyone", "group", "others"])
def test_a_chosen_cache_folder_writable_by_others_is_refused(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    """A folder named by EA_CACHE_DIR is the user's: it is not changed, and
    nothing in it is read or written while others can write to it."""
    top = tmp_path / "shared-cache"
    monkeypatch.setenv("EA_CACHE_DIR", str(top))
    marker = tmp_path / "ran"
    plant(memo_dir(repo.resolve()), marker)
    os.chmod(top, mode)
    before = {p: p.stat().st_mtime_ns for p in top.rglob("*")}
    result = validate(repo, today=TODAY)
    assert not marker.exists()
    assert result.findings == full_run(repo)
    assert len(result.notes) == 1 and "not used" in result.notes[0]
    assert stat.S_IMODE(top.stat().st_mode) == mode
    assert {p: p.stat().st_mtime_ns for p in top.rglob("*")} == before


def test_cache_files_writable_by_others_are_not_read(repo: Path, tmp_path: Path) -> None:
    """In a private folder, a file others can write to is refused."""
    validate(repo, today=TODAY)  # makes the private folders
    marker = tmp_path / "ran"
    plant(memo_dir(repo.resolve()), marker, mode=0o666)
    result = validate(repo, today=TODAY)
    assert not marker.exists()
    assert result.findings == full_run(repo)


def test_a_cache_of_another_user_is_not_read(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Everything in the cache looks owned by someone else (the comparison
    with the user's id is what is simulated): nothing is read."""
    validate(repo, today=TODAY)
    marker = tmp_path / "ran"
    plant(memo_dir(repo.resolve()), marker)
    uid = os.getuid()
    monkeypatch.setattr(loader, "_uid", lambda: uid + 1)
    result = validate(repo, today=TODAY)
    assert not marker.exists()
    assert result.findings == full_run(repo)
    assert len(result.notes) == 1 and "belongs to another user" in result.notes[0]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file to another user")
def test_a_file_of_another_user_in_a_private_folder_is_not_read(repo: Path, tmp_path: Path) -> None:
    validate(repo, today=TODAY)
    marker = tmp_path / "ran"
    folder = memo_dir(repo.resolve())
    plant(folder, marker)
    for name in CACHE_FILES:
        os.chown(folder / name, 65534, -1)
    result = validate(repo, today=TODAY)
    assert not marker.exists()
    assert result.findings == full_run(repo)


def test_a_link_in_the_cache_is_not_followed(repo: Path, tmp_path: Path) -> None:
    validate(repo, today=TODAY)
    marker = tmp_path / "ran"
    elsewhere = tmp_path / "elsewhere"
    plant(elsewhere, marker)
    folder = memo_dir(repo.resolve())
    for name in CACHE_FILES:
        (folder / name).unlink(missing_ok=True)
        (folder / name).symlink_to(elsewhere / name)
    result = validate(repo, today=TODAY)
    assert not marker.exists()
    assert result.findings == full_run(repo)
    assert read_private(folder / CACHE_FILES[0]) is None
    assert read_private(elsewhere / CACHE_FILES[0]) is not None  # the file itself would be trusted


def test_folders_are_made_private_and_files_owner_only(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    top = tmp_path / "new" / "cache"
    monkeypatch.setenv("EA_CACHE_DIR", str(top))
    old = os.umask(0o002)  # a umask that would leave folders group-writable
    try:
        validate(repo, today=TODAY)
    finally:
        os.umask(old)
    folder = memo_dir(repo.resolve())
    assert stat.S_IMODE(top.stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = list(folder.iterdir())
    assert files and all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    assert validate(repo, today=TODAY).notes == []


def test_an_unusable_cache_folder_costs_only_time(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache folder that cannot be made (its parent is a file; as root, a
    read-only folder would still be writable): one short note on stderr, the
    report as without the cache."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("EA_CACHE_DIR", str(blocker / "cache"))
    result = CliRunner().invoke(main, ["validate", str(repo), "--today", "2026-06-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    notes = result.stderr.splitlines()
    assert len(notes) == 1 and notes[0].startswith("note: cannot use the cache folder")
    bare = CliRunner().invoke(main, ["validate", str(repo), "--today", "2026-06-01", "--format", "json", "--no-cache"])
    assert result.stdout == bare.stdout and bare.stderr == ""


def test_a_cache_that_cannot_be_written_costs_only_time(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Writing fails (a full or read-only disk, simulated): validation ends
    normally with one note."""
    calls = []

    def refuse(path: Path, data: bytes | str, **_: object) -> None:
        calls.append(path)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(loader, "atomic_write", refuse)
    result = validate(repo, today=TODAY)
    assert calls
    assert result.findings == full_run(repo)
    assert len(result.notes) == 1 and result.notes[0].startswith("cannot write the cache")


@pytest.mark.skipif(__import__("shutil").which("dot") is None, reason="needs Graphviz's dot")
@pytest.mark.parametrize("loose", ["folder", "file"])
def test_a_planted_diagram_in_a_loose_cache_is_drawn_again_not_published(tmp_path: Path, loose: str) -> None:
    """Cached diagrams go into every page as they are: a picture another user
    could have written (a folder or file writable by others) is never used."""
    from generator.diagrams import render as diagrams

    job = diagrams.Job("one", 'digraph { a [label="Ledger"] }')
    folder = tmp_path / "diagrams"
    first = diagrams.render([job], cache_dir=folder)["one"]
    assert "Ledger" in first and "<script" not in first
    [cached] = folder.glob("*.svg")
    assert stat.S_IMODE(cached.stat().st_mode) == 0o600
    cached.write_text('<svg><script>alert("planted")</script></svg>')
    assert diagrams.render([job], cache_dir=folder)["one"] == cached.read_text(), "a private cache is used"
    if loose == "folder":
        folder.chmod(0o777)
    else:
        cached.chmod(0o666)
    again = diagrams.render([job], cache_dir=folder)["one"]
    assert "planted" not in again and "Ledger" in again


def test_ea_validate_says_once_that_it_made_a_loose_cache_folder_private(repo: Path, tmp_path: Path) -> None:
    """Through the command (which first tries replaying the last run): after
    a run, the repository's cache folder opened to everyone is made private,
    nothing in it is read, and one note on standard error says so."""
    runner = CliRunner()
    args = ["validate", str(repo), "--today", TODAY.isoformat()]
    first = runner.invoke(main, args)
    folder = memo_dir(repo.resolve())
    marker = tmp_path / "ran"
    plant(folder, marker)
    os.chmod(folder, 0o777)
    again = runner.invoke(main, args)
    assert not marker.exists()
    assert again.stdout == first.stdout and again.exit_code == first.exit_code
    assert again.stderr.count("note:") == 1 and "writable by other users" in again.stderr
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
