"""Render the title screen and the chapter map into docs/screens/ (run: python scripts/shell_screens.py).

A throw-away progress store gets a few campaign levels won by the automatic
player (its fastest sweep setting), so the map shows stars, best results,
open and locked levels; the title screen then offers Continue.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("FRUITNET_DATA_DIR", tempfile.mkdtemp(prefix="fruitnet-screens-"))

import pygame  # noqa: E402

from game.app import App  # noqa: E402
from game.core import autoplay  # noqa: E402
from game.resources import levels_dir  # noqa: E402
from game.scenes.session import Session  # noqa: E402
from game.scenes.title import TitleScene  # noqa: E402

SCREENS = Path(__file__).resolve().parent.parent / "docs" / "screens"
WON = {"ch1-scale": 4, "ch2-nudge": 1}  # levels won per chapter, from the first


def main() -> None:
    session = Session.open(levels_dir())
    for pack in session.chapters():
        for level in pack.levels[:WON.get(pack.id, 0)]:
            fastest = min((p for p in autoplay.sweep(level) if p.won), key=lambda p: p.steps)
            played = autoplay.play(level, fastest.lr, fastest.hidden_size, fastest.hidden_layers)
            session.record(pack, played.attempt, 60.0 + played.steps / 10)
    app = App(TitleScene, session)
    for _ in range(150):  # five seconds of the backdrop learning
        app.frame()
    SCREENS.mkdir(parents=True, exist_ok=True)
    pygame.image.save(app.canvas, str(SCREENS / "title.png"))
    app.stack.go("map")
    for _ in range(3):
        app.frame()
    pygame.image.save(app.canvas, str(SCREENS / "chapter-map.png"))
    session.close()


if __name__ == "__main__":
    main()
