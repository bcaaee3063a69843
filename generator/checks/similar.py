"""All pairs of near-identical strings, with an incremental memo.

Comparing every application name with every other is quadratic; rapidfuzz
does it in C++ on all cores, but at 10,000 names it is still the largest cost
of a re-run. The memo keeps the pairs found last time: a re-run compares only
the names that are new against all names, which gives the same set of pairs
as comparing everything again.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import math
import unicodedata
from pathlib import Path

from rapidfuzz import fuzz, process

from generator.catalog.loader import load_private, save_private

#: Rows compared at a time. Small blocks follow the length window closely
#: (a block is compared with the columns its longest row could match, and in
#: the triangle with its own rows): a third less work than blocks of 2,000.
_CHUNK = 256

#: Words that name a company's legal form, country or group rather than the
#: company: "Civica UK Ltd", "Civica UK Limited" and "Civica" are one supplier.
LEGAL_WORDS = frozenset(
    {"ltd", "limited", "plc", "llp", "llc", "inc", "incorporated", "corp", "corporation", "co", "company"}
    | {"uk", "gb", "europe", "emea", "international", "group", "holdings", "the"}
)
#: Words that say what a company sells, dropped after the legal words when a
#: name is left: "Idox Software Ltd" and "Idox Group" are Idox.
TRADE_WORDS = frozenset({"software", "solutions", "systems", "services", "technology", "technologies"})


def company_words(folded: str) -> str:
    """A company's name without its legal form, group, country or trade words,
    with '&' read as 'and' and dots dropped ('U.K.' is 'uk'), for comparing
    suppliers. ``folded`` is already case-folded; a name made only of such
    words ("Software Solutions Ltd") is returned whole."""
    words = folded.replace("&", " and ").replace(".", "").replace("'", "").split()
    words = [w.strip(",;:()[]-") for w in words]
    words = [w for w in words if w]
    core = [w for w in words if w not in LEGAL_WORDS]
    while len(core) > 1 and core[-1] in TRADE_WORDS:
        core.pop()
    return " ".join(core or words)


_VERSION = 4  # 3: name keys fold invisible and look-alike characters; 4: blank symbols too


# --- characters that hide a duplicate ------------------------------------------

#: Default-ignorable code points that are not format characters (Cf): the
#: combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian
#: and other variation selectors, tags and the reserved ranges around them
#: (Unicode's DerivedCoreProperties.txt, Default_Ignorable_Code_Point).
_IGNORABLE_RANGES = (
    (0x034F, 0x034F),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x2065, 0x2065),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
    # symbols that draw nothing but are neither spaces nor default-ignorable:
    # the Braille pattern blank (a favourite for "empty" names)
    (0x2800, 0x2800),
)


def invisible(ch: str) -> bool:
    """A character that shows nothing: a control or format character (zero-width
    space, soft hyphen, word joiner, bidirectional controls, ...) or another
    default-ignorable one (variation selectors, Hangul fillers, ...) or a
    symbol that draws nothing (the Braille blank). Spaces are not invisible:
    they separate words and are compared as one space."""
    if ch.isspace():
        return False
    if unicodedata.category(ch) in ("Cc", "Cf"):
        return True
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _IGNORABLE_RANGES)


@functools.cache
def _confusables() -> object:
    """The Unicode confusables data, loaded on the first name that needs it
    (most names are ASCII, and loading takes a fifth of a second)."""
    from confusable_homoglyphs import confusables

    return confusables


def _latin(ch: str) -> str | None:
    """The ASCII letter or digit ``ch`` (a letter of another script) looks like, from
    Unicode's confusables (``confusable_homoglyphs``); None when it looks like none."""
    found = _confusables().is_confusable(ch, preferred_aliases=["latin"], greedy=True)  # type: ignore[attr-defined]
    for entry in found or ():
        for glyph in entry["homoglyphs"]:
            if len(glyph["c"]) == 1 and glyph["c"].isascii() and glyph["c"].isalnum():
                return glyph["c"]
    return None


