"""Replay files come from anyone: every bad one is one line and exit 1, fast, never a traceback."""

import copy
import json
import os
import subprocess
import sys
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import game.core.replay as replay_module
from game.core.autoplay import solve
from game.core.levels import load_pack
from game.core.replay import FORMAT, record, verify
from game.core.sandbox import Preset, sandbox_level
from game.resources import levels_dir
from game.tools.replay_cmd import run_replay

PACK = load_pack(levels_dir() / "starter")
FIRST = PACK.level("first-harvest")
CAP = 4 * (FIRST.step_budget + FIRST.point_budget) + 1000
GENUINE = record(solve(FIRST).attempt)  # fruit, hidden size, η, then one merged step entry
HUGE = 10 ** 5000  # 5,001 digits: too many for int → str conversion


def _genuine():
    return copy.deepcopy(GENUINE)


def _with_actions(actions):
    document = _genuine()
    document["actions"] = actions
    return document


def _with(key, value):
    document = _genuine()
    document[key] = value
    return document


def _nested(depth):
    value = []
    for _ in range(depth):
        value = [value]
    return value


def _run(tmp_path, capsys, text):
    path = tmp_path / "replay.json"
    path.write_text(text, encoding="utf-8")
    code = run_replay("first-harvest", str(path))
    out = capsys.readouterr()
    return code, out.out + out.err


def _one_line_failure(code, output):
    assert code == 1
    assert len(output.strip().splitlines()) == 1, output
    assert "Traceback" not in output and len(output) < 400, output


def test_the_genuine_replay_verifies_and_a_fruit_moved_by_1e_15_is_caught(tmp_path, capsys):
    assert GENUINE["format"] == FORMAT == 2
    code, output = _run(tmp_path, capsys, json.dumps(GENUINE))
    assert code == 0 and "OK: level first-harvest, won" in output
    moved = _genuine()
    moved["actions"][0]["x1"] += 1e-15
    assert moved["actions"][0]["x1"] != GENUINE["actions"][0]["x1"]
    verdict = verify(FIRST, moved)
    assert not verdict.ok and any(f.startswith("claims weights_sha256") for f in verdict.findings)


