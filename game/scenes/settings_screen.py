"""Settings: animation speed, sound, fullscreen, reduced motion and the colour palette.

Every change applies at once: the screen posts APPLY_SETTINGS with the new
Settings, and the app (which owns the window and the sound) applies and saves
them (game/core/settings.py writes the file atomically). The screen reads the
settings in use from `stack.settings`, which the app keeps current.
"""

from __future__ import annotations

import dataclasses
import math

import pygame
import pygame_gui

from game.core.settings import PALETTES, SPEED_RANGE, Settings
from game.scenes.card import CardScene
from game.view import theme

APPLY_SETTINGS = pygame.event.custom_type()  # event.settings: the Settings to apply and save
PALETTE_NAMES = {"default": "Default", "colour-blind": "Colour-blind safe (blue / orange)"}
ROW_Y, ROW_H = 90, 56
ROWS = ("animation_speed", "volume", "mute", "fullscreen", "reduced_motion", "palette")


class SettingsScreen(CardScene):
    """A card of settings over whatever screen opened it; Esc or Done closes it."""

    def __init__(self) -> None:
        super().__init__(pygame.Rect(290, 90, 700, 520))
        self.settings = Settings()
        self.widgets: dict[str, object] = {}
        self.done_button = self.button(270, 452, 160, 42, "Done (Esc)", primary=True)
        self.row = 0  # the setting the arrow keys change

    def update(self, dt: float) -> None:
        in_use = getattr(self.stack, "settings", None)
        if not self.widgets and self.stack is not None:
            self.settings = in_use or Settings()
            self._build()
        elif in_use is not None and in_use != self.settings and not pygame.event.peek(APPLY_SETTINGS):
            # The app kept something else (a display that refused fullscreen): show what is.
            self.settings = in_use
            for name in ("mute", "fullscreen", "reduced_motion"):
                self.widgets[name].set_text(self._toggle_text(name))
        super().update(dt)

    def _row(self, k: int, caption: str) -> pygame.Rect:
        pygame_gui.elements.UILabel(pygame.Rect(self.card.x + 30, self.card.y + ROW_Y + k * ROW_H,
                                                230, 32), caption, self.manager)
        return pygame.Rect(self.card.x + 270, self.card.y + ROW_Y + k * ROW_H, 380, 32)

    def _build(self) -> None:
        s, slider = self.settings, pygame_gui.elements.UIHorizontalSlider
        low, high = (math.log2(v) for v in SPEED_RANGE)
        self.widgets["animation_speed"] = slider(self._row(0, "Animation speed"),
                                                 math.log2(s.animation_speed), (low, high),
                                                 self.manager, click_increment=0.25)
        self.widgets["volume"] = slider(self._row(1, "Sound volume"), s.volume * 100, (0, 100),
                                        self.manager, click_increment=10)
        for k, name, caption in ((2, "mute", "Sound"), (3, "fullscreen", "Fullscreen (F11)"),
                                 (4, "reduced_motion", "Reduced motion")):
            self.widgets[name] = pygame_gui.elements.UIButton(self._row(k, caption),
                                                              self._toggle_text(name), self.manager)
        self.widgets["palette_rect"] = self._row(5, "Colours")
        self.widgets["palette"] = pygame_gui.elements.UIDropDownMenu(
            [PALETTE_NAMES[p] for p in PALETTES], PALETTE_NAMES[s.palette], self.widgets["palette_rect"],
            self.manager)

    def _toggle_text(self, name: str) -> str:
        on = getattr(self.settings, name)
        if name == "mute":
            return "Muted" if on else "On"
        if name == "reduced_motion":
            return "On: fewer particles, no backdrop motion" if on else "Off"
        return "On" if on else "Off"

    def on_event(self, event: pygame.event.Event) -> None:
        if (event.type == pygame_gui.UI_BUTTON_PRESSED and event.ui_element is self.done_button) \
                or (event.type == pygame.KEYDOWN and event.key in (pygame.K_ESCAPE, pygame.K_RETURN,
                                                                    pygame.K_KP_ENTER)):
            self.stack.pop()
            return
        changed = self._changed(event) if event.type != pygame.KEYDOWN else self._keyed(event.key)
        if changed is not None and changed != self.settings:
            self.settings = changed
            for name in ("mute", "fullscreen", "reduced_motion"):
                self.widgets[name].set_text(self._toggle_text(name))
            pygame.event.post(pygame.event.Event(APPLY_SETTINGS, settings=changed))

    def _keyed(self, key: int) -> Settings | None:
        """↑/↓ choose a setting, ←/→ change it (a notch, a toggle, the next palette)."""
        if key in (pygame.K_UP, pygame.K_DOWN):
            self.row = (self.row + (1 if key == pygame.K_DOWN else -1)) % len(ROWS)
            return None
        if key not in (pygame.K_LEFT, pygame.K_RIGHT):
            return None
        step, s, name = (1 if key == pygame.K_RIGHT else -1), self.settings, ROWS[self.row]
        if name == "animation_speed":
            value = min(max(s.animation_speed * 2.0 ** (0.25 * step), SPEED_RANGE[0]), SPEED_RANGE[1])
            self.widgets[name].set_current_value(math.log2(value))
            return dataclasses.replace(s, animation_speed=value)
        if name == "volume":
            value = min(max(round(s.volume + 0.1 * step, 2), 0.0), 1.0)
            self.widgets[name].set_current_value(value * 100)
            return dataclasses.replace(s, volume=value)
        if name == "palette":
            chosen = PALETTES[(PALETTES.index(s.palette) + step) % len(PALETTES)]
            self.widgets[name].kill()
            self.widgets[name] = pygame_gui.elements.UIDropDownMenu(
                [PALETTE_NAMES[p] for p in PALETTES], PALETTE_NAMES[chosen],
                self.widgets["palette_rect"], self.manager)
            return dataclasses.replace(s, palette=chosen)
        return dataclasses.replace(s, **{name: not getattr(s, name)})

    def _changed(self, event: pygame.event.Event) -> Settings | None:
        """The settings after this widget event, or None if it was not one of ours."""
        element, s = getattr(event, "ui_element", None), self.settings
        if event.type == pygame_gui.UI_HORIZONTAL_SLIDER_MOVED:
            if element is self.widgets.get("animation_speed"):
                return dataclasses.replace(s, animation_speed=min(max(
                    2.0 ** element.get_current_value(), SPEED_RANGE[0]), SPEED_RANGE[1]))
            if element is self.widgets.get("volume"):
                return dataclasses.replace(s, volume=min(max(element.get_current_value() / 100, 0), 1))
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            for name in ("mute", "fullscreen", "reduced_motion"):
                if element is self.widgets.get(name):
                    return dataclasses.replace(s, **{name: not getattr(s, name)})
        if event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and element is self.widgets.get("palette"):
            chosen = next(p for p in PALETTES if PALETTE_NAMES[p] == event.text)
            return dataclasses.replace(s, palette=chosen)
        return None

    def draw_content(self, surface: pygame.Surface) -> None:
        title = theme.text("Settings", 30, theme.TEXT, "bold")
        surface.blit(title, title.get_rect(midtop=(self.card.centerx, self.card.y + 24)))
        marker = pygame.Rect(self.card.x + 14, self.card.y + ROW_Y + self.row * ROW_H + 6, 8, 20)
        pygame.draw.rect(surface, theme.HIGHLIGHT, marker, border_radius=3)
        # Each slider's value under its right end, where the eye leaves the slider.
        for k, value in ((0, f"×{self.settings.animation_speed:.2g}"), (1, f"{self.settings.volume:.0%}")):
            image = theme.text(value, 14, theme.TEXT_DIM)
            surface.blit(image, image.get_rect(topright=(self.card.x + 650, self.card.y + ROW_Y
                                                          + k * ROW_H + 33)))
        hint = theme.text("↑ ↓ choose · ← → change · Esc done", 13, theme.TEXT_DIM)
        surface.blit(hint, hint.get_rect(midtop=(self.card.centerx, self.card.y + 424)))
