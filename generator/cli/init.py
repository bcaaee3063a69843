"""``ea init``: the command line over ``generator.interop.init``. Registered on the
``ea`` group in ``generator.cli``."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--name", help="The council's name, for the site's title (default: from the folder's name).")
@click.option(
    "--install",
    metavar="REQUIREMENT",
    help="How CI and pre-commit install ea, pinned: e.g. "
    "'council-ea @ git+https://github.com/ORG/council-ea@COMMIT' or './tools/council_ea-0.1.0-py3-none-any.whl'. "
    "Default: where the running ea came from, when that is Git at a commit.",
)
def init(folder: Path, name: str | None, install: str | None) -> None:
    """Start a council's own architecture repository in FOLDER (default: the
    current folder): content folders, a starter sustainability scheme, site
    settings, CI pipelines, a pre-commit configuration and a README. It
    validates clean and builds a site straight away. Nothing existing is
    overwritten (exit 2, naming the files).

    \b
    Examples:
      ea init wessex-ea --name "Wessex Council"
      ea init --install "council-ea @ git+https://github.com/ORG/council-ea@COMMIT"
    """
    from generator.interop.init import check_name, detect_install, init_repository, name_from_folder

    title = check_name(name) if name is not None else name_from_folder(folder.resolve())
    if install is not None:
        spec: str | None = install.strip() or None
        source = "--install"
    else:
        found = detect_install()
        spec, source = found.spec, found.source
    written = init_repository(folder, title, spec)
    click.echo(f"Started the architecture repository for {title} in {folder}: {len(written)} files.")
    for rel in written:
        click.echo(f"  {rel}")
    if spec:
        click.echo(f"CI and pre-commit install ea as: {spec} (from {source}).")
    else:
        click.secho(
            f"CI cannot install ea yet ({source}): set EA_INSTALL in .github/workflows/ea.yml or "
            "azure-pipelines.yml to a pinned requirement (see README.md), or run ea init with --install.",
            fg="yellow",
            err=True,
        )
    click.echo("Next: add an organisation unit (ea new organisation \"...\"), then run ea validate and ea build.")
