"""The menus' destinations by name, for `SceneStack.go`: the app hands ROUTES to its stack.

The screens lead to one another in a circle (title → chapter map → level →
pause → chapter map, pack complete → next level), so they do not import one
another; they ask the stack to go to a named place, and only this module, at
the top of the scenes layer, knows them all.
"""

from __future__ import annotations

from game.core.levels import Level, Pack
from game.scenes.chapter_map import ChapterMap
from game.scenes.play import open_level
from game.scenes.title import TitleScene


def _level(stack, level: Level, pack: Pack | None) -> None:
    open_level(stack, level, pack)


def _map(stack, select: tuple[str, str] | None = None) -> None:
    stack.replace(ChapterMap(select=select))


def _title(stack) -> None:
    stack.replace(TitleScene())


ROUTES = {"level": _level, "map": _map, "title": _title}
