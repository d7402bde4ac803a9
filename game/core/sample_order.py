"""The seeded stream of draws that picks each step's fruit.

Each step draws u ∈ [0, 1) and trains on training-set row ⌊u·N⌋. The stream is
seeded by the level's init seed alone, so the same level always draws the same
u's, whatever the player does; the game (attempt.py) and the batched solver
(batch_train.py) read the very same stream.
"""

from __future__ import annotations

import numpy as np

_DRAW_CHUNK = 256  # draws made at a time: one numpy call per 256 steps


class SampleDraws:
    """The attempt's stream of uniform draws, read one at a time."""

    def __init__(self, seed: int) -> None:
        self._rng = np.random.default_rng(np.random.SeedSequence([seed, 0x5A3D1E]))
        self._chunk = self._rng.random(_DRAW_CHUNK)
        self._next = 0

    def peek(self) -> float:
        return float(self._chunk[self._next])

    def take(self) -> float:
        u = self.peek()
        self._next += 1
        if self._next == _DRAW_CHUNK:
            self._chunk, self._next = self._rng.random(_DRAW_CHUNK), 0
        return u
