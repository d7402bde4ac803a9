"""Checks that a level teaches: it is not solved before play, and its wins are held.

- `start_accuracy_up_to_bias`: the best orchard accuracy the starting network
  reaches if only its output bias may change. A level whose starting weights
  already separate the orchard up to that bias is won by any fruit that nudges
  the bias the right way (one strawberry in the lemon corner won first-harvest).
- `held_after_win`: how much of the next steps a winning play keeps the
  target, when it trains on; a fly-by win keeps it for a step or two.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from game.core import autoplay
from game.core.attempt import Attempt
from game.core.levels import Level

FLY_BY_STEPS = 50  # steps watched after a win


def start_accuracy_up_to_bias(level: Level) -> tuple[float, tuple[int, int]]:
    """(best accuracy, (hidden size, layers)) over the allowed shapes and every output bias."""
    best = (0.0, (level.default_hidden_size, level.default_hidden_layers))
    for size, layers in autoplay.hidden_choices(level):
        attempt = Attempt(level)
        if (size, layers) != (attempt.hidden_size, attempt.hidden_layers):
            attempt.set_hidden(size, layers)
        accuracy = _best_shift_accuracy(attempt)
        if accuracy > best[0]:
            best = (accuracy, (size, layers))
    return best


def _best_shift_accuracy(attempt: Attempt) -> float:
    """Best accuracy of (z_out − b_out + c ≥ 0) against the orchard labels, over all c.

    The output is σ(z_out), and ŷ ≥ ½ exactly when z_out ≥ 0, so shifting the
    bias moves one threshold over the sorted scores s = z_out − b_out (M,).
    """
    network, y = attempt.network, attempt.orchard_y
    if not len(y):
        return 0.0
    scores = network.output_logits(attempt.orchard_X) - network.biases[-1][0]  # (M,)
    order = np.argsort(scores, kind="stable")
    sorted_scores, truth = scores[order], (y[order] == 1).astype(np.int64)
    # Threshold before sorted position k: rows k.. say strawberry, rows ..k-1 say lemon.
    lemons_right = np.concatenate([[0], np.cumsum(1 - truth)])  # (M+1,)
    strawberries_right = truth.sum() - np.concatenate([[0], np.cumsum(truth)])
    # A threshold cannot fall between equal scores: only the ends and the steps count.
    splits = np.concatenate([[True], sorted_scores[1:] > sorted_scores[:-1], [True]])
    return float((lemons_right + strawberries_right)[splits].max() / len(y))


def accuracy_at_budget_end(level: Level, play: autoplay.Play) -> float:
    """The orchard accuracy after training `play`'s settings and fruit for the whole
    step budget without harvesting (on a copy of the level that cannot be won)."""
    endless = dataclasses.replace(level, win="hold", hold_steps=10**9)
    fruit = play.attempt.points if play.attempt is not None else None
    return autoplay.play(endless, play.lr, play.hidden_size, play.hidden_layers, fruit).attempt.accuracy


def held_after_win(level: Level, play: autoplay.Play) -> float:
    """Share of the FLY_BY_STEPS steps after `play`'s win with the accuracy still at target.

    The same settings and fruit are played on a copy of the level that cannot be
    won, for the win's steps and FLY_BY_STEPS more.
    """
    endless = dataclasses.replace(level, win="hold", hold_steps=10**9,
                                  step_budget=play.steps + FLY_BY_STEPS)
    fruit = play.attempt.points if play.attempt is not None else None
    again = autoplay.play(endless, play.lr, play.hidden_size, play.hidden_layers, fruit)
    after = again.attempt.history[play.steps:]
    if not after:
        return 1.0
    return sum(h.accuracy >= level.target_accuracy for h in after) / len(after)
