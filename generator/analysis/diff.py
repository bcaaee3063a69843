"""What changed between two Git revisions, in architecture terms.

A pull request's file diff shows lines; reviewers and the Digital Group want
to know which systems were added or retired, whose owner or contract end
moved, and which problems a change introduced or fixed. This module compares
two validated catalogs: one read from a Git revision, the other from another
revision or from the working tree.

Revisions are read with git itself (``git ls-tree`` and ``git cat-file
--batch``), never by checking anything out. Most files are the same in both
revisions, so a file whose path and Git blob are unchanged is parsed once:
a revision reuses the working tree's parsed file when git says the working
tree holds the very same blob. Only the files that differ are written to a
temporary folder outside the repository and parsed. Both sides are then
validated in full (a removed vendor breaks references in unchanged files), so
findings that appeared or were resolved are exact: a side that is exactly the
working tree as the working tree (its checks' findings kept between runs),
and on a large estate with a second core, the base revision in a forked
process at the same time.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.analysis.ratings import Units, rate_application
from generator.catalog.catalog import Catalog, build_catalog
from generator.catalog.loader import (
    IGNORED_NAMES,
    PARALLEL_MIN_FILES,
    Loaded,
    Source,
    _parse_all,
    can_fork,
    load,
    worker_result,
    workers_pool,
)
from generator.checks import incremental
from generator.checks.rules import CHECKS, REFERENCES
from generator.checks.validate import Result, validate
from generator.core.errors import EaError
from generator.core.findings import Finding, Severity
from generator.core.report import printable
from generator.models.model import ENTITY_KINDS, FOLDERS, Kind

#: The facts a change is reported on, in report order: (key path in the
#: model's data, label). Kinds without a field simply never report it.
TRACKED: tuple[tuple[tuple[str, ...], str], ...] = (
    (("name",), "Name"),
    (("status",), "Status"),
    (("lifecycle",), "Lifecycle"),
    (("disposition",), "Disposition"),
    (("replaced_by",), "Replaced by"),
    (("owner",), "Owner"),
    (("requested_by",), "Requested by"),
    (("vendor",), "Vendor"),
    (("product",), "Product"),
    (("hosting",), "Hosting"),
    (("annual_cost",), "Annual cost"),
    (("one_off_cost",), "One-off cost"),
    (("contract", "end"), "Contract end"),
    (("contract", "notice_months"), "Notice period (months)"),
    (("sustainability", "assessed"), "Sustainability assessed"),
    (("parent",), "Parent"),
    (("type",), "Type"),
    (("capabilities",), "Capabilities"),
    (("priorities",), "Priorities"),
    (("submitted",), "Submitted"),
    (("needed_by",), "Needed by"),
    (("meeting",), "Meeting"),
    (("decision",), "Decision"),
    (("date",), "Date"),
    (("review_by",), "Review by"),
    (("supersedes",), "Supersedes"),
    (("from",), "From"),
    (("until",), "Until"),
    (("statement",), "Statement"),
    (("carbon_reduction_plan",), "Carbon Reduction Plan"),
    (("net_zero_target",), "Net-zero target"),
)

RATING = "Sustainability rating"
FILE = "File"
OTHER = "Other details"


@dataclass(frozen=True)
class Entity:
    kind: str
    id: str
    name: str
    path: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "id": self.id, "name": self.name, "path": self.path}


@dataclass(frozen=True)
class Change:
    label: str
    before: Any
    after: Any

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.label, "before": _json_value(self.before), "after": _json_value(self.after)}


@dataclass
class Changed:
    """One entity in both revisions (under the same or a new id) and what
    changed about it. ``renamed``: how the two were matched when the id
    changed: "git" (git's rename detection) or "alias" (the new one names the
    old as an alias or carries its name)."""

    before: Entity
    after: Entity
    changes: list[Change] = field(default_factory=list)
    renamed: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "before": self.before.as_dict(),
            "after": self.after.as_dict(),
            "renamed": self.renamed,
            "changes": [c.as_dict() for c in self.changes],
        }


@dataclass
class Diff:
    base: str
    head: str
    added: list[Entity] = field(default_factory=list)
    removed: list[Entity] = field(default_factory=list)
    renamed: list[Changed] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)
    appeared: list[Finding] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.renamed or self.changed or self.appeared or self.resolved)

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "base": self.base,
            "head": self.head,
            "added": [e.as_dict() for e in self.added],
            "removed": [e.as_dict() for e in self.removed],
            "renamed": [c.as_dict() for c in self.renamed],
            "changed": [c.as_dict() for c in self.changed],
            "findings_appeared": [f.as_dict() for f in self.appeared],
            "findings_resolved": [f.as_dict() for f in self.resolved],
        }


# --- reading revisions with git ------------------------------------------------


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True)
    except FileNotFoundError as exc:
        raise EaError("ea diff needs git, which is not installed or not on PATH") from exc
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
        raise EaError(f"git {' '.join(args)} failed: {printable(reason)}")
    return done.stdout


@dataclass
class _Repo:
    top: Path
    prefix: str  # the content root inside the Git repository, "" or "sub/dir/"

    def folders(self) -> list[str]:
        """Pathspecs of every content folder and the scheme file."""
        names = [FOLDERS[k] for k in ENTITY_KINDS] + [FOLDERS[Kind.SCHEME]]
        return [self.prefix + n for n in names]


def _open(root: Path) -> _Repo:
    try:
        top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip()).resolve()
    except EaError as exc:
        raise EaError(f"ea diff needs the repository to be a Git checkout: {exc}") from exc
    rel = root.resolve().relative_to(top).as_posix()
    return _Repo(top, "" if rel == "." else rel + "/")


def resolve_revision(root: Path, rev: str) -> str:
    """The commit a revision names; a clear error when git knows none."""
    if not rev.strip() or rev.startswith("-"):
        raise EaError(f"{rev!r} is not a revision (a branch, tag or commit, e.g. origin/main)")
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()
    except EaError:
        raise EaError(
            f"git knows no revision {printable(rev)!r} (a branch, tag or commit; in CI, fetch it first, "
            "e.g. actions/checkout with fetch-depth: 0)"
        ) from None


def _tree(repo: _Repo, commit: str) -> dict[str, tuple[str, str]]:
    """Content files of a commit: path relative to the content root ->
    (mode, blob id)."""
    out = _git(repo.top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *repo.folders())
    files: dict[str, tuple[str, str]] = {}
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, kind, sha = meta.decode().split()
        if kind != "blob":
            continue  # a submodule
        path = name.decode("utf-8", "surrogateescape")
        files[path[len(repo.prefix) :]] = (mode, sha)
    return files


def _kind_of(path: str) -> Kind | None:
    """The kind a content file is, as the loader finds files: in a kind's
    folder (at any depth), a Markdown file, not hidden, not a folder note.
    (Plain string tests: this runs once per file of a revision.)"""
    if path == FOLDERS[Kind.SCHEME]:
        return Kind.SCHEME
    name = path.rpartition("/")[2]
    if not name.endswith(".md") or name.lower() in IGNORED_NAMES or ("/" + path).find("/.") >= 0:
        return None
    for kind in ENTITY_KINDS:
        if path.startswith(FOLDERS[kind] + "/"):
            return kind
    return None


def _cat(repo: _Repo, shas: Iterable[str]) -> dict[str, bytes]:
    """The contents of blobs, by id, in one ``git cat-file --batch``."""
    wanted = sorted(set(shas))
    if not wanted:
        return {}
    out = _git(repo.top, "cat-file", "--batch", stdin=("\n".join(wanted) + "\n").encode())
    blobs: dict[str, bytes] = {}
    pos = 0
    for sha in wanted:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        size = int(header[2])
        blobs[sha] = out[end + 1 : end + 1 + size]
        pos = end + 1 + size + 1
    return blobs


def _worktree_blobs(repo: _Repo) -> dict[str, str]:
    """Files whose working-tree content is exactly a blob git knows: path ->
    blob id (tracked, and not modified since staged)."""
    staged = _git(repo.top, "ls-files", "-s", "-z", "--full-name", "--", *repo.folders())
    modified = _git(repo.top, "diff", "--name-only", "-z", "--", *repo.folders())
    dirty = {n.decode("utf-8", "surrogateescape") for n in modified.split(b"\0") if n}
    blobs: dict[str, str] = {}
    for entry in staged.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, sha, stage = meta.decode().split()
        path = name.decode("utf-8", "surrogateescape")
        if stage == "0" and mode != "120000" and path not in dirty:
            blobs[path[len(repo.prefix) :]] = sha
    return blobs


def _renames(repo: _Repo, base: str, head: str | None) -> dict[str, str]:
    """Git's rename detection between the two sides: old path -> new path."""
    args = ["diff", "-M", "--name-status", "-z", base] + ([head] if head else []) + ["--", *repo.folders()]
    fields = _git(repo.top, *args).split(b"\0")
    out: dict[str, str] = {}
    i = 0
    while i < len(fields):
        status = fields[i].decode()
        if not status:
            i += 1
            continue
        if status.startswith(("R", "C")):
            old, new = (f.decode("utf-8", "surrogateescape") for f in fields[i + 1 : i + 3])
            if status.startswith("R"):
                out[old[len(repo.prefix) :]] = new[len(repo.prefix) :]
            i += 3
        else:
            i += 2
    return out


