"""The log of errors the game caught and survived.

The main loop never lets an exception end the game: it records it here and
shows an error card. Each distinct error (same place, type and message) is
written once with its traceback, to `errors.log` in the user's log folder, so a
draw that fails every frame cannot fill the disk; the file is rotated to
`errors.log.1` past MAX_LOG_BYTES. Writing the log must never itself fail the
game, so I/O problems only make the log say where it could not write.
"""

from __future__ import annotations

import os
import stat
import time
import traceback
from pathlib import Path

MAX_LOG_BYTES = 1_000_000


class ErrorLog:
    """Distinct errors seen in this run, and the file they are written to."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / "errors.log"
        self.counts: dict[tuple[str, str, str], int] = {}
        self.write_problem: str | None = None

    def record(self, where: str, error: BaseException) -> str:
        """Note one caught exception; returns its one-line summary for the screen."""
        summary = f"{type(error).__name__}: {error}".strip()[:200]
        key = (where, type(error).__name__, str(error)[:200])
        first = key not in self.counts
        self.counts[key] = self.counts.get(key, 0) + 1
        if first:
            stamp = time.strftime("%Y-%m-%d %H:%M:%S")
            body = "".join(traceback.format_exception(error))
            self._append(f"--- {stamp} in {where}\n{body}\n")
        return summary

    @property
    def total(self) -> int:
        """How many exceptions were caught, repeats included."""
        return sum(self.counts.values())

    def _append(self, text: str) -> None:
        try:
            _make_private_folder(self.folder)
            self._rotate_if_large()
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
            fd = os.open(self.path, flags, 0o644)
            with os.fdopen(fd, "a", encoding="utf-8", errors="backslashreplace") as out:
                out.write(text)
        except OSError as error:
            self.write_problem = f"{self.path}: cannot write the error log ({error.strerror or error})"

    def _rotate_if_large(self) -> None:
        try:
            info = os.lstat(self.path)
        except FileNotFoundError:
            return
        if stat.S_ISREG(info.st_mode) and info.st_size > MAX_LOG_BYTES:
            os.replace(self.path, self.path.with_name("errors.log.1"))


def _make_private_folder(folder: Path) -> None:
    """Create the folder (and parents); refuse one that is a symlink."""
    folder.mkdir(parents=True, exist_ok=True)
    if folder.is_symlink():
        raise OSError(f"{folder} is a symbolic link; not following it")
