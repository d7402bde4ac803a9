"""A simulated class, for `fruitnet bench` and the tests: students who play a pack and hand in.

    paths = simulate_class(pack, folder, students=30)   # one hand-in file per student

Each student plays every level of the pack one to three times with the automatic
player (autoplay.py), on its fruit nudged a little (students do not click the
same pixels) and with an η and hidden size of their own, so their replays
differ and some attempts are lost. The attempts go into a ProgressStore in
`folder` (one profile per student), exactly as the game records them, and each
student's hand-in is written by handin.write_handin. Deterministic for a seed;
the store's clock is simulated (a minute per attempt), so times are distinct.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np

from game.core.autoplay import choose_points, hidden_choices, learning_rates, play
from game.core.handin import write_handin
from game.core.levels import Level, Pack, Point
from game.core.progress import ProgressStore

START_TIME = 1_796_000_000.0  # a fixed moment (2026-12), so simulated hand-ins are reproducible


def student_name(k: int) -> str:
    """The k-th simulated student's name: "Student 01", "Student 02", …"""
    return f"Student {k + 1:02d}"


def nudged_points(level: Level, rng: np.random.Generator, spread: float = 0.02) -> list[Point]:
    """The automatic player's fruit, each moved by a small random amount (kept on the field)."""
    points = []
    for p in choose_points(level):
        x1, x2 = np.clip([p.x1, p.x2] + rng.normal(0.0, spread, 2), 0.0, 1.0)
        points.append(Point(round(float(x1), 3), round(float(x2), 3), p.label))
    return points


def play_like_a_student(level: Level, rng: np.random.Generator):
    """One attempt: nudged fruit, an η and hidden size picked at random; the finished Attempt."""
    size, layers = hidden_choices(level)[rng.integers(len(hidden_choices(level)))]
    rates = learning_rates(level)
    return play(level, float(rates[rng.integers(len(rates))]), size, layers,
                nudged_points(level, rng)).attempt


def simulate_class(pack: Pack, folder: Path, students: int = 30, seed: int = 0,
                   names: list[str] | None = None) -> list[Path]:
    """Play and hand in for `students` students (named `names`, else student_name(k));
    the hand-in files (folder/handins/*.json)."""
    clock = itertools.count(START_TIME, 60.0)
    store, _ = ProgressStore.open(folder / "progress.db", clock=lambda: next(clock))
    paths = []
    with store:
        for k in range(students):
            rng = np.random.default_rng([seed, k])
            profile = store.profile(names[k] if names else student_name(k))
            for level in pack.levels:
                for _ in range(int(rng.integers(1, 4))):
                    store.record_attempt(profile, pack.id, play_like_a_student(level, rng),
                                         seconds=float(rng.integers(30, 600)))
            path, problem = write_handin(store, profile, pack,
                                         folder / "handins" / f"student-{k + 1:02d}.json")
            if problem:
                raise OSError(problem)
            paths.append(path)
    return paths
