"""The validation pipeline: load, resolve, check; findings reported once."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.catalog import Catalog, build_catalog
from generator.checks import run_checks
from generator.findings import Finding, sort_findings
from generator.loader import load, memo_dir


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
    try:
        loaded = load(Path(root), use_cache=use_cache)
        catalog, findings = build_catalog(loaded)
        if use_cache:
            catalog.memo_dir = memo_dir(loaded.root)
        findings = loaded.findings + findings
        findings += run_checks(catalog, today or date.today())
        loaded.save_cache()
    finally:
        if enabled:
            gc.enable()
    return Result(catalog=catalog, findings=sort_findings(findings))
