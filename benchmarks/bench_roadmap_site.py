"""What the roadmap pages add to a site build, measured in this process so the
figure holds on a busy machine: the CPU time of generating the site's pages
with and without the roadmap section (3 runs each, medians), and of the
roadmap section alone, on the synthetic repository (with its plan: dates on
about half the applications, milestones, carbon evidence).

    .venv/bin/python benchmarks/bench_roadmap_site.py [--applications 2000] [--runs 3]

The whole build, timed from outside, is benchmarks/bench_site.py (target:
2,000 applications in under 25 s and 300 MB on 2 cores).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.synth import generate  # noqa: E402 (after the path is set)
from generator.checks.validate import validate  # noqa: E402
from generator.site import generate as site  # noqa: E402
from generator.site import roadmap  # noqa: E402
from generator.site.context import SiteContext  # noqa: E402

TODAY = date(2026, 11, 24)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ea-bench-roadmap-site-"))
    try:
        repo = work / "repo"
        n = args.applications
        generate(repo, applications=n, capabilities=max(1, n // 5), vendors=max(1, n * 3 // 20))
        result = validate(repo, today=TODAY, use_cache=False)
        every = site.SECTIONS
        without = tuple(s for s in every if s.name != "roadmap")
        for label, sections in (("without the roadmap", without), ("with the roadmap", every)):
            cpu = []
            for _ in range(args.runs):
                ctx = SiteContext.create(result.catalog, result.findings, TODAY)
                start = time.process_time()
                docs = site.generate_docs(ctx, sections)
                cpu.append(time.process_time() - start)
            pages = sum(1 for p in docs if p.endswith(".md"))
            runs = ", ".join(f"{c:.2f}" for c in cpu)
            print(f"{n} applications, pages {label}: {pages}; CPU median {statistics.median(cpu):.2f} s ({runs})")
        ctx = SiteContext.create(result.catalog, result.findings, TODAY)
        start = time.process_time()
        docs = dict(roadmap.generate(ctx))
        size = sum(len(v) for v in docs.values()) / 1e6
        print(f"roadmap section alone: {len(docs)} pages, {size:.1f} MB, CPU {time.process_time() - start:.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
