"""`ea init`: a council's own repository that validates clean and builds a
site straight away, never overwriting anything."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import fail_write

import generator.interop.init as init_module
from generator.cli import main
from generator.interop.init import FILES, PRE_COMMIT, template_text

ROOT = Path(__file__).resolve().parents[1]
SPEC = "council-ea @ git+https://github.com/example-org/council-ea@" + "0123456789abcdef" * 2 + "01234567"


def _init(folder: Path, *args: str) -> object:
    return CliRunner().invoke(main, ["init", str(folder), *args])


def test_init_writes_every_file_and_validates_with_no_findings(tmp_path: Path) -> None:
    target = tmp_path / "wessex"
    result = _init(target, "--name", "Wessex Council", "--install", SPEC)
    assert result.exit_code == 0, result.output
    for rel in [*FILES.values(), PRE_COMMIT]:
        assert (target / rel).is_file(), rel
    checked = CliRunner().invoke(main, ["validate", str(target), "--format", "json", "--strict"])
    assert checked.exit_code == 0, checked.output
    report = json.loads(checked.stdout)
    assert report["findings"] == [] and report["summary"]["checked"] == 1  # the scheme


def test_the_council_name_reaches_the_site_settings_and_readme_safely(tmp_path: Path) -> None:
    name = 'St Agnes & "Kerrier": <Borough> #1'
    assert _init(tmp_path / "r", "--name", name).exit_code == 0
    settings = yaml.safe_load((tmp_path / "r" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert settings["site_name"] == f"{name}: architecture repository"
    assert settings["theme"]["palette"] == yaml.safe_load((ROOT / "mkdocs.yml").read_text())["theme"]["palette"]
    heading = (tmp_path / "r" / "README.md").read_text(encoding="utf-8").splitlines()[0]
    assert "<Borough>" not in heading and "\\<Borough\\>" in heading


def test_name_defaults_to_the_folders_name(tmp_path: Path) -> None:
    assert _init(tmp_path / "north-downs-council").exit_code == 0
    settings = yaml.safe_load((tmp_path / "north-downs-council" / "mkdocs.yml").read_text())
    assert settings["site_name"].startswith("North Downs Council")


def test_a_name_with_a_line_break_is_refused(tmp_path: Path) -> None:
    result = _init(tmp_path / "r", "--name", "Two\nlines")
    assert result.exit_code == 2 and not (tmp_path / "r").exists()


def test_gitignore_keeps_build_output_out(tmp_path: Path) -> None:
    _init(tmp_path / "r", "--name", "X")
    ignored = (tmp_path / "r" / ".gitignore").read_text().splitlines()
    for pattern in ("/site/", "/.ea-build/", "/.site.building-*", "__pycache__/"):
        assert pattern in ignored


def test_ci_and_pre_commit_install_the_pinned_tool(tmp_path: Path) -> None:
    _init(tmp_path / "r", "--name", "X", "--install", SPEC)
    flow = yaml.safe_load((tmp_path / "r" / ".github" / "workflows" / "ea.yml").read_text())
    assert flow["env"]["EA_INSTALL"] == SPEC
    azure = yaml.safe_load((tmp_path / "r" / "azure-pipelines.yml").read_text())
    assert azure["variables"]["EA_INSTALL"] == SPEC
    hooks = yaml.safe_load((tmp_path / "r" / PRE_COMMIT).read_text())
    repo = hooks["repos"][0]
    assert repo["repo"] == "https://github.com/example-org/council-ea"
    assert repo["rev"] == SPEC.rsplit("@", 1)[1] and repo["hooks"][0]["id"] == "ea-validate"
    readme = (tmp_path / "r" / "README.md").read_text()
    assert f'pip install "{SPEC}"' in readme
    assert not re.search(r"pip install \.(\s|$)", readme)


def test_without_a_known_install_the_pipelines_ask_for_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(init_module, "detect_install", lambda: init_module.Install(None, "test"))
    result = _init(tmp_path / "r", "--name", "X")
    assert result.exit_code == 0
    assert "set EA_INSTALL" in result.output
    flow = yaml.safe_load((tmp_path / "r" / ".github" / "workflows" / "ea.yml").read_text())
    assert flow["env"]["EA_INSTALL"] == ""
    install = next(s for s in flow["jobs"]["validate"]["steps"] if s.get("name") == "Install ea")
    assert 'if [ -z "$EA_INSTALL" ]' in install["run"] and "exit 1" in install["run"]
    hooks = yaml.safe_load((tmp_path / "r" / PRE_COMMIT).read_text())
    assert hooks["repos"][0]["repo"] == "local" and hooks["repos"][0]["hooks"][0]["language"] == "system"


def test_the_products_pipeline_templates_are_the_ones_init_writes() -> None:
    assert (ROOT / "ci-templates" / "github" / "ea.yml").read_text() == template_text("github/ea.yml")
    assert (ROOT / "ci-templates" / "azure" / "azure-pipelines.yml").read_text() == template_text(
        "azure/azure-pipelines.yml"
    )


def test_init_refuses_to_overwrite_and_names_the_files(tmp_path: Path) -> None:
    target = tmp_path / "r"
    target.mkdir()
    (target / "README.md").write_text("ours")
    (target / "mkdocs.yml").write_text("site_name: ours\n")
    result = _init(target, "--name", "X")
    assert result.exit_code == 2
    assert "README.md" in result.output and "mkdocs.yml" in result.output
    assert sorted(p.name for p in target.iterdir()) == ["README.md", "mkdocs.yml"]
    assert (target / "README.md").read_text() == "ours"


def test_a_failed_init_leaves_the_folder_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "r"
    target.mkdir()
    (target / "notes.txt").write_text("keep")
    fail_write(monkeypatch, init_module, 5, OSError(28, "No space left on device"))
    result = _init(target, "--name", "X")
    assert result.exit_code == 2 and "No space left" in result.output
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    fail_write(monkeypatch, init_module, 5, OSError(28, "No space left on device"))  # counted afresh
    deeper = tmp_path / "new" / "folders" / "r"
    assert _init(deeper, "--name", "X").exit_code == 2
    assert not (tmp_path / "new").exists(), "folders made for the failed init were left behind"


@pytest.mark.slow
def test_the_new_repository_builds_a_site_that_says_what_to_add_first(tmp_path: Path) -> None:
    target = tmp_path / "r"
    _init(target, "--name", "Wessex Council", "--install", SPEC)
    result = CliRunner().invoke(main, ["build", str(target)])
    assert result.exit_code == 0, result.output
    home = (target / "site" / "index.html").read_text(encoding="utf-8")
    assert "Wessex Council: architecture repository" in home
    assert "No applications have been added to this repository yet" in home
    assert "Organisation units" in home
    apps = (target / "site" / "applications" / "index.html").read_text(encoding="utf-8")
    assert "No applications have been added yet" in apps and "<table" not in apps.split("ea-none", 1)[1][:200]
    vendors = (target / "site" / "vendors" / "index.html").read_text(encoding="utf-8")
    assert "No suppliers have been added yet" in vendors


def test_only_cloneable_addresses_without_credentials_reach_the_pipelines() -> None:
    from generator.interop.init import _public_url

    assert _public_url("https://github.com/org/council-ea.git") == "https://github.com/org/council-ea.git"
    assert _public_url("git@github.com:org/council-ea.git") == "ssh://git@github.com/org/council-ea.git"
    assert _public_url("https://user:token@github.com/org/council-ea.git") is None
    assert _public_url("/srv/git/council-ea") is None


class _FakeDist:
    def __init__(self, direct_url: str | None) -> None:
        self._direct_url = direct_url

    def read_text(self, name: str) -> str | None:
        return self._direct_url if name == "direct_url.json" else None


@pytest.mark.parametrize(
    "direct_url,expected",
    [
        (
            '{"url": "https://github.com/org/council-ea.git", "vcs_info": {"vcs": "git", "commit_id": "'
            + "a" * 40
            + '", "requested_revision": "main"}}',
            "council-ea @ git+https://github.com/org/council-ea.git@" + "a" * 40,
        ),
        ('{"url": "https://u:secret@github.com/org/council-ea.git", "vcs_info": {"vcs": "git", "commit_id": "'
         + "b" * 40 + '"}}', None),
        ('{"url": "file:///tmp/council_ea-0.1.0-py3-none-any.whl", "archive_info": {}}', None),
        (None, None),
    ],
    ids=["git at a commit", "credentials never copied", "local wheel", "package index"],
)
def test_detect_install_pins_a_git_install_at_its_commit(
    monkeypatch: pytest.MonkeyPatch, direct_url: str | None, expected: str | None
) -> None:
    monkeypatch.setattr(init_module.metadata, "distribution", lambda name: _FakeDist(direct_url))
    found = init_module.detect_install()
    assert found.spec == expected
    assert found.source


def test_an_install_requirement_that_would_break_the_files_is_refused(tmp_path: Path) -> None:
    for bad in ('council-ea @ git+https://x/y@1" && curl evil', "line one\nline two", "$(whoami)"):
        result = _init(tmp_path / "r", "--name", "X", "--install", bad)
        assert result.exit_code == 2, bad
        assert not (tmp_path / "r").exists()
