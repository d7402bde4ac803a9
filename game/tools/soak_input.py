"""The soak's random player: what it clicks, drags, presses and types.

Inputs go through SDL exactly as a real player's do: `pygame.event.post` for
buttons, keys, text, the wheel and resizes, and `pygame.mouse.set_pos` for
pointer moves, because pygame_gui reads hovering (and slider drags) from the
pointer position rather than from events. Targets are read from what is on
screen now: the top scene's widgets (buttons, drop-down options, sliders, text
fields, dialog buttons), the fruit of the orchard (clicked with the right
button most of the time, so levels can actually be won) and the network's edges
(which the sandbox turns into a weight field).
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pygame
import pygame_gui

from game.view.theme import SCREEN_SIZE

CLICKABLE = (pygame_gui.elements.UIButton, pygame_gui.elements.UITextEntryLine,
             pygame_gui.elements.UIHorizontalSlider)

# What a class might type: invisible and bidi characters, NUL, a lone surrogate,
# emoji, piled-up combining marks, very long strings, and numbers the weight
# field must refuse. A few plain names repeat so the sandbox's "replace?" comes up.
HOSTILE_TEXT = (
    "\u200b", "\u200b" * 40, "\u202eyrrebwarts", "a\x00b", "\x00", "\ud800", "x\udfffy",
    "🍓🍋", "🍓" * 120, "e\u0301\u0301\u0302\u0303", "Z\u0336" * 60, "x" * 300, "名前のない果樹園",
    "\t", "\r\n", "%s%n{0}", "../../etc/passwd", "CON", "orchard", "orchard", "lemon grove",
    "nan", "inf", "-inf", "1e400", "-1e-320", "−2.5", " 3 ", "0x1f", "1_000", "",
)

_LETTERS = [(getattr(pygame, f"K_{c}"), c) for c in "abcdefghijklmnopqrstuvwxyz0123456789"]
_SPECIAL = [(pygame.K_SPACE, " "), (pygame.K_a, "a"), (pygame.K_r, "r"), (pygame.K_h, "h"),
            (pygame.K_RETURN, "\r"), (pygame.K_KP_ENTER, "\r"), (pygame.K_ESCAPE, "\x1b"),
            (pygame.K_TAB, "\t"), (pygame.K_LEFT, ""), (pygame.K_RIGHT, ""), (pygame.K_UP, ""),
            (pygame.K_DOWN, ""), (pygame.K_z, "z"), (pygame.K_F11, ""), (pygame.K_BACKSPACE, "\b"),
            (pygame.K_DELETE, "\x7f"), (pygame.K_HOME, ""), (pygame.K_END, "")]
_CTRL_KEYS = [pygame.K_z, pygame.K_a, pygame.K_c, pygame.K_v, pygame.K_x]

# kind of input → weight (per action), before the adjustments in Monkey._weights
WEIGHTS = {"widget": 30, "field": 22, "edge": 6, "anywhere": 4, "drag": 5, "hover": 8, "key": 18,
           "text": 3, "wheel": 3, "resize": 1, "quit": 0.3}


class Monkey:
    """Random but plausible input, drawn from `rng`; counts and digests what it sends."""

    def __init__(self, rng: random.Random, frame: Callable[[], None], digest) -> None:
        self.rng = rng
        self.frame = frame  # a drag runs frames between its moves, as a real one would
        self.digest = digest
        self.events = 0
        self.pointer = (0, 0)

    def act(self, app) -> None:
        """One input (a click is a press and a release) aimed at what `app` shows now."""
        top = app.stack.top
        kinds, weights = self._weights(top)
        kind = self.rng.choices(kinds, weights)[0]
        getattr(self, "_" + kind)(app, top)

    def _weights(self, top) -> tuple[list[str], list[float]]:
        """The kinds of input and their weights for what is on screen now."""
        weights = dict(WEIGHTS)
        if _typing(top):  # a focused text field gets typed into, and finished
            weights["text"] = 40
        return list(weights), list(weights.values())

    # ------------------------------------------------------------ sending
    def post(self, kind: int, **attributes) -> None:
        """Post one event and fold it into the digest."""
        pygame.event.post(pygame.event.Event(kind, **attributes))
        self.events += 1
        described = repr((kind, sorted(attributes.items())))
        self.digest.update(described.encode("utf-8", "backslashreplace"))

    def move(self, pos: tuple[int, int]) -> None:
        """Move the pointer (SDL then sends the motion event itself)."""
        pos = (min(max(int(pos[0]), 0), SCREEN_SIZE[0] - 1), min(max(int(pos[1]), 0), SCREEN_SIZE[1] - 1))
        if pos != self.pointer:
            pygame.mouse.set_pos(pos)
            self.pointer = pos
            self.events += 1
            self.digest.update(repr(pos).encode())

    def click(self, pos: tuple[int, int], button: int = 1) -> None:
        """Move there, press and release."""
        self.move(pos)
        for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            self.post(kind, pos=self.pointer, button=button, touch=False)

    def key(self, key: int, unicode: str, mod: int = 0) -> None:
        """Press and release a key."""
        self.post(pygame.KEYDOWN, key=key, mod=mod, unicode=unicode, scancode=0)
        self.post(pygame.KEYUP, key=key, mod=mod, unicode=unicode, scancode=0)

    # ------------------------------------------------------------ targets
    def _point_in(self, rect: pygame.Rect) -> tuple[int, int]:
        """A random pixel of `rect`, kept on the screen."""
        rect = rect.clip(pygame.Rect((0, 0), SCREEN_SIZE))
        return (rect.x + self.rng.randrange(max(rect.w, 1)), rect.y + self.rng.randrange(max(rect.h, 1)))

    def _button(self) -> int:
        """Mostly left (a strawberry), sometimes right (a lemon), now and then the middle one."""
        return self.rng.choice((1, 1, 1, 3, 2))

    # ------------------------------------------------------------- inputs
    def _widget(self, app, top) -> None:
        """Click a widget that is on screen now (a button, option, slider or text field)."""
        widgets = _widgets(top)
        if not widgets:
            self._anywhere(app, top)
            return
        widget = self.rng.choice(widgets)
        self.click(self._point_in(widget.rect.inflate(-4, -4)), self.rng.choice((1, 1, 1, 1, 3)))

    def _field(self, app, top) -> None:
        """Place or remove fruit: mostly on orchard fruit with its true label's button."""
        scene = _training_scene(app)
        if scene is None:
            self._anywhere(app, top)
            return
        X, y = scene.attempt.orchard_X, scene.attempt.orchard_y
        if len(y) and self.rng.random() < 0.7:
            k = self.rng.randrange(len(y))
            pos = scene.field_view.to_screen(X[k])[0]
            right = int(y[k]) == 1 if self.rng.random() < 0.9 else int(y[k]) != 1
            self.click((pos[0], pos[1]), 1 if right else 3)
        else:
            self.click(self._point_in(scene.field_view.rect), self._button())

    def _edge(self, app, top) -> None:
        """Click somewhere along a network edge (the sandbox opens a weight field there)."""
        scene = _training_scene(app)
        if scene is None or not len(scene.layout.edge_start):
            self._anywhere(app, top)
            return
        e = self.rng.randrange(len(scene.layout.edge_start))
        t = self.rng.uniform(0.2, 0.8)
        start, end = scene.layout.edge_start[e], scene.layout.edge_end[e]
        self.click(tuple(start + (end - start) * t), self._button())

    def _anywhere(self, app, top) -> None:
        """A click on any pixel of the screen."""
        self.click(self._point_in(pygame.Rect((0, 0), SCREEN_SIZE)), self._button())

    def _hover(self, app, top) -> None:
        """Just move the pointer (edges and log lines show tooltips and highlights)."""
        self.move(self._point_in(pygame.Rect((0, 0), SCREEN_SIZE)))

    def _drag(self, app, top) -> None:
        """Press, move with the button held over a few frames, release (sliders, the field)."""
        widgets = _widgets(top)
        start = self._point_in(self.rng.choice(widgets).rect) if widgets and self.rng.random() < 0.7 \
            else self._point_in(pygame.Rect((0, 0), SCREEN_SIZE))
        button = self._button()
        held = tuple(int(b == button) for b in (1, 2, 3))
        self.move(start)
        self.post(pygame.MOUSEBUTTONDOWN, pos=self.pointer, button=button, touch=False)
        for _ in range(self.rng.randint(2, 6)):
            before = self.pointer
            self.move((before[0] + self.rng.randint(-120, 120), before[1] + self.rng.randint(-40, 40)))
            rel = (self.pointer[0] - before[0], self.pointer[1] - before[1])
            self.post(pygame.MOUSEMOTION, pos=self.pointer, rel=rel, buttons=held, touch=False)
            self.frame()
        self.post(pygame.MOUSEBUTTONUP, pos=self.pointer, button=button, touch=False)

    def _key(self, app, top) -> None:
        """A key press: the game's shortcuts, editing keys, letters and digits, Ctrl+Z/A/C/V/X."""
        roll = self.rng.random()
        if roll < 0.12:
            self.key(self.rng.choice(_CTRL_KEYS), "", pygame.KMOD_LCTRL)
            return
        key, unicode = self.rng.choice(_SPECIAL if roll < 0.75 else _LETTERS)
        mod = pygame.KMOD_LSHIFT if self.rng.random() < 0.1 else 0
        self.key(key, unicode.upper() if mod else unicode, mod)
        if unicode.isprintable() and unicode and _typing(top):
            self.post(pygame.TEXTINPUT, text=unicode)  # SDL sends typed characters as text too

    def _text(self, app, top) -> None:
        """Typed or pasted text; into a focused field it is sometimes finished with Enter."""
        self.post(pygame.TEXTINPUT, text=self.rng.choice(HOSTILE_TEXT))
        if _typing(top) and self.rng.random() < 0.3:
            self.key(pygame.K_RETURN, "\r")

    def _wheel(self, app, top) -> None:
        """The mouse wheel, either way (the step log scrolls)."""
        amount = self.rng.choice((-3, -1, 1, 2, 5))
        self.post(pygame.MOUSEWHEEL, x=0, y=amount, precise_x=0.0, precise_y=float(amount),
                  flipped=False, touch=False)

    def _resize(self, app, top) -> None:
        """The window resized, from a sliver to 4K."""
        w, h = self.rng.choice(((640, 360), (1920, 1080), (1, 1), (1280, 720), (3840, 2160)))
        self.post(pygame.VIDEORESIZE, size=(w, h), w=w, h=h)
        self.post(pygame.WINDOWRESIZED, x=w, y=h)

    def _quit(self, app, top) -> None:
        """The window's close button: the soak then starts the next episode."""
        self.post(pygame.QUIT)


def _widgets(scene) -> list:
    """The clickable pygame_gui elements the scene shows now (none for a scene without widgets)."""
    manager = getattr(scene, "manager", None)
    if manager is None:
        return []
    return [e for e in manager.get_sprite_group().sprites()
            if isinstance(e, CLICKABLE) and e.visible and e.alive() and e.rect.w > 0 and e.rect.h > 0]


def _training_scene(app):
    """The play scene or sandbox in the stack (under any card), if there is one."""
    from game.scenes.training import TrainingScene
    return next((s for s in reversed(app.stack.scenes) if isinstance(s, TrainingScene)), None)


def _typing(scene) -> bool:
    """Whether a text field of the scene has the keyboard."""
    manager = getattr(scene, "manager", None)
    focus = manager.get_focus_set() if manager is not None else None
    return any(isinstance(e, pygame_gui.elements.UITextEntryLine) for e in focus or ())
