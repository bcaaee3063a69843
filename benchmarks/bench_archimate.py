"""Benchmark the ArchiMate export with and without its views.

Exports the example council (when its content folders are there) and a
synthetic repository, each as a model only (``views=False``) and with every
view laid out by Graphviz, and prints median times, the file sizes, how many
views, nodes and connections the file holds, and any view left out. Catalogs
are validated once beforehand: the figures are the export's own. No target is
set; the figures say what views cost.

    .venv/bin/python benchmarks/bench_archimate.py [--applications 2000] [--runs 3]
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
from generator.catalog.catalog import Catalog
from generator.checks.validate import validate
from generator.interop.archimate import exchange

ROOT = Path(__file__).resolve().parents[1]


def report(label: str, catalog: Catalog, runs: int) -> None:
    plain, full = [], []
    for _ in range(runs):
        t = time.perf_counter()
        model_only = exchange(catalog, name=label, views=False)
        plain.append(time.perf_counter() - t)
        t = time.perf_counter()
        made = exchange(catalog, name=label)
        full.append(time.perf_counter() - t)
    print(f"{label}: {len(catalog.applications)} applications, {len(catalog.capabilities)} capabilities")
    print(f"  model only:  median {statistics.median(plain):.2f} s, {len(model_only.data) / 1e6:.2f} MB")
    print(
        f"  with views:  median {statistics.median(full):.2f} s, {len(made.data) / 1e6:.2f} MB; "
        f"{made.views} views, {made.nodes} nodes, {made.connections} connections"
    )
    for note in made.notes:
        print(f"  note: {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}   runs: {args.runs}")
    if (ROOT / "applications").is_dir():
        report("example council", validate(ROOT, use_cache=False).catalog, args.runs)
    work = Path(tempfile.mkdtemp(prefix="ea-archimate-"))
    try:
        repo = work / "repo"
        generate(
            repo,
            applications=args.applications,
            capabilities=max(50, args.applications // 5),
            vendors=max(20, args.applications // 10),
        )
        report("synthetic", validate(repo, use_cache=False).catalog, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
