"""A student's hand-in: every recorded attempt at one pack, with its replay, as one JSON file.

Writing (the game's Hand in button and `fruitnet handin`):

    path, problem = write_handin(store, profile, pack, default_handin_path(profile.name, pack))
    # problem None: written (say where); else a one-line message and nothing was written

Reading (`fruitnet report`): `read_handin(path)` returns a HandIn or raises
HandinError, whose str() is one line without the file name.

The document, version 1 (UTF-8 JSON, one object):

    {"format": "fruitnet-handin", "version": 1,
     "student": "Anna", "pack_id": "week-3", "pack_title": "Week 3: the scale",
     "pack_hash": "<64 hex: pack_files.pack_hash of the pack folder handed in for>",
     "app_version": "0.1.0", "created_at": "2026-12-03T10:11:12Z",
     "attempts": [{"level_id", "level_sha256", "state", "stars", "steps", "fruit",
                   "accuracy", "quiz_right", "quiz_asked", "started_at", "finished_at",
                   "seconds", "replay": {the replay document, game/core/replay.py}}, …]}

`state` is won, out_of_steps, harvest_failed or abandoned (left while playing);
`fruit` counts placed fruit; times are ISO 8601 UTC as the progress store keeps
them. Every attempt of that profile recorded under the pack's id is included,
oldest first, whatever version of a level it was played on: the report says
which ones no longer match the pack. Nothing in a hand-in is trusted: the
report re-simulates each replay (class_report.py).

What a reader refuses, each as one line: more than MAX_HANDIN_BYTES (checked
on the file's size before reading), not UTF-8, not JSON (a truncated file),
another format or version, a student name that is empty, longer than
MAX_STUDENT_CHARS or holds control or invisible characters, and any field of
the wrong type or range.
"""

from __future__ import annotations

import json
import math
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from game import __version__
from game.core.levels import Pack
from game.core.pack_files import pack_hash
from game.core.paths import data_dir
from game.core.progress import ProgressStore
from game.core.progress_records import Profile, iso_time
from game.core.replay import describe
from game.core.safe_files import FileExists, UnsafeSave, write_with_backups
from game.core.safe_io import UnreadableFile, read_regular_file

FORMAT = "fruitnet-handin"
VERSION = 1
MAX_HANDIN_BYTES = 10_000_000  # hundreds of attempts; a full-budget replay is at most 4 MB
MAX_STUDENT_CHARS = 200
MAX_ATTEMPTS = 5000
STATES = ("won", "out_of_steps", "harvest_failed", "abandoned")
# Control, format (zero-width, bidi overrides), surrogate, private-use, unassigned, line and
# paragraph separators: a name holding one could hide or rearrange text in the table.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_HEX64 = re.compile(r"[0-9a-f]{64}")


class HandinError(ValueError):
    """A hand-in cannot be used; str() is the one-line reason (without the file name)."""


@dataclass(frozen=True)
class HandedAttempt:
    """One attempt as a hand-in claims it; `replay` is the replay document (a JSON object)."""

    level_id: str
    level_sha256: str
    state: str
    stars: int
    steps: int
    fruit: int
    accuracy: float
    quiz_right: int
    quiz_asked: int
    started_at: str
    finished_at: str
    seconds: float
    replay: dict


@dataclass(frozen=True)
class HandIn:
    """A checked hand-in document (its claims still unverified)."""

    student: str
    pack_id: str
    pack_title: str
    pack_hash: str
    app_version: str
    created_at: str
    attempts: tuple[HandedAttempt, ...]


