"""The step log: every weight's chain-rule terms with the real numbers of the last step.

The words come from game/core/step_text.py (pure, shared with `fruitnet trace`):
each neuron's δ as a named product, then per weight
    ∂L/∂w⁽¹⁾₂₁ = δ⁽¹⁾₂ · x₁ = 0.00513 · 0.480 = 0.00246
        w⁽¹⁾₂₁: 0.316 → 0.311  (Δ −0.00492)
with three significant figures and "≈" wherever the printed factors do not
multiply out. This module only maps those lines to edges and draws them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.core.net import StepTrace
from game.core.step_text import step_lines, summary_text
from game.view import theme

LINE_HEIGHT = 17
REFRESH_SECONDS = 0.1  # text changing faster than ~10 Hz cannot be read anyway
# Says once, beside the title, why some products read "≈" instead of "=".
ROUNDING_NOTE = "3 significant figures · ≈ where rounding shows"


@dataclass(frozen=True)
class LogLine:
    """One line of the log; `edge` is the edge number it explains, if any."""

    text: str
    edge: int | None = None
    kind: str = "weight"  # heading, note, weight, bias


def log_lines(trace: StepTrace, activation: str, edge_number) -> list[LogLine]:
    """All lines for one step. edge_number(l, j, i) maps a weight to its edge."""
    return [LogLine(line.text, None if line.weight is None else edge_number(*line.weight),
                    line.kind) for line in step_lines(trace, activation)]


def summary_lines(steps: int, end: int, before: list, after: list, edge_index: list) -> list[LogLine]:
    """Lines for a fast ×N run ending at step `end`: each weight's total change.

    before/after: the weight matrices around the run; edge_index: edge → (l, j, i).
    """
    edges = {tuple(weight): e for e, weight in enumerate(edge_index)}
    return [LogLine(line.text, None if line.weight is None else edges[line.weight], line.kind)
            for line in summary_text(steps, end, before, after, list(edge_index))]


class StepLogView:
    """A scrolling list of LogLines inside a panel, with one line highlightable."""

    def __init__(self, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        self.lines: list[LogLine] = []  # the latest step's lines
        self.shown: list[LogLine] = []  # the lines on screen (caught up at most 10× a second)
        self._since_shown = REFRESH_SECONDS  # seconds since `shown` last caught up
        self.scroll = 0
        # One monospaced font for every kind: the core fits lines to LOG_COLUMNS
        # characters, and a proportional bold face would not keep that promise.
        self._font = theme.font(12, "mono")
        self._cache: dict[tuple[str, str], pygame.Surface] = {}

    @property
    def body(self) -> pygame.Rect:
        return pygame.Rect(self.rect.x + 10, self.rect.y + 28, self.rect.w - 20, self.rect.h - 36)

    @property
    def visible_count(self) -> int:
        return self.body.h // LINE_HEIGHT

    def set_lines(self, lines: list[LogLine]) -> None:
        """New lines: shown at once, unless the last change was under REFRESH_SECONDS ago.

        During Auto or ×N every frame brings a new step; re-rendering twenty lines
        of text each frame would cost more than everything else on screen, so
        `update` catches up with the latest lines at most ten times a second.
        """
        self.lines = lines
        if self._since_shown >= REFRESH_SECONDS or not self.shown:
            self._show_latest()

    def update(self, dt: float) -> None:
        """Advance the refresh clock by dt seconds and catch up if it is time."""
        self._since_shown += dt
        if self.shown is not self.lines and self._since_shown >= REFRESH_SECONDS:
            self._show_latest()

    def _show_latest(self) -> None:
        self.shown, self._since_shown = self.lines, 0.0
        self._cache.clear()  # old lines will not come back: keep the cache to one step
        self.scroll = min(self.scroll, max(len(self.shown) - self.visible_count, 0))

    def scroll_by(self, rows: int) -> None:
        self.scroll = min(max(self.scroll + rows, 0), max(len(self.shown) - self.visible_count, 0))

    def reveal_edge(self, edge: int) -> None:
        """Scroll so the line explaining `edge` is visible."""
        for k, line in enumerate(self.shown):
            if line.edge == edge and not self.scroll <= k < self.scroll + self.visible_count:
                self.scroll_by(k - self.scroll - self.visible_count // 2)
                return

    def edge_at(self, pos: tuple[int, int]) -> int | None:
        """The edge whose line is under the mouse, if any."""
        if not self.body.collidepoint(pos):
            return None
        k = self.scroll + (pos[1] - self.body.y) // LINE_HEIGHT
        return self.shown[k].edge if k < len(self.shown) else None

    def draw(self, surface: pygame.Surface, highlight_edge: int | None, empty_text: str) -> None:
        theme.draw_panel(surface, self.rect, "Step log: w ← w − η ∂L/∂w")
        key = theme.text(ROUNDING_NOTE, 11, theme.TEXT_DIM)
        surface.blit(key, key.get_rect(topright=(self.rect.right - 12, self.rect.y + 10)))
        body = self.body
        if not self.shown:
            surface.blit(theme.text(empty_text, 14, theme.TEXT_DIM), body.topleft)
            return
        clip = surface.get_clip()
        surface.set_clip(body)
        for row, line in enumerate(self.shown[self.scroll:self.scroll + self.visible_count + 1]):
            y = body.y + row * LINE_HEIGHT
            if line.edge is not None and line.edge == highlight_edge:
                pygame.draw.rect(surface, (88, 80, 40), (body.x - 4, y - 1, body.w + 8, LINE_HEIGHT),
                                 border_radius=4)
            surface.blit(self._render(line), (body.x, y))
        surface.set_clip(clip)
        if len(self.shown) > self.visible_count:
            self._scrollbar(surface)

    def _render(self, line: LogLine) -> pygame.Surface:
        key = (line.text, line.kind)
        if key not in self._cache:
            colour = {"heading": theme.ACCENT, "note": theme.ERROR_RED,
                      "bias": theme.TEXT_DIM}.get(line.kind, theme.TEXT)
            self._cache[key] = self._font.render(line.text, True, colour)
        return self._cache[key]

    def _scrollbar(self, surface: pygame.Surface) -> None:
        body = self.body
        total = len(self.shown)
        h = max(body.h * self.visible_count // total, 16)
        y = body.y + (body.h - h) * self.scroll // max(total - self.visible_count, 1)
        pygame.draw.rect(surface, theme.PANEL_EDGE, (self.rect.right - 7, y, 4, h), border_radius=2)
