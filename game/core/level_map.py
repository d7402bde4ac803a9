"""The chapter map's model: which levels are open, and what each has earned.

Unlocking, so that nobody is stuck: a level opens when the level before it in
the campaign is won, and every level of a chapter opens once that chapter's
first level is won. The campaign's first level is always open. A teacher's pack
(not a chapter) is a map of its own, with the same rule inside it.

Stars per level come from the saved progress (game/core/progress.py): one for
the win, one for winning within par steps, one for winning within par fruit,
each earned by any won attempt.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.core.levels import Level, Pack
from game.core.progress_records import LevelProgress


@dataclass(frozen=True)
class MapLevel:
    """One tile of the map."""

    pack: Pack
    level: Level
    number: str  # "2-3": chapter (or pack) number and place in it
    unlocked: bool
    progress: LevelProgress | None  # None: never played

    @property
    def won(self) -> bool:
        return self.progress is not None and self.progress.won


def level_map(packs: list[Pack], progress: dict[str, dict[str, LevelProgress]],
              prefix: str | None = None) -> list[list[MapLevel]]:
    """The map: one row of tiles per pack, in order. progress: {pack id: {level id: progress}}.

    Tiles are numbered "<pack number>-<level number>", or "<prefix>-<level number>"."""
    rows, previous_won = [], True  # the campaign's first level is open
    for number, pack in enumerate(packs, start=1):
        mine = progress.get(pack.id, {})
        won = [lv.id in mine and mine[lv.id].won for lv in pack.levels]
        first_won = bool(won) and won[0]
        row = []
        for k, level in enumerate(pack.levels):
            unlocked = previous_won or first_won
            row.append(MapLevel(pack, level, f"{prefix or number}-{k + 1}", unlocked,
                                mine.get(level.id)))
            previous_won = won[k]
        rows.append(row)
    return rows


def continue_from(rows: list[list[MapLevel]], last: tuple[str, str] | None) -> MapLevel | None:
    """Where "Continue" goes: the first open level not yet won after the one played last
    (or the last one itself while it is not won); None when every open level is won."""
    tiles = [tile for row in rows for tile in row]
    start = 0
    if last is not None:
        start = next((k for k, t in enumerate(tiles) if (t.pack.id, t.level.id) == last), 0)
    ordered = tiles[start:] + tiles[:start]
    return next((t for t in ordered if t.unlocked and not t.won), None)


def pack_summary(row: list[MapLevel]) -> tuple[int, int, int]:
    """(levels won, stars earned, stars possible) for one pack's row."""
    won = sum(tile.won for tile in row)
    stars = sum(tile.progress.stars for tile in row if tile.progress is not None)
    return won, stars, 3 * len(row)
