"""The validation pipeline: load, resolve, check; findings reported once."""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.catalog import loader
from generator.catalog.catalog import Catalog, build_catalog
from generator.catalog.loader import Discovery, Loaded, load
from generator.checks import incremental, similar
from generator.checks.replay import Outcome
from generator.checks.rules import CHECKS, REFERENCES, Check, check_near_duplicates, name_keys, near_pairs
from generator.core.findings import Finding, sort_findings
from generator.documents.bodylinks import check_body_links
from generator.models.model import ENTITY_KINDS, Kind


@dataclass
class Result:
    catalog: Catalog
    findings: list[Finding]
    #: at most one short note about the cache (refused or not writable)
    notes: list[str] = field(default_factory=list)


def validate(
    root: Path,
    *,
    today: date | None = None,
    use_cache: bool = True,
    loaded: Loaded | None = None,
    discovery: Discovery | None = None,
) -> Result:
    """Validate the repository at ``root``. ``today`` is injectable so date
    rules (ended contracts, stale assessments) are testable. With the cache,
    checks whose inputs no edit touched keep their findings (``incremental``).
    ``loaded``: files already read (another Git revision's, for ``diff``),
    checked in full instead of the files under ``root``; ``discovery``: the
    files under ``root`` as just found (``loader.discover``)."""
    # The pipeline allocates millions of small, long-lived objects; the cyclic
    # garbage collector would rescan them all repeatedly (a third of a cold run)
    # and there is no garbage cycle to find here.
    enabled = gc.isenabled()
    gc.disable()
    pool = ThreadPoolExecutor(1)
    elsewhere: _Elsewhere | None = None
    day = today or date.today()
    try:
        if loaded is None:
            # on a cold run, numpy (which comparing names needs) is imported
            # while the files are parsed, not after (see ``similar.prepare``)
            loaded = load(Path(root), use_cache=use_cache, discovery=discovery, meanwhile=similar.prepare)
        memo = loaded.cache.folder if loaded.cache is not None else None
        kept = incremental.plan(memo, loaded, day)
        near = next(c for c in CHECKS if c.name == check_near_duplicates.__name__)
        catalog, built = build_catalog(loaded)
        catalog.memo_dir = memo
        # On a cold run of a large repository, the checks but the name
        # comparison are shared with another process (forked before any
        # thread starts here), so they need not wait for one core.
        checks = (REFERENCES, *CHECKS)
        elsewhere = (
            _fork_checks(catalog, [c for c in checks if c is not near], day)
            if not kept.kept and len(loaded.sources) >= loader.PARALLEL_MIN_FILES
            else None
        )
        if not kept.keeps(near):
            # The fuzzy name comparison (EA160) is the largest single cost of
            # a cold run and runs in C++ without the GIL: start it now, on
            # every application loaded, so it overlaps the other checks.
            # (rapidfuzz lets go of the GIL only when it compares in threads
            # of its own: in one, it would hold up the checks.)
            apps = [s.model for s in loaded.sources if s.kind is Kind.APPLICATION and s.model is not None]
            pairs = pool.submit(near_pairs, name_keys(apps), memo)  # type: ignore[arg-type]
        # the parse cache does not depend on the checks: pickling it now (with
        # the GIL) overlaps the name comparison (without it)
        loaded.save_cache()
        findings = loaded.findings + built
        made: dict[str, list[Finding]] = {}
        if not kept.keeps(near):
            catalog.name_pairs = pairs
        made[near.name] = kept.run(near, catalog, day)
        catalog.name_pairs = None  # done with; the catalog stays a plain value
        # relative links in bodies (EA132): outside the kept checks, since
        # where a link leads depends on files that are not content
        pages = _with_pages(catalog)
        findings += check_body_links(loaded.root, pages.values(), pages, memo)
        # with another process, this one takes the checks not yet taken once
        # the names are compared (the comparison holds the GIL between calls
        # into rapidfuzz: checks here meanwhile would only slow it down)
        mine = elsewhere.claims() if elsewhere is not None else (c for c in checks if c is not near)
        for check in mine:
            made[check.name] = kept.run(check, catalog, day)
        if elsewhere is not None:
            made.update(elsewhere.get(made))
        results = {check.name: made[check.name] for check in checks}
        for found in results.values():
            findings += found
        own = {id(f) for src in loaded.sources for f in src.findings}
        outcome = Outcome(
            own={src.path: src.findings for src in loaded.sources if src.findings},
            clashes=[f for f in built if id(f) not in own],
            pages=list(pages),
            checked=len(catalog.sources),
        )
        note = incremental.save(memo, loaded, day, results, kept, outcome)
        notes = loaded.notes or ([note] if note else [])
        result = Result(catalog=catalog, findings=sort_findings(findings), notes=notes)
    finally:
        pool.shutdown(wait=True)
        if elsewhere is not None:
            elsewhere.close()
        if enabled:
            gc.enable()
    return result


