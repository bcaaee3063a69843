"""``ea init``: a council's own content repository, ready to validate and build.

The files come from ``generator/templates/init/`` (package data, so an
installed ``ea`` has them). Nothing existing is overwritten: every file that
would be is named and nothing is written; the files are written one by one
atomically and, should one fail, those already written are removed again, so
a failed ``ea init`` leaves the folder as it was.
"""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from urllib.parse import urlsplit

from generator.core.errors import EaError
from generator.core.util import atomic_write

DISTRIBUTION = "council-ea"

#: template file -> path in the new repository (dotfiles are stored without
#: the dot, so packaging tools never skip them)
FILES = {
    "gitignore": ".gitignore",
    "ea.yml": "ea.yml",
    "mkdocs.yml": "mkdocs.yml",
    "README.md": "README.md",
    "architecture/sustainability.md": "architecture/sustainability.md",
    "architecture/vendors/README.md": "architecture/vendors/README.md",
    "architecture/organisations/README.md": "architecture/organisations/README.md",
    "architecture/milestones/README.md": "architecture/milestones/README.md",
    "capabilities/README.md": "capabilities/README.md",
    "applications/README.md": "applications/README.md",
    "architecture/priorities/README.md": "architecture/priorities/README.md",
    "architecture/principles/README.md": "architecture/principles/README.md",
    "architecture/decisions/README.md": "architecture/decisions/README.md",
    "proposals/README.md": "proposals/README.md",
    "github/ea.yml": ".github/workflows/ea.yml",
    "azure/azure-pipelines.yml": "azure-pipelines.yml",
}
PRE_COMMIT = ".pre-commit-config.yaml"
_UNSET_INSTALL = 'EA_INSTALL: ""'
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_GIT_SPEC = re.compile(r"^council-ea @ git\+(?P<url>\S+)@(?P<rev>[0-9a-f]{40})$")


def template_text(name: str) -> str:
    """One template's text from the installed package."""
    return (resources.files("generator") / "templates" / "init" / name).read_text(encoding="utf-8")


def check_name(name: str) -> str:
    """The council's name, trimmed; refused when it could not be a title."""
    name = name.strip()
    if not name:
        raise EaError("--name must not be empty, e.g. --name \"Wessex Council\"")
    if _CONTROL.search(name):
        raise EaError("--name must be one line of text with no control characters")
    if len(name) > 120:
        raise EaError("--name is longer than 120 characters")
    return name


def check_install(spec: str) -> str:
    """A pip requirement fit to write into YAML, a shell line and the README:
    one line, no quotes or backticks."""
    spec = spec.strip()
    if _CONTROL.search(spec) or any(c in spec for c in "\"'`$"):
        raise EaError(
            "--install must be one pip requirement with no quotes, e.g. "
            "--install \"council-ea @ git+https://github.com/ORG/council-ea@COMMIT\""
        )
    return spec


def name_from_folder(folder: Path) -> str:
    """A title from the folder's name ('wessex-council' -> 'Wessex Council')."""
    words = re.sub(r"[-_.]+", " ", folder.name).split()
    return " ".join(w[:1].upper() + w[1:] for w in words) or "Our council"


@dataclass(frozen=True)
class Install:
    """How CI and pre-commit install ea: a pip requirement, or None when it
    could not be worked out (the files then ask for it)."""

    spec: str | None
    source: str


