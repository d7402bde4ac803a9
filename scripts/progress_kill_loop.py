"""Kill -9 a process that keeps recording attempts, and check the progress database after every kill.

    python scripts/progress_kill_loop.py --rounds 300 [--seed N] [--folder DIR]

Each round starts a child Python that opens the progress store and records
attempts in a loop (each one a real attempt with its replay, the sequence
number as its seconds played), printing "saved N" once `record_attempt` has
returned, that is once the commit is done. The parent kills it with SIGKILL at
a random moment, notes whether the kill left a hot journal (it landed inside a
transaction), then opens the store as the game would, which plays the journal
back, and checks:

- nothing was set aside or refused (the open gives no message);
- `PRAGMA integrity_check` is "ok";
- every record any child reported saved is there, byte for byte (its replay
  JSON, level, state, seconds), in order, each once;
- at most one record more than reported: the one whose commit finished just
  before the kill, with its "saved" line unprinted. So a kill loses at most
  the attempt being saved, and never an earlier one.

Prints the figures; exit status 1 on any failure. tests/test_progress_kill.py
runs a short version of the same loop.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.core.attempt import Attempt  # noqa: E402
from game.core.autoplay import choose_points, play  # noqa: E402
from game.core.levels import load_level  # noqa: E402
from game.core.progress import ProgressStore  # noqa: E402
from game.core.replay import record  # noqa: E402

LEVEL = ROOT / "levels" / "starter" / "01-first-harvest.toml"
PACK = "kill-loop"
PROFILE = "Kill loop"
# The child: open the store, say "ready", then record attempts until killed.
CHILD = """
import sys
sys.path.insert(0, sys.argv[2])
from scripts.progress_kill_loop import keep_recording
keep_recording(sys.argv[1], int(sys.argv[3]))
"""


@cache
def sample_attempts() -> tuple[Attempt, ...]:
    """A few attempts of different sizes and ends: won, out of steps, abandoned."""
    level = load_level(LEVEL)
    left = Attempt(level)
    for k in range(6):
        left.add_point((k * 0.37) % 1.0, (k * 0.61) % 1.0, k % 2)
    left.step(40)
    return (play(level, 2.0, 3, 1, points=choose_points(level, 4)).attempt,
            play(level, 0.5, 3, 1, points=choose_points(level, 4)).attempt, left)


def expected_replay(seq: int) -> str:
    """The replay JSON the record with sequence number `seq` must hold."""
    attempts = sample_attempts()
    return json.dumps(record(attempts[seq % len(attempts)]), separators=(",", ":"), allow_nan=False)


def keep_recording(path: str, seq: int) -> None:
    """The child's loop: record attempts numbered seq + 1, seq + 2, … until killed."""
    store, message = ProgressStore.open(path)
    if message:
        print(f"message {message}", flush=True)
        return
    profile, attempts = store.profile(PROFILE), sample_attempts()
    print("ready", flush=True)
    while True:
        seq += 1
        message = store.record_attempt(profile, PACK, attempts[seq % len(attempts)], float(seq))
        if message:
            print(f"message {message}", flush=True)
            return
        print(f"saved {seq}", flush=True)


@dataclass
class Figures:
    """What the loop saw."""

    rounds: int = 0
    records_saved: int = 0  # records the children reported committed
    records_found: int = 0  # records in the database at the end
    hot_journals: int = 0  # kills that landed inside a transaction
    unreported_commits: int = 0  # commits done just before a kill, their "saved" line unprinted
    failures: list[str] = field(default_factory=list)


def check(path: Path, reported: int) -> int:
    """Raise AssertionError unless the database is whole and holds records 1…reported (+1 at most).

    Returns how many records it holds.
    """
    store, message = ProgressStore.open(path)  # as the game does: plays a hot journal back
    try:
        assert message is None, f"opening after the kill said: {message}"
        records = store.attempts(store.profile(PROFILE), PACK)
    finally:
        store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity_check failed"
    db.close()
    seqs = [int(r.seconds) for r in records]
    assert seqs == list(range(1, len(seqs) + 1)), f"records out of order or missing: {seqs[-5:]}"
    assert reported <= len(seqs) <= reported + 1, f"{reported} reported saved, {len(seqs)} found"
    for r in records:
        assert (r.level_id, r.pack_id) == ("first-harvest", PACK), f"record {r.id}: wrong level"
        assert r.replay == expected_replay(int(r.seconds)), f"record {r.id}: replay differs"
    return len(seqs)


def kill_one(path: Path, rng: random.Random, start: int, longest: float) -> int:
    """Start a recording child, SIGKILL it after up to `longest` s; the last sequence it reported."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(ROOT), str(start)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = child.stdout.readline().strip()
        if first != "ready":
            raise RuntimeError(f"the child did not start: {first} {child.stderr.read()[-300:]}")
        time.sleep(rng.uniform(0, longest))
        if child.poll() is not None:
            raise RuntimeError(f"the child stopped by itself: {child.stderr.read()[-300:]}")
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        lines = child.stdout.read().splitlines()
    finally:
        child.kill()
        child.wait()
        child.stdout.close()
        child.stderr.close()
    if problems := [line for line in lines if not line.startswith("saved ")]:
        raise RuntimeError(f"the child said: {problems[0]}")
    return int(lines[-1].split()[1]) if lines else start


def run(rounds: int, root: Path, seed: int, longest: float = 0.1) -> Figures:
    """The whole loop in `root` (a fresh folder); failures are collected, not raised."""
    rng, figures = random.Random(seed), Figures()
    path = root / "progress.db"
    found = 0
    for k in range(rounds):
        try:
            reported = kill_one(path, rng, found, longest)
            figures.records_saved += reported - found
            figures.hot_journals += Path(f"{path}-journal").exists()
            now = check(path, reported)
            figures.unreported_commits += now - reported
            found = now
        except Exception as error:  # noqa: BLE001 - every kind of failure is a finding
            figures.failures.append(f"round {k + 1}: {type(error).__name__}: {error}")
            found = len(_seqs(path))
        figures.rounds += 1
    figures.records_found = found
    return figures


def _seqs(path: Path) -> list[int]:
    """The sequence numbers in the database, to carry on after a failed round."""
    try:
        with sqlite3.connect(path) as db:
            rows = db.execute("SELECT seconds FROM attempts ORDER BY id").fetchall()
        db.close()
        return [int(s) for (s,) in rows]
    except sqlite3.Error:
        return []


def main(argv: list[str] | None = None) -> int:
    """Run the loop and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--folder", type=Path, default=None,
                        help="an empty folder to work in (default: a new temporary folder)")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    root = args.folder or Path(tempfile.mkdtemp(prefix="fruitnet-progress-kill-"))
    started = time.monotonic()
    figures = run(args.rounds, root, seed)
    print(f"seed {seed}, folder {root}, {time.monotonic() - started:.1f} s")
    print(f"rounds {figures.rounds}, kills {figures.rounds}, records reported saved "
          f"{figures.records_saved}, records found {figures.records_found}")
    print(f"kills inside a transaction (hot journal left) {figures.hot_journals}; commits that "
          f"finished unreported just before a kill {figures.unreported_commits}")
    print(f"failures {len(figures.failures)}")
    for failure in figures.failures[:20]:
        print("  " + failure)
    return 1 if figures.failures else 0


if __name__ == "__main__":
    sys.exit(main())