MALFORMED = {
    "unhashable op": (_with_actions([{"op": ["add"]}]), "expected an action with op one of"),
    "object op": (_with_actions([{"op": {}}]), "got op an object with 0 field(s)"),
    "action not an object": (_with_actions(["step"]), "actions[0]: expected an action"),
    "action a number": (_with_actions([7]), "got 7"),
    "400-digit float field": (_with_actions([{"op": "lr", "value": 10 ** 400}]),
                              "actions[0].value: expected a finite number, got a number with too many"),
    "400-digit int field": (_with_actions([{"op": "remove", "index": -10 ** 400}]),
                            "actions[0] (remove) was refused"),
    "missing field": (_with_actions([{"op": "step"}]), "expected fields ['n'] for op 'step', got no n"),
    "extra field": (_with_actions([{"op": "reset", "x" * 5000: 1}]), "got also 'xxx"),
    "nested value": (_with_actions([{"op": "step", "n": _nested(50)}]), "got a list of 1 item(s)"),
    "zero steps": (_with_actions([{"op": "step", "n": 0}]), "actions[0].n: expected at least 1 step"),
    "actions not a list": (_with("actions", {"op": "step", "n": 1}), "actions: expected a list"),
    "actions missing": (_with("actions", None), "actions: expected a list of actions, got None"),
    "claimed not an object": (_with("claimed", [1, 2]), "claimed: expected the claimed outcome"),
    "level_id not text": (_with("level_id", {"a": 1}), "recorded on level an object with 1 field"),
    "level_id long text": (_with("level_id", "é" * 100_000), "not 'first-harvest'"),
    "format 1": (_with("format", 1), "format 1 replays were recorded by an older FruitNet and "
                                     "cannot be verified; expected format 2"),
    "format text": (_with("format", "2"), "format: expected 2, got '2'"),
    "format true": (_with("format", True), "format: expected 2, got True"),
    "document a list": ([GENUINE], "expected a replay document (a JSON object), got a list"),
    "document null": (None, "expected a replay document (a JSON object), got None"),
    "claim nested": (_with("claimed", {**GENUINE["claimed"], "stars": _nested(100)}),
                     "claims stars = a list of 1 item(s)"),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_malformed_documents_give_one_line_and_exit_1(tmp_path, capsys, case):
    document, message = MALFORMED[case]
    code, output = _run(tmp_path, capsys, json.dumps(document))
    _one_line_failure(code, output)
    assert message in output


@pytest.mark.parametrize("where", ["level_id", "format", "claimed", "step", "float"])
def test_integers_too_long_to_print_are_named_not_printed(where):
    document = {"level_id": _with("level_id", HUGE), "format": _with("format", HUGE),
                "claimed": _with("claimed", {**GENUINE["claimed"], "steps_used": HUGE}),
                "step": _with_actions([{"op": "step", "n": HUGE}]),
                "float": _with_actions([{"op": "add", "x1": HUGE, "x2": 0.5, "label": 1}])}[where]
    verdict = verify(FIRST, document)
    assert not verdict.ok and any("a number with too many digits" in f for f in verdict.findings)
    assert all(len(f) < 200 for f in verdict.findings)


@pytest.mark.parametrize("text, message", [
    ('{"format": 2, "actions": [{"op": "step", "n": ' + "9" * 5001 + "}]}", "too many digits"),
    ("[" * 200_000 + "]" * 200_000, "nested too deeply"),
    ("{not json", "expected a JSON replay, got unreadable text"),
])
def test_unparsable_files_give_one_line(tmp_path, capsys, text, message):
    code, output = _run(tmp_path, capsys, text)
    _one_line_failure(code, output)
    assert message in output


def test_a_file_that_is_not_utf8_or_not_a_regular_file_is_one_line(tmp_path, capsys):
    (tmp_path / "latin.json").write_bytes(b'{"level_id": "caf\xe9"}')
    for path in (tmp_path / "latin.json", tmp_path, tmp_path / "missing.json"):
        code = run_replay("first-harvest", str(path))
        _one_line_failure(code, capsys.readouterr().out)


def test_a_fifo_is_refused_promptly_not_waited_on(tmp_path):
    fifo = tmp_path / "replay.json"
    os.mkfifo(fifo)
    out = subprocess.run([sys.executable, "-m", "game", "replay", "first-harvest", str(fifo)],
                         capture_output=True, text=True, timeout=60)
    _one_line_failure(out.returncode, out.stdout + out.stderr)
    assert "pipe" in out.stdout


def _not_simulated(monkeypatch):
    def refuse(*args):
        raise AssertionError("simulated before the cheap checks")
    monkeypatch.setattr(replay_module, "apply", refuse)


def test_too_many_actions_are_refused_before_simulating(monkeypatch):
    _not_simulated(monkeypatch)
    document = _with_actions(GENUINE["actions"][:-1] + [{"op": "reset"}] * 100_000
                             + GENUINE["actions"][-1:])
    verdict = verify(FIRST, document)
    assert not verdict.ok
    assert verdict.findings[-1] == (f"actions: {100_000 + len(GENUINE['actions']):,} actions, more "
                                    f"than a genuine game of this level records (at most {CAP:,})")


def test_steps_beyond_the_budget_are_refused_before_simulating(monkeypatch):
    _not_simulated(monkeypatch)
    over = [*GENUINE["actions"][:-1], {"op": "step", "n": FIRST.step_budget - 10},
            {"op": "lr", "value": 1.0}, {"op": "step", "n": 11}]
    verdict = verify(FIRST, _with_actions(over))
    assert not verdict.ok and verdict.findings[-1] == (
        f"actions[{len(over) - 1}]: the steps add up to {FIRST.step_budget + 1}, more than the "
        f"step budget of {FIRST.step_budget}")


def test_padding_is_refused_at_the_first_redundant_action():
    k = len(GENUINE["actions"]) - 1  # just before the one step entry: the network is fresh
    padded = _with_actions(GENUINE["actions"][:k] + [{"op": "reset"}] * (CAP - 100)
                           + GENUINE["actions"][k:])
    verdict = verify(FIRST, padded)
    assert verdict.findings == (f"actions[{k}] (reset) is not in canonical form: "
                                "a genuine game never records it",)


@pytest.mark.parametrize("change", ["split step", "same lr", "lr twice"])
def test_other_non_canonical_actions_are_refused(change):
    actions = GENUINE["actions"]
    *setup, step = actions
    lr = next(a for a in actions if a["op"] == "lr")
    padded = {"split step": [*setup, {"op": "step", "n": 1}, {"op": "step", "n": step["n"] - 1}],
              "same lr": [*setup, dict(lr), step],
              "lr twice": [*setup[:-1], {"op": "lr", "value": 1.0}, lr, step]}[change]
    verdict = verify(FIRST, _with_actions(padded))
    assert not verdict.ok and "is not in canonical form" in verdict.findings[-1]


def test_a_million_resets_in_a_sandbox_replay_are_refused_quickly():
    level = sandbox_level(Preset("moons", 40, 0.1))  # budgets large enough that the cap allows it
    document = {"format": FORMAT, "level_id": level.id, "level_sha256": level.sha256,
                "actions": [{"op": "add", "x1": 0.5, "x2": 0.5, "label": 1}]
                + [{"op": "reset"}] * 1_000_000, "claimed": {}}
    started = time.perf_counter()
    verdict = verify(level, document)
    assert verdict.findings == ("actions[1] (reset) is not in canonical form: "
                                "a genuine game never records it",)
    assert time.perf_counter() - started < 30  # about half a second: no million simulations


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
FIELDS = ["format", "level_id", "level_sha256", "actions", "claimed", "app_version"]


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    JSON,
    st.tuples(st.sampled_from(FIELDS), JSON).map(lambda kv: _with(*kv)),
    st.tuples(st.integers(0, len(GENUINE["actions"])), JSON).map(
        lambda iv: _with_actions(GENUINE["actions"][:iv[0]] + [iv[1]] + GENUINE["actions"][iv[0]:])),
    st.tuples(st.integers(0, len(GENUINE["actions"]) - 1), st.sampled_from(["op", "n", "x1", "x"]),
              JSON).map(lambda ikv: _with_actions(
                  [{**a, ikv[1]: ikv[2]} if i == ikv[0] else a for i, a in enumerate(GENUINE["actions"])])),
))
def test_verify_never_raises_and_every_finding_is_one_short_line(document):
    verdict = verify(FIRST, document)
    assert isinstance(verdict.ok, bool)
    for finding in verdict.findings:
        assert "\n" not in finding and len(finding) < 300


def test_an_unexpected_error_in_verify_is_still_one_line(tmp_path, capsys, monkeypatch):
    import game.tools.replay_cmd as replay_cmd

    def broken(level, document):
        raise KeyError("a bug")
    monkeypatch.setattr(replay_cmd, "verify", broken)
    code, output = _run(tmp_path, capsys, json.dumps(GENUINE))
    _one_line_failure(code, output)
    assert "cannot verify the replay (internal error: KeyError)" in output
