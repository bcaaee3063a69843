"""Run Graphviz: many graphs per process, processes on every core, each SVG
cached by the hash of its DOT source, and a time bound so no diagram can
stall a build.

Graphviz orders subgraphs (clusters) by the memory address of their names,
so a graph with subgraphs drawn after another in the same ``dot`` process
comes out laid out differently from run to run: each such graph gets a
process of its own. A graph without subgraphs is laid out the same wherever
it comes in a process, so those (every context diagram) are drawn up to
``BATCH`` to a process, which saves most of Graphviz's start-up, its largest
cost for a small diagram; only the id Graphviz gives the drawing of each
graph after the first differs, and is written as drawn alone. Builds stay
byte-identical (``tests/test_diagrams.py`` draws every diagram both ways). A
graph that cannot be drawn in time is drawn with the faster ``sfdp`` engine,
and failing that replaced by a visible note.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import html
import os
import re
import shutil
import stat
import subprocess
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from generator.catalog.loader import cache_dir, read_private
from generator.core.errors import EaError
from generator.core.util import atomic_write

#: Above this many nodes, ``dot``'s layered layout gets slow (10,000 nodes did
#: not finish in 120 s here); ``sfdp`` lays out the same graph in seconds.
DOT_NODE_LIMIT = 400
#: Seconds one diagram may take before it is drawn the simpler way.
DIAGRAM_TIMEOUT = 30.0
#: Graphs without subgraphs drawn by one Graphviz process, and the largest
#: such graph (DOT characters) that is batched: a large one is drawn alone.
BATCH = 25
BATCH_SOURCE_LIMIT = 20_000

MISSING_DOT = """Graphviz's 'dot' program is needed to draw the diagrams, and it is not installed.
Install it, then run the command again:
  Debian/Ubuntu:  sudo apt-get install graphviz
  macOS:          brew install graphviz
  Windows:        winget install graphviz   (or choco install graphviz), then open a new terminal"""


@dataclass(frozen=True, slots=True)
class Job:
    key: str
    dot: str
    engine: str = "dot"


def require_dot() -> str:
    """The path of ``dot``, or an EaError that says how to install it."""
    found = shutil.which("dot")
    if found is None:
        raise EaError(MISSING_DOT)
    return found


@lru_cache(maxsize=1)
def graphviz_version() -> str:
    proc = subprocess.run([require_dot(), "-V"], capture_output=True, text=True, check=False)
    return (proc.stderr or proc.stdout).strip()


def engine_for(node_count: int) -> str:
    return "dot" if node_count <= DOT_NODE_LIMIT else "sfdp"


_LEAN_PLUGINS = ("core", "dot_layout", "neato_layout")


@lru_cache(maxsize=1)
def _lean_env() -> dict[str, str] | None:
    """An environment in which Graphviz loads only the plugins SVG output
    needs. Most of a small diagram's time is Graphviz loading its cairo and
    pango plugins; without them it sizes text with its own built-in Arial
    metrics, which also makes layouts independent of the fonts installed on
    the machine. None when the plugin folder cannot be found (then Graphviz
    runs as installed)."""
    candidates = sorted(glob.glob("/usr/lib/*/graphviz/config6*")) + sorted(
        glob.glob("/usr/lib/graphviz/config6*")
        + glob.glob("/usr/local/lib/graphviz/config6*")
        + glob.glob("/opt/homebrew/lib/graphviz/config6*")
    )
    if not candidates:
        return None
    config = Path(candidates[0])
    try:
        text = config.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    keep, kept = [], set()
    current: list[str] | None = None
    for line in text.splitlines():
        head = re.match(r"^(\S*libgvplugin_(\w+?)\.\S*)\s+\w+\s*\{", line)
        if head:
            current = [] if head.group(2) in _LEAN_PLUGINS else None
            if current is not None:
                kept.add(head.group(2))
                library = head.group(1)
                if not library.startswith("/"):
                    library = str(config.parent / library)
                line = line.replace(head.group(1), library, 1)
        if current is not None:
            keep.append(line)
    if kept != set(_LEAN_PLUGINS):
        return None
    digest = hashlib.sha256("\n".join(keep).encode()).hexdigest()[:12]
    folder = private_folder(cache_dir() / f"graphviz-{digest}")
    if folder is None:
        return None
    try:
        # read by every dot process, never checked: made to wait for the disk
        atomic_write(folder / config.name, "\n".join(keep) + "\n", private=True, durable=True)
        env = dict(os.environ, GVBINDIR=str(folder))
        probe = subprocess.run(
            [require_dot(), "-Tsvg"],
            input=b"digraph { subgraph cluster_a { a } }",
            capture_output=True,
            timeout=20,
            env=env,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if probe.returncode != 0 or b"<svg" not in probe.stdout:
        return None
    return env


def private_folder(folder: Path) -> Path | None:
    """``folder``, made if need be, when only this user can write to it and
    to the folder above it; else None. Graphviz loads the plugins the
    configuration file in ``GVBINDIR`` names: a folder another user made
    first (a shared /tmp on a CI host) would run their code."""
    try:
        folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
        for path in (folder.parent, folder):
            info = os.lstat(path)
            if not stat.S_ISDIR(info.st_mode) or info.st_mode & 0o022:
                return None
            if hasattr(os, "getuid") and info.st_uid != os.getuid():
                return None
    except OSError:
        return None
    return folder


def _digest(job: Job) -> str:
    lean = "lean" if _lean_env() is not None else "full"
    return hashlib.sha256(f"{graphviz_version()}\0{lean}\0{job.engine}\0{job.dot}".encode()).hexdigest()


_XML_HEAD = '<?xml version="1.0"'


def _run(jobs: list[Job], engine: str, timeout: float, dot: str | None = None) -> list[str]:
    """Render graphs with one Graphviz process (``dot``: its path, looked up
    once per build); raises on failure."""
    source = "".join(job.dot for job in jobs)
    args = [dot or require_dot(), f"-K{engine}", "-Tsvg"]
    if engine == "sfdp":
        args += ["-Goverlap=prism", "-Gsplines=false"]
    # close_fds=False lets Python start the process with posix_spawn: the
    # default way (vfork) holds up this process's other threads while
    # thousands of Graphviz processes start. Nothing leaks into them: Python
    # opens every file and pipe not inheritable, and the pipes given to the
    # child are its standard streams only. (Windows keeps the default: there
    # the pipes of one child are inheritable while another is started.)
    proc = subprocess.run(
        args,
        input=source.encode(),
        capture_output=True,
        timeout=timeout,
        check=False,
        env=_lean_env(),
        close_fds=os.name == "nt",
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.decode(errors="replace")[-500:])
    text = proc.stdout.decode()
    parts = [_XML_HEAD + p for p in text.split(_XML_HEAD) if p.strip()]
    if len(parts) != len(jobs):
        raise RuntimeError(f"expected {len(jobs)} SVG documents, Graphviz wrote {len(parts)}")
    return parts


def _note_svg(message: str) -> str:
    text = html.escape(message)
    return (
        f'{_XML_HEAD} encoding="UTF-8" standalone="no"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="480pt" height="60pt" viewBox="0 0 480 60">'
        '<rect x="1" y="1" width="478" height="58" fill="#fff8e1" stroke="#b58900"/>'
        f'<text x="12" y="34" font-family="Helvetica,Arial,sans-serif" font-size="13">{text}</text></svg>\n'
    )


#: the start of every note drawn in place of a diagram (never cached)
NOTE_START = "This diagram "


def _render_one(job: Job, timeout: float, dot: str | None = None) -> str:
    timed_out = False
    for engine in (job.engine, "sfdp") if job.engine != "sfdp" else (job.engine,):
        try:
            return _run([job], engine, timeout, dot)[0]
        except subprocess.TimeoutExpired:
            timed_out = True
        except RuntimeError:
            pass
    if timed_out:
        return _note_svg(NOTE_START + "is too large to draw in time; see the tables on this page.")
    return _note_svg(NOTE_START + "could not be drawn; see the tables on this page.")


#: the ids Graphviz gives the drawing of a graph after the first in a process
_PAGE_ID = re.compile(r'id="(a_)?page\d+,\d+_graph0"')


def _batchable(job: Job) -> bool:
    """Whether a graph is laid out the same after others in one process: a
    ``dot`` graph with no subgraph (no brace but the graph's own; a brace
    in a label only makes it drawn alone) and not large."""
    return job.engine == "dot" and job.dot.count("{") == 1 and len(job.dot) <= BATCH_SOURCE_LIMIT


def _render_batch(jobs: list[Job], timeout: float, dot: str | None = None) -> list[str]:
    """Draw graphs with one Graphviz process, each as it is drawn alone (more
    than one: each accepted by ``_batchable``); if the process fails or runs
    out of time, each is drawn alone."""
    if len(jobs) > 1:
        try:
            svgs = _run(jobs, "dot", timeout, dot)
        except (subprocess.TimeoutExpired, RuntimeError):
            pass
        else:
            return svgs[:1] + [_PAGE_ID.sub(lambda m: f'id="{m[1] or ""}graph0"', svg, count=2) for svg in svgs[1:]]
    return [_render_one(job, timeout, dot) for job in jobs]


def _whole(raw: bytes) -> bool:
    """Whether a cached SVG is complete: cache files are not flushed to the
    disk one by one, so a crash can leave one empty or cut short."""
    return raw.rstrip().endswith(b"</svg>")


class Rendering:
    """Diagrams drawn in the background, in the order of ``jobs``, while the
    caller gets on with other work: ``result(key)`` waits for that one only.
    Graphviz runs in processes of its own, so it draws on the other cores
    while this process makes pages. Unchanged DOT sources come from
    ``cache_dir``. ``finish`` turns each SVG into what the caller keeps (run
    as it is drawn, so waiting for a result does not also wait for that).
    Use it as a context manager, or ``close()`` it: diagrams not yet started
    are then dropped, and those drawn let go."""

    def __init__(
        self,
        jobs: list[Job],
        *,
        cache_dir: Path | None = None,
        workers: int | None = None,
        timeout: float = DIAGRAM_TIMEOUT,
        finish: Callable[[str], str] | None = None,
    ) -> None:
        self._dot = require_dot() if jobs else None
        self._timeout = timeout
        self._finish = finish or (lambda svg: svg)
        # a cached picture goes into every page as it is: only a folder and files
        # that no other user can write are read (a planted SVG would be published)
        self._cache = private_folder(cache_dir) if cache_dir is not None else None
        self._done: dict[str, str] = {}
        self._pending: dict[str, Future[dict[str, str]]] = {}
        todo: list[tuple[Job, str]] = []
        for job in jobs:
            digest = _digest(job)
            raw = read_private(self._cache / f"{digest}.svg") if self._cache is not None else None
            if raw is not None and _whole(raw):
                self._done[job.key] = self._finish(raw.decode("utf-8"))
            else:
                todo.append((job, digest))
        self._pool: ThreadPoolExecutor | None = None
        if todo:
            count = max(1, min(workers or os.cpu_count() or 1, len(todo)))
            self._pool = ThreadPoolExecutor(max_workers=count, thread_name_prefix="graphviz")
            # consecutive graphs without subgraphs go to one process, in order
            tasks: list[list[tuple[Job, str]]] = []
            for item in todo:
                if tasks and len(tasks[-1]) < BATCH and _batchable(item[0]) and _batchable(tasks[-1][-1][0]):
                    tasks[-1].append(item)
                else:
                    tasks.append([item])
            for task in tasks:
                future = self._pool.submit(self._draw, task)
                for job, _ in task:
                    self._pending[job.key] = future

    def _draw(self, task: list[tuple[Job, str]]) -> dict[str, str]:
        jobs = [job for job, _ in task]
        svgs = _render_batch(jobs, self._timeout, self._dot)
        out = {}
        for (job, digest), svg in zip(task, svgs, strict=True):
            if self._cache is not None and NOTE_START not in svg[:600]:
                with contextlib.suppress(OSError):  # a read-only cache only costs time
                    atomic_write(self._cache / f"{digest}.svg", svg, private=True, durable=False)
            out[job.key] = self._finish(svg)
        return out

    def keys(self) -> list[str]:
        return sorted([*self._done, *self._pending])

    def result(self, key: str) -> str:
        """The diagram ``key`` (KeyError when there is no such job), waiting
        for it to be drawn if need be."""
        if key not in self._done:
            self._done[key] = self._pending.pop(key).result()[key]
        return self._done[key]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._pending.clear()
        self._done.clear()

    def __enter__(self) -> Rendering:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def render(
    jobs: list[Job], *, cache_dir: Path | None = None, workers: int | None = None, timeout: float = DIAGRAM_TIMEOUT
) -> dict[str, str]:
    """SVG text by job key. Unchanged DOT sources come from ``cache_dir``."""
    if not jobs:
        return {}
    # the largest first, so a slow one does not start last and hold up the end
    ordered = sorted(jobs, key=lambda job: -len(job.dot))
    with Rendering(ordered, cache_dir=cache_dir, workers=workers, timeout=timeout) as drawing:
        return {job.key: drawing.result(job.key) for job in jobs}


def render_bytes(job: Job, fmt: str, timeout: float = DIAGRAM_TIMEOUT) -> bytes:
    """One diagram in another format (png, svg) for the command line."""
    if fmt == "svg":
        return render([job], timeout=timeout)[job.key].encode()
    proc = subprocess.run(
        [require_dot(), f"-K{job.engine}", f"-T{fmt}"],
        input=job.dot.encode(),
        capture_output=True,
        timeout=timeout * 4,
        check=False,
    )
    if proc.returncode != 0:
        raise EaError(f"Graphviz could not draw the diagram: {proc.stderr.decode(errors='replace')[-300:]}")
    return proc.stdout


_PROLOG = re.compile(r"<\?xml[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*|<!--.*?-->\s*", re.DOTALL)
_SIZE = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')


def inline_svg(svg: str, css_class: str = "ea-diagram-svg") -> str:
    """SVG ready to sit inside an HTML page: no XML prolog, doctype or
    comments, at its natural size. Scaled to the page, a large diagram's
    9 pt labels fell to 3-7 px; at natural size they are 12 px or more and
    the diagram's box scrolls instead."""
    body = _PROLOG.sub("", svg).strip()
    body = _SIZE.sub(
        lambda m: f'<svg class="{css_class}" width="{m.group(1)}pt" height="{m.group(2)}pt"', body, count=1
    )
    return body
