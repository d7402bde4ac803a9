"""A teacher's pack on disk: making one, adding levels to it, and its content hash.

A pack is a folder with a `pack.toml` (id, title, the level files in play
order) and its level files (levels/README.md). The teacher's commands build on:

    new_pack(folder, title, pack_id=None) -> (pack.toml's path, its id)
    add_levels(folder, specs, search)     -> [(level id, file name)] added
    pack_hash(pack)                       -> "3f2a…" (64 hex digits)

Every write goes through safe_files.write_with_backups: a temporary file,
fsynced, put in place with os.replace, never through a symbolic link; the
pack.toml that `add_levels` replaces is kept as `pack.toml.1.bak`. A level is
copied byte for byte (its hash is of the bytes read, once), and pack.toml is
written last, so a failure part way never lists a file that is not there.

The pack hash. A hand-in names the pack it was played on by `pack_hash`, so
the report can tell a hand-in made on another version of the pack. It is the
SHA-256 of this UTF-8 text, one line per file, pack.toml first, then each level
file in pack.toml's order:

    pack.toml <TAB> sha256 of pack.toml's bytes <LF>
    1-1-tip-the-scale.toml <TAB> sha256 of that file's bytes <LF>
    …

File names are as pack.toml lists them, with "/" between folders. Editing any
byte of pack.toml or of a level file, renaming, adding, removing or reordering
a level changes it; copying, zipping or moving the folder does not. A file's
line ending is part of its bytes: a file re-saved with Windows line endings is
an edited file (so is any level whose hash, in the replay, no longer matches).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path, PurePosixPath

import tomli_w

from game.core.fields import Fields, LevelError, file_label, loads_toml
from game.core.levels import Level, Pack, find_level, level_from_dict, load_pack
from game.core.safe_files import FileExists, write_with_backups
from game.core.safe_io import MAX_LEVEL_BYTES, UnreadableFile, read_regular_file

PACK_FILE = "pack.toml"
MAX_PACK_LEVELS = 200  # a class pack is a handful of levels; this only bounds a mistake
_SAFE_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._ -]{0,120}\.toml")


def pack_hash(pack: Pack) -> str:
    """The pack's content hash (see the module docstring).

    Every file's hash is the one taken when the pack was loaded (Pack.manifest_sha256,
    Level.sha256), so the hash is of exactly the files the game plays, read once.
    """
    root = pack.folder.resolve()
    lines = [f"{PACK_FILE}\t{pack.manifest_sha256}\n"]
    for level in pack.levels:
        name = PurePosixPath(*Path(level.source).resolve().relative_to(root).parts)
        lines.append(f"{name}\t{level.sha256}\n")
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


def pack_id_from_name(name: str) -> str:
    """A pack id made from a folder name: "Year 9 Nets" → "year-9-nets" ("class-pack" if none)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:64].strip("-")
    return slug or "class-pack"


def new_pack(folder: str | Path, title: str, pack_id: str | None = None) -> tuple[Path, str]:
    """Make `folder` (if needed) with a pack.toml listing no levels yet; (its path, the pack id).

    LevelError (one line) for a bad title or id, or if the folder already holds a
    pack.toml; UnsafeSave or OSError if it cannot be written.
    """
    folder = Path(folder)
    pack_id = pack_id if pack_id is not None else pack_id_from_name(folder.resolve().name)
    label = file_label(folder / PACK_FILE)
    _check_header(pack_id, title, label)
    try:
        path = write_with_backups(folder, PACK_FILE, _manifest(pack_id, title, []))
    except FileExists:
        raise LevelError(f"{label}: this folder is already a pack; add levels with "
                         "`fruitnet pack add`") from None
    return path, pack_id


def _check_header(pack_id: str, title: str, label: str) -> None:
    """The id and title as load_pack will check them (LevelError naming the field)."""
    fields = Fields({"id": pack_id, "title": title}, label)
    fields.identifier("id")
    fields.text("title", max_length=80)


