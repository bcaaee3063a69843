"""`ea rename` and `ea merge`: the file moves, every reference in every
content file follows, and nothing else in any file changes (comments, quotes,
flow or block lists, CRLF, a byte-order mark); the old name is kept as an
alias; all files change or none."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import MakeRepo, app, fail_write, run, show
from test_interop_register import register_bytes

from generator.cli import main
from generator.core.errors import EaError
from generator.interop import files as files_module
from generator.interop.applications import plan_applications
from generator.interop.rename import plan_merge, plan_rename
from generator.models.model import Kind

CIVICA = "---\nname: Civica\n# the group, not its subsidiaries\nwebsite: https://www.civica.com\n---\nThe supplier.\n"


def _cli(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def _front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").split("---\n")[1])


def _errors(root: Path) -> list:
    return [f for f in run(root) if f.severity.value == "error"]


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _repo(make_repo: MakeRepo) -> Path:
    """References to the vendor 'civica' written every way YAML allows."""
    return make_repo(
        {
            "architecture/vendors/civica.md": CIVICA,
            "applications/pay.md": app("Civica Pay", extra="vendor: civica   # since 2019\n"),
            "applications/app.md": app("Civica APP", extra="vendor: 'civica'\ntags: [civica, regulatory]\n"),
            "applications/w2.md": app("W2", extra='vendor: "civica"\n').replace("\n", "\r\n"),
            "applications/sub/cx.md": b"\xef\xbb\xbf" + app("Civica Cx", extra="vendor: civica\n").encode(),
        }
    )


def test_rename_rewrites_only_the_references_byte_for_byte(make_repo: MakeRepo) -> None:
    root = _repo(make_repo)
    before = {p: (root / p).read_bytes() for p in ("applications/pay.md", "applications/app.md", "applications/w2.md")}
    before["applications/sub/cx.md"] = (root / "applications/sub/cx.md").read_bytes()
    result = _cli("rename", "vendor", "civica", "civica-group", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert not (root / "architecture/vendors/civica.md").exists()
    assert (root / "architecture/vendors/civica-group.md").read_text() == CIVICA, "the moved file is unchanged"
    expected = {
        "applications/pay.md": before["applications/pay.md"].replace(b"vendor: civica ", b"vendor: civica-group "),
        "applications/app.md": before["applications/app.md"].replace(b"'civica'", b"'civica-group'"),
        "applications/w2.md": before["applications/w2.md"].replace(b'"civica"', b'"civica-group"'),
        "applications/sub/cx.md": before["applications/sub/cx.md"].replace(b"vendor: civica", b"vendor: civica-group"),
    }
    for rel, content in expected.items():
        assert (root / rel).read_bytes() == content, rel
    assert b"tags: [civica, regulatory]" in (root / "applications/app.md").read_bytes(), "a tag is not a reference"
    assert _errors(root) == [], show(_errors(root))
    assert "applications/pay.md:7: 'civica' -> 'civica-group'" in result.output


def test_a_new_name_keeps_the_old_one_as_an_alias_in_the_lists_own_style(make_repo: MakeRepo) -> None:
    block = "---\nname: Idox\naliases:\n  - Idox plc  # on invoices\nwebsite: https://idox.com\n---\n"
    flow = "---\nname: Capita\naliases: [Capita plc]\n---\n"
    root = make_repo(
        {
            "architecture/vendors/idox.md": block,
            "architecture/vendors/capita.md": flow,
            "architecture/vendors/jadu.md": "---\nname: Jadu\nwebsite: https://jadu.net\n---\n",
        }
    )
    plan_rename(root, Kind.VENDOR, "idox", "idox-group", name="Idox Group").apply()
    plan_rename(root, Kind.VENDOR, "capita", "capita", name="Capita: One").apply()
    plan_rename(root, Kind.VENDOR, "Jadu", "jadu-ltd", name="Jadu Ltd").apply()
    assert (root / "architecture/vendors/idox-group.md").read_text() == (
        "---\nname: Idox Group\naliases:\n  - Idox plc  # on invoices\n  - Idox\nwebsite: https://idox.com\n---\n"
    )
    assert (root / "architecture/vendors/capita.md").read_text() == (
        "---\nname: 'Capita: One'\naliases: [Capita plc, Capita]\n---\n"
    )
    assert (root / "architecture/vendors/jadu-ltd.md").read_text() == (
        "---\nname: Jadu Ltd\naliases: [Jadu]\nwebsite: https://jadu.net\n---\n"
    )
    assert _errors(root) == [], show(_errors(root))


def test_renaming_an_application_follows_dependencies_successors_and_distinct_from(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "applications/old.md": app("Old system", lifecycle="phase-out", extra="replaced_by: uniform\n"),
            "applications/portal.md": app(
                "Portal",
                extra="depends_on:\n  - uniform\n  - {app: uniform, data: applications}\n"
                "  - app: uniform  # the decision notices\n    data: decisions\ndistinct_from: [uniform]\n",
            ),
        }
    )
    result = _cli("rename", "application", "Uniform", "uniform-enterprise", "--name", "Uniform Enterprise",
                  "--root", str(root))  # fmt: skip
    assert result.exit_code == 0, result.output
    portal = (root / "applications/portal.md").read_text()
    assert portal.count("uniform-enterprise") == 4 and "# the decision notices" in portal
    assert _front(root / "applications/old.md")["replaced_by"] == "uniform-enterprise"
    moved = _front(root / "applications/uniform-enterprise.md")
    assert moved["name"] == "Uniform Enterprise" and moved["aliases"] == ["Uniform"]
    assert _errors(root) == [], show(_errors(root))


def test_renaming_capabilities_and_organisation_units(make_repo: MakeRepo) -> None:
    root = make_repo(
        {
            "capabilities/planning-applications/validation.md": "---\nname: Validation\nparent: planning-applications\n"
            "---\n",
            "architecture/organisations/place.md": "---\nname: Place\ntype: directorate\n---\n",
            "architecture/organisations/planning.md": "---\nname: Planning\ntype: service\nparent: place\n---\n",
        }
    )
    plan_rename(root, Kind.CAPABILITY, "planning-applications", "development-management").apply()
    plan_rename(root, Kind.ORGANISATION, "planning", "planning-service").apply()
    assert _front(root / "capabilities/planning-applications/validation.md")["parent"] == "development-management"
    assert _front(root / "applications/uniform.md")["capabilities"] == ["development-management"]
    assert _front(root / "applications/uniform.md")["owner"] == "planning-service"
    assert _front(root / "capabilities/development-management.md")["owner"] == "planning-service"
    assert _errors(root) == [], show(_errors(root))


def test_an_id_yaml_would_misread_is_quoted(make_repo: MakeRepo) -> None:
    root = make_repo()
    plan_rename(root, Kind.ORGANISATION, "planning", "no").apply()
    assert "owner: 'no'" in (root / "applications/uniform.md").read_text()
    assert _errors(root) == [], show(_errors(root))


def test_body_links_to_the_moved_file_follow_it(make_repo: MakeRepo) -> None:
    root = make_repo(
        {"architecture/vendors/jadu.md": "---\nname: Jadu\n---\nSee [Uniform](../../applications/uniform.md#cost).\n"}
    )
    plan_rename(root, Kind.APPLICATION, "uniform", "uniform-2").apply()
    assert "[Uniform](../../applications/uniform-2.md#cost)" in (root / "architecture/vendors/jadu.md").read_text()


def test_renaming_a_vendor_onto_another_merges_them(make_repo: MakeRepo) -> None:
    root = _repo(make_repo)
    (root / "architecture/vendors/civica-uk-ltd.md").write_text(
        "---\nname: Civica UK Ltd\naliases: [Civica UK Limited]\nwebsite: https://civica.co.uk\n---\nInvoices.\n"
    )
    (root / "applications/pay.md").write_text(app("Civica Pay", extra="vendor: civica-uk-ltd\n"))
    assert [f.code for f in run(root) if f.code == "EA161"] == ["EA161"], "the near-duplicate is reported first"
    result = _cli("rename", "vendor", "civica-uk-ltd", "civica", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert not (root / "architecture/vendors/civica-uk-ltd.md").exists()
    merged = (root / "architecture/vendors/civica.md").read_text()
    assert merged.startswith("---\nname: Civica\naliases: [Civica UK Ltd, Civica UK Limited]\n# the group")
    assert "Invoices." in merged and 'website: "https://civica.co.uk"' in result.output
    assert _front(root / "applications/pay.md")["vendor"] == "civica"
    assert [f for f in run(root) if f.code in ("EA161", "EA152")] == []
    assert _errors(root) == [], show(_errors(root))


def test_merge_is_only_for_vendors_and_clashes_are_refused(make_repo: MakeRepo) -> None:
    root = make_repo({"applications/academy.md": app("Academy")})
    with pytest.raises(EaError, match="only vendors merge"):
        plan_rename(root, Kind.APPLICATION, "academy", "uniform")
    with pytest.raises(EaError, match="only vendors merge"):
        plan_merge(root, Kind.APPLICATION, "academy", "uniform")
    with pytest.raises(EaError, match="did you mean 'uniform-north'"):
        plan_rename(root, Kind.APPLICATION, "uniform", "Uniform North")
    with pytest.raises(EaError, match="no application 'ghost'"):
        plan_rename(root, Kind.APPLICATION, "ghost", "spirit")
    result = _cli("rename", "application", "academy", "uniform", "--root", str(root))
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_dry_run_prints_a_diff_and_writes_nothing(make_repo: MakeRepo) -> None:
    root = _repo(make_repo)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    result = _cli("rename", "vendor", "civica", "civica-group", "--dry-run", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert "-vendor: civica   # since 2019\n+vendor: civica-group   # since 2019" in result.output
    assert "Dry run: nothing was written (6 files would change)" in result.output
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_a_rename_that_fails_half_way_changes_nothing(make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(make_repo)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "start")
    fail_write(monkeypatch, files_module, 3, OSError(13, "Permission denied"))
    result = _cli("rename", "vendor", "civica", "civica-group", "--root", str(root))
    assert result.exit_code == 2 and "Permission denied" in result.output, result.output
    assert _git(root, "status", "--porcelain", "--untracked-files=all") == ""


def test_a_file_that_mentions_the_id_but_cannot_be_read_stops_the_rename(make_repo: MakeRepo) -> None:
    root = _repo(make_repo)
    (root / "applications/broken.md").write_text("---\nname: [Broken\nvendor: civica\n---\n")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    with pytest.raises(EaError, match=r"applications/broken\.md"):
        plan_rename(root, Kind.VENDOR, "civica", "civica-group")
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_import_rename_and_reimport_make_no_duplicates(tmp_path: Path) -> None:
    """The newcomer's afternoon: a messy register into an empty folder, the
    architect tidies names, the register is imported again with --update."""
    root = tmp_path / "council"
    root.mkdir()
    register = tmp_path / "register.csv"
    register.write_bytes(register_bytes())
    first = _cli("import", "applications", str(register), "--root", str(root))
    assert first.exit_code == 0, first.output
    tidy = ["rename", "vendor", "capita-business-services-ltd", "capita", "--name", "Capita", "--root", str(root)]
    assert _cli(*tidy).exit_code == 0
    renamed = _cli("rename", "application", "uniform-planning", "uniform", "--name", "Uniform", "--root", str(root))
    assert renamed.exit_code == 0, renamed.output
    assert _front(root / "architecture/vendors/capita.md")["aliases"] == ["Capita Business Services Ltd"]
    plan = plan_applications(root, register, update=True)
    assert [f.path for f in plan.files if f.action == "create"] == [], [m.line() for m in plan.messages]
    assert plan.skipped == []
    again = _cli("import", "applications", str(register), "--update", "--root", str(root))
    assert again.exit_code == 0, again.output
    assert _errors(root) == [], show(_errors(root))
    assert not (root / "applications/uniform-planning.md").exists()
