"""`fruitnet shot`: every bad argument is one line and exit 1; a won level shows its card."""

import os
import subprocess
import sys

import pygame
import pytest

from game.tools.shot import run_shot


def test_shot_past_a_win_shows_the_result_card(tmp_path, capsys):
    out = tmp_path / "won.png"
    assert run_shot("first-harvest", 400, str(out), None) == 0
    image = pygame.image.load(str(out))
    # The win card's green edge runs down the card's left side (ResultOverlay's rect x = 320).
    assert image.get_at((321, 350))[:3] == (110, 220, 140)


@pytest.mark.parametrize("steps, phase, expected", [
    (-3, None, "--steps: expected a whole number ≥ 0, got -3"),
    (0, "backward", "--steps: expected a whole number ≥ 1 with --phase, got 0"),
    (10**7, None, "--steps: expected at most the level's"),
])
def test_bad_step_counts_are_refused_in_one_line(tmp_path, capsys, steps, phase, expected):
    assert run_shot("first-harvest", steps, str(tmp_path / "x.png"), phase) == 1
    printed = capsys.readouterr().out
    assert printed.startswith(expected) and printed.count("\n") == 1
    assert not (tmp_path / "x.png").exists()


def test_zero_steps_shows_the_field_before_training(tmp_path):
    out = tmp_path / "start.png"
    assert run_shot("first-harvest", 0, str(out), None) == 0
    assert pygame.image.load(str(out)).get_size() == (1280, 720)


def test_an_unwritable_output_path_is_one_line_not_a_traceback(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    result = subprocess.run([sys.executable, "-m", "game", "shot", "first-harvest", "--out",
                             str(blocker / "inside" / "x.png")],
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout.count("\n") == 1 and "cannot write the picture" in result.stdout
