"""``ea build``: validate, generate the pages, run MkDocs into a temporary
folder, and only then swap it in for the published site, so a failed build
leaves the previous site as it was and a reader never sees half a site."""

from __future__ import annotations

import base64
import contextlib
import os
import shutil
import signal
import stat
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from generator.diagrams.render import require_dot
from generator.core.errors import EaError
from generator.core.findings import Finding, fails, sort_findings
from generator.checks.lgsl import check_lgsl, services_for
from generator.catalog.loader import cache_dir
from generator.models.model import ENTITY_KINDS, FOLDERS
from generator.site.config import Settings, mkdocs_dict, prepare_overrides, read_settings
from generator.site.context import SiteContext
from generator.site.engine import run_mkdocs
from generator.site.figures import FULL_SIZE_DIR, draw
from generator.site.generate import iter_docs, write_docs
from generator.site.search import IndexBuilder
from generator.site.urls import Urls
from generator.checks.validate import validate

try:
    import fcntl
except ImportError:  # Windows: builds of one repository are not serialised
    fcntl = None  # type: ignore[assignment]

#: the council's docs folder may add pictures and documents to the site, not
#: pages, scripts or styles (an .html, .svg or .js file would run in the site)
BRANDING_SUFFIXES = frozenset({".avif", ".bmp", ".gif", ".ico", ".jpeg", ".jpg", ".pdf", ".png", ".webp"})
#: site folders that are the theme's or the product's: a council file there
#: would replace their scripts, styles or search index
RESERVED_FOLDERS = ("assets", "ea-assets", "files", "search")
#: folders of generated files published as they are (see ``is_published_as_is``)
AS_IS_FOLDERS = (FULL_SIZE_DIR, "downloads")
#: above this, a logo or favicon in SVG is refused (it is put into every page)
MAX_INLINE_PICTURE = 256 * 1024


@dataclass
class BuildResult:
    #: the built site, or None when validation stopped the build
    site_dir: Path | None
    findings: list[Finding]
    checked: int
    pages: int
    seconds: float


def build_site(
    root: Path,
    *,
    site_dir: Path | None = None,
    work_dir: Path | None = None,
    strict: bool = False,
    title: str | None = None,
    repo_url: str | None = None,
    today: date | None = None,
    use_cache: bool = True,
    lgsl: Path | None = None,
) -> BuildResult:
    """Build the site of the repository at ``root`` into ``site_dir``
    (default ``root/site``). ``work_dir`` (default ``root/.ea-build``) holds
    the build lock and, while a build runs, a private folder of generated
    pages and theme overrides made fresh for it and removed afterwards: a
    committed ``.ea-build`` could otherwise plant templates the theme runs or
    links the build writes through. Raises EaError when the site cannot be
    built."""
    start = time.perf_counter()
    root = Path(root).resolve()
    site = Path(site_dir).resolve() if site_dir else root / "site"
    work = Path(work_dir).resolve() if work_dir else root / ".ea-build"
    check_site_dir(root, site)
    check_inside_content(root, work, "The working folder")
    check_work_dir(work)
    require_dot()  # before anything else: without Graphviz there is no site
    settings = read_settings(root, title=title, repo_url=repo_url)
    services = services_for(root, lgsl)
    result = validate(root, today=today, use_cache=use_cache)
    if services is not None:  # the same findings as `ea validate` with the same list
        result.findings = sort_findings([*result.findings, *check_lgsl(result.catalog, *services)])
    checked = len(result.catalog.sources)
    if fails(result.findings, strict):
        return BuildResult(None, result.findings, checked, 0, time.perf_counter() - start)
    day = today or date.today()
    urls = Urls(settings.use_directory_urls)
    # Graphviz draws in the background while the pages are made
    diagrams = draw(result.catalog, urls, cache_dir() / "diagrams" if use_cache else None)
    try:
        ctx = SiteContext.create(
            result.catalog,
            result.findings,
            day,
            urls=urls,
            edit_base=settings.edit_base,
            diagrams=diagrams,
            lgsl=services[0] if services else None,
        )
        inline_svg_pictures(settings)
        with _writing(), _locked(work), _terminated_as_interrupt():
            scratch = Path(tempfile.mkdtemp(prefix="pages-", dir=work))
            try:
                pages, search = write_pages(ctx, settings, scratch / "docs", scratch / "as-is")
                diagrams.close()  # every diagram is in its page: MkDocs reads the pages from the disk
                del ctx
                prepare_overrides(settings, scratch / "overrides")
                site.parent.mkdir(parents=True, exist_ok=True)
                building = Path(tempfile.mkdtemp(prefix=f".{site.name}.building-", dir=site.parent))
                try:
                    _open_permissions(building)
                    config = mkdocs_dict(
                        settings, docs_dir=scratch / "docs", site_dir=building, overrides_dir=scratch / "overrides"
                    )
                    run_mkdocs(config, config_path=settings.config_path, today=day, search=search)
                    move_into(scratch / "as-is", building)
                    swap(building, site)
                finally:
                    shutil.rmtree(building, ignore_errors=True)
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
    finally:
        diagrams.close()
    return BuildResult(site, result.findings, checked, pages, time.perf_counter() - start)


