"""The title screen's backdrop: a network that teaches itself, one dataset after another.

Pure logic (the title scene draws it): a 2 → 8 → 8 → 1 tanh network trains by
single-sample SGD on a seeded dataset; when it sorts nearly all of it, or has
had its steps, the next dataset comes, with a fresh network. Deterministic for
a seed, like everything in the core.
"""

from __future__ import annotations

import numpy as np

from game.core.datasets import generate
from game.core.net import Network

KINDS = ("moons", "ring", "xor", "spiral")
POINTS = 120
DONE_ACCURACY = 0.97
MAX_STEPS = 60_000
LEARNING_RATE = 0.5


class Showcase:
    """A self-training network over a cycle of datasets."""

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.round = -1
        self.next_dataset()

    def next_dataset(self) -> None:
        """The next dataset of KINDS, and a fresh network for it."""
        self.round += 1
        self.kind = KINDS[self.round % len(KINDS)]
        self.X, self.y = generate(self.kind, POINTS, 0.03, self.seed + self.round)  # (N, 2), (N,)
        self.network = Network((2, 8, 8, 1), "tanh", seed=self.seed + self.round)
        self._order = np.random.default_rng(self.seed + self.round)
        self.steps = 0
        self.sorted_share = self.accuracy()  # as of the last advance; read by every frame

    def advance(self, steps: int) -> None:
        """Train `steps` single-sample steps; move on when sorted or out of steps."""
        self.network.train(self.X, self.y, self._order.integers(0, len(self.y), steps), LEARNING_RATE)
        self.steps += steps
        self.sorted_share = self.accuracy()
        if self.sorted_share >= DONE_ACCURACY or self.steps >= MAX_STEPS:
            self.next_dataset()

    def accuracy(self) -> float:
        """Share of the dataset sorted right (ŷ ≥ ½ is a strawberry)."""
        return float(np.mean((self.network.predict(self.X) >= 0.5) == (self.y == 1)))
