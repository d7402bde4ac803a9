"""The class packs a student has opened, kept so the chapter map shows them next time too.

A pack handed out as a .zip is unpacked into `packs_dir()` when it is opened
(game/core/pack_open.py). A pack opened from a folder is copied there the same
way, through an in-memory zip of its pack.toml and level files, so every pack a
student has played lives in the data folder under `<pack id>-<hash prefix>` and
a teacher's later edit becomes a folder of its own. `known_packs` lists them,
one per pack id: the one opened most recently.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

from game.core.fields import LevelError
from game.core.levels import Pack, load_pack
from game.core.pack_files import PACK_FILE
from game.core.pack_open import open_zip, packs_dir
from game.core.safe_io import UnreadableFile, read_regular_file

MAX_FILE_BYTES = 2_000_000  # a level file; pack_open's zip limits bound the whole


def remember(pack: Pack) -> Pack:
    """The copy of `pack` in the data folder (made if needed); LevelError (one line) if not."""
    into = packs_dir()
    if pack.folder.resolve().parent == into.resolve():
        _touch(pack.folder)
        return pack
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in [pack.folder / PACK_FILE] + [Path(level.source) for level in pack.levels]:
            try:
                data = read_regular_file(path, MAX_FILE_BYTES)
            except UnreadableFile as error:
                raise LevelError(f"{path}: cannot copy the pack ({error})") from None
            out.writestr(path.resolve().relative_to(pack.folder.resolve()).as_posix(), data)
    with tempfile.TemporaryDirectory(prefix="fruitnet-pack-") as temp:
        zipped = Path(temp) / f"{pack.id}.zip"
        zipped.write_bytes(archive.getvalue())
        kept = open_zip(zipped, into)
    _touch(kept.folder)
    return kept


def known_packs() -> tuple[list[Pack], list[str]]:
    """(the class packs in the data folder, one per pack id, most recently opened first;
    a one-line problem for each folder that no longer loads)."""
    into = packs_dir()
    try:
        entries = [e for e in os.scandir(into) if not e.name.startswith(".")
                   and e.is_dir(follow_symlinks=False)]
    except OSError:
        return [], []
    entries.sort(key=lambda e: e.stat(follow_symlinks=False).st_mtime, reverse=True)
    packs, problems, seen = [], [], set()
    for entry in entries:
        try:
            pack = load_pack(Path(entry.path))
        except LevelError as error:
            problems.append(str(error))
            continue
        if pack.id not in seen:
            seen.add(pack.id)
            packs.append(pack)
    return packs, problems


def _touch(folder: Path) -> None:
    """Mark a pack folder as opened now (its time orders `known_packs`)."""
    try:
        os.utime(folder)
    except OSError:
        pass  # only the order on the map suffers
