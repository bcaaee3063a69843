"""Benchmark the inputs of a hostile pull request that once exhausted CI.

1. Markdown link parsing of bodies made to be slow (``[`` repeated, ``[a](``
   repeated), with Python-Markdown's own link patterns and with the bounded
   ones the site uses (``generator/documents/bodylinks.py``), at growing sizes: the
   library's time grows with the square of the size, ours linearly.
2. Emphasis in a body made to be slow (``*a`` repeated), with the
   library's conversion and with ``bodylinks.convert`` (which leaves
   emphasis as written past ``MAX_EMPHASIS_RUNS`` runs), at growing sizes.
3. ``ea build`` of the minimal repository plus one of: a 30 KB body of
   ``[``, a capability hierarchy 600 levels deep. Each build is a fresh
   process with an empty cache; peak memory from ``/usr/bin/time`` where
   present.

    .venv/bin/python benchmarks/bench_hostile_site.py [--runs 3]
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
sys.path.insert(0, str(ROOT / "tests"))

import markdown  # noqa: E402

from generator.documents.bodylinks import body_parser, convert  # noqa: E402

TODAY = "2026-06-01"


def stock_parser() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["tables", "sane_lists", "fenced_code"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def parse_seconds(md: markdown.Markdown, body: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        md.reset().convert(body)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def parsing(runs: int) -> None:
    print("Link parsing, median seconds (library patterns / bounded patterns):")
    for unit, label in (("[", "'['"), ("[a](", "'[a]('")):
        for size in (2_000, 4_000, 8_000):
            body = unit * (size // len(unit))
            stock = parse_seconds(stock_parser(), body, runs)
            ours = parse_seconds(body_parser(), body, runs)
            print(f"  {label:7} {size:>6,} chars: {stock:8.3f} / {ours:6.3f}  ({stock / max(ours, 1e-9):,.0f}x)")
        body = unit * (30_000 // len(unit))
        print(f"  {label:7} 30,000 chars: {'(minutes)':>8} / {parse_seconds(body_parser(), body, runs):6.3f}")


def emphasis(runs: int) -> None:
    print("Emphasis, median seconds (library / ours):")
    for size in (50_000, 100_000, 200_000):
        body = "*a" * (size // 2)
        stock = parse_seconds(stock_parser(), body, runs)
        md = body_parser()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            convert(md, body)
            times.append(time.perf_counter() - start)
        ours = statistics.median(times)
        print(f"  '*a'  {size:>8,} chars: {stock:8.3f} / {ours:6.3f}  ({stock / max(ours, 1e-9):,.0f}x)")


def make_repo(folder: Path, extra: dict[str, str]) -> Path:
    from conftest import minimal_files, write_files

    folder.mkdir(parents=True)
    return write_files(folder, {**minimal_files(), **extra})


def build_seconds(repo: Path, work: Path, runs: int) -> tuple[float, int | None]:
    times, peaks = [], []
    timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    for _ in range(runs):
        shutil.rmtree(work / "site", ignore_errors=True)
        shutil.rmtree(work / "cache", ignore_errors=True)
        env = dict(os.environ, EA_CACHE_DIR=str(work / "cache"))
        cmd = [sys.executable, "-m", "generator", "build", str(repo), "-d", str(work / "site"), "--today", TODAY]
        if timer:
            cmd = [timer, "-f", "%M", *cmd]
        start = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise SystemExit(f"build failed ({proc.returncode}): {proc.stderr[-2000:]}")
        if timer:
            peaks.append(int(proc.stderr.strip().splitlines()[-1]))
    return statistics.median(times), (max(peaks) if peaks else None)


def builds(runs: int) -> None:
    from conftest import app

    brackets = {"applications/brackets.md": app("Brackets").replace("What the system does.", "[" * 30_000)}
    deep, parent = {}, "planning-applications"
    for i in range(600):
        deep[f"capabilities/c{i}.md"] = f"---\nname: Level {i}\nowner: planning\nparent: {parent}\n---\n"
        parent = f"c{i}"
    print("ea build, median wall seconds of fresh processes (peak memory):")
    with tempfile.TemporaryDirectory(prefix="ea-bench-hostile-") as tmp:
        for name, extra in (("minimal repository", {}), ("+ a 30 KB body of '['", brackets), ("+ 600 levels", deep)):
            work = Path(tmp) / name.replace(" ", "-").replace("'", "")
            seconds, peak = build_seconds(make_repo(work / "repo", extra), work, runs)
            memory = f" ({peak / 1024:,.0f} MB)" if peak else ""
            print(f"  {name:24} {seconds:6.1f} s{memory}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    parsing(args.runs)
    emphasis(args.runs)
    builds(args.runs)


if __name__ == "__main__":
    main()
