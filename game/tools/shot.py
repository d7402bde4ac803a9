"""`fruitnet shot LEVEL --steps N --out FILE.png [--phase PHASE]`: render the play screen.

It places the automatic player's fruit, trains N steps (the last one animated)
and saves the frame, optionally frozen halfway through an animation phase.
Used for the README's screenshots and by tests; it works with no display.
"""

from __future__ import annotations

import os
from pathlib import Path

from game.core.autoplay import choose_points
from game.core.levels import LevelError, find_level
from game.resources import levels_dir

UPDATE_DT = 1.0 / 120.0


def play_scene_after(level_spec: str, steps: int, phase: str | None = None):
    """A PlayScene with the autoplayer's fruit, after `steps` steps, advanced to `phase`."""
    from game.scenes.play import PlayScene

    level = find_level(level_spec, [levels_dir()])
    scene = PlayScene(level)
    for p in choose_points(level):
        scene.attempt.add_point(p.x1, p.x2, p.label)
    if steps > 1:
        scene.train(steps - 1)
        scene.animation = None
        scene.particles.clear()
    if steps >= 1 and scene.attempt.state == "playing":
        scene.train(1)
    advance_to(scene, phase)
    return scene


def advance_to(scene, phase: str | None, progress: float = 0.5) -> None:
    """Run the scene's fixed updates until the animation is `progress` into `phase` (or done)."""
    for _ in range(100_000):
        animation = scene.animation
        if animation is None:
            return
        if phase is not None and animation.phase == phase and animation.progress >= progress:
            return
        scene.update(UPDATE_DT)


def run_shot(level_spec: str, steps: int, out: str, phase: str | None) -> int:
    """Render and save; returns the exit code."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    from game.app import open_window

    try:
        window = open_window()
        scene = play_scene_after(level_spec, steps, phase)
    except LevelError as error:
        print(error)
        return 1
    scene.draw(window)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    pygame.image.save(window, out)
    print(f"wrote {out}")
    return 0
