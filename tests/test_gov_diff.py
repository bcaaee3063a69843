"""`ea diff`: what changed between two Git revisions in architecture terms,
checked on real temporary Git repositories."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TODAY, MakeRepo, app, line_in

from generator.analysis.diff import Diff, diff, md, render_github, render_markdown
from generator.cli import main

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


LEGACY = app("Legacy records", extra="vendor: idox\nannual_cost: 1200\n")
CUSTOMER_HUB = app("Customer hub", extra="aliases: [Old CRM]\nannual_cost: 5000\nusers: 40\n").replace(
    "What the system does.", "One place for every enquiry from residents. " * 20
)
EVIL = "Evil | <b>bold</b> @council-team `tick` [link](http://x)"


def _history(root: Path) -> None:
    """main: the base; branch 'change' (one commit): every kind of change."""
    (root / "applications" / "old-crm.md").write_text(app("Old CRM"))
    (root / "applications" / "paperless.md").write_text(app("Paperless"))
    (root / "applications" / "legacy.md").write_text(LEGACY)
    (root / "applications" / "unassessed.md").write_text(app("Unassessed", assessed=None))  # EA181
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    _git(root, "checkout", "-qb", "change")
    _git(root, "rm", "-q", "applications/paperless.md", "applications/old-crm.md")
    _git(root, "mv", "applications/legacy.md", "applications/legacy-records.md")
    (root / "applications" / "customer-hub.md").write_text(CUSTOMER_HUB)
    evil = app("x", extra="product: Something else entirely\nusers: 12\nannual_cost: 99\n")
    evil = evil.replace("name: x", f"name: {json.dumps(EVIL)}").replace("What the system does.", "A long body. " * 30)
    (root / "applications" / "evil.md").write_text(evil)
    uniform = root / "applications" / "uniform.md"
    uniform.write_text(
        uniform.read_text()
        .replace("hosting: saas", "hosting: on-premises")
        .replace("owner: planning", "owner: plannin")
    )
    (root / "applications" / "unassessed.md").write_text(app("Unassessed"))
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "change")


def _by_id(items: list) -> dict:
    return {getattr(i, "id", None) or i.after.id: i for i in items}


def test_added_removed_renamed_changed_and_findings_between_two_commits(make_repo: MakeRepo) -> None:
    root = make_repo({})
    _history(root)
    before_status = _git(root, "status", "--porcelain")
    d = diff(root, "main", "change", today=TODAY)
    assert _git(root, "status", "--porcelain") == before_status  # nothing checked out or written
    assert sorted(e.id for e in d.added) == ["evil"]
    assert [e.id for e in d.removed] == ["paperless"]
    renamed = {(c.before.id, c.after.id): c.renamed for c in d.renamed}
    assert renamed == {("legacy", "legacy-records"): "git", ("old-crm", "customer-hub"): "alias"}
    hub = next(c for c in d.renamed if c.after.id == "customer-hub")
    assert ("Annual cost", None, 5000) in [(c.label, c.before, c.after) for c in hub.changes]
    changed = _by_id(d.changed)
    assert set(changed) == {"uniform", "unassessed"}
    facts = {c.label: (c.before, c.after) for c in changed["uniform"].changes}
    assert facts["Hosting"] == ("saas", "on-premises")
    assert facts["Owner"] == ("planning", "plannin")
    assert facts["Sustainability rating"] == ("A (100)", "E (33.3)")
    assert {c.label for c in changed["unassessed"].changes} == {"Sustainability assessed", "Sustainability rating"}
    # the broken owner appeared at its line in the new file; the missing assessment was resolved
    text = (root / "applications" / "uniform.md").read_text()
    appeared = [(f.code, f.path, f.line) for f in d.appeared]
    assert ("EA130", "applications/uniform.md", line_in(text, "owner: plannin")) in appeared
    assert [(f.code, f.path) for f in d.resolved] == [("EA181", "applications/unassessed.md")]


def test_a_renamed_file_keeps_its_findings_unchanged(make_repo: MakeRepo) -> None:
    """A warning that moved with its file is neither appeared nor resolved."""
    root = make_repo({"applications/legacy.md": app("Legacy", extra="vendor: idox\n", assessed=None)})
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    _git(root, "mv", "applications/legacy.md", "applications/legacy-system.md")
    _git(root, "commit", "-qm", "rename")
    d = diff(root, "HEAD~1", "HEAD", today=TODAY)
    assert [(c.before.id, c.after.id, c.renamed, c.changes[0].label) for c in d.renamed] == [
        ("legacy", "legacy-system", "git", "File")
    ]
    assert len(d.renamed[0].changes) == 1  # the same content under a new file name
    assert d.appeared == [] and d.resolved == []


def test_working_tree_is_the_default_head_with_new_and_edited_files(make_repo: MakeRepo) -> None:
    root = make_repo({})
    _history(root)
    (root / "applications" / "draft.md").write_text(app("Draft system"))  # untracked
    uniform = root / "applications" / "uniform.md"
    uniform.write_text(uniform.read_text().replace("lifecycle: active", "lifecycle: retired"))  # not staged
    d = diff(root, "change", today=TODAY)
    assert d.head == "working tree"
    assert [e.id for e in d.added] == ["draft"]
    assert [(c.label, c.before, c.after) for c in _by_id(d.changed)["uniform"].changes] == [
        ("Lifecycle", "active", "retired")
    ]
    assert d.removed == [] and d.renamed == []
    # a clean working tree against its own commit: nothing at all
    _git(root, "stash", "-q", "-u")
    assert diff(root, "change", today=TODAY).empty


def test_a_named_head_is_that_revision_whatever_the_working_tree_holds(make_repo: MakeRepo) -> None:
    """HEAD checked out and unedited is validated as the working tree (its
    checks' findings kept between runs); edited, it is read from git."""
    root = make_repo({})
    _history(root)  # leaves 'change' checked out
    first = diff(root, "main", "change", today=TODAY).as_dict()
    assert first["added"] and first["changed"] and first["findings_appeared"] and first["findings_resolved"]
    assert diff(root, "main", "change", today=TODAY).as_dict() == first  # the findings kept from the first run
    (root / "applications" / "draft.md").write_text(app("Draft system"))  # untracked
    uniform = root / "applications" / "uniform.md"
    uniform.write_text(uniform.read_text().replace("lifecycle: active", "lifecycle: retired"))  # not staged
    assert diff(root, "main", "change", today=TODAY).as_dict() == first
    assert "draft" in [e.id for e in diff(root, "main", today=TODAY).added]  # the working tree itself has it


def test_the_base_validated_in_another_process_finds_the_same(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """On a large estate the base revision is validated in a forked process
    while the head is validated here (unless the head keeps its findings
    from the last run); the difference must be the same."""
    import generator.analysis.diff as lib

    root = make_repo({})
    _history(root)
    (root / "applications" / "draft.md").write_text(app("Draft system"))  # head: a revision, not the working tree
    here = diff(root, "main", "change", today=TODAY).as_dict()
    assert here["changed"] and here["findings_appeared"] and here["findings_resolved"]
    calls = tmp_path / "validated-in"
    real = lib.validate

    def recording(*args: object, **kwargs: object) -> object:
        with calls.open("a") as fh:
            fh.write(f"{os.getpid()}\n")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(lib, "validate", recording)
    monkeypatch.setattr(lib, "FORK_MIN_FILES", 0)
    assert diff(root, "main", "change", today=TODAY).as_dict() == here
    pids = calls.read_text().split()
    assert len(pids) == 2
    if "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) >= 2:
        assert pids.count(str(os.getpid())) == 1  # one side here, the other in the forked process
    # HEAD is the working tree again: once its findings are kept from a run,
    # validating it is quick, and both sides are validated here
    (root / "applications" / "draft.md").unlink()
    assert diff(root, "main", "change", today=TODAY).as_dict() == here
    calls.unlink()
    assert diff(root, "main", "change", today=TODAY).as_dict() == here
    assert calls.read_text().split() == [str(os.getpid())] * 2


def test_a_revision_that_does_not_exist_is_exit_2(make_repo: MakeRepo) -> None:
    root = make_repo({})
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    result = CliRunner().invoke(main, ["diff", "no-such-branch", "-C", str(root)])
    assert result.exit_code == 2
    assert "git knows no revision 'no-such-branch'" in result.output
    result = CliRunner().invoke(main, ["diff", "main", "--bad", "-C", str(root)])
    assert result.exit_code == 2


def test_markdown_escapes_every_value(make_repo: MakeRepo) -> None:
    root = make_repo({})
    _history(root)
    text = render_markdown(diff(root, "main", "change", today=TODAY))
    assert "<b>" not in text and "@council-team" not in text and "`tick`" not in text and "](http" not in text
    row = next(line for line in text.splitlines() if "evil" in line)
    assert md(EVIL) in row
    assert row.count(" | ") == 3  # the name's pipe is escaped, not a new cell
    assert md(EVIL) == ("Evil \\| \\<b\\>bold\\</b\\> &#64;council-team \\`tick\\` \\[link\\]\\(http://x\\)")


def test_cli_formats(make_repo: MakeRepo) -> None:
    root = make_repo({})
    _history(root)
    runner = CliRunner()
    as_json = runner.invoke(
        main, ["diff", "main", "change", "-C", str(root), "--format", "json", "--today", "2026-06-01"]
    )
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.stdout)
    assert [e["id"] for e in data["removed"]] == ["paperless"]
    assert {f["code"] for f in data["findings_appeared"]} >= {"EA130"}
    gh = runner.invoke(main, ["diff", "main", "change", "-C", str(root), "--format", "github"])
    lines = gh.stdout.splitlines()
    assert any(line.startswith("::error file=applications/uniform.md,line=") and "EA130" in line for line in lines)
    assert any(line.startswith("::notice file=applications/evil.md,") for line in lines)
    assert lines[-1].startswith("ea diff main..change: 1 added, 1 removed, 2 renamed, 2 changed")
    out = root.parent / "diff.md"
    written = runner.invoke(main, ["diff", "main", "change", "-C", str(root), "-o", str(out)])
    assert written.exit_code == 0 and out.read_text().startswith("## Architecture changes from main to change")


def test_github_commands_cannot_be_injected() -> None:
    from generator.analysis.diff import Entity

    d = Diff(base="a", head="b", added=[Entity("application", "x", "Name\n::error::forged", "applications/x.md")])
    text = render_github(d)
    lines = text.splitlines()
    assert len(lines) == 2 and lines[0].startswith("::notice ") and not any(x.startswith("::error") for x in lines)


def test_governance_changes_read_as_facts(make_repo: MakeRepo) -> None:
    from governance_fixture import TODAY as GOV_TODAY
    from governance_fixture import governance_files

    root = make_repo(governance_files())
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "before the meeting")
    path = root / "proposals" / "2027-001-repairs-portal.md"
    path.write_text(
        path.read_text()
        .replace("status: assessment", "status: approved")
        .replace("meeting: 2027-03-10", "meeting: 2027-03-10\ndecision: 0004-repairs-portal")
    )
    (root / "architecture" / "decisions" / "0004-repairs-portal.md").write_text(
        "---\nname: Buy the repairs portal\nstatus: accepted\ndate: 2027-03-10\n"
        "proposals: [2027-001-repairs-portal]\n---\n"
    )
    d = diff(root, "main", today=GOV_TODAY)
    assert [(e.kind, e.id) for e in d.added] == [("decision", "0004-repairs-portal")]
    facts = {c.label: (c.before, c.after) for c in _by_id(d.changed)["2027-001-repairs-portal"].changes}
    assert facts == {"Status": ("assessment", "approved"), "Decision": (None, "0004-repairs-portal")}
    # the request is no longer overdue once decided
    assert [(f.code, f.path) for f in d.resolved] == [("EA215", "proposals/2027-001-repairs-portal.md")]


