"""The command line: bench prints its JSON figures."""

import json
import subprocess
import sys


def test_bench_prints_core_figures_as_json():
    result = subprocess.run([sys.executable, "-m", "game", "bench"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)["core"]
    assert set(figures) >= {"traced_step_us", "fast_steps_per_s", "predict_grid_100_ms"}
    assert all(isinstance(v, (int, float)) and v > 0 for v in figures.values())


def test_version_flag():
    result = subprocess.run([sys.executable, "-m", "game", "--version"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("fruitnet ")


def _run(*args, **env):
    import os
    environment = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", **env)
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True,
                          timeout=120, env=environment)


def test_play_sandbox_and_bare_command_open_a_window_and_draw():
    for args in (("play", "crossed-rows"), ("sandbox",), ()):
        result = _run(*args, FRUITNET_EXIT_AFTER_FIRST_FRAME="1")
        assert result.returncode == 0, result.stderr
        assert "first-frame" in result.stdout
        assert "Traceback" not in result.stderr


def test_play_with_an_unknown_level_says_so_in_one_line():
    result = _run("play", "no-such-level")
    assert result.returncode == 1
    assert result.stdout.strip().count("\n") == 0 and "expected a level file or a level id" in result.stdout
    assert "Traceback" not in result.stderr


def test_shot_writes_a_png_of_the_backward_phase(tmp_path):
    import pygame
    out = tmp_path / "shot.png"
    result = _run("shot", "first-harvest", "--steps", "3", "--out", str(out), "--phase", "backward")
    assert result.returncode == 0, result.stderr
    image = pygame.image.load(str(out))
    assert image.get_size() == (1280, 720)
    # Mid-backward, the network panel carries red pulses.
    reds = sum(1 for x in range(470, 900, 3) for y in range(56, 366, 3)
               if (c := image.get_at((x, y))).r > 200 and c.g < 140 and c.b < 150)
    assert reds > 5
