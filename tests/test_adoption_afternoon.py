"""The council's first afternoon, end to end, as `.ci/run` also runs it:
`ea init` in an empty folder, a messy register (Windows-1252, a title row,
blank rows, a repeated row, TOTAL rows, money with suffixes, supplier name
variants, a Department column) imported with no mapping file, renames, the
register again with --update, and `ea build`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
EA = Path(sys.executable).parent / "ea"

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or shutil.which("dot") is None or not EA.exists(),
    reason="needs git, Graphviz's dot and the ea command beside this Python",
)


def _front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_first_afternoon(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    done = subprocess.run(
        ["bash", str(ROOT / ".ci" / "first-afternoon"), str(EA), str(tmp_path)],
        capture_output=True, text=True, env=env, timeout=600,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    council = tmp_path / "wessex-council"
    # the dry run summed up instead of listing a thousand lines
    assert "To create:" in out and "26  applications" in out and "2  total row" in out
    # one vendor per supplier, however the sheet wrote it; the rename kept the old name
    vendors = sorted(p.stem for p in (council / "architecture" / "vendors").glob("*.md") if p.stem != "README")
    assert [v for v in vendors if "civica" in v] == ["civica"] and [v for v in vendors if "idox" in v] == ["idox"]
    assert "capita" in vendors and "capita-business-services-ltd" not in vendors
    uniform = _front(council / "applications" / "uniform.md")
    assert uniform["name"] == "Uniform" and "Uniform Planning" in uniform["aliases"]
    assert uniform["annual_cost"] == 12500
    assert _front(council / "applications" / "academy-revenues.md")["vendor"] == "capita"
    # the re-import found the renamed application and made no second file
    assert not (council / "applications" / "uniform-planning.md").exists()
    assert "0 errors" in out
    assert "Wessex Council" in (council / "site" / "index.html").read_text(encoding="utf-8")
