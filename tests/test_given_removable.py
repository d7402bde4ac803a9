"""Given fruit marked `removable = true`: the player may take them out of training."""

import copy

import numpy as np
import pygame
import pytest
from test_levels import VALID, _write

from game.app import open_window
from game.core.attempt import Attempt
from game.core.levels import LevelError, load_level
from game.core.replay import record, replay, verify
from game.scenes.play import PlayScene

GIVEN = [{"sweetness": 0.9, "redness": 0.9, "label": "strawberry"},
         {"sweetness": 0.2, "redness": 0.8, "label": "strawberry", "removable": True},
         {"sweetness": 0.1, "redness": 0.1, "label": "lemon", "removable": False}]


@pytest.fixture(scope="module", autouse=True)
def window():
    return open_window()


@pytest.fixture
def level(tmp_path):
    doc = copy.deepcopy(VALID)
    doc["given"] = GIVEN
    return load_level(_write(tmp_path, doc))


def test_removable_loads_per_given_fruit_and_defaults_to_false(level):
    assert [p.removable for p in level.given] == [False, True, False]


@pytest.mark.parametrize("value", ["yes", 1, [True]])
def test_a_removable_that_is_not_true_or_false_gets_one_line(tmp_path, value):
    doc = copy.deepcopy(VALID)
    doc["given"] = [dict(GIVEN[1], removable=value)]
    with pytest.raises(LevelError) as caught:
        load_level(_write(tmp_path, doc))
    assert str(caught.value).split(": ", 1)[1].startswith("given[0].removable: expected true or false")


def test_orchard_points_have_no_removable(tmp_path):
    doc = copy.deepcopy(VALID)
    doc["orchard"] = {"visibility": "ghost", "points": [dict(GIVEN[1]), dict(GIVEN[2])]}
    with pytest.raises(LevelError, match="removable"):
        load_level(_write(tmp_path, doc))


def test_removing_a_given_fruit_takes_it_out_of_training_and_only_where_allowed(level):
    a = Attempt(level)
    assert a.remove_given(0).reason == "This fruit came with the level, and it stays."
    assert a.remove_given(3).reason == "There is no given fruit there to remove."
    assert a.remove_given(1).ok
    assert not a.remove_given(1).ok, "already out"
    X, y = a.training_set()
    assert X.tolist() == [[0.9, 0.9], [0.1, 0.1]] and y.tolist() == [1.0, 0.0]
    assert a.points_left == level.point_budget, "given fruit never count against the budget"
    assert a.restore_given(1).ok and a.log == [], "a removal undone at once leaves no trace"
    assert len(a.training_set()[0]) == 3


def test_a_game_with_a_removed_given_fruit_replays_and_a_forged_removal_is_refused(level):
    a = Attempt(level)
    a.add_point(0.7, 0.3, 0)
    a.step(3)
    a.remove_given(1)
    a.step(4)
    again = replay(level, a.log)
    assert again.given_removed == [False, True, False]
    assert all(np.array_equal(p, q) for p, q in zip(again.network.weights, a.network.weights))
    assert verify(level, record(a)).ok
    forged = record(a)
    forged["actions"][2] = {"op": "remove_given", "index": 0}
    verdict = verify(level, forged)
    assert not verdict.ok and "came with the level" in " ".join(verdict.findings)


def _click(scene, x1, x2, button=1):
    (px, py), = scene.field_view.to_screen(np.array([[x1, x2]]))
    scene.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(int(px), int(py)),
                                          button=button))


def test_a_click_removes_a_removable_given_fruit_and_ctrl_z_brings_it_back(level):
    scene = PlayScene(level)
    _click(scene, 0.2, 0.8)
    assert scene.attempt.given_removed == [False, True, False] and scene.attempt.points == []
    assert scene.field_content().given_count == 2
    scene.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_z, mod=pygame.KMOD_CTRL))
    assert scene.attempt.given_removed == [False, False, False]
    _click(scene, 0.1, 0.1, button=3)
    assert len(scene.attempt.points) == 1, "a fixed given fruit is not removed: a click places"


@pytest.mark.parametrize("action, message", [
    ({"op": "remove_given", "index": "1"}, "actions[0].index: expected a whole number, got '1'"),
    ({"op": "remove_given"}, "actions[0]: expected fields ['index'] for op 'remove_given', got no index"),
    ({"op": "shake", "noise": 1}, "actions[0]: expected fields [] for op 'shake', got also 'noise'"),
])
def test_malformed_new_replay_actions_get_one_line(level, action, message):
    from game.core.replay import ReplayError
    with pytest.raises(ReplayError) as caught:
        replay(level, [action])
    assert str(caught.value) == message
