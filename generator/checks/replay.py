"""The last run's findings, replayed when no edit since could change them.

After an edit that changes no frontmatter value (page text, a comment, keys
moved to other lines), every check would find what it found last time. The
incremental plan (``incremental``) already keeps those findings, but only
after reading every file's model from the parse cache and building the
catalog, most of a re-run's time. This replays the outcome the last run
stored instead: it reads the edited files alone, and only when each one's
model is exactly the model the last run checked does it answer, with

- the files' own findings (parse and schema) made again for the edited files,
- every other stored finding, moved to its key's new line in an edited file,
- the links in bodies (EA132, EA133) checked again, as every run does (where
  a link leads depends on files that are not content).

Anything else (a file added, removed, unreadable or changed in value,
another day, another version of the tool, no memo) answers None, and the
caller runs the full pipeline. Replaying never imports the checks.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import pickle
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import confusable_homoglyphs
from pydantic import BaseModel

from generator.catalog.loader import (
    Discovery,
    Source,
    _Cache,
    code_fingerprint,
    discover,
    load_private,
    parse_file,
    private_memo_dir,
    save_private,
    version_of,
)
from generator.core.findings import Finding, sort_findings
from generator.documents.bodylinks import check_body_links

#: the memo's file name in the repository's cache folder (``incremental``)
MEMO = "checks.pickle"
#: above this many edited files, reading each one's model back costs about
#: what the full pipeline does: replaying is not tried
MAX_EDITED = 200


@functools.cache  # read once per process: the plan and the save both ask
def fingerprint() -> str:
    """Changes with the parse cache's fingerprint and with any module that
    decides what a check finds."""
    h = hashlib.sha256(code_fingerprint().encode())
    package = Path(__file__).parents[1]
    # the catalog, what the plan's checks read (dates, carbon) and every check
    checks = sorted(p.name for p in (package / "checks").glob("*.py"))
    for name in ("catalog/catalog.py", "catalog/timeline.py", "models/carbon.py", *(f"checks/{c}" for c in checks)):
        h.update((package / name).read_bytes())
    # Unicode's confusables table decides which names are one name (EA150, EA151)
    h.update(confusable_homoglyphs.__version__.encode())
    return h.hexdigest()[:16]


def form(value: Any) -> Any:
    """A value as nested tuples that are equal only when the values are the
    same types with the same contents in the same order (sets excepted, whose
    order means nothing), floats as written (``-0.0`` is not ``0.0``)."""
    if isinstance(value, BaseModel):
        extra = value.__pydantic_extra__ or {}
        return (type(value), form(value.__dict__), form(extra))
    if isinstance(value, dict):
        return (dict, tuple((form(k), form(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return (type(value), tuple(form(v) for v in value))
    if isinstance(value, set | frozenset):
        return (type(value), tuple(sorted((form(v) for v in value), key=repr)))
    if isinstance(value, float):  # 0.0 == -0.0 in Python, yet a message shows which was written
        return (float, repr(value))
    return (type(value), value)


def moved(found: list[Finding], edited: list[Source]) -> list[Finding]:
    """Kept findings, each in an edited file moved to its key's new line
    (``found`` itself when none moved)."""
    by_path = {src.path: src for src in edited}
    if not by_path:
        return found
    out = []
    changed = False
    for f in found:
        src = by_path.get(f.path)
        if src is not None and f.key is not None:
            line = src.line(f.key)
            if line != f.line:
                f = dataclasses.replace(f, line=line)
                changed = True
        out.append(f)
    return out if changed else found


@dataclass
class Outcome:
    """What a run found beyond the checks' own findings, kept in the memo for
    replaying: the files' own findings by path (parse and schema; only files
    that have some), the id clashes (EA121), the files the site gives a page
    (whose bodies' links are checked) and how many files were checked."""

    own: dict[str, list[Finding]]
    clashes: list[Finding]
    pages: list[str]
    checked: int


@dataclass
class Replayed:
    findings: list[Finding]
    #: files checked (as ``len(catalog.sources)`` of a full run)
    checked: int


def replay(
    root: Path, today: date, discovery: Discovery | None = None, notes: list[str] | None = None
) -> Replayed | None:
    """The findings of a full run of the repository at ``root`` on ``today``,
    when they can be had from the last run's memo (see the module's
    docstring); else None. Never raises for a missing or damaged memo. Keeps
    the parse cache and the memo up to date, as a full run would.
    ``discovery``: the files as just found (``loader.discover``); ``notes``
    receives a note for the user about the cache folder (made private, or
    refused), which only the first look at the folder can give."""
    root = root.resolve()
    if discovery is None or discovery.root != root:
        discovery = discover(root)
    folder, note = private_memo_dir(root)
    if note is not None and notes is not None:
        notes.append(note)
    if folder is None or note is not None:
        return None
    try:
        stored = load_private(folder / MEMO)
        if not isinstance(stored, dict) or stored.get("fingerprint") != fingerprint() or stored["today"] != today:
            return None
        stamps: dict[str, Any] = stored["stamps"]
        outcome: Outcome = stored["outcome"]
        blob: bytes = stored["results"]
        if not isinstance(outcome, Outcome):
            return None
    except Exception:  # written by another version: the full run answers
        return None
    files = discovery.files
    if len(files) != len(stamps):
        return None  # a file added or removed
    edited_work = []
    for kind, rel, abspath, stamp in files:
        if isinstance(stamp, OSError) or rel not in stamps:
            return None
        if stamps[rel] != stamp:
            edited_work.append((kind, rel, abspath, stamp))
    if len(edited_work) > MAX_EDITED:
        return None
    cache = _Cache(folder, [rel for _, rel, _, _ in edited_work])
    edited: list[Source] = []
    for kind, rel, abspath, stamp in edited_work:
        previous = cache.previous(rel)
        if previous is None or previous[0] != stamps[rel]:
            return None  # the parse cache moved on without this memo
        stem = rel.rsplit("/", 1)[-1][:-3]
        model, problems, doc, digest, _, body, seen = parse_file((kind, stem, rel, abspath))
        if doc is None or form(model) != form(previous[1]):
            return None  # a value changed: the checks must look again
        version = version_of(stamp, seen, digest, cache.racy_from)
        edited.append(Source(kind, stem, rel, model, problems, root, doc, cache, version, doc.lines, body))
    results: dict[str, list[Finding]] = pickle.loads(blob)
    kept = {name: moved(found, edited) for name, found in results.items()}
    own = dict(outcome.own)
    for src in edited:
        own.pop(src.path, None)
        if src.findings:
            own[src.path] = src.findings
    findings = discovery.findings + outcome.clashes + [f for fs in own.values() for f in fs]
    for check_findings in kept.values():
        findings += check_findings
    # the body links of every page: a stand-in source for each unedited one
    # (its links are in the body-link memo by stamp; its model is not needed)
    by_path = {src.path: src for src in edited}
    stamp_of = {rel: stamp for _, rel, _, stamp in files}
    pages = [by_path.get(rel) or _Page(rel, stamp_of[rel], root) for rel in outcome.pages]
    findings += check_body_links(root, pages, set(outcome.pages), folder)
    # keep the caches as a full run would leave them
    for src in edited:
        cache.put(src.path, src.stamp, src.model, src.findings, src.lines)  # type: ignore[arg-type]
    cache.save()
    new_stamps = dict(stamps)
    for src in edited:
        new_stamps[src.path] = src.stamp
    unchanged = all(kept[name] is results[name] for name in results)
    write_memo(
        folder,
        today,
        new_stamps,
        blob if unchanged else pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL),
        dataclasses.replace(outcome, own=own),
    )
    return Replayed(findings=sort_findings(findings), checked=outcome.checked)


@dataclass
class _Page:
    """An unedited page as the body-link check reads it: its path and stamp
    (its links are in the body-link memo by stamp, else read again from its
    text under ``root``)."""

    path: str
    stamp: Any
    root: Path


def write_memo(folder: Path, today: date, stamps: dict[str, Any], results: bytes, outcome: Outcome) -> str | None:
    """Write the memo (atomically, private); a note when it cannot be."""
    payload = {"fingerprint": fingerprint(), "today": today, "stamps": stamps, "results": results, "outcome": outcome}
    return save_private(folder / MEMO, payload)
