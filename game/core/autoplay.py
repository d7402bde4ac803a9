"""An automatic player, for level designers and tests.

`play` plays one attempt, only through Attempt. It may look at the orchard (a
designer's privilege) to choose its fruit: per label, farthest-point sampling
from the label's medoid, so the points spread over every clump of that fruit.
Then it sets η and the hidden size, shakes once where the level offers Shake,
and trains in chunks until the attempt ends.

`sweep`, `fewest_fruit` and `solve` try many settings. They run them through
the batch solver (solver.py: settings of one network shape train together),
which agrees with Attempt to rounding but not bit for bit, so every result
they return as a win that matters is confirmed by re-playing it with `play`:
the fastest win of a sweep, the fewest-fruit win, the solved play.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.core import solver
from game.core.attempt import PLAYING, WON, Attempt
from game.core.levels import Level, Point
from game.core.solver import Setting

FRUIT_WINDOW = 8  # fewest_fruit batches this many fruit counts at a time, smallest first


@dataclass(frozen=True)
class Play:
    """One automatic play: its settings and how it ended.

    `attempt` is the Attempt that played it, or None for a result only the
    batch solver computed (not confirmed by `play`).
    """

    lr: float
    hidden_size: int
    hidden_layers: int
    won: bool
    steps: int
    points: int
    attempt: Attempt | None


def choose_points(level: Level, count: int | None = None) -> list[Point]:
    """Up to `count` (default: the point budget) orchard fruit, alternating labels."""
    count = level.point_budget if count is None else count
    X, y = level.orchard.arrays()
    per_label = {label: _spread(X[y == label], (count + (label == 1)) // 2)
                 for label in (1, 0)}
    chosen: list[Point] = []
    for i in range(count):
        label = 1 if i % 2 == 0 else 0
        k = i // 2
        if k < len(per_label[label]):
            x1, x2 = per_label[label][k]
            chosen.append(Point(float(x1), float(x2), label))
    return chosen


def _spread(P: np.ndarray, k: int) -> list[np.ndarray]:
    """k rows of P (M, 2) by farthest-point sampling, starting at the medoid.

    Time O(M·k) after the medoid and memory O(M): orchards may hold tens of
    thousands of fruit, where an (M, M) distance matrix would not fit.
    """
    if not len(P) or k <= 0:
        return []
    picked = [_medoid(P)]
    nearest = np.linalg.norm(P - P[picked[0]], axis=1)  # (M,)
    while len(picked) < min(k, len(P)):
        picked.append(int(nearest.argmax()))
        nearest = np.minimum(nearest, np.linalg.norm(P - P[picked[-1]], axis=1))
    return [P[i] for i in picked]


EXACT_MEDOID_ROWS = 4096
MEDOID_CANDIDATES = 256
_CHUNK_CELLS = 1 << 18


def _medoid(P: np.ndarray) -> int:
    """Index of the row of P (M, 2) with the least summed distance to all rows.

    Exact up to EXACT_MEDOID_ROWS rows (O(M²) time, computed in chunks). Beyond
    that, only the MEDOID_CANDIDATES rows nearest the centroid compete, which
    costs O(M × candidates): the start of a spread needs a central point, not
    the provably most central one.
    """
    if len(P) <= EXACT_MEDOID_ROWS:
        candidates = np.arange(len(P))
    else:
        from_centroid = np.linalg.norm(P - P.mean(axis=0), axis=1)
        candidates = np.sort(np.argsort(from_centroid, kind="stable")[:MEDOID_CANDIDATES])
    rows = max(1, _CHUNK_CELLS // len(P))  # keeps each (rows, M, 2) block to a few MB
    totals = np.concatenate([
        np.linalg.norm(P[candidates[at:at + rows], None, :] - P[None, :, :], axis=2).sum(axis=1)
        for at in range(0, len(candidates), rows)])
    return int(candidates[totals.argmin()])


def play(level: Level, lr: float, hidden_size: int, hidden_layers: int,
         points: list[Point] | None = None, chunk: int = 50) -> Play:
    """Play one attempt with fixed settings until it is won or out of steps.

    On a harvest level it harvests as soon as the orchard reaches the target.
    """
    attempt = Attempt(level)
    for p in choose_points(level) if points is None else points:
        attempt.add_point(p.x1, p.x2, p.label)
    if (hidden_size, hidden_layers) != (attempt.hidden_size, attempt.hidden_layers):
        attempt.set_hidden(hidden_size, hidden_layers)
    if "shake" in level.controls:
        attempt.shake()  # once, before training: where a level offers Shake, it is the lesson
    if lr != attempt.lr:
        attempt.set_learning_rate(lr)
    harvest = level.win == "harvest"
    while attempt.steps_left and attempt.state == PLAYING:
        # A designer's privilege: the player sees the orchard, so it harvests the
        # moment the orchard reaches the target.
        if (quiz := attempt.quiz_book.waiting(attempt.steps_used)) is not None:
            attempt.answer_quiz(quiz.choices[0])  # any answer: answers do not change the training
        if not attempt.step(min(chunk, attempt.steps_left), stop_at_target=harvest).ok:
            break
        if harvest and attempt.accuracy >= level.target_accuracy:
            attempt.harvest()
    return Play(lr, hidden_size, hidden_layers, attempt.state == WON, attempt.steps_used,
                len(attempt.points), attempt)


def learning_rates(level: Level, count: int = 5) -> list[float]:
    """The default η plus `count` values spread geometrically over the allowed range."""
    grid = np.geomspace(level.lr_min, level.lr_max, count) if level.lr_max > level.lr_min \
        else np.array([level.lr_min])
    return sorted({level.lr_default, *(float(v) for v in grid)})


def hidden_choices(level: Level) -> list[tuple[int, int]]:
    """Every allowed (hidden size, hidden layers); layer count 0 has no size to vary."""
    choices = []
    for layers in level.hidden_layers:
        sizes = [level.default_hidden_size] if layers == 0 else level.hidden_sizes
        choices.extend((size, layers) for size in sizes)
    return choices


def _sweep_settings(level: Level) -> list[Setting]:
    points = tuple(choose_points(level))
    return [Setting(lr, size, layers, points)
            for size, layers in hidden_choices(level) for lr in learning_rates(level)]


def _fruit_settings(level: Level, counts: range) -> list[Setting]:
    return [Setting(lr, size, layers, tuple(choose_points(level, count)))
            for count in counts for size, layers in hidden_choices(level)
            for lr in learning_rates(level)]


def _batch(level: Level, settings: list[Setting], known: dict) -> list[Play]:
    """Unconfirmed plays of `settings` by the batch solver; `known` keeps results by setting."""
    missing = list(dict.fromkeys(s for s in settings if s not in known))
    known.update(zip(missing, solver.outcomes(level, missing)))
    return [Play(s.lr, s.hidden_size, s.hidden_layers, *known[s],
                 min(len(s.points), level.point_budget), None) for s in settings]


def _replay(level: Level, setting: Setting) -> Play:
    return play(level, setting.lr, setting.hidden_size, setting.hidden_layers, list(setting.points))


def sweep(level: Level, known: dict | None = None) -> list[Play]:
    """Every learning rate × hidden choice, each played to the end.

    The fastest win is confirmed: batch wins are re-played with `play`, fastest
    first, until the next one's batch steps exceed the fastest confirmed win; a
    re-played entry is the played result (with its attempt). So the fastest win
    in the list is always a confirmed one. `known`: results shared with other calls.
    """
    settings = _sweep_settings(level)
    plays = _batch(level, settings, {} if known is None else known)
    fastest = None
    for i in sorted((i for i, p in enumerate(plays) if p.won), key=lambda i: plays[i].steps):
        if fastest is not None and plays[i].steps > fastest:
            break
        plays[i] = _replay(level, settings[i])
        if plays[i].won and (fastest is None or plays[i].steps < fastest):
            fastest = plays[i].steps
    return plays


def solve(level: Level) -> Play | None:
    """The first winning play found, trying the largest hidden nets and η first.

    The first setting is played at once (it usually wins); the others go to the
    batch solver, and its wins are confirmed with `play` in the same order.
    """
    points = tuple(choose_points(level))
    settings = [Setting(lr, size, layers, points)
                for size, layers in sorted(hidden_choices(level), key=lambda c: (-c[1], -c[0]))
                for lr in sorted(learning_rates(level), reverse=True)]
    first = _replay(level, settings[0])
    if first.won:
        return first
    for setting, result in zip(settings[1:], _batch(level, settings[1:], {})):
        if result.won and (confirmed := _replay(level, setting)).won:
            return confirmed
    return None


def fewest_fruit(level: Level, known: dict | None = None) -> Play | None:
    """The winning play with the fewest fruit (1, 2, … up to the budget), or None.

    For each count the fruit are choose_points' first picks, and every
    η × hidden choice is tried; this is the solver's par for the fruit challenge.
    Counts go to the batch solver FRUIT_WINDOW at a time; the first batch win in
    order (count, hidden choice, η) that `play` confirms is returned.
    """
    known = {} if known is None else known
    for first in range(1, level.point_budget + 1, FRUIT_WINDOW):
        settings = _fruit_settings(level, range(first, min(first + FRUIT_WINDOW,
                                                           level.point_budget + 1)))
        for setting, result in zip(settings, _batch(level, settings, known)):
            if result.won and (confirmed := _replay(level, setting)).won:
                return confirmed
    return None


def survey(level: Level) -> tuple[list[Play], Play | None]:
    """(sweep, fewest_fruit) of a level, sharing one batch per network shape where they can."""
    known: dict = {}
    _batch(level, _sweep_settings(level) + _fruit_settings(
        level, range(1, min(FRUIT_WINDOW, level.point_budget) + 1)), known)
    plays = sweep(level, known)
    # With no win in the sweep there is no par to find, and the fruit search would play
    # every count through the whole budget.
    return plays, fewest_fruit(level, known) if any(p.won for p in plays) else None
