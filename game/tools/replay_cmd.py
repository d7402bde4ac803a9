"""`fruitnet replay LEVEL FILE`: re-simulate a replay and say whether it holds.

The file may come from anyone: it is read only if it is a regular file within
MAX_REPLAY_BYTES (a FIFO or /dev/zero is refused, not waited on), and every
way it can fail to parse or verify is one line of output and exit code 1.
"""

from __future__ import annotations

import json

from game.core.levels import LevelError, find_level
from game.core.replay import verify
from game.core.safe_io import MAX_REPLAY_BYTES, UnreadableFile, read_regular_file
from game.resources import levels_dir


def run_replay(level_spec: str, replay_file: str) -> int:
    """Verify one replay file against a level; returns the exit code."""
    try:
        level = find_level(level_spec, [levels_dir()])
    except LevelError as error:
        print(error)
        return 1
    document, problem = _read_document(replay_file)
    if problem:
        print(f"{replay_file}: {problem}")
        return 1
    try:
        verdict = verify(level, document)
    except Exception as error:  # verify never raises by design; a bug must still be one line
        print(f"{replay_file}: cannot verify the replay (internal error: {type(error).__name__})")
        return 1
    if verdict.ok:
        o = verdict.attempt.outcome()
        stars = "★" * o.stars + "☆" * (3 - o.stars)
        print(f"{replay_file}: OK: level {level.id}, {o.state.replace('_', ' ')} after "
              f"{o.steps_used} steps (par {level.par_steps}) with {o.points_used} fruit "
              f"(par {level.par_fruit}), accuracy {o.accuracy:.1%}, {stars}; "
              "weights match bit for bit")
        return 0
    for finding in verdict.findings:
        print(f"{replay_file}: MISMATCH: {finding}")
    return 1


def _read_document(replay_file: str) -> tuple[object, str | None]:
    """(the parsed JSON, None), or (None, a one-line reason it cannot be had)."""
    try:
        text = read_regular_file(replay_file, MAX_REPLAY_BYTES).decode("utf-8-sig")
    except UnreadableFile as error:
        return None, f"cannot read the file ({error})"
    except UnicodeDecodeError as error:
        return None, f"expected a JSON replay in UTF-8, got unreadable text ({error.reason} " \
                     f"at byte {error.start})"
    try:
        return json.loads(text), None
    except json.JSONDecodeError as error:
        return None, f"expected a JSON replay, got unreadable text ({error.msg} at line " \
                     f"{error.lineno} column {error.colno})"
    except RecursionError:
        return None, "expected a JSON replay, got text nested too deeply to read"
    except ValueError:  # the only other: an integer too long to convert (over 4,300 digits)
        return None, "expected a JSON replay, got a number with too many digits"
