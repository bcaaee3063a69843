"""Finding the repository root from wherever a command is run, as git does.

A content repository's root is the nearest folder, from the starting one
upwards, that holds ``ea.yml`` or one of the content folders (with or without
``mkdocs.yml``), so ``ea validate`` or ``ea new`` typed in ``applications/``
works on the whole repository and writes where the file belongs.
"""

from __future__ import annotations

from pathlib import Path

from generator.documents.config import CONFIG_FILE
from generator.models.model import ENTITY_KINDS, FOLDERS


def is_root(folder: Path) -> bool:
    """Whether ``folder`` looks like a repository root."""
    if (folder / CONFIG_FILE).is_file():
        return True
    return any((folder / FOLDERS[k]).is_dir() for k in ENTITY_KINDS)


def find_root(start: Path) -> Path | None:
    """The nearest root at or above ``start`` (resolved), or None."""
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        if is_root(folder):
            return folder
    return None
