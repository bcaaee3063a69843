"""Benchmark planning an application import whose names share one slug.

Every name ("Civica !?#*+", "Civica ?!#*+"...) becomes the id ``civica``, so
each row needs the next free suffix: allocation that searched from ``-2``
every time was quadratic (25 s for 10,000 names). Prints the median time to
plan imports of N and 2N such names and their ratio (about 2 when linear,
about 4 when quadratic).

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


def median_seconds(root: Path, source: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        plan = plan_applications(root, source)
        times.append(time.perf_counter() - start)
        assert not plan.skipped
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
        print(f"plan {args.names:,} names with one slug: median {small:.2f} s")
        print(f"plan {2 * args.names:,} names with one slug: median {large:.2f} s")
        print(f"ratio {large / small:.2f} (2 is linear, 4 quadratic)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
