"""Opening a pack a teacher handed out: a pack folder, its pack.toml, or a .zip of the folder.

    pack = open_pack_spec("week-3/")        # a Pack, or None if the spec is not a pack
    pack = open_pack_spec("week-3.zip")     # unpacked once into the data folder, then loaded

A zip is unpacked into `data_dir()/packs/<pack id>-<first 12 hex digits of its
pack hash>` (game/core/pack_files.py), so opening the same zip again reuses
that folder and an edited pack gets a folder of its own. Zips come from anyone,
so every entry is checked before a byte is written, and each refusal is one
LevelError line naming the zip:

- at most MAX_ZIP_FILES entries and MAX_ZIP_BYTES uncompressed in all (the
  sizes the zip declares bound what is read: Python's zipfile stops at the
  declared size and checks each entry's CRC);
- no absolute path, drive letter, backslash, ".." or "." part, control
  character or duplicate name (the "zip slip"), no symbolic link or other
  special file, no encrypted entry;
- exactly one pack.toml, at the top or in one top folder.
Files are written only into a fresh private folder (created exclusively, never
through a link) that is renamed into place once the pack loads; anything
refused leaves nothing behind. macOS's `__MACOSX/` metadata is skipped.
"""

from __future__ import annotations

import io
import os
import secrets
import shutil
import stat
import time
import zipfile
from pathlib import Path, PurePosixPath

from game.core.fields import LevelError, file_label
from game.core.levels import Pack, load_pack
from game.core.pack_files import PACK_FILE, pack_hash
from game.core.paths import data_dir
from game.core.safe_io import UnreadableFile, read_regular_file

MAX_ZIP_FILES = 200
MAX_ZIP_BYTES = 20_000_000  # uncompressed; a pack of 200 levels of 2,000 listed fruit is ~30 MB
_TEMP_PREFIX = ".unzipping-"
_STALE_SECONDS = 3600.0


def packs_dir() -> Path:
    """Where unpacked zips go: `packs` in the user data folder."""
    return data_dir() / "packs"


def open_pack_spec(spec: str) -> Pack | None:
    """The pack that `spec` names (a pack folder, a pack.toml, or a .zip); None for anything else.

    LevelError (one line) if it is meant as a pack but cannot be opened.
    """
    path = Path(spec)
    if path.suffix.lower() == ".zip":
        return open_zip(path)
    if path.name == PACK_FILE and _exists(path):
        return load_pack(path.parent)
    if _is_dir(path) and _exists(path / PACK_FILE):
        return load_pack(path)
    return None


def require_pack(spec: str) -> Pack:
    """The pack `spec` names, for a command that needs one; LevelError (one line) if it is
    not a pack or cannot be opened."""
    pack = open_pack_spec(spec)
    if pack is None:
        raise LevelError(f"{file_label(spec)}: expected a pack folder (with pack.toml) or a .zip "
                         "of one")
    return pack


def _exists(path: Path) -> bool:
    try:
        return os.path.lexists(path)
    except (OSError, ValueError):
        return False


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def open_zip(path: str | Path, into: Path | None = None) -> Pack:
    """Unpack a zip of a pack folder (once) into `into` (default packs_dir()) and load it."""
    path, into = Path(path), into if into is not None else packs_dir()
    label = file_label(path)
    try:
        data = read_regular_file(path, MAX_ZIP_BYTES + (1 << 20))
        archive = zipfile.ZipFile(io.BytesIO(data))
    except UnreadableFile as error:
        raise LevelError(f"{label}: cannot read the file ({error})") from None
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise LevelError(f"{label}: expected a zip of a pack folder, got an unreadable zip "
                         f"({error})") from None
    with archive:
        entries, root = _checked_entries(archive, label)
        _prepare(into, label)
        temp = into / f"{_TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(6)}"
        os.mkdir(temp, 0o755)
        try:
            _extract(archive, entries, temp, label)
            return _put_in_place(temp.joinpath(*root.parts), into)
        except LevelError as error:  # name the zip, not the private folder it was unpacked in
            raise LevelError(str(error).replace(str(temp), label)) from None
        finally:
            shutil.rmtree(temp, ignore_errors=True)  # only our own folder, gone after a rename


