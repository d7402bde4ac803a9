"""`fruitnet pack new FOLDER --title "…" [--id ID]` and `fruitnet pack add FOLDER LEVEL…`.

A teacher makes a pack folder, then copies levels into it: a level file's path
(one saved from the sandbox, say) or the id of a shipped or saved level
(`tip-the-scale`). `fruitnet check --solve FOLDER` then proves the pack. Each
command prints what it did, with the pack's content hash once it has levels
(game/core/pack_files.py), or one line saying why nothing was done (exit 1).
"""

from __future__ import annotations

from pathlib import Path

from game.core.fields import LevelError, file_label
from game.core.levels import load_pack
from game.core.pack_files import add_levels, new_pack, pack_hash
from game.core.safe_files import UnsafeSave
from game.resources import levels_dir


def run_pack_new(folder: str, title: str, pack_id: str | None = None) -> int:
    """Make a pack folder with a pack.toml; returns the exit code."""
    try:
        path, made_id = new_pack(Path(folder), title, pack_id)
    except (LevelError, UnsafeSave) as error:
        print(error)
        return 1
    except OSError as error:
        print(f"{file_label(folder)}: cannot make the pack ({error.strerror or error})")
        return 1
    print(f"Made {path} (pack id {made_id!r}, title {title!r}). Add levels with: "
          f"fruitnet pack add {folder} LEVEL…")
    return 0


def run_pack_add(folder: str, specs: list[str]) -> int:
    """Copy levels into a pack and list them in its pack.toml; returns the exit code."""
    try:
        added = add_levels(Path(folder), specs, [levels_dir()])
        digest = pack_hash(load_pack(Path(folder)))
    except (LevelError, UnsafeSave) as error:
        print(error)
        return 1
    except OSError as error:
        print(f"{file_label(folder)}: cannot add to the pack ({error.strerror or error})")
        return 1
    for level_id, name in added:
        print(f"Added {level_id} as {Path(folder) / name}")
    print(f"Pack hash {digest} (hand-ins name it; fruitnet check --solve {folder} proves the pack)")
    return 0
