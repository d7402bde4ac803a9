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
- oscillating accuracy: the orchard accuracy turned up-down-up many times in
  the last WINDOW steps, the sign of an η so large that each step overshoots.

The step-based triggers hold only while the accuracy is short of the target: a
network that has learned rightly moves little, and may be sure.

The scene shows a hint once per attempt per kind, so the coach never nags.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.core.attempt import Attempt, HistoryEntry
from game.core.sandbox_limits import SANDBOX_LIMITS

WINDOW = 40  # recent steps the step-based triggers look at
TINY_CHANGE = 0.01  # at good η, steps move some weight by 0.05 or more
SATURATED_SLOPE = 0.01
SATURATED_SHARE = 0.8
FITTED_LOSS = 0.005  # mean ½(ŷ − y)² of the training fruit: ŷ within 0.1 of every label
OSCILLATION_TURNS = 8  # swings of at least OSCILLATION_SWING that change direction
OSCILLATION_SWING = 0.1  # a fruit or two flipping back and forth is noise, not overshoot


@dataclass(frozen=True)
class Advice:
    """One hint: `kind` identifies the trigger, `text` is what the player reads."""

    kind: str
    text: str


def advice(attempt: Attempt) -> Advice | None:
    """The first hint whose trigger holds for this attempt now, or None."""
    recent = attempt.history[-WINDOW:]
    # A network at its target rightly learns little and may be sure: no advice then.
    short = bool(recent) and recent[-1].accuracy < attempt.level.target_accuracy
    if not short:
        return None
    low, high = (SANDBOX_LIMITS["lr"] if attempt.free_play
                 else (attempt.level.lr_min, attempt.level.lr_max))
    return one_class(attempt) or _shape_or_fruit(attempt, recent) \
        or _from_steps(recent, attempt.lr, low, high)


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
                                   "field) teach it most.")
    largest = max(h.change for h in recent)
    if largest < TINY_CHANGE and lr < high * (1 - 1e-9):  # never advise an η the level forbids
        return Advice("tiny_updates", f"The weights barely move: no step of the last "
                                      f"{len(recent)} changed any weight by more than "
                                      f"{largest:.1g}. Try a larger η.")
    turns = _turns([h.accuracy for h in recent])
    if turns >= OSCILLATION_TURNS and lr > low * (1 + 1e-9):
        return Advice("oscillating", f"The accuracy jumps up and down: it changed direction "
                                     f"{turns} times in the last {len(recent)} steps. Each step "
                                     "overshoots; try a smaller η.")
    return None


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
