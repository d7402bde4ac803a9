"""The title screen: the name, a network teaching itself as the backdrop, and the way in.

Continue (when there is something to continue) / Campaign / Sandbox / Settings /
Quit. The highlighted button is the forward one, and Enter presses it; the
arrows move the highlight; Escape asks before quitting.
"""

from __future__ import annotations

import pygame
import pygame_gui

from game.core.showcase import LEARNING_RATE, Showcase
from game.scenes.base import Scene
from game.scenes.card import dialog_key
from game.scenes.pause import quit_game
from game.view import theme
from game.view.coach_note import wrap
from game.view.field import FieldView, load_sprite

FIELD = pygame.Rect(640, 80, 560, 560)
STEPS_PER_SECOND = 3000
GRID_SECONDS = 0.2  # the heatmap is recomputed five times a second
GRID_N = 64
STILL_STEPS = 20_000  # with reduced motion, the backdrop is shown once this far into learning


class TitleScene(Scene):
    """Needs the stack's session for Continue; without one, Continue is not offered."""

    def __init__(self) -> None:
        super().__init__()
        self.manager = theme.make_gui_manager()
        self.showcase = Showcase(seed=7)
        self.heatmap: pygame.Surface | None = None
        self._since_grid = GRID_SECONDS
        self._credit = 0.0
        self.buttons: list[tuple[pygame_gui.elements.UIButton, str]] = []
        self.highlight = 0
        self.confirming = None
        self.continue_to = None  # the MapLevel Continue opens
        self.notice: str | None = None  # what happened to the saved progress, if anything
        self.sprites = {1: load_sprite("strawberry", 14), 0: load_sprite("lemon", 14)}
        self.field_view = FieldView(FIELD)  # colours the backdrop's heatmap as the play field's
        self._fruit, self._fruit_round = [], -1

    def _build_buttons(self) -> None:
        from game.core.level_map import continue_from
        session = getattr(self.stack, "session", None)
        if session is not None:
            self.notice = session.take_message()  # e.g. a damaged save set aside, or a full disk
        if session is not None and session.last_played() is not None:
            self.continue_to = continue_from(session.map_rows(), session.last_played())
        entries = ([("continue", "Continue")] if self.continue_to is not None else []) + [
            ("campaign", "Campaign"), ("sandbox", "Sandbox"), ("settings", "Settings"),
            ("quit", "Quit")]
        for k, (name, words) in enumerate(entries):
            button = pygame_gui.elements.UIButton(pygame.Rect(120, 300 + k * 58, 300, 46), words,
                                                  self.manager)
            self.buttons.append((button, name))
        self._show_highlight()

    def _show_highlight(self) -> None:
        for k, (button, _) in enumerate(self.buttons):
            button.change_object_id("#primary" if k == self.highlight else None)

    # -------------------------------------------------------------- input
    def handle_event(self, event: pygame.event.Event) -> None:
        self.manager.process_events(event)
        if self.confirming is not None and (answer := dialog_key(event)) is not None:
            if answer:
                quit_game()
            else:
                self.confirming.kill()
                self.confirming = None
            return
        if self.confirming is not None:
            mine = getattr(event, "ui_element", None) is self.confirming
            if mine and event.type == pygame_gui.UI_CONFIRMATION_DIALOG_CONFIRMED:
                quit_game()
            if mine and event.type in (pygame_gui.UI_CONFIRMATION_DIALOG_CONFIRMED,
                                       pygame_gui.UI_WINDOW_CLOSE):
                self.confirming = None
            return
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            chosen = [name for button, name in self.buttons if button is event.ui_element]
            if chosen:
                self.choose(chosen[0])
        elif event.type == pygame.KEYDOWN and self.buttons:
            if event.key in (pygame.K_UP, pygame.K_DOWN):
                step = 1 if event.key == pygame.K_DOWN else -1
                self.highlight = (self.highlight + step) % len(self.buttons)
                self._show_highlight()
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
                self.choose(self.buttons[self.highlight][1])
            elif event.key == pygame.K_ESCAPE:
                self.choose("quit")

    def choose(self, name: str) -> None:
        """Do what the button `name` says."""
        if name == "continue":
            self.stack.go("level", level=self.continue_to.level, pack=self.continue_to.pack)
        elif name == "campaign":
            self.stack.go("map")
        elif name == "sandbox":
            from game.scenes.sandbox import SandboxScene
            self.stack.replace(SandboxScene())
        elif name == "settings":
            from game.scenes.settings_screen import SettingsScreen
            self.stack.push(SettingsScreen())
        elif name == "quit":
            self.confirming = pygame_gui.windows.UIConfirmationDialog(
                pygame.Rect(440, 260, 400, 180), "Your progress is saved as you play.",
                self.manager, window_title="Quit FruitNet?", action_short_name="Quit")

    # ------------------------------------------------------------- update
    def update(self, dt: float) -> None:
        if not self.buttons and self.stack is not None:
            self._build_buttons()
        self.manager.update(dt)
        settings = getattr(self.stack, "settings", None)
        if settings is not None and settings.reduced_motion:
            if self.showcase.steps == 0 and self.showcase.round == 0:
                self.showcase.advance(STILL_STEPS)  # hold still on a learned picture, not a blank
                self.heatmap = None
            if self.heatmap is not None:
                return  # reduced motion: the backdrop holds still
        self._credit += dt * STEPS_PER_SECOND
        if self._credit >= 1:
            steps, self._credit = int(self._credit), self._credit - int(self._credit)
            self.showcase.advance(min(steps, 200))  # a long frame does not stall the next
        self._since_grid += dt
        if self._since_grid >= GRID_SECONDS or self.heatmap is None:
            self._since_grid = 0.0
            self.heatmap = self.field_view.heatmap_surface(self.showcase.network.predict_grid(GRID_N))

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(theme.BACKGROUND)
        surface.blit(self.heatmap, FIELD.topleft)
        self._draw_fruit(surface)
        pygame.draw.rect(surface, theme.PANEL_EDGE, FIELD, width=2)
        s = self.showcase
        caption = (f"A network teaching itself, live: 2 → 8 → 8 → 1 tanh, η {LEARNING_RATE:g}, "
                   f"{s.kind}, step {s.steps:,}, {s.sorted_share:.0%} sorted")
        surface.blit(theme.text(caption, 13, theme.TEXT_DIM), (FIELD.x, FIELD.bottom + 10))
        surface.blit(theme.text("FruitNet", 72, theme.TEXT, "bold"), (110, 110))
        surface.blit(theme.text("Teach a tiny brain to tell strawberries from lemons,", 18,
                                theme.TEXT_DIM), (116, 206))
        surface.blit(theme.text("and watch every nudge it learns from.", 18, theme.TEXT_DIM),
                     (116, 232))
        if self.notice:
            for k, line in enumerate(wrap(self.notice, theme.font(15), 520)):
                surface.blit(theme.text(line, 15, theme.HIGHLIGHT), (120, 630 + 20 * k))
        hint = theme.text("↑ ↓ choose · Enter · Esc quits", 14, theme.TEXT_DIM)
        surface.blit(hint, (120, 300 + len(self.buttons) * 58 + 6))
        self.manager.draw_ui(surface)

    def _draw_fruit(self, surface: pygame.Surface) -> None:
        if self._fruit_round != self.showcase.round:  # the fruit change only with the dataset
            X, y = self.showcase.X, self.showcase.y
            xs, ys = FIELD.x + X[:, 0] * FIELD.w, FIELD.bottom - X[:, 1] * FIELD.h
            self._fruit = [(self.sprites[int(label)], (int(a) - 7, int(b) - 7))
                           for a, b, label in zip(xs, ys, y)]
            self._fruit_round = self.showcase.round
        surface.fblits(self._fruit)
