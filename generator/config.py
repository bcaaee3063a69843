"""The repository's own settings for `ea`, in an optional ``ea.yml`` at its
root. Kept apart from ``mkdocs.yml`` (the site's look) so validation in CI
needs no site configuration, and small on purpose: everything about the
content lives in the content."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.document import parse_text
from generator.errors import EaError

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
            raise EaError(f"{CONFIG_FILE}:{doc.lines[(key,)] - 1}: unknown setting '{key}'; known: {known}")
    lgsl = data.get("lgsl")
    if lgsl is None:
        return RepoConfig()
    line = doc.lines[("lgsl",)] - 1
    if not isinstance(lgsl, str) or not lgsl.strip():
        raise EaError(f"{CONFIG_FILE}:{line}: 'lgsl' must be a file path, e.g. lgsl: data/englishAndWelshServices.csv")
    file = (root / lgsl).resolve()
    if not file.is_file():
        raise EaError(f"{CONFIG_FILE}:{line}: the LGSL file '{lgsl}' does not exist (relative to {root})")
    return RepoConfig(lgsl=file)
