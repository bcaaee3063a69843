"""Benchmark `ea build` on a synthetic repository and on the example council.

Each run is a cold build in a fresh process (empty parse cache, no previous
site), timed from the outside like a person or CI would see it. Prints the
median of the runs, the number of pages, the size of the site and the peak
memory, then the same for the example council in this checkout.

    .venv/bin/python benchmarks/bench_site.py [--applications 2000] [--runs 3]

Targets on a 2-core machine: 2,000 applications (about 2,800 pages) in under
60 s with a site under 300 MB; the example council in under 15 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.synth import generate  # noqa: E402 (after the path is set)

TODAY = "2026-11-24"
CONTENT = ("applications", "capabilities", "architecture")


def build_once(repo: Path, site: Path, work: Path) -> tuple[float, int, int]:
    """(wall seconds, pages, peak memory in KB) of one cold ``ea build``."""
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(work / "cache", ignore_errors=True)
    env = dict(os.environ, EA_CACHE_DIR=str(work / "cache"))
    cmd = [sys.executable, "-m", "generator", "build", str(repo), "-d", str(site), "--today", TODAY]
    timer = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
    start = time.perf_counter()
    proc = subprocess.run([*timer, *cmd], env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    pages = next(int(w) for line in proc.stdout.splitlines() if line.startswith("Built ") for w in [line.split()[1]])
    peak = int(proc.stderr.strip().splitlines()[-1]) if timer else 0
    return elapsed, pages, peak


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1_000_000


def report(label: str, repo: Path, runs: int, work: Path) -> None:
    site = work / f"site-{label}"
    results = [build_once(repo, site, work) for _ in range(runs)]
    times = [r[0] for r in results]
    pages, peak = results[-1][1], max(r[2] for r in results)
    files = sum(1 for top in CONTENT for _ in (repo / top).rglob("*.md"))
    print(f"{label}: {files} content files, {pages} pages, {runs} cold runs")
    print(f"  build time: median {statistics.median(times):.1f} s (runs: {', '.join(f'{t:.1f}' for t in times)})")
    print(f"  site size:  {size_mb(site):.0f} MB" + (f"   peak memory: {peak / 1024:.0f} MB" if peak else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=2000)
    parser.add_argument("--capabilities", type=int, help="default: a fifth of the applications")
    parser.add_argument("--vendors", type=int, help="default: 15%% of the applications")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="Reuse or keep the synthetic repository at this path.")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="ea-bench-site-"))
    try:
        repo = args.keep or work / "repo"
        if not (repo / "applications").is_dir():
            start = time.perf_counter()
            generate(
                repo,
                applications=args.applications,
                capabilities=args.capabilities or max(1, args.applications // 5),
                vendors=args.vendors or max(1, args.applications * 3 // 20),
            )
            print(f"generated {repo} in {time.perf_counter() - start:.1f} s")
        print(f"cores: {os.cpu_count()}")
        report(f"synthetic ({args.applications} applications)", repo, args.runs, work)
        if (ROOT / "applications").is_dir():
            report("example council", ROOT, args.runs, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
