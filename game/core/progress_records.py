"""What the progress store hands back: profiles, per-level progress and attempt records.

Plain frozen data, so a scene can keep them without holding the database.
Times are ISO 8601 text in UTC ("2026-12-03T10:11:12Z"), as stored, so a
hand-in or a CSV can carry them unchanged.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

DEFAULT_NAME = "Player"
MAX_NAME_CHARS = 40
# Control, format (zero-width, bidi overrides), surrogate, private-use, unassigned and
# line/paragraph separators: invisible, or able to break a table; never part of a name.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# The attempts table's columns, in AttemptRecord's order.
RECORD_COLUMNS = ("id", "profile_id", "pack_id", "level_id", "level_sha256", "app_version",
                  "state", "stars", "steps_star", "fruit_star", "steps", "fruit", "accuracy",
                  "quiz_right", "quiz_asked", "started_at", "finished_at", "seconds", "replay")


@dataclass(frozen=True)
class Profile:
    """A player. `id` 0: not in the database (progress is not being saved)."""

    id: int
    name: str


@dataclass(frozen=True)
class LevelProgress:
    """One level's progress for one profile, computed from its attempts."""

    pack_id: str  # "" for a level outside any pack
    level_id: str
    won: bool
    stars: int  # won + steps ★ + fruit ★, each from any won attempt
    steps_star: bool
    fruit_star: bool
    best_steps: int | None  # fewest steps in a won attempt; None if never won
    best_fruit: int | None  # fewest placed fruit in a won attempt
    attempts: int
    seconds: float  # time played, summed over the attempts
    last_played_at: str  # ISO 8601, UTC


@dataclass(frozen=True)
class AttemptRecord:
    """One recorded attempt, as stored; `replay` is the replay document's JSON text."""

    id: int
    profile_id: int
    pack_id: str
    level_id: str
    level_sha256: str  # of the level file it was played on
    app_version: str
    state: str  # won, out_of_steps, harvest_failed or abandoned
    stars: int
    steps_star: bool
    fruit_star: bool
    steps: int
    fruit: int  # placed fruit
    accuracy: float  # orchard accuracy at the end
    quiz_right: int
    quiz_asked: int
    started_at: str  # ISO 8601, UTC
    finished_at: str
    seconds: float  # time played on it
    replay: str

    @classmethod
    def from_row(cls, row: tuple) -> AttemptRecord:
        """The record from a row of RECORD_COLUMNS (the stars' 0/1 become booleans)."""
        values = list(row)
        values[8], values[9] = bool(values[8]), bool(values[9])  # steps_star, fruit_star
        return cls(*values)


def clean_name(name: str) -> str:
    """A profile name as kept: NFC, no invisible characters, spaces collapsed, at most MAX_NAME_CHARS.

    A name with nothing left is DEFAULT_NAME.
    """
    text = unicodedata.normalize("NFC", str(name))
    text = "".join(c for c in text if unicodedata.category(c) not in _HIDDEN)
    return " ".join(text.split())[:MAX_NAME_CHARS].strip() or DEFAULT_NAME


def iso_time(seconds: float, precision: str = "seconds") -> str:
    """A Unix time as ISO 8601 in UTC, e.g. 2026-12-03T10:11:12Z."""
    stamp = datetime.fromtimestamp(seconds, UTC).isoformat(timespec=precision)
    return stamp.replace("+00:00", "Z")
