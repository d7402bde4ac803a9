"""The window and the main loop. Only this module touches pygame.display.

The game draws on a fixed 1280×720 canvas, a plain Surface. present() scales it
into the window with its aspect kept and bars around it (game/core/letterbox.py):
down with smoothscale, so text stays legible on a 1024×768 projector; up with
plain scale, which is cheap at 1920×1080. The window is a plain RESIZABLE one,
sized to fit the desktop; F11 fills the desktop. pygame's SCALED flag is not
used: SDL then makes the requested size the window's minimum size, so on a
screen smaller than 1280×720 the canvas was cropped, and without a window
manager the window could not open at all (pygame issue #4237).

Pointer positions reach scenes in canvas pixels: the app maps every mouse
event's pos and rel before a scene (or its pygame-gui manager) sees it, and
open_window puts canvas_mouse_pos in place of pygame.mouse.get_pos, which
pygame-gui reads every update for hovering and dragging.

Updates run at a fixed 120 Hz with an accumulator; drawing happens once per
displayed frame. No event may end the loop: an exception from a scene is
written to the error log in the user's data folder and an error card offers
Continue or Quit.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import time
from collections.abc import Callable

import pygame

from game.core.error_log import ErrorLog
from game.core.letterbox import Letterbox, fit, window_size_for
from game.core.paths import log_dir
from game.core.settings import Settings, load_settings, save_settings
from game.scenes.base import Scene, SceneStack
from game.scenes.error_card import ErrorCard
from game.scenes.routes import ROUTES
from game.view import palette, sounds
from game.view.panels import draw_toast
from game.view.theme import BACKGROUND, SCREEN_SIZE

UPDATE_DT = 1.0 / 120.0
MAX_CATCH_UP = 0.25  # after a stall, drop time rather than spiral
NOTICE_SECONDS = 4.0
SETTINGS_SAVE_DELAY = 0.5  # seconds: a slider dragged in the settings screen saves once, not per move
BAR_COLOUR = (0, 0, 0)  # letterbox bars: black, which a projector shows as no light
OFF_SCREEN_DRIVERS = ("dummy", "offscreen")
POINTER_EVENTS = (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION)

_canvas: pygame.Surface | None = None  # the last canvas open_window made; present() shows it
_window_mouse_pos = pygame.mouse.get_pos  # pygame's own, in window pixels


# ------------------------------------------------------------ the window
def off_screen() -> bool:
    """True under SDL's dummy or offscreen driver (tests, screenshots): there is no screen."""
    if pygame.display.get_init():
        return pygame.display.get_driver() in OFF_SCREEN_DRIVERS
    return os.environ.get("SDL_VIDEODRIVER", "") in OFF_SCREEN_DRIVERS


def windowed_size() -> tuple[int, int]:
    """A window as large as the canvas, or shrunk to fit the desktop; the canvas size off-screen."""
    if off_screen():
        return SCREEN_SIZE
    desktops = pygame.display.get_desktop_sizes()
    return window_size_for(SCREEN_SIZE, desktops[0] if desktops else None)


def open_window(size: tuple[int, int] | None = None) -> pygame.Surface:
    """Start pygame's display and fonts, open the window, and return the 1280×720 canvas.

    Everything draws on the canvas; present() puts it in the window. `size`
    (window pixels) defaults to windowed_size(). The mixer is not started here:
    pygame.init() would open the sound device, which with no sound card fills
    the console with ALSA errors (sounds.open_audio starts it quietly instead).
    """
    global _canvas
    pygame.display.init()
    pygame.font.init()
    pygame.display.set_caption("FruitNet: teach a network to tell strawberries from lemons")
    pygame.display.set_mode(size or windowed_size(), pygame.RESIZABLE)
    pygame.mouse.get_pos = canvas_mouse_pos
    _canvas = pygame.Surface(SCREEN_SIZE).convert()
    _canvas.fill(BACKGROUND)
    return _canvas


