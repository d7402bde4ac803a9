"""Short explanation pages, opened with H from the play screen or the sandbox."""

from __future__ import annotations

import pygame
import pygame_gui

from game.scenes.card import CardScene
from game.scenes.explain_pages import PAGES
from game.view import theme

BUTTONS_Y = 522  # the buttons' top, relative to the card: a page's text must end above it
# A line never breaks beside one of these standing alone, so "|δ| = |ŷ − y|·ŷ(1 − ŷ)" in a
# sentence stays on one line instead of leaving "|δ|" at the end of the line above.
OPERATORS = frozenset({"=", "−", "+", "←", "→", "·", "×"})


def wrap_keeping_formulas(words: str, font: pygame.font.Font, width: int) -> list[str]:
    """Greedy word wrap of one paragraph to `width` px, never breaking beside an operator.

    Returns the lines; a formula wider than `width` stays whole on a line of its own.
    """
    units: list[str] = []  # words, with each lone operator glued to both its neighbours
    for word in words.split():
        if units and (word in OPERATORS or units[-1].rsplit(" ", 1)[-1] in OPERATORS):
            units[-1] += " " + word
        else:
            units.append(word)
    lines: list[str] = []
    for unit in units:
        trial = f"{lines[-1]} {unit}" if lines else unit
        if lines and font.size(trial)[0] <= width:
            lines[-1] = trial
        else:
            lines.append(unit)
    return lines


class ExplainScene(CardScene):
    """A card with one page at a time; ← and → turn pages, Esc closes."""

    def __init__(self, page: int = 0) -> None:
        super().__init__(pygame.Rect(190, 70, 900, 580))
        self.page = page
        self.back = self.page_turn_button(30, "← Back")
        self.forward = self.page_turn_button(180, "Next →")
        self.close = self.button(730, BUTTONS_Y, 140, 38, "Close (Esc)", primary=True)
        self.turn(0)

    def page_turn_button(self, x: int, words: str) -> pygame_gui.elements.UIButton:
        """A Back or Next button at x along the card's bottom row, drawn in DejaVu.

        pygame-gui's own Noto Sans has no ← or →, which showed as empty boxes;
        the theme's "#page_turn" names DejaVu (see theme.gui_theme).
        """
        rect = pygame.Rect(self.card.x + x, self.card.y + BUTTONS_Y, 140, 38)
        return pygame_gui.elements.UIButton(rect, words, self.manager, object_id="#page_turn")

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
        """Move `by` pages, stopping at the ends; Back and Next grey out where they lead nowhere."""
        self.page = min(max(self.page + by, 0), len(PAGES) - 1)
        for button, usable in ((self.back, self.page > 0), (self.forward, self.page < len(PAGES) - 1)):
            if usable:
                button.enable()
            else:
                button.disable()

    def draw_content(self, surface: pygame.Surface) -> None:
        self.draw_page(surface)

    def draw_page(self, surface: pygame.Surface) -> int:
        """Draw the current page's title and blocks; returns the y just below its lowest text."""
        title, blocks = PAGES[self.page]
        surface.blit(theme.text(title, 26, theme.TEXT, "bold"), (self.card.x + 30, self.card.y + 24))
        counter = theme.text(f"page {self.page + 1} of {len(PAGES)}", 14, theme.TEXT_DIM)
        surface.blit(counter, counter.get_rect(topright=(self.card.right - 30, self.card.y + 32)))
        y = bottom = self.card.y + 76
        for block in blocks:
            if block.startswith("="):
                image = theme.text(block[1:].strip(), 21, theme.HIGHLIGHT, "bold")
                bottom = surface.blit(image, image.get_rect(midtop=(self.card.centerx, y + 2))).bottom
                y += 40
                continue
            for line in wrap_keeping_formulas(block, theme.font(17), self.card.w - 60):
                bottom = surface.blit(theme.text(line, 17, theme.TEXT), (self.card.x + 30, y)).bottom
                y += 24
            y += 10
        return bottom