def _git_out(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


def _public_url(url: str) -> str | None:
    """A git remote address CI can clone (https, or ssh as git+ssh)."""
    if url.startswith(("https://", "http://")):
        parts = urlsplit(url)
        if parts.username or parts.password:
            return None  # never copy a credential into a pipeline
        return url
    m = re.match(r"^git@([^:]+):(.+)$", url)
    if m:
        return f"ssh://git@{m.group(1)}/{m.group(2)}"
    if url.startswith("ssh://"):
        return url
    return None


def detect_install() -> Install:
    """The pinned requirement that installs the ``ea`` running now: pip's
    record of where it came from (PEP 610) when that was Git at a commit, or
    the Git checkout it was installed from with an origin remote and no
    uncommitted changes to the tool."""
    try:
        dist = metadata.distribution(DISTRIBUTION)
        raw = dist.read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return Install(None, "ea is not installed as a package")
    if not raw:
        return Install(None, "ea was installed from a package index or a wheel file")
    info = json.loads(raw)
    url = str(info.get("url", ""))
    vcs = info.get("vcs_info") or {}
    if vcs.get("vcs") == "git" and re.fullmatch(r"[0-9a-f]{40}", str(vcs.get("commit_id", ""))):
        public = _public_url(url)
        if public:
            return Install(f"{DISTRIBUTION} @ git+{public}@{vcs['commit_id']}", "pip's record of this install")
    if "dir_info" in info and url.startswith("file://"):
        folder = Path(urlsplit(url).path)
        remote = _git_out(folder, "remote", "get-url", "origin")
        commit = _git_out(folder, "rev-parse", "HEAD")
        dirty = _git_out(folder, "status", "--porcelain", "--", "generator", "pyproject.toml")
        public = _public_url(remote) if remote else None
        if public and commit and not dirty:
            return Install(f"{DISTRIBUTION} @ git+{public}@{commit}", f"the checkout at {folder}")
        return Install(None, f"ea runs from the folder {folder}, with no public origin remote at a clean commit")
    return Install(None, "ea was installed from a local file")


def _md(text: str) -> str:
    """Markdown-escape a name for a heading or a sentence."""
    return re.sub(r"([\\`*_{}\[\]<>()#+!|~])", r"\\\1", text)


def _pre_commit(install: str | None) -> str:
    head = (
        "# pre-commit (https://pre-commit.com) runs `ea validate` before each commit:\n"
        "#   pip install pre-commit && pre-commit install\n"
        "# The hook checks the whole repository (references cross files), once per commit.\n"
    )
    m = _GIT_SPEC.match(install or "")
    if m:
        return head + (
            "repos:\n"
            f"  - repo: {json.dumps(m.group('url'))}\n"
            f"    rev: {m.group('rev')}  # the same commit as EA_INSTALL in the pipelines\n"
            "    hooks:\n"
            "      - id: ea-validate\n"
        )
    return head + (
        "# It uses the `ea` installed in your environment (see README.md); to let\n"
        "# pre-commit install it itself, point `repo:` at the tool's Git address and\n"
        "# `rev:` at a commit, with hook id ea-validate.\n"
        "repos:\n"
        "  - repo: local\n"
        "    hooks:\n"
        "      - id: ea-validate\n"
        "        name: ea validate\n"
        "        entry: ea validate\n"
        "        language: system\n"
        "        pass_filenames: false\n"
        "        files: ^(capabilities|applications|architecture|proposals)/.*\\.md$|^ea\\.yml$\n"
    )


def render(name: str, install: str | None) -> dict[str, str]:
    """Every file of the new repository: {relative path: text}, sorted."""
    name = check_name(name)
    install = check_install(install) or None if install else None
    install_line = f"EA_INSTALL: {json.dumps(install)}" if install else _UNSET_INSTALL
    values = {
        "@@SITE_NAME@@": json.dumps(f"{name}: architecture repository", ensure_ascii=False),
        "@@COUNCIL_COMMENT@@": name,
        "@@COUNCIL@@": _md(name),
        "@@INSTALL@@": install or "council-ea @ git+https://<host>/<org>/council-ea@<commit>",
    }
    files: dict[str, str] = {}
    for template, target in FILES.items():
        text = template_text(template)
        for key, value in values.items():
            text = text.replace(key, value)
        if target.endswith((".github/workflows/ea.yml", "azure-pipelines.yml")):
            text = text.replace(_UNSET_INSTALL, install_line)
        files[target] = text
    files[PRE_COMMIT] = _pre_commit(install)
    return dict(sorted(files.items()))


def init_repository(folder: Path, name: str, install: str | None) -> list[str]:
    """Write the new repository into ``folder`` (created if missing). Refuses,
    writing nothing, when any of its files exists already."""
    files = render(name, install)
    folder = Path(folder).absolute()
    if folder.exists() and not folder.is_dir():
        raise EaError(f"{folder} exists and is not a folder")
    clashes = [rel for rel in files if (folder / rel).exists() or (folder / rel).is_symlink()]
    if clashes:
        raise EaError(
            f"{folder} already has {', '.join(clashes)}: nothing was written "
            "(ea init never overwrites; move these aside or choose another folder)"
        )
    parents = {folder, *folder.parents}
    for rel in files:
        parents.update(p for p in (folder / rel).parents if folder in p.parents)
    created_dirs = [d for d in parents if not d.exists()]
    written: list[Path] = []
    try:
        for rel, text in files.items():
            atomic_write(folder / rel, text)
            written.append(folder / rel)
    except BaseException:
        for path in written:
            with contextlib.suppress(OSError):
                path.unlink()
        for d in sorted(created_dirs, key=lambda p: len(p.parts), reverse=True):
            with contextlib.suppress(OSError):
                d.rmdir()
        raise
    return list(files)