def write_pages(
    ctx: SiteContext, settings: Settings, folder: Path, as_is: Path | None = None
) -> tuple[int, list[dict[str, Any]]]:
    """Write the docs folder, each file as it is made, so the site's text is
    never held whole; the search index is noted on the way. The full-size
    diagram pages and the downloads, published as they are, go to ``as_is``
    where given (see ``move_into``): MkDocs would only copy them. Returns
    the number of pages and the index's entries."""
    index = IndexBuilder(ctx)
    pages = 0
    made_dirs: set[Path] = set()

    def made() -> Iterator[tuple[str, bytes]]:
        nonlocal pages
        for path, content in iter_docs(ctx):
            index.add(path, content)
            pages += path.endswith(".md")
            if as_is is not None and is_published_as_is(path):
                target = as_is / path
                if target.parent not in made_dirs:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    made_dirs.add(target.parent)
                target.write_bytes(content)
                continue
            yield path, content
        for path, content in branding_files(settings).items():
            if path not in index.made:
                yield path, content

    write_docs(made(), folder)
    return pages, index.entries()


def is_published_as_is(path: str) -> bool:
    """A full-size diagram page (a whole HTML page already) or a download:
    MkDocs builds neither, and pages link to them in HTML only, never in
    Markdown, so MkDocs has no link to them to check."""
    return path.split("/", 1)[0] in AS_IS_FOLDERS and "/" in path and not path.endswith(".md")


def move_into(source: Path, site: Path) -> None:
    """Move every file under ``source`` to the same place under ``site``
    (renamed on one file system, never copied), replacing a file there."""
    if not source.is_dir():
        return
    for here, dirs, files in os.walk(source):
        dirs.sort()
        target = site / Path(here).relative_to(source)
        target.mkdir(parents=True, exist_ok=True)
        for name in sorted(files):
            os.replace(Path(here, name), target / name)


@contextlib.contextmanager
def _writing() -> Iterator[None]:
    """A folder or file that cannot be written (a read-only checkout, a full
    disk) is an error that names it, not a traceback."""
    try:
        yield
    except OSError as exc:
        where = f" {exc.filename}:" if exc.filename else ""
        raise EaError(f"The site could not be written:{where} {exc.strerror or exc}") from None