@functools.lru_cache(maxsize=1 << 14)
def lookalike(ch: str) -> str | None:
    """The ASCII letter or digit a non-Latin letter is confusable with (Cyrillic
    'с' and Greek 'Ρ' look like 'c' and 'P'), lower-case; None for any other
    character. The lower-case form is tried first (Greek 'Ι' is an 'l' in
    Unicode's table, its 'ι' an 'i'), then the character as it is ('В')."""
    if ch.isascii() or not ch.isalpha():
        return None
    folded = ch.casefold()
    for candidate in (folded, ch) if len(folded) == 1 and folded != ch else (ch,):
        found = _latin(candidate)
        if found is not None:
            return found.casefold()
    return None


def fold_characters(text: str) -> str:
    """``text`` without invisible characters and with letters of other
    scripts that look like Latin ones replaced by those (a skeleton in the
    sense of Unicode TR39, for Latin look-alikes): a zero-width space or a
    Cyrillic 'а' must not make a duplicated system's name look new."""
    out = []
    for ch in text:
        if ch.isascii():
            if ch.isprintable() or ch.isspace():
                out.append(ch)
            continue
        if invisible(ch):
            continue
        out.append(lookalike(ch) or ch)
    return "".join(out)


def _length_ratio(threshold: float) -> float:
    """How much longer one string may be than another and still reach
    ``threshold``: ratio = 1 - indel / (l1 + l2) and indel >= l2 - l1."""
    f = 1 - threshold / 100
    return (1 + f) / (1 - f)


def max_pairs(keys: int) -> int:
    """How many pairs a comparison keeps: far above any real estate (a few
    hundred near-duplicates in 10,000 names), far below a flood (1,500 names
    that differ only in a number are 1.1 million pairs, 330 MB)."""
    return max(MIN_PAIR_LIMIT, PAIRS_PER_KEY * keys)


#: See ``max_pairs``.
MIN_PAIR_LIMIT = 50_000
PAIRS_PER_KEY = 20


def prepare() -> None:
    """Import what comparing names needs (numpy, a tenth of a second) in
    this process now: before it forks, so that the copy has it too instead
    of importing it again (``validate``)."""
    import numpy  # noqa: F401


def _compare(
    left: list[str], right: list[str], threshold: float, *, triangle: bool, limit: int
) -> tuple[list[tuple[str, str]], bool]:
    """Pairs (from left, from right) at or above ``threshold``, and whether
    there were more than ``limit`` (then the first ``limit`` in a fixed order
    are returned). Both sides are sorted by length and each block of rows is
    compared only with the columns whose length could reach the threshold,
    which skips most of the matrix. With ``triangle`` (left is right), each
    pair is compared once."""
    import numpy  # here, not at the top: a run whose names are unchanged never compares (40 ms to import)

    if len(left) * len(right) >= _CELLS_FROM:
        found = _by_cells(left, right, threshold, triangle=triangle, limit=limit)
        if found is not None:
            return found, False
        # a flood: the blocks below keep the first pairs in their fixed order
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
        if triangle:  # lo is start: keep column c of row r only when c > r (each pair once)
            scores = numpy.triu(scores, k=1)
        room = limit - len(out)
        if numpy.count_nonzero(scores) > room:  # a flood: keep the first pairs, row by row
            for r in range(len(block)):
                for c in numpy.flatnonzero(scores[r])[: limit - len(out)].tolist():
                    out.append((block[r], cols[lo + c]))
                if len(out) >= limit:
                    return out, True
        r_idx, c_idx = scores.nonzero()
        out.extend((block[r], cols[lo + c]) for r, c in zip(r_idx.tolist(), c_idx.tolist(), strict=True))
    return out, False


#: Letters whose counts sort keys into cells (the most frequent in the keys
#: compared): more cells rule out more pairs, and cost more calls.
_CELL_LETTERS = 2
#: Below this many comparisons, the blocks of ``_compare`` are quicker.
_CELLS_FROM = 4_000_000
#: A comparison of this many pairs or more runs in rapidfuzz's threads.
_THREADS_FROM = 200_000


