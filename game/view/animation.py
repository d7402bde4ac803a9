"""The timeline of one step on screen: forward, loss, backward, update.

A StepAnimation only reads a StepTrace (or, for a fast ×N summary, the weights
before and after) and answers "what should be shown now": which activations
the forward pulse has reached, how strongly the output glows, and the weights
eased from old to new. The scene advances it; the view draws what it says.
"""

from __future__ import annotations

import numpy as np

from game.core.net import StepTrace

PHASES = ("forward", "loss", "backward", "update")
BASE_SECONDS = {"forward": 0.9, "loss": 0.55, "backward": 1.1, "update": 0.6}


def ease(x: float) -> float:
    """Smoothstep: starts and ends gently."""
    x = min(max(x, 0.0), 1.0)
    return x * x * (3.0 - 2.0 * x)


class StepAnimation:
    """Plays one step (trace given) or a ×N summary (trace None: backward + update only)."""

    def __init__(self, old_weights: list[np.ndarray], new_weights: list[np.ndarray],
                 trace: StepTrace | None, speed: float = 1.0) -> None:
        self.trace = trace
        self.old_weights = [W.copy() for W in old_weights]
        self.new_weights = [W.copy() for W in new_weights]
        self.phases = PHASES if trace is not None else ("backward", "update")
        self.speed = max(speed, 0.05)
        self.elapsed = 0.0
        self._bounds = np.cumsum([BASE_SECONDS[p] for p in self.phases])

    @property
    def duration(self) -> float:
        return float(self._bounds[-1]) / self.speed

    @property
    def done(self) -> bool:
        return self.elapsed >= self.duration

    def advance(self, dt: float) -> None:
        self.elapsed = min(self.elapsed + dt, self.duration)

    @property
    def phase(self) -> str:
        k = int(np.searchsorted(self._bounds, self.elapsed * self.speed, side="right"))
        return self.phases[min(k, len(self.phases) - 1)]

    @property
    def progress(self) -> float:
        """0…1 within the current phase."""
        k = self.phases.index(self.phase)
        start = self._bounds[k - 1] if k else 0.0
        return min((self.elapsed * self.speed - start) / (self._bounds[k] - start), 1.0)

    def phase_seconds(self, phase: str) -> float:
        """Real seconds the phase lasts at this speed."""
        return BASE_SECONDS[phase] / self.speed

    def weights_shown(self) -> list[np.ndarray]:
        """Old weights until the update phase; then eased toward the new ones."""
        if self.phase != "update":
            return self.old_weights if not self.done else self.new_weights
        f = ease(self.progress)
        return [W0 + (W1 - W0) * f for W0, W1 in zip(self.old_weights, self.new_weights)]

    def activations_shown(self) -> list[np.ndarray | None]:
        """Per neuron layer (inputs first), the values the forward pulse has reached."""
        if self.trace is None:
            return []
        values = [self.trace.x] + [layer.a for layer in self.trace.layers]
        if self.phase != "forward":
            return values
        reached = int(self.progress * (len(values) - 1) + 1e-9) + 1
        return [v if k < reached else None for k, v in enumerate(values)]

    def loss_glow(self) -> float:
        """How strongly the output glows: ∝ L (L ≤ ½), rising in the loss phase."""
        if self.trace is None or self.phase == "forward":
            return 0.0
        level = min(self.trace.loss / 0.25, 1.0) * 0.85 + 0.15
        if self.phase == "loss":
            return level * ease(self.progress * 1.5)
        if self.phase == "backward":
            return level * (1.0 - 0.5 * self.progress)
        return level * 0.5 * (1.0 - self.progress)

    def heatmap_morph(self) -> float:
        """0 → show the old boundary, 1 → the new one."""
        if self.done:
            return 1.0
        return ease(self.progress) if self.phase == "update" else 0.0
