"""Who is playing? Asked when a class pack opens, so its hand-in carries the student's name.

The last player's name is filled in (Enter keeps it). The name is kept in the
profile (game/core/progress.py tidies it: no invisible characters, at most 40
characters); every attempt from now on is that student's.
"""

from __future__ import annotations

import pygame
import pygame_gui

from game.core.levels import Pack
from game.core.progress_records import DEFAULT_NAME, MAX_NAME_CHARS, clean_name
from game.scenes.card import CardScene
from game.view import theme


class NamePrompt(CardScene):
    """Ask the student's name, then open `pack` on the chapter map."""

    opaque = True

    def __init__(self, pack: Pack) -> None:
        super().__init__(pygame.Rect(340, 170, 600, 340))
        self.pack = pack
        self.entry = pygame_gui.elements.UITextEntryLine(
            pygame.Rect(self.card.x + 30, self.card.y + 180, 540, 40), self.manager)
        self.entry.set_text_length_limit(MAX_NAME_CHARS)
        self.ok_button = self.button(420, 270, 150, 44, "Play (Enter)", primary=True)
        self.problem: str | None = None
        self._filled = False

    def update(self, dt: float) -> None:
        if not self._filled and self.stack is not None:
            self._filled = True
            session = self.stack.session
            name = session.profile.name if session is not None and session.profile else ""
            self.entry.set_text("" if name == DEFAULT_NAME else name)
            self.entry.focus()
        super().update(dt)

    def on_event(self, event: pygame.event.Event) -> None:
        entered = event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED and event.ui_element is self.entry
        pressed = event.type == pygame_gui.UI_BUTTON_PRESSED and event.ui_element is self.ok_button
        if entered or pressed:
            self.confirm()

    def confirm(self) -> None:
        """Keep the typed name and open the pack; an empty name is asked again."""
        name = clean_name(self.entry.get_text())
        if name == DEFAULT_NAME and self.entry.get_text().strip() != DEFAULT_NAME:
            self.problem = "Type your name: your teacher sees it on your hand-in."
            self.entry.focus()
            return
        if self.stack.session is not None:
            self.stack.session.use_profile(name)
        self.stack.go("map", select=(self.pack.id, self.pack.levels[0].id))

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(theme.BACKGROUND)
        super().draw(surface)

    def draw_content(self, surface: pygame.Surface) -> None:
        title = theme.text("Who is playing?", 30, theme.TEXT, "bold")
        surface.blit(title, title.get_rect(midtop=(self.card.centerx, self.card.y + 24)))
        self.paragraph(surface, f"“{self.pack.title}” is a class pack. Your results are "
                                    "saved under your name, and Hand in on the chapter map "
                                    "writes them to a file for your teacher.",
                           self.card.y + 80, 16, theme.TEXT_DIM, spacing=22)
        if self.problem:
            surface.blit(theme.text(self.problem, 15, theme.ERROR_RED), (self.card.x + 30, self.card.y + 228))
