"""Benchmark `ea report roadmap` on a synthetic repository (10,000
applications by default, with dates, milestones and carbon evidence).

Prints the median wall-clock time of the whole command (`--format json` and
`md`, a warm parse cache, as after any earlier `ea` run), and, in this
process, the medians of its stages: validation, the roadmap itself and
rendering (with the cyclic garbage collector off, as in the ``ea`` process).
The target is under 5 seconds for the command.

    .venv/bin/python benchmarks/bench_roadmap.py [--applications 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import compileall
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synth import generate

TODAY = "2026-11-24"


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "generator"), quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        generate(
            root, applications=args.applications, capabilities=args.applications // 5, vendors=args.applications // 10
        )
        env = {**os.environ, "EA_CACHE_DIR": str(Path(tmp) / "cache")}
        os.environ["EA_CACHE_DIR"] = env["EA_CACHE_DIR"]
        base = [sys.executable, "-m", "generator", "report", "roadmap", str(root), "--today", TODAY]
        timed([*base, "--format", "json", "-o", str(Path(tmp) / "warm.json")], env)  # fills the parse cache
        for fmt in ("json", "md"):
            out = str(Path(tmp) / f"roadmap.{fmt}")
            runs = [timed([*base, "--format", fmt, "-o", out], env) for _ in range(args.runs)]
            print(
                f"ea report roadmap --format {fmt} ({args.applications:,} applications): "
                f"median {statistics.median(runs):.2f} s over {args.runs} runs "
                f"(min {min(runs):.2f}, max {max(runs):.2f})"
            )

        from generator.analysis.render import render_json
        from generator.analysis.roadmap import roadmap_report
        from generator.checks.validate import validate

        day = date.fromisoformat(TODAY)
        gc.disable()  # as the ea process runs a report
        stages: dict[str, list[float]] = {"validate": [], "roadmap": [], "render json": []}
        for _ in range(args.runs):
            t0 = time.perf_counter()
            result = validate(root, today=day)
            t1 = time.perf_counter()
            report = roadmap_report(result.catalog, day, result.findings)
            t2 = time.perf_counter()
            render_json(report)
            t3 = time.perf_counter()
            stages["validate"].append(t1 - t0)
            stages["roadmap"].append(t2 - t1)
            stages["render json"].append(t3 - t2)
        print(
            "in-process medians: "
            + ", ".join(f"{name} {statistics.median(values):.2f} s" for name, values in stages.items())
        )
        print(
            f"the report: {len(report.events):,} events, {len(report.trajectory)} quarters, "
            f"{len(report.milestones)} milestones, {len(report.carbon):,} carbon rows"
        )


if __name__ == "__main__":
    main()