def _symlink_finding(path: str) -> Finding:
    hint = "replace the link with the file itself; links are never followed"
    return Finding("EA107", path, 0, "symbolic link not followed", hint)


def _load_revision(
    root: Path,
    repo: _Repo,
    commit: str,
    reuse: dict[tuple[str, str], Source],
    scratch: Path,
) -> tuple[Loaded, dict[str, str]]:
    """The revision's files as the loader would have found them: a file whose
    (path, blob) is in ``reuse`` is taken from there; the others are written
    under ``scratch`` and parsed. Returns the loaded files and path -> blob."""
    files = _tree(repo, commit)
    findings: list[Finding] = []
    slots: list[Source | None] = []
    todo: list[tuple[int, tuple[Kind, str, str, str]]] = []
    blob_of: dict[str, str] = {}
    need: dict[str, str] = {}
    listed = sorted(
        ((kind, path) for path in files if (kind := _kind_of(path)) is not None),
        key=lambda kp: (_KIND_ORDER[kp[0]], kp[1]),
    )
    for kind, path in listed:
        mode, sha = files[path]
        if mode == "120000":
            findings.append(_symlink_finding(path))
            continue
        blob_of[path] = sha
        known = reuse.get((path, sha))
        if known is not None:
            slots.append(known)
            continue
        stem = path.rsplit("/", 1)[-1][:-3]
        target = scratch / commit / path
        need[str(target)] = sha
        todo.append((len(slots), (kind, stem, path, str(target))))
        slots.append(None)
    blobs = _cat(repo, need.values())
    for target_name, sha in need.items():
        target = Path(target_name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blobs[sha])
    results = _parse_all([work for _, work in todo], None)
    for (index, (kind, stem, path, _)), (model, problems, doc, _, lines, body, _) in zip(todo, results, strict=True):
        # the key lines of this parse, so a finding never parses its file again
        known = doc.lines if doc is not None else lines
        src = Source(kind, stem, path, model, problems, scratch / commit, doc, lines=known, body=body)
        slots[index] = src
        reuse[(path, blob_of[path])] = src
    sources = [s for s in slots if s is not None]
    return Loaded(root=root, sources=sources, findings=findings), blob_of


