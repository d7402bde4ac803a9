"""The step log: every weight's chain-rule terms with the real numbers of the last step.

A weight's line prints the chain rule's factors for that weight, e.g.
    ∂L/∂w⁽²⁾₁ = (0.82 − 1.00) · 0.148 · 0.67 = −0.0178;  w: 0.412 → 0.430
that is (ŷ − y) · σ′(z) · input for an output weight and (Σₖ δₖ wₖ) · f′(z) ·
input for a hidden one, built straight from the core's StepTrace, so the numbers on screen are the ones
the code computed (rounded for display only).
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.core import activations
from game.core.activations import OUTPUT
from game.core.net import StepTrace
from game.view import theme
from game.view.network_view import SUPERSCRIPTS, neuron_name, sub, weight_name

LINE_HEIGHT = 17
REFRESH_SECONDS = 0.1  # text changing faster than ~10 Hz cannot be read anyway


@dataclass(frozen=True)
class LogLine:
    """One line of the log; `edge` is the edge number it explains, if any."""

    text: str
    edge: int | None = None
    kind: str = "weight"  # heading, note, weight, bias


def _num(v: float, places: int = 2) -> str:
    """A signed number with a true minus sign, the way the formulas print it."""
    return f"{v:.{places}f}".replace("-", "−")


def _grad(v: float) -> str:
    return f"{v:.3g}".replace("-", "−") if abs(v) >= 1e-4 or v == 0 else f"{v:.2e}".replace("-", "−")


def log_lines(trace: StepTrace, activation: str, edge_number) -> list[LogLine]:
    """All lines for one step. edge_number(l, j, i) maps a weight to its edge."""
    count = len(trace.layers)
    label = "strawberry" if trace.y == 1 else "lemon"
    lines = [
        LogLine(f"Sample x = ({_num(trace.x[0])}, {_num(trace.x[1])}), label y = {trace.y:.0f} "
                f"({label})", kind="heading"),
        LogLine(f"Forward: ŷ = {_num(trace.y_hat, 3)}   Loss L = ½(ŷ − y)² = "
                f"½({_num(trace.y_hat, 3)} − {trace.y:.0f})² = {_grad(trace.loss)}", kind="heading"),
    ]
    if trace.diverged:
        lines.append(LogLine("η is too large: this update would overflow to infinity, "
                             "so the weights were kept.", kind="note"))
    for l in range(count - 1, -1, -1):
        lines.extend(_layer_lines(trace, l, count, activation, edge_number))
    return lines


def _layer_lines(trace, l, count, activation, edge_number) -> list[LogLine]:
    layer = trace.layers[l]
    is_output = l == count - 1
    prime = (OUTPUT if is_output else activations.lookup(activation)).prime
    lines = []
    for j in range(len(layer.delta)):
        unit = neuron_name(l + 1, j, count)
        if is_output:
            error = f"({_num(trace.y_hat)} − {trace.y:.2f})"
            lines.append(LogLine(f"Output {unit}: δ = (ŷ − y)·σ′(z) = {error} · "
                                 f"{_num(layer.derivative[j], 3)} = {_grad(layer.delta[j])}",
                                 kind="heading"))
        else:
            error = f"({_num(layer.error[j], 4)})"
            lines.append(LogLine(f"Hidden {unit}: δ = (Σₖ δₖ wₖ = {_num(layer.error[j], 4)}) · "
                                 f"{prime}(z) {_num(layer.derivative[j], 3)} = "
                                 f"{_grad(layer.delta[j])}", kind="heading"))
        for i in range(len(layer.inputs)):
            name = weight_name(l, j, i, count)
            old, new = layer.W_old[j, i], layer.W_new[j, i]
            lines.append(LogLine(
                f"  ∂L/∂{name} = {error} · {_num(layer.derivative[j], 3)} · "
                f"{_num(layer.inputs[i])} = {_grad(layer.dW[j, i])};  "
                + _change("w", old, new, layer.W_frozen), edge=edge_number(l, j, i)))
        b_name = "b" + f"({l + 1})".translate(SUPERSCRIPTS) + (sub(j + 1) if len(layer.delta) > 1 else "")
        lines.append(LogLine(
            f"  ∂L/∂{b_name} = δ = {_grad(layer.db[j])};  "
            + _change("b", layer.b_old[j], layer.b_new[j], layer.b_frozen), kind="bias"))
    return lines


def _change(name: str, old: float, new: float, frozen: bool) -> str:
    """'w: 0.412 → 0.430', or 'w: 0.412, frozen' for a parameter the level does not train."""
    if frozen:
        return f"{name}: {_num(old, 3)}, frozen (the level keeps it fixed)"
    return f"{name}: {_num(old, 3)} → {_num(new, 3)}"


def summary_lines(steps: int, end: int, before: list, after: list, edge_index: list) -> list[LogLine]:
    """Lines for a fast ×N run ending at step `end`: each weight's total change.

    before/after: the weight matrices around the run; edge_index: edge → (l, j, i).
    """
    lines = [LogLine(f"Trained ×{steps}: steps {end - steps + 1}–{end}, one fruit per step. "
                     "Each weight's total change:", kind="heading")]
    for e, (l, j, i) in enumerate(edge_index):
        w0, w1 = before[l][j, i], after[l][j, i]
        lines.append(LogLine(f"  {weight_name(l, j, i, len(before))}: {w0:.3f} → {w1:.3f}  "
                             f"(Δ {w1 - w0:+.4f})".replace("-", "−"), edge=e))
    return lines


class StepLogView:
    """A scrolling list of LogLines inside a panel, with one line highlightable."""

    def __init__(self, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        self.lines: list[LogLine] = []  # the latest step's lines
        self.shown: list[LogLine] = []  # the lines on screen (caught up at most 10× a second)
        self._since_shown = REFRESH_SECONDS  # seconds since `shown` last caught up
        self.scroll = 0
        self._font = theme.font(12, "mono")
        self._bold = theme.font(12, "bold")
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
            font = self._bold if line.kind in ("heading", "note") else self._font
            self._cache[key] = font.render(line.text, True, colour)
        return self._cache[key]

    def _scrollbar(self, surface: pygame.Surface) -> None:
        body = self.body
        total = len(self.shown)
        h = max(body.h * self.visible_count // total, 16)
        y = body.y + (body.h - h) * self.scroll // max(total - self.visible_count, 1)
        pygame.draw.rect(surface, theme.PANEL_EDGE, (self.rect.right - 7, y, 4, h), border_radius=2)