def test_a_broken_link_only_the_base_revision_has_is_resolved(make_repo: MakeRepo) -> None:
    """Each revision's page text is its own: a broken link in the base's copy
    of a file, gone from the working tree's, shows as resolved (the links are
    read from the revision's text, not from the working tree's copy)."""
    root = make_repo()
    page = root / "applications" / "uniform.md"
    plain = page.read_text()
    page.write_text(plain + "\nSee [the old plan](no-such-plan.md).\n")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    page.write_text(plain)  # the link taken out, not committed: the working tree
    d = diff(root, "HEAD", today=TODAY)
    assert [(f.code, f.path) for f in d.resolved] == [("EA132", "applications/uniform.md")]
    assert d.appeared == []


def _killed() -> object:
    """The base's process killed (for memory, say) before it could answer."""
    import signal

    os.kill(os.getpid(), signal.SIGKILL)
    return None


def test_a_killed_base_process_costs_time_never_a_hang(make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.analysis.diff as lib

    root = make_repo({})
    _history(root)
    (root / "applications" / "draft.md").write_text(app("Draft system"))
    here = diff(root, "main", "change", today=TODAY).as_dict()
    monkeypatch.setattr(lib, "FORK_MIN_FILES", 0)
    monkeypatch.setattr(lib, "_base_findings", _killed)
    assert diff(root, "main", "change", today=TODAY).as_dict() == here