_KIND_ORDER = {kind: i for i, kind in enumerate((*ENTITY_KINDS, Kind.SCHEME))}


def _same_files(revision: Loaded, worktree: Loaded) -> bool:
    """Whether a revision holds exactly the working tree's content files:
    every one of its files taken from the working tree (the same blob), in
    the same order, none missing or added, with the same problems found
    while listing them (links not followed)."""
    return (
        len(revision.sources) == len(worktree.sources)
        and all(a is b for a, b in zip(revision.sources, worktree.sources, strict=True))
        and revision.findings == worktree.findings
    )


# --- comparing -----------------------------------------------------------------


def diff(root: Path, base: str, head: str | None = None, *, today: date | None = None) -> Diff:
    """Compare revision ``base`` with revision ``head``, or with the working
    tree (committed, staged, modified and new files alike) when ``head`` is
    None. Raises ``EaError`` for a revision git does not know."""
    return diff_and_head(root, base, head, today=today)[0]


def diff_and_head(root: Path, base: str, head: str | None = None, *, today: date | None = None) -> tuple[Diff, Result]:
    """``diff``, and the validated head side too (for a caller that also
    reports on it, like ``ea pack --since``, without validating it twice)."""
    root = Path(root).resolve()
    repo = _open(root)
    base_commit = resolve_revision(repo.top, base)
    head_commit = resolve_revision(repo.top, head) if head is not None else None
    day = today or date.today()
    with tempfile.TemporaryDirectory(prefix="ea-diff-") as scratch:
        # The working tree, parsed once (and cached between runs): its files
        # that are exactly a blob git knows stand in for that blob in either
        # revision, so a revision parses only the files it does not share.
        worktree = load(root)
        on_disk = _worktree_blobs(repo)
        reuse: dict[tuple[str, str], Source] = {}
        for src in worktree.sources:
            sha = on_disk.get(src.path)
            if sha is not None:
                reuse[(src.path, sha)] = src
        head_files = worktree
        if head_commit is not None:
            head_files, _ = _load_revision(root, repo, head_commit, reuse, Path(scratch))
            if _same_files(head_files, worktree):
                # HEAD is exactly the working tree (the usual CI checkout):
                # validated as the working tree, its checks' findings kept
                # between runs apply, where a revision runs every check again
                head_files = worktree
        base_files, _ = _load_revision(root, repo, base_commit, reuse, Path(scratch))
        after, before_catalog, before_findings = _validate_both(root, day, head_files, base_files, worktree)
        renames = _renames(repo, base_commit, head_commit)
        result = compare(
            before_catalog,
            before_findings,
            after.catalog,
            after.findings,
            renames,
            base=base,
            head=head if head is not None else "working tree",
        )
        return result, after


