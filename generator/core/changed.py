"""The files a change touched, for annotating a pull request's own files.

A pull request's annotations are most useful on the lines it changed: the
repository's older warnings, repeated on every pull request, bury the new
ones. Git knows which files a branch changed since it left its target
(``git diff REV...HEAD``, the same three-dot comparison a pull request page
shows); files changed in the working tree and new untracked files count too,
so the same option works before a commit.
"""

from __future__ import annotations

import subprocess
from pathlib import Path, PurePosixPath

from generator.core.errors import EaError


def _git(cwd: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8", errors="surrogateescape"
        )
    except FileNotFoundError as exc:
        raise EaError("--changed-since needs git, which is not installed or not on PATH") from exc
    if done.returncode != 0:
        raise EaError(f"git {' '.join(args)} failed: {done.stderr.strip() or done.returncode}")
    return done.stdout


def changed_files(root: Path, rev: str) -> frozenset[str]:
    """Paths relative to ``root`` (forward slashes) of the files changed since
    ``rev``: committed on this branch since it left ``rev``, changed in the
    working tree or staged, or new and not ignored."""
    if not rev.strip() or rev.startswith("-"):
        raise EaError(f"--changed-since: {rev!r} is not a revision (a branch, tag or commit, e.g. origin/main)")
    root = Path(root).resolve()
    try:
        top = Path(_git(root, "rev-parse", "--show-toplevel").strip()).resolve()
    except EaError as exc:
        raise EaError(f"--changed-since needs the repository to be a git checkout: {exc}") from exc
    try:
        _git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except EaError as exc:
        raise EaError(
            f"--changed-since: git knows no revision {rev!r} (in CI, fetch the target branch: "
            "actions/checkout with fetch-depth: 0, or fetchDepth: 0 in Azure Pipelines)"
        ) from exc
    names: set[str] = set()
    for args in (
        ("diff", "--name-only", "-z", f"{rev}...HEAD", "--"),
        ("diff", "--name-only", "-z", "HEAD", "--"),
        ("ls-files", "--others", "--exclude-standard", "--full-name", "-z"),
    ):
        names.update(n for n in _git(top, *args).split("\0") if n)
    prefix = PurePosixPath(root.relative_to(top).as_posix()) if root != top else None
    result = set()
    for name in names:
        path = PurePosixPath(name)
        if prefix is None:
            result.add(path.as_posix())
        elif path.is_relative_to(prefix):
            result.add(path.relative_to(prefix).as_posix())
    return frozenset(result)
