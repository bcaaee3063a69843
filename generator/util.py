"""Small helpers shared by every layer."""

from __future__ import annotations

import contextlib
import functools
import math
import os
import tempfile
from fractions import Fraction
from pathlib import Path


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write a file so a reader never sees half of it: a temporary file in the
    same folder, flushed, then renamed over the target."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@functools.lru_cache(maxsize=4096)  # the same points, weights and costs recur across an estate
def exact(value: float | int) -> Fraction:
    """A number as the person wrote it, exactly: ``0.1`` is one tenth, not the
    binary float nearest it, so sums and shares can be rounded once, at the end,
    without picking up a float's error on the way."""
    if isinstance(value, int):
        return Fraction(value)
    return Fraction(repr(float(value)))


def round_half_up(value: Fraction, places: int) -> float:
    """``value`` rounded to ``places`` decimals, halves away from zero (as done
    by hand: 2.345 -> 2.35), for output only; arithmetic stays exact until here."""
    scale = 10**places
    sign = -1 if value < 0 else 1
    units = math.floor(abs(value) * scale + Fraction(1, 2))
    return sign * units / scale
