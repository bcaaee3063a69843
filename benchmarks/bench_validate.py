"""Benchmark `ea validate --format json` on two synthetic repositories.

Prints median wall-clock figures for a cold run (empty cache) and re-runs
after one file changed, their ratio to the practical floor (a bare
single-process parse of the same frontmatter with PyYAML's C loader), and the
peak memory of the validating process. The ratios are medians of paired
ratios (each run against the floor measured just before it), which a shared,
noisy machine disturbs less than a ratio of medians. Processor time (user and
system, with the worker processes) is shown beside wall time: on a busy
machine the workers get no core of their own, and processor time tells a
change in the work done from a change in the machine's load.

Two repositories of the same size are measured: one as curated over time (few
findings) and one as just after importing a register (most files have a
finding: no sustainability assessment, ``migrate`` without ``replaced_by``,
near-duplicate names), where what each finding costs shows.

A re-run keeps the findings of every check whose fields the edit did not touch
(``generator/checks/incremental.py``), so its time depends on what was edited. Three
edits of one application are timed: its page text (the target's case: the
last run's findings are replayed, ``generator/checks/replay.py``, reading only
the edited file), its name (the catalog is loaded and the name checks run
again) and its lifecycle (the checks that read it run again).

The package's bytecode is compiled first, as an installed package's is: with
PYTHONDONTWRITEBYTECODE set, as on this machine, an editable install would
otherwise compile every module again on every run.

    .venv/bin/python benchmarks/bench_validate.py [--applications 10000] [--runs 5] [--only imported]

With ``--proposals 2000 --decisions 1000`` the repositories also have a
governance layer (priorities, principles, proposals and decisions), whose
checks are part of the cold run.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synth import generate
from benchmarks.timing import timed

FLOOR = """
import os, sys, yaml
for dirpath, _, names in os.walk(sys.argv[1]):
    for name in names:
        if name.endswith(".md"):
            with open(os.path.join(dirpath, name), encoding="utf-8-sig") as fh:
                text = fh.read()
            yaml.load(text.split("\\n---\\n", 1)[0][4:], Loader=yaml.CSafeLoader)
