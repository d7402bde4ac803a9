"""The batch solver: win rules on accuracy chunks, agreement with `play`, confirmed results."""

import dataclasses

import numpy as np
import pytest

from game.core import autoplay, solver
from game.core.autoplay import choose_points, fewest_fruit, hidden_choices, learning_rates, play, sweep
from game.core.levels import load_pack
from game.core.solver import Setting, WinTracker, outcomes
from game.resources import levels_dir
from game.tools.check import solve_report

PACK = load_pack(levels_dir() / "starter")
FIRST, SLOW = PACK.level("first-harvest"), PACK.level("slow-learner")


def _fed(tracker, accuracy, chunks):
    at = 0
    for t in chunks:
        tracker.update(np.asarray(accuracy, dtype=float)[:, at:at + t])
        at += t
    return tracker


def test_hold_counts_steps_in_a_row_across_chunks():
    accuracy = [[1, 1, 0, 1, 1, 1, 0, 0],  # held 3 at step 6
                [1, 1, 1, 1, 0, 0, 0, 0],  # held 3 at step 3
                [0, 1, 1, 0, 1, 1, 0, 1]]  # never 3 in a row
    for chunks in ([8], [1, 1, 1, 1, 1, 1, 1, 1], [2, 3, 3], [5, 3]):
        tracker = _fed(WinTracker(3, "hold", 0.9, 3, 8), accuracy, chunks)
        assert tracker.won_at.tolist() == [6, 3, 0]
        assert tracker.finished.tolist() == [True, True, True]  # the last is out of steps


def test_first_and_harvest_win_at_the_first_step_at_target():
    accuracy = [[0.5, 0.95, 0.2], [0.5, 0.5, 0.5]]
    for rule in ("first", "harvest"):
        tracker = _fed(WinTracker(2, rule, 0.95, 20, 5), accuracy, [1, 2])
        assert tracker.won_at.tolist() == [2, 0]
        assert tracker.finished.tolist() == [True, False]  # 3 of 5 steps used


def test_a_tracker_refuses_steps_past_the_budget():
    tracker = WinTracker(1, "hold", 0.9, 2, 3)
    with pytest.raises(ValueError, match="budget"):
        tracker.update(np.ones((1, 4)))


def _grid(level, counts):
    return [Setting(lr, size, layers, tuple(choose_points(level, count)))
            for count in counts for size, layers in hidden_choices(level)
            for lr in learning_rates(level)]


@pytest.mark.parametrize("level, counts", [(FIRST, [1, 6]), (SLOW, [2, 6])], ids=["first", "slow"])
def test_batch_outcomes_are_what_play_gets(level, counts):
    settings = _grid(level, counts)
    played = [play(level, s.lr, s.hidden_size, s.hidden_layers, list(s.points)) for s in settings]
    assert outcomes(level, settings) == [(p.won, p.steps) for p in played]
    assert any(p.won for p in played) and not all(p.won for p in played)


def test_levels_with_frozen_weights_placed_order_and_harvest_are_played_alike():
    level = dataclasses.replace(FIRST, frozen=("b1",), order="placed", win="harvest", hold_steps=1)
    settings = _grid(level, [4])
    played = [play(level, s.lr, s.hidden_size, s.hidden_layers, list(s.points)) for s in settings]
    assert outcomes(level, settings) == [(p.won, p.steps) for p in played]
    assert {p.won for p in played} == {True, False}


def test_sweep_confirms_its_fastest_win():
    plays = sweep(FIRST)
    fastest = min((p for p in plays if p.won), key=lambda p: p.steps)
    assert fastest.attempt is not None and fastest.attempt.outcome().state == "won"
    # The shipped par is the solver's: a level retuned without its par fails here.
    assert fastest.steps == fastest.attempt.steps_used == FIRST.par_steps


def test_a_batch_result_the_game_does_not_reproduce_is_not_reported(monkeypatch):
    real = solver.outcomes

    def wrong(level, settings):  # claims fast wins for the smallest η with 1 or all the fruit
        return [(True, 7) if s.lr == min(learning_rates(level)) and len(s.points) in (1, 6)
                else result for s, result in zip(settings, real(level, settings))]

    monkeypatch.setattr(solver, "outcomes", wrong)
    lines = solve_report(FIRST)
    assert "    η = 0.1     hidden 2      :    not won" in lines  # re-played, so corrected
    assert (f"  the solver's par: par_steps = {FIRST.par_steps}, "
            f"par_fruit = {FIRST.par_fruit}  (* = replayed through the game)") in lines
    fewest = fewest_fruit(FIRST)
    assert fewest.points == FIRST.par_fruit and fewest.attempt.outcome().state == "won"


def test_check_solve_prints_the_confirmed_par():
    lines = solve_report(SLOW)
    rows = [line for line in lines if line.startswith("    η = ")]
    assert len(rows) == 5 and lines[1:6] == rows
    par = lines.index(next(line for line in lines if line.startswith("  the solver's par")))
    # The lesson: the small default η never wins; the largest does, and is replayed.
    assert rows[0] == "    η = 0.05    hidden 3      :    not won"
    assert rows[-1] == f"    η = 8       hidden 3      : {SLOW.par_steps:>6} steps *"
    assert lines[par - 1].startswith(f"  fastest win: {SLOW.par_steps} steps; fewest fruit to "
                                     f"win: {SLOW.par_fruit} ")
    assert lines[par] == (f"  the solver's par: par_steps = {SLOW.par_steps}, "
                         f"par_fruit = {SLOW.par_fruit}  (* = replayed through the game)")


def test_solve_returns_a_played_win():
    result = autoplay.solve(SLOW)
    assert result.won and result.attempt is not None and result.attempt.outcome().state == "won"
