"""Find and read every content file of a repository, with a parse cache.

The cache keeps each file's parsed document and validated model, keyed by
path, size, modification time and inode, so a re-run after one edit parses one
file. It lives in the user's cache folder (never in the repository, so a pull
request cannot plant one), is safe to delete, and is ignored whenever the tool's
code or Python changes.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from generator import __version__
from generator.document import MAX_FILE_BYTES, Document, parse_bytes
from generator.findings import Finding
from generator.model import ENTITY_KINDS, FOLDERS, Kind
from generator.schema import check_document
from generator.util import atomic_write

#: Files in a kind's folder that are not entities: editors' notes about the folder.
IGNORED_NAMES = frozenset({"readme.md", "index.md"})


@dataclass(slots=True)
class Source:
    """One content file: where it is, what it parsed to, what it validated to."""

    kind: Kind
    id: str
    path: str
    doc: Document
    model: BaseModel | None
    findings: list[Finding] = field(default_factory=list)


@dataclass(slots=True)
class Loaded:
    root: Path
    sources: list[Source]
    findings: list[Finding]


def load(root: Path, *, use_cache: bool = True) -> Loaded:
    """Load every content file under ``root``. Never raises for bad content."""
    root = root.resolve()
    findings: list[Finding] = []
    cache = _Cache(root) if use_cache else None
    sources: list[Source] = []
    for kind, rel, abspath in _discover(root, findings):
        stem = rel.rsplit("/", 1)[-1][:-3]
        try:
            st = os.stat(abspath)
            stamp = (st.st_size, st.st_mtime_ns, st.st_ino)
        except OSError as exc:
            doc = Document(path=rel, data=None, problems=[_unreadable(rel, exc)])
            sources.append(Source(kind, stem, rel, doc, None))
            continue
        hit = cache.get(rel, stamp) if cache else None
        if hit is None and st.st_size > MAX_FILE_BYTES:
            doc = Document(
                path=rel,
                data=None,
                problems=[
                    Finding(
                        "EA106",
                        rel,
                        0,
                        f"file is {st.st_size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
                        "split the narrative into smaller pages or move attachments out of the content folders",
                    )
                ],
            )
            sources.append(Source(kind, stem, rel, doc, None))
            continue
        if hit is None:
            try:
                with open(abspath, "rb") as fh:
                    raw = fh.read(MAX_FILE_BYTES + 1)
            except OSError as exc:
                doc = Document(path=rel, data=None, problems=[_unreadable(rel, exc)])
                sources.append(Source(kind, stem, rel, doc, None))
                continue
            doc = parse_bytes(rel, raw)
            model, problems = check_document(kind, stem, doc)
            hit = Source(kind, stem, rel, doc, model, problems)
            if cache:
                cache.put(rel, stamp, hit)
        sources.append(hit)
    if cache:
        cache.save()
    return Loaded(root=root, sources=sources, findings=findings)


def _unreadable(rel: str, exc: OSError) -> Finding:
    return Finding(
        "EA100", rel, 0, f"cannot read the file: {exc.strerror or exc}", "check the file's permissions, or remove it"
    )


def _discover(root: Path, findings: list[Finding]) -> Iterator[tuple[Kind, str, str]]:
    """Yield (kind, relative posix path, absolute path) in sorted order.
    Symbolic links are reported, never followed: a link could pull files from
    outside the repository into the published site."""
    for kind in ENTITY_KINDS:
        base = root / FOLDERS[kind]
        if not base.is_dir() or base.is_symlink():
            if base.is_symlink():
                findings.append(_symlink(root, base))
            continue
        found: list[tuple[str, str]] = []
        for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
            keep = []
            for d in sorted(dirnames):
                full = os.path.join(dirpath, d)
                if d.startswith("."):
                    continue
                if os.path.islink(full):
                    findings.append(_symlink(root, Path(full)))
                else:
                    keep.append(d)
            dirnames[:] = keep
            for name in filenames:
                if not name.endswith(".md") or name.startswith(".") or name.lower() in IGNORED_NAMES:
                    continue
                full = os.path.join(dirpath, name)
                if os.path.islink(full):
                    findings.append(_symlink(root, Path(full)))
                    continue
                found.append((Path(full).relative_to(root).as_posix(), full))
        for rel, full in sorted(found):
            yield kind, rel, full
    scheme = root / FOLDERS[Kind.SCHEME]
    if scheme.is_symlink():
        findings.append(_symlink(root, scheme))
    elif scheme.is_file():
        yield Kind.SCHEME, FOLDERS[Kind.SCHEME], str(scheme)


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


def _code_fingerprint() -> str:
    """Changes whenever any module that shapes a cached entry changes."""
    h = hashlib.sha256(f"{__version__}|{sys.version}".encode())
    here = Path(__file__).parent
    for name in ("document.py", "model.py", "schema.py", "findings.py", "loader.py"):
        h.update((here / name).read_bytes())
    try:
        import pydantic

        h.update(pydantic.VERSION.encode())
    except Exception:  # pragma: no cover
        pass
    return h.hexdigest()[:16]


class _Cache:
    def __init__(self, root: Path) -> None:
        key = hashlib.sha256(str(root).encode()).hexdigest()[:16]
        self.path = cache_dir() / f"parse-{key}.pickle"
        self.fingerprint = _code_fingerprint()
        self.entries: dict[str, tuple[tuple[int, int, int], Source]] = {}
        self.new: dict[str, tuple[tuple[int, int, int], Source]] = {}
        self.dirty = False
        try:
            with open(self.path, "rb") as fh:
                stored = pickle.load(fh)
            if isinstance(stored, dict) and stored.get("fingerprint") == self.fingerprint:
                self.entries = stored["entries"]
        except Exception:  # a missing, old or damaged cache is just a cold run
            self.entries = {}

    def get(self, rel: str, stamp: tuple[int, int, int]) -> Source | None:
        entry = self.entries.get(rel)
        if entry is not None and entry[0] == stamp:
            self.new[rel] = entry
            return entry[1]
        return None

    def put(self, rel: str, stamp: tuple[int, int, int], source: Source) -> None:
        self.new[rel] = (stamp, source)
        self.dirty = True

    def save(self) -> None:
        if not self.dirty and len(self.new) == len(self.entries):
            return
        try:
            payload = pickle.dumps(
                {"fingerprint": self.fingerprint, "entries": self.new}, protocol=pickle.HIGHEST_PROTOCOL
            )
            atomic_write(self.path, payload)
        except OSError:
            pass  # the cache is an optimisation; a read-only home must not fail validation
