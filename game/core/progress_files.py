"""The progress database as a file: checked before SQLite opens it, set aside, created whole.

SQLite follows symbolic links and treats a zero-length file as a new database,
so the file is looked at first (with lstat, never following a link):

- `unusable(path)` names what is wrong with the file itself: a symbolic link,
  a folder, a pipe or device, an empty file. Its side files (`-journal`,
  `-wal`, `-shm`) must be regular files too, and must not exist without the
  database (SQLite would play an orphan journal back into a new database).
- `set_aside(path, tag)` renames the database to `progress.db.<tag>-<time>` and
  each side file to that name plus its suffix, so a hot journal stays paired
  with its database (SQLite finds `X-journal` beside `X`). Nothing is deleted
  or overwritten: a name already taken gets `-2`, `-3`, … A symbolic link is
  renamed itself, never what it points to.
- `create_fresh(path, build)` builds a new database under a temporary name,
  commits and closes it, then gives it its name with a hard link, which fails
  rather than replace a database that appeared meanwhile. So `progress.db`
  never exists half-made: a kill during the first start leaves at most a stray
  temporary file, which `clean_stale` removes at the next start, and an empty
  `progress.db` always means damage (a failed copy), never our own start.
- `why_failed(error, path)` turns an OSError or sqlite3.Error into a few words
  (a full disk, a read-only folder, a damaged file, another FruitNet).
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import sqlite3
import stat
import time
from collections.abc import Callable
from pathlib import Path

SIDE_SUFFIXES = ("-journal", "-wal", "-shm")
STALE_SECONDS = 60.0
_TEMP = re.compile(r"\.progress-new-(\d+)-[0-9a-f]+\.db(?:-journal)?")
CORRUPT = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
BUSY = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_READ_ONLY = {sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM,
              sqlite3.SQLITE_AUTH}


def unusable(path: Path) -> str | None:
    """Why the database file at `path` cannot be opened safely, or None (also if it is absent)."""
    try:
        mode, size = _lstat(path)
    except FileNotFoundError:
        # A journal or WAL with no database (a kill between set_aside's renames) would be
        # played back into the next new database: it goes aside too.
        orphans = [s for s in SIDE_SUFFIXES if exists(_side(path, s))]
        return f"{path.name}{orphans[0]} has no database" if orphans else None
    if stat.S_ISLNK(mode):
        return "it is a symbolic link, which FruitNet never follows"
    if stat.S_ISDIR(mode):
        return "it is a folder, not a file"
    if not stat.S_ISREG(mode):
        return "it is not a regular file"
    if size == 0:
        return "it is empty (0 bytes)"
    for suffix in SIDE_SUFFIXES:
        side = _side(path, suffix)
        try:
            side_mode, _ = _lstat(side)
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(side_mode):
            return f"{side.name} is not a regular file"
    return None


def read_header(path: Path) -> tuple[bool, int, int] | None:
    """(in WAL mode, user_version, application_id) from the file's own header, without SQLite.

    None if it is not an SQLite database. Read before SQLite opens the file,
    because SQLite would play a `-wal` file into the database (and, closing,
    write it back) before any check could refuse it.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        data = os.read(fd, 100)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(data) < 100 or not data.startswith(b"SQLite format 3\x00"):
        return None
    return (2 in data[18:20], int.from_bytes(data[60:64], "big", signed=True),
            int.from_bytes(data[68:72], "big", signed=True))


def stray_side_files(path: Path) -> list[Path]:
    """`-wal` and `-shm` files beside a database in rollback mode: never its own, and
    SQLite would read a stray `-wal` as if it were (it replaces the data with another's)."""
    header = read_header(path)
    if header is None or header[0]:
        return []
    return [side for s in ("-wal", "-shm") if exists(side := _side(path, s))]


def set_aside(path: Path, tag: str, when: float) -> Path:
    """Rename the database (and its side files) to `<name>.<tag>-<time>`; returns the new path.

    OSError if the folder cannot be written (then nothing of the database was moved).
    """
    target = free_name(path, tag, when)
    if exists(path):
        os.rename(path, target)  # rename never follows a link: the link itself moves
    for suffix in SIDE_SUFFIXES:  # after the database: a kill in between leaves an orphan
        if exists(_side(path, suffix)):  # journal, which `unusable` sends after it
            os.rename(_side(path, suffix), _side(target, suffix))
    _sync_folder(path.parent)
    return target


