"""The pause menu (Escape, on every screen that plays) and the quit question.

Resume is the highlighted action, so Enter and Escape both go back to the game.
Restart asks first (it ends the attempt); Level select and Quit keep what was
played: the scene below saves its attempt on the way out (`leave`).
"""

from __future__ import annotations

import pygame
import pygame_gui

from game.scenes.card import CardScene, dialog_key
from game.view import theme

BUTTON_W, BUTTON_H, GAP = 260, 42, 12


def quit_game() -> None:
    """Ask the app to end its loop, the way closing the window does."""
    pygame.event.post(pygame.event.Event(pygame.QUIT))


class PauseMenu(CardScene):
    """Over a play or sandbox scene: Resume, Restart level, Level select, Settings, Quit."""

    def __init__(self, below) -> None:
        self.below = below
        entries = [("resume", "Resume (Esc)", True)]
        if hasattr(below, "retry"):
            entries.append(("restart", "Restart level", False))
        entries += [("select", "Level select", False), ("settings", "Settings", False),
                    ("quit", "Quit", False)]
        height = 110 + len(entries) * (BUTTON_H + GAP)
        super().__init__(pygame.Rect(640 - 170, 360 - height // 2, 340, height))
        self.buttons = {}
        for k, (name, words, primary) in enumerate(entries):
            self.buttons[self.button(40, 84 + k * (BUTTON_H + GAP), BUTTON_W, BUTTON_H, words,
                                     primary=primary)] = name
        self.order = list(self.buttons)  # top to bottom, for the arrow keys
        self.highlight = 0
        self.confirming: pygame_gui.windows.UIConfirmationDialog | None = None

    def on_event(self, event: pygame.event.Event) -> None:
        mine = self.confirming is not None and getattr(event, "ui_element", None) is self.confirming
        answer = dialog_key(event) if self.confirming is not None else None
        if (mine and event.type == pygame_gui.UI_CONFIRMATION_DIALOG_CONFIRMED) or answer is True:
            self._close_question()
            self.stack.pop()
            self.below.retry()
        elif (mine and event.type == pygame_gui.UI_WINDOW_CLOSE) or answer is False:
            self._close_question()
        elif self.confirming is not None and event.type == pygame.KEYDOWN:
            pass  # other keys wait for the answer
        elif event.type == pygame_gui.UI_BUTTON_PRESSED and event.ui_element in self.buttons:
            self.choose(self.buttons[event.ui_element])
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_UP, pygame.K_DOWN):
            self.highlight = (self.highlight + (1 if event.key == pygame.K_DOWN else -1)) % len(self.order)
            for k, button in enumerate(self.order):
                button.change_object_id("#primary" if k == self.highlight else None)
        elif event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.choose(self.buttons[self.order[self.highlight]])
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.choose("resume")

    def choose(self, name: str) -> None:
        """Do what the button `name` says."""
        if name == "resume":
            self.stack.pop()
        elif name == "restart":
            self.confirming = pygame_gui.windows.UIConfirmationDialog(
                pygame.Rect(440, 260, 400, 200), "Restarting ends this attempt: its steps and "
                "fruit are kept in your record, and you begin the level again.", self.manager,
                window_title="Restart the level?", action_short_name="Restart")
        elif name == "select":
            self._leave_below()
            if not self.stack.go("map"):
                self.stack.pop()  # no menus here (a level opened on its own): back to it
        elif name == "settings":
            from game.scenes.settings_screen import SettingsScreen
            self.stack.push(SettingsScreen())
        elif name == "quit":
            self._leave_below()
            quit_game()

    def _close_question(self) -> None:
        if self.confirming.alive():
            self.confirming.kill()
        self.confirming = None

    def _leave_below(self) -> None:
        if hasattr(self.below, "leave"):
            self.below.leave()

    def draw_content(self, surface: pygame.Surface) -> None:
        title = theme.text("Paused", 30, theme.TEXT, "bold")
        surface.blit(title, title.get_rect(midtop=(self.card.centerx, self.card.y + 24)))
