"""The coach: hints that fire on what the player is doing, not only when the budget runs out.

`advice(attempt)` looks at the attempt's fruit and its recent steps and returns
the first hint whose trigger holds, or None. Each hint names what it saw, in
numbers, and what to try. The triggers, in the order they are checked:

- one class only: every training fruit has the same label, so "always that
  fruit" is a perfect answer to the training set (said once the player trains);
- no hidden layer: a network without one draws a straight line, and the
  accuracy has stayed short of the target, on a level that allows hidden layers;
- fruit fitted, orchard not: the training loss is tiny but the orchard is short
  of the target, so the network has learned the fruit it was given, and only
  more fruit where the orchard is wrong will help;
- saturated output: σ′ of the output under SATURATED_SLOPE on most recent steps:
  a sure neuron learns slowly, even when it is sure and wrong;
- tiny updates: no weight moved by more than TINY_CHANGE in each of the last
  WINDOW steps, so η is too small to get anywhere within the budget;
- diverging: an update of the last WINDOW steps would have overflowed to
  infinity and was refused, so nothing learns: η is far too large;
- every neuron saturated: on the training fruit, σ′ (or f′) of nearly every
  neuron is under SATURATED_SLOPE and ŷ is pinned at 0 or 1, so steps barely
  move any weight; a smaller η and a Reset start again from a network that can learn;
- oscillating accuracy: the orchard accuracy turned up-down-up many times in
  the last WINDOW steps, the sign of an η so large that each step overshoots;
- stuck: the accuracy has not changed at all in the last WINDOW steps, short of
  the target, and none of the above explains it.

Each hint names the explanation page (1-based, game/scenes/explain_pages.py)
that explains it, so the screen can offer to open it.

The step-based triggers hold only while the accuracy is short of the target: a
network that has learned rightly moves little, and may be sure.

The scene shows a hint once per attempt per kind, so the coach never nags.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.core.activations import OUTPUT
from game.core.attempt import Attempt, HistoryEntry
from game.core.net import activation_derivative
from game.core.sandbox_limits import SANDBOX_LIMITS

WINDOW = 40  # recent steps the step-based triggers look at
TINY_CHANGE = 0.01  # at good η, steps move some weight by 0.05 or more
SATURATED_SLOPE = 0.01
SATURATED_SHARE = 0.8
FITTED_LOSS = 0.005  # mean ½(ŷ − y)² of the training fruit: ŷ within 0.1 of every label
OSCILLATION_TURNS = 8  # swings of at least OSCILLATION_SWING that change direction
OSCILLATION_SWING = 0.1  # a fruit or two flipping back and forth is noise, not overshoot
ALL_SATURATED_SHARE = 0.9
PINNED = 0.01  # ŷ within 0.01 of 0 or 1


@dataclass(frozen=True)
class Advice:
    """One hint: `kind` identifies the trigger, `text` is what the player reads."""

    kind: str
    text: str
    page: int | None = None  # the explanation page that explains it, numbered from 1


def advice(attempt: Attempt) -> Advice | None:
    """The first hint whose trigger holds for this attempt now, or None."""
    recent = attempt.history[-WINDOW:]
    # A network at its target rightly learns little and may be sure: no advice then.
    short = bool(recent) and recent[-1].accuracy < attempt.level.target_accuracy
    if not short:
        return None
    low, high = (SANDBOX_LIMITS["lr"] if attempt.free_play
                 else (attempt.level.lr_min, attempt.level.lr_max))
    return one_class(attempt) or _diverging(recent) or _all_saturated(attempt, recent) \
        or _shape_or_fruit(attempt, recent) or _from_steps(recent, attempt.lr, low, high) \
        or _stuck(recent)


def one_class(attempt: Attempt) -> Advice | None:
    """Every training fruit has one label (and the player has placed at least two)."""
    labels = {p.label for p in attempt.given_in_play()} | {p.label for p in attempt.points}
    if len(attempt.points) < 2 or len(labels) != 1 or not attempt.steps_used:
        return None
    have, missing = ("strawberries", "lemon") if labels == {1} else ("lemons", "strawberry")
    return Advice("one_class", f"All your fruit are {have}: the network can score perfectly on "
                               f"them by answering \"{have}\" everywhere. Place a {missing} too.")


def _shape_or_fruit(attempt: Attempt, recent: list[HistoryEntry]) -> Advice | None:
    """No hidden layer where one is allowed; or the fruit are learned but the orchard is not."""
    if len(recent) < WINDOW:
        return None
    if attempt.hidden_layers == 0 and max(attempt.level.hidden_layers) > 0 and not attempt.free_play:
        return Advice("no_hidden_layer", "With no hidden layer the boundary is one straight line, "
                                         f"and the accuracy has stayed under the target for "
                                         f"{len(recent)} steps. If no line can sort this orchard, "
                                         "choose a hidden layer.")
    loss = recent[-1].training_loss
    if loss < FITTED_LOSS:
        return Advice("fruit_fitted", f"Your fruit are learned (mean loss {loss:.2g}), but the "
                                      f"orchard is only {recent[-1].accuracy:.0%} right: the "
                                      "network learns only from the fruit you place. Place fruit "
                                      "where the orchard is still wrong.")
    return None


def _from_steps(recent: list[HistoryEntry], lr: float, low: float, high: float
                ) -> Advice | None:
    if len(recent) < WINDOW:
        return None
    saturated = sum(h.output_slope < SATURATED_SLOPE for h in recent)
    if saturated >= SATURATED_SHARE * len(recent):
        return Advice("saturated", f"The output neuron is saturated: σ′ was under "
                                   f"{SATURATED_SLOPE} on {saturated} of the last {len(recent)} "
                                   "steps. A sure neuron learns slowly, even when it is wrong: "
                                   "fruit where the network is unsure (the pale band on the "
                                   "field) teach it most.", page=3)
    largest = max(h.change for h in recent)
    if largest < TINY_CHANGE and lr < high * (1 - 1e-9):  # never advise an η the level forbids
        return Advice("tiny_updates", f"The weights barely move: no step of the last "
                                      f"{len(recent)} changed any weight by more than "
                                      f"{largest:.1g}. Try a larger η.", page=3)
    turns = _turns([h.accuracy for h in recent])
    if turns >= OSCILLATION_TURNS and lr > low * (1 + 1e-9):
        return Advice("oscillating", f"The accuracy jumps up and down: it changed direction "
                                     f"{turns} times in the last {len(recent)} steps. Each step "
                                     "overshoots; try a smaller η.", page=3)
    return None


def _diverging(recent: list[HistoryEntry]) -> Advice | None:
    refused = sum(h.refused for h in recent)
    if not refused:
        return None
    return Advice("diverging", f"η is far too large: {refused} of the last {len(recent)} updates "
                               "would have overflowed to infinity, so the weights were kept and "
                               "nothing was learned. Lower η a lot.", page=3)


def _all_saturated(attempt: Attempt, recent: list[HistoryEntry]) -> Advice | None:
    """Nearly every neuron saturated on the training fruit, and ŷ pinned at 0 or 1."""
    if len(recent) < WINDOW:
        return None
    X, _ = attempt.training_set()
    if not len(X):
        return None
    flat = _saturation(attempt.network, X)
    # A network that started saturated (huge starting weights) is not helped by a Reset:
    # the output's own hint, below, says what helps then.
    if flat is None or _saturation(attempt.starting_network(), X) is not None:
        return None
    return Advice("all_saturated", f"Every neuron is saturated: the slope σ′ or f′ is under "
                                   f"{SATURATED_SLOPE} for {flat:.0%} of neurons on your fruit, "
                                   f"and ŷ is pinned at 0 or 1. Steps barely move the weights. "
                                   "Lower η and Reset.", page=4)


def _saturation(network, X: np.ndarray) -> float | None:
    """The share of (fruit, neuron) slopes under SATURATED_SLOPE, if nearly all are and ŷ
    is pinned at 0 or 1 for nearly every fruit; else None."""
    slopes, y_hat = neuron_slopes(network, X)
    flat = float(np.mean(slopes < SATURATED_SLOPE))
    pinned = float(np.mean(np.minimum(y_hat, 1.0 - y_hat) < PINNED))
    return flat if min(flat, pinned) >= ALL_SATURATED_SHARE else None


def neuron_slopes(network, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """f′(z) of every neuron (hidden and output) for each row of X (N, 2), as (N, neurons),
    and ŷ (N,)."""
    zs, acts = network.layer_outputs(X)
    slopes = [activation_derivative(network.activation if l < len(zs) - 1 else OUTPUT.name, z, a)
              for l, (z, a) in enumerate(zip(zs, acts))]
    return np.concatenate(slopes, axis=1), acts[-1][:, 0]


def _stuck(recent: list[HistoryEntry]) -> Advice | None:
    if len(recent) < WINDOW or len({h.accuracy for h in recent}) > 1:
        return None
    return Advice("stuck", f"Stuck: the accuracy has stayed at {recent[-1].accuracy:.0%} for "
                           f"{len(recent)} steps. The same fruit keep teaching the same thing: "
                           "place fruit where the field is wrong, or try another η.", page=3)


def _turns(values: list[float]) -> int:
    """How many times the sequence turns after a swing of at least OSCILLATION_SWING.

    The last turning point is tracked; a move counts only once it has gone
    OSCILLATION_SWING from it, so small jitter never counts.
    """
    turns, extreme, rising = 0, values[0], None
    for v in values[1:]:
        if rising is not False and v <= extreme - OSCILLATION_SWING:
            turns, rising, extreme = turns + (rising is True), False, v
        elif rising is not True and v >= extreme + OSCILLATION_SWING:
            turns, rising, extreme = turns + (rising is False), True, v
        elif (rising is True and v > extreme) or (rising is False and v < extreme):
            extreme = v
    return turns
