"""Adversarial players: fruit that should not win a level that teaches something.

Each adversary is a few fruit sets; every set is played with every allowed η ×
hidden choice, as one batch (game/core/solver.py). A level proves its lesson
when the adversaries it names in `[expect] adversaries_lose` never win.

- one_fruit: a single fruit, of either kind, at the middle of its own kind or
  at two seeded random places;
- one_class: the automatic player's fruit of one kind only;
- swapped_labels: the automatic player's fruit with the labels swapped;
- random_fruit: the point budget of fruit at seeded random places, random kinds;
- far_fruit: only fruit far from the boundary (the orchard fruit farthest from
  the other kind), spread out;
- sorted_fruit: on a level trained in placed order only, the automatic player's
  fruit placed one kind first, then the other (both ways round), so training
  sees a long run of one label.

A win an adversary finds in the batch is re-played through the game (`play`)
before it is reported, so a reported win is one a player could have had.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.core import autoplay, solver
from game.core.level_expect import ADVERSARIES
from game.core.levels import Level, Point
from game.core.solver import Setting

_CONFIRM_TRIES = 5  # batch wins re-played, fastest first, before giving up on a confirmation


@dataclass(frozen=True)
class Attack:
    """What one adversary achieved: how many of its runs won, and its fastest played win."""

    name: str
    runs: int
    wins: int  # in the batch
    fastest: autoplay.Play | None  # the fastest win confirmed through the game


def fruit_sets(level: Level, name: str) -> list[tuple[Point, ...]]:
    """The fruit sets adversary `name` plays on `level`."""
    X, y = level.orchard.arrays()
    rng = np.random.default_rng(np.random.SeedSequence([level.orchard.seed, 0xAD5E]))
    chosen = autoplay.choose_points(level)
    if name == "one_fruit":
        middles = [Point(*map(float, X[y == label].mean(axis=0)), label) for label in (1, 0)]
        odd = [Point(float(a), float(b), int(k)) for (a, b), k in
               zip(rng.random((2, 2)), rng.integers(0, 2, 2))]
        return [(p,) for p in middles + odd]
    if name == "one_class":
        return [tuple(p for p in chosen if p.label == label) for label in (1, 0)]
    if name == "swapped_labels":
        return [tuple(Point(p.x1, p.x2, 1 - p.label) for p in chosen)]
    if name == "random_fruit":
        return [tuple(Point(float(a), float(b), int(k)) for (a, b), k in
                      zip(rng.random((level.point_budget, 2)), rng.integers(0, 2, level.point_budget)))
                for _ in range(2)]
    if name == "far_fruit":
        return [_far_fruit(level, X, y)]
    if name == "sorted_fruit":  # in random order the draws ignore the order placed
        return [tuple(sorted(chosen, key=lambda p: p.label != first)) for first in (1, 0)] \
            if level.order == "placed" else []
    raise ValueError(f"adversary: expected one of {', '.join(ADVERSARIES)}, got {name!r}")


def _far_fruit(level: Level, X: np.ndarray, y: np.ndarray) -> tuple[Point, ...]:
    """The orchard fruit in the far half from the other kind, spread by the autoplayer's rule.

    X (M, 2), y (M,). Distance to the other kind is computed per label in chunks, O(M²) time
    at most 2000² and O(M) memory per chunk row.
    """
    points = []
    for label in (1, 0):
        own, other = X[y == label], X[y != label]
        if not len(own) or not len(other):
            continue
        gap = np.array([np.linalg.norm(other - p, axis=1).min() for p in own])  # (own,)
        far = own[gap >= np.median(gap)]
        count = (level.point_budget + (label == 1)) // 2
        points += [Point(float(a), float(b), label) for a, b in autoplay._spread(far, count)]
    return tuple(points)


def attack(level: Level, names: tuple[str, ...] = ADVERSARIES) -> list[Attack]:
    """Every named adversary against every allowed η × hidden choice of `level`."""
    grid = [(lr, size, layers) for size, layers in autoplay.hidden_choices(level)
            for lr in autoplay.learning_rates(level)]
    plan = [(name, Setting(lr, size, layers, fruit)) for name in names
            for fruit in fruit_sets(level, name) if fruit for lr, size, layers in grid]
    results = solver.outcomes(level, [setting for _, setting in plan]) if plan else []
    attacks = []
    for name in names:
        mine = [(setting, won, steps) for (who, setting), (won, steps) in zip(plan, results)
                if who == name]
        wins = sorted((steps, k) for k, (_, won, steps) in enumerate(mine) if won)
        attacks.append(Attack(name, len(mine), len(wins), _confirmed(level, mine, wins)))
    return attacks


def _confirmed(level: Level, mine: list, wins: list) -> autoplay.Play | None:
    """The fastest of the batch wins that a played game reproduces, or None."""
    for _, k in wins[:_CONFIRM_TRIES]:
        setting = mine[k][0]
        played = autoplay.play(level, setting.lr, setting.hidden_size, setting.hidden_layers,
                               list(setting.points))
        if played.won:
            return played
    return None
