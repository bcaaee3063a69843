"""Benchmark `ea diff` between two revisions of the synthetic repository.

The repository is benchmarks/synth.py's (about 13,000 files) with its
governance layer (2,000 proposals, 1,000 decisions, the principles and
priorities they cite), as ``ea pack``'s benchmark uses. It is committed, then
a second commit changes 50 files: 36 applications edited (lifecycle, cost,
owner or name), 2 requests moved on (submitted to triage), 2 decisions given
a new review date, 5 applications added and 5 removed. Three runs are timed,
each as its own process:

- ``ea diff HEAD~1 HEAD`` with an empty cache (a fresh CI checkout);
- the same with the parse cache the first run left (a developer's re-run);
- ``ea diff HEAD~1`` against the working tree, with the cache.

It prints medians, the CPU time of the process (the machine may be shared:
wall time then includes waiting for a core) and the figure against the
target (under 5 s).

    .venv/bin/python benchmarks/bench_diff.py [--runs 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synth import generate
from benchmarks.timing import print_medians, timed
from generator.catalog.loader import RACY_NS

GIT = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.invalid"]


def second_commit(repo: Path) -> None:
    """Change 50 content files and commit them."""
    apps = sorted((repo / "applications").rglob("*.md"))
    for i, path in enumerate(apps[:36]):
        text = path.read_text(encoding="utf-8")
        edits = [
            (r"^lifecycle: .*$", "lifecycle: retired"),
            (r"^annual_cost: .*$", "annual_cost: 123456"),
            (r"^name: (.*)$", r"name: \1 (renamed)"),
            (r"^owner: .*$", "owner: synthetic-council"),
        ]
        for pattern, replacement in edits[i % 4 :] + edits[: i % 4]:  # the first edit the file allows
            edited = re.sub(pattern, replacement, text, count=1, flags=re.M)
            if edited != text:
                break
        assert edited != text, f"{path} could not be edited"
        path.write_text(edited, encoding="utf-8")
    submitted = [p for p in sorted((repo / "proposals").rglob("*.md")) if "\nstatus: submitted\n" in p.read_text()]
    for path in submitted[:2]:
        path.write_text(path.read_text(encoding="utf-8").replace("\nstatus: submitted\n", "\nstatus: triage\n"))
    reviewed = [p for p in sorted((repo / "architecture/decisions").rglob("*.md")) if "\nreview_by: " in p.read_text()]
    for path in reviewed[:2]:
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^review_by: .*$", "review_by: 2029-01-31", text, count=1, flags=re.M))
    for path in apps[40:45]:
        path.unlink()
    template = apps[100].read_text(encoding="utf-8")
    for i in range(5):
        new = apps[100].with_name(f"bench-new-system-{i}.md")
        new.write_text(re.sub(r"^name: .*$", f"name: Bench new system {i}", template, count=1, flags=re.M))
    subprocess.run([*GIT, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*GIT, "commit", "-qm", "50 files changed"], cwd=repo, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="Reuse or keep the synthetic Git repository at this path.")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="ea-bench-diff-"))
    repo = args.keep or work / "repo"
    if not (repo / ".git").is_dir():
        t = time.perf_counter()
        generate(repo, proposals=2000, decisions=1000)
        subprocess.run([*GIT, "init", "-q", "-b", "main"], cwd=repo, check=True)
        subprocess.run([*GIT, "add", "-A"], cwd=repo, check=True)
        subprocess.run([*GIT, "commit", "-qm", "synthetic"], cwd=repo, check=True)
        second_commit(repo)
        print(f"generated and committed {repo} in {time.perf_counter() - t:.1f} s")
        # files written just before a run are "racily clean" to the parse
        # cache and parsed again by the next run too (the working-tree case)
        time.sleep(RACY_NS / 1e9)
    files = int(subprocess.run(["git", "ls-files"], cwd=repo, capture_output=True, text=True).stdout.count("\n"))
    changed = subprocess.run(
        ["git", "diff", "--name-only", "HEAD~1", "HEAD"], cwd=repo, capture_output=True, text=True
    ).stdout.count("\n")
    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "generator"), quiet=1)
    env = dict(os.environ, EA_CACHE_DIR=str(work / "cache"))
    ea = [sys.executable, "-m", "generator", "diff", "-C", str(repo), "--today", "2026-11-24", "--format", "json"]
    cold: list[tuple[float, float]] = []
    warm: list[tuple[float, float]] = []
    tree: list[tuple[float, float]] = []
    for _ in range(args.runs):
        shutil.rmtree(work / "cache", ignore_errors=True)
        cold.append(timed([*ea, "HEAD~1", "HEAD"], env))
        warm.append(timed([*ea, "HEAD~1", "HEAD"], env))
        tree.append(timed([*ea, "HEAD~1"], env))
    print(f"files: {files}   changed between the revisions: {changed}   runs: {args.runs}   cores: {os.cpu_count()}")
    print_medians(
        [
            ("ea diff HEAD~1 HEAD, empty cache:", cold),
            ("ea diff HEAD~1 HEAD, cache warm:", warm),
            ("ea diff HEAD~1 (working tree), warm:", tree),
        ],
        "5 s",
        40,
    )
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