def _manifest(pack_id: str, title: str, files: list[str]) -> bytes:
    """pack.toml's bytes: a comment line, then id, title and the level files, one a line."""
    body = tomli_w.dumps({"id": pack_id, "title": title, "levels": files}, indent=4)
    return ("# A FruitNet pack: the level files, in play order (fruitnet pack add adds more).\n"
            + body).encode("utf-8")


def read_manifest(folder: Path) -> tuple[str, str, list[str]]:
    """(id, title, level file names) of a pack.toml that may list no level yet; LevelError if bad."""
    label = file_label(folder / PACK_FILE)
    try:
        raw = read_regular_file(folder / PACK_FILE, MAX_LEVEL_BYTES)
    except UnreadableFile as error:
        raise LevelError(f"{label}: cannot read the file ({error})") from None
    top = Fields(loads_toml(raw, label), label)
    pack_id, title = top.identifier("id"), top.text("title", max_length=80)
    names = top.raw("levels", "a list of level file names", [])
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        top.fail("levels", "a list of level file names", names)
    top.finish()
    return pack_id, title, list(names)


def add_levels(folder: str | Path, specs: list[str], search: list[Path]) -> list[tuple[str, str]]:
    """Copy levels into the pack and list them in its pack.toml; [(level id, file name)] added.

    A spec is a level file's path or a level id (the packs under `search`, then the
    player's saved levels). Everything is checked before anything is written: a
    level that does not load, an id already in the pack (or twice in `specs`), or
    a pack past MAX_PACK_LEVELS is one LevelError and nothing changes.
    """
    folder = Path(folder)
    pack_id, title, names = read_manifest(folder)
    taken = {level.id: Path(level.source).name
             for level in (load_pack(folder).levels if names else ())}
    used_names = {name.casefold() for name in names}
    plan = []
    for spec in specs:
        level, raw, source = _level_and_bytes(spec, search)
        if level.id in taken:
            where = "is named twice here" if any(p[0] == level.id for p in plan) else \
                f"is already in the pack ({taken[level.id]})"
            raise LevelError(f"{file_label(spec)}: id: level {level.id!r} {where}; "
                             "nothing was added")
        name = _file_name(level.id, source.name, spec, used_names)
        taken[level.id] = name
        used_names.add(name.casefold())
        plan.append((level.id, name, raw))
    if len(names) + len(plan) > MAX_PACK_LEVELS:
        raise LevelError(f"{file_label(folder / PACK_FILE)}: levels: expected at most "
                         f"{MAX_PACK_LEVELS} levels in a pack, got {len(names) + len(plan)}")
    for _, name, raw in plan:
        write_with_backups(folder, name, raw)
    write_with_backups(folder, PACK_FILE, _manifest(pack_id, title, names + [n for _, n, _ in plan]),
                       overwrite=True)
    return [(level_id, name) for level_id, name, _ in plan]


def _level_and_bytes(spec: str, search: list[Path]) -> tuple[Level, bytes, Path]:
    """The level a spec names, the exact bytes of its file (read once, then parsed), its path."""
    source = Path(find_level(spec, search).source)
    label = file_label(spec if Path(spec).suffix == ".toml" else source)
    try:
        raw = read_regular_file(source, MAX_LEVEL_BYTES)
    except UnreadableFile as error:
        raise LevelError(f"{label}: cannot read the file ({error})") from None
    level = level_from_dict(loads_toml(raw, label), label)  # the bytes copied are the bytes checked
    return level, raw, source


def _file_name(level_id: str, own: str, spec: str, used: set[str]) -> str:
    """The level's file name in the pack: its own name, else <id>.toml; never one already used.

    Names are compared without case (Windows and macOS folders ignore it).
    """
    for name in (own, f"{level_id}.toml"):
        if _SAFE_FILE_NAME.fullmatch(name) and name.casefold() not in used:
            return name
    for k in range(2, 1000):
        name = f"{level_id}-{k}.toml"
        if name.casefold() not in used:
            return name
    raise LevelError(f"{file_label(spec)}: no free file name for level {level_id!r} in the pack")
