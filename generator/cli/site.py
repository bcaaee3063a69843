"""``ea build``, ``ea serve`` and ``ea diagram``: the site and its pictures."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from generator.cli.common import CouldNotRun, _DateType, _root, repo_option
from generator.core.util import write_file


@click.command()
@click.argument("view", type=click.Choice(["context", "rationalisation", "estate", "heatmap"]))
@click.argument("entity", required=False)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The file to write: .svg, .png or .dot.",
)
@repo_option
@click.option(
    "--hops",
    type=click.IntRange(1, 2),
    default=1,
    show_default=True,
    help="For context: how many integration steps out from the application.",
)
@click.option(
    "--metric",
    type=click.Choice(["applications", "sustainability"]),
    default="applications",
    show_default=True,
    help="For heatmap: colour by active applications or average rating.",
)
@click.option("--link-base", help="Make each node a link to its page under this site address.")
@click.option("--as-of", "as_of", type=_DateType(), help="Draw the estate as the plan's dates make it on this date.")
def diagram(
    view: str,
    entity: str | None,
    output: Path,
    path: Path,
    hops: int,
    metric: str,
    link_base: str | None,
    as_of: date | None,
) -> None:
    """Draw one diagram with Graphviz: VIEW is context APP-ID, rationalisation
    CAP-ID, estate or heatmap. The format follows the file's extension.

    \b
    Examples:
      ea diagram context uniform-northfield -o uniform.svg --hops 2
      ea diagram rationalisation planning-applications -o planning.png
      ea diagram heatmap --metric sustainability -o heat.svg
      ea diagram heatmap --as-of 2029-04-01 -o heat-2029.svg
    """
    from generator.checks.validate import validate as run
    from generator.diagrams import SECTIONS, build_view
    from generator.diagrams.dot import to_dot
    from generator.diagrams.render import Job, engine_for, render_bytes

    suffix = output.suffix.lower().lstrip(".")
    if suffix not in ("svg", "png", "dot"):
        raise click.BadParameter("the file must end in .svg, .png or .dot", param_hint="--output")
    catalog = run(_root(path), use_cache=True).catalog
    if as_of is not None:
        from generator.catalog.timeline import catalog_as_of

        catalog = catalog_as_of(catalog, as_of)
    try:
        graph = build_view(catalog, view, entity, hops=hops, metric=metric)
    except ValueError as exc:
        raise CouldNotRun(str(exc)) from exc
    if link_base and ":" in link_base.split("/", 1)[0] and not link_base.lower().startswith(("http://", "https://")):
        raise click.BadParameter(
            "use an http(s) address or a relative path, e.g. https://ea.council.local", param_hint="--link-base"
        )
    base = link_base.rstrip("/") if link_base else None
    # the site's pages are <section>/<id>.html (use_directory_urls is off)
    dot = to_dot(graph, (lambda kind, id_: f"{base}/{SECTIONS[kind]}/{id_}.html") if base else None)
    if suffix == "dot":
        write_file(output, dot)
    else:
        write_file(output, render_bytes(Job(graph.name, dot, engine_for(len(graph.nodes))), suffix))
    click.echo(f"Wrote {output} ({len(graph.nodes)} nodes, {len(graph.edges)} edges).")


@click.command()
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".")
@click.option("--strict", is_flag=True, help="Fail on warnings as well as errors (MkDocs is always strict).")
@click.option(
    "-d",
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the site (default: PATH/site).",
)
@click.option("--title", help="The site's title (default: site_name in PATH/mkdocs.yml).")
@click.option("--repo-url", help="Repository web address for 'Edit this page' links (default: repo_url in mkdocs.yml).")
@click.option("--today", type=_DateType(), help="Treat this date as today (for reproducible builds).")
@click.option(
    "--lgsl",
    "lgsl_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The LGA's service list (CSV): codes are checked and capability pages show each service's label. "
    "Default: 'lgsl:' in PATH/ea.yml, if set.",
)
def build(
    path: Path,
    strict: bool,
    site_dir: Path | None,
    title: str | None,
    repo_url: str | None,
    today: date | None,
    lgsl_file: Path | None,
) -> None:
    """Validate, generate the pages and build the static site with MkDocs.

    Errors stop the build with the same report as `ea validate`, and the
    previous site is left as it was.

    \b
    Examples:
      ea build
      ea build ../council-ea --title "Our architecture" --repo-url https://github.com/org/ea
    """
    from generator.core import report
    from generator.core.findings import Severity
    from generator.site.build import build_site

    root = _root(path)
    try:
        result = build_site(
            root, site_dir=site_dir, strict=strict, title=title, repo_url=repo_url, today=today, lgsl=lgsl_file
        )
    except OSError as exc:
        target = site_dir if site_dir is not None else root / "site"
        raise CouldNotRun(f"cannot write the site to {target}: {exc.strerror or exc}") from exc
    if result.site_dir is None:
        click.echo(report.render_text(result.findings, result.checked, style=click.style), nl=False)
        click.echo("Build stopped: the site was not changed.", err=True)
        sys.exit(1)
    _warn_palette(root, title, repo_url)
    warnings = sum(1 for f in result.findings if f.severity is Severity.WARNING)
    click.echo(f"{warnings} validation warning{'s' if warnings != 1 else ''} (run 'ea validate' to see them).")
    click.echo(f"Built {result.pages} pages into {result.site_dir} in {result.seconds:.1f} s.")
    click.echo(
        f"Open {result.site_dir / 'index.html'} in a browser, or run 'ea serve {path}' "
        "to browse it on http://127.0.0.1:8000 with live reload."
    )


def _warn_palette(root: Path, title: str | None, repo_url: str | None) -> None:
    """A council's own colours that staff could not read are worth a warning,
    not a failed build: the site is still usable with them."""
    from generator.site.config import read_settings
    from generator.site.palette import palette_problems

    settings = read_settings(root, title=title, repo_url=repo_url)
    for message in palette_problems(settings.theme):
        click.echo(f"Warning: {settings.config_path.name}: {message}", err=True)


@click.command()
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".")
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.option("--title", help="The site's title.")
@click.option("--repo-url", help="Repository web address for 'Edit this page' links.")
def serve(path: Path, dev_addr: str, title: str | None, repo_url: str | None) -> None:
    """Build the site, serve it locally and rebuild on every content change.

    \b
    Example:
      ea serve            # then open http://127.0.0.1:8000
    """
    from generator.site.serve import serve as run

    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit():
        raise click.BadParameter("expected HOST:PORT, e.g. 127.0.0.1:8000", param_hint="--dev-addr")
    run(_root(path), host=host, port=int(port), title=title, repo_url=repo_url)


