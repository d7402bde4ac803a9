"""Short explanation pages, opened with H from the play screen or the sandbox."""

from __future__ import annotations

import pygame
import pygame_gui

from game.scenes.base import Scene
from game.scenes.explain_pages import PAGES
from game.scenes.overlays import wrap
from game.view import theme


class ExplainScene(Scene):
    """A card with one page at a time; ← and → turn pages, Esc closes."""

    opaque = False

    def __init__(self, page: int = 0) -> None:
        super().__init__()
        self.page = page
        self.card = pygame.Rect(190, 70, 900, 580)
        self.manager = theme.make_gui_manager()
        button = pygame_gui.elements.UIButton
        y = self.card.bottom - 58
        self.back = button(pygame.Rect(self.card.x + 30, y, 140, 38), "← Back", self.manager)
        self.forward = button(pygame.Rect(self.card.x + 180, y, 140, 38), "Next →", self.manager)
        self.close = button(pygame.Rect(self.card.right - 170, y, 140, 38), "Close (Esc)",
                            self.manager, object_id="#primary")

    def handle_event(self, event: pygame.event.Event) -> None:
        self.manager.process_events(event)
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

    def update(self, dt: float) -> None:
        self.manager.update(dt)

    def draw(self, surface: pygame.Surface) -> None:
        theme.draw_card(surface, self.card, theme.ACCENT)
        title, blocks = PAGES[self.page]
        surface.blit(theme.text(title, 26, theme.TEXT, "bold"),
                     (self.card.x + 30, self.card.y + 24))
        counter = theme.text(f"page {self.page + 1} of {len(PAGES)}", 14, theme.TEXT_DIM)
        surface.blit(counter, counter.get_rect(topright=(self.card.right - 30, self.card.y + 32)))
        y = self.card.y + 76
        body, formula = theme.font(17), theme.font(21, "bold")
        for block in blocks:
            if block.startswith("="):
                image = formula.render(block[1:].strip(), True, theme.HIGHLIGHT)
                surface.blit(image, image.get_rect(midtop=(self.card.centerx, y + 2)))
                y += 40
                continue
            for line in wrap(block, body, self.card.w - 60):
                surface.blit(body.render(line, True, theme.TEXT), (self.card.x + 30, y))
                y += 24
            y += 10
        self.manager.draw_ui(surface)
