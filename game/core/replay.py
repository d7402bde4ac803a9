"""Replays: an attempt's action log as JSON, re-simulated to verify a claim.

A replay document is
    {"format": 2, "level_id": ..., "level_sha256": ..., "app_version": ...,
     "actions": [...], "claimed": {state, stars, steps_star, fruit_star, accuracy,
                                   steps_used, points_used, weights_sha256}}
`replay(level, actions)` re-runs the actions on a fresh Attempt; because the
game is deterministic, an honest record reproduces the same weights bit for
bit. `verify(level, document)` compares every claim with the re-simulation.

Format 2 logs are canonical (see game/core/attempt.py), which format 1 logs
were not. Replay files may come from anyone, so before anything is simulated
every action is checked, the action count is capped and the steps must fit the
budget; while simulating, each action must be exactly what a genuine game
records at that point, so a replay padded with redundant actions is refused at
the first one. Every problem is one line that never prints more than a short
description of the input.
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

FORMAT = 2
SHOWN_CHARS = 60  # the most of any input value a message quotes
_BIG_INT_BITS = 200  # about 60 digits: a longer integer is named, never printed


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
    "harvest": {},
    "shake": {},
    "remove_given": {"index": int},
    "restore_given": {"index": int},
    "answer": {"choice": str},
    "activation": {"name": str},
    "weight": {"layer": int, "j": int, "i": int, "value": float},
}


def describe(value: object) -> str:
    """A short, safe description of any JSON value for a one-line message.

    Containers are counted, not printed (they may be huge or nested beyond the
    recursion limit); an integer too long to convert to text is named instead;
    text is quoted up to SHOWN_CHARS characters.
    """
    if isinstance(value, dict):
        return f"an object with {len(value):,} field(s)"
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value):,} item(s)"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > _BIG_INT_BITS:
        return "a number with too many digits"
    if isinstance(value, str):
        shown = repr(value[:SHOWN_CHARS])
        return shown if len(value) <= SHOWN_CHARS else shown + "…"
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)[:SHOWN_CHARS]
    return f"a {type(value).__name__}"


def _value_problem(value: object, kind: type) -> str | None:
    """What a field of type `kind` expects, if `value` is not that; None if it is."""
    if kind is str:
        return None if isinstance(value, str) else "a text"
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return "a whole number" if kind is int else "a finite number"
    if kind is int:
        return None if isinstance(value, int) else "a whole number"
    try:  # an integer beyond float's range cannot even be tested for finiteness
        return None if math.isfinite(value) else "a finite number"
    except OverflowError:
        return "a finite number"


def _checked_action(i: int, action: object) -> dict:
    """`action` if it is a well-formed action; ReplayError naming what is wrong otherwise."""
    op = action.get("op") if isinstance(action, dict) else None
    if not isinstance(op, str) or op not in _ACTION_FIELDS:
        got = f"op {describe(op)}" if isinstance(action, dict) else describe(action)
        raise ReplayError(f"actions[{i}]: expected an action with op one of "
                          f"{', '.join(_ACTION_FIELDS)}, got {got}")
    fields = _ACTION_FIELDS[op]
    missing = [name for name in fields if name not in action]
    extra = [key for key in action if key != "op" and key not in fields]
    if missing or extra:
        got = f"no {missing[0]}" if missing else f"also {describe(extra[0])}"
        raise ReplayError(f"actions[{i}]: expected fields {sorted(fields)} for op {op!r}, got {got}")
    for name, kind in fields.items():
        if problem := _value_problem(action[name], kind):
            raise ReplayError(f"actions[{i}].{name}: expected {problem}, got {describe(action[name])}")
    return action


def _count(n: int) -> str:
    return f"{n:,}" if n.bit_length() <= _BIG_INT_BITS else "a number with too many digits"


def check_actions(attempt: Attempt, actions: object) -> None:
    """Everything about `actions` that can be checked without simulating; ReplayError if not.

    A genuine game's canonical log has at most a few entries per step or fruit
    in the budget, so far longer lists are refused before any work is done.
    """
    if not isinstance(actions, list):
        raise ReplayError(f"actions: expected a list of actions, got {describe(actions)}")
    step_budget, cap = attempt.steps_left, attempt.action_cap
    if len(actions) > cap:
        raise ReplayError(f"actions: {len(actions):,} actions, more than a genuine game of this "
                          f"level records (at most {cap:,})")
    total = 0
    for i, action in enumerate(actions):
        _checked_action(i, action)
        if action["op"] != "step":
            continue
        if action["n"] < 1:
            raise ReplayError(f"actions[{i}].n: expected at least 1 step, got {describe(action['n'])}")
        total += action["n"]
        if total > step_budget:
            raise ReplayError(f"actions[{i}]: the steps add up to {_count(total)}, more than the "
                              f"step budget of {step_budget:,}")


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
    if op == "harvest":
        return attempt.harvest()
    if op == "answer":
        return attempt.answer_quiz(action["choice"])
    if op == "shake":
        return attempt.shake()
    if op == "remove_given":
        return attempt.remove_given(action["index"])
    if op == "restore_given":
        return attempt.restore_given(action["index"])
    return attempt.reset_weights()


def replay(level: Level, actions: object, free_play: bool = False) -> Attempt:
    """Re-simulate `actions` on a fresh attempt (in free play if asked).

    ReplayError if the actions are malformed, an action is refused, or the log
    the re-simulation records differs from `actions` at any point.
    """
    attempt = Attempt(level, free_play=free_play)
    check_actions(attempt, actions)
    for i, action in enumerate(actions):
        result = apply(attempt, action)
        if not result.ok:
            raise ReplayError(f"actions[{i}] ({action['op']}) was refused when replayed: "
                              f"{result.reason}")
        # Compaction only ever drops or replaces the last entry, so a log one
        # longer than the checked prefix, ending in this action, equals actions[:i+1].
        if len(attempt.log) != i + 1 or attempt.log[-1] != action:
            raise ReplayError(f"actions[{i}] ({action['op']}) is not in canonical form: "
                              "a genuine game never records it")
    return attempt


@dataclass(frozen=True)
class Verdict:
    """The result of checking a replay: `ok`, and one line per finding."""

    ok: bool
    findings: tuple[str, ...]
    attempt: Attempt | None


def _format_problem(document: object) -> str | None:
    """Why `document` is not a replay of this format, or None."""
    if not isinstance(document, dict):
        return f"expected a replay document (a JSON object), got {describe(document)}"
    found = document.get("format")
    if type(found) is int and found == FORMAT:
        return None
    if type(found) is int and found == 1:
        return (f"format 1 replays were recorded by an older FruitNet and cannot be verified; "
                f"expected format {FORMAT}")
    return f"format: expected {FORMAT}, got {describe(found)}"


def verify(level: Level, document: object) -> Verdict:
    """Re-simulate a replay document and compare every claim with what happened.

    Never raises, whatever JSON value `document` is: every problem is a finding.
    """
    if problem := _format_problem(document):
        return Verdict(False, (problem,), None)
    problems = []
    if document.get("level_id") != level.id:
        problems.append(f"recorded on level {describe(document.get('level_id'))}, not {level.id!r}")
    if document.get("level_sha256") != level.sha256:
        problems.append("recorded on a different version of this level file (hash differs)")
    claimed = document.get("claimed")
    if not isinstance(claimed, dict):  # checked first: nothing to compare, so nothing to simulate
        problems.append(f"claimed: expected the claimed outcome (an object), got {describe(claimed)}")
        return Verdict(False, tuple(problems), None)
    try:
        attempt = replay(level, document.get("actions"))
    except ReplayError as error:
        return Verdict(False, (*problems, str(error)), None)
    actual = asdict(attempt.outcome())
    actual["weights_sha256"] = weights_digest(attempt.network)
    for key, value in actual.items():
        if claimed.get(key) != value:
            problems.append(f"claims {key} = {describe(claimed.get(key))}, "
                            f"re-simulation gives {value!r}")
    return Verdict(not problems, tuple(problems), attempt)
