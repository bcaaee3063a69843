"""The validation pipeline: load, resolve, check; findings reported once."""

from __future__ import annotations

import gc
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator import incremental
from generator.catalog import Catalog, build_catalog
from generator.checks import CHECKS, REFERENCES, check_near_duplicates, name_keys, near_pairs
from generator.findings import Finding, sort_findings
from generator.loader import Loaded, load, memo_dir
from generator.model import Kind


@dataclass
class Result:
    catalog: Catalog
    findings: list[Finding]


def validate(
    root: Path, *, today: date | None = None, use_cache: bool = True, loaded: Loaded | None = None
) -> Result:
    """Validate the repository at ``root``. ``today`` is injectable so date
    rules (ended contracts, stale assessments) are testable. With the cache,
    checks whose inputs no edit touched keep their findings (``incremental``).
    ``loaded``: files already read (another Git revision's, for ``diff``),
    checked in full instead of the files under ``root``."""
    # The pipeline allocates millions of small, long-lived objects; the cyclic
    # garbage collector would rescan them all repeatedly (a third of a cold run)
    # and there is no garbage cycle to find here.
    enabled = gc.isenabled()
    gc.disable()
    pool = ThreadPoolExecutor(1)
    day = today or date.today()
    try:
        if loaded is None:
            loaded = load(Path(root), use_cache=use_cache)
        memo = memo_dir(loaded.root) if use_cache else None
        kept = incremental.plan(memo, loaded, day)
        near = next(c for c in CHECKS if c.name == check_near_duplicates.__name__)
        if not kept.keeps(near):
            # The fuzzy name comparison (EA160) is the largest single cost of
            # a cold run and runs in C++ without the GIL: start it now, on
            # every application loaded, so it overlaps the other checks.
            apps = [s.model for s in loaded.sources if s.kind is Kind.APPLICATION and s.model is not None]
            pairs = pool.submit(near_pairs, name_keys(apps), memo)  # type: ignore[arg-type]
        catalog, findings = build_catalog(loaded)
        findings = loaded.findings + findings
        results: dict[str, list[Finding]] = {}
        catalog.memo_dir = memo
        for check in (REFERENCES, *CHECKS):
            if check is near and not kept.keeps(check):
                catalog.name_pairs = pairs
            results[check.name] = kept.run(check, catalog, day)
        catalog.name_pairs = None  # done with; the catalog stays a plain value
        for found in results.values():
            findings += found
        loaded.save_cache()
        incremental.save(memo, loaded, day, results)
        result = Result(catalog=catalog, findings=sort_findings(findings))
    finally:
        pool.shutdown(wait=True)
        if enabled:
            gc.enable()
    return result
