"""The ``ea`` command line: a thin layer over the library.

Library problems arrive as data (findings) or as ``EaError``; this module
only turns them into output and exit codes: 0 clean, 1 findings that fail,
2 could not run.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from datetime import date
from pathlib import Path
from typing import NoReturn

import click

from generator import __version__
from generator.errors import EaError
from generator.findings import Finding, fails
from generator.util import write_file

FORMATS = ("text", "json", "github", "azure", "junit")


class CouldNotRun(click.ClickException):
    """Exit 2, like a usage error: the command could not run at all."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        # library messages carry content (keys, paths, link targets): the
        # same escaping as every finding before they reach stderr
        from generator.report import printable_lines

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


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ea")
def main() -> None:
    """Enterprise architecture repository tools for UK councils.

    \b
    Example:
      ea validate                 # check the repository in this folder
      ea validate --format github # annotate a GitHub pull request
    """


#: True when running as the ``ea`` process itself, not under a test runner:
#: then a command whose output is complete may end the process at once.
_console = False


def run() -> None:
    """The console entry point (``ea``, ``python -m generator``). Tests call
    ``main`` itself and are unaffected."""
    global _console
    _console = True
    main()


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
    """The repository root at or above PATH (see ``generator.root``); when it
    is not PATH itself, say on stderr which one is used. ``new``: a command
    that creates content (import, new) may start a repository in PATH."""
    from generator.root import find_root

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


@main.command()
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=".")
@click.option("--strict", is_flag=True, help="Fail on warnings as well as errors.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for people; github or azure for pipeline annotations; junit and json for reports.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
@click.option("--today", type=_DateType(), help="Treat this date as today (for reproducible runs).")
@click.option("--no-cache", is_flag=True, help="Parse every file again, ignoring the parse cache.")
@click.option(
    "--lgsl",
    "lgsl_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The LGA's service list (CSV); capabilities' lgsl codes missing from it are errors (EA190). "
    "Default: 'lgsl:' in PATH/ea.yml, if set.",
)
@click.option(
    "--changed-since",
    "changed_since",
    metavar="REV",
    help="Show (for text, github, azure) only findings in files changed since git revision REV "
    "(git diff REV...HEAD, plus uncommitted and new files); the summary and exit status still cover "
    "the whole repository. For pull requests: --changed-since origin/main.",
)
def validate(
    path: Path,
    strict: bool,
    fmt: str,
    output: Path | None,
    today: date | None,
    no_cache: bool,
    lgsl_file: Path | None,
    changed_since: str | None,
) -> None:
    """Check the repository at PATH (default: the current folder).

    Exit status: 0 when clean, 1 when there are errors (or warnings with
    --strict), 2 when the check could not run.

    \b
    Examples:
      ea validate
      ea validate ../council-ea --strict
      ea validate --format junit -o ea-report.xml
      ea validate --lgsl englishAndWelshServices.csv
      ea validate --format github --changed-since origin/main
    """
    from generator import report
    from generator.findings import sort_findings
    from generator.interop.lgsl import check_lgsl, services_for
    from generator.validate import validate as run

    root = _root(path)
    if _console:
        # a one-shot process: the cyclic collector would only rescan the
        # catalog's millions of objects (a tenth of a warm run) before exit
        gc.disable()
    lgsl = services_for(root, lgsl_file)  # before validating: a bad list is exit 2, not a finding
    if os.path.lexists(root / "mkdocs.yml"):
        # the site's settings as the build on main will read them, so a pull
        # request that the build would refuse fails here (exit 2) instead
        from generator.site.config import read_settings

        read_settings(root)
    result = run(root, today=today, use_cache=not no_cache)
    for note in result.notes:  # about the cache only: never part of the report
        click.echo(f"note: {report.printable(note, anywhere=False)}", err=True)
    findings = result.findings
    if lgsl is not None:
        findings = sort_findings([*findings, *check_lgsl(result.catalog, *lgsl)])
    checked = len(result.catalog.sources)
    prefix = _prefix(root)
    shown, hidden = _changed_only(root, findings, changed_since if fmt in ("text", "github", "azure") else None)
    if fmt == "text":
        color = None if output is None else False
        text = report.render_text(shown, checked, style=click.style, summary_of=findings)
    elif fmt == "json":
        text = report.render_json(findings, checked)
    elif fmt == "github":
        text = report.render_github(shown, checked, prefix, summary_of=findings)
    elif fmt == "azure":
        text = report.render_azure(shown, checked, prefix, summary_of=findings)
    else:
        text = report.render_junit(findings, checked, strict=strict)
    if hidden:
        text += (
            f"{hidden} finding{'s' if hidden != 1 else ''} in files not changed since {changed_since} "
            "not shown (run without --changed-since to see them).\n"
        )
    if output is not None:
        write_file(output, click.unstyle(text) if fmt == "text" else text)
        click.echo(report.summary_line(findings, checked))
    else:
        click.echo(text, nl=False, color=color if fmt == "text" else False)
    _finish(1 if fails(findings, strict) else 0)


def _changed_only(root: Path, findings: list[Finding], rev: str | None) -> tuple[list[Finding], int]:
    """The findings in files changed since ``rev`` (all of them when ``rev``
    is None), and how many were left out."""
    if rev is None:
        return findings, 0
    from generator.changed import changed_files

    changed = changed_files(root, rev)
    shown = [f for f in findings if f.path in changed]
    return shown, len(findings) - len(shown)


@main.command()
@click.argument("view", type=click.Choice(["context", "rationalisation", "estate", "heatmap"]))
@click.argument("entity", required=False)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The file to write: .svg, .png or .dot.",
)
@click.option(
    "-C",
    "--repo",
    "path",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The repository root.",
)
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
    from generator.diagrams import SECTIONS, build_view
    from generator.diagrams.dot import to_dot
    from generator.diagrams.render import Job, engine_for, render_bytes
    from generator.validate import validate as run

    suffix = output.suffix.lower().lstrip(".")
    if suffix not in ("svg", "png", "dot"):
        raise click.BadParameter("the file must end in .svg, .png or .dot", param_hint="--output")
    catalog = run(_root(path), use_cache=True).catalog
    if as_of is not None:
        from generator.timeline import catalog_as_of

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


@main.command()
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
    from generator import report
    from generator.findings import Severity
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


@main.command()
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


from generator.cli_interop import export, import_, new, schema  # noqa: E402

main.add_command(import_)
main.add_command(export)
main.add_command(schema)
main.add_command(new)

from generator.cli_interop import merge, rename  # noqa: E402

main.add_command(rename)
main.add_command(merge)

from generator.cli_report import report  # noqa: E402

main.add_command(report)

from generator.cli_init import init  # noqa: E402

main.add_command(init)

from generator.cli_diff import diff  # noqa: E402

main.add_command(diff)

from generator.cli_pack import pack  # noqa: E402

main.add_command(pack)
