"""Starting the windowed game: `fruitnet`, `fruitnet play LEVEL`, `fruitnet sandbox`."""

from __future__ import annotations

from game.core import campaign
from game.core.levels import LevelError, find_level_and_pack, load_pack
from game.resources import levels_dir

STARTER_PACK = "starter"


def run_play(level_spec: str | None) -> int:
    """Open the window on a level (default: the campaign's first level)."""
    try:
        if level_spec is None:
            chapters = campaign.chapter_folders(levels_dir())
            pack = load_pack(chapters[0] if chapters else levels_dir() / STARTER_PACK)
            level = pack.levels[0]
        else:
            level, pack = find_level_and_pack(level_spec, [levels_dir()])
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
