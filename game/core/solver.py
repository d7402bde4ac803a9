"""The designer's solver: many automatic plays of a level at once, by the batch trainer.

A setting is (η, hidden size, hidden layers, fruit). `outcomes` plays every
setting the way `autoplay.play` would (the level's fruit and the setting's, the
network Attempt builds, the game's sample rows, the level's win rule and step
budget), but runs settings of one network shape as one `BatchTrainer` batch.
The batch agrees with the game to rounding, not bit for bit (see
batch_train.py), so a result that matters must be confirmed by `autoplay.play`.

`WinTracker` applies the win rules to per-step accuracies, chunk by chunk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from game.core.attempt import Attempt
from game.core.batch_train import BatchTrainer, SampleRows
from game.core.levels import Level, Point

CHUNK = 64  # steps per advance: a finished run is dropped from the batch at the chunk's end
MAX_CELLS = 1 << 21  # runs × orchard fruit × weights per layer kept in one batch (≈16 MB arrays)


@dataclass(frozen=True)
class Setting:
    """One automatic play's choices: η, the hidden layers and the placed fruit."""

    lr: float
    hidden_size: int
    hidden_layers: int
    points: tuple[Point, ...]


class WinTracker:
    """Steps-to-win of K runs from their per-step orchard accuracies, fed chunk by chunk.

    win: "hold" (won once the accuracy has been ≥ target for hold_steps steps in a
    row), "first" (a hold of 1) or "harvest" (the automatic player harvests at the
    first step at target). A run not won when `budget` steps are used is out of steps.
    """

    def __init__(self, runs: int, win: str, target: float, hold_steps: int, budget: int) -> None:
        self.win, self.target, self.budget = win, target, budget
        self.hold = 1 if win == "first" else hold_steps
        self.steps = 0  # steps taken by every run so far
        self.held = np.zeros(runs, dtype=np.int64)  # Attempt.held per run
        self.won_at = np.zeros(runs, dtype=np.int64)  # the winning step, 0 while not won

    @property
    def finished(self) -> np.ndarray:
        """(K,) True for runs that have won or used the whole budget."""
        return (self.won_at > 0) | (self.steps >= self.budget)

    def update(self, accuracy: np.ndarray) -> None:
        """Take the accuracies (K, t) after each of the next t steps (t ≤ steps left)."""
        K, t = accuracy.shape
        if self.steps + t > self.budget:
            raise ValueError(f"update: {t} steps after {self.steps} exceed the budget {self.budget}")
        at = accuracy >= self.target  # (K, t)
        step = np.arange(t)
        # held after step s: s − (last step ≤ s below target), or, with none, the old count + s + 1.
        last_below = np.maximum.accumulate(np.where(at, -1, step), axis=1)
        held = np.where(last_below >= 0, step - last_below, self.held[:, None] + step + 1)
        hit = at if self.win == "harvest" else held >= self.hold
        first = hit.argmax(axis=1)
        newly = hit[np.arange(K), first] & (self.won_at == 0)
        self.won_at[newly] = self.steps + first[newly] + 1
        self.held = held[:, -1] if t else self.held
        self.steps += t

    def keep(self, which: np.ndarray) -> None:
        """Keep only the runs `which` selects."""
        self.held, self.won_at = self.held[which], self.won_at[which]


def outcomes(level: Level, settings: Sequence[Setting]) -> list[tuple[bool, int]]:
    """(won, steps used) for each setting, as `autoplay.play` would end, by batches.

    Settings of one network shape train together, at most `MAX_CELLS` worth at once.
    """
    results: list[tuple[bool, int]] = [(False, 0)] * len(settings)
    shapes: dict[tuple[int, int], list[int]] = {}
    for i, s in enumerate(settings):
        shapes.setdefault((s.hidden_size, s.hidden_layers), []).append(i)
    orchard_X, orchard_y = level.orchard.arrays()
    for (size, layers), members in shapes.items():
        W, b, trainable = _start(level, size, layers)
        widest = max(w.size for w in W)
        per_batch = max(1, MAX_CELLS // (widest * len(orchard_y)))
        for at in range(0, len(members), per_batch):
            group = members[at:at + per_batch]
            for i, result in zip(group, _play_batch(level, [settings[i] for i in group], W, b,
                                                     trainable, orchard_X, orchard_y)):
                results[i] = result
    return results


def _start(level: Level, size: int, layers: int) -> tuple[list, list, list | None]:
    """The network Attempt builds for this hidden choice: W per layer (n, m), b (n,), the mask."""
    attempt = Attempt(level)
    if (size, layers) != (attempt.hidden_size, attempt.hidden_layers):
        if not attempt.set_hidden(size, layers).ok:
            raise ValueError(f"hidden {size}×{layers}: not allowed in level {level.id}")
    if "shake" in level.controls:
        attempt.shake()  # as autoplay.play does
    net = attempt.network
    W = [w.copy() for w in net.weights]
    b = [v.copy() for v in net.biases]
    frozen = getattr(net, "frozen", ())
    trainable = [(np.full(w.shape, f"W{l + 1}" not in frozen), np.full(v.shape, f"b{l + 1}" not in frozen))
                 for l, (w, v) in enumerate(zip(W, b))] if frozen else None
    return W, b, trainable


def _training_sets(level: Level, settings: Sequence[Setting]) -> tuple[np.ndarray, ...]:
    """X (K, Nmax, 2), y (K, Nmax), N (K,): the level's given fruit, then each setting's."""
    sets = [list(level.given) + list(s.points[:level.point_budget]) for s in settings]
    N = np.array([len(pts) for pts in sets], dtype=np.int64)
    X = np.zeros((len(sets), max(1, int(N.max())), 2))
    y = np.zeros(X.shape[:2])
    for k, pts in enumerate(sets):
        X[k, :len(pts)] = [[p.x1, p.x2] for p in pts]
        y[k, :len(pts)] = [p.label for p in pts]
    return X, y, N


def _play_batch(level: Level, settings: Sequence[Setting], W: list, b: list, trainable,
                orchard_X: np.ndarray, orchard_y: np.ndarray) -> list[tuple[bool, int]]:
    """(won, steps) per setting, all of one shape, trained as one batch to the end."""
    X, y, N = _training_sets(level, settings)
    K = len(settings)
    alive = np.flatnonzero(N > 0)  # with no fruit at all, the game refuses to step
    won, steps = np.zeros(K, dtype=bool), np.zeros(K, dtype=np.int64)
    trainer = BatchTrainer([np.repeat(w[None], len(alive), 0) for w in W],
                           [np.repeat(v[None], len(alive), 0) for v in b],
                           np.array([settings[k].lr for k in alive]), X[alive], y[alive], N[alive],
                           orchard_X, orchard_y, level.activation, trainable)
    rows = SampleRows(level.init_seed, N[alive], level.order)
    tracker = WinTracker(len(alive), level.win, level.target_accuracy, level.hold_steps,
                         level.step_budget)
    while len(alive):
        tracker.update(trainer.advance(rows.next(min(CHUNK, level.step_budget - tracker.steps))))
        done = tracker.finished
        won[alive[done]] = tracker.won_at[done] > 0
        steps[alive[done]] = np.where(tracker.won_at[done] > 0, tracker.won_at[done], tracker.steps)
        for part in (trainer, rows, tracker):
            part.keep(~done)
        alive = alive[~done]
    return [(bool(w), int(s)) for w, s in zip(won, steps)]
