"""Attempt rules: budgets, refusals, winning, stars, determinism."""

import dataclasses

import numpy as np
import pytest

from game.core.attempt import HARVEST_FAILED, OUT_OF_STEPS, PLAYING, WON, Attempt
from game.core.levels import load_pack
from game.resources import levels_dir

PACK = load_pack(levels_dir() / "starter")
FIRST = PACK.level("first-harvest")


def _level(**changes):
    return dataclasses.replace(FIRST, **changes)


def _with_fruit(level=FIRST):
    a = Attempt(level)
    assert a.add_point(0.8, 0.8, 1).ok and a.add_point(0.2, 0.2, 0).ok
    return a


def test_fresh_attempt_uses_level_defaults():
    a = Attempt(FIRST)
    assert a.lr == FIRST.lr_default and a.hidden_size == FIRST.default_hidden_size
    assert a.network.layer_sizes == (2, FIRST.default_hidden_size, 1)
    assert a.state == PLAYING and a.steps_used == 0 and a.log == []
    assert a.accuracy < FIRST.target_accuracy


def test_point_budget_refuses_with_a_reason_and_frees_on_remove():
    a = Attempt(_level(point_budget=2))
    assert a.add_point(0.1, 0.1, 0).ok and a.add_point(0.9, 0.9, 1).ok
    refused = a.add_point(0.5, 0.5, 1)
    assert not refused.ok and "budget is 2" in refused.reason
    assert len(a.points) == 2 and len(a.log) == 2
    assert a.remove_point(0).ok
    assert a.add_point(0.5, 0.5, 1).ok
    assert [p.x1 for p in a.points] == [0.9, 0.5]


@pytest.mark.parametrize("args", [(1.5, 0.5, 1), (0.5, -0.1, 0), (float("nan"), 0.5, 1),
                                  (0.5, 0.5, 2), ("a", 0.5, 1)])
def test_bad_points_are_refused_not_raised(args):
    result = Attempt(FIRST).add_point(*args)
    assert not result.ok and result.reason


def test_remove_refuses_a_missing_point():
    a = _with_fruit()
    assert not a.remove_point(5).ok and not a.remove_point(-1).ok
    assert len(a.points) == 2


def test_step_budget_refuses_over_budget_and_ends_out_of_steps():
    a = _with_fruit(_level(step_budget=5, target_accuracy=1.0, lr_min=0.1, lr_default=0.1,
                           par_steps=5))
    refused = a.step(6)
    assert not refused.ok and refused.reason == "Only 5 steps left in the budget."
    assert a.steps_used == 0
    assert a.step(3).steps == 3 and a.step(2).ok
    assert a.state == OUT_OF_STEPS and a.steps_used == 5
    assert a.outcome().stars == 0 and not a.outcome().steps_star
    after = a.step(1)
    assert not after.ok and "No steps left" in after.reason
    assert not a.add_point(0.5, 0.5, 1).ok


def test_step_needs_fruit_and_a_whole_positive_count():
    a = Attempt(FIRST)
    assert "Place some fruit" in a.step().reason
    a = _with_fruit()
    for n in (0, -2, 1.5, True):
        assert not a.step(n).ok
    assert a.steps_used == 0


def test_learning_rate_range_is_enforced():
    a = Attempt(FIRST)
    assert not a.set_learning_rate(FIRST.lr_max * 2).ok
    assert not a.set_learning_rate(float("inf")).ok
    assert a.set_learning_rate(FIRST.lr_max * (1 + 1e-12)).ok and a.lr == FIRST.lr_max
    assert a.set_learning_rate(0.5).ok and a.lr == 0.5


