"""The ``ea`` command line: a thin layer over the library.

Library problems arrive as data (findings) or as ``EaError``; this module
only turns them into output and exit codes: 0 clean, 1 findings that fail,
2 could not run.
"""

from __future__ import annotations

import click

from generator import __version__
from generator.cli import common
from generator.cli.common import _Group


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ea")
def main() -> None:
    """Enterprise architecture repository tools for UK councils.

    \b
    Example:
      ea validate                 # check the repository in this folder
      ea validate --format github # annotate a GitHub pull request
    """


def run() -> None:
    """The console entry point (``ea``, ``python -m generator``). Tests call
    ``main`` itself and are unaffected."""
    common._console = True
    main()


def _register() -> None:
    """Each command group lives in a module of its own."""
    from generator.cli.diff import diff
    from generator.cli.init import init
    from generator.cli.interop import export, import_, merge, new, rename, schema
    from generator.cli.pack import pack
    from generator.cli.report import report
    from generator.cli.site import build, diagram, serve
    from generator.cli.validate import validate

    commands = (validate, build, serve, diagram, import_, export, schema, new, rename, merge, report, init, diff, pack)
    for command in commands:
        main.add_command(command)


_register()
