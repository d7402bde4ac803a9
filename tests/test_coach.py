"""The coach's contextual hints: each trigger fires on its situation and not on a good run."""

import dataclasses

import pytest

from game.core.attempt import Attempt
from game.core.autoplay import choose_points
from game.core.coach import TINY_CHANGE, WINDOW, advice
from game.core.levels import Point, load_pack
from game.resources import levels_dir

PACK = load_pack(levels_dir() / "starter")
FIRST, SLOW = PACK.level("first-harvest"), PACK.level("slow-learner")


def _played(level, lr, steps, points=None, **changes):
    # A fixed seed: the triggers are under test here, not the shipped level's tuning.
    changes = {"init_seed": 3, **changes}
    level = dataclasses.replace(level, step_budget=10**5, hold_steps=10**5, **changes)
    attempt = Attempt(level)
    for p in choose_points(level) if points is None else points:
        attempt.add_point(p.x1, p.x2, p.label)
    attempt.set_learning_rate(lr)
    if steps:
        attempt.step(steps)
    return attempt


def _kind(attempt):
    found = advice(attempt)
    return found.kind if found else None


def test_one_class_only():
    attempt = _played(FIRST, 2.0, 0, [p for p in choose_points(FIRST) if p.label == 1][:2])
    assert _kind(attempt) is None, "not while the player is still placing fruit"
    attempt.step(1)
    found = advice(attempt)
    assert found.kind == "one_class" and "Place a lemon" in found.text
    attempt.add_point(0.1, 0.1, 0)
    assert _kind(attempt) is None


def test_tiny_updates_at_the_smallest_learning_rate():
    attempt = _played(SLOW, SLOW.lr_min, WINDOW)
    assert max(h.change for h in attempt.history) < TINY_CHANGE
    assert _kind(attempt) == "tiny_updates"
    assert _kind(_played(SLOW, SLOW.lr_min, WINDOW - 1)) is None, "not before a full window"


def test_saturated_output_with_huge_starting_weights():
    attempt = _played(FIRST, 2.0, WINDOW, init_scale=60.0)
    found = advice(attempt)
    assert found.kind == "saturated" and "40 of the last 40" in found.text


def test_oscillating_accuracy_at_the_largest_learning_rate():
    assert _kind(_played(FIRST, FIRST.lr_max, 100)) == "oscillating"


@pytest.mark.parametrize("steps", [WINDOW, 300])
def test_a_good_run_gets_no_advice(steps):
    attempt = _played(FIRST, FIRST.lr_default, steps)
    assert _kind(attempt) is None


def test_no_step_advice_once_the_target_is_reached():
    attempt = _played(FIRST, 2.0, WINDOW, init_scale=60.0)
    assert _kind(attempt) == "saturated"
    at_target = dataclasses.replace(attempt.level, target_accuracy=attempt.accuracy)
    attempt.level = at_target
    assert _kind(attempt) is None


def test_no_hidden_layer_on_a_level_that_needs_one():
    rows = PACK.level("crossed-rows")
    attempt = _played(rows, 1.0, WINDOW, init_seed=rows.init_seed)
    assert attempt.hidden_layers == 0
    found = advice(attempt)
    assert found.kind == "no_hidden_layer" and "straight line" in found.text


def test_fruit_learned_but_not_the_orchard():
    rows = PACK.level("crossed-rows")
    corners = [Point(0.1, 0.1, 0), Point(0.9, 0.9, 0), Point(0.1, 0.9, 1), Point(0.9, 0.1, 1)]
    attempt = _played(rows, rows.lr_max, 0, corners, init_seed=rows.init_seed)
    attempt.set_hidden(4, 1)
    attempt.step(3000)
    assert attempt.history[-1].training_loss < 0.005 and attempt.accuracy < rows.target_accuracy
    assert _kind(attempt) == "fruit_fitted"