#: Below this many files, validating both sides here costs less than
#: starting a process for one of them (as for the loader's parsing).
FORK_MIN_FILES = PARALLEL_MIN_FILES

#: The base revision a forked process validates (``_base_findings``): set
#: just before the fork, so the process inherits every parsed file instead
#: of being sent a pickled copy of them.
_FORKED: tuple[Path, date, Loaded] | None = None


def _base_findings() -> list[Finding]:
    """In the forked process: the base revision's findings (all the parent
    needs back; it builds the base's catalog itself, which costs little)."""
    assert _FORKED is not None
    root, day, loaded = _FORKED
    return validate(root, today=day, loaded=loaded).findings


def _validate_both(
    root: Path, day: date, head: Loaded, base: Loaded, worktree: Loaded
) -> tuple[Result, Catalog, list[Finding]]:
    """Both sides validated in full: (the head's result, the base's catalog,
    the base's findings). A revision runs every check, most of a diff's
    time on a large estate, so with a second core, unless the head keeps
    its findings from the last run, the base is validated in a forked
    process while this one validates the head and stores the working tree's
    parse cache (which this process alone writes; the base writes nothing)."""
    global _FORKED
    pool = None
    many = len(base.sources) >= FORK_MIN_FILES
    pending = None
    if many and (os.cpu_count() or 1) >= 2 and can_fork() and not _kept(head, day):
        _FORKED = (root, day, base)
        try:
            pool = workers_pool()
            pending = pool.submit(_base_findings)  # the fork happens here, with the base in place
        except OSError:  # no process to be had: both here
            pool = None
        finally:
            _FORKED = None
    if pool is not None and pending is not None:
        with pool:
            _save_worktree(head, worktree)
            after = validate(root, today=day, loaded=head)
            catalog = build_catalog(base)[0]
            # a process lost (killed for memory, say) costs time, never a hang
            findings = worker_result(pending, lambda: validate(root, today=day, loaded=base).findings)
        return after, catalog, findings
    _save_worktree(head, worktree)
    after = validate(root, today=day, loaded=head)
    before = validate(root, today=day, loaded=base)
    return after, before.catalog, before.findings