def free_name(path: Path, tag: str, when: float) -> Path:
    """`<name>.<tag>-<time>`, numbered if needed, so that neither it nor its side files exist."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(when))
    target = path.with_name(f"{path.name}.{tag}-{stamp}")
    n = 1
    while any(exists(p) for p in [target, *(_side(target, s) for s in SIDE_SUFFIXES)]):
        n += 1
        target = path.with_name(f"{path.name}.{tag}-{stamp}-{n}")
    return target


def create_fresh(path: Path, build: Callable[[sqlite3.Connection], None]) -> None:
    """Make a new database at `path` with `build` run on it; nothing if a database appeared meanwhile.

    Raises OSError or sqlite3.Error (a read-only folder, a full disk), leaving no temporary file.
    """
    temp = path.with_name(f".progress-new-{os.getpid()}-{secrets.token_hex(6)}.db")
    try:
        db = sqlite3.connect(temp, isolation_level=None)
        try:
            build(db)
        finally:
            db.close()
        try:
            os.link(temp, path)  # fails if `path` exists: another start was quicker
        except FileExistsError:
            pass
        except OSError:  # no hard links here (FAT, some network drives)
            if not exists(path):
                os.rename(temp, path)
        _sync_folder(path.parent)
    finally:
        for name in (temp, _side(temp, "-journal")):
            _remove(name)


def clean_stale(folder: Path) -> int:
    """Remove temporary databases a killed first start left behind; how many were removed.

    Only regular files named like ours, made by this process, by one that no longer
    runs, or older than STALE_SECONDS. Never raises.
    """
    removed = 0
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    for name in names:
        found = _TEMP.fullmatch(name)
        if not found:
            continue
        try:
            info = os.lstat(folder / name)
            if not stat.S_ISREG(info.st_mode):
                continue  # a link or folder with that name is not ours
            pid = int(found[1])
            if pid == os.getpid() or not _alive(pid) or time.time() - info.st_mtime > STALE_SECONDS:
                os.unlink(folder / name)
                removed += 1
        except OSError:
            continue
    return removed


def _side(path: Path, suffix: str) -> Path:
    """The side file SQLite keeps beside `path` (e.g. `progress.db-journal`)."""
    return path.with_name(path.name + suffix)


def _lstat(path: Path) -> tuple[int, int]:
    """(mode, size) of `path` itself, not of what a link points to."""
    info = os.lstat(path)
    return info.st_mode, info.st_size


def exists(path: Path) -> bool:
    """Whether anything (a dangling link too) has this name."""
    try:
        os.lstat(path)
        return True
    except FileNotFoundError:
        return False


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _alive(pid: int) -> bool:
    """Whether a process with this id runs (True when that cannot be told, e.g. on Windows)."""
    if os.name != "posix":
        return True  # os.kill would terminate it there; age alone decides instead
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True
    return True


def _sync_folder(folder: Path) -> None:
    """Make renames durable (folders cannot be fsynced on Windows; that is not an error)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ------------------------------------------------------------- what went wrong
def sqlite_code(error: sqlite3.Error) -> int | None:
    """SQLite's primary result code for an error (SQLITE_FULL, …), or None."""
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def why_failed(error: Exception, path: Path) -> str:
    """Why an operation on the database at `path` failed, in a few words for a one-line message."""
    code = sqlite_code(error) if isinstance(error, sqlite3.Error) else None
    number = error.errno if isinstance(error, OSError) else None
    if code == sqlite3.SQLITE_FULL or number in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return f"the disk holding {path.parent} is full"
    if code in _READ_ONLY or number in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"the folder {path.parent} is read-only or cannot be written"
    if code in CORRUPT:
        return f"{path.name} is damaged; it will be set aside at the next start"
    if code in BUSY:
        return f"another FruitNet is using {path.name}"
    if code == sqlite3.SQLITE_IOERR:
        return f"a disk error on {path.name} ({one_line(error)})"
    return f"{path.name}: {one_line(error)}"


def one_line(error: Exception) -> str:
    """An exception's text on one line, at most 200 characters."""
    text = " ".join(str(error).split())
    return text[:200] or type(error).__name__
