"""All pairs of near-identical strings, with an incremental memo.

Comparing every application name with every other is quadratic; rapidfuzz
does it in C++ on all cores, but at 10,000 names it is still the largest cost
of a re-run. The memo keeps the pairs found last time: a re-run compares only
the names that are new against all names, which gives the same set of pairs
as comparing everything again.
"""

from __future__ import annotations

import bisect
import math
from pathlib import Path

from rapidfuzz import fuzz, process

from generator.loader import load_private, save_private

_CHUNK = 2000
_VERSION = 2


def _length_ratio(threshold: float) -> float:
    """How much longer one string may be than another and still reach
    ``threshold``: ratio = 1 - indel / (l1 + l2) and indel >= l2 - l1."""
    f = 1 - threshold / 100
    return (1 + f) / (1 - f)


def _compare(left: list[str], right: list[str], threshold: float, *, triangle: bool) -> list[tuple[str, str]]:
    """Pairs (from left, from right) at or above ``threshold``. Both sides are
    sorted by length and each block of rows is compared only with the columns
    whose length could reach the threshold, which skips most of the matrix.
    With ``triangle`` (left is right), each pair is compared once."""
    grow = _length_ratio(threshold)
    rows = sorted(left, key=len)
    cols = sorted(right, key=len)
    col_lengths = [len(c) for c in cols]
    out: list[tuple[str, str]] = []
    for start in range(0, len(rows), _CHUNK):
        block = rows[start : start + _CHUNK]
        shortest, longest = len(block[0]), len(block[-1])
        lo = start if triangle else bisect.bisect_left(col_lengths, math.floor(shortest / grow) - 1)
        hi = bisect.bisect_right(col_lengths, math.ceil(longest * grow) + 1)
        if lo >= hi:
            continue
        scores = process.cdist(block, cols[lo:hi], scorer=fuzz.ratio, score_cutoff=threshold, workers=-1, dtype="uint8")
        r_idx, c_idx = scores.nonzero()
        for r, c in zip(r_idx.tolist(), c_idx.tolist(), strict=True):
            if triangle and lo + c <= start + r:
                continue
            out.append((block[r], cols[lo + c]))
    return out


def similar_pairs(keys: set[str], threshold: float, memo: Path | None = None) -> set[tuple[str, str]]:
    """Unordered pairs (a < b) of distinct keys whose rapidfuzz ratio is at
    least ``threshold``."""
    current = sorted(keys)
    old_keys: set[str] = set()
    old_pairs: set[tuple[str, str]] = set()
    if memo is not None:
        try:
            stored = load_private(memo)  # None when missing, damaged or refused
            if isinstance(stored, dict) and stored.get("version") == _VERSION and stored.get("threshold") == threshold:
                old_keys, old_pairs = stored["keys"], stored["pairs"]
        except Exception:  # no memo, or an unreadable one: compare everything
            old_keys, old_pairs = set(), set()
    new = sorted(keys - old_keys)
    pairs = {p for p in old_pairs if p[0] in keys and p[1] in keys}
    if new:
        if len(new) == len(current):  # cold: every pair once
            found = _compare(current, current, threshold, triangle=True)
        else:
            found = _compare(new, current, threshold, triangle=False)
        for a, b in found:
            if a != b:
                pairs.add((a, b) if a < b else (b, a))
    if memo is not None and (new or keys != old_keys):
        payload = {"version": _VERSION, "threshold": threshold, "keys": keys, "pairs": pairs}
        save_private(memo, payload)  # an optimisation: a failure costs the next run time
    return pairs
