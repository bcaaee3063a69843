"""Benchmark `ea build` on a synthetic repository and on the example council.

Each run is a cold build in a fresh process (empty parse and diagram cache,
no previous site), timed from the outside like a person or CI would see it.
Prints the median wall time of the runs (and the CPU time, steadier on a
busy machine), the number of pages, the size of the site and its search
index, and the peak resident memory of the whole process tree (the build and
the Graphviz processes it starts, their proportional set sizes summed,
sampled every 20 ms), then the
same for the example council in this checkout.

    .venv/bin/python benchmarks/bench_site.py [--applications 2000] [--runs 3]

Targets on a 2-core machine: 2,000 applications (about 2,800 pages) in under
25 s with a peak under 300 MB; the example council in under 15 s.
"""

from __future__ import annotations

import argparse
import ctypes
import functools
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.synth import generate  # noqa: E402 (after the path is set)

TODAY = "2026-11-24"
CONTENT = ("applications", "capabilities", "architecture")


@dataclass
class Run:
    seconds: float
    cpu: float
    pages: int
    #: peak memory of the process tree, in bytes (0: not measurable here)
    peak: int
    #: peak resident memory of the largest single process, in bytes
    largest: int


def build_once(repo: Path, site: Path, work: Path) -> Run:
    """One cold ``ea build``, watched from the outside."""
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(work / "cache", ignore_errors=True)
    env = dict(os.environ, EA_CACHE_DIR=str(work / "cache"))
    cmd = [sys.executable, "-m", "generator", "build", str(repo), "-d", str(site), "--today", TODAY]
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out_file, tempfile.TemporaryFile("w+") as err_file:
        proc = subprocess.Popen(cmd, env=env, stdout=out_file, stderr=err_file, text=True)
        peak, usage = watch_memory(proc)
        elapsed = time.perf_counter() - start
        out_file.seek(0)
        err_file.seek(0)
        out, err = out_file.read(), err_file.read()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{out[-2000:]}{err[-2000:]}")
    pages = next(int(w) for line in out.splitlines() if line.startswith("Built ") for w in [line.split()[1]])
    return Run(elapsed, usage.ru_utime + usage.ru_stime, pages, peak, usage.ru_maxrss * 1024)


def watch_memory(proc: subprocess.Popen[str]) -> tuple[int, resource.struct_rusage]:
    """Until ``proc`` ends: the largest memory of it and its descendants
    together, read from /proc every 20 ms (0 where there is no /proc), and
    the resources it used (its own and its Graphviz processes')."""
    sample = Path("/proc/self/statm").exists()
    peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return peak, usage
        if sample:
            peak = max(peak, tree_memory(proc.pid))
        time.sleep(0.02)


def tree_memory(root: int) -> int:
    """Bytes of memory of process ``root`` and every process below it: the
    proportional set size of each, so pages a forked worker shares with the
    build count once. A child started with ``vfork`` and not yet turned into
    ``dot`` is the build's own memory, not a copy: it is left out (asked of
    the kernel with ``kcmp`` before and after its size is read)."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        grew = bool(more)
        tree |= more
    total = 0
    for pid in sorted(tree):
        try:
            if pid != root and _same_memory(root, pid):
                continue
            size = _pss(pid)
            if pid != root and _same_memory(root, pid):
                continue
        except (OSError, ValueError):
            continue
        total += size
    return total


def _same_memory(a: int, b: int) -> bool:
    """Whether two processes share one address space (Linux ``kcmp``)."""
    call = _kcmp()
    return call is not None and call(a, b, 1, 0, 0) == 0  # 1: KCMP_VM


@functools.cache
def _kcmp() -> Any:
    number = {"x86_64": 312, "aarch64": 272}.get(platform.machine())
    if number is None:
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    return functools.partial(libc.syscall, number)


def _pss(pid: int) -> int:
    """Proportional set size in bytes (resident size where the kernel has no
    ``smaps_rollup``)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except FileNotFoundError:
        pass
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1_000_000


def report(label: str, repo: Path, runs: int, work: Path) -> None:
    site = work / f"site-{label}"
    results = [build_once(repo, site, work) for _ in range(runs)]
    times = [r.seconds for r in results]
    peak = max(r.peak for r in results)
    largest = max(r.largest for r in results)
    files = sum(1 for top in CONTENT for _ in (repo / top).rglob("*.md"))
    index = site / "search" / "search_index.json"
    print(f"{label}: {files} content files, {results[-1].pages} pages, {runs} cold runs")
    print(f"  build time: median {statistics.median(times):.1f} s (runs: {', '.join(f'{t:.1f}' for t in times)})")
    print(f"  CPU time:   median {statistics.median(r.cpu for r in results):.1f} s (build and Graphviz processes)")
    tree = f"{peak / 2**20:.0f} MB" if peak else "not measured (no /proc)"
    print(f"  peak memory: {tree} (process tree), {largest / 2**20:.0f} MB resident (the build process alone)")
    print(f"  site size:  {size_mb(site):.0f} MB, search index {index.stat().st_size / 1000:.0f} KB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applications", type=int, default=2000)
    parser.add_argument("--capabilities", type=int, help="default: a fifth of the applications")
    parser.add_argument("--vendors", type=int, help="default: 15%% of the applications")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="Reuse or keep the synthetic repository at this path.")
    parser.add_argument("--no-council", action="store_true", help="Leave out the example council.")
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
        if (ROOT / "applications").is_dir() and not args.no_council:
            report("example council", ROOT, args.runs, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
