"""The card the main loop shows when a scene raised: what happened, Continue or Quit."""

from __future__ import annotations

import pygame
import pygame_gui

from game.scenes.card import CardScene
from game.view import theme


class ErrorCard(CardScene):
    """Something went wrong but the game is still running. Enter continues, Esc quits."""

    def __init__(self, summary: str, log_note: str) -> None:
        super().__init__(pygame.Rect(290, 200, 700, 300))
        self.summary = summary
        self.log_note = log_note
        self.continue_button = self.button(330, 236, 200, 42, "Continue (Enter)", primary=True)
        self.quit_button = self.button(540, 236, 130, 42, "Quit (Esc)")

    def on_event(self, event: pygame.event.Event) -> None:
        pressed = event.type == pygame_gui.UI_BUTTON_PRESSED
        if (pressed and event.ui_element is self.continue_button) or (
                event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER)):
            self.stack.pop()
        elif (pressed and event.ui_element is self.quit_button) or (
                event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE):
            pygame.event.post(pygame.event.Event(pygame.QUIT))

    def edge_colour(self) -> tuple[int, int, int]:
        return theme.ERROR_RED

    def draw_content(self, surface: pygame.Surface) -> None:
        title = theme.text("Something went wrong", 28, theme.TEXT, "bold")
        surface.blit(title, title.get_rect(midtop=(self.card.centerx, self.card.y + 22)))
        y = self.paragraph(surface, "FruitNet caught an error and kept running. Continue to go "
                           "back to where you were, or Quit.", self.card.y + 76, 17, theme.TEXT)
        y = self.paragraph(surface, self.summary, y + 8, 14, theme.HIGHLIGHT, "mono", spacing=19)
        self.paragraph(surface, self.log_note, y + 8, 13, theme.TEXT_DIM, spacing=18)
