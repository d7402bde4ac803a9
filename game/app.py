"""The window and the main loop. Only this module touches pygame.display.

The game draws on a logical 1280×720 canvas; SCALED | RESIZABLE lets the
window (or a projector) scale it. Updates run at a fixed 120 Hz with an
accumulator; drawing happens once per displayed frame.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import pygame

from game.scenes.base import Scene, SceneStack
from game.view.theme import BACKGROUND, SCREEN_SIZE

UPDATE_DT = 1.0 / 120.0
MAX_CATCH_UP = 0.25  # after a stall, drop time rather than spiral


def open_window() -> pygame.Surface:
    """Initialise pygame and open the scaled, resizable game window."""
    pygame.init()
    pygame.display.set_caption("FruitNet: teach a network to tell strawberries from lemons")
    # Off-screen (tests, screenshots) there is nothing to scale to, and SDL's
    # dummy driver has no renderer for SCALED.
    headless = os.environ.get("SDL_VIDEODRIVER") == "dummy"
    flags = 0 if headless else pygame.SCALED | pygame.RESIZABLE
    return pygame.display.set_mode(SCREEN_SIZE, flags)


class App:
    """Owns the window, the scene stack and the loop."""

    def __init__(self, first_scene: Callable[[], Scene]) -> None:
        self.window = open_window()
        self.stack = SceneStack()
        self.stack.push(first_scene())
        self.clock = pygame.time.Clock()
        self.running = True
        self.first_frame_at: float | None = None

    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.running = False
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_F11:
            pygame.display.toggle_fullscreen()
        else:
            self.stack.handle_event(event)

    def run(self, max_frames: int | None = None) -> None:
        """Loop until the window closes (or max_frames frames have been drawn)."""
        accumulator, previous, frames = 0.0, time.perf_counter(), 0
        while self.running and self.stack.top is not None:
            now = time.perf_counter()
            accumulator = min(accumulator + now - previous, MAX_CATCH_UP)
            previous = now
            for event in pygame.event.get():
                self.handle(event)
            while accumulator >= UPDATE_DT:
                self.stack.update(UPDATE_DT)
                accumulator -= UPDATE_DT
            self.window.fill(BACKGROUND)
            self.stack.draw(self.window)
            pygame.display.flip()
            frames += 1
            if self.first_frame_at is None:
                self.first_frame_at = time.perf_counter()
                if os.environ.get("FRUITNET_EXIT_AFTER_FIRST_FRAME"):
                    print("first-frame", flush=True)
                    return
            if max_frames is not None and frames >= max_frames:
                return
            self.clock.tick(60)