def _by_cells(
    left: list[str], right: list[str], threshold: float, *, triangle: bool, limit: int
) -> list[tuple[str, str]] | None:
    """What ``_compare`` finds, comparing far fewer pairs; None when there
    are more than ``limit`` (a flood, which ``_compare`` cuts in its order).

    Two keys reach the threshold only if their indel distance is at most
    ``(100 - threshold)% of their lengths together``, and that distance is at
    least the difference of their letter counts: for a few letters ``c``,
    ``sum |a_c - b_c| + |(len a - len b) - sum (a_c - b_c)|`` (the rest of the
    letters counted together). Keys are put in cells by length and those
    counts, and each cell's keys are compared only with the cells within
    reach: exact, as the bound never exceeds the distance."""
    import numpy

    text = "".join(right)
    letters = [c for c, _ in sorted(((c, text.count(c)) for c in set(text)), key=lambda x: (-x[1], x[0]))]
    letters = letters[:_CELL_LETTERS]

    def cells(keys: list[str]) -> dict[tuple[int, ...], list[str]]:
        out: dict[tuple[int, ...], list[str]] = {}
        for key in keys:
            out.setdefault((len(key), *(key.count(c) for c in letters)), []).append(key)
        return out

    row_cells = cells(left)
    col_cells = row_cells if triangle else cells(right)
    col_sigs = sorted(col_cells)
    sig = numpy.array(col_sigs, dtype=numpy.int64).reshape(len(col_sigs), 1 + len(letters))
    spare = (100 - threshold) / 100
    out: list[tuple[str, str]] = []
    for index, row in enumerate(sorted(row_cells)):
        counts = sig[:, 1:] - numpy.array(row[1:])
        lengths = sig[:, 0] - row[0]
        bound = numpy.abs(counts).sum(axis=1) + numpy.abs(lengths - counts.sum(axis=1))
        reach = numpy.floor((sig[:, 0] + row[0]) * spare + 1e-9)
        near = numpy.flatnonzero(bound <= reach)
        if triangle:  # each pair once: the cells after this one, and this one's own triangle
            near = near[near > index]
        rows = row_cells[row]
        cols = [key for n in near.tolist() for key in col_cells[col_sigs[n]]]
        if triangle and len(rows) > 1:
            cols = rows + cols
        if not cols:
            continue
        # threads only for a large call: starting them costs more than a small one
        threads = -1 if len(rows) * len(cols) >= _THREADS_FROM else 1
        scores = process.cdist(rows, cols, scorer=fuzz.ratio, score_cutoff=threshold, workers=threads, dtype="uint8")
        if triangle and len(rows) > 1:
            scores[:, : len(rows)] = numpy.triu(scores[:, : len(rows)], k=1)
        r_idx, c_idx = scores.nonzero()
        out.extend((rows[r], cols[c]) for r, c in zip(r_idx.tolist(), c_idx.tolist(), strict=True))
        if len(out) > limit:
            return None
    return out


class Pairs(set[tuple[str, str]]):
    """A set of pairs that knows whether it is every pair (``complete``) or
    a comparison stopped at its limit."""

    complete: bool = True


def similar_pairs(keys: set[str], threshold: float, memo: Path | None = None) -> Pairs:
    """Unordered pairs (a < b) of distinct keys whose rapidfuzz ratio is at
    least ``threshold``; at most ``max_pairs(len(keys))`` of them. Past that
    limit the pairs are those of a cold comparison stopped at the limit
    (a fixed order, so every run finds the same), and no memo is written."""
    current = sorted(keys)
    limit = max_pairs(len(keys))
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
    flood = False
    if new and len(new) < len(current):
        found, flood = _compare(new, current, threshold, triangle=False, limit=max(limit - len(pairs), 0))
        for a, b in found:
            if a != b:
                pairs.add((a, b) if a < b else (b, a))
    flood = flood or len(pairs) > limit  # also a memo's pairs for fewer keys than it was written for
    if (new and len(new) == len(current)) or flood:  # cold (or a flood, as cold finds it): every pair once
        found, flood = _compare(current, current, threshold, triangle=True, limit=limit)
        pairs = {(a, b) if a < b else (b, a) for a, b in found}
    if memo is not None and (new or keys != old_keys):
        if flood:  # a memo would let the next run keep another subset
            with contextlib.suppress(OSError):
                memo.unlink(missing_ok=True)
        else:
            payload = {"version": _VERSION, "threshold": threshold, "keys": keys, "pairs": pairs}
            save_private(memo, payload)  # an optimisation: a failure costs the next run time
    result = Pairs(pairs)
    result.complete = not flood
    return result
