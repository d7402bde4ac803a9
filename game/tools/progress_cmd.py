"""`fruitnet progress [--profile NAME] [--reset [--yes]]`: the saved progress, or a fresh start.

Without options it prints the progress of the profile used last as a table:
every campaign level in order (unplayed ones too, so what is left shows),
then any other pack or level that profile has played. `--reset` starts
progress afresh for everyone on this computer, after "type yes" on stdin
(`--yes` skips the question, for scripts); the old database is renamed
`progress.db.reset-<time>` beside it, never deleted.
"""

from __future__ import annotations

import sys
from typing import TextIO

from game.core.campaign import chapters
from game.core.levels import LevelError
from game.core.paths import data_dir
from game.core.progress import FILE_NAME, LevelProgress, ProgressStore, reset_progress
from game.core.progress_files import exists
from game.resources import levels_dir
from game.tools.profile_choice import chosen_profile

HEADER = ("pack", "level", "won", "stars", "best steps", "best fruit", "attempts", "time played")


def run_progress(profile_name: str | None, reset: bool, yes: bool,
                 stdin: TextIO | None = None) -> int:
    """Print the progress table, or reset progress; returns the exit code."""
    if reset:
        return _reset(yes, stdin if stdin is not None else sys.stdin)
    return _show(profile_name)


def _show(profile_name: str | None) -> int:
    """The progress table of one profile (the one used last unless named)."""
    store, message = ProgressStore.open()
    if message:
        print(message)
    with store:
        profile, why = chosen_profile(store, profile_name, "")
        if profile is None and not why:
            print("No progress saved yet: play a level (fruitnet) and its results are kept here.")
            return 0
        if profile is None:
            print(why)
            return 1
        played, profiles = store.all_progress(profile), store.profiles()
    campaign = _campaign()
    print(f"Progress of {profile.name} ({store.path}):")
    print()
    for line in _table(_rows(campaign, played)):
        print(line)
    print()
    print(_totals(campaign, played))
    others = [p.name for p in profiles if p.id != profile.id]
    if others:
        print(f"Other profiles: {', '.join(others)} (fruitnet progress --profile NAME)")
    return 0


def _campaign() -> list[tuple[str, str]]:
    """(pack id, level id) of every campaign level, in order; none if the packs cannot be read."""
    try:
        return [(pack.id, level.id) for pack in chapters(levels_dir()) for level in pack.levels]
    except (LevelError, OSError):
        return []


def _rows(campaign: list[tuple[str, str]], played: list[LevelProgress]) -> list[tuple[str, ...]]:
    """The table's rows: the campaign in order, then every other level played."""
    by_key = {(p.pack_id, p.level_id): p for p in played}
    rows = [_row(pack, level, by_key.get((pack, level))) for pack, level in campaign]
    rows += [_row(p.pack_id, p.level_id, p) for p in played if (p.pack_id, p.level_id)
             not in set(campaign)]
    return rows


def _row(pack: str, level: str, progress: LevelProgress | None) -> tuple[str, ...]:
    """One level's cells; dashes for a level never played."""
    pack = pack or "(no pack)"
    if progress is None:
        return (pack, level, "-", "-", "-", "-", "0", "-")
    return (pack, level, "yes" if progress.won else "no",
            "★" * progress.stars + "☆" * (3 - progress.stars),
            "-" if progress.best_steps is None else str(progress.best_steps),
            "-" if progress.best_fruit is None else str(progress.best_fruit),
            str(progress.attempts), duration(progress.seconds))


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    """The rows under HEADER, in columns; numbers right-aligned."""
    widths = [max(len(r[k]) for r in [HEADER, *rows]) for k in range(len(HEADER))]
    numeric = {4, 5, 6, 7}

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c.rjust(w) if k in numeric else c.ljust(w)
                         for k, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return [line(HEADER), "  ".join("-" * w for w in widths), *map(line, rows)]


def _totals(campaign: list[tuple[str, str]], played: list[LevelProgress]) -> str:
    """One line: campaign levels won and stars, attempts and time over everything played."""
    in_campaign = [p for p in played if (p.pack_id, p.level_id) in set(campaign)]
    won = sum(p.won for p in in_campaign)
    stars = sum(p.stars for p in in_campaign)
    attempts = sum(p.attempts for p in played)
    seconds = sum(p.seconds for p in played)
    return (f"Campaign: {won} of {len(campaign)} levels won, {stars} of {3 * len(campaign)} stars. "
            f"Played: {attempts} attempt{'s' * (attempts != 1)}, {duration(seconds)}.")


def duration(seconds: float) -> str:
    """A time played for people: "45 s", "12 min", "2 h 05 min"."""
    whole = int(round(seconds))
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"


def _reset(yes: bool, stdin: TextIO) -> int:
    """Reset progress after the player types yes (or at once with --yes)."""
    path = data_dir() / FILE_NAME
    if not exists(path):
        print("There is no saved progress to reset.")
        return 0
    store, message = ProgressStore.open(path)
    if message:
        print(message)
    profiles, attempts = store.counts()
    store.close()
    print(f"This resets the saved progress of everyone on this computer: {profiles} profile(s) and "
          f"{attempts} attempt(s) in {path}. The old file is kept beside it as a backup.")
    if not yes:
        print("Type yes to reset: ", end="", flush=True)
        if stdin.readline().strip().lower() != "yes":
            print("Nothing was reset.")
            return 1
    kept, message = reset_progress(path)
    print(message)
    return 0 if kept is not None else 1
