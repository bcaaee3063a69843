"""The pre-commit hook and the ready-to-copy pipelines: valid YAML, the
commands the issue asks for, and only options `ea` really has (so a renamed
option breaks this test, not a council's pipeline)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
import yaml

from generator.cli import main

ROOT = Path(__file__).resolve().parents[1]
HOOKS = ROOT / ".pre-commit-hooks.yaml"
GITHUB = ROOT / "ci-templates" / "github" / "ea.yml"
AZURE = ROOT / "ci-templates" / "azure" / "azure-pipelines.yml"


def _steps(jobs: dict) -> str:
    return "\n".join(str(step) for job in jobs.values() for step in job.get("steps", []))


def test_pre_commit_hook_runs_validate_once_per_commit() -> None:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    main_hook = next(h for h in hooks if h["id"] == "ea-validate")
    assert main_hook["entry"] == "ea validate"
    assert main_hook["language"] == "python"
    assert main_hook["pass_filenames"] is False
    assert re.match(main_hook["files"], "applications/revenues/academy.md")
    assert not re.match(main_hook["files"], "generator/cli.py")


def test_github_workflow_validates_pull_requests_and_publishes_the_site_from_main() -> None:
    flow = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    triggers = flow[True] if True in flow else flow["on"]  # YAML 1.1 reads the key 'on' as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    jobs = flow["jobs"]
    assert "ea validate --format github" in _steps({"v": jobs["validate"]})
    assert "refs/heads/main" in jobs["site"]["if"] and jobs["site"]["needs"] == "validate"
    assert "ea build" in _steps({"s": jobs["site"]})
    assert "actions/upload-pages-artifact" in _steps({"s": jobs["site"]})
    assert "actions/deploy-pages" in _steps({"d": jobs["deploy"]})
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_azure_pipeline_validates_publishes_junit_and_the_site() -> None:
    pipeline = yaml.safe_load(AZURE.read_text(encoding="utf-8"))
    validate, site = pipeline["stages"]
    steps = validate["jobs"][0]["steps"]
    text = str(steps)
    assert "ea validate --format azure" in text and "--format junit" in text
    publish = next(s for s in steps if s.get("task") == "PublishTestResults@2")
    assert publish["inputs"]["testResultsFormat"] == "JUnit" and publish["condition"] == "always()"
    assert "refs/heads/main" in site["condition"]
    site_steps = str(site["jobs"][0]["steps"])
    assert "ea build" in site_steps and "PublishPipelineArtifact" in site_steps


def _ea_commands() -> list[list[str]]:
    commands = []
    for path in (HOOKS, GITHUB, AZURE):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip().startswith("#"):
                continue
            for match in re.finditer(r"\bea ((?:validate|build|export|import|schema|new)\b[^\n|&;]*)", line):
                commands.append(shlex.split(match.group(1).replace("$(", "").replace("${{", "")))
    return commands


@pytest.mark.parametrize("argv", _ea_commands(), ids=lambda a: " ".join(a)[:40])
def test_every_option_the_templates_use_exists(argv: list[str]) -> None:
    command = main.commands[argv[0]]
    known = {opt for p in command.params if isinstance(p, click.Option) for opt in p.opts}
    used = {a.split("=")[0] for a in argv[1:] if a.startswith("-")}
    assert used <= known, f"ea {argv[0]} has no option {sorted(used - known)}"
    formats = [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--format"]
    choices = next((p.type.choices for p in command.params if p.name == "fmt"), ())
    assert all(f in choices for f in formats)
