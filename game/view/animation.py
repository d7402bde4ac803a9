"""The timeline of one step on screen: forward, loss, backward, update.

A StepAnimation only reads a StepTrace (or, for a fast ×N summary, the weights
before and after) and answers "what should be shown now": which activations
the forward pulse has reached, how strongly the output glows, and the weights
eased from old to new. The scene advances it; the view draws what it says.

In the update phase every edge eases from its old to its new weight, and the
few weights that moved most flash their Δw; a weight that did not move at all
(Δw exactly 0, e.g. a frozen one) is drawn exactly as before.
"""

from __future__ import annotations

import numpy as np

from game.core.net import StepTrace

PHASES = ("forward", "loss", "backward", "update")
BASE_SECONDS = {"forward": 0.9, "loss": 0.55, "backward": 1.1, "update": 0.8}
CHANGES_SHOWN = 3  # how many of the largest |Δw| the update phase labels


def ease(x: float) -> float:
    """Smoothstep: starts and ends gently."""
    x = min(max(x, 0.0), 1.0)
    return x * x * (3.0 - 2.0 * x)


def signed_change(dw: float) -> str:
    """Δw to 3 significant figures with its sign, written as the step log writes numbers:
    "+0.0213", "−0.00200", "+1.52e−5" (positional from 0.0001 to 999)."""
    mantissa, exponent = f"{abs(dw):.2e}".split("e")
    e = int(exponent)  # after rounding, so 9.9996e−5 counts as 1.00e−4
    digits = f"{abs(dw):.{2 - e}f}" if -4 <= e <= 2 else f"{mantissa}e{e}".replace("-", "−")
    return ("−" if dw < 0 else "+") + digits


def largest_changes(old: list[np.ndarray], new: list[np.ndarray],
                    count: int = CHANGES_SHOWN) -> list[tuple[int, int, int, float]]:
    """The `count` weights that moved most: (l, j, i, Δw), largest |Δw| first.

    old[l], new[l] (fan_out, fan_in) per weight layer. Weights with Δw exactly 0
    are never listed, so a frozen or untouched weight never gets a label.
    """
    found = []
    for l, (W0, W1) in enumerate(zip(old, new)):
        dW = W1 - W0
        for j, i in zip(*np.nonzero(dW)):
            found.append((l, int(j), int(i), float(dW[j, i])))
    found.sort(key=lambda change: -abs(change[3]))
    return found[:count]


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
        self._changes: list[tuple[int, int, int, float]] | None = None  # found on first ask

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

    def change_labels(self) -> list[tuple[int, int, int, float]]:
        """During the update phase, the weights to label: (l, j, i, Δw); else none."""
        if self.phase != "update" or self.done:
            return []
        if self._changes is None:
            self._changes = largest_changes(self.old_weights, self.new_weights)
        return self._changes

    def pulse_quantity(self) -> str | None:
        """What the backward pulses measure, for their legend; None outside that phase."""
        if self.phase != "backward" or self.done:
            return None
        return "pulses: |∂L/∂w|" if self.trace is not None else "pulses: |Δw| of the run"


def step_extras(animation: StepAnimation | None, layout) -> dict:
    """The NetworkPicture fields that follow the animation: the thumbnails' morph,
    the Δw labels as (edge number, Δw), and the pulse legend's quantity."""
    if animation is None:
        return {"morph": 1.0, "changes": [], "pulse_legend": None}
    changes = [(layout.edge_number(l, j, i), dw) for l, j, i, dw in animation.change_labels()]
    return {"morph": animation.heatmap_morph(), "changes": changes,
            "pulse_legend": animation.pulse_quantity()}
