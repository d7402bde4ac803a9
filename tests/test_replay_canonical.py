"""The action log is compact and canonical: replaying it gives the same game and the same log."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.core.attempt import Attempt
from game.core.levels import load_pack
from game.core.replay import replay, weights_digest
from game.core.sandbox import Preset, sandbox_level
from game.resources import levels_dir

PACK = load_pack(levels_dir() / "starter")
FIRST = PACK.level("first-harvest")
CROSSED = PACK.level("crossed-rows")
MOONS = sandbox_level(Preset("moons", 40, 0.1))
EMPTY = sandbox_level(None)  # no orchard: accuracy is judged on the player's fruit


def _sandbox(level=MOONS):
    return Attempt(level, free_play=True)


def _assert_replays_exactly(a, free_play):
    again = replay(a.level, a.log, free_play=free_play)
    assert weights_digest(again.network) == weights_digest(a.network)
    assert again.outcome() == a.outcome()
    assert again.log == a.log
    assert (again.lr, again.hidden_size, again.hidden_layers, again.activation, again.points) == \
        (a.lr, a.hidden_size, a.hidden_layers, a.activation, a.points)
    assert again.current_sample() == a.current_sample(), "the sample draws are in step too"


def test_ten_thousand_single_steps_in_the_sandbox_log_one_entry():
    a = _sandbox()
    for _ in range(10_000):
        assert a.step().ok
    assert a.log == [{"op": "step", "n": 10_000}]
    _assert_replays_exactly(a, free_play=True)


def test_single_steps_and_one_long_step_give_the_same_weights_and_losses():
    one_by_one, at_once = _sandbox(), _sandbox()
    for _ in range(300):
        one_by_one.step()
    at_once.step(300)
    assert weights_digest(one_by_one.network) == weights_digest(at_once.network)
    assert [h.loss for h in one_by_one.history] == [h.loss for h in at_once.history]


def test_learning_rate_entries_collapse():
    a = _sandbox()
    assert a.set_learning_rate(a.lr).ok and a.log == [], "the same η is no change"
    a.set_learning_rate(0.5)
    a.set_learning_rate(0.25)
    assert a.log == [{"op": "lr", "value": 0.25}] and a.lr == 0.25
    a.set_learning_rate(MOONS.lr_default)
    assert a.log == [] and a.lr == MOONS.lr_default, "back to the η before: nothing to record"
    a.step(3)
    a.set_learning_rate(0.5)
    a.set_learning_rate(2.0)
    assert a.log == [{"op": "step", "n": 3}, {"op": "lr", "value": 2.0}]


def test_resets_of_a_fresh_network_are_not_recorded():
    a = _sandbox()
    assert a.reset_weights().ok and a.log == []
    a.step(5)
    a.reset_weights()
    a.reset_weights()
    assert a.log == [{"op": "step", "n": 5}, {"op": "reset"}]
    a.set_weight(0, 0, 0, 1.5)
    a.reset_weights()
    assert a.log[-2:] == [{"op": "weight", "layer": 0, "j": 0, "i": 0, "value": 1.5}, {"op": "reset"}]
    _assert_replays_exactly(a, free_play=True)


def test_a_reset_that_remeasures_a_stale_accuracy_is_recorded():
    a = _sandbox(EMPTY)
    a.add_point(0.9, 0.9, 1)
    a.add_point(0.1, 0.1, 0)
    before = a.accuracy
    assert a.reset_weights().ok and a.accuracy != before
    assert a.log[-1] == {"op": "reset"}
    _assert_replays_exactly(a, free_play=True)


def test_rebuilds_of_the_same_kind_replace_each_other():
    a = _sandbox()
    a.set_hidden(3, 2)
    a.set_hidden(5, 1)
    a.set_activation("relu")
    a.set_activation("tanh")
    assert a.log == [{"op": "hidden", "size": 5, "layers": 1}, {"op": "activation", "name": "tanh"}]
    fresh = Attempt(sandbox_level(Preset("moons", 40, 0.1), 5, 1, "tanh"), free_play=True)
    assert weights_digest(a.network) == weights_digest(fresh.network)
    _assert_replays_exactly(a, free_play=True)


def test_placing_and_removing_the_same_fruit_cancels():
    a = _sandbox()
    a.add_point(0.2, 0.3, 1)
    a.remove_point(0)
    assert a.log == [] and a.points == []
    a.add_point(0.2, 0.3, 1)
    a.add_point(0.4, 0.5, 0)
    a.remove_point(0)  # not the fruit just placed: both stay
    assert [e["op"] for e in a.log] == ["add", "add", "remove"]


def test_edits_of_the_same_weight_replace_each_other():
    a = _sandbox()
    a.set_weight(0, 1, 0, 2.0)
    a.set_weight(0, 1, 0, -3.0)
    a.set_weight(0, 1, 1, 4.0)
    assert a.log == [{"op": "weight", "layer": 0, "j": 1, "i": 0, "value": -3.0},
                     {"op": "weight", "layer": 0, "j": 1, "i": 1, "value": 4.0}]
    assert a.network.weights[0][1, 0] == -3.0


def test_the_activation_is_checked_against_the_table():
    from game.core.activations import NAMES
    a = _sandbox()
    refused = a.set_activation("swish")
    assert not refused.ok and all(name in refused.reason for name in NAMES)
    assert not a.set_activation(["relu"]).ok and a.log == []


# ------------------------------------------------------------ the property
_VALUES = st.sampled_from([0.0, 0.05, 0.3, 0.5, 0.77, 1.0])
ACTION = st.one_of(
    st.tuples(st.just("step"), st.integers(1, 40)),
    st.tuples(st.just("lr"), st.sampled_from([0.5, 1.0, 2.0])),  # 1 and 2 are the defaults
    st.tuples(st.just("hidden"), st.integers(1, 5), st.integers(0, 3)),
    st.tuples(st.just("activation"), st.sampled_from(["sigmoid", "tanh", "relu", "nope"])),
    st.tuples(st.just("reset")),
    st.tuples(st.just("add"), _VALUES, _VALUES, st.integers(0, 1)),
    st.tuples(st.just("remove"), st.integers(-1, 4)),
    st.tuples(st.just("remove_last")),
    st.tuples(st.just("weight"), st.integers(0, 1), st.integers(0, 2), st.integers(0, 1),
              st.sampled_from([-2.0, 0.0, 0.5, 3.0])),
)


def _perform(a, action):
    """Do one generated action the way the screens would; refusals are fine."""
    op, *args = action
    if op == "remove_last":
        return a.remove_point(len(a.points) - 1)
    method = {"step": a.step, "lr": a.set_learning_rate, "hidden": a.set_hidden,
              "activation": a.set_activation, "reset": a.reset_weights, "add": a.add_point,
              "remove": a.remove_point, "weight": a.set_weight}[op]
    return method(*args)


class _Verbatim:
    """Log rules that record every entry as it comes, with no compaction."""

    @staticmethod
    def record(log, entry, drop_last=False, keep=True):
        log.append(entry)

    @staticmethod
    def record_steps(log, n, limit):
        log.append({"op": "step", "n": n})


class _Uncompacted(Attempt):
    """The reference: every action recorded and every reset really done, no shortcuts."""

    log_rules = _Verbatim

    def reset_weights(self):
        self._fresh = False  # so the "already fresh" shortcut can never skip the rebuild
        return super().reset_weights()


def _state(a):
    return (weights_digest(a.network), a.outcome(), a.lr, a.points, a.current_sample())


@pytest.mark.parametrize("level, free_play", [(CROSSED, False), (FIRST, False), (MOONS, True),
                                              (EMPTY, True)], ids=["crossed-rows", "first-harvest",
                                                                  "sandbox", "empty-sandbox"])
@settings(max_examples=120, deadline=None)
@given(actions=st.lists(ACTION, max_size=40))
def test_replaying_the_log_reproduces_the_game_and_the_log(level, free_play, actions):
    a = Attempt(level, free_play=free_play)
    reference = _Uncompacted(level, free_play=free_play)
    for action in actions:
        assert _perform(a, action).ok == _perform(reference, action).ok
        assert _state(a) == _state(reference), "compacting must not change what an action does"
    _assert_replays_exactly(a, free_play)
    assert len(a.log) <= len(reference.log)


def test_a_long_session_of_redundant_actions_stays_short_and_replays():
    a = _sandbox()
    for k in range(200):
        a.step(1)
        a.set_learning_rate(0.5)
        if k % 50 == 49:
            a.reset_weights()
    assert a.log == [{"op": "step", "n": 1}, {"op": "lr", "value": 0.5}, {"op": "step", "n": 49},
                     *[{"op": "reset"}, {"op": "step", "n": 50}] * 3, {"op": "reset"}]
    assert all(np.isfinite(W).all() for W in a.network.weights)
    _assert_replays_exactly(a, free_play=True)


def test_an_attempt_stops_recording_at_the_replay_cap_so_every_game_can_be_checked():
    import dataclasses

    from game.core.replay import record, verify
    level = dataclasses.replace(PACK.level("first-harvest"), step_budget=10, point_budget=2)
    attempt = Attempt(level)
    assert attempt.action_cap == 4 * (10 + 2) + 1000
    # Place one fruit and remove a different one, over and over: nothing cancels.
    attempt.add_point(0.9, 0.9, 1)
    refused = None
    for k in range(attempt.action_cap):
        result = attempt.add_point(0.1 + (k % 7) / 10, 0.2, 0)
        result = result if not result.ok else attempt.remove_point(0)
        if not result.ok:
            refused = result
            break
    assert refused is not None and "the most a replay may hold" in refused.reason
    assert len(attempt.log) == attempt.action_cap
    assert not attempt.step(1).ok
    assert verify(level, record(attempt)).ok


def test_choosing_the_hidden_size_already_in_use_is_a_reset_not_a_new_entry():
    from game.core.replay import record, verify
    a = Attempt(FIRST)
    assert a.set_hidden(a.hidden_size, a.hidden_layers).ok and a.log == []  # fresh: nothing
    a.add_point(0.9, 0.9, 1)
    a.step(2)
    a.set_hidden(a.hidden_size, a.hidden_layers)
    assert a.log[-1] == {"op": "reset"}
    a.set_hidden(2, 1)
    a.set_hidden(3, 1)  # back to the choice before: both entries stay, and replay agrees
    assert [e["op"] for e in a.log[-2:]] == ["hidden", "hidden"]
    assert verify(FIRST, record(a)).ok
    padded = record(a)
    padded["actions"] = padded["actions"][:1] + [{"op": "hidden", "size": 3, "layers": 1}] \
        + padded["actions"][1:]
    verdict = verify(FIRST, padded)
    assert not verdict.ok and "canonical" in " ".join(verdict.findings)


def test_a_harvest_needs_a_step_first():
    import dataclasses
    level = dataclasses.replace(FIRST, win="harvest", hold_steps=1)
    a = Attempt(level)
    refused = a.harvest()
    assert not refused.ok and "Train first" in refused.reason and a.log == []


def test_a_change_after_a_change_back_replaces_the_whole_run_of_changes():
    """Found by hypothesis: hidden 1, then back to the default 4, then 1×2 left a log whose
    replay compacted further than the game had."""
    a = _sandbox(EMPTY)
    for size, layers in [(1, 1), (4, 1), (1, 2)]:
        assert a.set_hidden(size, layers).ok
    assert a.log == [{"op": "hidden", "size": 1, "layers": 2}]
    _assert_replays_exactly(a, True)
