"""Starting the windowed game: `fruitnet`, `fruitnet play LEVEL|PACK`, `fruitnet sandbox`."""

from __future__ import annotations

from game.core.levels import LevelError, find_level_and_pack
from game.core.pack_open import open_pack_spec
from game.resources import levels_dir


def run_play(level_spec: str | None) -> int:
    """Open the window: on the title screen; on a class pack (a pack folder, its pack.toml,
    or a .zip of it: game/core/pack_open.py), asking the student's name first; or on a
    level (a file path or a shipped id).

    Progress is saved in the user data folder either way (game/core/progress.py).
    """
    from game.app import App
    from game.scenes.session import Session
    if level_spec is None:
        from game.scenes.title import TitleScene
        session = Session.open(levels_dir())
        return _run(App(TitleScene, session), session)
    try:
        opened = open_pack_spec(level_spec)
        if opened is None:
            level, pack = find_level_and_pack(level_spec, [levels_dir()])
    except LevelError as error:
        print(error)
        return 1
    session = Session.open(levels_dir())
    if opened is not None:
        from game.scenes.name_prompt import NamePrompt
        try:  # kept in the data folder, so the map lists it from now on
            opened = session.open_class_pack(opened)
        except LevelError as error:
            print(error)
            session.close()
            return 1
        return _run(App(lambda: NamePrompt(opened), session), session)
    from game.scenes.overlays import LevelIntro
    from game.scenes.play import PlayScene
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