# ------------------------------------------------------------------ writing
def build_handin(store: ProgressStore, profile: Profile, pack: Pack,
                 clock: Callable[[], float] = time.time) -> dict:
    """The hand-in document of `profile` for `pack`."""
    attempts = []
    for record in store.attempts(profile, pack.id):
        attempts.append({
            "level_id": record.level_id, "level_sha256": record.level_sha256,
            "state": record.state, "stars": record.stars, "steps": record.steps,
            "fruit": record.fruit, "accuracy": record.accuracy, "quiz_right": record.quiz_right,
            "quiz_asked": record.quiz_asked, "started_at": record.started_at,
            "finished_at": record.finished_at, "seconds": record.seconds,
            "replay": json.loads(record.replay)})
    return {"format": FORMAT, "version": VERSION, "student": profile.name, "pack_id": pack.id,
            "pack_title": pack.title, "pack_hash": pack_hash(pack), "app_version": __version__,
            "created_at": iso_time(clock()), "attempts": attempts}


def write_handin(store: ProgressStore, profile: Profile, pack: Pack, path: str | Path,
                 overwrite: bool = False) -> tuple[Path | None, str | None]:
    """Write the hand-in atomically; (its path, None), or (None, a one-line message).

    Without `overwrite` an existing file is left alone (the message says so); with
    it, the old file is kept as `<name>.1.bak`. Never raises for I/O trouble.
    """
    path = Path(path)
    data = json.dumps(build_handin(store, profile, pack), ensure_ascii=False, allow_nan=False,
                      separators=(",", ":")).encode("utf-8")
    if len(data) > MAX_HANDIN_BYTES:
        return None, (f"Not handed in: the hand-in would be {len(data):,} bytes, more than a "
                      f"report reads ({MAX_HANDIN_BYTES:,})")
    try:
        return write_with_backups(path.parent, path.name, data, overwrite), None
    except FileExists:
        return None, f"Not handed in: {path} already exists (hand in again to replace it)"
    except (UnsafeSave, OSError) as error:
        why = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        return None, f"Not handed in: {path}: {why}"


def default_handin_path(student: str, pack: Pack) -> Path:
    """`<data folder>/handins/<pack id>-<student>.json`, the name made safe for any file system."""
    name = "".join(c if c.isalnum() else "-" for c in unicodedata.normalize("NFC", student))
    name = re.sub(r"-+", "-", name).strip("-")[:60] or "student"
    return data_dir() / "handins" / f"{pack.id}-{name}.json"


# ------------------------------------------------------------------ reading
def read_handin(path: str | Path) -> HandIn:
    """The hand-in in file `path` (a regular file of at most MAX_HANDIN_BYTES); HandinError if not."""
    try:
        data = read_regular_file(path, MAX_HANDIN_BYTES)
    except UnreadableFile as error:
        raise HandinError(f"cannot read the file ({error})") from None
    return parse_handin(data)


def parse_handin(data: bytes) -> HandIn:
    """The hand-in in `data`; HandinError naming the first problem."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise HandinError(f"expected UTF-8 text, got undecodable bytes at byte {error.start}") \
            from None
    try:
        document = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        ends = error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string")
        cut = "; the file looks cut short" if ends else ""
        raise HandinError(f"expected a JSON hand-in, got unreadable text ({error.msg}, line "
                          f"{error.lineno} column {error.colno}{cut})") from None
    except RecursionError:
        raise HandinError("expected a JSON hand-in, got text nested too deeply to read") from None
    except ValueError as error:  # NaN/Infinity, or an integer over 4,300 digits
        raise HandinError(f"expected a JSON hand-in, got {error}") from None
    return _document(document)


def _no_constant(name: str) -> float:
    raise ValueError(f"the non-JSON number {name}")


def _document(document: object) -> HandIn:
    """A HandIn from the parsed JSON, every field checked."""
    if not isinstance(document, dict):
        raise HandinError(f"expected a hand-in (a JSON object), got {type(document).__name__}")
    if document.get("format") != FORMAT:
        raise HandinError(f"format: expected {FORMAT!r}, got {_short(document.get('format'))}")
    version = document.get("version")
    if type(version) is not int or version != VERSION:
        raise HandinError(f"version: expected {VERSION} (this FruitNet reads version {VERSION}), "
                          f"got {_short(version)}")
    pack_hash_value = _text(document, "pack_hash", 64)
    if not _HEX64.fullmatch(pack_hash_value):
        raise HandinError(f"pack_hash: expected 64 hex digits, got {_short(pack_hash_value)}")
    attempts = document.get("attempts")
    if not isinstance(attempts, list):
        raise HandinError(f"attempts: expected a list, got {_short(attempts)}")
    if len(attempts) > MAX_ATTEMPTS:
        raise HandinError(f"attempts: expected at most {MAX_ATTEMPTS:,}, got {len(attempts):,}")
    return HandIn(student=check_student(document.get("student")),
                  pack_id=_text(document, "pack_id", 64), pack_title=_text(document, "pack_title", 200),
                  pack_hash=pack_hash_value, app_version=_text(document, "app_version", 40),
                  created_at=_text(document, "created_at", 40),
                  attempts=tuple(_attempt(i, a) for i, a in enumerate(attempts)))


def check_student(name: object) -> str:
    """The student's name if it is one a table can show; HandinError otherwise."""
    if not isinstance(name, str) or not name.strip():
        raise HandinError(f"student: expected a name, got {_short(name)}")
    if len(name) > MAX_STUDENT_CHARS:
        raise HandinError(f"student: expected a name of at most {MAX_STUDENT_CHARS} characters, "
                          f"got {len(name):,}")
    for index, char in enumerate(name):
        if unicodedata.category(char) in _HIDDEN:
            raise HandinError("student: expected a name without control or invisible characters, "
                              f"got U+{ord(char):04X} at position {index + 1}")
    return name


