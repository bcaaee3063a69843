"""Plan entity files, then write them: the one place imports touch the disk.

Imports never write while they read. They build a ``Plan`` (files to create
or update, and a message for everything they decided or could not do), so a
dry run prints exactly what a real run would write. Writing refuses any path
outside the repository's content folders, never follows a symbolic link and
never replaces a file it did not plan to update. It is all or nothing: every
target is checked before the first write, and a failure while writing puts
back every file already written, so a failed import leaves the repository
exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from generator.catalog.loader import IGNORED_NAMES
from generator.checks.rules import normalise_name, vendor_key
from generator.core.errors import EaError
from generator.core.util import atomic_write, read_capped
from generator.documents.document import MAX_FILE_BYTES, parse_bytes
from generator.models.model import ENTITY_KINDS, FOLDERS, Kind, valid_id
from generator.models.schema import suggest_id

#: Message levels, in the order a report lists them.
LEVELS = ("note", "created", "updated", "unchanged", "exists", "renamed", "default", "ignored", "skipped")


@dataclass(frozen=True, slots=True)
class Message:
    """One thing an import decided or could not do. ``where`` names the row
    ("row 7"), element or file it is about; ``level`` is one of ``LEVELS``:
    ``skipped`` means something in the input was not imported."""

    level: str
    where: str
    text: str
    #: what kind of thing it is ("total row", "lifecycle: value not understood"),
    #: one per problem, for a summary that counts them
    topics: tuple[str, ...] = ()

    def line(self) -> str:
        return f"{self.where}: {self.text}" if self.where else self.text


@dataclass(frozen=True, slots=True)
class PlannedFile:
    kind: Kind
    id: str
    path: str  # relative to the repository root, forward slashes
    content: bytes
    action: str  # "create" or "update"


@dataclass
class Plan:
    """What an import will write, and why; ``apply`` writes it."""

    root: Path
    files: list[PlannedFile] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)

    def note(self, level: str, where: str, text: str, topics: list[str] | tuple[str, ...] = ()) -> None:
        assert level in LEVELS, level
        self.messages.append(Message(level, where, text, tuple(topics)))

    def summary(self) -> list[tuple[str, str, int]]:
        """(level, topic, count) of every message, and (action, kind) counts
        of the files: what ``--summary`` prints instead of every line."""
        counts: dict[tuple[str, str], int] = {}
        for f in self.files:
            key = (f.action, f.kind.plural)
            counts[key] = counts.get(key, 0) + 1
        for m in self.messages:
            for topic in m.topics or ((m.text if m.level == "note" else m.level),):
                key = (m.level, topic)
                counts[key] = counts.get(key, 0) + 1
        order = {level: i for i, level in enumerate(("create", "update", *LEVELS))}
        ranked = sorted(counts.items(), key=lambda kv: (order[kv[0][0]], kv[0][1]))
        return [(level, topic, n) for (level, topic), n in ranked]

    @property
    def skipped(self) -> list[Message]:
        return [m for m in self.messages if m.level == "skipped"]

    def count(self, action: str, kind: Kind | None = None) -> int:
        return sum(1 for f in self.files if f.action == action and (kind is None or f.kind is kind))

    def apply(self) -> list[str]:
        """Write every planned file, or none: every target is checked first
        (inside its content folder, no symbolic link on the way, a name the
        file system takes, a file to create not there yet, one to update or
        delete still there), then the files are written, and on any failure
        every file already written is put back as it was. Returns the paths."""
        changes = []
        problems = []
        for planned in self.files:
            try:
                target = safe_target(self.root, planned.kind, planned.path)
            except EaError as exc:
                problems.append(str(exc))
                continue
            if planned.action == "create" and os.path.lexists(target):
                problems.append(f"{planned.path} appeared since the import was planned")
            elif planned.action in ("update", "delete") and not target.is_file():
                problems.append(f"{planned.path} disappeared since the import was planned")
            changes.append((target, None if planned.action == "delete" else planned.content))
        if problems:
            problems = list(dict.fromkeys(problems))
            more = f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
            raise EaError("nothing was written: " + "; ".join(problems[:5]) + more)
        write_all(changes)
        return [planned.path for planned in self.files]


def write_all(changes: list[tuple[Path, bytes | None]]) -> None:
    """Write each file (None: delete it), all or nothing. Each write is atomic
    on its own; on any failure (disk full, permissions, an interrupt) the files
    already changed get their old content and mode back, files and folders
    created are removed, and the error is raised as an EaError saying so."""
    done: list[tuple[Path, bytes | None, int | None]] = []  # path, old content, old mode
    made: list[Path] = []
    try:
        for target, content in changes:
            old = target.read_bytes() if target.is_file() else None
            mode = stat.S_IMODE(target.stat().st_mode) if old is not None else None
            if content is None:
                done.append((target, old, mode))
                target.unlink()
                continue
            missing = []
            parent = target.parent
            while not os.path.lexists(parent):
                missing.append(parent)
                parent = parent.parent
            for folder in reversed(missing):
                folder.mkdir()
                made.append(folder)
            done.append((target, old, mode))
            atomic_write(target, content)
            if mode is not None:
                os.chmod(target, mode)
    except BaseException as exc:
        _roll_back(done, made)
        if isinstance(exc, OSError):
            where = f" {exc.filename}" if exc.filename else ""
            raise EaError(f"could not write{where}: {exc.strerror or exc}; nothing was changed") from exc
        raise


def _roll_back(done: list[tuple[Path, bytes | None, int | None]], made: list[Path]) -> None:
    for target, old, mode in reversed(done):
        with contextlib.suppress(OSError):
            if old is None:
                target.unlink(missing_ok=True)
            else:
                atomic_write(target, old)
                if mode is not None:
                    os.chmod(target, mode)
    for folder in reversed(made):
        with contextlib.suppress(OSError):
            folder.rmdir()


def safe_target(root: Path, kind: Kind, rel: str) -> Path:
    """The absolute path for ``rel``, refusing anything that would land outside
    the kind's content folder: '..', absolute paths, or a symbolic link on the
    way (a linked folder could point anywhere on the disk)."""
    folder = FOLDERS[kind]
    parts = rel.split("/")
    if (
        not rel.startswith(folder + "/")
        or not rel.endswith(".md")
        or any(p in ("", ".", "..") for p in parts)
        or "\\" in rel
        or Path(rel).is_absolute()
    ):
        raise EaError(f"refusing to write {rel!r}: imports write only .md files inside {folder}/")
    long = [p for p in parts if len(p.encode("utf-8")) > MAX_NAME_BYTES]
    if long:
        raise EaError(
            f"refusing to write {rel[:60]!r}...: a file name of {len(long[0].encode('utf-8'))} bytes "
            f"(file systems take at most {MAX_NAME_BYTES}); shorten the id"
        )
    root = Path(root).resolve()
    current = root
    for i, part in enumerate(parts):
        current = current / part
        if current.is_symlink():
            raise EaError(f"refusing to write {rel!r}: {current.relative_to(root).as_posix()} is a symbolic link")
        if i < len(parts) - 1 and current.exists() and not current.is_dir():
            raise EaError(f"refusing to write {rel!r}: {current.relative_to(root).as_posix()} is not a folder")
    return current


#: The longest file name (in bytes) common file systems allow.
MAX_NAME_BYTES = 255


# --- what the repository already holds ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entity:
    kind: Kind
    id: str
    name: str | None
    path: str | None  # None for an entity this import plans to create
    aliases: tuple[str, ...] = ()


class Registry:
    """The entities of one kind that exist or will exist after the import:
    lookups by id (ignoring case, as checkouts on Windows and macOS do), by
    name or alias (normalised as the duplicate check EA150 does), vendors also
    by their company name without legal words (``checks.vendor_key``), and id
    allocation that never collides with any of them."""

    def __init__(self) -> None:
        self._by_id: dict[tuple[Kind, str], Entity] = {}
        self._by_name: dict[tuple[Kind, str], Entity] = {}
        self._by_vendor_key: dict[str, Entity] = {}
        #: the next suffix to try for a base id, so allocating many ids from
        #: one slug is linear, not quadratic
        self._next: dict[tuple[Kind, str], int] = {}

    @classmethod
    def of_repository(cls, root: Path) -> Registry:
        """Every entity file under ``root``'s content folders (sub-folders too),
        with the name and aliases its frontmatter gives, when it can be read."""
        registry = cls()
        for kind, rel, full in _entity_files(Path(root)):
            name, aliases = None, ()
            try:
                with open(full, "rb", buffering=0) as fh:
                    doc = parse_bytes(rel, read_capped(fh, MAX_FILE_BYTES))
                if doc.data is not None and isinstance(doc.data.get("name"), str):
                    name = doc.data["name"]
                if doc.data is not None and isinstance(doc.data.get("aliases"), list):
                    aliases = tuple(a for a in doc.data["aliases"] if isinstance(a, str))
            except OSError:
                pass
            registry.add(Entity(kind, rel.rsplit("/", 1)[-1][:-3], name, rel, aliases))
        return registry

    def add(self, entity: Entity) -> None:
        self._by_id.setdefault((entity.kind, entity.id.casefold()), entity)
        for name in (entity.name, *entity.aliases):
            if name:
                self._by_name.setdefault((entity.kind, normalise_name(name)), entity)
                if entity.kind is Kind.VENDOR and vendor_key(name):
                    self._by_vendor_key.setdefault(vendor_key(name), entity)

    def by_id(self, kind: Kind, id_: str) -> Entity | None:
        return self._by_id.get((kind, id_.casefold()))

    def by_name(self, kind: Kind, name: str) -> Entity | None:
        """The entity with this name or alias."""
        return self._by_name.get((kind, normalise_name(name)))

    def resolve(self, kind: Kind, text: str) -> Entity | None:
        """An existing or planned entity that ``text`` names: its id as written,
        its name or an alias, the id the slug rule makes of it, or (vendors)
        the same company name without its legal words."""
        text = text.strip()
        found = self.by_id(kind, text) or self.by_name(kind, text) or self.by_id(kind, suggest_id(text))
        if found is None and kind is Kind.VENDOR and vendor_key(text):
            found = self._by_vendor_key.get(vendor_key(text))
        return found

    def free_id(self, kind: Kind, base: str) -> str:
        """``base``, or ``base-2``, ``base-3``... whichever is not taken."""
        if self.by_id(kind, base) is None:
            return base
        n = self._next.get((kind, base), 2)
        while self.by_id(kind, f"{base}-{n}") is not None:
            n += 1
        self._next[(kind, base)] = n  # taken once added: the next call moves on from here
        return f"{base}-{n}"

    def ids(self, kind: Kind) -> list[str]:
        return sorted(e.id for (k, _), e in self._by_id.items() if k is kind)


def _entity_files(root: Path) -> Iterator[tuple[Kind, str, str]]:
    """(kind, relative path, absolute path) of every entity file, the way the
    loader finds them: no symbolic links, no dot-files, no README/index."""
    prefix = len(str(root)) + 1
    for kind in ENTITY_KINDS:
        base = root / FOLDERS[kind]
        if not base.is_dir() or base.is_symlink():
            continue
        for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
            dirnames[:] = sorted(
                d for d in dirnames if not d.startswith(".") and not os.path.islink(os.path.join(dirpath, d))
            )
            for name in sorted(filenames):
                full = os.path.join(dirpath, name)
                wanted = name.endswith(".md") and not name.startswith(".") and name.lower() not in IGNORED_NAMES
                if wanted and not os.path.islink(full):
                    yield kind, full[prefix:].replace(os.sep, "/"), full


def entity_files(root: Path) -> Iterator[tuple[Kind, str, str]]:
    """(kind, relative path, absolute path) of every entity file under ``root``."""
    return _entity_files(Path(root))


def removed_paths(root: Path) -> dict[str, str | None]:
    """Content files the repository's Git history deleted or renamed that do
    not exist now: path -> where it was renamed to (when that file exists), or
    None. An import asked for such an entity again must say so rather than
    quietly bring back what an architect removed. Empty outside Git."""
    root = Path(root)
    try:
        folders = sorted({FOLDERS[k].split("/")[0] for k in ENTITY_KINDS})
        args = ["-c", "core.quotePath=false", "log", "--relative", "-M", "--diff-filter=DR", "--name-status"]
        proc = subprocess.run(
            ["git", "-C", str(root), *args, "--format=", "--", *folders],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if proc.returncode != 0:
        return {}
    moved: dict[str, str | None] = {}
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        parts = line.split("\t")
        if parts[0] == "D" and len(parts) == 2:
            moved.setdefault(parts[1], None)
        elif parts[0].startswith("R") and len(parts) == 3:
            moved.setdefault(parts[1], parts[2])
    out: dict[str, str | None] = {}
    for old in moved:
        if os.path.lexists(root / old):
            continue
        target, seen = moved[old], {old}
        while target is not None and not os.path.lexists(root / target) and target not in seen:
            seen.add(target)
            target = moved.get(target)
        out[old] = target if target is not None and os.path.lexists(root / target) else None
    return out


def new_path(kind: Kind, id_: str) -> str:
    if not valid_id(id_):
        raise ValueError(f"not a valid id: {id_!r}")
    return f"{FOLDERS[kind]}/{id_}.md"


# --- rendering and merging ---------------------------------------------------------------------------------------


def dump_frontmatter(data: dict[str, Any]) -> str:
    """YAML for a frontmatter mapping, keys in the order given. PyYAML quotes
    any text YAML would read as something else ('NO', '1.10', 'a: b')."""
    return yaml.safe_dump(_plain(data), sort_keys=False, allow_unicode=True, default_flow_style=False, width=10_000)


def render(data: dict[str, Any], body: str) -> bytes:
    """A new entity file: frontmatter, then the Markdown body."""
    body = body if not body or body.endswith("\n") else body + "\n"
    return f"---\n{dump_frontmatter(data)}---\n{body}".encode()


def _plain(value: Any) -> Any:
    """Whole-number floats as integers (12500, not 12500.0), recursively."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class Merged:
    content: bytes | None  # None: nothing changed, or a problem
    changed: list[str]
    problem: str | None = None