def test_hidden_size_is_checked_and_resets_from_the_init_seed():
    a = _with_fruit()
    a.step(10)
    assert not a.set_hidden(7).ok
    assert "hidden sizes 2, 3, 4" in a.set_hidden(7).reason
    assert not a.set_hidden(3, 2).ok
    assert a.set_hidden(4).ok
    fresh = Attempt(FIRST)
    fresh.set_hidden(4)
    for W, W0 in zip(a.network.weights, fresh.network.weights):
        assert np.array_equal(W, W0)
    assert a.steps_used == 10, "a reset does not refund steps"


def test_reset_weights_restores_the_seeded_start():
    a = _with_fruit()
    start = [W.copy() for W in a.network.weights]
    a.step(5)
    assert not np.array_equal(a.network.weights[0], start[0])
    assert a.reset_weights().ok
    assert all(np.array_equal(W, W0) for W, W0 in zip(a.network.weights, start))


def test_single_step_returns_the_trace_of_the_current_sample():
    a = _with_fruit()
    row = a.current_sample()
    X, y = a.training_set()
    result = a.step()
    assert result.ok and result.steps == 1 and result.trace is not None
    assert np.array_equal(result.trace.x, X[row]) and result.trace.y == y[row]
    assert a.history[-1].sample == row and a.history[-1].loss == result.trace.loss


def test_accuracy_is_measured_on_the_orchard_not_on_the_players_points():
    a = _with_fruit()
    X, y = a.orchard_X, a.orchard_y
    expected = np.mean((a.network.predict(X) >= 0.5) == (y == 1))
    assert a.accuracy == expected
    a.add_point(0.5, 0.5, 1)
    assert a.accuracy == expected, "placing fruit does not change the judged accuracy"


def test_a_hold_win_needs_the_target_held_for_hold_steps_in_a_row():
    a = _with_fruit()
    result = a.step(400)
    assert a.state == WON
    assert result.steps == a.steps_used < 400
    held = [h.accuracy >= FIRST.target_accuracy for h in a.history]
    k = FIRST.hold_steps
    assert all(held[-k:]), "the last hold_steps steps were all at the target"
    # ...and it is the first step where that is true: no earlier run of k steps.
    assert not any(all(held[s:s + k]) for s in range(len(held) - k))
    assert a.held == k
    assert not a.step().ok and "already won" in a.step().reason


def test_a_step_that_only_touches_the_target_does_not_win_a_hold_level():
    from game.core.autoplay import choose_points

    def attempt(level):
        a = Attempt(level)
        for p in choose_points(FIRST):
            a.add_point(p.x1, p.x2, p.label)
        a.set_learning_rate(FIRST.lr_max)
        return a

    first_rule = attempt(_level(win="first", hold_steps=1))
    first_rule.step(400)
    touched = first_rule.steps_used
    assert first_rule.state == WON, "the old rule wins on the first step at target"
    held = attempt(_level(hold_steps=20))
    held.step(touched)
    assert held.history[-1].accuracy >= FIRST.target_accuracy
    assert held.state == PLAYING and held.held < 20, "one step at target is not a held win"


def test_rebuilding_the_network_starts_the_hold_again():
    a = _with_fruit(_level(hold_steps=400))
    a.step(200)
    assert a.held > 0
    assert a.reset_weights().ok and a.held == 0


def test_first_rule_wins_on_the_first_step_at_target():
    a = _with_fruit(_level(win="first", hold_steps=1))
    a.step(400)
    assert a.state == WON
    assert a.history[-1].accuracy >= FIRST.target_accuracy
    assert all(h.accuracy < FIRST.target_accuracy for h in a.history[:-1])


def test_harvest_scores_once_and_a_failed_harvest_ends_the_attempt():
    early = _with_fruit(_level(win="harvest", hold_steps=1))
    early.step(1)
    assert early.accuracy < FIRST.target_accuracy
    assert early.harvest().ok and early.state == HARVEST_FAILED
    assert not early.step().ok and "picked" in early.step().reason
    assert early.outcome().stars == 0

    ready = _with_fruit(_level(win="harvest", hold_steps=1))
    ready.step(400, stop_at_target=True)
    assert ready.accuracy >= FIRST.target_accuracy and ready.state == PLAYING
    assert ready.harvest().ok and ready.state == WON
    assert ready.log[-1] == {"op": "harvest"}


