"""The attempt's action log, kept canonical as it grows.

Hours of "Auto" in the sandbox stay one entry: consecutive steps merge; an η
equal to the current one, or a reset of a network that is still fresh, is not
recorded; a hidden, activation, η or single-weight change replaces one of the
same kind just before it; a fruit removed right after it was placed cancels
both. Each rule applies only when replaying the shorter log provably reaches
the same state, so replaying `log` gives the same weights, outcome and log
again (tests/test_replay_canonical.py).

The log is a plain list of JSON-ready dicts (the replay's "actions"); these
functions are the only writers of compacted entries.
"""

from __future__ import annotations

from itertools import islice


def last_op(log: list[dict]) -> str | None:
    """The op of the last entry, or None for an empty log."""
    return log[-1]["op"] if log else None


def record(log: list[dict], entry: dict, drop_last: bool | int = False, keep: bool = True) -> None:
    """Log `entry` (unless not `keep`), first dropping the last entry (or the last
    `drop_last` entries, given a number) that it makes redundant."""
    # Entries are replaced, never edited in place: a caller may hold an old one.
    del log[len(log) - int(drop_last):]
    if keep:
        log.append(entry)


def choice_drops(log: list[dict], entry: dict, default: dict) -> int:
    """How many entries at the log's end a hidden or activation change `entry` replaces.

    A change replaces one of its kind just before it, unless it goes back to the
    value before that one (then both stay: dropping both would leave a replay that
    cannot tell a fresh network from a trained one). After a replacement the entry
    before may be of the same kind again, so the rule repeats: the log then replays
    to itself (tests/test_replay_canonical.py).
    """
    drops = 0
    while True:
        view = log[:len(log) - drops]
        before = value_before_last(view, entry["op"], default)
        if last_op(view) != entry["op"] or all(entry[k] == before[k] for k in default):
            return drops
        drops += 1


def record_steps(log: list[dict], n: int, limit: int | None) -> None:
    """Log n steps, merged into a step entry just before.

    step(a) then step(b) equals step(a + b): the draws are taken one per
    step either way, a win inside step(a) would have refused step(b), and
    a + b is within the budget step(a) started from. Free play has a fixed
    per-call `limit`, so a merge there must stay within it.
    """
    last = log[-1] if log else {}
    if last.get("op") == "step" and (limit is None or last["n"] + n <= limit):
        record(log, {"op": "step", "n": last["n"] + n}, drop_last=True)
    else:
        record(log, {"op": "step", "n": n})


def lr_before_last(log: list[dict], default: float) -> float:
    """η before the log's last entry (an η entry): the η entry before it, or the default."""
    earlier = (e["value"] for e in islice(reversed(log), 1, None) if e["op"] == "lr")
    return next(earlier, default)


def value_before_last(log: list[dict], op: str, default: dict) -> dict:
    """The fields (default's keys) of the `op` entry before the log's last entry, or `default`."""
    earlier = (e for e in islice(reversed(log), 1, None) if e["op"] == op)
    found = next(earlier, None)
    return default if found is None else {k: found[k] for k in default}
