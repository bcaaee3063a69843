"""Documentation cannot drift from the code: every finding code is in the
README's table with its severity, and every command has help with an example
(the sqlite-utils rule: a command without documentation fails the suite)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.core.findings import CODES

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    first_block = README.split("```", 2)[1]
    assert "make site" in first_block and "make test" in first_block


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_finding_code_is_documented_with_its_severity(code: str) -> None:
    row = re.search(rf"^\| {code} \| (error|warning) \|", README, flags=re.MULTILINE)
    assert row, f"{code} is missing from the README's table of finding codes"
    assert row.group(1) == CODES[code].severity


def test_readme_documents_no_code_that_does_not_exist() -> None:
    documented = set(re.findall(r"^\| (EA\d{3}) \|", README, flags=re.MULTILINE))
    assert documented == set(CODES)


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name, command in sorted(group.commands.items()):
        out.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            out.extend(_commands(command, f"{prefix}{name} "))
    return out


@pytest.mark.parametrize("name", [name for name, _ in _commands(main)])
def test_every_command_has_help_with_an_example(name: str) -> None:
    result = CliRunner().invoke(main, [*name.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, f"'ea {name} --help' has no example"


def test_top_level_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
