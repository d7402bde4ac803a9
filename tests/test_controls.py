"""A level's `controls`, and Shake: which buttons a level offers, and the seeded nudge."""

import copy
import dataclasses

import numpy as np
import pygame
import pytest
from test_levels import VALID, _write

from game.app import open_window
from game.core import autoplay
from game.core.attempt import Attempt
from game.core.level_controls import DEFAULT_CONTROLS, SHAKE_SIZE
from game.core.levels import LevelError, load_level
from game.core.replay import record, replay, verify
from game.resources import levels_dir
from game.scenes.play import PlayScene
from game.scenes.sandbox import SandboxScene

TWINS = load_level(levels_dir() / "ch4-hidden" / "4-2-identical-twins.toml")


@pytest.fixture(scope="module", autouse=True)
def window():
    """The scene tests need pygame initialised (fonts for the buttons)."""
    return open_window()


def _level(tmp_path, **top):
    doc = copy.deepcopy(VALID)
    doc.update(top)
    return load_level(_write(tmp_path, doc))


def _with_fruit(level):
    attempt = Attempt(level)
    attempt.add_point(0.3, 0.5, 0)
    attempt.add_point(0.5, 0.5, 1)
    attempt.add_point(0.7, 0.5, 0)
    return attempt


def test_controls_default_to_every_button_but_shake_and_keep_a_fixed_order(tmp_path):
    assert _level(tmp_path).controls == DEFAULT_CONTROLS == (
        "step", "train10", "train100", "auto", "reset")
    assert _level(tmp_path, controls=["shake", "step"]).controls == ("step", "shake")


@pytest.mark.parametrize("controls", [["step", "jump"], ["reset"], ["step", "step"], "step", [1]])
def test_bad_controls_get_one_line(tmp_path, controls):
    with pytest.raises(LevelError) as error:
        _level(tmp_path, controls=controls)
    message = str(error.value)
    assert "\n" not in message and "controls: expected a list of different names among step" in message


def test_shake_needed_asks_for_a_level_that_offers_shake(tmp_path):
    with pytest.raises(LevelError, match='expect.shake_needed: expected a level whose controls '
                                         'include "shake", got true'):
        _level(tmp_path, expect={"shake_needed": True})
    assert _level(tmp_path, controls=["step", "shake"],
                  expect={"shake_needed": True}).expect.shake_needed


def test_shake_is_refused_where_the_level_does_not_offer_it():
    attempt = _with_fruit(dataclasses.replace(TWINS, controls=DEFAULT_CONTROLS))
    before = [W.copy() for W in attempt.network.weights]
    result = attempt.shake()
    assert not result.ok and result.reason == "This level has no Shake."
    assert all(np.array_equal(a, b) for a, b in zip(before, attempt.network.weights))
    assert Attempt(TWINS, free_play=True).shake().ok, "the sandbox can always shake"


def test_shake_parts_the_twins_by_a_small_seeded_noise_and_starts_the_hold_again():
    attempt = _with_fruit(TWINS)
    W1 = attempt.network.weights[0]
    assert np.array_equal(W1[0], W1[1]), "the twins start identical"
    attempt.step(20)
    assert np.array_equal(W1[0], W1[1]), "training alone never parts them"
    attempt.held = 3
    before = [p.copy() for p in attempt.network.weights + attempt.network.biases]
    assert attempt.shake().ok
    moved = np.concatenate([(p - q).ravel() for p, q in
                            zip(attempt.network.weights + attempt.network.biases, before)])
    assert np.all(moved != 0) and np.abs(moved).max() < 6 * SHAKE_SIZE
    assert not np.array_equal(W1[0], W1[1]) and attempt.held == 0
    assert attempt.log[-1] == {"op": "shake"}
    second = [p.copy() for p in attempt.network.weights]
    attempt.shake()
    assert not np.allclose(attempt.network.weights[0] - second[0], moved[:W1.size].reshape(W1.shape)), \
        "a second shake draws new noise"


def test_shake_leaves_frozen_blocks_alone():
    level = dataclasses.replace(TWINS, frozen=("W1",), start_weights=None, start_biases=None)
    attempt = Attempt(level)
    W1, W2 = attempt.network.weights[0].copy(), attempt.network.weights[1].copy()
    assert attempt.shake().ok
    assert np.array_equal(attempt.network.weights[0], W1)
    assert not np.array_equal(attempt.network.weights[1], W2)


def test_a_game_with_shakes_replays_bit_for_bit():
    attempt = _with_fruit(TWINS)
    attempt.step(5)
    attempt.shake()
    attempt.step(7)
    attempt.shake()
    attempt.step(3)
    again = replay(TWINS, attempt.log)
    assert all(np.array_equal(a, b) for a, b in zip(again.network.weights, attempt.network.weights))
    assert verify(TWINS, record(attempt)).ok


def test_the_automatic_player_shakes_where_the_level_offers_it():
    played = autoplay.play(TWINS, 4.47213595499958, 2, 1)
    assert {"op": "shake"} in played.attempt.log and played.won
    still = dataclasses.replace(TWINS, controls=DEFAULT_CONTROLS)
    assert not autoplay.play(still, 4.47213595499958, 2, 1).won, "the twins never part unshaken"


def _buttons(scene):
    return {name: getattr(scene, f"{name}_button") is not None
            for name in ("train10", "train100", "auto", "shake", "reset")}


def test_a_step_only_level_shows_only_step_and_ignores_the_other_keys():
    scene = PlayScene(dataclasses.replace(TWINS, controls=("step",)))
    assert _buttons(scene) == dict.fromkeys(("train10", "train100", "auto", "shake", "reset"), False)
    for point in ((0.3, 0.5, 0), (0.5, 0.5, 1)):
        scene.attempt.add_point(*point)
    for key in (pygame.K_a, pygame.K_r, pygame.K_s):
        scene.handle_event(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode=""))
    assert not scene.auto and scene.attempt.log[-1]["op"] == "add"
    scene.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_SPACE, mod=0, unicode=""))
    assert scene.attempt.steps_used == 1


def test_the_s_key_and_the_shake_button_shake_and_the_row_fits_the_panel():
    scene = PlayScene(TWINS)
    assert all(_buttons(scene).values())
    buttons = [scene.step_button, scene.train10_button, scene.train100_button, scene.auto_button,
               scene.shake_button]
    rects = [b.get_abs_rect() for b in buttons]
    assert all(a.right < b.left for a, b in zip(rects, rects[1:])), "left to right, no overlap"
    assert rects[-1].right <= 446, "inside the controls panel"
    W1 = scene.attempt.network.weights[0]
    scene.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_s, mod=0, unicode="s"))
    assert scene.attempt.log == [{"op": "shake"}] and not np.array_equal(W1[0], W1[1])
    assert scene.toast[0].startswith("Shaken")
    assert SandboxScene().shake_button is not None


@pytest.mark.parametrize("field", ["shake_needed", "late_harvest_loses"])
def test_an_expect_flag_that_is_not_true_or_false_gets_one_line(tmp_path, field):
    with pytest.raises(LevelError) as caught:
        _level(tmp_path, controls=["step", "shake"], expect={field: "yes"})
    assert str(caught.value).endswith(f'expect.{field}: expected true or false, got "yes"')
