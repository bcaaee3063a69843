"""What the ``ea`` commands share: exit codes, the date option, finding the
repository root, ending a one-shot process quickly and naming files for
pipeline annotations."""

from __future__ import annotations

import contextlib
import os
import sys
from datetime import date
from pathlib import Path
from typing import NoReturn

import click

from generator.core.errors import EaError

FORMATS = ("text", "json", "github", "azure", "junit")

#: ``-C/--repo`` for commands whose arguments are not a path: the folder to
#: start from (the root is found upwards from it, as for every command)
repo_option = click.option(
    "-C",
    "--repo",
    "path",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The repository root (or a folder inside it).",
)


class CouldNotRun(click.ClickException):
    """Exit 2, like a usage error: the command could not run at all."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        # library messages carry content (keys, paths, link targets): the
        # same escaping as every finding before they reach stderr
        from generator.core.report import printable_lines

        super().__init__(printable_lines(message))


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except EaError as exc:  # one place turns library errors into exit code 2
            raise CouldNotRun(str(exc)) from exc
        except BrokenPipeError:
            raise
        except OSError as exc:  # an unwritable -o or --site-dir, a full disk: a message, not a traceback
            raise CouldNotRun(_os_error(exc)) from exc


def _os_error(exc: OSError) -> str:
    """The file and the system's reason, as a shell would put them."""
    reason = exc.strerror or str(exc)
    return f"{exc.filename}: {reason}" if exc.filename else reason


class _DateType(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date written as YYYY-MM-DD", param, ctx)


#: True when running as the ``ea`` process itself, not under a test runner:
#: then a command whose output is complete may end the process at once.
_console = False


def _finish(code: int) -> NoReturn:
    """End a command whose output is all written. As the ``ea`` process, exit
    without freeing the catalog object by object (a quarter of a warm
    `ea validate` on 13,000 files); under a test runner, exit normally."""
    if _console:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # a closed pipe (ea validate | head)
                stream.flush()
        os._exit(code)
    sys.exit(code)


#: roots already announced on stderr, so a command says it once
_announced: set[Path] = set()


def _root(path: Path, *, new: bool = False) -> Path:
    """The repository root at or above PATH (see ``generator.catalog.root``); when it
    is not PATH itself, say on stderr which one is used. ``new``: a command
    that creates content (import, new) may start a repository in PATH."""
    from generator.catalog.root import find_root

    root = find_root(path)
    if root is None:
        if new:
            return Path(path).resolve()
        raise EaError(
            f"{path} holds no content folders (capabilities/, applications/ or architecture/) and no ea.yml, "
            "nor does any folder above it: run ea in the repository, pass its path, or start one with 'ea init'"
        )
    if root != Path(path).resolve() and root not in _announced:
        _announced.add(root)
        click.echo(f"ea: using the repository at {root}", err=True)
    return root


def _prefix(root: Path) -> str:
    """Annotations name files relative to the working folder (the runner's
    checkout), so a repository in a sub-folder still annotates the right file."""
    try:
        rel = os.path.relpath(root, Path.cwd())
    except ValueError:
        return ""
    if rel == "." or rel.startswith(".."):
        return ""
    return Path(rel).as_posix() + "/"


