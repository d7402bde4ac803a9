"""What an attempt reports: an action's Result, the Outcome so far, and each step's HistoryEntry."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.core.net import StepTrace


@dataclass(frozen=True)
class Result:
    """What an action did. `trace` is set for a single step; `steps` counts steps taken."""

    ok: bool
    reason: str = ""
    trace: StepTrace | None = None
    steps: int = 0


@dataclass(frozen=True)
class Outcome:
    """Where the attempt stands."""

    state: str
    stars: int  # 0 unless won; then 1 + steps_star + fruit_star
    steps_star: bool  # won within the par of steps
    fruit_star: bool  # won with at most the par of placed fruit
    accuracy: float
    steps_used: int
    points_used: int
    quiz_right: int = 0  # "predict the nudge" questions answered right
    quiz_asked: int = 0  # ... and answered at all


@dataclass(frozen=True)
class HistoryEntry:
    """One step in the attempt's story, for the plots and the steps list."""

    step: int
    sample: int  # training-set row used
    label: int  # that row's label, 1 🍓 or 0 🍋
    loss: float  # ½(ŷ − y)² on that sample, before the update
    training_loss: float  # mean loss on the whole training set after the update
    accuracy: float  # orchard accuracy after the update
    change: float = 0.0  # the step's largest |Δw| (0 if the update was refused)
    output_slope: float = 0.25  # σ′(z) of the output neuron in the step
    refused: bool = False  # the update would have overflowed, so the weights were kept


def trace_summary(trace: StepTrace) -> tuple[float, float]:
    """(η·largest |∂L/∂w| over the parameters that train, output σ′): what
    Network.last_step_summary gives after a fast step, from a traced one."""
    slope = float(trace.layers[-1].derivative[0])
    if trace.diverged:
        return 0.0, slope
    largest = max([float(np.abs(layer.dW).max()) for layer in trace.layers if not layer.W_frozen]
                  + [float(np.abs(layer.db).max()) for layer in trace.layers if not layer.b_frozen])
    return trace.lr * largest, slope