"""


def peak_kb(cmd: list[str], env: dict[str, str]) -> int:
    """Peak RSS of a command, read with GNU time when present, else via resource."""
    if Path("/usr/bin/time").exists():
        out = subprocess.run(
            ["/usr/bin/time", "-f", "%M", *cmd], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
        )
        return int(out.stderr.decode().strip().splitlines()[-1])
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=False)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


#: The two repositories measured: as curated over time (few findings) and as
#: just after importing a register (most files have a finding, so the cost of
#: each finding shows). Both have the same files and sizes.
PROFILES = {"curated": False, "imported": True}


def measure(repo: Path, cache: Path, runs: int) -> dict[str, Any]:
    """Time the floor, a cold run and three one-edit re-runs, ``runs`` times
    interleaved (so a busy spell slows all alike); each run's ratio is to the
    floor measured just before it."""
    env = dict(os.environ, EA_CACHE_DIR=str(cache))
    ea = [sys.executable, "-m", "generator", "validate", str(repo), "--today", "2026-11-24", "--format", "json"]
    floor_cmd = [sys.executable, "-c", FLOOR, str(repo)]
    victim = next(iter(sorted((repo / "applications").rglob("*.md"))))
    original = victim.read_text(encoding="utf-8")
    name = re.search(r"^name: (.*)$", original, re.M)
    lifecycle = re.search(r"^lifecycle: (.*)$", original, re.M)
    assert name and lifecycle, f"{victim} has no name or lifecycle line"
    edits = {
        "page text": lambda i: original.replace("synthetic application", f"synthetic application (run {i})"),
        "name": lambda i: original.replace(name[0], f"{name[0]} (run {i})"),
        "lifecycle": lambda i: original.replace(lifecycle[0], "lifecycle: " + ("retired" if i % 2 else "proposed")),
    }
    floor: list[tuple[float, float]] = []
    cold: list[tuple[float, float]] = []
    warm: dict[str, list[tuple[float, float]]] = {what: [] for what in edits}
    try:
        for i in range(runs):
            floor.append(timed(floor_cmd, env, ok=(0, 1)))
            # each round edits the file as generated: without this, the
            # page-text edit of a later round would also undo the last
            # round's lifecycle edit
            victim.write_text(original, encoding="utf-8")
            shutil.rmtree(cache, ignore_errors=True)
            cold.append(timed(ea, env, ok=(0, 1)))
            for what, edit in edits.items():
                victim.write_text(edit(i), encoding="utf-8")
                warm[what].append(timed(ea, env, ok=(0, 1)))
        shutil.rmtree(cache, ignore_errors=True)
        peak_cold = peak_kb(ea, env)
        victim.write_text(edits["page text"](runs), encoding="utf-8")
        peak_warm = peak_kb(ea, env)
    finally:
        victim.write_text(original, encoding="utf-8")
    findings = json.loads(subprocess.run(ea, env=env, capture_output=True, check=False).stdout)["summary"]
    return {
        "files": sum(1 for _ in repo.rglob("*.md")),
        "findings": findings,
        "floor": floor,
        "cold": cold,
        "warm": warm,
        "peak": (peak_cold, peak_warm),
    }


def show(profile: str, m: dict[str, Any], runs: int) -> None:
    floor: list[tuple[float, float]] = m["floor"]

    def line(label: str, times: list[tuple[float, float]], target: float | None) -> str:
        wall = statistics.median(t for t, _ in times)
        cpu = statistics.median(c for _, c in times)
        ratio = statistics.median(t / f for (t, _), (f, _) in zip(times, floor, strict=True))
        cpu_ratio = statistics.median(c / f for (_, c), (_, f) in zip(times, floor, strict=True))
        goal = f" (target <= {target})" if target else ""
        return (
            f"  {label:<30}wall {wall:5.2f} s = {ratio:.2f} x floor{goal:<17}"
            f"processor {cpu:5.2f} s = {cpu_ratio:.2f} x floor"
        )

    s = m["findings"]
    print(f"\n{profile} repository: {m['files']} files, {s['errors']} errors and {s['warnings']} warnings")
    print(f"in {s['files']} files; {runs} runs on {os.cpu_count()} cores; medians, and medians of the ratios of")
    print("each run to the floor measured just before it:")
    print(line("floor (PyYAML C loader):", floor, None))
    print(line("ea validate, cold cache:", m["cold"], 1.5))
    for what, times in m["warm"].items():
        print(line(f"one file changed ({what}):", times, 0.4 if what == "page text" else None))
    peak_cold, peak_warm = m["peak"]
    print(f"  peak memory: cold {peak_cold / 1024:.0f} MB, warm {peak_warm / 1024:.0f} MB (target < 500 MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--capabilities", type=int, default=2_000)
    parser.add_argument("--vendors", type=int, default=1_000)
    parser.add_argument("--proposals", type=int, default=0, help="Proposals in the governance layer.")
    parser.add_argument("--decisions", type=int, default=0, help="Decision records in the governance layer.")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=sorted(PROFILES), help="Measure one of the two repositories.")
    parser.add_argument("--keep", type=Path, help="Reuse or keep the synthetic repositories in this folder.")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="ea-bench-"))
    folder = args.keep or work
    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "generator"), quiet=1)
    results = {}
    try:
        for profile, imported in PROFILES.items():
            if args.only not in (None, profile):
                continue
            repo = folder / profile
            if not (repo / "applications").is_dir():
                t = time.perf_counter()
                generate(
                    repo,
                    applications=args.applications,
                    capabilities=args.capabilities,
                    vendors=args.vendors,
                    imported=imported,
                    proposals=args.proposals,
                    decisions=args.decisions,
                )
                print(f"generated {repo} in {time.perf_counter() - t:.1f} s")
            results[profile] = measure(repo, work / "cache", args.runs)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    for profile, m in results.items():
        show(profile, m, args.runs)


if __name__ == "__main__":
    main()
