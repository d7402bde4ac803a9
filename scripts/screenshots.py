"""Render the README's screenshots into docs/ (run: python scripts/screenshots.py).

The play screen comes from the same code path as `fruitnet shot`; the sandbox
is trained on the moons preset with two hidden layers.
"""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame  # noqa: E402

from game.app import open_window  # noqa: E402
from game.core.sandbox import Preset  # noqa: E402
from game.scenes.base import SceneStack  # noqa: E402
from game.scenes.sandbox import SandboxScene  # noqa: E402
from game.tools.shot import advance_to, play_scene_after  # noqa: E402

DOCS = Path(__file__).resolve().parent.parent / "docs"


def main() -> None:
    window = open_window()
    DOCS.mkdir(exist_ok=True)
    play = play_scene_after("first-harvest", 46, "backward")
    window.fill((0, 0, 0))
    play.draw(window)
    pygame.image.save(window, str(DOCS / "play-backward.png"))

    sandbox = SandboxScene(Preset("moons", 160, 0.04), save_folder=DOCS / "unused")
    stack = SceneStack()
    stack.push(sandbox)
    sandbox.attempt.set_hidden(6, 2)
    sandbox.attempt.set_activation("tanh")
    sandbox.attempt.set_learning_rate(1.0)
    sandbox.after_network_change()
    sandbox.train(3000)
    advance_to(sandbox, None)
    sandbox.train(1)
    advance_to(sandbox, "update", 0.3)
    window.fill((0, 0, 0))
    stack.draw(window)
    pygame.image.save(window, str(DOCS / "sandbox.png"))
    print("wrote", DOCS / "play-backward.png", "and", DOCS / "sandbox.png")


if __name__ == "__main__":
    main()