def test_harvest_levels_do_not_end_when_the_steps_run_out():
    a = _with_fruit(_level(win="harvest", hold_steps=1, step_budget=3, lr_min=0.1,
                           lr_default=0.1, target_accuracy=1.0))
    a.step(3)
    assert a.state == PLAYING and a.steps_left == 0
    refused = a.step(1)
    assert not refused.ok and "harvest now" in refused.reason
    assert a.harvest().ok and a.state == HARVEST_FAILED


def test_harvest_is_refused_on_other_levels():
    a = _with_fruit()
    assert not a.harvest().ok and a.state == PLAYING and a.log[-1]["op"] == "add"


def test_stars_are_two_separate_challenges_against_par():
    plays = {}
    for par_steps, par_fruit in ((400, 6), (400, 1), (1, 6), (1, 1)):
        a = _with_fruit(_level(par_steps=par_steps, par_fruit=par_fruit))
        a.step(400)
        assert a.state == WON and 1 < a.steps_used < 400
        plays[par_steps, par_fruit] = a.outcome()
    assert [(o.stars, o.steps_star, o.fruit_star) for o in plays.values()] == [
        (3, True, True), (2, True, False), (2, False, True), (1, False, False)]


def _play_script(level):
    a = Attempt(level)
    a.add_point(0.7, 0.8, 1)
    a.add_point(0.3, 0.2, 0)
    a.step(3)
    a.set_learning_rate(0.7)
    a.add_point(0.9, 0.6, 1)
    a.step()
    a.remove_point(0)
    a.step(4)
    return a


def test_same_actions_same_weights_bit_for_bit():
    a, b = _play_script(FIRST), _play_script(FIRST)
    for W, V in zip(a.network.weights + a.network.biases, b.network.weights + b.network.biases):
        assert np.array_equal(W, V)
    assert [h.sample for h in a.history] == [h.sample for h in b.history]


def test_step_chunks_do_not_change_the_result():
    one_by_one, at_once = _with_fruit(), _with_fruit()
    for _ in range(12):
        one_by_one.step()
    at_once.step(12)
    assert one_by_one.state == at_once.state and one_by_one.steps_used == at_once.steps_used
    for W, V in zip(one_by_one.network.weights, at_once.network.weights):
        assert np.array_equal(W, V)


def test_current_sample_follows_the_training_set():
    a = _with_fruit()
    assert a.current_sample() in (0, 1)
    for i in range(4):
        a.add_point(0.1 * i, 0.5, i % 2)
    assert 0 <= a.current_sample() < 6


def test_free_play_has_no_budget_no_end_and_bounded_history():
    from game.core.attempt import FREE_PLAY_HISTORY
    a = Attempt(_level(step_budget=3, point_budget=1), free_play=True)
    assert a.add_point(0.9, 0.9, 1).ok and a.add_point(0.1, 0.1, 0).ok
    assert a.step(FREE_PLAY_HISTORY + 50).ok
    assert a.state == PLAYING and a.steps_used == FREE_PLAY_HISTORY + 50
    assert len(a.history) == FREE_PLAY_HISTORY and a.history[-1].step == a.steps_used
    assert a.set_activation("tanh").ok and a.network.activation == "tanh"
    assert a.set_weight(0, 0, 1, 2.5).ok and a.network.weights[0][0, 1] == 2.5
    assert not a.set_weight(5, 0, 0, 1.0).ok and not a.set_weight(0, 0, 0, float("nan")).ok


def test_activation_and_weight_edits_are_sandbox_only():
    a = Attempt(FIRST)
    assert not a.set_activation("relu").ok
    assert not a.set_weight(0, 0, 0, 1.0).ok
