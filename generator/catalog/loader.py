"""Find and read every content file of a repository, with a parse cache.

The cache keeps each file's validated model, findings and key lines, keyed by
path, size, modification time and inode, so a re-run after one edit parses one
file. It lives in the user's cache folder (never in the repository, so a pull
request cannot plant one), is read only when that folder and its files are the
user's own and writable by no one else (``private_memo_dir``), is safe to
delete, and is ignored whenever the tool's code or Python changes.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import multiprocessing as mp
import os
import pickle
import stat
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic
import rapidfuzz
import yaml
from pydantic import BaseModel

from generator import __version__
from generator.core.findings import Finding
from generator.core.util import atomic_write, is_utf8, open_regular, read_capped, read_regular
from generator.documents.bodylinks import BodyScan, scan_body
from generator.documents.document import (
    MAX_FILE_BYTES,
    Document,
    KeyLines,
    line_of,
    pack_lines,
    parse_bytes,
    unpack_lines,
)
from generator.models.model import ENTITY_KINDS, FOLDERS, Kind
from generator.models.schema import check_document

#: Files in a kind's folder that are not entities: editors' notes about the folder.
IGNORED_NAMES = frozenset({"readme.md", "index.md"})


@dataclass(slots=True)
class Source:
    """One content file: where it is, what it validated to, what was wrong.

    The key lines come from the parse that made the model (in this run or,
    from the cache, an earlier one), so a finding never parses a file again.
    The parsed document (body) is kept only when the file was parsed in this
    process; otherwise it is parsed again on first use, which only pages need."""

    kind: Kind
    id: str
    path: str
    model: BaseModel | None
    findings: list[Finding] = field(default_factory=list)
    root: Path | None = None
    _doc: Document | None = None
    _cache: _Cache | None = None
    #: which version of the file this is: (size, modification time, inode),
    #: or ("racy", content hash) for a file too recently modified for its
    #: stamp to be trusted (see ``RACY_NS``); None when it could not be read
    stamp: Version | None = None
    #: the key lines of the parse that made ``model`` (see ``KeyLines``)
    lines: KeyLines | None = None
    #: the body's links and nesting, when the file was parsed in this run
    #: (``bodylinks.scan_body``); from the cache, the body-link memo has them
    body: BodyScan | None = None

    def line(self, loc: tuple[Any, ...]) -> int:
        """The line of a key path (see ``line_of``) in the version of the
        file that ``model`` and ``findings`` were made from."""
        if self.lines is None:
            self.lines = self.doc.lines
        elif isinstance(self.lines, bytes):  # unpacked once: a file may have many findings
            self.lines = unpack_lines(self.lines)
        return line_of(self.lines, loc)

    @property
    def doc(self) -> Document:
        if self._doc is None:
            try:
                raw = read_regular(self.root / self.path, MAX_FILE_BYTES) if self.root else b""
            except OSError as exc:
                return Document(path=self.path, data=None, problems=[_unreadable(self.path, exc)])
            self._doc = parse_bytes(self.path, raw)
        return self._doc


@dataclass(slots=True)
class Loaded:
    root: Path
    sources: list[Source]
    findings: list[Finding]
    cache: _Cache | None = None
    #: short notes for the user about the cache (refused, or not writable):
    #: never findings, as the cache does not change what is found
    notes: list[str] = field(default_factory=list)

    def save_cache(self) -> None:
        """Store what this run learnt (models, findings and key lines)."""
        if self.cache is not None:
            self.cache.save()
            if not self.notes:  # one note at most
                self.notes.extend(self.cache.notes[:1])


#: Below this many files to parse, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 1500

Work = tuple[Kind, str, str, str]  # kind, stem, relative path, absolute path
Version = tuple[int, int, int] | tuple[str, bytes]


Found = tuple[Kind, str, str, "tuple[int, int, int] | OSError"]


@dataclass(slots=True)
class Discovery:
    """The content files of a repository as found on disk: (kind, relative
    path, absolute path, (size, mtime, inode) or the error) in path order,
    and what finding them found (links not followed, unreadable folders)."""

    root: Path
    files: list[Found]
    findings: list[Finding]


def discover(root: Path) -> Discovery:
    """Find the content files under ``root`` (resolved), once: a command that
    first tries replaying the last run (``checks.replay``) hands the same
    discovery to ``load`` when it cannot."""
    root = root.resolve()
    findings: list[Finding] = []
    files = list(_discover(root, findings))
    return Discovery(root, files, findings)


def load(
    root: Path,
    *,
    use_cache: bool = True,
    workers: int | None = None,
    discovery: Discovery | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> Loaded:
    """Load every content file under ``root``. Never raises for bad content.

    Files not in the cache are parsed and validated, in several processes when
    there are many (``workers`` defaults to the number of cores). ``discovery``:
    the files as just found under ``root``, not looked for again.
    ``meanwhile``: work this process may well need later (an import), done
    while workers parse a cold cache's files, where it costs no waiting (the
    workers take more of the files, as files are shared in turns); not done
    otherwise."""
    root = root.resolve()
    if discovery is None or discovery.root != root:
        discovery = discover(root)
    findings: list[Finding] = list(discovery.findings)
    notes: list[str] = []
    cache = None
    if use_cache:
        folder, note = private_memo_dir(root)
        notes += [note] if note else []
        cache = _Cache(folder) if folder is not None else None
    slots: list[Source | None] = []
    todo: list[tuple[int, Work, tuple[int, int, int]]] = []
    for kind, rel, abspath, stamp in discovery.files:
        stem = rel.rsplit("/", 1)[-1][:-3]
        if isinstance(stamp, OSError):
            slots.append(Source(kind, stem, rel, None, [_unreadable(rel, stamp)], root))
            continue
        hit = cache.get(rel, stamp) if cache else None
        if hit is not None:
            slots.append(Source(kind, stem, rel, hit[0], hit[1], root, None, cache, stamp, hit[2]))
            continue
        todo.append((len(slots), (kind, stem, rel, abspath), stamp))
        slots.append(None)
    sharded = (
        _parse_by_shard([(work, stamp) for _, work, stamp in todo], cache, workers, meanwhile)
        if cache is not None and not cache.new and len(todo) >= PARALLEL_MIN_FILES
        else None
    )
    if sharded is not None:  # the cache is written already, by the processes that parsed
        for index, (kind, stem, rel, _), _stamp in todo:
            version, model, problems, lines = cache.new[rel]  # type: ignore[union-attr]
            doc, body = sharded[rel]
            known = doc.lines if doc is not None else lines
            slots[index] = Source(kind, stem, rel, model, problems, root, doc, cache, version, known, body)
        sources = [s for s in slots if s is not None]
        return Loaded(root=root, sources=sources, findings=findings, cache=cache, notes=notes)
    results = _parse_all([work for _, work, _ in todo], workers)
    for (index, (kind, stem, rel, _), stamp), (model, problems, doc, digest, lines, body, seen) in zip(
        todo, results, strict=True
    ):
        version: Version = stamp
        if cache:
            version = version_of(stamp, seen, digest, cache.racy_from)
            cache.put(rel, version, model, problems, lines)
        # a document parsed in this process has its key lines unpacked already
        known = doc.lines if doc is not None else lines
        slots[index] = Source(kind, stem, rel, model, problems, root, doc, cache, version, known, body)
    sources = [s for s in slots if s is not None]
    return Loaded(root=root, sources=sources, findings=findings, cache=cache, notes=notes)


Stamp = tuple[int, int, int]
Parsed = tuple[BaseModel | None, list[Finding], Document | None, bytes, KeyLines, BodyScan | None, Stamp | None]


def parse_file(work: Work) -> Parsed:
    """Read, parse and validate one file: (model, problems, document, hash of
    the bytes read, key lines packed for the cache and other processes, the
    body's links and nesting, and the stamp of the file as it was read)."""
    kind, stem, rel, abspath = work
    try:
        with open_regular(abspath) as fh:  # it may have become a link or a pipe since it was listed
            raw = read_capped(fh, MAX_FILE_BYTES)
            st = os.fstat(fh.fileno())
            seen = (st.st_size, st.st_mtime_ns, st.st_ino)
            if len(raw) > MAX_FILE_BYTES:
                problem = Finding(
                    "EA106",
                    rel,
                    0,
                    f"file is {st.st_size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
                    "split the narrative into smaller pages or move attachments out of the content folders",
                )
                return None, [problem], None, b"", {}, None, None
    except OSError as exc:
        return None, [_unreadable(rel, exc)], None, b"", {}, None, None
    doc = parse_bytes(rel, raw)
    model, problems = check_document(kind, stem, doc)
    digest = hashlib.blake2b(raw, digest_size=16).digest()
    return (
        model,
        doc.problems + problems,
        doc,
        digest,
        pack_lines(doc.lines),
        scan_body(doc.body, doc.body_line),
        seen,
    )


def version_of(stamp: Stamp, seen: Stamp | None, digest: bytes, racy_from: int) -> Version:
    """The version a parse is cached under: the file's stamp as listed, when
    the file read is that very file (it may change between being listed and
    being read, as another process or an editor writes it) and too old to be
    changed again unnoticed (``RACY_NS``); else its content hash, which no
    stamp equals, so it is parsed again next time."""
    return stamp if seen == stamp and stamp[1] < racy_from else ("racy", digest)


def can_fork() -> bool:
    """Whether this process may start worker processes by forking: where
    ``fork`` exists and this is not itself a worker process (a worker that
    forked again would only share its core three ways)."""
    return "fork" in mp.get_all_start_methods() and mp.parent_process() is None


def _parse_chunk(chunk: list[Work]) -> list[Parsed]:
    """In a worker: the document is not sent back (the body is read again
    when a page needs it), its packed key lines are."""
    gc.disable()
    return [
        (model, problems, None, digest, lines, body, seen)
        for model, problems, _, digest, lines, body, seen in map(parse_file, chunk)
    ]


def _parse_all(works: list[Work], workers: int | None) -> list[Parsed]:
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count < 2 or len(works) < PARALLEL_MIN_FILES or not can_fork():
        return [parse_file(work) for work in works]
    size = -(-len(works) // count)
    chunks = [works[i : i + size] for i in range(0, len(works), size)]
    with in_workers([(_parse_chunk, (chunk,)) for chunk in chunks[1:]]) as pending:
        out = [parse_file(work) for work in chunks[0]]  # this process takes a share too
        for chunk, future in zip(chunks[1:], pending, strict=True):
            out += worker_result(future, lambda chunk=chunk: [parse_file(work) for work in chunk])
    return out


def workers_pool() -> ProcessPoolExecutor:
    """A pool of one worker process forked from this one (see ``can_fork``)
    at its first ``submit``; several workers are several pools
    (``in_workers``): in one pool, a fork failing after another succeeded
    left a worker waiting for ever. Raises OSError where there can be none:
    no processes, or no semaphores (a Python built without ``sem_open``)."""
    try:
        return ProcessPoolExecutor(1, mp_context=mp.get_context("fork"))
    except (NotImplementedError, ImportError) as exc:
        raise OSError(f"no worker processes on this system ({exc})") from exc


#: Held while a module global that a worker inherits is set and the worker
#: forked (``_TURNS``): another thread's fork must not inherit it.
_FORK_LOCK = threading.Lock()


@contextlib.contextmanager
def in_workers(calls: list[tuple[Callable[..., Any], tuple[Any, ...]]]) -> Iterator[list[Future[Any] | None]]:
    """Each call started in a worker process of its own: its future, or None
    for a call no process could be had for (then for the calls after it too),
    to be made in this process (``worker_result``). Each worker is forked
    when its call is started, and shut down on leaving."""
    pools: list[ProcessPoolExecutor] = []
    futures: list[Future[Any] | None] = []
    try:
        for fn, args in calls:
            try:
                pool = workers_pool()
                pools.append(pool)
                futures.append(pool.submit(fn, *args))
            except OSError:  # no more processes: the rest here
                break
        yield futures + [None] * (len(calls) - len(futures))
    finally:
        for pool in pools:
            pool.shutdown(wait=True, cancel_futures=True)


def worker_result(future: Future[Any] | None, here: Callable[[], Any]) -> Any:
    """A worker's result, or ``here()`` made in this process when the worker
    died (killed for memory, say) or never started: a lost worker costs
    time, never a hang or a wrong result."""
    if future is None:
        return here()
    try:
        return future.result()
    except BrokenExecutor:
        return here()


def _parse_shards(
    works: list[tuple[Work, tuple[int, int, int]]], folder: Path, fingerprint: str, racy_from: int, shards: list[int]
) -> tuple[dict[str, Entry], dict[str, tuple[Document | None, BodyScan | None]], list[bytes], list[str]]:
    """Parse files and write the cache shards ``shards`` (which hold exactly
    these files): their entries, each file's document and body scan, the
    shards as written and notes about any that could not be."""
    entries: dict[str, Entry] = {}
    parsed: dict[str, tuple[Document | None, BodyScan | None]] = {}
    grouped: dict[int, dict[str, Entry]] = {shard: {} for shard in shards}
    for work, stamp in works:
        model, problems, doc, digest, lines, body, seen = parse_file(work)
        rel = work[2]
        version = version_of(stamp, seen, digest, racy_from)
        entry = (version, model, problems, lines)
        entries[rel] = grouped[_shard(rel)][rel] = entry
        parsed[rel] = (doc, body)
    payloads = []
    notes = []
    for shard, group in grouped.items():
        payload = pickle.dumps({"fingerprint": fingerprint, "entries": group}, protocol=pickle.HIGHEST_PROTOCOL)
        payloads.append(payload)
        note = _write_private(folder / f"documents-{shard:02d}.pickle", payload)
        if note is not None:
            notes.append(note)
    return entries, parsed, payloads, notes


Shard = list[tuple[Work, tuple[int, int, int]]]
#: what a worker forked to parse shards takes turns at: (the files by shard,
#: the turns, cache folder, fingerprint, racy_from); inherited through the
#: fork, as the turns' pipe must be
_TURNS: tuple[list[Shard], Turns, Path, str, int] | None = None


class Turns:
    """Items taken in turn by this process and those forked after this is
    made: each takes the next item no process has taken. Which process does
    which item never changes a result, only that all finish together however
    busy the machine is (a fixed split left one process waiting for another).

    The items' numbers wait in a pipe, a byte each, and taking one is one
    read of one byte, which the kernel does whole: there is no lock that a
    process killed in the middle (by the out-of-memory killer, say) could
    leave held, and no shared memory to be had (a container without
    ``/dev/shm``). The pipe is closed for writing before any fork, so a
    read finds the end once every item is taken."""

    #: the most items (numbers must fit a byte; a pipe holds far more)
    MAX = 256

    def __init__(self, count: int) -> None:
        if not 0 <= count <= self.MAX:
            raise ValueError(f"{count} items: at most {self.MAX} can be taken in turn")
        self._read: int | None
        self._read, write = os.pipe()
        try:
            os.write(write, bytes(range(count)))
        finally:
            os.close(write)
        # every number is in the pipe before any fork: an empty pipe is the
        # end, even if another thread's fork kept a copy of the writing end
        os.set_blocking(self._read, False)

    def take(self) -> Iterator[int]:
        """The numbers this process takes, one at a time, until none is left."""
        while self._read is not None:
            try:
                got = os.read(self._read, 1)
            except OSError:  # none left (the pipe is empty, or closed)
                return
            if not got:
                return
            yield got[0]

    def close(self) -> None:
        if self._read is not None:
            os.close(self._read)
            self._read = None


def claims(items: list[Any], turns: Turns) -> Iterator[Any]:
    """The items of ``items`` this process takes (see ``Turns``)."""
    for index in turns.take():
        yield items[index]


def _parse_turns(
    groups: list[Shard], turn: Turns, folder: Path, fingerprint: str, racy_from: int
) -> tuple[dict[str, Entry], dict[str, tuple[Document | None, BodyScan | None]], list[bytes], list[str], list[int]]:
    """Parse and write shards, taking turns with the other processes: what
    ``_parse_shards`` returns for them all, and which shards were done."""
    entries: dict[str, Entry] = {}
    parsed: dict[str, tuple[Document | None, BodyScan | None]] = {}
    payloads: list[bytes] = []
    notes: list[str] = []
    done = []
    for shard in claims(list(range(len(groups))), turn):
        more = _parse_shards(groups[shard], folder, fingerprint, racy_from, [shard])
        entries.update(more[0])
        parsed.update(more[1])
        payloads += more[2]
        notes += more[3]
        done.append(shard)
    return entries, parsed, payloads, notes, done


def _parse_turns_in_worker() -> tuple[list[bytes], dict[str, BodyScan | None], list[str], list[int]]:
    """In a worker: the shards it wrote go back as written (the parent reads
    the models from them: each model is pickled once), without documents."""
    gc.disable()
    assert _TURNS is not None
    _, parsed, payloads, notes, done = _parse_turns(*_TURNS)
    return payloads, {rel: body for rel, (_, body) in parsed.items()}, notes, done


def _parse_by_shard(
    works: list[tuple[Work, tuple[int, int, int]]],
    cache: _Cache,
    workers: int | None,
    meanwhile: Callable[[], None] | None = None,
) -> dict[str, tuple[Document | None, BodyScan | None]] | None:
    """A cold run's parse: the files are parsed by cache shard, each process
    taking the next shard in turn and writing the shards it parsed, so the
    parent neither pickles the whole cache afterwards nor receives any model
    twice. Fills ``cache.new``; returns each file's document (parsed in this
    process) and body scan, or None when there are no processes to be had."""
    global _TURNS
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count < 2 or not can_fork():
        return None
    count = min(count, _SHARDS)
    groups: list[Shard] = [[] for _ in range(_SHARDS)]
    for item in works:
        groups[_shard(item[0][2])].append(item)
    args = (cache.folder, cache.fingerprint, cache.racy_from)
    try:
        turn = Turns(_SHARDS)
    except OSError:  # no pipe to be had (out of file descriptors)
        return None
    try:
        with contextlib.ExitStack() as stack:
            with _FORK_LOCK:
                _TURNS = (groups, turn, *args)
                try:  # each worker is forked as its call starts, with the turns in place
                    pending = stack.enter_context(in_workers([(_parse_turns_in_worker, ())] * (count - 1)))
                finally:
                    _TURNS = None
            if meanwhile is not None:  # (see ``load``)
                meanwhile()
            entries, parsed, _, notes, mine = _parse_turns(groups, turn, *args)
            done = set(mine)
            for future in pending:
                result = worker_result(future, lambda: None)
                if result is None:  # the worker died or never started: its shards may not be written
                    continue
                payloads, bodies, more, theirs = result
                for payload in payloads:
                    entries.update(pickle.loads(payload)["entries"])
                parsed.update((rel, (None, body)) for rel, body in bodies.items())
                notes += more
                done.update(theirs)
            lost = [shard for shard in range(_SHARDS) if shard not in done]  # a dead worker's: done here
            if lost:
                again = _parse_shards([item for shard in lost for item in groups[shard]], *args, lost)
                entries.update(again[0])
                parsed.update(again[1])
                notes += again[3]
    except OSError:  # the usual way
        return None
    finally:
        turn.close()
    cache.new.update(entries)
    cache.notes += notes[:1]
    return parsed


def _unreadable(rel: str, exc: OSError) -> Finding:
    return Finding(
        "EA100", rel, 0, f"cannot read the file: {exc.strerror or exc}", "check the file's permissions, or remove it"
    )


def _discover(root: Path, findings: list[Finding]) -> Iterator[tuple[Kind, str, str, tuple[int, int, int] | OSError]]:
    """Yield (kind, relative posix path, absolute path, (size, mtime, inode)
    or the error) in sorted order. Symbolic links are reported, never
    followed: a link could pull files from outside the repository into the
    published site. One directory scan and one lstat per file: on a warm run
    this walk is a large share of the time."""
    reported: set[Path] = set()

    def linked(path: Path) -> bool:
        """True when ``path`` or any folder between the root and it is a link
        (``architecture/`` itself holds the vendors and organisations)."""
        current = root
        for part in path.relative_to(root).parts:
            current = current / part
            if current.is_symlink():
                if current not in reported:
                    reported.add(current)
                    findings.append(_symlink(root, current))
                return True
        return False

    prefix = len(str(root)) + 1

    def walk(folder: str, found: list[tuple[str, str, tuple[int, int, int] | OSError]]) -> None:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            rel = folder[prefix:].replace(os.sep, "/")
            findings.append(_unreadable(rel, exc))
            return
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            if entry.is_symlink():
                if entry.is_dir() or (name.endswith(".md") and name.lower() not in IGNORED_NAMES):
                    findings.append(_symlink(root, Path(entry.path)))
                continue
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path, found)
            elif name.endswith(".md") and name.lower() not in IGNORED_NAMES:
                rel = entry.path[prefix:].replace(os.sep, "/")
                if not is_utf8(rel):
                    findings.append(_bad_name(rel))
                    continue
                try:
                    st = entry.stat(follow_symlinks=False)
                    stamp: tuple[int, int, int] | OSError = (st.st_size, st.st_mtime_ns, st.st_ino)
                    if not stat.S_ISREG(st.st_mode):  # a pipe would hold the run up for ever
                        stamp = OSError(0, "it is not a regular file (a pipe, socket or device)")
                except OSError as exc:
                    stamp = exc
                found.append((rel, entry.path, stamp))

    for kind in ENTITY_KINDS:
        base = root / FOLDERS[kind]
        if linked(base) or not base.is_dir():
            continue
        found: list[tuple[str, str, tuple[int, int, int] | OSError]] = []
        walk(str(base), found)
        for rel, full, stamp in sorted(found, key=lambda f: f[0]):
            yield kind, rel, full, stamp
    scheme = root / FOLDERS[Kind.SCHEME]
    if not linked(scheme) and scheme.is_file():
        try:
            st = scheme.lstat()
            scheme_stamp: tuple[int, int, int] | OSError = (st.st_size, st.st_mtime_ns, st.st_ino)
        except OSError as exc:
            scheme_stamp = exc
        yield Kind.SCHEME, FOLDERS[Kind.SCHEME], str(scheme), scheme_stamp


def _bad_name(rel: str) -> Finding:
    """A file whose name is not UTF-8: skipped (no page, report or cache
    could name it), reported with the undecodable bytes shown as '\ufffd'."""
    shown = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return Finding(
        "EA100",
        shown,
        0,
        "the file name is not valid UTF-8; the file is not read",
        "rename the file (letters, digits, '-')",
    )


def _symlink(root: Path, path: Path) -> Finding:
    rel = path.relative_to(root).as_posix()
    return Finding(
        "EA107", rel, 0, "symbolic link not followed", "replace the link with the file itself; links are never followed"
    )


def cache_dir() -> Path:
    env = os.environ.get("EA_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "ea"


#: The modules that shape a cached entry (see ``code_fingerprint``).
SHAPING = (
    "documents/document.py",
    "documents/simple.py",
    "models/model.py",
    "models/schema.py",
    "core/findings.py",
    "catalog/loader.py",
)


@functools.cache  # read once per process: the cache, the memo's plan and its save all ask
def code_fingerprint() -> str:
    """Changes whenever any module that shapes a cached entry changes."""
    h = hashlib.sha256(f"{__version__}|{sys.version}".encode())
    package = Path(__file__).parents[1]
    for name in SHAPING:
        h.update((package / name).read_bytes())
    # the libraries whose behaviour shapes an entry: validation, YAML reading
    # and the "did you mean" hints
    h.update(f"{pydantic.VERSION}|{rapidfuzz.__version__}|{yaml.__version__}".encode())
    return h.hexdigest()[:16]


#: A file's cached result: its version, model, findings and key lines.
Entry = tuple[Version, BaseModel | None, list[Finding], KeyLines]


def memo_dir(root: Path) -> Path:
    """This repository's folder in the cache (one per repository path)."""
    return cache_dir() / hashlib.sha256(str(root).encode()).hexdigest()[:16]


def private_memo_dir(root: Path) -> tuple[Path | None, str | None]:
    """This repository's cache folder, made if missing, when it and the cache
    folder above it can be trusted; else None. The caches are pickles, and
    unpickling runs code: on a shared host, a folder another user owns or can
    write to could hold theirs. Folders are made private (0700) and files are
    written 0600; what is refused is never read. Also a short note for the
    user when the cache is refused or cannot be made (then no cache is used)."""
    top = cache_dir()
    folder = memo_dir(root)
    named = not os.environ.get("EA_CACHE_DIR")  # a folder the user chose is never changed
    note = None
    for path, ours in ((top, named), (folder, True)):
        try:
            with contextlib.suppress(FileExistsError):
                path.mkdir(mode=0o700, parents=path is top)
            st = os.stat(path)
        except OSError as exc:
            return None, f"cannot use the cache folder {path} ({exc.strerror or exc}); checking without it"
        problem = _untrusted(st)
        if problem is None:
            continue
        if ours and st.st_uid == _uid() and stat.S_ISDIR(st.st_mode):
            # a folder this tool names and the user owns, made before folders
            # were private (under a umask of 002): made private, and nothing
            # in it is read, as another user may have written there
            try:
                os.chmod(path, 0o700)
            except OSError:
                return None, f"the cache folder {path} {problem}; not used"
            note = f"the cache folder {path} was writable by other users; it is now private and the cache is rebuilt"
            continue
        return None, f"the cache folder {path} {problem}; not used"
    if note is not None:
        return _emptied(folder), note
    return folder, None


def _emptied(folder: Path) -> Path | None:
    """The folder, after removing its cache files (written by whoever could
    write there), or None when they cannot be removed."""
    try:
        for entry in os.scandir(folder):
            if entry.is_file(follow_symlinks=False) or entry.is_symlink():
                os.unlink(entry.path)
    except OSError:
        return None
    return folder


def _uid() -> int | None:
    return os.getuid() if hasattr(os, "getuid") else None


def _untrusted(st: os.stat_result) -> str | None:
    """Why a cache folder or file cannot be trusted (None when it can): owned
    by another user, or writable by the group or others. Where there are no
    user ids (Windows), the per-user profile folder is trusted."""
    uid = _uid()
    if uid is None:
        return None
    if st.st_uid != uid:
        return "belongs to another user"
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "is writable by other users"
    return None


def read_private(path: Path) -> bytes | None:
    """A cache file's bytes, or None when it is missing, unreadable, a link,
    not a regular file, another user's or writable by others (see
    ``private_memo_dir``). Checked on the open file, so it cannot be swapped
    between the check and the read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or _untrusted(st) is not None:
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def load_private(path: Path) -> Any:
    """A pickled cache file's value (see ``read_private``), or None when it
    is missing, refused or damaged."""
    raw = read_private(path)
    if raw is None:
        return None
    try:
        return pickle.loads(raw)
    except Exception:  # damaged, or written by another version: a cold run
        return None


def save_private(path: Path, value: Any) -> str | None:
    """Pickle a value into a cache file (0600, atomically). The cache is an
    optimisation: a failure is a note (returned), never an error."""
    return _write_private(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _write_private(path: Path, data: bytes) -> str | None:
    try:
        atomic_write(path, data, private=True)
    except OSError as exc:
        return f"cannot write the cache in {path.parent} ({exc.strerror or exc}); the next run checks every file again"
    return None


_SHARDS = 32


def _shard(rel: str) -> int:
    return zlib.crc32(rel.encode()) % _SHARDS


#: A file modified this close to the start of a run may be modified again
#: within the file system's timestamp granularity (up to 2 s on some) without
#: its stamp changing; its entry is kept under a hash of its content instead,
#: so it is parsed again next time (as git treats "racily clean" files).
RACY_NS = 2_000_000_000


class _Cache:
    """Validated models, findings and key lines by path, valid while size,
    modification time and inode are unchanged. Kept in shards so a re-run
    after one edit rewrites one small file, not the whole cache."""

    def __init__(self, folder: Path, paths: Iterable[str] | None = None) -> None:
        """``paths``: read only the shards holding these files (a re-run that
        needs no other file's model), keeping each whole for the save."""
        self.racy_from = time.time_ns() - RACY_NS
        self.folder = folder
        self.fingerprint = code_fingerprint()
        self.entries: dict[str, Entry] = {}
        self.new: dict[str, Entry] = {}
        self.dirty: set[int] = set()
        self.notes: list[str] = []
        shards = range(_SHARDS) if paths is None else sorted({_shard(rel) for rel in paths})
        for shard in shards:
            stored = load_private(self.folder / f"documents-{shard:02d}.pickle")
            if isinstance(stored, dict) and stored.get("fingerprint") == self.fingerprint:
                self.entries.update(stored["entries"])
        if paths is not None:
            self.new = dict(self.entries)

    def previous(self, rel: str) -> tuple[Version, BaseModel | None] | None:
        """What the cache held for a file when this run began: (stamp, model)."""
        entry = self.entries.get(rel)
        return None if entry is None else (entry[0], entry[1])

    def get(self, rel: str, stamp: tuple[int, int, int]) -> tuple[BaseModel | None, list[Finding], KeyLines] | None:
        entry = self.entries.get(rel)
        if entry is not None and entry[0] == stamp:
            self.new[rel] = entry
            return entry[1], entry[2], entry[3]
        return None

    def put(
        self, rel: str, version: Version, model: BaseModel | None, findings: list[Finding], lines: KeyLines
    ) -> None:
        """Store a file's result. A racy one (see ``RACY_NS``) is stored under
        its content hash, which no stamp equals: it is parsed again next time,
        but still tells which version of the file its model is (``previous``)."""
        self.new[rel] = (version, model, findings, lines)
        self.dirty.add(_shard(rel))

    def save(self) -> None:
        self.dirty.update(_shard(rel) for rel in self.entries.keys() - self.new.keys())
        if not self.dirty:
            return
        shards: dict[int, dict[str, Entry]] = {s: {} for s in self.dirty}
        for rel, entry in self.new.items():
            shard = shards.get(_shard(rel))
            if shard is not None:
                shard[rel] = entry
        for number, entries in sorted(shards.items()):
            payload = {"fingerprint": self.fingerprint, "entries": entries}
            note = save_private(self.folder / f"documents-{number:02d}.pickle", payload)
            if note is not None:
                self.notes.append(note)
                break  # one note; the next run parses these files again
        self.dirty.clear()
