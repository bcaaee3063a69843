"""All pairs of near-identical strings, with an incremental memo.

Comparing every application name with every other is quadratic; rapidfuzz
does it in C++ on all cores, but at 10,000 names it is still the largest cost
of a re-run. The memo keeps the pairs found last time: a re-run compares only
the names that are new against all names, which gives the same set of pairs
as comparing everything again.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from rapidfuzz import fuzz, process

from generator.util import atomic_write

_CHUNK = 2000
_VERSION = 1


def _compare(left: list[str], right: list[str], threshold: float) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start in range(0, len(left), _CHUNK):
        scores = process.cdist(
            left[start : start + _CHUNK], right, scorer=fuzz.ratio, score_cutoff=threshold, workers=-1, dtype="uint8"
        )
        rows, cols = scores.nonzero()
        out.extend(zip((r + start for r in rows.tolist()), cols.tolist(), strict=True))
    return out


def similar_pairs(keys: set[str], threshold: float, memo: Path | None = None) -> set[tuple[str, str]]:
    """Unordered pairs (a < b) of distinct keys whose rapidfuzz ratio is at
    least ``threshold``."""
    current = sorted(keys)
    old_keys: set[str] = set()
    old_pairs: set[tuple[str, str]] = set()
    if memo is not None:
        try:
            with open(memo, "rb") as fh:
                stored = pickle.load(fh)
            if stored.get("version") == _VERSION and stored.get("threshold") == threshold:
                old_keys, old_pairs = stored["keys"], stored["pairs"]
        except Exception:  # no memo, or an unreadable one: compare everything
            old_keys, old_pairs = set(), set()
    new = sorted(keys - old_keys)
    pairs = {p for p in old_pairs if p[0] in keys and p[1] in keys}
    if new:
        if len(new) == len(current):  # cold: the upper triangle only
            found = ((current[i], current[j]) for i, j in _compare(current, current, threshold) if i < j)
        else:
            found = ((new[i], current[j]) for i, j in _compare(new, current, threshold))
        for a, b in found:
            if a != b:
                pairs.add((a, b) if a < b else (b, a))
    if memo is not None and (new or keys != old_keys):
        try:
            payload = {"version": _VERSION, "threshold": threshold, "keys": keys, "pairs": pairs}
            atomic_write(memo, pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass
    return pairs
