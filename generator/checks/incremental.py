"""Keep each check's findings between runs; run again only the checks whose
inputs an edit changed.

Every check declares the fields it reads (``checks.Check``). When files were
edited since the last run, each edited file's model from that run (still in
the parse cache) is compared with its new model on those fields only. A check
none of whose fields changed would find exactly what it found last time, so
those findings are kept, each moved to its key's new line when its own file
was edited. Editing a description, the body or a cost therefore re-runs no
cross-file check, and renaming an application re-runs only the name checks.
A local check (one whose findings about an entity depend on that entity
alone, ``Check.local``) runs again on the edited entities only.

Whatever the comparison cannot vouch for runs every check: no memo, another
version of the tool, a file added, removed or unreadable, or a parse cache
written by a run that did not also write this memo. A check that reads today's
date runs again on another day. The memo lives next to the parse cache, is
safe to delete and is written atomically.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.catalog.catalog import Catalog
from generator.catalog.loader import Loaded, Source, load_private
from generator.checks.replay import MEMO, Outcome, fingerprint, form, moved, write_memo
from generator.checks.rules import CHECKS, REFERENCES, Check
from generator.core.findings import Finding
from generator.models.model import Kind


@dataclass
class Plan:
    """What a run can keep: findings by check name; for a local check run on
    some entities only, the entities by kind; and the files edited since."""

    kept: dict[str, list[Finding]] = field(default_factory=dict)
    only: dict[str, dict[Kind, set[str]]] = field(default_factory=dict)
    edited: list[Source] = field(default_factory=list)
    #: the memo's findings as stored, when every check keeps its findings
    #: unchanged: written back as they are (tens of thousands of findings
    #: after an import would otherwise be pickled again on every re-run)
    stored: bytes | None = None

    def keeps(self, check: Check) -> bool:
        """Whether none of the check's findings need to be made again."""
        return check.name in self.kept and check.name not in self.only

    def run(self, check: Check, catalog: Catalog, today: date) -> list[Finding]:
        """The check's findings: kept, made again for the edited entities
        alone (a local check), or made again in full."""
        if self.keeps(check):
            return self.kept[check.name]
        ids = self.only.get(check.name)
        if ids is None:
            return check.run(catalog, today)
        paths = {src.path for src in self.edited}
        again = check.run(catalog.subset(ids), today)
        return self.kept[check.name] + [f for f in again if f.path in paths]


def plan(folder: Path | None, loaded: Loaded, today: date) -> Plan:
    """Which checks' findings from the last run still hold (see the module's
    docstring). Never raises: a missing or damaged memo keeps nothing."""
    if folder is None or loaded.cache is None:
        return Plan()
    try:
        stored = load_private(folder / MEMO)  # None when missing, damaged or refused
        if not isinstance(stored, dict) or stored.get("fingerprint") != fingerprint():
            return Plan()
        stamps: dict[str, Any] = stored["stamps"]
        blob: bytes = stored["results"]
        results: dict[str, list[Finding]] = pickle.loads(blob)
        last_day = stored["today"]
    except Exception:  # no memo yet, or one this version cannot read: run everything
        return Plan()
    if len(stamps) != len(loaded.sources):
        return Plan()
    edited: list[Source] = []
    before: list[BaseModel | None] = []
    for src in loaded.sources:
        if src.path not in stamps or src.stamp is None:
            return Plan()  # a file added, removed or unreadable
        old = stamps[src.path]
        if old == src.stamp:
            continue
        previous = loaded.cache.previous(src.path)
        if previous is None or previous[0] != old:
            return Plan()  # the parse cache moved on without this memo
        edited.append(src)
        before.append(previous[1])
    result = Plan(edited=edited)
    paths = {src.path for src in edited}
    unchanged = True
    for check in (REFERENCES, *CHECKS):
        found = results.get(check.name)
        if found is None or (check.today and last_day != today):
            unchanged = False
            continue
        touched = [src for src, old in zip(edited, before, strict=True) if _differs(check, src, old)]
        if not touched:
            result.kept[check.name] = moved(found, edited)
            unchanged = unchanged and result.kept[check.name] is found
        elif check.local and all(src.kind is not Kind.SCHEME for src in touched):
            # findings about the edited entities are made again; the rest stand
            result.kept[check.name] = [f for f in found if f.path not in paths]
            result.only[check.name] = {
                kind: {src.id for src in edited if src.kind is kind} for kind in check.reads if kind is not Kind.SCHEME
            }
        unchanged = unchanged and result.keeps(check)
    if unchanged and results.keys() == result.kept.keys():
        result.stored = blob
    return result


def _differs(check: Check, src: Source, old: BaseModel | None) -> bool:
    """Whether an edit changed anything ``check`` reads in this file. Values
    are compared with their types and order (``_form``), not by ``==``: a
    check may treat values equal in Python differently (``0`` and ``False``,
    ``1`` and ``1.0`` as sustainability facts) or show a mapping's order."""
    if src.kind not in check.reads:
        return False
    new = src.model
    if old is None or new is None:
        return old is not new
    fields = check.reads[src.kind]
    if fields is None:
        return form(old) != form(new)
    return any(form(getattr(old, f)) != form(getattr(new, f)) for f in fields)


def save(
    folder: Path | None,
    loaded: Loaded,
    today: date,
    results: dict[str, list[Finding]],
    kept: Plan | None = None,
    outcome: Outcome | None = None,
) -> str | None:
    """Remember this run's findings by check, with the stamps they hold for
    (``kept``: the plan they were kept by, whose stored form is written back
    when nothing changed), and the rest of its ``outcome`` for replaying
    (``replay``). Returns a note for the user when the memo cannot be written."""
    if folder is None or loaded.cache is None or outcome is None:
        return None
    if any(src.stamp is None for src in loaded.sources):
        return None  # an unreadable file: nothing to vouch for next time
    blob = (
        kept.stored
        if kept is not None
        and kept.stored is not None
        and results.keys() == kept.kept.keys()
        and all(results[name] is kept.kept[name] for name in results)
        else pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)
    )
    # a racy file's version is its content hash (see loader.RACY_NS): it
    # counts as edited next time, and the parse cache must hold that very
    # version for its model to be compared.
    # An optimisation: a read-only cache folder must not fail validation.
    return write_memo(folder, today, {src.path: src.stamp for src in loaded.sources}, blob, outcome)
