"""Short explanation pages, opened with H from the play screen or the sandbox."""

from __future__ import annotations

import pygame
import pygame_gui

from game.scenes.card import CardScene
from game.scenes.explain_pages import PAGES
from game.view import theme


class ExplainScene(CardScene):
    """A card with one page at a time; ← and → turn pages, Esc closes."""

    def __init__(self, page: int = 0) -> None:
        super().__init__(pygame.Rect(190, 70, 900, 580))
        self.page = page
        self.back = self.button(30, 522, 140, 38, "← Back")
        self.forward = self.button(180, 522, 140, 38, "Next →")
        self.close = self.button(730, 522, 140, 38, "Close (Esc)", primary=True)

    def on_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.back:
                self.turn(-1)
            elif event.ui_element is self.forward:
                self.turn(1)
            elif event.ui_element is self.close:
                self.stack.pop()
        elif event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_ESCAPE, pygame.K_h):
                self.stack.pop()
            elif event.key == pygame.K_LEFT:
                self.turn(-1)
            elif event.key == pygame.K_RIGHT:
                self.turn(1)

    def turn(self, by: int) -> None:
        self.page = min(max(self.page + by, 0), len(PAGES) - 1)

    def draw_content(self, surface: pygame.Surface) -> None:
        title, blocks = PAGES[self.page]
        surface.blit(theme.text(title, 26, theme.TEXT, "bold"), (self.card.x + 30, self.card.y + 24))
        counter = theme.text(f"page {self.page + 1} of {len(PAGES)}", 14, theme.TEXT_DIM)
        surface.blit(counter, counter.get_rect(topright=(self.card.right - 30, self.card.y + 32)))
        y = self.card.y + 76
        for block in blocks:
            if block.startswith("="):
                image = theme.text(block[1:].strip(), 21, theme.HIGHLIGHT, "bold")
                surface.blit(image, image.get_rect(midtop=(self.card.centerx, y + 2)))
                y += 40
            else:
                y = self.paragraph(surface, block, y, 17, theme.TEXT) + 10
