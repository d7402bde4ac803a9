"""The title screen's backdrop network: it learns, moves on, and is the same every time."""

import numpy as np

from game.core import showcase
from game.core.showcase import Showcase


def test_the_backdrop_learns_its_dataset_then_moves_to_the_next():
    s = Showcase(seed=7)
    start = s.accuracy()
    rounds = []
    for _ in range(400):
        s.advance(200)
        if s.round != (rounds[-1] if rounds else 0):
            rounds.append(s.round)
        if len(rounds) >= 2:
            break
    assert s.kind == showcase.KINDS[s.round % len(showcase.KINDS)]
    assert rounds[:2] == [1, 2], "two datasets learned and left within 80,000 steps"
    assert 0.0 <= start < showcase.DONE_ACCURACY


def test_the_same_seed_gives_the_same_backdrop():
    a, b = Showcase(seed=3), Showcase(seed=3)
    for _ in range(20):
        a.advance(97)
        b.advance(97)
    assert a.steps == b.steps and all(np.array_equal(p, q) for p, q in
                                      zip(a.network.weights, b.network.weights))
