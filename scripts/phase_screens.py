"""Render the four phases of one step into docs/screens/ (run: python scripts/phase_screens.py).

Crossed Rows (chapter 4) with one hidden layer of 4 sigmoid neurons, trained
until the hidden neurons' thumbnails show their lines; then the steps run fast
until the next sample is one the network still gets badly wrong (loss ≥ 0.1),
so the backward pulses and the Δw labels have something to show. That step is
animated and frozen in each phase: phase-1-forward.png … phase-4-update.png.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402

from game.app import open_window  # noqa: E402
from game.core.autoplay import choose_points  # noqa: E402
from game.core.levels import find_level  # noqa: E402
from game.core.net import half_squared_error  # noqa: E402
from game.resources import levels_dir  # noqa: E402
from game.scenes.base import SceneStack  # noqa: E402
from game.scenes.play import PlayScene  # noqa: E402
from game.tools.shot import advance_to  # noqa: E402

SCREENS = Path(__file__).resolve().parent.parent / "docs" / "screens"
PHASES = {"forward": 0.3, "loss": 0.6, "backward": 0.3, "update": 0.5}  # where to freeze each
LEVEL = "levels/ch4-hidden/4-1-crossed-rows.toml"


def trained_scene() -> tuple[PlayScene, SceneStack]:
    """The level with its automatic player's fruit, 4 hidden neurons, η = 3, trained
    900 steps and then up to a sample with loss ≥ 0.1."""
    level = find_level(LEVEL, [levels_dir()])
    scene = PlayScene(level)
    stack = SceneStack()
    stack.push(scene)
    for p in choose_points(level):
        scene.attempt.add_point(p.x1, p.x2, p.label)
    scene._change_hidden(4, 1)  # as the drop-down does, so the menu shows it
    scene.attempt.set_learning_rate(3.0)
    scene.sync_controls()
    scene.train(900)
    for _ in range(400):
        X, y = scene.attempt.training_set()
        row = scene.attempt.current_sample()
        if half_squared_error(float(scene.attempt.network.predict(X[row])), y[row]) >= 0.1:
            break
        scene.train(1, animate=False)
    scene.animation = None
    scene.particles.clear()
    scene.toast = None
    scene.coach.note = None
    return scene, stack


def main() -> None:
    window = open_window()
    SCREENS.mkdir(parents=True, exist_ok=True)
    for k, (phase, progress) in enumerate(PHASES.items(), start=1):
        scene, stack = trained_scene()  # the same step every time: the run is deterministic
        scene.train(1)
        advance_to(scene, phase, progress)
        scene.coach.note = None
        window.fill((0, 0, 0))
        stack.draw(window)
        out = SCREENS / f"phase-{k}-{phase}.png"
        pygame.image.save(window, str(out))
        print("wrote", out)


if __name__ == "__main__":
    main()
