"""Benchmark `ea validate` on a synthetic repository.

Prints median wall-clock figures for a cold run (empty cache) and re-runs
after one file changed, their ratio to the practical floor (a bare
single-process parse of the same frontmatter with PyYAML's C loader), and the
peak memory of the validating process.

A re-run keeps the findings of every check whose fields the edit did not touch
(``generator/incremental.py``), so its time depends on what was edited. Three
edits of one application are timed: its page text (the target's case: no
check runs again), its name (the two name checks run again) and its lifecycle
(four checks run again).

The package's bytecode is compiled first, as an installed package's is: with
PYTHONDONTWRITEBYTECODE set, as on this machine, an editable install would
otherwise compile every module again on every run.

    .venv/bin/python benchmarks/bench_validate.py [--applications 10000] [--runs 5]

With ``--proposals 2000 --decisions 1000`` the repository also has a
governance layer (priorities, principles, proposals and decisions), whose
checks are part of the cold run.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synth import generate

FLOOR = """
import os, sys, yaml
for dirpath, _, names in os.walk(sys.argv[1]):
    for name in names:
        if name.endswith(".md"):
            with open(os.path.join(dirpath, name), encoding="utf-8-sig") as fh:
                text = fh.read()
            yaml.load(text.split("\\n---\\n", 1)[0][4:], Loader=yaml.CSafeLoader)
"""


def timed(cmd: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one child process (exit 1, findings, is a normal result)."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
    return elapsed


def peak_kb(cmd: list[str], env: dict[str, str]) -> int:
    """Peak RSS of a command, read with GNU time when present, else via resource."""
    if Path("/usr/bin/time").exists():
        out = subprocess.run(
            ["/usr/bin/time", "-f", "%M", *cmd], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
        )
        return int(out.stderr.decode().strip().splitlines()[-1])
    import resource

    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=False)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--capabilities", type=int, default=2_000)
    parser.add_argument("--vendors", type=int, default=1_000)
    parser.add_argument("--proposals", type=int, default=0, help="Proposals in the governance layer.")
    parser.add_argument("--decisions", type=int, default=0, help="Decision records in the governance layer.")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="Reuse or keep the synthetic repository at this path.")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="ea-bench-"))
    repo = args.keep or work / "repo"
    if not (repo / "applications").is_dir():
        t = time.perf_counter()
        generate(
            repo,
            applications=args.applications,
            capabilities=args.capabilities,
            vendors=args.vendors,
            proposals=args.proposals,
            decisions=args.decisions,
        )
        print(f"generated {repo} in {time.perf_counter() - t:.1f} s")
    files = sum(1 for _ in repo.rglob("*.md"))
    env = dict(os.environ, EA_CACHE_DIR=str(work / "cache"))
    ea = [sys.executable, "-m", "generator", "validate", str(repo), "--today", "2026-11-24"]
    floor_cmd = [sys.executable, "-c", FLOOR, str(repo)]

    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "generator"), quiet=1)
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
    floor: list[float] = []
    cold: list[float] = []
    warm: dict[str, list[float]] = {what: [] for what in edits}
    try:
        for i in range(args.runs):
            floor.append(timed(floor_cmd, env))
            shutil.rmtree(work / "cache", ignore_errors=True)
            cold.append(timed(ea, env))
            for what, edit in edits.items():
                victim.write_text(edit(i), encoding="utf-8")
                warm[what].append(timed(ea, env))
        shutil.rmtree(work / "cache", ignore_errors=True)
        peak_cold = peak_kb(ea, env)
        victim.write_text(edits["page text"](args.runs), encoding="utf-8")
        peak_warm = peak_kb(ea, env)
    finally:
        victim.write_text(original, encoding="utf-8")
    f, c = statistics.median(floor), statistics.median(cold)
    print(f"files: {files}   runs: {args.runs}   cores: {os.cpu_count()}")
    print(f"floor (PyYAML C loader, one process): median {f:.2f} s")
    print(f"ea validate, cold cache:              median {c:.2f} s   = {c / f:.2f} x floor (target <= 1.5)")
    for what, times in warm.items():
        w = statistics.median(times)
        label = f"one file changed ({what}):"
        print(f"ea validate, {label:<30}median {w:.2f} s   = {w / f:.2f} x floor (target <= 0.4)")
    print(f"peak memory: cold {peak_cold / 1024:.0f} MB, warm {peak_warm / 1024:.0f} MB (target < 500 MB)")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