def set_fullscreen(on: bool) -> None:
    """Fill the desktop (on) or go back to a window; pygame.error if the display refuses."""
    if off_screen():
        raise pygame.error("there is no screen: the display is off-screen")
    try:
        if on:
            pygame.display.set_mode((0, 0), pygame.FULLSCREEN)  # (0, 0): the desktop's size
        else:
            pygame.display.set_mode(windowed_size(), pygame.RESIZABLE)
    except pygame.error:
        if on:  # whatever the refusal left behind, get a usable window back
            pygame.display.set_mode(windowed_size(), pygame.RESIZABLE)
        raise


def letterbox() -> Letterbox:
    """Where the canvas sits in the window right now (pixel for pixel if there is no window)."""
    window = pygame.display.get_surface() if pygame.display.get_init() else None
    return fit(SCREEN_SIZE, window.get_size() if window is not None else SCREEN_SIZE)


def canvas_mouse_pos(desktop: bool = False) -> tuple[int, int]:
    """pygame.mouse.get_pos in canvas pixels (open_window installs it in its place).

    Off the canvas (on a bar) the position lies outside 0…1279 × 0…719, over no
    widget. `desktop=True` asks pygame for desktop pixels, which are left alone.
    """
    if desktop:
        return _window_mouse_pos(desktop=True)
    return letterbox().to_canvas(_window_mouse_pos())


def to_canvas_event(event: pygame.event.Event, box: Letterbox) -> pygame.event.Event:
    """A mouse event with its pos (and a motion's rel) in canvas pixels; other events as they are."""
    if box.identity or event.type not in POINTER_EVENTS or "pos" not in event.dict:
        return event
    data = dict(event.dict, pos=box.to_canvas(event.pos))
    if event.type == pygame.MOUSEMOTION and "rel" in data:
        data["rel"] = box.motion_to_canvas(event.rel)
    return pygame.event.Event(event.type, data)


def present(canvas: pygame.Surface | None = None) -> None:
    """Show the drawn frame: the canvas, scaled into the window and letterboxed; then flip.

    `canvas` defaults to the one open_window made last.
    """
    canvas = canvas if canvas is not None else _canvas
    window = pygame.display.get_surface()
    box = fit(canvas.get_size(), window.get_size())
    if box.identity:
        window.blit(canvas, (0, 0))
    elif box.rect[2] > 0:
        _fill_bars(window, box)
        _scale_into(canvas, window, pygame.Rect(box.rect), box.shrinking)
    pygame.display.flip()


def _fill_bars(window: pygame.Surface, box: Letterbox) -> None:
    """Paint the window outside the canvas's rectangle (the canvas covers the rest)."""
    x, y, w, h = box.rect
    ww, wh = box.window
    for bar in ((0, 0, ww, y), (0, y + h, ww, wh - y - h), (0, y, x, h), (x + w, y, ww - x - w, h)):
        if bar[2] > 0 and bar[3] > 0:
            window.fill(BAR_COLOUR, bar)


def _scale_into(canvas: pygame.Surface, window: pygame.Surface, rect: pygame.Rect,
                shrinking: bool) -> None:
    """Draw the canvas into `rect` of the window: smoothscale to shrink (averaging keeps
    thin text readable), scale to enlarge (a quarter of the cost at 1920×1080, and crisp)."""
    scale = pygame.transform.smoothscale if shrinking else pygame.transform.scale
    try:
        scale(canvas, rect.size, window.subsurface(rect))  # straight into the window: no copy
    except ValueError:  # the window's pixel format differs from the canvas's
        window.blit(scale(canvas, rect.size), rect)