@contextlib.contextmanager
def _locked(work: Path) -> Iterator[None]:
    """One build at a time per working folder: two builds of one repository
    (two CI jobs, or ``ea build`` beside ``ea serve``) would otherwise write
    the same generated pages and swap the same site. The second waits."""
    work.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        yield
        return
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    with open(os.open(work / "build.lock", flags, 0o666), "a+b") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise EaError(f"The build lock {work / 'build.lock'} is not a regular file: remove it")
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@contextlib.contextmanager
def _terminated_as_interrupt() -> Iterator[None]:
    """SIGTERM (a cancelled CI job, ``kill``) ends the build as Ctrl+C does,
    so the half-built folder beside the site is removed on the way out.
    Only the main thread can set a handler (``ea serve`` rebuilds in another,
    and handles SIGTERM itself)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def check_inside_content(root: Path, folder: Path, what: str) -> None:
    for kind in ENTITY_KINDS:
        content = (root / FOLDERS[kind]).resolve()
        if folder == content or content in folder.parents:
            raise EaError(f"{what} {folder} is inside the content folder {content}: choose a folder outside it")
    if folder == root or folder in root.parents:
        raise EaError(f"{what} {folder} holds the repository itself: choose a folder inside or beside it")


def check_work_dir(work: Path) -> None:
    """The working folder must be a real folder reached through no symbolic
    link: a committed ``.ea-build`` link would take the build's lock and
    pages to wherever it points."""
    here = work
    while True:
        if here.is_symlink():
            raise EaError(
                f"The working folder {work} is or lies under a symbolic link ({here}): remove it, "
                "the build makes the folder itself"
            )
        if here.parent == here:
            break
        here = here.parent
    if work.exists() and not work.is_dir():
        raise EaError(f"The working folder {work} is not a folder: remove it, the build makes the folder itself")


def check_site_dir(root: Path, site: Path) -> None:
    """Refuse a site folder that building would harm: one inside the content,
    the repository itself, or a folder of other files."""
    check_inside_content(root, site, "The site folder")
    if site.is_file():
        raise EaError(f"{site} is a file, not a folder")
    if site.is_dir() and any(site.iterdir()) and not looks_built(site):
        raise EaError(
            f"{site} is not a built site (it has no index.html and search index), so it is not replaced: "
            "choose an empty or new folder"
        )


def looks_built(folder: Path) -> bool:
    return (folder / "index.html").is_file() and (folder / "search" / "search_index.json").is_file()


def swap(new: Path, site: Path) -> None:
    """Put ``new`` where ``site`` is, in two renames on one file system."""
    old = site.parent / f".{site.name}.old-{uuid.uuid4().hex[:8]}"
    if site.exists():
        os.replace(site, old)
    try:
        os.replace(new, site)
    except OSError:
        if old.exists():
            os.replace(old, site)
        raise
    shutil.rmtree(old, ignore_errors=True)


def branding_files(settings: Settings) -> dict[str, bytes]:
    """Files of the council's docs folder a configuration may name: pictures
    and PDFs (``BRANDING_SUFFIXES``), regular files reached through no
    symbolic link, outside hidden and reserved folders. Markdown is left out:
    pages are the generator's."""
    out: dict[str, bytes] = {}
    folder = settings.docs_dir
    if folder is None:
        return out
    for rel in _docs_files(folder):
        top = rel.split("/", 1)[0]
        if "/" in rel and top in RESERVED_FOLDERS:
            continue
        if os.path.splitext(rel)[1].lower() in BRANDING_SUFFIXES:
            data = _read_regular(folder, rel)
            if data is not None:
                out[rel] = data
    return out


def _docs_files(folder: Path) -> list[str]:
    """Every file under ``folder`` by relative path, sorted; symbolic links
    (to files or folders) and hidden names are left out, never followed."""
    found: list[str] = []
    for here, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(here, d)))
        base = Path(here).relative_to(folder).as_posix()
        for name in files:
            if not name.startswith("."):
                found.append(name if base == "." else f"{base}/{name}")
    return sorted(found)


def _read_regular(folder: Path, rel: str, limit: int | None = None) -> bytes | None:
    """The bytes of a regular file (not a link, FIFO or device), or None."""
    path = folder / rel
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode) or (limit is not None and info.st_size > limit):
            return None
        return fh.read()


def inline_svg_pictures(settings: Settings) -> None:
    """A logo or favicon in SVG from the docs folder goes into the pages as a
    ``data:`` address instead of being published: a picture loaded by
    ``<img>`` or as an icon runs no script, an .svg file opened from the
    site would."""
    folder = settings.docs_dir
    for key in ("logo", "favicon"):
        value = settings.theme.get(key)
        if folder is None or not isinstance(value, str) or not value.lower().endswith(".svg"):
            continue
        rel = os.path.normpath(unquote(value)).replace(os.sep, "/")
        if "\0" in rel or rel.startswith(("../", "/")) or any(part.startswith(".") for part in rel.split("/")):
            continue
        if any(os.path.islink(folder / "/".join(rel.split("/")[: i + 1])) for i in range(rel.count("/") + 1)):
            continue
        data = _read_regular(folder, rel, MAX_INLINE_PICTURE)
        if data is not None:
            settings.theme[key] = "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")


def _open_permissions(folder: Path) -> None:
    """A temporary folder is private; the published site is as readable as
    any folder the user makes."""
    mask = os.umask(0)
    os.umask(mask)
    with contextlib.suppress(OSError):
        folder.chmod(0o777 & ~mask)
