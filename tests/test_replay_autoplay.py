"""Replays re-simulate bit for bit; the automatic player proves every level winnable."""

import json
import subprocess
import sys

import pytest

from game.core.attempt import Attempt
from game.core.autoplay import choose_points, play, solve
from game.core.levels import load_pack
from game.core.replay import ReplayError, record, replay, verify, weights_digest
from game.resources import levels_dir

PACK = load_pack(levels_dir() / "starter")


def _played(level):
    result = solve(level)
    assert result is not None
    return result.attempt


def test_replay_round_trip_through_json_is_bit_identical():
    original = _played(PACK.level("first-harvest"))
    document = json.loads(json.dumps(record(original)))
    again = replay(PACK.level("first-harvest"), document["actions"])
    assert weights_digest(again.network) == weights_digest(original.network)
    assert again.outcome() == original.outcome()
    verdict = verify(PACK.level("first-harvest"), document)
    assert verdict.ok and verdict.findings == ()


def test_tampered_claims_are_caught():
    level = PACK.level("first-harvest")
    document = record(_played(level))
    document["claimed"]["stars"] = 3 if document["claimed"]["stars"] != 3 else 2
    document["claimed"]["accuracy"] = 1.0
    verdict = verify(level, document)
    assert not verdict.ok
    assert any(f.startswith("claims stars") for f in verdict.findings)


def test_tampered_actions_are_caught():
    level = PACK.level("first-harvest")
    document = record(_played(level))
    document["actions"].insert(0, {"op": "step", "n": 1})  # no fruit yet: refused
    verdict = verify(level, document)
    assert not verdict.ok and "was refused when replayed" in verdict.findings[-1]


@pytest.mark.parametrize("actions, message", [
    ("nope", "actions: expected a list"),
    ([{"op": "fly"}], "actions[0]: expected an action with op one of"),
    ([{"op": "step"}], "actions[0]: expected fields ['n']"),
    ([{"op": "step", "n": "3"}], "actions[0].n: expected a whole number"),
    ([{"op": "lr", "value": float("nan")}], "actions[0].value: expected a finite number"),
    ([{"op": "add", "x1": 0.5, "x2": 0.5, "label": True}], "actions[0].label: expected a whole number"),
])
def test_malformed_actions_raise_replay_error(actions, message):
    with pytest.raises(ReplayError) as caught:
        replay(PACK.level("first-harvest"), actions)
    assert message in str(caught.value)


def test_replay_from_another_level_version_is_flagged():
    level = PACK.level("first-harvest")
    document = record(_played(level))
    document["level_sha256"] = "0" * 64
    verdict = verify(level, document)
    assert not verdict.ok and "different version" in verdict.findings[0]


@pytest.mark.parametrize("level", PACK.levels, ids=lambda lv: lv.id)
def test_every_shipped_level_is_winnable_within_budget(level):
    result = solve(level)
    assert result is not None and result.won
    assert result.steps <= level.step_budget and result.points <= level.point_budget


@pytest.mark.parametrize("level", PACK.levels, ids=lambda lv: lv.id)
def test_no_shipped_level_is_won_before_the_first_step(level):
    attempt = Attempt(level)
    for size, layers in [(s, n) for n in level.hidden_layers for s in level.hidden_sizes]:
        attempt.set_hidden(size, layers)
        assert attempt.accuracy < level.target_accuracy, (size, layers)


def test_first_harvest_is_won_with_the_default_settings():
    level = PACK.level("first-harvest")
    result = play(level, level.lr_default, level.default_hidden_size, level.default_hidden_layers)
    assert result.won


def test_slow_learner_needs_a_higher_learning_rate():
    level = PACK.level("slow-learner")
    size, layers = level.default_hidden_size, level.default_hidden_layers
    assert not play(level, level.lr_default, size, layers).won
    assert play(level, level.lr_max, size, layers).won


def test_crossed_rows_needs_hidden_units():
    level = PACK.level("crossed-rows")
    assert 0 in level.hidden_layers and level.default_hidden_layers == 0
    for lr in (level.lr_min, 1.0, level.lr_max):
        assert not play(level, lr, level.default_hidden_size, 0).won
    assert not play(level, level.lr_max, 2, 1).won, "two neurons cannot hold the crossed rows"
    assert play(level, level.lr_max, 4, 1).won


def test_choose_points_spreads_over_both_labels():
    points = choose_points(PACK.level("crossed-rows"))
    assert len(points) == 8
    strawberries = [p for p in points if p.label == 1]
    # XOR strawberries sit in two opposite quadrants; the spread must reach both.
    assert {p.x1 > 0.5 for p in strawberries} == {True, False}


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True,
                          text=True, timeout=300)


def test_cli_replay_verifies_and_rejects(tmp_path):
    level = PACK.level("first-harvest")
    document = record(_played(level))
    good = tmp_path / "good.json"
    good.write_text(json.dumps(document))
    out = _cli("replay", "first-harvest", str(good))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "OK: level first-harvest, won after" in out.stdout
    document["claimed"]["steps_used"] += 1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    out = _cli("replay", "first-harvest", str(bad))
    assert out.returncode == 1 and "MISMATCH: claims steps_used" in out.stdout
    assert "Traceback" not in out.stdout + out.stderr
    (tmp_path / "junk.json").write_text("{not json")
    out = _cli("replay", "first-harvest", str(tmp_path / "junk.json"))
    assert out.returncode == 1 and "expected a JSON replay" in out.stdout


def test_cli_check_reports_errors_and_exit_codes(tmp_path):
    ok = _cli("check", str(levels_dir() / "starter"))
    assert ok.returncode == 0 and ok.stdout.strip().endswith("OK (3 levels)")
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "Bad"\n')
    (tmp_path / "syntax.toml").write_text("x = \n")
    out = _cli("check", str(bad), str(tmp_path / "syntax.toml"), str(levels_dir() / "starter"))
    lines = out.stdout.strip().splitlines()
    assert out.returncode == 1 and "Traceback" not in out.stdout + out.stderr
    assert lines[0].startswith(f"{bad}: id: expected an id")
    assert lines[1].startswith(f"{tmp_path / 'syntax.toml'}: TOML syntax error at line 1")
    assert lines[2].endswith("OK (3 levels)")


def test_cli_check_solve_prints_steps_to_win():
    out = _cli("check", str(levels_dir() / "starter" / "02-slow-learner.toml"), "--solve")
    assert out.returncode == 0, out.stdout
    assert "not won" in out.stdout and "fastest win:" in out.stdout


def test_a_harvest_win_replays_and_a_forged_harvest_is_caught():
    import dataclasses
    level = dataclasses.replace(PACK.level("first-harvest"), win="harvest", hold_steps=1)
    won = play(level, level.lr_max, level.default_hidden_size, level.default_hidden_layers)
    assert won.won and won.attempt.log[-1] == {"op": "harvest"}
    assert won.attempt.accuracy >= level.target_accuracy
    assert verify(level, json.loads(json.dumps(record(won.attempt)))).ok
    early = record(won.attempt)
    early["actions"] = early["actions"][:-2] + [{"op": "step", "n": 1}, {"op": "harvest"}]
    verdict = verify(level, early)
    assert not verdict.ok and any("claims state" in f for f in verdict.findings)
