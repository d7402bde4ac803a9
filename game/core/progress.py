"""Saved progress: profiles, per-level progress and every finished attempt with its replay.

Everything lives in one SQLite database, `progress.db` in the user data folder
(game/core/paths.py; FRUITNET_DATA_DIR moves it). The tables and their
versions are in progress_schema.py, the file checks in progress_files.py.

How it is used (the scenes' side; nothing here raises for I/O trouble):

    store, message = ProgressStore.open()        # message: a one-line toast, or None
    profile = store.profile()                     # the last player, or "Player" the first time
    profile = store.profile("Anna")               # Anna's profile, made if new (classroom packs)
    message = store.record_attempt(profile, pack.id, attempt, seconds)   # at a result card
    store.level_progress(profile, pack.id)        # {level_id: LevelProgress}: the chapter map
    store.all_progress(profile)                   # [LevelProgress] over every pack
    store.attempts(profile, pack_id)              # [AttemptRecord] with replay JSON: a hand-in
    store.last_played(profile)                    # (pack_id, level_id) or None: "Continue"
    store.close()

What is recorded: every attempt that ends (won, out of steps, failed harvest),
and an attempt left while playing after at least one step, as "abandoned":
time spent and what was tried are part of a student's record, but opening a
level and leaving before any step is only looking. Free play (the sandbox) is
not progress and is never recorded. A level outside any pack has pack id "".
Per-level progress is computed from the attempts: won if any attempt won,
best steps and best fruit over won attempts, the steps ★ and the fruit ★ each
earned by any won attempt (two separate challenges), time played summed.

Journal: the default rollback journal (journal_mode=DELETE) with
synchronous=FULL, not WAL. The game is a single process writing a row a
minute, so WAL's concurrent readers buy nothing, and its costs land exactly
where schools keep files: WAL needs shared memory (`-shm`) and does not work
on network drives, and its `-wal` file holds committed data until a
checkpoint, so a student copying only `progress.db` to a USB stick would leave
recent results behind. With a rollback journal the database file alone is
complete after every commit. Durability on kill -9: a commit is done once the
journal is deleted; a kill before that leaves a hot journal, which SQLite plays
back at the next open, restoring the last commit (tests/test_progress_kill.py).

Failures: a file that is not a usable database (a link, a folder, empty,
damaged, another program's) is set aside as `progress.db.corrupt-<time>`,
never deleted, and a new one is started, with a one-line message. A read-only
or full disk switches the store to not saving: `saving` turns False, `status`
says why, the message is returned once (by `open` or the first
`record_attempt` after it), and play goes on. A database from a newer
FruitNet is neither read nor written.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from game import __version__
from game.core import progress_files
from game.core.attempt import PLAYING, Attempt
from game.core.paths import data_dir
from game.core.progress_files import BUSY, CORRUPT, one_line, sqlite_code, why_failed
from game.core.progress_records import (
    DEFAULT_NAME,
    RECORD_COLUMNS,
    AttemptRecord,
    LevelProgress,
    Profile,
    clean_name,
    iso_time,
)
from game.core.progress_schema import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    Damaged,
    NotOurs,
    TooNew,
    connect_checked,
    migrate,
    rollback,
)
from game.core.replay import record
from game.core.safe_io import MAX_REPLAY_BYTES

FILE_NAME = "progress.db"
__all__ = ["AttemptRecord", "LevelProgress", "Profile", "ProgressStore", "clean_name",
           "reset_progress"]


class ProgressStore:
    """The progress database of one computer; open it with `ProgressStore.open`."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.status: str | None = None  # why progress is not being saved; None while it is
        self._db: sqlite3.Connection | None = None
        self._clock = clock
        self._told = False

    # ------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: str | Path | None = None,
             clock: Callable[[], float] = time.time) -> tuple[ProgressStore, str | None]:
        """The store at `path` (default: progress.db in the data folder), and a one-line message.

        The message says what was set aside or why progress is not being saved; None
        when all is well. Never raises: in the worst case the store only stops saving.
        """
        store = cls(Path(path) if path is not None else data_dir() / FILE_NAME, clock)
        try:
            note = store._open()
        except Exception as error:  # saves must never stop the game: an unforeseen failure
            store.close()  # (a bug, an odd file system) only stops saving
            store._stop(f"{store.path.name} could not be opened ({one_line(error)})")
            note = None
        told = store._tell()
        return store, " ".join(m for m in (note, told) if m) or None

    def _open(self) -> str | None:
        """Open or create the database, setting aside what cannot be used; the set-aside note."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self._stop(why_failed(error, self.path))
            return None
        progress_files.clean_stale(self.path.parent)
        note = None
        if problem := progress_files.unusable(self.path):
            note = self._set_aside(problem)
        for _ in range(2):  # a second time after a damaged database went aside
            if self.status:
                return note
            try:
                if not progress_files.exists(self.path):
                    progress_files.create_fresh(self.path, migrate)
                elif moved := self._before_sqlite():
                    note = f"{note} {moved}" if note else moved
                self._db = connect_checked(self.path)
                migrate(self._db)
                self._probe_write()
                return note
            except TooNew as error:
                which = f"schema {error.version}" if error.version else "in WAL mode"
                self._stop(f"{self.path.name} was written by a newer FruitNet ({which}; this one "
                           f"reads up to schema {SCHEMA_VERSION}) and is left untouched")
            except (NotOurs, Damaged, sqlite3.DatabaseError) as error:
                self.close()
                if isinstance(error, sqlite3.Error) and sqlite_code(error) not in CORRUPT:
                    self._stop(why_failed(error, self.path))
                else:
                    note = self._set_aside(_damage(error))
            except OSError as error:
                self._stop(why_failed(error, self.path))
        self._stop(f"a new {self.path.name} could not be made")
        return note

    def _before_sqlite(self) -> str | None:
        """What SQLite cannot check without changing the file; a note if stray files went aside.

        A database in WAL mode (no FruitNet up to this one writes one) is refused as
        another program's or a newer FruitNet's before SQLite plays its -wal into it. A -wal or -shm beside a
        rollback-mode database is not its own, and is moved aside unread.
        """
        header = progress_files.read_header(self.path)
        if header is not None and header[0]:
            _, version, app_id = header
            if app_id != APPLICATION_ID:
                raise NotOurs()
            # Its header may be older than its -wal, so its version cannot be read unchanged;
            # no FruitNet up to this one writes WAL, so a later one made it.
            raise TooNew(version if version > SCHEMA_VERSION else None)
        strays = progress_files.stray_side_files(self.path)
        when = self._clock()
        for side in strays:
            os.rename(side, progress_files.free_name(side, "stray", when))
        if not strays:
            return None
        return (f"{' and '.join(side.name for side in strays)} did not belong to {self.path.name} "
                "and went aside unread.")

    def _set_aside(self, problem: str) -> str | None:
        """Move the unusable database aside; the note saying so (or stop saving if it cannot move)."""
        try:
            kept = progress_files.set_aside(self.path, "corrupt", self._clock())
        except OSError as error:
            self._stop(f"{self.path.name} cannot be used ({problem}) nor moved aside "
                       f"({why_failed(error, self.path)})")
            return None
        return (f"Saved progress could not be used: {self.path.name}: {problem}. It is kept as "
                f"{kept.name}, and progress starts afresh.")

    def _probe_write(self) -> None:
        """One empty write at the start, so a read-only folder is reported before anything is played."""
        self._commit([(f"PRAGMA user_version = {SCHEMA_VERSION}", ())])

    # ------------------------------------------------------------- status
    @property
    def saving(self) -> bool:
        """Whether progress is being saved."""
        return self._db is not None and self.status is None

    def _stop(self, why: str) -> None:
        """Stop saving (the first reason is the one kept)."""
        if self.status is None:
            self.status = f"Progress is not being saved: {why}. Play continues."

    def _tell(self) -> str | None:
        """The not-saving message, the first time it is asked for; None after that."""
        if self.status is None or self._told:
            return None
        self._told = True
        return self.status

    def close(self) -> None:
        """Close the database (safe to call twice); reads then return nothing."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    # ------------------------------------------------------------- writing
    def _commit(self, statements: list[tuple[str, tuple]]) -> str | None:
        """Run `statements` in one transaction; None if done, else a one-line message.

        Disk trouble also stops saving (without telling: the public caller tells).
        """
        if not self.saving:
            return self.status
        try:
            self._db.execute("BEGIN IMMEDIATE")
            for sql, params in statements:
                self._db.execute(sql, params)
            self._db.execute("COMMIT")
            return None
        except sqlite3.Error as error:
            rollback(self._db)
            if sqlite_code(error) in BUSY:  # another FruitNet is writing: only this write is lost
                return f"Not saved: another FruitNet is using {self.path.name}."
            if sqlite_code(error) == sqlite3.SQLITE_CONSTRAINT:  # a caller's mistake, not the disk's
                return f"Not saved: the record was refused ({one_line(error)})."
            self._stop(why_failed(error, self.path))
            return self.status

    def profile(self, name: str | None = None) -> Profile:
        """The profile called `name` (made if new), or with None the one used last ("Player" at first).

        Names are tidied (no control or invisible characters, at most MAX_NAME_CHARS)
        and compared without case. Profile id 0 means it is not in the database.
        """
        wanted = clean_name(name) if name is not None else None
        if wanted is None:
            rows = self._read("SELECT id, name FROM profiles ORDER BY last_used_at DESC, id DESC LIMIT 1")
            if rows:
                return Profile(*rows[0])
            wanted = DEFAULT_NAME
        now = iso_time(self._clock(), "milliseconds")
        found = self.find_profile(wanted)
        if found is not None:
            self._commit([("UPDATE profiles SET last_used_at = ? WHERE id = ?", (now, found.id))])
            return found
        if self._commit([("INSERT OR IGNORE INTO profiles (name, name_key, created_at, last_used_at) "
                         "VALUES (?, ?, ?, ?)", (wanted, wanted.casefold(), now, now))]) is None:
            return self.find_profile(wanted) or Profile(0, wanted)
        return Profile(0, wanted)

    def record_attempt(self, profile: Profile, pack_id: str, attempt: Attempt,
                       seconds: float) -> str | None:
        """Save `attempt` (its result and replay) for `profile` in pack `pack_id` ("" for none).

        `seconds` is the time played on it. Call it when an attempt ends, or is left
        while playing. Returns None when saved or when there is nothing to save (free
        play, or left before the first step); otherwise a one-line message to show.
        """
        if attempt.free_play or (attempt.state == PLAYING and attempt.steps_used == 0):
            return None
        if not self.saving:
            return self._tell()
        outcome = attempt.outcome()
        try:
            replay = json.dumps(record(attempt), separators=(",", ":"), allow_nan=False)
        except ValueError as error:
            return f"Not saved: the replay could not be written ({one_line(error)})."
        if len(replay.encode()) > MAX_REPLAY_BYTES:  # fruitnet replay could not read it back
            return f"Not saved: the replay is larger than {MAX_REPLAY_BYTES:,} bytes."
        seconds = max(0.0, float(seconds)) if math.isfinite(seconds) else 0.0
        end = self._clock()
        state = "abandoned" if attempt.state == PLAYING else attempt.state
        row = (profile.id, pack_id, attempt.level.id, attempt.level.sha256, __version__, state,
               outcome.stars, int(outcome.steps_star), int(outcome.fruit_star), outcome.steps_used,
               outcome.points_used, float(outcome.accuracy), outcome.quiz_right, outcome.quiz_asked,
               iso_time(end - seconds), iso_time(end), round(seconds, 3), replay)
        columns = ", ".join(RECORD_COLUMNS[1:])
        problem = self._commit([
            (f"INSERT INTO attempts ({columns}) VALUES ({', '.join('?' * len(row))})", row),
            ("UPDATE profiles SET last_used_at = ? WHERE id = ?", (iso_time(end, "milliseconds"),
                                                                   profile.id))])
        return self._tell() if problem is not None and problem == self.status else problem

    # ------------------------------------------------------------- reading
    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        """The rows of a query; none if the database cannot be read (saving then stops)."""
        if self._db is None:
            return []
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as error:
            if sqlite_code(error) not in BUSY:
                self._stop(why_failed(error, self.path))
            return []

    def find_profile(self, name: str) -> Profile | None:
        """The profile with this name (compared without case), or None; changes nothing."""
        rows = self._read("SELECT id, name FROM profiles WHERE name_key = ?",
                          (clean_name(name).casefold(),))
        return Profile(*rows[0]) if rows else None

    def profiles(self) -> list[Profile]:
        """Every profile, the one used last first."""
        return [Profile(*r) for r in
                self._read("SELECT id, name FROM profiles ORDER BY last_used_at DESC, id DESC")]

    def level_progress(self, profile: Profile, pack_id: str) -> dict[str, LevelProgress]:
        """{level id: its progress} for the levels of pack `pack_id` this profile has played."""
        return {p.level_id: p for p in self._progress(profile, pack_id)}

    def all_progress(self, profile: Profile) -> list[LevelProgress]:
        """The progress of every level this profile has played, by pack, in the order first played."""
        return self._progress(profile, None)

    def _progress(self, profile: Profile, pack_id: str | None) -> list[LevelProgress]:
        where = "profile_id = ?" + (" AND pack_id = ?" if pack_id is not None else "")
        params = (profile.id,) + ((pack_id,) if pack_id is not None else ())
        rows = self._read(
            "SELECT pack_id, level_id, MAX(state = 'won'), MAX(steps_star), MAX(fruit_star), "
            "MIN(CASE WHEN state = 'won' THEN steps END), MIN(CASE WHEN state = 'won' THEN fruit END), "
            f"COUNT(*), SUM(seconds), MAX(finished_at) FROM attempts WHERE {where} "
            "GROUP BY pack_id, level_id ORDER BY MIN(MIN(id)) OVER (PARTITION BY pack_id), MIN(id)",
            params)
        return [LevelProgress(pack, level, bool(won), int(won) + steps_star + fruit_star,
                              bool(steps_star), bool(fruit_star), best_steps, best_fruit, count,
                              float(seconds), last)
                for pack, level, won, steps_star, fruit_star, best_steps, best_fruit, count, seconds,
                last in rows]

    def attempts(self, profile: Profile, pack_id: str | None = None,
                 level_id: str | None = None) -> list[AttemptRecord]:
        """This profile's recorded attempts, oldest first, in one pack (None: every pack) and level."""
        sql = f"SELECT {', '.join(RECORD_COLUMNS)} FROM attempts WHERE profile_id = ?"
        params = [profile.id]
        for column, value in (("pack_id", pack_id), ("level_id", level_id)):
            if value is not None:
                sql += f" AND {column} = ?"
                params.append(value)
        return [AttemptRecord.from_row(row) for row in self._read(sql + " ORDER BY id", tuple(params))]

    def last_played(self, profile: Profile) -> tuple[str, str] | None:
        """(pack id, level id) of this profile's latest recorded attempt, or None."""
        rows = self._read("SELECT pack_id, level_id FROM attempts WHERE profile_id = ? "
                          "ORDER BY id DESC LIMIT 1", (profile.id,))
        return tuple(rows[0]) if rows else None

    def counts(self) -> tuple[int, int]:
        """(profiles, attempts) in the whole database."""
        rows = self._read("SELECT (SELECT count(*) FROM profiles), (SELECT count(*) FROM attempts)")
        return tuple(rows[0]) if rows else (0, 0)


def _damage(error: Exception) -> str:
    """What was wrong with a database that goes aside, for the player (not SQLite's page numbers)."""
    if isinstance(error, NotOurs):
        return "it is not a FruitNet progress database"
    if isinstance(error, Damaged):
        return "it is damaged (SQLite's check found broken pages)"
    return f"it is damaged ({one_line(error)})"


def reset_progress(path: str | Path | None = None,
                   clock: Callable[[], float] = time.time) -> tuple[Path | None, str]:
    """Start progress afresh: the database is renamed `progress.db.reset-<time>`, never deleted.

    Returns (the backup's path, a one-line message); (None, why) if nothing was moved.
    Close any store open on it first.
    """
    path = Path(path) if path is not None else data_dir() / FILE_NAME
    if not any(progress_files.exists(p) for p in
               [path, *(path.with_name(path.name + s) for s in progress_files.SIDE_SUFFIXES)]):
        return None, "There is no saved progress to reset."
    try:
        kept = progress_files.set_aside(path, "reset", clock())
    except OSError as error:
        return None, f"Progress was not reset: {why_failed(error, path)}."
    return kept, f"Progress reset. The old progress is kept as {kept}."
