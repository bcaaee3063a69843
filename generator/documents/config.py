"""The repository's own settings for `ea`, in an optional ``ea.yml`` at its
root. Kept apart from ``mkdocs.yml`` (the site's look) so validation in CI
needs no site configuration, and small on purpose: everything about the
content lives in the content."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from generator.core.errors import EaError
from generator.core.util import is_utf8
from generator.documents.document import parse_text

CONFIG_FILE = "ea.yml"
_KNOWN = {"lgsl": "path of the LGA's service list (CSV), relative to the repository root"}


@dataclass(frozen=True)
class RepoConfig:
    #: the LGSL CSV checked by `ea validate` and labelled on capability pages
    lgsl: Path | None = None


def read_config(root: Path) -> RepoConfig:
    """Settings from ``ROOT/ea.yml``; defaults when there is none. A bad file
    stops the command (EaError) with its file and line, as content does."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return RepoConfig()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise EaError(f"{CONFIG_FILE}: cannot read it: {exc}") from exc
    # the same line-keeping, alias-refusing parser as content, fed as frontmatter
    doc = parse_text(CONFIG_FILE, "---\n" + text.replace("\r\n", "\n").rstrip("\n") + "\n---\n")
    if doc.problems:
        p = doc.problems[0]
        raise EaError(f"{CONFIG_FILE}:{max(p.line - 1, 1)}: {p.message} ({p.hint})")
    data = doc.data or {}
    for key in data:
        if key not in _KNOWN:
            known = ", ".join(f"'{k}' ({v})" for k, v in _KNOWN.items())
            raise EaError(f"{CONFIG_FILE}:{doc.lines[(key,)] - 1}: unknown setting {str(key)!r}; known: {known}")
    lgsl = data.get("lgsl")
    if lgsl is None:
        return RepoConfig()
    line = doc.lines[("lgsl",)] - 1
    if not isinstance(lgsl, str) or not lgsl.strip():
        raise EaError(f"{CONFIG_FILE}:{line}: 'lgsl' must be a file path, e.g. lgsl: data/englishAndWelshServices.csv")
    if not lgsl.isprintable() or not is_utf8(lgsl):  # NUL, line breaks, lone surrogates
        raise EaError(
            f"{CONFIG_FILE}:{line}: 'lgsl' holds a control character or text that is not Unicode: name a file path"
        )
    return RepoConfig(lgsl=_inside(root, lgsl, line))


def _inside(root: Path, setting: str, line: int) -> Path:
    """The file a path setting names, which must be a regular file inside the
    repository (not under ``.git``, not reached through a symbolic link): a
    pull request can change ``ea.yml``, and CI must not read ``/etc/shadow``
    or the job's ``/proc/self/environ`` for it."""
    where = f"{CONFIG_FILE}:{line}: the LGSL file {setting!r}"
    relative = Path(setting.strip())
    if relative.is_absolute() or relative.drive:
        raise EaError(f"{where} must be a path relative to the repository root, inside the repository")
    base = root.resolve()
    file = (base / relative).resolve()
    if not file.is_relative_to(base) or ".git" in file.relative_to(base).parts:
        raise EaError(f"{where} is outside the repository (or under .git): name a file inside it")
    if Path(os.path.normpath(base / relative)) != file:
        # resolving changed the path: some part of it is a symbolic link
        raise EaError(f"{where} goes through a symbolic link: name the file itself")
    if not file.exists():
        raise EaError(f"{where} does not exist (relative to the repository root)")
    if not file.is_file():
        raise EaError(f"{where} is not a regular file: name the CSV file itself")
    return file
