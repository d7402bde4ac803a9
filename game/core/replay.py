"""Replays: an attempt's action log as JSON, re-simulated to verify a claim.

A replay document is
    {"format": 1, "level_id": ..., "level_sha256": ..., "app_version": ...,
     "actions": [...], "claimed": {state, stars, score, accuracy, steps_used,
                                   points_used, weights_sha256}}
`replay(level, actions)` re-runs the actions on a fresh Attempt; because the
game is deterministic, an honest record reproduces the same weights bit for
bit. `verify(level, document)` compares every claim with the re-simulation.
Replay files may come from anyone, so every action is checked before use.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass

from game import __version__
from game.core.attempt import Attempt
from game.core.levels import Level
from game.core.net import Network

FORMAT = 1


class ReplayError(ValueError):
    """A replay document is malformed or cannot be re-simulated; str() is one line."""


def weights_digest(network: Network) -> str:
    """SHA-256 of the network's exact parameters (their JSON, keys sorted)."""
    return hashlib.sha256(json.dumps(network.to_dict(), sort_keys=True).encode()).hexdigest()


def record(attempt: Attempt) -> dict:
    """The replay document of an attempt as it stands now."""
    claimed = asdict(attempt.outcome())
    claimed["weights_sha256"] = weights_digest(attempt.network)
    return {"format": FORMAT, "level_id": attempt.level.id,
            "level_sha256": attempt.level.sha256, "app_version": __version__,
            "actions": [dict(a) for a in attempt.log], "claimed": claimed}


_ACTION_FIELDS = {
    "add": {"x1": float, "x2": float, "label": int},
    "remove": {"index": int},
    "lr": {"value": float},
    "hidden": {"size": int, "layers": int},
    "step": {"n": int},
    "reset": {},
    "activation": {"name": str},
    "weight": {"layer": int, "j": int, "i": int, "value": float},
}


def _checked_action(i: int, action: object) -> dict:
    if not isinstance(action, dict) or action.get("op") not in _ACTION_FIELDS:
        raise ReplayError(f"actions[{i}]: expected an action with op one of "
                          f"{', '.join(_ACTION_FIELDS)}, got {str(action)[:60]}")
    fields = _ACTION_FIELDS[action["op"]]
    if set(action) != {"op", *fields}:
        raise ReplayError(f"actions[{i}]: expected fields {sorted(fields)} for op "
                          f"{action['op']!r}, got {sorted(set(action) - {'op'})}")
    for name, kind in fields.items():
        value = action[name]
        if kind is str:
            if not isinstance(value, str):
                raise ReplayError(f"actions[{i}].{name}: expected a text, got {value!r}")
            continue
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        ok = ok and (isinstance(value, int) if kind is int else math.isfinite(value))
        if not ok:
            raise ReplayError(f"actions[{i}].{name}: expected a "
                              f"{'whole number' if kind is int else 'finite number'}, "
                              f"got {value!r}")
    return action


def apply(attempt: Attempt, action: dict):
    """Perform one logged action on the attempt; returns its Result."""
    op = action["op"]
    if op == "add":
        return attempt.add_point(action["x1"], action["x2"], action["label"])
    if op == "remove":
        return attempt.remove_point(action["index"])
    if op == "lr":
        return attempt.set_learning_rate(action["value"])
    if op == "hidden":
        return attempt.set_hidden(action["size"], action["layers"])
    if op == "step":
        return attempt.step(action["n"])
    if op == "activation":
        return attempt.set_activation(action["name"])
    if op == "weight":
        return attempt.set_weight(action["layer"], action["j"], action["i"], action["value"])
    return attempt.reset_weights()


def replay(level: Level, actions: list) -> Attempt:
    """Re-simulate `actions` on a fresh attempt; ReplayError if one is refused."""
    if not isinstance(actions, list):
        raise ReplayError(f"actions: expected a list of actions, got {type(actions).__name__}")
    attempt = Attempt(level)
    for i, action in enumerate(actions):
        result = apply(attempt, _checked_action(i, action))
        if not result.ok:
            raise ReplayError(f"actions[{i}] ({action['op']}) was refused when replayed: "
                              f"{result.reason}")
    return attempt


@dataclass(frozen=True)
class Verdict:
    """The result of checking a replay: `ok`, and one line per finding."""

    ok: bool
    findings: tuple[str, ...]
    attempt: Attempt | None


def verify(level: Level, document: object) -> Verdict:
    """Re-simulate a replay document and compare every claim with what happened."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return Verdict(False, (f"expected a replay document with format {FORMAT}",), None)
    problems = []
    if document.get("level_id") != level.id:
        problems.append(f"recorded on level {document.get('level_id')!r}, not {level.id!r}")
    if document.get("level_sha256") != level.sha256:
        problems.append("recorded on a different version of this level file (hash differs)")
    try:
        attempt = replay(level, document.get("actions"))
    except ReplayError as error:
        return Verdict(False, (*problems, str(error)), None)
    actual = asdict(attempt.outcome())
    actual["weights_sha256"] = weights_digest(attempt.network)
    claimed = document.get("claimed")
    if not isinstance(claimed, dict):
        return Verdict(False, (*problems, "claimed: expected the claimed outcome"), attempt)
    for key, value in actual.items():
        if claimed.get(key) != value:
            problems.append(f"claims {key} = {claimed.get(key)!r}, re-simulation gives {value!r}")
    return Verdict(not problems, tuple(problems), attempt)
