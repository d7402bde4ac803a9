"""`fruitnet shot LEVEL --steps N --out FILE.png [--phase PHASE] [--palette NAME]
[--simulate KIND]`: render the play screen.

It places the automatic player's fruit, trains N steps (the last one animated)
and saves the frame, optionally frozen halfway through an animation phase.
N = 0 shows the field with the fruit placed, before any step. If the level is
won or lost on the way, the result card is in the picture, as a player would
see it. Used for the README's screenshots and by tests; it needs no display.
--palette draws in one of the palettes (game/view/palette.py); --simulate
saves the picture as seen with deuteranopia or protanopia (colour_vision.py),
to check a palette by eye.
"""

from __future__ import annotations

import os
from pathlib import Path

from game.core.autoplay import choose_points
from game.core.levels import LevelError, find_level
from game.resources import levels_dir

UPDATE_DT = 1.0 / 120.0


class ShotError(ValueError):
    """The shot cannot be taken; str() is the one-line reason."""


def play_scene_after(level_spec: str, steps: int, phase: str | None = None):
    """A scene stack whose bottom is a PlayScene with the autoplayer's fruit, after
    `steps` steps, advanced to `phase`; a result card may sit on top."""
    from game.scenes.base import SceneStack
    from game.scenes.play import PlayScene

    level = find_level(level_spec, [levels_dir()])
    scene = PlayScene(level)
    stack = SceneStack()
    stack.push(scene)
    for p in choose_points(level):
        scene.attempt.add_point(p.x1, p.x2, p.label)
    if steps > scene.attempt.steps_left:
        raise ShotError(f"--steps: expected at most the level's {scene.attempt.steps_left} "
                        f"steps, got {steps}")
    if steps > 1:
        scene.train(steps - 1)
        scene.animation = None
        scene.particles.clear()
    if steps >= 1 and scene.attempt.state == "playing":
        scene.train(1)
    advance_to(scene, phase)
    return stack


def advance_to(scene, phase: str | None, progress: float = 0.5) -> None:
    """Run the scene's fixed updates until the animation is `progress` into `phase` (or done)."""
    for _ in range(100_000):
        animation = scene.animation
        if animation is None:
            return
        if phase is not None and animation.phase == phase and animation.progress >= progress:
            return
        scene.update(UPDATE_DT)


def run_shot(level_spec: str, steps: int, out: str, phase: str | None,
             palette_name: str = "default", simulate: str | None = None) -> int:
    """Render and save; returns the exit code (1 with a one-line message on any problem)."""
    if steps < 0 or (phase is not None and steps < 1):
        least = 1 if phase is not None else 0
        print(f"--steps: expected a whole number ≥ {least}"
              f"{' with --phase' if phase else ''}, got {steps}")
        return 1
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    from game.app import open_window
    from game.view.palette import use_palette

    try:
        window = open_window()
        use_palette(palette_name)
        stack = play_scene_after(level_spec, steps, phase)
        stack.draw(window)
        picture = window if simulate is None else seen_with(window, simulate)
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(picture, out)
    except (LevelError, ShotError) as error:
        print(error)
        return 1
    except (OSError, pygame.error) as error:
        reason = getattr(error, "strerror", None) or str(error)
        print(f"{out}: cannot write the picture ({reason})")
        return 1
    finally:
        use_palette("default")  # the process may render more (tests)
    print(f"wrote {out}")
    return 0


def seen_with(surface, kind: str):
    """A copy of `surface` as seen with `kind` ("deuteranopia" or "protanopia")."""
    import pygame

    from game.view.colour_vision import simulate_image

    return pygame.surfarray.make_surface(simulate_image(pygame.surfarray.array3d(surface), kind))
