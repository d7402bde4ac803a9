"""`fruitnet trace`: the step log as text, line for line what the play screen shows."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from game.app import open_window
from game.core.autoplay import choose_points
from game.core.levels import load_level
from game.scenes.base import SceneStack
from game.scenes.play import PlayScene
from game.tools.shot import play_scene_after
from game.tools.trace import USAGE_ERROR, hidden_choices, run_trace

FEATURES = Path(__file__).parent / "fixtures" / "features" / "harvest.toml"


@pytest.fixture(scope="module", autouse=True)
def window():
    """The play scenes compared against need pygame initialised (fonts)."""
    return open_window()


def _traced(capsys, *args, **kwargs) -> list[str]:
    assert run_trace(*args, **kwargs) == 0
    printed = capsys.readouterr()
    assert printed.err == ""
    return printed.out.splitlines()


def _two_layer_level(tmp_path) -> Path:
    """The feature fixture's level (tanh, relu or sigmoid; 3 or 4 neurons), with 1 or 2 layers."""
    text = FEATURES.read_text(encoding="utf-8")
    path = tmp_path / "two-layers.toml"
    path.write_text(text.replace("hidden_sizes = [3, 4]", "hidden_sizes = [3, 4]\n"
                                 "hidden_layers = [1, 2]"), encoding="utf-8")
    return path


def test_the_trace_is_the_play_screens_step_log_line_for_line(capsys):
    stack = play_scene_after("first-harvest", 5)
    shown = [line.text for line in stack.scenes[0].log_view.lines]
    printed = _traced(capsys, "first-harvest", 5)
    assert printed == shown
    assert printed[0].startswith("Sample x = (") and any("∂L/∂w⁽¹⁾₁₁" in t for t in printed)


def test_hidden_and_activation_choose_the_network_the_screen_would_show(capsys, tmp_path):
    path = _two_layer_level(tmp_path)
    level = load_level(path)
    assert "4,4" in hidden_choices(level) and "3" in hidden_choices(level)
    scene = PlayScene(level)
    SceneStack().push(scene)
    for p in choose_points(level):
        scene.attempt.add_point(p.x1, p.x2, p.label)
    assert scene.attempt.set_activation("relu").ok and scene.attempt.set_hidden(4, 2).ok
    scene.after_network_change()
    scene.train(2)
    scene.animation = None
    scene.train(1)
    shown = [line.text for line in scene.log_view.lines]
    printed = _traced(capsys, str(path), 3, hidden="4,4", activation="relu")
    assert printed == shown
    assert any(t.startswith("h⁽¹⁾₁: δ⁽¹⁾₁ = (Σₖ δ⁽²⁾ₖ w⁽²⁾ₖ₁) · relu′(z⁽¹⁾₁)") for t in printed)


def test_markdown_is_a_handout_around_the_same_lines(capsys):
    plain = _traced(capsys, "first-harvest", 2)
    handout = _traced(capsys, "first-harvest", 2, as_markdown=True)
    assert handout[0].startswith("# ") and "First Harvest" in handout[0]
    assert any("`first-harvest`" in t and "step 2" in t for t in handout)
    assert any("2-3-1" in t and "sigmoid" in t and "η = 2" in t for t in handout)
    start = handout.index("```text")
    assert handout[start + 1:start + 1 + len(plain)] == plain
    assert handout[start + 1 + len(plain)] == "```"


@pytest.mark.parametrize("args, kwargs, message", [
    (("first-harvest", 0), {}, "--steps: expected a whole number ≥ 1, got 0"),
    (("first-harvest", 10**6), {}, "--steps: expected at most the level's 400 steps, got 1000000"),
    (("first-harvest", 400), {}, "--steps: the level ended (won) after "),
    (("first-harvest", 1), {"hidden": "5"},
     "--hidden: expected 2, 3 or 4 for level first-harvest, got '5'"),
    (("first-harvest", 1), {"hidden": "3,3"}, "--hidden: expected 2, 3 or 4"),
    (("first-harvest", 1), {"hidden": "three"}, "--hidden: expected 2, 3 or 4"),
    (("first-harvest", 1), {"activation": "relu"},
     "--activation: expected sigmoid for level first-harvest, got 'relu'"),
    (("no-such-level", 1), {}, "no-such-level: expected a level file or a level id"),
    (("missing/level.toml", 1), {}, "missing/level.toml: "),
])
def test_every_bad_argument_is_one_line_on_stderr_and_exit_2(capsys, args, kwargs, message):
    assert run_trace(*args, **kwargs) == USAGE_ERROR
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err.startswith(message) and printed.err.count("\n") == 1


def _run(*args, **env):
    environment = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", **env)
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True,
                          timeout=120, env=environment)


def test_the_command_line_prints_utf8_even_to_an_ascii_terminal():
    result = _run("trace", "first-harvest", "--steps", "3", PYTHONIOENCODING="ascii")
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("utf-8")
    assert "∂L/∂w⁽²⁾₁ = δ⁽²⁾ · h₁ = " in text and "Traceback" not in result.stderr.decode()


def test_a_bad_hidden_size_on_the_command_line_is_one_line_and_exit_2():
    result = _run("trace", "first-harvest", "--hidden", "4,4")
    assert result.returncode == 2 and result.stdout == b""
    err = result.stderr.decode("utf-8")
    assert err == "--hidden: expected 2, 3 or 4 for level first-harvest, got '4,4'\n"