def _checked_entries(archive: zipfile.ZipFile, label: str) -> tuple[list, PurePosixPath]:
    """The entries to unpack (after every check above) and the pack folder inside the zip."""
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_FILES:
        raise LevelError(f"{label}: expected a zip of at most {MAX_ZIP_FILES} files, "
                         f"got {len(infos):,}")
    total = sum(info.file_size for info in infos)
    if total > MAX_ZIP_BYTES:
        raise LevelError(f"{label}: expected at most {MAX_ZIP_BYTES:,} bytes unpacked, "
                         f"got {total:,}")
    seen, entries = set(), []
    for info in infos:
        name = info.filename
        if name.startswith("__MACOSX/"):
            continue  # Finder's resource forks: never part of a pack
        if problem := _name_problem(name) or _kind_problem(info):
            raise LevelError(f"{label}: refused entry {file_label(name)[:80]}: {problem}")
        key = name.rstrip("/").casefold()
        if key in seen:
            raise LevelError(f"{label}: refused entry {file_label(name)[:80]}: the zip holds "
                             "two entries with this name")
        seen.add(key)
        entries.append(info)
    manifests = [PurePosixPath(i.filename) for i in entries if not i.is_dir()
                 and PurePosixPath(i.filename).name == PACK_FILE
                 and len(PurePosixPath(i.filename).parts) <= 2]
    if len(manifests) != 1:
        raise LevelError(f"{label}: expected a zip of one pack folder (one {PACK_FILE} at the top "
                         f"or in one folder), got {len(manifests)} {PACK_FILE} files")
    return entries, manifests[0].parent


def _name_problem(name: str) -> str | None:
    """Why an entry's name could write outside the folder it is unpacked into; None if safe."""
    if not name or name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "an absolute path"
    if "\\" in name or ":" in name:
        return "a backslash or colon in the name (a Windows path)"
    if not name.isprintable():
        return "a control character in the name"
    parts = name.rstrip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "a path with '..', '.' or an empty part (it could leave the pack folder)"
    if len(parts) > 8 or len(name) > 400:
        return "a path too deep or too long"
    return None


def _kind_problem(info: zipfile.ZipInfo) -> str | None:
    """Why an entry is not a plain file or folder; None if it is."""
    if info.flag_bits & 0x1:
        return "encrypted"
    mode = info.external_attr >> 16
    if mode and stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file"
    return None


def _prepare(into: Path, label: str) -> None:
    """Make the packs folder (never a symbolic link) and clear unpackings a crash left."""
    try:
        into.mkdir(parents=True, exist_ok=True)
        if stat.S_ISLNK(os.lstat(into).st_mode):
            raise LevelError(f"{label}: {file_label(into)} is a symbolic link; "
                             "refusing to unpack there")
        for entry in os.scandir(into):
            if entry.name.startswith(_TEMP_PREFIX) and entry.is_dir(follow_symlinks=False) \
                    and time.time() - entry.stat(follow_symlinks=False).st_mtime > _STALE_SECONDS:
                shutil.rmtree(entry.path, ignore_errors=True)
    except OSError as error:
        raise LevelError(f"{label}: cannot unpack into {file_label(into)} "
                         f"({error.strerror or error})") from None


def _extract(archive: zipfile.ZipFile, entries: list, temp: Path, label: str) -> None:
    """Write every entry under `temp`: folders made fresh, files created exclusively."""
    written = 0
    for info in entries:
        target = temp.joinpath(*info.filename.rstrip("/").split("/"))
        try:
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as source, open(target, "xb") as out:
                while chunk := source.read(1 << 16):
                    written += len(chunk)
                    if written > MAX_ZIP_BYTES:
                        raise LevelError(f"{label}: expected at most {MAX_ZIP_BYTES:,} bytes "
                                         "unpacked, got more")
                    out.write(chunk)
        except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as error:
            raise LevelError(f"{label}: entry {file_label(info.filename)[:80]} is damaged "
                             f"({error})") from None
        except OSError as error:
            raise LevelError(f"{label}: cannot unpack {file_label(info.filename)[:80]} "
                             f"({error.strerror or error})") from None


def _put_in_place(folder: Path, into: Path) -> Pack:
    """Load the unpacked pack and rename it to <id>-<hash prefix>; an identical one is reused."""
    pack = load_pack(folder)
    digest = pack_hash(pack)
    for k in range(1, 100):
        name = f"{pack.id}-{digest[:12]}" + (f"-{k}" if k > 1 else "")
        final = into / name
        if not _exists(final):
            os.rename(folder, final)
            return load_pack(final)
        try:
            existing = load_pack(final)
            if not stat.S_ISLNK(os.lstat(final).st_mode) and pack_hash(existing) == digest:
                return existing
        except (LevelError, OSError):
            pass  # damaged since it was unpacked: unpack beside it
    raise LevelError(f"{file_label(into)}: no free folder name for pack {pack.id!r}")
