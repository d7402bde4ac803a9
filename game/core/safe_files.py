"""Saving files so that nothing is ever lost, clobbered or written through a symlink.

`write_with_backups(folder, file_name, data, overwrite)` is how the game writes a
file the player keeps (levels from the sandbox; later settings):

- The folder is opened once with O_NOFOLLOW and every name is looked up
  relative to it (`dir_fd`), so nothing is ever written through a symbolic
  link: a folder, file or backup name that is a symlink (or not a regular file)
  makes the save refuse with a one-line message.
- The new version is written to a temporary file `.saving-<pid>-<random>.toml`
  (created exclusively, never through a link), fsynced, then renamed over the
  file with `os.replace`. The file is therefore always a whole old or a whole
  new version, even if the process is killed or the disk is full.
- Overwriting is opt-in: by default an existing file raises `FileExists`, and a
  new file is put in place with a hard link, which fails rather than replace a
  file that appeared meanwhile.
- Backups: before a file is replaced, its old version becomes
  `<name>.1.bak`; older backups move up one number (`.2.bak` … `.5.bak`) and
  the oldest beyond `BACKUPS_KEPT` is dropped. Backups are made by renames and a
  hard link (a copy through a fsynced temporary file where hard links are not
  supported), never by rewriting a file in place, so every backup that exists
  is a complete earlier version. A kill between steps can at worst leave two
  backups holding the same version, or a stray temporary file.
- Temporary files left by a killed save are removed by `clean_stale_temp_files`
  and before each save: only regular files named like ours, and only when older
  than a minute, made by this process (which saves one file at a time) or by a
  process that no longer runs.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
import threading
import time
from pathlib import Path

BACKUPS_KEPT = 5
STALE_TEMP_SECONDS = 60.0

# Ours are .saving-<pid>-<hex>.toml; older versions of the game left .saving-<mkstemp>.toml.
_TEMP_NAME = re.compile(r"\.saving-(?:(\d+)-)?[A-Za-z0-9_]+\.toml")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_HAVE_DIR_FD = all(f in os.supports_dir_fd for f in (os.open, os.stat, os.link, os.rename, os.unlink))
_SAVE_LOCK = threading.Lock()  # one save at a time per process: our own temp files are then stale


class UnsafeSave(ValueError):
    """The save was refused (a symlink, a non-regular file, no folder); str() is one line."""


class FileExists(UnsafeSave):
    """Saving would replace an existing file (`path`); save again with overwrite=True."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path}: a file with this name already exists")
        self.path = path


def write_with_backups(folder: Path, file_name: str, data: bytes, overwrite: bool = False) -> Path:
    """Write `data` as folder/file_name as described above; returns the path.

    Raises FileExists (unless `overwrite`) or UnsafeSave, leaving no file; OSError if
    the disk refuses.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a dangling symlink or a file where the folder should be
        raise UnsafeSave(f"{folder}: expected a folder, got something else") from None
    with _SAVE_LOCK:
        place = _Folder(folder)
        try:
            _clean_stale(place)
            _put_in_place(place, file_name, data, overwrite)
        finally:
            place.close()
    return folder / file_name


def backup_name(file_name: str, generation: int) -> str:
    """The name of a level file's backup: generation 1 is the newest."""
    return f"{file_name}.{generation}.bak"


# ---------------------------------------------------------- the levels folder
class _Folder:
    """A folder, opened without following a symlink; names are looked up inside it.

    With `dir_fd` (Linux, macOS) every operation is relative to the open folder,
    so the folder cannot be swapped for a symlink halfway through a save; on other
    systems names are joined to the path, after the same lstat checks.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            raise UnsafeSave(f"{path}: the folder is a symbolic link; refusing to save there")
        if not stat.S_ISDIR(info.st_mode):
            raise UnsafeSave(f"{path}: expected a folder, got a file")
        self.fd = None
        if _HAVE_DIR_FD:
            try:
                self.fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | _NOFOLLOW | _CLOEXEC)
            except OSError:  # swapped for a link since the lstat above
                raise UnsafeSave(f"{path}: the folder is a symbolic link; "
                                 "refusing to save there") from None

    def close(self) -> None:
        """Release the folder's descriptor."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def _at(self, name: str) -> tuple[str, dict]:
        """How an os call names `name`: relative to the open folder, or by full path."""
        return (name, {"dir_fd": self.fd}) if self.fd is not None else (str(self.path / name), {})

    def _two(self, src: str, dst: str) -> tuple[str, str, dict]:
        """Like _at, for calls that take two names (link, rename)."""
        if self.fd is not None:
            return src, dst, {"src_dir_fd": self.fd, "dst_dir_fd": self.fd}
        return str(self.path / src), str(self.path / dst), {}

    def mode(self, name: str) -> int | None:
        """The file type and mode of `name` itself (a symlink is not followed); None if absent."""
        where, kw = self._at(name)
        try:
            return os.stat(where, follow_symlinks=False, **kw).st_mode
        except FileNotFoundError:
            return None

    def lstat(self, name: str) -> os.stat_result:
        """The status of `name` itself, not of what a symlink points to."""
        where, kw = self._at(name)
        return os.stat(where, follow_symlinks=False, **kw)

    def open(self, name: str, flags: int) -> int:
        """A descriptor for `name`; O_NOFOLLOW: a symlink there fails rather than being followed."""
        where, kw = self._at(name)
        return os.open(where, flags | _NOFOLLOW | _CLOEXEC, 0o644, **kw)

    def link(self, src: str, dst: str) -> None:
        """A hard link dst → src's file; fails if dst exists. A symlink src is linked, not followed."""
        a, b, kw = self._two(src, dst)
        if os.link in os.supports_follow_symlinks:
            kw["follow_symlinks"] = False
        os.link(a, b, **kw)

    def replace(self, src: str, dst: str) -> None:
        """Rename atomically, replacing dst (a symlink at dst is replaced, never followed)."""
        a, b, kw = self._two(src, dst)
        os.replace(a, b, **kw)

    def unlink(self, name: str) -> None:
        """Remove the name `name` if it is there (a symlink itself, never its target)."""
        where, kw = self._at(name)
        try:
            os.unlink(where, **kw)
        except FileNotFoundError:
            pass

    def names(self) -> list[str]:
        """The names in the folder."""
        return os.listdir(self.fd if self.fd is not None else self.path)

    def sync(self) -> None:
        """Make the renames durable (folders cannot be fsynced on Windows)."""
        if self.fd is not None:
            os.fsync(self.fd)


