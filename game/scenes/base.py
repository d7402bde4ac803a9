"""The scene protocol and the scene stack.

A scene turns input into core calls (`handle_event`), advances its own
animation (`update(dt)`, fixed steps) and draws (`draw(surface)`). Scenes sit
on a stack: pause screens and dialogs are pushed on top, and a scene that is
not `opaque` lets the one below show through.
"""

from __future__ import annotations

import pygame


class Scene:
    """Base class: override what you need."""

    opaque = True

    def __init__(self) -> None:
        self.stack: SceneStack | None = None

    def handle_event(self, event: pygame.event.Event) -> None:
        """React to one input event."""

    def update(self, dt: float) -> None:
        """Advance by dt seconds (a fixed step)."""

    def draw(self, surface: pygame.Surface) -> None:
        """Draw the whole scene onto the 1280×720 canvas."""


class SceneStack:
    """Scenes, bottom first. Only the top scene gets input and updates."""

    def __init__(self) -> None:
        self.scenes: list[Scene] = []
        self.session = None  # game.scenes.session.Session when progress is saved, else None
        self.settings = None  # game.core.settings.Settings in use, kept current by the app
        # Named destinations (game/scenes/routes.py), given by the app: the menus form a
        # cycle (title → map → level → pause → map), which imports must not.
        self.routes: dict = {}

    @property
    def top(self) -> Scene | None:
        return self.scenes[-1] if self.scenes else None

    def push(self, scene: Scene) -> None:
        scene.stack = self
        self.scenes.append(scene)
        scene.update(0.0)  # widgets build their images on their first update

    def pop(self) -> Scene:
        return self.scenes.pop()

    def go(self, name: str, **options) -> bool:
        """Replace the stack with the route `name` (e.g. "map", "title", "level"); False
        if this stack has no such route (a scene tested or soaked without the app's menus)."""
        if name not in self.routes:
            return False
        self.routes[name](self, **options)
        return True

    def replace(self, scene: Scene) -> None:
        """Swap the whole stack for one scene (e.g. Retry, Next level)."""
        self.scenes.clear()
        self.push(scene)

    def handle_event(self, event: pygame.event.Event) -> None:
        if self.top is not None:
            self.top.handle_event(event)

    def update(self, dt: float) -> None:
        if self.top is not None:
            self.top.update(dt)

    def visible(self) -> list[Scene]:
        """The scenes to draw, bottom first: the top one down to the first opaque one."""
        start = len(self.scenes) - 1
        while start > 0 and not self.scenes[start].opaque:
            start -= 1
        return self.scenes[max(start, 0):]

    def draw(self, surface: pygame.Surface) -> None:
        for scene in self.visible():
            scene.draw(surface)
