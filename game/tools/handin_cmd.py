"""`fruitnet handin PACK [--out FILE] [--profile NAME] [--force]`: a student's hand-in file.

PACK is the pack folder the student played (or its .zip, or its pack.toml).
The hand-in holds every attempt this profile recorded in that pack, with
replays (game/core/handin.py), and is written atomically; an existing file is
left alone unless --force (then it is kept as FILE.1.bak). Without --out it
goes to the data folder's `handins/<pack id>-<name>.json`. Prints where it
went, or one line saying why not (exit 1).
"""

from __future__ import annotations

from game.core.fields import LevelError
from game.core.handin import default_handin_path, write_handin
from game.core.pack_open import require_pack
from game.core.progress import ProgressStore
from game.tools.profile_choice import chosen_profile


def run_handin(pack_spec: str, out: str | None, profile_name: str | None, force: bool) -> int:
    """Write the hand-in; returns the exit code."""
    try:
        pack = require_pack(pack_spec)
    except LevelError as error:
        print(error)
        return 1
    store, message = ProgressStore.open()
    if message:
        print(message)
    with store:
        profile, why = chosen_profile(store, profile_name,
                                      "No progress saved yet: play the pack first (fruitnet play PACK).")
        if profile is None:
            print(why)
            return 1
        records = store.attempts(profile, pack.id)
        path, problem = write_handin(store, profile, pack,
                                     out if out is not None else default_handin_path(profile.name, pack),
                                     overwrite=force)
    if problem:
        print(problem + (" (--force replaces it)" if "already exists" in problem else ""))
        return 1
    levels = {r.level_id for r in records}
    won = {r.level_id for r in records if r.state == "won"}
    print(f"Wrote {path}: {profile.name}'s hand-in for {pack.title!r}, {len(records)} attempt(s) "
          f"on {len(levels)} of {len(pack.levels)} level(s), {len(won)} won. Hand this file in.")
    return 0
