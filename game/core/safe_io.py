"""Reading files that come from anyone (levels, packs, replays, hand-ins) safely.

Only regular files are read: a FIFO would block forever and /dev/zero never
ends, so both are refused before a byte is read. The size is capped, and every
failure becomes one line naming the file: `FILE: cannot read the file (why)`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_LEVEL_BYTES = 1_000_000  # a level with 2,000 explicit points is about 150 kB
MAX_REPLAY_BYTES = 4_000_000  # a full-budget replay of single steps and fruit edits


class UnreadableFile(OSError):
    """A file could not be read safely; str() is the one-line reason (without the file name)."""


def read_regular_file(path: str | Path, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most `max_bytes`; UnreadableFile otherwise.

    The file is opened non-blocking (so a FIFO cannot hang the open) and checked
    with fstat on the open descriptor, so it cannot be swapped between check and read.
    """
    try:
        fd = os.open(os.fspath(path), os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except ValueError:  # an embedded NUL character in the name
        raise UnreadableFile("the file name contains a NUL character") from None
    except OSError as error:
        raise UnreadableFile(error.strerror or str(error)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("expected a regular file, got "
                                 f"{_kind(info.st_mode)}")
        if info.st_size > max_bytes:
            raise UnreadableFile(f"expected at most {max_bytes:,} bytes, got {info.st_size:,}")
        chunks, total = [], 0
        while chunk := os.read(fd, 65536):
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:  # the file grew while we read it
                raise UnreadableFile(f"expected at most {max_bytes:,} bytes, got more")
        return b"".join(chunks)
    except UnreadableFile:
        raise
    except OSError as error:
        raise UnreadableFile(error.strerror or str(error)) from None
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "something else"