def _kept(head: Loaded, day: date) -> bool:
    """Whether validating the head keeps every check's findings from the
    last run (a working tree validated before): then it takes a fraction of
    a second, and a second process would cost more than it saves."""
    if head.cache is None:
        return False
    plan = incremental.plan(head.cache.folder, head, day)
    return all(check.name in plan.kept for check in (REFERENCES, *CHECKS))


def _save_worktree(head: Loaded, worktree: Loaded) -> None:
    """The working tree's parse cache, for the next run: stored by its own
    validation when it is the head, else here."""
    if head is not worktree:
        worktree.save_cache()


def compare(
    before: Catalog,
    before_findings: list[Finding],
    after: Catalog,
    after_findings: list[Finding],
    renames: dict[str, str],
    *,
    base: str,
    head: str,
) -> Diff:
    """The architecture difference between two validated catalogs.
    ``renames``: old path -> new path, as git detected them."""
    result = Diff(base=base, head=head)
    old = {key: src for key, src in before.sources.items() if key[0] is not Kind.SCHEME}
    new = {key: src for key, src in after.sources.items() if key[0] is not Kind.SCHEME}
    gone = sorted(old.keys() - new.keys())
    came = sorted(new.keys() - old.keys())
    # renamed: git's rename detection, then an alias or the same name
    by_path = {src.path: key for key, src in new.items() if key in came}
    pairs: list[tuple[tuple[Kind, str], tuple[Kind, str], str]] = []
    for key in list(gone):
        target = by_path.get(renames.get(old[key].path, ""))
        if target is not None and target[0] is key[0] and target in came:
            pairs.append((key, target, "git"))
            gone.remove(key)
            came.remove(target)
    for key in list(gone):
        names = {key[1].casefold(), _name(old[key]).casefold()}
        for target in came:
            if target[0] is not key[0]:
                continue
            model = new[target].model
            known = {a.casefold() for a in getattr(model, "aliases", ())} | {_name(new[target]).casefold()}
            if names & known:
                pairs.append((key, target, "alias"))
                gone.remove(key)
                came.remove(target)
                break
    result.removed = [_entity(key, old[key]) for key in gone]
    result.added = [_entity(key, new[key]) for key in came]
    ratings = _Ratings(before, after)
    for key_old, key_new, how in sorted(pairs, key=lambda p: (_KIND_ORDER[p[1][0]], p[1][1])):
        result.renamed.append(
            Changed(
                _entity(key_old, old[key_old]),
                _entity(key_new, new[key_new]),
                _changes(old[key_old], new[key_new], ratings, key_old[1], key_new[1]),
                how,
            )
        )
    for key in sorted(old.keys() & new.keys(), key=lambda k: (_KIND_ORDER[k[0]], k[1])):
        a, b = old[key], new[key]
        if a is b or (a.model == b.model and a.path == b.path and not ratings.differs(key)):
            continue
        changes = _changes(a, b, ratings, key[1], key[1])
        if changes:
            result.changed.append(Changed(_entity(key, a), _entity(key, b), changes))
    # findings: the same problem in the same (possibly renamed) file, whatever its line
    moved = dict(renames)
    for c in result.renamed:
        moved.setdefault(c.before.path, c.after.path)
    for key in old.keys() & new.keys():
        if old[key].path != new[key].path:
            moved.setdefault(old[key].path, new[key].path)

    def ident(f: Finding, paths: dict[str, str]) -> tuple[str, str, str]:
        return (f.code, paths.get(f.path, f.path), f.message)

    was = Counter(ident(f, moved) for f in before_findings)
    now = Counter(ident(f, {}) for f in after_findings)
    more, fewer = now - was, was - now
    for f in after_findings:
        k = ident(f, {})
        if more[k] > 0:
            more[k] -= 1
            result.appeared.append(f)
    for f in before_findings:
        k = ident(f, moved)
        if fewer[k] > 0:
            fewer[k] -= 1
            result.resolved.append(f)
    return result


