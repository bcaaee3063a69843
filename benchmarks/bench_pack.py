"""Benchmark `ea pack` on the synthetic repository with a governance layer.

The repository is benchmarks/synth.py's (about 13,000 files) with its
governance layer: 2,000 proposals across twelve Digital Group meetings,
1,000 decisions, and the principles and corporate priorities they cite. Timed, each as its own process, for the
busiest meeting:

- ``ea pack --meeting DATE -o papers.html`` with the parse cache warm (the
  target's case: an architect preparing the papers);
- the same with an empty cache (a fresh checkout);
- Markdown instead of HTML, cache warm.

It prints medians of wall and CPU time (the machine may be shared) against
the target (under 2 s).

    .venv/bin/python benchmarks/bench_pack.py [--runs 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synth import generate
from benchmarks.timing import print_medians, timed
from generator.catalog.loader import RACY_NS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="Reuse or keep the synthetic repository at this path.")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ea-bench-pack-"))
    repo = args.keep or work / "repo"
    if not (repo / "proposals").is_dir():
        t = time.perf_counter()
        generate(repo, proposals=2000, decisions=1000)
        print(f"generated {repo} in {time.perf_counter() - t:.1f} s")
        # files written just before a run are "racily clean" to the parse
        # cache and parsed again by the next run too: a fresh repository's
        # first warm run would pay for a quarter of the files
        time.sleep(RACY_NS / 1e9)
    meetings = Counter(
        line.split(":", 1)[1].strip().strip("'\"")
        for p in (repo / "proposals").rglob("*.md")
        for line in p.read_text(encoding="utf-8").splitlines()
        if line.startswith("meeting:")
    )
    meeting, taken = meetings.most_common(1)[0]
    files = sum(1 for _ in repo.rglob("*.md"))
    counts = {f: sum(1 for _ in (repo / f).rglob("*.md")) for f in ("proposals", "architecture/decisions")}
    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "generator"), quiet=1)
    env = dict(os.environ, EA_CACHE_DIR=str(work / "cache"))
    base = [sys.executable, "-m", "generator", "pack", "-C", str(repo), "--meeting", meeting, "--today", "2027-06-01"]
    html_cmd = [*base, "-o", str(work / "papers.html")]
    md_cmd = [*base, "-o", str(work / "papers.md")]
    timed(html_cmd, env)  # fill the cache
    warm, cold, md = [], [], []
    for _ in range(args.runs):
        warm.append(timed(html_cmd, env))
        md.append(timed(md_cmd, env))
        shutil.rmtree(work / "cache", ignore_errors=True)
        cold.append(timed(html_cmd, env))
    print(
        f"files: {files} ({counts['proposals']} proposals, {counts['architecture/decisions']} decisions)   "
        f"meeting {meeting} takes {taken} requests   runs: {args.runs}   cores: {os.cpu_count()}"
    )
    print_medians(
        [
            ("ea pack -o papers.html, cache warm:", warm),
            ("ea pack -o papers.md, cache warm:", md),
            ("ea pack -o papers.html, empty cache:", cold),
        ],
        "2 s",
        38,
    )
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