def _attempt(i: int, item: object) -> HandedAttempt:
    """attempts[i], every field checked for type and range."""
    where = f"attempts[{i}]"
    if not isinstance(item, dict):
        raise HandinError(f"{where}: expected an object, got {_short(item)}")
    replay = item.get("replay")
    if not isinstance(replay, dict):
        raise HandinError(f"{where}.replay: expected a replay (a JSON object), got {_short(replay)}")
    state = item.get("state")
    if state not in STATES:
        raise HandinError(f"{where}.state: expected one of {', '.join(STATES)}, got {_short(state)}")
    right, asked = _whole(item, where, "quiz_right"), _whole(item, where, "quiz_asked")
    if right > asked:
        raise HandinError(f"{where}.quiz_right: expected at most quiz_asked ({asked}), got {right}")
    return HandedAttempt(
        level_id=_text(item, "level_id", 64, where), level_sha256=_text(item, "level_sha256", 64, where),
        state=state, stars=_whole(item, where, "stars", 3), steps=_whole(item, where, "steps"),
        fruit=_whole(item, where, "fruit"), accuracy=_number(item, where, "accuracy", 1.0),
        quiz_right=right, quiz_asked=asked, started_at=_text(item, "started_at", 40, where),
        finished_at=_text(item, "finished_at", 40, where),
        seconds=_number(item, where, "seconds", 1e9), replay=replay)


def _text(table: dict, key: str, longest: int, where: str = "") -> str:
    value = table.get(key)
    if not isinstance(value, str) or len(value) > longest or not value.isprintable():
        name = f"{where}.{key}" if where else key
        raise HandinError(f"{name}: expected a text of at most {longest} characters, "
                          f"got {_short(value)}")
    return value


def _whole(table: dict, where: str, key: str, highest: int = 10**9) -> int:
    value = table.get(key)
    if type(value) is not int or not 0 <= value <= highest:
        raise HandinError(f"{where}.{key}: expected a whole number from 0 to {highest:,}, "
                          f"got {_short(value)}")
    return value


def _number(table: dict, where: str, key: str, highest: float) -> float:
    value = table.get(key)
    # A JSON integer may have thousands of digits: compared exactly, never converted.
    finite = type(value) is int or (type(value) is float and math.isfinite(value))
    if not finite or not 0 <= value <= highest:
        raise HandinError(f"{where}.{key}: expected a number from 0 to {highest:g}, "
                          f"got {_short(value)}")
    return float(value)


def _short(value: object) -> str:
    """A value for a one-line message: short, and never a huge or nested container."""
    return describe(value)
