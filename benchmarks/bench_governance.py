"""What the governance layer costs a cold validation, in CPU time.

Wall-clock ratios (``bench_validate.py``) move with whatever else the machine
is running; CPU time of one process much less. This script measures, in one
process and with no cache, for the estate's files and the governance files
separately: the bare parse (PyYAML's C loader, as ``bench_validate``'s floor),
ea's parse and validation of the same files (``loader.parse_file``), and the
time of each governance check on the whole catalog, then prints the ratios.
The governance layer keeps cold validation within its target when its own
ratio is no higher than the estate's.

    .venv/bin/python benchmarks/bench_governance.py [--keep DIR] [--proposals 2000] [--decisions 1000]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synth import generate
from generator.catalog.catalog import build_catalog
from generator.catalog.loader import _discover, load, parse_file
from generator.checks.governance import GOVERNANCE
from generator.checks.rules import CHECKS
from generator.models.model import GOVERNANCE_KINDS, Kind

TODAY = date(2026, 11, 24)


def cpu(fn, *args):  # type: ignore[no-untyped-def]
    """CPU seconds of one call (this process only), and its result."""
    start = time.process_time()
    out = fn(*args)
    return time.process_time() - start, out


def floor(paths: list[str]) -> None:
    for path in paths:
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read()
        yaml.load(text.split("\n---\n", 1)[0][4:], Loader=yaml.CSafeLoader)


def parse(works: list[tuple[Kind, str, str, str]]) -> None:
    for work in works:
        parse_file(work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--capabilities", type=int, default=2_000)
    parser.add_argument("--vendors", type=int, default=1_000)
    parser.add_argument("--proposals", type=int, default=2_000)
    parser.add_argument("--decisions", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="Reuse or keep the synthetic repository at this path.")
    args = parser.parse_args()
    repo = args.keep or Path(tempfile.mkdtemp(prefix="ea-bench-gov-")) / "repo"
    if not (repo / "proposals").is_dir():
        generate(
            repo,
            applications=args.applications,
            capabilities=args.capabilities,
            vendors=args.vendors,
            proposals=args.proposals,
            decisions=args.decisions,
        )
    gc.disable()
    found = list(_discover(repo.resolve(), []))
    works = {True: [], False: []}  # type: dict[bool, list[tuple[Kind, str, str, str]]]
    for kind, rel, full, _ in found:
        works[kind in GOVERNANCE_KINDS].append((kind, rel.rsplit("/", 1)[-1][:-3], rel, full))
    figures: dict[str, list[float]] = {}
    for _ in range(args.runs):
        for gov, label in ((False, "estate"), (True, "governance")):
            paths = [w[3] for w in works[gov]]
            figures.setdefault(f"{label} floor", []).append(cpu(floor, paths)[0])
            figures.setdefault(f"{label} parse", []).append(cpu(parse, works[gov])[0])
    loaded = load(repo, use_cache=False, workers=1)
    catalog, _ = build_catalog(loaded)
    refs = cpu(catalog.reference_findings)[0]
    checks = {c.name: cpu(c.run, catalog, TODAY)[0] for c in CHECKS}
    governance = sum(checks[run.__name__] for run, *_ in GOVERNANCE)
    med = {k: statistics.median(v) for k, v in figures.items()}
    counts = f"{len(works[False])} estate, {len(works[True])} governance"
    print(f"files: {counts}   runs: {args.runs} (CPU seconds, medians)")
    for label in ("estate", "governance"):
        f, p = med[f"{label} floor"], med[f"{label} parse"]
        print(f"{label:<11} bare parse {f:6.2f} s   ea parse and validate {p:6.2f} s   = {p / f:.2f} x")
    total = sum(checks.values())
    print(f"reference pass (all kinds): {refs:.2f} s; checks: {total:.2f} s, of which governance {governance:.3f} s")
    for run, *_ in GOVERNANCE:
        print(f"  {run.__name__:<28} {checks[run.__name__] * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
