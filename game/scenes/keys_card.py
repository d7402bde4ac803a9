"""F1: every key of the training screens, drawn from the key table itself."""

from __future__ import annotations

import pygame
import pygame_gui

from game.scenes.card import CardScene
from game.scenes.keyboard import help_rows
from game.view import theme

ROW_H = 22


class KeysCard(CardScene):
    """The key table as a card; Esc, Enter or F1 closes it."""

    def __init__(self) -> None:
        rows = help_rows()
        super().__init__(pygame.Rect(230, 60, 820, 110 + ROW_H * len(rows) + 50))
        self.rows = rows
        self.close_button = self.button(330, self.card.h - 56, 160, 40, "Close (Esc)", primary=True)

    def on_event(self, event: pygame.event.Event) -> None:
        if (event.type == pygame_gui.UI_BUTTON_PRESSED and event.ui_element is self.close_button) \
                or (event.type == pygame.KEYDOWN and event.key in (
                    pygame.K_ESCAPE, pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_F1)):
            self.stack.pop()

    def draw_content(self, surface: pygame.Surface) -> None:
        title = theme.text("Keys", 28, theme.TEXT, "bold")
        surface.blit(title, title.get_rect(midtop=(self.card.centerx, self.card.y + 20)))
        surface.blit(theme.text("Everything the mouse does, the keyboard does too.", 15,
                                theme.TEXT_DIM), (self.card.x + 30, self.card.y + 64))
        y = self.card.y + 96
        for key, does in self.rows:
            surface.blit(theme.text(key, 15, theme.HIGHLIGHT, "bold"), (self.card.x + 30, y))
            surface.blit(theme.text(does, 15, theme.TEXT), (self.card.x + 190, y))
            y += ROW_H