def test_jitter_is_not_oscillation_and_no_advice_leaves_the_allowed_range():
    from game.core.coach import _turns
    assert _turns([0.5, 0.51, 0.5, 0.52, 0.49, 0.51] * 8) == 0
    assert _turns([0.5, 1.0, 0.5, 1.0, 0.5]) == 3
    at_min = _played(SLOW, SLOW.lr_min, WINDOW)
    assert _kind(at_min) == "tiny_updates"
    rows = PACK.level("crossed-rows")
    jitter = _played(rows, rows.lr_min, WINDOW, init_seed=rows.init_seed)
    jitter.set_hidden(4, 1)
    jitter.step(WINDOW)
    assert _kind(jitter) != "oscillating", "never 'try a smaller η' at the smallest η"


def test_every_neuron_saturated_at_a_huge_eta_says_lower_eta_and_reset():
    """The review's case: η = 100 with tanh or relu: 50%, ŷ pinned, every update tiny."""
    for activation in ("tanh", "relu"):
        attempt = _played(FIRST, 100.0, 200, lr_max=100.0, activation=activation)
        found = advice(attempt)
        assert attempt.accuracy == 0.5 and found.kind == "all_saturated", activation
        assert found.text.endswith("Lower η and Reset.") and found.page == 4


def test_a_network_saturated_from_its_start_is_not_told_to_reset():
    attempt = _played(FIRST, 2.0, WINDOW, init_scale=60.0)
    assert advice(attempt).kind == "saturated", "a Reset would bring the same huge weights back"


def _with_history(attempt, **fields):
    attempt.history[-WINDOW:] = [dataclasses.replace(h, **fields) for h in attempt.history[-WINDOW:]]
    return attempt


def test_refused_updates_mean_diverging_and_a_flat_accuracy_means_stuck():
    attempt = _played(SLOW, 2.0, WINDOW)
    diverging = advice(_with_history(attempt, refused=True))
    assert diverging.kind == "diverging" and f"{WINDOW} of the last {WINDOW}" in diverging.text
    assert diverging.page == 3
    stuck = advice(_with_history(_played(SLOW, 2.0, WINDOW), accuracy=0.6, change=0.5))
    assert stuck.kind == "stuck" and "stayed at 60% for 40 steps" in stuck.text


def test_an_overflowing_update_is_refused_recorded_and_called_diverging():
    level = dataclasses.replace(FIRST, activation="relu", lr_max=100.0)
    attempt = _played(level, 100.0, 0, [Point(0.9, 0.9, 1), Point(0.1, 0.1, 0)])
    attempt.network.weights[0][...] = 1e308  # relu passes a ~1e308 on: η·δ·a overflows
    attempt.network.weights[1][...] = 1e-308
    attempt.step(1)
    assert attempt.history[-1].refused and attempt.history[-1].change == 0.0
    assert advice(attempt).kind == "diverging"


def test_the_note_names_its_page_and_h_opens_that_page():
    import pygame

    from game.app import open_window
    from game.scenes.base import SceneStack
    from game.scenes.explain import ExplainScene
    from game.scenes.play import PlayScene
    open_window()
    level = dataclasses.replace(FIRST, step_budget=10**5, hold_steps=10**5, lr_max=100.0,
                                activation="tanh", init_seed=3)
    scene = PlayScene(level)
    stack = SceneStack()
    stack.push(scene)
    for p in choose_points(level):
        scene.attempt.add_point(p.x1, p.x2, p.label)
    scene.attempt.set_learning_rate(100.0)
    scene.train(200, animate=False)
    scene.update(0.0)
    assert scene.coach.note.startswith("Every neuron is saturated")
    assert scene.coach.link() == ("H opens page 4, “Blame flowing back to hidden weights”, "
                                  "which explains why.")
    surface = pygame.Surface((1280, 720))
    stack.draw(surface)
    scene.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_h, mod=0, unicode="h"))
    assert isinstance(stack.top, ExplainScene) and stack.top.page == 3
