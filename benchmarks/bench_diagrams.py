"""Benchmark the site's diagrams on a synthetic repository.

Renders every diagram the site shows (a context diagram per application, a
rationalisation diagram per capability, the estate map and the heat maps),
cold (empty SVG cache) and again with nothing changed, and prints median
figures. Targets for 2,000 applications: under 20 s cold, under 2 s warm.

    .venv/bin/python benchmarks/bench_diagrams.py [--applications 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synth import generate
from generator.checks.validate import validate
from generator.diagrams import site_jobs
from generator.diagrams.render import render


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ea-diagrams-"))
    try:
        repo = work / "repo"
        generate(
            repo,
            applications=args.applications,
            capabilities=max(50, args.applications // 5),
            vendors=max(20, args.applications // 10),
        )
        catalog = validate(repo, use_cache=False).catalog
        t = time.perf_counter()
        jobs = site_jobs(catalog)
        build = time.perf_counter() - t
        engines = {e: sum(1 for j in jobs if j.engine == e) for e in sorted({j.engine for j in jobs})}
        cold, warm = [], []
        for _ in range(args.runs):
            cache = work / "svg-cache"
            shutil.rmtree(cache, ignore_errors=True)
            t = time.perf_counter()
            svgs = render(jobs, cache_dir=cache)
            cold.append(time.perf_counter() - t)
            t = time.perf_counter()
            again = render(site_jobs(catalog), cache_dir=cache)
            warm.append(time.perf_counter() - t)
            assert again == svgs, "a cached render differs from the first"
        notes = sum(1 for s in svgs.values() if "too large to draw" in s[:600])
        print(f"applications: {args.applications}   diagrams: {len(jobs)} {engines}   cores: {os.cpu_count()}")
        print(f"graphs and DOT written in {build:.2f} s")
        print(f"render, cold cache:   median {statistics.median(cold):.2f} s (target < 20 s)")
        print(f"render, nothing new:  median {statistics.median(warm):.2f} s (target < 2 s, includes writing DOT)")
        print(f"diagrams replaced by a 'too large' note: {notes}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
