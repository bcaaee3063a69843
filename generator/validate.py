"""The validation pipeline: load, resolve, check; findings reported once."""

from __future__ import annotations

import gc
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.catalog import Catalog, build_catalog
from generator.checks import name_keys, near_pairs, run_checks
from generator.findings import Finding, sort_findings
from generator.loader import load, memo_dir
from generator.model import Kind


@dataclass
class Result:
    catalog: Catalog
    findings: list[Finding]


def validate(root: Path, *, today: date | None = None, use_cache: bool = True) -> Result:
    """Validate the repository at ``root``. ``today`` is injectable so date
    rules (ended contracts, stale assessments) are testable."""
    # The pipeline allocates millions of small, long-lived objects; the cyclic
    # garbage collector would rescan them all repeatedly (a third of a cold run)
    # and there is no garbage cycle to find here.
    enabled = gc.isenabled()
    gc.disable()
    pool = ThreadPoolExecutor(1)
    try:
        loaded = load(Path(root), use_cache=use_cache)
        memo = memo_dir(loaded.root) if use_cache else None
        # The fuzzy name comparison (EA160) is the largest single cost of a
        # cold run and runs in C++ without the GIL: start it now, on every
        # application loaded, so it overlaps resolving references and the
        # other checks.
        apps = [s.model for s in loaded.sources if s.kind is Kind.APPLICATION and s.model is not None]
        pairs = pool.submit(near_pairs, name_keys(apps), memo)  # type: ignore[arg-type]
        catalog, findings = build_catalog(loaded)
        catalog.memo_dir = memo
        catalog.name_pairs = pairs
        findings = loaded.findings + findings
        findings += run_checks(catalog, today or date.today())
        catalog.name_pairs = None  # done with; the catalog stays a plain value
        loaded.save_cache()
        result = Result(catalog=catalog, findings=sort_findings(findings))
    finally:
        pool.shutdown(wait=True)
        if enabled:
            gc.enable()
    return result