class _Ratings:
    """Sustainability ratings on both sides, computed only for the
    applications that could differ: changed, or supplied by a changed vendor,
    or all of them when the scheme changed."""

    def __init__(self, before: Catalog, after: Catalog) -> None:
        self.before, self.after = before, after
        self.all = before.scheme != after.scheme
        self.vendors = {
            v for v in before.vendors.keys() & after.vendors.keys() if before.vendors[v] != after.vendors[v]
        }
        #: each side's scheme in whole units, worked out once (see ``ratings.Units``)
        self.units = {id(c): Units(c.scheme) for c in (before, after) if c.scheme is not None}

    def differs(self, key: tuple[Kind, str]) -> bool:
        """Whether an application otherwise unchanged may still have a new rating."""
        if key[0] is not Kind.APPLICATION:
            return False
        app = self.after.applications.get(key[1])
        return self.all or (app is not None and app.vendor in self.vendors)

    def of(self, catalog: Catalog, id_: str) -> str | None:
        app = catalog.applications.get(id_)
        if app is None or catalog.scheme is None:
            return None
        vendor = catalog.vendors.get(app.vendor) if app.vendor else None
        rating = rate_application(catalog.scheme, app, vendor, self.units.get(id(catalog)))
        return None if rating is None else f"{rating.rating} ({rating.score:g})"


def _name(src: Source) -> str:
    name = getattr(src.model, "name", None)
    return name if isinstance(name, str) else src.id


def _entity(key: tuple[Kind, str], src: Source) -> Entity:
    return Entity(str(key[0]), key[1], _name(src), src.path)


def _data(model: BaseModel | None) -> dict[str, Any]:
    """The model's data without its id (a renamed entity's id differs by definition)."""
    data = {} if model is None else model.model_dump(by_alias=True)
    data.pop("id", None)
    return data


def _get(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = data
    for part in path:
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _changes(a: Source, b: Source, ratings: _Ratings, id_a: str, id_b: str) -> list[Change]:
    out: list[Change] = []
    if a.path != b.path:
        out.append(Change(FILE, a.path, b.path))
    if a.model is None or b.model is None:
        if (a.model is None) != (b.model is None):
            out.append(Change("Valid", a.model is not None, b.model is not None))
        return out
    da, db = _data(a.model), _data(b.model)
    for path, label in TRACKED:
        va, vb = _get(da, path), _get(db, path)
        if va != vb:
            out.append(Change(label, va, vb))
    if a.kind is Kind.APPLICATION:
        ra, rb = ratings.of(ratings.before, id_a), ratings.of(ratings.after, id_b)
        if ra != rb:
            out.append(Change(RATING, ra, rb))
    if da != db and not any(c.label != FILE for c in out):
        out.append(Change(OTHER, None, None))
    return out


# --- rendering -----------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def md(text: str) -> str:
    """Text for Markdown, shown as typed: punctuation Markdown would act on is
    backslash-escaped, '&' and '@' become entities (no HTML entity, no
    @-mention of a GitHub user), line breaks become spaces and control
    characters are shown as escapes."""
    text = printable(text.replace("\r\n", " ").replace("\n", " ").replace("\r", " "))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return text.replace("&", "&amp;").replace("@", "&#64;")


MONEY = frozenset({"Annual cost", "One-off cost"})


def value_text(value: Any, money: bool = False) -> str:
    """A value as a reader expects it: money in pounds, lists comma-separated,
    nothing as a dash."""
    if value is None or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float | int):
        return f"£{value:,.0f}" if money else f"{value:g}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(value_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {value_text(v)}" for k, v in value.items())
    return str(value)


def _change_text(c: Change) -> str:
    if c.label == OTHER:
        return "other details changed"
    money = c.label in MONEY
    return f"{md(c.label)}: {md(value_text(c.before, money))} → {md(value_text(c.after, money))}"