def _new_temp_name() -> str:
    """A fresh temporary name; the process id in it tells the cleaner whose it is."""
    return f".saving-{os.getpid()}-{secrets.token_hex(6)}.toml"


def _write_new(place: _Folder, data: bytes) -> str:
    """Write `data` to a new temporary file, fsynced; returns its name."""
    name = _new_temp_name()
    fd = place.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o644)  # levels are meant to be shared: readable by all, whatever the umask
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        place.unlink(name)
        raise
    os.close(fd)
    return name


def _read(place: _Folder, name: str) -> bytes:
    """The bytes of a regular file in the folder (never through a symlink)."""
    fd = place.open(name, os.O_RDONLY)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnsafeSave(f"{place.path / name}: expected a regular file")
        chunks = []
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


# ----------------------------------------------------------- stale temp files
def clean_stale_temp_files(folder: Path) -> int:
    """Remove temporary files a killed save left in `folder`; how many were removed.

    Safe to call at any time: a missing or unsafe folder, or an error, removes nothing.
    """
    try:
        with _SAVE_LOCK:
            place = _Folder(folder)
            try:
                return _clean_stale(place)
            finally:
                place.close()
    except (OSError, UnsafeSave):
        return 0


def _clean_stale(place: _Folder) -> int:
    """Remove our stale temporary files: regular files only, never what a link points to."""
    removed, now = 0, time.time()
    for name in place.names():
        found = _TEMP_NAME.fullmatch(name)
        if not found:
            continue
        try:
            info = place.lstat(name)
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue  # a symlink or folder with that name is not ours to delete
        pid = int(found[1]) if found[1] else None
        if now - info.st_mtime > STALE_TEMP_SECONDS or pid == os.getpid() or (
                pid is not None and not _process_alive(pid)):
            place.unlink(name)
            removed += 1
    return removed


def _process_alive(pid: int) -> bool:
    """Whether a process with this id runs (True when that cannot be told, e.g. on Windows)."""
    if os.name != "posix":
        return True  # os.kill would terminate it there; age alone decides instead
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except OverflowError:
        return False  # not a possible process id
    except OSError:
        return True  # exists, but belongs to someone else
    return True


def _put_in_place(place: _Folder, file_name: str, data: bytes, overwrite: bool) -> None:
    """Write the new version beside the file, back the old one up, then rename over it."""
    _refuse_links(place, file_name)
    exists = place.mode(file_name) is not None
    if exists and not overwrite:
        raise FileExists(place.path / file_name)
    temp = _write_new(place, data)
    try:
        if exists:
            _keep_backup(place, file_name)
            place.replace(temp, file_name)
        else:
            _place_new(place, temp, file_name, overwrite)
        place.sync()
    finally:
        place.unlink(temp)  # gone already after a rename; removed if anything failed


def _refuse_links(place: _Folder, file_name: str) -> None:
    """A symlink (or folder, pipe…) where the file or a backup belongs is refused, never followed."""
    for name in [file_name] + [backup_name(file_name, k) for k in range(1, BACKUPS_KEPT + 1)]:
        mode = place.mode(name)
        if mode is None or stat.S_ISREG(mode):
            continue
        kind = "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file"
        raise UnsafeSave(f"{place.path / name}: expected a regular file, got {kind}; "
                         "move it away to save under this name")


def _place_new(place: _Folder, temp: str, file_name: str, overwrite: bool) -> None:
    """Give the temp file its final name; a hard link fails if a file appeared meanwhile."""
    try:
        place.link(temp, file_name)
        return
    except FileExistsError:
        if not overwrite:
            raise FileExists(place.path / file_name) from None
    except OSError:
        pass  # no hard links on this file system (FAT, some network drives)
    if not overwrite and place.mode(file_name) is not None:
        raise FileExists(place.path / file_name)
    place.replace(temp, file_name)


def _keep_backup(place: _Folder, file_name: str) -> None:
    """Make the current version backup 1, moving older ones up and dropping the oldest.

    The backup is staged under a temporary name first, so a failure there (a
    full disk) leaves every existing backup as it was.
    """
    staged = _second_name(place, file_name)
    try:
        for k in range(BACKUPS_KEPT - 1, 0, -1):
            if place.mode(backup_name(file_name, k)) is not None:
                place.replace(backup_name(file_name, k), backup_name(file_name, k + 1))
        place.replace(staged, backup_name(file_name, 1))
    finally:
        place.unlink(staged)  # gone already after the rename


def _second_name(place: _Folder, file_name: str) -> str:
    """A temporary name for the current version: a hard link, or a fsynced copy where links fail."""
    staged = _new_temp_name()
    try:
        place.link(file_name, staged)
        return staged
    except OSError:  # no hard links on this file system (FAT, some network drives)
        return _write_new(place, _read(place, file_name))
