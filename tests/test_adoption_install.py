"""The install route a council's own repository uses: a wheel built from
this repository (`pip wheel --no-deps . -w dist`) installed into a fresh
environment, then `ea init` in an empty folder, an import of a register and
a site build, all with the installed `ea` and none of this checkout.

The new environment gets the tool from the wheel and nothing else; the
libraries it depends on come from the test environment (a path added to it),
so the test needs no network."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _run(*args: str | Path, cwd: Path | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed; its bin folder."""
    pytest.importorskip("setuptools", minversion="77", reason="building the wheel offline needs setuptools 77+")
    base = tmp_path_factory.mktemp("install")
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", ROOT, "-w", base / "dist")
    wheels = sorted((base / "dist").glob("council_ea-*.whl"))
    assert len(wheels) == 1, wheels
    with zipfile.ZipFile(wheels[0]) as whl:
        names = set(whl.namelist())
    for data in ("generator/templates/init/gitignore", "generator/templates/init/github/ea.yml",
                 "generator/data/xml.xsd", "generator/assets/ea.css"):
        assert data in names, f"{data} is missing from the wheel"
    venv = base / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    _run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index", wheels[0])
    purelib = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip())
    # the dependencies, from this environment (a plain path: its editable install of this checkout is not loaded)
    (purelib / "zz-test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    where = _run(python, "-c", "import generator; print(generator.__file__)", cwd=base).strip()
    assert where.startswith(str(venv)), f"ea ran from {where}, not the installed wheel"
    return venv / "bin"


def test_init_import_and_build_with_the_installed_wheel(installed: Path, tmp_path: Path) -> None:
    ea = installed / "ea"
    council = tmp_path / "wessex-council"
    wheel = "./tools/council_ea-0.1.0-py3-none-any.whl"
    _run(ea, "init", council, "--name", "Wessex Council", "--install", wheel)
    assert 'EA_INSTALL: "./tools/' in (council / ".github" / "workflows" / "ea.yml").read_text()
    _run(ea, "validate", "--strict", cwd=council)
    (council / "register.csv").write_text(
        "Application,Supplier,Service area,Capability,Status,Hosting,Annual cost\n"
        "Uniform,Idox,Planning,Planning applications,Live,On premises,85000\n"
        "Civica Pay,Civica,Finance,Payments,Live,SaaS,12500\n",
        encoding="utf-8",
    )
    out = _run(ea, "import", "applications", "../register.csv", cwd=council / "applications")  # from a sub-folder
    assert "0 errors" in out
    assert (council / "applications" / "uniform.md").is_file()
    _run(ea, "build", cwd=council)
    home = (council / "site" / "index.html").read_text(encoding="utf-8")
    assert "Wessex Council" in home and "Uniform" in (council / "site" / "applications" / "index.html").read_text()