def merge(raw: bytes, rel: str, updates: dict[str, Any]) -> Merged:
    """``updates`` merged into an existing file's frontmatter: fields it names
    are replaced (a mapping such as ``contract`` key by key), every other field
    keeps its value and place, and the body is kept byte for byte. The
    frontmatter is rewritten by PyYAML, so comments in it are not kept."""
    doc = parse_bytes(rel, raw)
    if doc.data is None or doc.problems:
        why = doc.problems[0].message if doc.problems else "no frontmatter"
        return Merged(None, [], f"cannot update: {why} (fix the file, then import again)")
    lines = raw.splitlines(keepends=True)
    bom = lines[0].startswith(b"\xef\xbb\xbf") if lines else False
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in (b"---", b"..."))
    newline = "\r\n" if lines[0].endswith(b"\r\n") else "\n"
    body = b"".join(lines[end + 1 :])
    data = dict(doc.data)
    changed = []
    for key, value in updates.items():
        old = data.get(key)
        if isinstance(value, dict) and isinstance(old, dict):
            value = {**old, **value}
        if _same(old, value):
            continue
        data[key] = value
        changed.append(key)
    if not changed:
        return Merged(None, [])
    head = "---\n" + dump_frontmatter(data) + "---\n"
    if newline != "\n":
        head = head.replace("\n", newline)
    return Merged((b"\xef\xbb\xbf" if bom else b"") + head.encode() + body, changed)


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    if isinstance(old, int | float) and isinstance(new, int | float):
        return float(old) == float(new)
    if isinstance(old, date) and isinstance(new, date):
        return old == new
    return _plain(old) == _plain(new)
