"""Timing one child process, shared by the benchmark scripts."""

from __future__ import annotations

import resource
import statistics
import subprocess
import time


def timed(cmd: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """(wall seconds, processor seconds) of one child process and its workers.
    An exit status outside ``ok`` stops the benchmark with the command's error
    (``ea validate`` exits 1 for findings, a normal result there)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def print_medians(rows: list[tuple[str, list[tuple[float, float]]]], target: str, width: int) -> None:
    """One line per labelled set of runs: median wall and processor time,
    against ``target`` (as "2 s")."""
    for label, times in rows:
        wall = statistics.median(t[0] for t in times)
        cpu = statistics.median(t[1] for t in times)
        print(f"{label:<{width}} median {wall:.2f} s wall, {cpu:.2f} s CPU (target < {target})")
