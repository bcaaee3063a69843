"""Small helpers shared by every layer."""

from __future__ import annotations

import contextlib
import functools
import math
import os
import stat
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import BinaryIO


def _umask() -> int:
    """The process's umask (reading it means setting it, so set it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def is_utf8(text: str) -> bool:
    """Whether text can be written as UTF-8: text from the file system may
    hold lone surrogates (bytes that were not UTF-8), which cannot."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def open_regular(path: str | Path) -> BinaryIO:
    """A file opened for reading that is a regular file now, not only when
    it was listed or checked: a link is not followed and a pipe not waited
    on (a file swapped for either would be read from outside the repository,
    or hold the run up for ever). Raises OSError for anything else."""
    fh = open(os.open(path, _READ_FLAGS), "rb", buffering=0)  # noqa: SIM115 - returned open, closed by the caller
    try:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise OSError(0, "it is not a regular file (a pipe, socket or device)")
    except BaseException:
        fh.close()
        raise
    return fh


def read_regular(path: str | Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file (see ``open_regular``); with ``limit``, at
    most ``limit + 1`` of them (see ``read_capped``)."""
    with open_regular(path) as fh:
        return fh.read() if limit is None else read_capped(fh, limit)


def read_capped(fh: BinaryIO, limit: int) -> bytes:
    """The bytes of an open file, at most ``limit + 1`` of them (one more
    than allowed tells a file over the limit from one at it).

    Asking Python for ``limit + 1`` bytes outright allocates that much for
    every file, however small (a third of a cold validation's reading time
    went on it): this asks for the size the file has, then reads on in small
    pieces to the end, in case it grew or the file system reads short."""
    try:
        size = os.fstat(fh.fileno()).st_size
    except (OSError, AttributeError, ValueError):
        size = 0
    parts = [fh.read(min(size, limit) + 1) or b""]  # None: nothing yet on a non-blocking file
    total = len(parts[0])
    while total <= limit:
        more = fh.read(min(65536, limit + 1 - total))
        if not more:
            break
        parts.append(more)
        total += len(more)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def atomic_write(path: Path, data: bytes | str, *, private: bool = False, durable: bool | None = None) -> None:
    """Write a file so a reader never sees half of it: a temporary file in the
    same folder, flushed, then renamed over the target.

    The file gets the permissions any other new file would (0666 less the
    umask), not mkstemp's private 0600, so a teammate or a web server can
    read what was exported. A symbolic link is followed and the file it
    points at replaced (the link stays); a FIFO or a character device
    (``-o /dev/stdout``) is streamed to, never replaced by a regular file,
    and a failed stream is an error, not a reason to replace it.

    ``private`` is for caches: the file is 0600 whatever the umask, and the
    name itself is replaced (no link followed, nothing streamed).

    ``durable``: wait for the disk (``fsync``) before the rename; by default
    only for files that are not private. A cache is not made to wait (that
    wait was most of a re-run's time): one lost or cut short in a crash fails
    to read (pickles, JSON) or is checked whole by its reader (drawings), and
    is made again, as a missing one is."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if not private:
        try:
            mode = path.stat().st_mode  # follows links: what the name leads to
        except OSError:
            mode = 0
        if stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
            with open(path, "wb") as fh:
                fh.write(payload)
            return
        if path.is_symlink():
            path = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # a file being replaced keeps its permissions
        keep = stat.S_IMODE(path.stat().st_mode) if not private and path.is_file() else None
    except OSError:
        keep = None
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o600 if private else keep if keep is not None else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            if durable if durable is not None else not private:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_file(path: Path, data: bytes | str) -> None:
    """``atomic_write`` for a file the user named: a failure names that file,
    not the temporary one beside it."""
    try:
        atomic_write(path, data)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc


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