_Forked = tuple[Catalog, list[Check], date, loader.Turns]
#: what a process forked to run checks runs: (catalog, checks, today, the
#: turns both processes take the checks in)
_FORKED: _Forked | None = None


def _run_checks(catalog: Catalog, checks: Iterable[Check], day: date) -> dict[str, list[Finding]]:
    return {check.name: check.run(catalog, day) for check in checks}


def _checks_in_fork() -> dict[str, list[Finding]]:
    gc.disable()
    assert _FORKED is not None
    catalog, checks, day, turn = _FORKED
    return _run_checks(catalog, loader.claims(checks, turn), day)


class _Elsewhere:
    """Checks shared with a forked process, and its findings once done (if
    that process dies, the checks it took are run here instead:
    ``loader.worker_result``)."""

    def __init__(self, pool: ProcessPoolExecutor, pending: Future[dict[str, list[Finding]]], forked: _Forked) -> None:
        self.pool = pool
        self.pending = pending
        self.forked = forked

    def claims(self) -> Iterator[Check]:
        """The checks for this process to run (see ``loader.claims``)."""
        _, checks, _, turn = self.forked
        return loader.claims(checks, turn)

    def get(self, here: dict[str, list[Finding]]) -> dict[str, list[Finding]]:
        """The other process's findings by check: every check not in ``here``."""
        catalog, checks, day, _ = self.forked
        rest = [check for check in checks if check.name not in here]
        result: dict[str, list[Finding]] = loader.worker_result(self.pending, lambda: _run_checks(catalog, rest, day))
        return result

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.forked[3].close()


def _fork_checks(catalog: Catalog, checks: list[Check], day: date) -> _Elsewhere | None:
    """Share ``checks`` with a forked copy of this process, or None where
    that cannot be done safely or usefully: one core, no ``fork``, or threads
    already running in this process (forking them is unsafe: ``ea serve``)."""
    global _FORKED
    if (os.cpu_count() or 1) < 2 or not loader.can_fork() or threading.active_count() > 1:
        return None
    similar.prepare()  # both processes compare names: import once, here
    try:
        turn = loader.Turns(len(checks))
    except OSError:  # no pipe to be had (out of file descriptors)
        return None
    try:
        forked = _FORKED = (catalog, checks, day, turn)
        pool = loader.workers_pool()
        pending = pool.submit(_checks_in_fork)  # the fork happens here, with the catalog in place
    except OSError:  # no processes to be had
        turn.close()
        return None
    finally:
        _FORKED = None
    return _Elsewhere(pool, pending, forked)


def _with_pages(catalog: Catalog) -> dict[str, object]:
    """The sources the site gives a page (and renders the body of), by path."""
    out: dict[str, object] = {}
    for (kind, id_), src in catalog.sources.items():
        if (kind in ENTITY_KINDS and id_ in catalog.of(kind)) or (kind is Kind.SCHEME and catalog.scheme is not None):
            out[src.path] = src
    return out
