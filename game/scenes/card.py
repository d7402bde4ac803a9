"""A card over the dimmed screen: the base of the intro, result and explanation scenes."""

from __future__ import annotations

import pygame
import pygame_gui

from game.scenes.base import Scene
from game.view import theme
from game.view.coach_note import wrap


def dialog_key(event: pygame.event.Event) -> bool | None:
    """How a key answers an open confirmation dialog (pygame-gui's take only clicks):
    Enter confirms (True), Escape declines (False); anything else is no answer (None)."""
    if event.type != pygame.KEYDOWN:
        return None
    if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
        return True
    return False if event.key == pygame.K_ESCAPE else None


class CardScene(Scene):
    """Draws the scene below, dimmed, with a rounded card and its own widgets on top.

    Subclasses set `card`, add buttons with `button`, and fill in `on_event`,
    `draw_content` and `edge_colour`.
    """

    opaque = False

    def __init__(self, card: pygame.Rect) -> None:
        super().__init__()
        self.card = card
        self.manager = theme.make_gui_manager()

    def button(self, x: int, y: int, w: int, h: int, words: str, primary: bool = False,
               **options) -> pygame_gui.elements.UIButton:
        """A button at (x, y) relative to the card's top-left corner."""
        rect = pygame.Rect(self.card.x + x, self.card.y + y, w, h)
        return pygame_gui.elements.UIButton(rect, words, self.manager,
                                            object_id="#primary" if primary else None, **options)

    def handle_event(self, event: pygame.event.Event) -> None:
        self.manager.process_events(event)
        self.on_event(event)

    def on_event(self, event: pygame.event.Event) -> None:
        """React to one event after the widgets have seen it."""

    def update(self, dt: float) -> None:
        self.manager.update(dt)

    def draw(self, surface: pygame.Surface) -> None:
        theme.draw_card(surface, self.card, self.edge_colour())
        self.draw_content(surface)
        self.manager.draw_ui(surface)

    def edge_colour(self) -> tuple[int, int, int]:
        return theme.ACCENT

    def draw_content(self, surface: pygame.Surface) -> None:
        """Everything on the card except its widgets."""

    def paragraph(self, surface: pygame.Surface, words: str, y: int, size: int,
                  colour: tuple[int, int, int], style: str = "regular", spacing: int = 24) -> int:
        """Wrapped text across the card from height y; returns the y below it."""
        for line in wrap(words, theme.font(size, style), self.card.w - 60):
            surface.blit(theme.text(line, size, colour, style), (self.card.x + 30, y))
            y += spacing
        return y
