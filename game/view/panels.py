"""Read-only panels: budgets bar, current sample, recent steps, loss and accuracy plot."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pygame

from game.core.attempt import HistoryEntry
from game.core.net import half_squared_error
from game.core.sig_figs import fmt
from game.view import palette, theme
from game.view.coach_note import wrap


@dataclass
class BudgetInfo:
    """The numbers the top bar shows; None budgets mean 'no limit' (sandbox)."""

    title: str
    steps_used: int
    step_budget: int | None
    points_used: int
    point_budget: int | None
    accuracy: float
    target: float | None
    lr: float
    hold: tuple[int, int] | None = None  # (steps held, steps to hold) on a hold level


def draw_top_bar(surface: pygame.Surface, info: BudgetInfo) -> None:
    """Title on the left; steps, fruit and accuracy-versus-target on the right."""
    bar = pygame.Rect(0, 0, surface.get_width(), 46)
    pygame.draw.rect(surface, (30, 35, 50), bar)
    pygame.draw.line(surface, theme.PANEL_EDGE, bar.bottomleft, bar.bottomright)
    surface.blit(theme.text(info.title, 20, theme.TEXT, "bold"), (20, 11))
    x = surface.get_width() - 20
    items = [_accuracy_item(info)]
    fruit = f"{info.points_used}"
    if info.point_budget:
        fruit += f" / {info.point_budget}  ({info.point_budget - info.points_used} left)"
    items.append(("Fruit", fruit))
    steps = f"{info.steps_used}" + (f" / {info.step_budget}  ({info.step_budget - info.steps_used} left)"
                                    if info.step_budget else "")
    items.append(("Steps", steps))
    items.append(("η", f"{info.lr:.3g}"))
    for caption, value in items:
        text = theme.text(value, 17, theme.TEXT, "bold")
        x -= text.get_width()
        surface.blit(text, (x, 13))
        cap = theme.text(caption, 13, theme.TEXT_DIM)
        x -= cap.get_width() + 6
        surface.blit(cap, (x, 16))
        x -= 28


def _accuracy_item(info: BudgetInfo) -> tuple[str, str]:
    if info.target is None:
        return "Accuracy", f"{info.accuracy:.0%}"
    mark = "✓" if info.accuracy >= info.target else "→"
    text = f"{info.accuracy:.0%} {mark} target {info.target:.0%}"
    if info.hold is not None and info.hold[1] > 1:
        text += f", holding {min(info.hold[0], info.hold[1])}/{info.hold[1]}"
    return "Accuracy", text


def draw_sample_panel(surface: pygame.Surface, rect: pygame.Rect, heading: str,
                      x: np.ndarray | None, label: float | None, y_hat: float | None,
                      sprites: dict[int, pygame.Surface]) -> None:
    """The current sample: its fruit, x₁, x₂, label, ŷ and L = ½(ŷ − y)²."""
    theme.draw_panel(surface, rect, heading)
    if x is None:
        surface.blit(theme.text("Place fruit on the field to train.", 14, theme.TEXT_DIM),
                     (rect.x + 12, rect.y + 34))
        return
    sprite = pygame.transform.smoothscale(sprites[int(label)], (48, 48))
    surface.blit(sprite, (rect.x + 12, rect.y + 34))
    name = "strawberry" if label == 1 else "lemon"
    loss = half_squared_error(y_hat, label)
    # The step log's number format (3 significant figures), so the panel and the log agree.
    rows = [f"sweetness x₁ = {fmt(x[0])},  redness x₂ = {fmt(x[1])}",
            f"label y = {label:.0f} ({name})",
            f"network says ŷ = {fmt(y_hat)}",
            f"loss L = ½(ŷ − y)² = {fmt(loss)}"]
    width = rect.right - 10 - (rect.x + 72)
    if theme.font(14).size(rows[0])[0] > width:  # long numbers: the inputs take two lines
        rows[:1] = [f"sweetness x₁ = {fmt(x[0])}", f"redness x₂ = {fmt(x[1])}"]
    step = 22 if len(rows) == 4 else 21
    for k, row in enumerate(rows):
        colour = theme.ERROR_RED if row.startswith("loss") and loss > 0.125 else theme.TEXT
        surface.blit(theme.text(row, 14, colour), (rect.x + 72, rect.y + 30 + k * step))


def draw_history(surface: pygame.Surface, rect: pygame.Rect, history: list[HistoryEntry]) -> None:
    """The last steps, newest first: step number, fruit, loss before, accuracy after."""
    theme.draw_panel(surface, rect, "Recent steps")
    rows = (rect.h - 40) // 18
    head = theme.text(" step  fruit   L      acc", 12, theme.TEXT_DIM, "mono")
    surface.blit(head, (rect.x + 10, rect.y + 28))
    for k, entry in enumerate(reversed(history[-rows + 1:] if rows > 1 else [])):
        fruit = "berry" if entry.label == 1 else "lemon"
        text = f"{entry.step:>5}  {fruit:<6} {entry.loss:6.4f} {entry.accuracy:4.0%}"
        colour = theme.TEXT if k == 0 else theme.TEXT_DIM
        surface.blit(theme.text(text, 12, colour, "mono"), (rect.x + 10, rect.y + 46 + k * 18))


PLOT_STEPS = 1000


class PlotView:
    """Training loss (red; yellow in the colour-blind palette) and orchard accuracy (green;
    sky blue) over the last PLOT_STEPS steps.

    The line points are rebuilt only when a step has been added, not every frame.
    """

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._lines: list[tuple[list, tuple[int, int, int]]] = []

    def draw(self, surface: pygame.Surface, rect: pygame.Rect, history: list[HistoryEntry],
             target: float | None) -> None:
        recent = history[-PLOT_STEPS:]
        title = "Loss and accuracy" if not recent or recent[0].step == 1 else \
            f"Last {PLOT_STEPS:,} steps"  # the legend names the two lines
        theme.draw_panel(surface, rect, title)
        area = pygame.Rect(rect.x + 12, rect.y + 30, rect.w - 24, rect.h - 44)
        pygame.draw.rect(surface, (26, 30, 43), area)
        x = rect.right - 12
        for name, colour in (("accuracy", palette.current().accuracy), ("loss ×4", palette.current().error)):
            text = theme.text(name, 12, colour)
            x -= text.get_width()
            surface.blit(text, (x, rect.y + 8))
            x -= 14
        if target is not None:
            y = area.bottom - target * area.h
            for sx in range(area.x, area.right, 8):
                pygame.draw.line(surface, theme.TEXT_DIM, (sx, y), (min(sx + 4, area.right), y))
        for points, colour in self._points(recent, area):
            pygame.draw.lines(surface, colour, False, points, 2)

    def _points(self, recent: list[HistoryEntry], area: pygame.Rect) -> list:
        if len(recent) < 2:
            return []
        key = (recent[-1], len(recent), tuple(area), palette.generation())
        if self._key is not None and all(a is b or a == b for a, b in zip(key, self._key)):
            return self._lines
        steps = np.array([h.step for h in recent], dtype=np.float64)
        xs = area.x + (steps - steps[0]) / max(steps[-1] - steps[0], 1.0) * area.w
        # One point per pixel column is all the plot can show.
        keep = np.unique(np.linspace(0, len(xs) - 1, min(len(xs), area.w)).astype(int))
        accuracy = np.array([h.accuracy for h in recent])[keep]
        loss = np.minimum(np.array([h.training_loss for h in recent])[keep] * 4, 1.0)
        self._lines = [(np.column_stack([xs[keep], area.bottom - values * area.h]).tolist(), colour)
                       for values, colour in ((loss, palette.current().error),
                                              (accuracy, palette.current().accuracy))]
        self._key = key
        return self._lines


def draw_edge_legend(surface: pygame.Surface, panel: pygame.Rect) -> None:
    """What the edges mean, along the bottom of the network panel."""
    x, y = panel.x + 14, panel.bottom - 16
    colours = palette.current()
    for colour, words in ((colours.positive, "positive w"), (colours.negative, "negative w")):
        pygame.draw.line(surface, colour, (x, y), (x + 22, y), 4)
        label = theme.text(words, 12, theme.TEXT_DIM)
        surface.blit(label, label.get_rect(midleft=(x + 28, y)))
        x += 40 + label.get_width()
    note = theme.text("thickness = |w| · hover for numbers", 12, theme.TEXT_DIM)
    surface.blit(note, note.get_rect(midleft=(x, y)))


def draw_tooltip(surface: pygame.Surface, mouse: tuple[int, int], words: str) -> None:
    """A small framed note beside the mouse."""
    image = theme.text(words, 13, theme.TEXT)
    box = image.get_rect(topleft=(mouse[0] + 14, mouse[1] + 14)).inflate(12, 8)
    box.clamp_ip(surface.get_rect())
    pygame.draw.rect(surface, (20, 22, 30), box, border_radius=6)
    pygame.draw.rect(surface, theme.HIGHLIGHT, box, width=1, border_radius=6)
    surface.blit(image, (box.x + 6, box.y + 4))


def draw_toast(surface: pygame.Surface, words: str, over: pygame.Rect, good: bool = False) -> None:
    """A message at the bottom of `over`, wrapped to its width: red for a refusal, green for
    good news. It never spills over the panels beside `over`."""
    lines = [line for line in wrap(words, theme.font(15, "bold"), over.w - 40) if line]
    images = [theme.text(line, 15, (255, 255, 255), "bold") for line in lines]
    width = max(image.get_width() for image in images)
    box = pygame.Rect(0, 0, width + 20, 20 * len(images) + 12)
    box.midbottom = (over.centerx, over.bottom - 14)
    box.clamp_ip(surface.get_rect())
    pygame.draw.rect(surface, (40, 120, 70) if good else (140, 40, 50), box, border_radius=8)
    for k, image in enumerate(images):
        surface.blit(image, (box.x + 10, box.y + 6 + 20 * k))