def render_markdown(d: Diff, heading: int = 2) -> str:
    """For a pull-request comment, the GitHub step summary or a paper."""
    h = "#" * heading
    out = [f"{h} Architecture changes from {md(d.base)} to {md(d.head)}", ""]
    if d.empty:
        return "\n".join([*out, "No change to any entity and no finding appeared or was resolved.", ""])
    counts = [
        f"{len(d.added)} added",
        f"{len(d.removed)} removed",
        f"{len(d.renamed)} renamed",
        f"{len(d.changed)} changed",
        f"{len(d.appeared)} finding{'s' if len(d.appeared) != 1 else ''} appeared",
        f"{len(d.resolved)} resolved",
    ]
    out += [", ".join(counts) + ".", ""]

    def entity_rows(title: str, items: list[Entity]) -> None:
        if not items:
            return
        nonlocal out
        out += [f"{h}# {title}", "", "| Kind | Name | Id | File |", "| --- | --- | --- | --- |"]
        for e in items:
            out.append(f"| {md(e.kind)} | {md(e.name)} | `{_code(e.id)}` | `{_code(e.path)}` |")
        out.append("")

    entity_rows("Added", d.added)
    entity_rows("Removed", d.removed)
    if d.renamed:
        out += [f"{h}# Renamed", "", "| Kind | Before | After | Also changed |", "| --- | --- | --- | --- |"]
        for c in d.renamed:
            rest = "; ".join(_change_text(x) for x in c.changes if x.label != FILE) or "—"
            out.append(
                f"| {md(c.after.kind)} | {md(c.before.name)} (`{_code(c.before.id)}`) "
                f"| {md(c.after.name)} (`{_code(c.after.id)}`) | {rest} |"
            )
        out.append("")
    if d.changed:
        out += [f"{h}# Changed", "", "| Kind | Name | What changed |", "| --- | --- | --- |"]
        for c in d.changed:
            what = "; ".join(_change_text(x) for x in c.changes)
            out.append(f"| {md(c.after.kind)} | {md(c.after.name)} (`{_code(c.after.id)}`) | {what} |")
        out.append("")
    for title, findings in (("Findings that appeared", d.appeared), ("Findings resolved", d.resolved)):
        if not findings:
            continue
        out += [f"{h}# {title}", "", "| Severity | Code | File | Line | Message |", "| --- | --- | --- | ---: | --- |"]
        for f in findings:
            out.append(f"| {f.severity} | {f.code} | `{_code(f.path)}` | {f.line or '—'} | {md(f.message)} |")
        out.append("")
    return "\n".join(out)


def _code(text: str) -> str:
    """Text inside a Markdown code span: no backtick or pipe can end it or the cell."""
    return printable(text.replace("`", "'").replace("|", "\\|").replace("\n", " ").replace("\r", " "))


def render_json(d: Diff) -> str:
    return json.dumps(d.as_dict(), indent=2, ensure_ascii=False) + "\n"


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(d: Diff, prefix: str = "") -> str:
    """GitHub Actions workflow commands: each finding that appeared as an
    error or warning at its line, each added, renamed or changed entity as a
    notice on its file, and a closing summary line."""
    out = []
    for f in d.appeared:
        level = "error" if f.severity is Severity.ERROR else "warning"
        props = [f"file={_gh_prop(printable(prefix + f.path))}"]
        if f.line:
            props.append(f"line={f.line}")
        props.append(f"title={_gh_prop(f'New {f.code} ' + f.title)}")
        out.append(f"::{level} {','.join(props)}::{_gh_data(printable(f.message))}")
    notices: list[tuple[Entity, str]] = [(e, f"Added {e.kind} {e.name}") for e in d.added]
    for c in d.renamed:
        notices.append((c.after, f"Renamed {c.after.kind} {c.before.name} ({c.before.id}) to {c.after.name}"))
    for c in d.changed:
        what = "; ".join(
            "other details changed"
            if x.label == OTHER
            else f"{x.label}: {value_text(x.before, x.label in MONEY)} -> {value_text(x.after, x.label in MONEY)}"
            for x in c.changes
        )
        notices.append((c.after, f"Changed {c.after.kind} {c.after.name}: {what}"))
    for e, text in notices:
        out.append(
            f"::notice file={_gh_prop(printable(prefix + e.path))},title=Architecture change::"
            f"{_gh_data(printable(text))}"
        )
    out.append(
        printable(
            f"ea diff {d.base}..{d.head}: {len(d.added)} added, {len(d.removed)} removed, {len(d.renamed)} renamed, "
            f"{len(d.changed)} changed; {len(d.appeared)} findings appeared, {len(d.resolved)} resolved."
        )
    )
    return "\n".join(out) + "\n"


def _json_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value
