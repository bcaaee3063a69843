"""Benchmark planning an application import whose names share one slug.

Every name ("Civica !?#*+", "Civica ?!#*+"...) becomes the id ``civica``, so
each row needs the next free suffix: allocation that searched from ``-2``
every time was quadratic (25 s for 10,000 names). Prints the median time to
plan imports of N and 2N such names and their ratio (about 2 when linear,
about 4 when quadratic); then the same for a chain of rows each depending on
the one before, the first on an application nobody knows (every row is
reported, by following the dependants once).

    .venv/bin/python benchmarks/bench_import.py [--names 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.interop.applications import plan_applications

SYMBOLS = "!?#*+=~^"


def register(path: Path, count: int) -> Path:
    names = ["Civica " + "".join(SYMBOLS[(i >> (3 * k)) & 7] for k in range(6)) for i in range(count)]
    rows = "".join(f"{name},,Revenues,Council tax,Live,SaaS\n" for name in names)
    path.write_text("Name,Supplier,Service area,Capability,Status,Hosting\n" + rows, encoding="utf-8")
    return path


def chain(path: Path, count: int) -> Path:
    """Each row depends on the one before; the first on an unknown application."""
    rows = [f"App {i},Revenues,Council tax,Live,SaaS,{f'App {i - 1}' if i else 'Ghost'}\n" for i in range(count)]
    path.write_text("Name,Service area,Capability,Status,Hosting,Depends on\n" + "".join(rows), encoding="utf-8")
    return path


def median_seconds(root: Path, source: Path, runs: int, *, skipped: bool = False) -> float:
    """Median CPU seconds of this process (on a shared machine, wall time
    measures the neighbours as much as the code)."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        plan = plan_applications(root, source)
        times.append(time.process_time() - start)
        assert bool(plan.skipped) is skipped
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--names", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ea-import-"))
    try:
        root = work / "repo"
        root.mkdir()
        small = median_seconds(root, register(work / "small.csv", args.names), args.runs)
        large = median_seconds(root, register(work / "large.csv", 2 * args.names), args.runs)
        print(f"plan {args.names:,} names with one slug: median {small:.2f} s CPU")
        print(f"plan {2 * args.names:,} names with one slug: median {large:.2f} s CPU")
        print(f"ratio {large / small:.2f} (2 is linear, 4 quadratic)")
        small = median_seconds(root, chain(work / "chain-small.csv", args.names // 4), args.runs, skipped=True)
        large = median_seconds(root, chain(work / "chain-large.csv", args.names // 2), args.runs, skipped=True)
        print(f"plan a chain of {args.names // 4:,} dependants on a missing application: median {small:.2f} s CPU")
        print(f"plan a chain of {args.names // 2:,} dependants on a missing application: median {large:.2f} s CPU")
        print(f"ratio {large / small:.2f} (2 is linear, 4 quadratic)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
