"""Starting the windowed game: `fruitnet`, `fruitnet play LEVEL`, `fruitnet sandbox`."""

from __future__ import annotations

from game.core.levels import LevelError, find_level_and_pack
from game.core.pack_open import open_pack_spec
from game.resources import levels_dir


def run_play(level_spec: str | None) -> int:
    """Open the window: on the title screen, or on a level (a file path or a shipped id), or on
    a pack's first level (a pack folder, its pack.toml, or a .zip of it: game/core/pack_open.py).

    Progress is saved in the user data folder either way (game/core/progress.py).
    """
    from game.app import App
    from game.scenes.session import Session
    if level_spec is None:
        from game.scenes.title import TitleScene
        session = Session.open(levels_dir())
        return _run(App(TitleScene, session), session)
    try:  # a pack folder, its pack.toml or a .zip of it opens on its first level
        opened = open_pack_spec(level_spec)
        level, pack = (opened.levels[0], opened) if opened is not None else \
            find_level_and_pack(level_spec, [levels_dir()])
    except LevelError as error:
        print(error)
        return 1
    from game.scenes.overlays import LevelIntro
    from game.scenes.play import PlayScene
    session = Session.open(levels_dir())
    app = App(lambda: PlayScene(level, pack), session)
    app.stack.push(LevelIntro(app.stack.top))
    return _run(app, session)


def _run(app, session) -> int:
    """Run the loop; then save what is being played and close the store."""
    try:
        app.run()
    finally:
        for scene in app.stack.scenes:
            if hasattr(scene, "leave"):
                scene.leave()
        session.close()
    return 0


def run_sandbox() -> int:
    """Open the window on the sandbox."""
    from game.app import App
    from game.scenes.sandbox import SandboxScene
    App(SandboxScene).run()
    return 0
