"""Benchmark validation against pull requests built to exhaust CI.

Two attacks, each at growing sizes, so the figures show how the cost grows:

- **Near-duplicate flood**: N applications named like "Civica Pay Westmere
  Instance 00042", every pair of which is a near-duplicate (N² / 2 pairs).
  Printed: wall-clock time and peak memory of `ea validate --format json`,
  the number of EA160 findings and the size of the JSON report. Findings are
  one per file and at most ``similar.max_pairs`` pairs are kept (the scores
  are still computed for every pair, in C++), so time and memory grow about
  linearly past the limit.
- **Parent cycle**: N capabilities in one ring (each the parent of the next),
  timed in `check_parent_cycles` alone on a loaded catalog; the ratio of
  each time to the one before shows the growth (2 for linear, 4 for
  quadratic, per doubling).

    .venv/bin/python benchmarks/bench_hostile.py [--names 1500 3000 10000] [--cycle 5000 10000 20000] [--runs 3]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TODAY = date(2026, 6, 1)
EA = Path(sys.executable).with_name("ea")

ORG = "---\nname: Finance\ntype: service\n---\n"
CAP = "---\nname: {name}\nowner: finance\n{parent}---\n"
APP = (
    "---\nname: {name}\ncapabilities: [payments]\nowner: finance\nlifecycle: active\nhosting: saas\n"
    "sustainability:\n  assessed: 2026-01-15\n---\nTakes payments.\n"
)
SCHEME = (
    "---\nname: Scheme\ncriteria:\n  - {id: hosting, name: Hosting, fact: hosting, points: {saas: 4}, otherwise: 0}\n"
    "bands:\n  - {rating: A, min_score: 0}\n---\n"
)


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def flood(root: Path, names: int) -> None:
    _write(root, "architecture/organisations/finance.md", ORG)
    _write(root, "architecture/sustainability.md", SCHEME)
    _write(root, "capabilities/payments.md", CAP.format(name="Payments", parent=""))
    for i in range(names):
        _write(root, f"applications/civica-pay-{i:05d}.md", APP.format(name=f"Civica Pay Westmere Instance {i:05d}"))


def ring(root: Path, size: int) -> None:
    _write(root, "architecture/organisations/finance.md", ORG)
    for i in range(size):
        parent = f"parent: cap-{(i + 1) % size:05d}\n"
        _write(root, f"capabilities/cap-{i:05d}.md", CAP.format(name=f"Capability {i:05d}", parent=parent))


def run_flood(sizes: list[int], runs: int) -> None:
    print("Near-duplicate flood: ea validate --no-cache --format json")
    print(f"{'names':>7} {'pairs':>10} {'median s':>9} {'peak MB':>8} {'EA160':>7} {'report KB':>10}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "repo"
            flood(root, n)
            out = Path(tmp) / "report.json"
            times, peaks = [], []
            for _ in range(runs):
                cmd = [str(EA), "validate", str(root), "--no-cache", "--format", "json", "-o", str(out)]
                cmd += ["--today", TODAY.isoformat()]
                before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
                start = time.perf_counter()
                subprocess.run(cmd, check=False, capture_output=True, env={**os.environ, "EA_CACHE_DIR": tmp})
                times.append(time.perf_counter() - start)
                peaks.append(max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before))
            findings = json.loads(out.read_text(encoding="utf-8"))["findings"]
            near = sum(1 for f in findings if f["code"] == "EA160")
            print(
                f"{n:>7} {n * (n - 1) // 2:>10} {statistics.median(times):>9.2f} {max(peaks) / 1024:>8.0f} "
                f"{near:>7} {out.stat().st_size / 1024:>10.0f}"
            )
    print("(peak MB is the largest child process so far: it can only grow down the table)")


def run_cycle(sizes: list[int], runs: int) -> None:
    from generator.catalog.catalog import build_catalog
    from generator.catalog.loader import load
    from generator.checks.rules import check_parent_cycles

    print("\nParent cycle: check_parent_cycles on N capabilities in one ring")
    print(f"{'size':>7} {'median s':>9} {'ratio to previous':>18}  (median of at least 7 runs)")
    previous = None
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "repo"
            ring(root, n)
            catalog, _ = build_catalog(load(root, use_cache=False))
            times = []
            gc.collect()
            gc.disable()  # milliseconds: a collection in the middle would be most of one
            try:
                for _ in range(max(runs, 7)):
                    start = time.perf_counter()
                    found = check_parent_cycles(catalog, TODAY)
                    times.append(time.perf_counter() - start)
            finally:
                gc.enable()
            assert [f.code for f in found] == ["EA140"], found
            median = statistics.median(times)
            ratio = f"{median / previous:.2f}" if previous else "-"
            print(f"{n:>7} {median:>9.4f} {ratio:>18}")
            previous = median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--names", type=int, nargs="*", default=[1500, 3000, 10000])
    parser.add_argument("--cycle", type=int, nargs="*", default=[5000, 10000, 20000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.names:
        run_flood(args.names, args.runs)
    if args.cycle:
        run_cycle(args.cycle, args.runs)


if __name__ == "__main__":
    main()
