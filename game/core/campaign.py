"""The campaign: the chapter packs, in order, and the level that follows another.

Chapter packs are the folders under the shipped levels whose names start with
"ch" followed by the chapter number ("ch1-scale", "ch2-nudge", …). A level's
"Next level" is the next level of its pack, or, after a chapter's last level,
the first level of the next chapter.
"""

from __future__ import annotations

import re
from pathlib import Path

from game.core.levels import Level, Pack, load_pack

_CHAPTER = re.compile(r"ch(\d+)-[a-z0-9-]+")


def chapter_folders(levels_root: Path) -> list[Path]:
    """The chapter pack folders under `levels_root`, by chapter number."""
    found = [(int(m.group(1)), p) for p in levels_root.iterdir()
             if (m := _CHAPTER.fullmatch(p.name)) and (p / "pack.toml").is_file()]
    return [p for _, p in sorted(found)]


def chapters(levels_root: Path) -> list[Pack]:
    """The chapter packs, loaded, in order (LevelError if one is broken)."""
    return [load_pack(folder) for folder in chapter_folders(levels_root)]


def following(level: Level, pack: Pack | None, levels_root: Path) -> tuple[Level, Pack] | None:
    """The level after `level`: in its pack, else the next chapter's first; None at the end."""
    if pack is None:
        return None
    ids = [lv.id for lv in pack.levels]
    if level.id in ids and ids.index(level.id) < len(ids) - 1:
        return pack.levels[ids.index(level.id) + 1], pack
    folders = chapter_folders(levels_root)
    names = [f.name for f in folders]
    if pack.folder.name not in names or pack.folder.resolve() != folders[
            names.index(pack.folder.name)].resolve():
        return None  # not a chapter of this campaign: a teacher's pack ends with itself
    later = folders[names.index(pack.folder.name) + 1:]
    if not later:
        return None
    following_pack = load_pack(later[0])
    return following_pack.levels[0], following_pack
