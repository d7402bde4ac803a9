"""The window and the main loop. Only this module touches pygame.display.

The game draws on a logical 1280×720 canvas; SCALED | RESIZABLE lets the
window (or a projector) scale it. Updates run at a fixed 120 Hz with an
accumulator; drawing happens once per displayed frame.

No event may end the loop: an exception from a scene is written to the error
log in the user's data folder and an error card offers Continue or Quit.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable

import pygame

from game.core.error_log import ErrorLog
from game.core.paths import log_dir
from game.scenes.base import Scene, SceneStack
from game.scenes.error_card import ErrorCard
from game.view.panels import draw_toast
from game.view.theme import BACKGROUND, SCREEN_SIZE

UPDATE_DT = 1.0 / 120.0
MAX_CATCH_UP = 0.25  # after a stall, drop time rather than spiral
NOTICE_SECONDS = 4.0


def open_window() -> pygame.Surface:
    """Initialise pygame and open the scaled, resizable game window."""
    pygame.init()
    pygame.display.set_caption("FruitNet: teach a network to tell strawberries from lemons")
    # Off-screen (tests, screenshots) there is nothing to scale to, and SDL's
    # dummy driver has no renderer for SCALED.
    headless = os.environ.get("SDL_VIDEODRIVER") == "dummy"
    flags = 0 if headless else pygame.SCALED | pygame.RESIZABLE
    return pygame.display.set_mode(SCREEN_SIZE, flags)


def present() -> None:
    """Show the drawn frame: the one place the back buffer reaches the screen."""
    pygame.display.flip()


class App:
    """Owns the window, the scene stack and the loop."""

    def __init__(self, first_scene: Callable[[], Scene]) -> None:
        self.window = open_window()
        self.stack = SceneStack()
        self.errors = ErrorLog(log_dir())
        self.notice: tuple[str, float] | None = None  # an app-level message and seconds left
        self.stack.push(first_scene())
        self.clock = pygame.time.Clock()
        self.running = True
        self.first_frame_at: float | None = None
        self._previous = time.perf_counter()
        self._accumulator = 0.0
        self._scenes_drawn: list[Scene] = []  # the stack as last drawn, to notice scenes leaving

    # ------------------------------------------------------------- events
    def handle(self, event: pygame.event.Event) -> None:
        """One input event: quit, fullscreen, or the top scene's."""
        if event.type == pygame.QUIT:
            self.running = False
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_F11:
            self.toggle_fullscreen()
        else:
            self._guarded("handle_event", self.stack.top, lambda: self.stack.handle_event(event))

    def toggle_fullscreen(self) -> None:
        """F11. Some drivers refuse; that becomes a notice, not a crash."""
        try:
            pygame.display.toggle_fullscreen()
        except pygame.error as error:
            self.show_notice(f"Fullscreen is not available here ({error}).")

    def show_notice(self, words: str) -> None:
        """A short message at the bottom of the screen, above every scene."""
        self.notice = (words, NOTICE_SECONDS)

    # --------------------------------------------------------------- loop
    def frame(self) -> None:
        """One pass of the loop: pending events, the fixed updates due, one draw."""
        now = time.perf_counter()
        elapsed, self._previous = now - self._previous, now
        self._accumulator = min(self._accumulator + elapsed, MAX_CATCH_UP)
        for event in pygame.event.get():
            self.handle(event)
        while self._accumulator >= UPDATE_DT:
            self._guarded("update", self.stack.top, lambda: self.stack.update(UPDATE_DT))
            self._accumulator -= UPDATE_DT
        if self.notice is not None:
            words, left = self.notice
            self.notice = (words, left - elapsed) if left > elapsed else None
        self.draw()
        present()
        self._collect_left_scenes()

    def _collect_left_scenes(self) -> None:
        """After a scene has left the stack, free it now rather than whenever Python gets to it.

        A screen's pygame-gui widgets and their manager refer to each other, so a dropped
        screen waits for Python's cycle collector, which counts objects, not the megabytes
        of surfaces they hold: over a long session (Retry, Next level, cards) dead screens
        piled up by the dozen. A full collection takes ~10 ms, once per screen change.
        """
        if any(scene not in self.stack.scenes for scene in self._scenes_drawn):
            self._scenes_drawn = []
            gc.collect()
        self._scenes_drawn = list(self.stack.scenes)

    def draw(self) -> None:
        """Every visible scene, each guarded on its own, then the app's notice."""
        self.window.fill(BACKGROUND)
        for scene in self.stack.visible():
            self._guarded("draw", scene, lambda shown=scene: shown.draw(self.window))
        if self.notice is not None:
            draw_toast(self.window, self.notice[0], self.window.get_rect())

    def run(self, max_frames: int | None = None) -> None:
        """Loop until the window closes (or max_frames frames have been drawn)."""
        frames = 0
        self._previous = time.perf_counter()
        while self.running and self.stack.top is not None:
            self.frame()
            frames += 1
            if self.first_frame_at is None:
                self.first_frame_at = time.perf_counter()
                if os.environ.get("FRUITNET_EXIT_AFTER_FIRST_FRAME"):
                    print("first-frame", flush=True)
                    return
            if max_frames is not None and frames >= max_frames:
                return
            self.clock.tick(60)

    # ------------------------------------------------------------- errors
    def _guarded(self, where: str, scene: Scene | None, call: Callable[[], None]) -> None:
        try:
            call()
        except Exception as error:  # noqa: BLE001 - no exception may end the game loop
            self._caught(f"{type(scene).__name__}.{where}", error)

    def _caught(self, where: str, error: Exception) -> None:
        """Log the error; show the error card unless one is already up."""
        summary = self.errors.record(where, error)
        if isinstance(self.stack.top, ErrorCard):
            if where.startswith("ErrorCard"):
                self.stack.pop()  # the card itself failed: fall back to a notice
                self.show_notice(f"Error: {summary}"[:120])
            return
        note = self.errors.write_problem or f"Details were written to {self.errors.path}."
        try:
            self.stack.push(ErrorCard(summary, note))
        except Exception as card_error:  # noqa: BLE001
            self.errors.record("ErrorCard.__init__", card_error)
            self.show_notice(f"Error: {summary}"[:120])
