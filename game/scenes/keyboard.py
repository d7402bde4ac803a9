"""Every action of the training screens from the keyboard, from one key table.

KEY_TABLE is the only place a training key is bound: `action_for` reads it to
dispatch, and the keys card (F1) and the README are generated from it, so the
help cannot drift from what the keys do (as pyspacewar does with its controls).

Fruit go where the field cursor is: the arrows show and move it (Shift for fine
steps); 1 and 2 act as a left and a right click there (place a strawberry or a
lemon, or remove the fruit under the cursor), Delete removes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pygame

CURSOR_STEP, FINE_STEP = 0.05, 0.01  # field units per arrow press
START_SPREAD = 0.02  # the cursor appears this close to the centre, at a place of its own


def cursor_start() -> tuple[float, float]:
    """Where the cursor first appears: near the centre, at a point drawn afresh for each
    screen. Two students pressing the same keys then still place different fruit, so a
    class report does not take identical keyboard play for a copied replay."""
    x, y = (int.from_bytes(os.urandom(2)) / 65535 for _ in range(2))
    return 0.5 + START_SPREAD * (2 * x - 1), 0.5 + START_SPREAD * (2 * y - 1)
LR_NOTCHES = 20  # η moves by 1/20 of its (logarithmic) slider per press


@dataclass(frozen=True)
class Binding:
    """One row of the key table."""

    action: str
    keys: tuple[int, ...]
    label: str  # how the key is written on screen
    does: str
    shift: bool = False
    ctrl: bool = False


KEY_TABLE = (
    Binding("step", (pygame.K_SPACE,), "Space", "train one step, every number shown"),
    Binding("train100", (pygame.K_t,), "Shift+T", "train 100 steps", shift=True),
    Binding("train10", (pygame.K_t,), "T", "train 10 steps"),
    Binding("auto", (pygame.K_a,), "A", "start or stop Auto"),
    Binding("reset", (pygame.K_r,), "R", "reset the weights to their start"),
    Binding("shake", (pygame.K_s,), "S", "Shake, where the level offers it"),
    Binding("harvest", (pygame.K_RETURN, pygame.K_KP_ENTER), "Enter", "Harvest, on a harvest level"),
    Binding("fine_left", (pygame.K_LEFT,), "Shift+arrows", "move the field cursor a little",
            shift=True),
    Binding("fine_right", (pygame.K_RIGHT,), "", "", shift=True),
    Binding("fine_up", (pygame.K_UP,), "", "", shift=True),
    Binding("fine_down", (pygame.K_DOWN,), "", "", shift=True),
    Binding("left", (pygame.K_LEFT,), "Arrows", "show and move the field cursor"),
    Binding("right", (pygame.K_RIGHT,), "", ""),
    Binding("up", (pygame.K_UP,), "", ""),
    Binding("down", (pygame.K_DOWN,), "", ""),
    Binding("strawberry", (pygame.K_1, pygame.K_KP1), "1", "left click at the cursor: a strawberry, "
            "or remove the fruit there"),
    Binding("lemon", (pygame.K_2, pygame.K_KP2), "2", "right click at the cursor: a lemon, "
            "or remove the fruit there"),
    Binding("remove", (pygame.K_DELETE, pygame.K_BACKSPACE), "Delete", "remove the fruit at the cursor"),
    Binding("undo", (pygame.K_z,), "Ctrl+Z", "undo the last fruit placed or removed", ctrl=True),
    Binding("lr_up", (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS), "+", "raise η"),
    Binding("lr_down", (pygame.K_MINUS, pygame.K_KP_MINUS), "−", "lower η"),
    Binding("hidden", (pygame.K_n,), "N", "the next hidden-layer choice (asks first)"),
    Binding("explain", (pygame.K_h,), "H", "How it works: the pages"),
    Binding("keys", (pygame.K_F1,), "F1", "this list of keys"),
    Binding("pause", (pygame.K_ESCAPE,), "Esc", "pause: resume, restart, level select, settings, quit"),
    Binding("fullscreen", (pygame.K_F11,), "F11", "fullscreen on or off"),
)


def action_for(event: pygame.event.Event) -> str | None:
    """The action a KEYDOWN event is bound to, or None. Shift and Ctrl must match the row."""
    shift = bool(event.mod & pygame.KMOD_SHIFT)
    ctrl = bool(event.mod & pygame.KMOD_CTRL)
    for binding in KEY_TABLE:
        if event.key in binding.keys and binding.ctrl == ctrl and (binding.shift == shift or (
                not binding.shift and binding.action in ("lr_up", "lr_down"))):
            return binding.action  # "+" is Shift+= on many layouts
    return None


def help_rows() -> list[tuple[str, str]]:
    """(key, what it does) for the keys card and the README, one per labelled row."""
    return [(b.label, b.does) for b in KEY_TABLE if b.label]


def moved_cursor(cursor: tuple[float, float] | None, action: str,
                 start: tuple[float, float] = (0.5, 0.5)) -> tuple[float, float]:
    """The field cursor after an arrow action (it appears at `start` first)."""
    if cursor is None:
        return start
    step = FINE_STEP if action.startswith("fine_") else CURSOR_STEP
    dx, dy = {"left": (-1, 0), "right": (1, 0), "up": (0, 1), "down": (0, -1)}[
        action.removeprefix("fine_")]
    return (min(max(cursor[0] + dx * step, 0.0), 1.0), min(max(cursor[1] + dy * step, 0.0), 1.0))


def draw_cursor(surface: pygame.Surface, centre: tuple[int, int], colour) -> None:
    """A crosshair ring at the field cursor."""
    x, y = centre
    pygame.draw.circle(surface, (20, 20, 28), centre, 13, width=4)
    pygame.draw.circle(surface, colour, centre, 12, width=2)
    for a, b in (((x - 20, y), (x - 8, y)), ((x + 8, y), (x + 20, y)),
                 ((x, y - 20), (x, y - 8)), ((x, y + 8), (x, y + 20))):
        pygame.draw.line(surface, colour, a, b, 2)
