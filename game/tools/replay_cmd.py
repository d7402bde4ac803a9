"""`fruitnet replay LEVEL FILE`: re-simulate a replay and say whether it holds."""

from __future__ import annotations

import json
from pathlib import Path

from game.core.levels import LevelError, find_level
from game.core.replay import verify
from game.resources import levels_dir


def run_replay(level_spec: str, replay_file: str) -> int:
    """Verify one replay file against a level; returns the exit code."""
    try:
        level = find_level(level_spec, [levels_dir()])
    except LevelError as error:
        print(error)
        return 1
    try:
        document = json.loads(Path(replay_file).read_text(encoding="utf-8"))
    except OSError as error:
        print(f"{replay_file}: cannot read the file ({error.strerror or error})")
        return 1
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        print(f"{replay_file}: expected a JSON replay, got unreadable text ({error})")
        return 1
    verdict = verify(level, document)
    if verdict.ok:
        o = verdict.attempt.outcome()
        stars = "★" * o.stars + "☆" * (3 - o.stars)
        print(f"{replay_file}: OK: level {level.id}, {o.state.replace('_', ' ')} after "
              f"{o.steps_used} steps with {o.points_used} points, accuracy {o.accuracy:.1%}, "
              f"{stars}, score {o.score}; weights match bit for bit")
        return 0
    for finding in verdict.findings:
        print(f"{replay_file}: MISMATCH: {finding}")
    return 1
