"""Starting the windowed game: `fruitnet`, `fruitnet play LEVEL`, `fruitnet sandbox`."""

from __future__ import annotations

from pathlib import Path

from game.core.levels import LevelError, Pack, find_level, load_pack
from game.resources import levels_dir

STARTER_PACK = "starter"


def _pack_holding(level_id: str) -> Pack | None:
    """The shipped pack containing a level id, so "Next level" can follow it."""
    for pack_file in sorted(levels_dir().glob("*/pack.toml")):
        pack = load_pack(pack_file.parent)
        if any(level.id == level_id for level in pack.levels):
            return pack
    return None


def run_play(level_spec: str | None) -> int:
    """Open the window on a level (default: the first starter level)."""
    try:
        if level_spec is None:
            pack = load_pack(levels_dir() / STARTER_PACK)
            level = pack.levels[0]
        else:
            level = find_level(level_spec, [levels_dir()])
            shipped = Path(level.source).resolve().is_relative_to(levels_dir().resolve())
            pack = _pack_holding(level.id) if shipped else None
    except LevelError as error:
        print(error)
        return 1
    from game.app import App
    from game.scenes.overlays import LevelIntro
    from game.scenes.play import PlayScene
    app = App(lambda: PlayScene(level, pack))
    app.stack.push(LevelIntro(app.stack.top))
    app.run()
    return 0


def run_sandbox() -> int:
    """Open the window on the sandbox."""
    from game.app import App
    from game.scenes.sandbox import SandboxScene
    App(SandboxScene).run()
    return 0
