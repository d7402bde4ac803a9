"""The card after a pack's last level: what the pack taught, and what it earned.

Next chapter (when the campaign goes on) is the highlighted action, and Enter
presses it; Chapter map goes to the map. The summary is read from the saved
progress, so it counts every level of the pack, not only this visit's.
"""

from __future__ import annotations

import pygame
import pygame_gui

from game.core.level_map import MapLevel, pack_summary
from game.core.levels import Level, Pack
from game.scenes.card import CardScene
from game.scenes.overlays import star_points
from game.view import theme


class PackComplete(CardScene):
    """Over the play screen after the last level of `pack`; `following` is the next chapter's
    first level (and its pack), or None at the end of the campaign or of a teacher's pack."""

    def __init__(self, pack: Pack, following: tuple[Level, Pack] | None) -> None:
        super().__init__(pygame.Rect(290, 120, 700, 480))
        self.pack, self.following = pack, following
        self.next_button = None
        if following is not None:
            self.next_button = self.button(370, 416, 300, 44, "Next chapter (Enter)", primary=True)
        self.map_button = self.button(30, 416, 300, 44, "Chapter map" + (" (Enter)" if following is None
                                                                         else ""),
                                      primary=following is None)
        self.row: list[MapLevel] | None = None

    def edge_colour(self) -> tuple[int, int, int]:
        return theme.GOOD

    def update(self, dt: float) -> None:
        if self.row is None and self.stack is not None:
            session = self.stack.session
            rows = session.map_rows() if session is not None else []
            self.row = next((row for row in rows if row and row[0].pack.id == self.pack.id), [])
        super().update(dt)

    def on_event(self, event: pygame.event.Event) -> None:
        forward = event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER)
        if (event.type == pygame_gui.UI_BUTTON_PRESSED and event.ui_element is self.next_button) \
                or (forward and self.following is not None):
            self.stack.go("level", level=self.following[0], pack=self.following[1])
        elif (event.type == pygame_gui.UI_BUTTON_PRESSED and event.ui_element is self.map_button) \
                or forward or (event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE):
            if not self.stack.go("map", select=(self.pack.id, self.pack.levels[-1].id)):
                self.stack.pop()  # no menus here: back to the level

    def draw_content(self, surface: pygame.Surface) -> None:
        session = self.stack.session if self.stack is not None else None
        is_class = session is not None and session.is_class_pack(self.pack)
        # A chapter's title is "Chapter 2: The Nudge"; a teacher's pack keeps its whole title.
        name = self.pack.title if is_class else (self.pack.title.partition(": ")[2] or self.pack.title)
        title = theme.text(f"{name}: complete!", 30 if len(name) < 30 else 24, theme.TEXT, "bold")
        surface.blit(title, title.get_rect(midtop=(self.card.centerx, self.card.y + 24)))
        if not self.row:
            self.paragraph(surface, f"You finished the last level of {self.pack.title}.",
                           self.card.y + 90, 17, theme.TEXT)
            return
        won, stars, possible = pack_summary(self.row)
        summary = theme.text(f"{won} of {len(self.row)} levels won · ★ {stars} of {possible}", 18,
                             theme.HIGHLIGHT, "bold")
        surface.blit(summary, summary.get_rect(midtop=(self.card.centerx, self.card.y + 76)))
        y = self.card.y + 122
        for tile in self.row:
            self._draw_line(surface, tile, y)
            y += 56
        if is_class:
            self.paragraph(surface, "For your teacher: Hand in (H) on this pack's row of the chapter "
                                    "map writes your results to a file and says where it went.",
                           y + 4, 15, theme.HIGHLIGHT)
        elif stars < possible:
            self.paragraph(surface, "Stars still open: replay a level from the chapter map to beat "
                                    "its par of steps or of fruit.", y + 4, 15, theme.TEXT_DIM)

    def _draw_line(self, surface: pygame.Surface, tile: MapLevel, y: int) -> None:
        p = tile.progress
        earned = (p is not None and p.won, p is not None and p.steps_star,
                  p is not None and p.fruit_star)
        for k, star in enumerate(earned):
            pygame.draw.polygon(surface, theme.HIGHLIGHT if star else (70, 76, 96),
                                star_points((self.card.x + 50 + k * 28, y + 14), 12, 5))
        surface.blit(theme.text(tile.level.title, 17, theme.TEXT, "bold"), (self.card.x + 150, y))
        best = (f"best: {p.best_steps:,} steps (par {tile.level.par_steps:,}), {p.best_fruit} fruit "
                f"(par {tile.level.par_fruit})") if p is not None and p.won else "not won yet"
        surface.blit(theme.text(best, 14, theme.TEXT_DIM), (self.card.x + 150, y + 24))