class App:
    """Owns the window, the scene stack, the loop, and applying the player's settings."""

    def __init__(self, first_scene: Callable[[], Scene], session=None) -> None:
        self.settings, settings_problem = load_settings()
        self.canvas = open_window()
        self.fullscreen = False
        self.sounds = sounds.open_audio()
        sounds.install(self.sounds)
        self.stack = SceneStack()
        self.stack.session = session  # game.scenes.session.Session: saved progress, or None
        self.stack.routes = ROUTES  # the menus' destinations: title, chapter map, a level
        self.errors = ErrorLog(log_dir())
        self.notice: tuple[str, float] | None = None  # an app-level message and seconds left
        self._save_due: float | None = None  # when changed settings are next written
        self.apply_settings(self.settings, save=False)
        if settings_problem:
            self.show_notice(settings_problem)
        self.stack.push(first_scene())
        self.clock = pygame.time.Clock()
        self.running = True
        self.first_frame_at: float | None = None
        self._previous = time.perf_counter()
        self._accumulator = 0.0
        self._scenes_drawn: list[Scene] = []  # the stack as last drawn, to notice scenes leaving

    @property
    def window(self) -> pygame.Surface:
        """The canvas, under the name the tests have always drawn and read through."""
        return self.canvas

    # ------------------------------------------------------------- events
    def handle(self, event: pygame.event.Event) -> None:
        """One input event: quit, fullscreen, or the top scene's (pointer in canvas pixels)."""
        if event.type == pygame.QUIT:
            self.running = False
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_F11:
            self.toggle_fullscreen()
        elif event.type >= pygame.USEREVENT and isinstance(event.dict.get("settings"), Settings):
            self.apply_settings(event.settings)  # the settings screen posts its changes
        else:
            event = to_canvas_event(event, letterbox())
            self._guarded("handle_event", self.stack.top, lambda: self.stack.handle_event(event))

    def toggle_fullscreen(self) -> None:
        """F11, remembered in the settings. Some drivers refuse; that becomes a notice."""
        if self._set_fullscreen(not self.fullscreen):
            self.remember(dataclasses.replace(self.settings, fullscreen=self.fullscreen))

    def _set_fullscreen(self, on: bool) -> bool:
        """Fullscreen on or off; False (and a notice) if the display refused."""
        if on == self.fullscreen:
            return True
        try:
            set_fullscreen(on)
        except pygame.error as error:
            self.show_notice(f"Fullscreen is not available here ({error}).")
            return False
        self.fullscreen = on
        return True

    # ----------------------------------------------------------- settings
    def apply_settings(self, settings: Settings, save: bool = True) -> None:
        """Apply what the app owns (fullscreen, volume, mute) and keep `settings`, also as
        `stack.settings` for the screens that read them; save them SETTINGS_SAVE_DELAY later
        unless told not to. A refused fullscreen or a failed save becomes a notice."""
        if not self._set_fullscreen(settings.fullscreen) and save:
            settings = dataclasses.replace(settings, fullscreen=self.fullscreen)  # save what is
        self.sounds.set_volume(settings.volume, settings.mute)
        palette.use_palette(settings.palette)  # the drawing's colours, from the next frame
        self.settings = self.stack.settings = settings
        if save:
            self._save_due = time.perf_counter() + SETTINGS_SAVE_DELAY

    def remember(self, settings: Settings) -> None:
        """Keep `settings` and save them now."""
        self.settings = self.stack.settings = settings
        self._save_due = time.perf_counter()
        self.save_settings_when_due()

    def save_settings_when_due(self, at_exit: bool = False) -> None:
        """Write changed settings once their delay has passed (or at once at exit);
        a save that fails becomes a notice."""
        if self._save_due is None or (time.perf_counter() < self._save_due and not at_exit):
            return
        self._save_due = None
        problem = save_settings(self.settings)
        if problem:
            self.show_notice(problem)

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
        self.save_settings_when_due()
        while self._accumulator >= UPDATE_DT:
            self._guarded("update", self.stack.top, lambda: self.stack.update(UPDATE_DT))
            self._accumulator -= UPDATE_DT
        if self.notice is not None:
            words, left = self.notice
            self.notice = (words, left - elapsed) if left > elapsed else None
        self.draw()
        present(self.canvas)
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
        self.canvas.fill(BACKGROUND)
        for scene in self.stack.visible():
            self._guarded("draw", scene, lambda shown=scene: shown.draw(self.canvas))
        if self.notice is not None:
            draw_toast(self.canvas, self.notice[0], self.canvas.get_rect())

    def run(self, max_frames: int | None = None) -> None:
        """Loop until the window closes (or max_frames frames have been drawn)."""
        try:
            self._loop(max_frames)
        finally:
            self.save_settings_when_due(at_exit=True)  # a change made just before quitting

    def _loop(self, max_frames: int | None) -> None:
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
