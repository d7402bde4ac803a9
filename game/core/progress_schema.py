"""The progress database's tables, its version and the steps that bring an older one up to date.

Version 1 (see the SQL below for every column):

- `profiles`: one row per player on this computer. `name` is shown; `name_key`
  (the name case-folded) keeps "Anna" and "anna" one profile. Classroom packs
  ask the student's name and use it as the profile.
- `attempts`: one row per finished attempt, the only record of play. Per-level
  progress (won, stars, best steps, best fruit, time played) is computed from
  these rows, so it can never disagree with them. A row holds what a classroom
  hand-in needs: pack id ('' for a level outside a pack), level id, the level
  file's SHA-256, the app version, the result, UTC timestamps (ISO 8601), seconds
  played and the replay as JSON text (game/core/replay.py's document, never
  pickle). `state` is the attempt's end: won, out_of_steps, harvest_failed, or
  abandoned (left while playing, after at least one step). The replay column
  comes last, so reading the other columns of a row never reads the replay.
  The index (profile_id, pack_id, level_id) serves a hand-in's "this student's
  attempts in this pack" and every per-level summary.

Versions live in `PRAGMA user_version`, and `PRAGMA application_id` marks the
file as FruitNet's, so another program's database is never taken for ours.
`MIGRATIONS[k]` brings version k to k + 1; each step runs in one transaction
together with its new user_version, so a kill leaves the old version or the new
one. A database newer than SCHEMA_VERSION is never written.
"""

from __future__ import annotations

import sqlite3

APPLICATION_ID = 0x46724E74  # "FrNt"
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 0 → 1
        f"PRAGMA application_id = {APPLICATION_ID}",
        """CREATE TABLE profiles (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            last_used_at TEXT NOT NULL)""",
        """CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            profile_id INTEGER NOT NULL REFERENCES profiles(id),
            pack_id TEXT NOT NULL,
            level_id TEXT NOT NULL,
            level_sha256 TEXT NOT NULL,
            app_version TEXT NOT NULL,
            state TEXT NOT NULL
                CHECK (state IN ('won', 'out_of_steps', 'harvest_failed', 'abandoned')),
            stars INTEGER NOT NULL CHECK (stars BETWEEN 0 AND 3),
            steps_star INTEGER NOT NULL CHECK (steps_star IN (0, 1)),
            fruit_star INTEGER NOT NULL CHECK (fruit_star IN (0, 1)),
            steps INTEGER NOT NULL,
            fruit INTEGER NOT NULL,
            accuracy REAL NOT NULL,
            quiz_right INTEGER NOT NULL,
            quiz_asked INTEGER NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT NOT NULL,
            seconds REAL NOT NULL CHECK (seconds >= 0),
            replay TEXT NOT NULL)""",
        "CREATE INDEX attempts_by_level ON attempts (profile_id, pack_id, level_id)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


BUSY_SECONDS = 2.0  # how long to wait for another FruitNet's write before giving up


class NotOurs(Exception):
    """The file is an SQLite database, but not FruitNet's progress (another program's)."""


class TooNew(Exception):
    """The database was written by a newer FruitNet; `version` is its schema version, if known."""

    def __init__(self, version: int | None) -> None:
        super().__init__(version)
        self.version = version


class Damaged(Exception):
    """SQLite's quick_check found damage; str() is its first finding."""


def connect_checked(path) -> sqlite3.Connection:
    """A connection to `path`, checked to be an undamaged database of ours, set up for use.

    Raises TooNew, NotOurs, Damaged or sqlite3.Error; nothing is written to a
    database that is not ours or is too new.
    """
    db = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    try:
        db.execute("PRAGMA synchronous = FULL")  # a commit is on the disk before it returns
        db.execute("PRAGMA foreign_keys = ON")
        version_of(db)  # first: the next pragmas may write, and this file may not be ours
        finding = db.execute("PRAGMA quick_check").fetchone()[0]
        if finding != "ok":
            raise Damaged(finding)
        db.execute("PRAGMA journal_mode = DELETE")  # also turns a copied WAL database back
        return db
    except BaseException:
        db.close()
        raise


def version_of(db: sqlite3.Connection) -> int:
    """The schema version of an open database, after checking it is ours.

    Raises NotOurs for another program's database, TooNew for a newer FruitNet's,
    and sqlite3.DatabaseError for a damaged file.
    """
    version = db.execute("PRAGMA user_version").fetchone()[0]
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    if app_id == 0 and version == 0:
        # A new, empty database is ours to build; one with tables belongs to someone else.
        if db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise NotOurs()
        return 0
    if app_id != APPLICATION_ID:
        raise NotOurs()
    if version > SCHEMA_VERSION:
        raise TooNew(version)
    return version


def migrate(db: sqlite3.Connection, migrations: tuple[tuple[str, ...], ...] = MIGRATIONS) -> int:
    """Bring `db` (opened with isolation_level=None) up to len(migrations); returns the version.

    Each step is one transaction with its user_version: all of it or none.
    """
    version = db.execute("PRAGMA user_version").fetchone()[0]
    for step in range(version, len(migrations)):
        db.execute("BEGIN IMMEDIATE")
        try:
            for statement in migrations[step]:
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {step + 1}")
            db.execute("COMMIT")
        except BaseException:
            rollback(db)
            raise
    return len(migrations)


def rollback(db: sqlite3.Connection) -> None:
    """End a failed transaction, if SQLite has not already (it does after a full disk)."""
    try:
        if db.in_transaction:
            db.execute("ROLLBACK")
    except sqlite3.Error:
        pass  # the connection is unusable; the caller reports the first error, not this one
