"""Wrapped text, and the coach's note drawn over the bottom of the step log."""

from __future__ import annotations

import functools

import pygame

from game.view import theme

COACH_BACKGROUND = (36, 58, 98)
COACH_EDGE = (120, 170, 255)


@functools.lru_cache(maxsize=256)  # cards, notes and toasts are drawn every frame, rarely changed
def wrap(text: str, font: pygame.font.Font, width: int) -> tuple[str, ...]:
    """Greedy word wrap of `text` to `width` pixels; blank lines between paragraphs."""
    lines: list[str] = []
    for paragraph in text.strip().split("\n\n"):
        words, line = paragraph.split(), ""
        for word in words:
            trial = f"{line} {word}".strip()
            if font.size(trial)[0] <= width:
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
        lines.append("")
    return tuple(lines[:-1])


def draw_coach_note(surface: pygame.Surface, over: pygame.Rect, words: str,
                    link: str | None = None) -> None:
    """The coach's hint in a blue box at the bottom of `over`, wrapped, headed "Coach";
    `link`, if given, is a last line in the box's colour (the page that explains it)."""
    font = theme.font(15)
    lines = [line for line in wrap(words, font, over.w - 40) if line]
    links = [line for line in wrap(link, font, over.w - 40) if line] if link else []
    box = pygame.Rect(over.x + 10, 0, over.w - 20, 34 + 20 * (len(lines) + len(links)))
    box.bottom = over.bottom - 10
    pygame.draw.rect(surface, COACH_BACKGROUND, box, border_radius=8)
    pygame.draw.rect(surface, COACH_EDGE, box, width=2, border_radius=8)
    surface.blit(theme.text("Coach", 14, COACH_EDGE, "bold"), (box.x + 10, box.y + 7))
    for k, line in enumerate(lines):
        surface.blit(theme.text(line, 15, theme.TEXT), (box.x + 10, box.y + 27 + 20 * k))
    for k, line in enumerate(links, start=len(lines)):
        surface.blit(theme.text(line, 15, COACH_EDGE), (box.x + 10, box.y + 27 + 20 * k))
