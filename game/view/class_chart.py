"""The class report's charts: per level, a histogram of the class's steps to win, par marked.

As in Zachtronics games' score histograms: bars count how many students won in
each range of steps, and a dashed line marks the solver's par (level.par_steps)
so a student sees at once where they stand. Only verified wins count, one per
student (their best); the caption says how many won and the median.

    surface = level_chart(report, level)    # one panel, PANEL_SIZE
    surface = class_chart(report)           # every level's panel, two to a row, with a heading
    data = png_bytes(surface)               # for a file or an HTML data URI

Drawn with the game's theme and bundled DejaVu fonts on plain Surfaces, so it
works without a window (SDL_VIDEODRIVER=dummy). Reads the report, changes nothing.
"""

from __future__ import annotations

import io
import math
from statistics import median

import pygame

from game.core.class_report import ClassReport
from game.core.levels import Level
from game.view import theme

PANEL_SIZE = (620, 320)
GAP = 20
HEADING = 64
MAX_BINS = 16
BAR = (96, 150, 210)
BAR_EDGE = (150, 196, 240)
GRID = (48, 55, 76)
PLOT = pygame.Rect(56, 84, PANEL_SIZE[0] - 56 - 24, PANEL_SIZE[1] - 84 - 54)  # the axes, in a panel
HEADROOM = 18  # above the tallest bar, for its count


def _fonts_ready() -> None:
    if not pygame.font.get_init():
        pygame.font.init()


def bins(values: list[int], par: int) -> tuple[int, int, list[int]]:
    """(first edge, bin width, counts): at most MAX_BINS bins of a "nice" width over values and par.

    Bin k holds the values v with first + k·width ≤ v < first + (k + 1)·width. The
    edges are laid so that one falls just after par: every bar left of the par line
    earned the steps ★, every bar right of it did not. The range spans at least
    max(10, par / 4) steps, so two close results are not two bars filling the panel.
    """
    low, high = min([*values, par]), max([*values, par])
    short = max(10, par // 4) - (high - low)
    if short > 0:
        low, high = max(0, low - short // 2), high + short - short // 2
    for width in _nice_widths():
        # ceil, in integers; below 0 (a huge spread) the axis starts at 0 and par may split a bin
        first = max(0, par + 1 - -(-(par + 1 - low) // width) * width)
        count = -(-(high + 1 - first) // width)
        if count <= MAX_BINS:
            counts = [0] * count
            for v in values:
                counts[(v - first) // width] += 1
            return first, width, counts
    raise ValueError("no bin width fits")  # unreachable: widths grow without bound


def _nice_widths():
    """1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, …"""
    scale = 1
    while True:
        for m in (1, 2, 5) if scale == 1 else (1, 2, 2.5, 5):
            if float(m * scale).is_integer():
                yield int(m * scale)
        scale *= 10


def level_chart(report: ClassReport, level: Level) -> pygame.Surface:
    """One level's panel: title, caption, histogram of best verified steps to win, par line."""
    _fonts_ready()
    surface = pygame.Surface(PANEL_SIZE)
    surface.fill(theme.BACKGROUND)
    panel = surface.get_rect()
    pygame.draw.rect(surface, theme.PANEL, panel, border_radius=8)
    pygame.draw.rect(surface, theme.PANEL_EDGE, panel, 1, border_radius=8)
    surface.blit(theme.text(_fit(level.title, 18, panel.w - 32), 18, theme.TEXT, "bold"), (16, 12))
    steps = report.steps_to_win(level.id)
    caption = f"{len(steps)} of {len(report.students)} students won"
    if steps:
        caption += f"  ·  best {steps[0]}  ·  median {median(steps):g} steps"
    surface.blit(theme.text(caption, 14, theme.TEXT_DIM), (16, 38))
    first, width, counts = bins(steps, level.par_steps)
    _draw_axes(surface, first, width, counts)
    labels = _draw_bars(surface, first, width, counts)
    _draw_par(surface, first, width, len(counts), level.par_steps)
    for label, place in labels:  # over the par line, which may cross a bar's number
        surface.fill(theme.PANEL, place.inflate(4, 0))
        surface.blit(label, place)
    if not steps:
        note = theme.text("no verified wins yet", 16, theme.TEXT_DIM)
        surface.blit(note, note.get_rect(center=PLOT.center))
    label = theme.text("steps to win (best verified attempt per student)", 13, theme.TEXT_DIM)
    surface.blit(label, label.get_rect(midbottom=(PLOT.centerx, panel.bottom - 8)))
    return surface


def _x(value: float, first: int, width: int, count: int) -> int:
    """The x pixel of a step count on the plot's axis."""
    return PLOT.x + round((value - first) / (width * count) * PLOT.w)


def _y(count: int, top: int) -> int:
    """The y pixel of a number of students, the tallest bar `top` leaving HEADROOM above it."""
    return PLOT.bottom - round(count / top * (PLOT.h - HEADROOM))


def _draw_axes(surface: pygame.Surface, first: int, width: int, counts: list[int]) -> None:
    """Horizontal grid lines with student counts, the base line and the bin edges' step labels."""
    top = max(1, max(counts))
    step = max(1, math.ceil(top / 5))
    for k in range(0, top + 1, step):
        y = _y(k, top)
        pygame.draw.line(surface, GRID, (PLOT.x, y), (PLOT.right, y))
        label = theme.text(str(k), 12, theme.TEXT_DIM)
        surface.blit(label, label.get_rect(midright=(PLOT.x - 6, y)))
    pygame.draw.line(surface, theme.TEXT_DIM, PLOT.bottomleft, PLOT.bottomright)
    students = theme.text("students", 12, theme.TEXT_DIM)
    surface.blit(pygame.transform.rotate(students, 90), (10, PLOT.centery - students.get_width() // 2))
    every = max(1, math.ceil(len(counts) / 8))  # at most ~9 labels: they must not touch
    for k in range(0, len(counts) + 1, every):
        x = _x(first + k * width, first, width, len(counts))
        pygame.draw.line(surface, theme.TEXT_DIM, (x, PLOT.bottom), (x, PLOT.bottom + 4))
        label = theme.text(str(first + k * width), 12, theme.TEXT_DIM)
        surface.blit(label, label.get_rect(midtop=(x, PLOT.bottom + 6)))


def _draw_bars(surface: pygame.Surface, first: int, width: int,
               counts: list[int]) -> list[tuple[pygame.Surface, pygame.Rect]]:
    """One bar per bin, its height the number of students; (number, where) to draw above each."""
    top, labels = max(1, max(counts)), []
    for k, n in enumerate(counts):
        if not n:
            continue
        left = _x(first + k * width, first, width, len(counts))
        right = _x(first + (k + 1) * width, first, width, len(counts))
        height = max(2, PLOT.bottom - _y(n, top))
        bar = pygame.Rect(left + 1, PLOT.bottom - height, max(1, right - left - 2), height)
        pygame.draw.rect(surface, BAR, bar)
        pygame.draw.rect(surface, BAR_EDGE, bar, 1)
        label = theme.text(str(n), 12, theme.TEXT)
        labels.append((label, label.get_rect(midbottom=(bar.centerx, bar.top - 2))))
    return labels


def _draw_par(surface: pygame.Surface, first: int, width: int, count: int, par: int) -> None:
    """A dashed line at the bin edge just after `par` steps (a win at par earns the ★), labelled."""
    x = _x(par + 1, first, width, count)
    for y in range(PLOT.y - 12, PLOT.bottom, 10):
        pygame.draw.line(surface, theme.HIGHLIGHT, (x, y), (x, min(y + 5, PLOT.bottom)), 2)
    label = theme.text(f"par {par}", 13, theme.HIGHLIGHT, "bold")
    place = label.get_rect(midbottom=(x, PLOT.y - 14))
    place.clamp_ip(pygame.Rect(8, 0, PANEL_SIZE[0] - 16, PANEL_SIZE[1]))
    surface.blit(label, place)


def class_chart(report: ClassReport) -> pygame.Surface:
    """Every level's panel, two to a row, under the pack's title and what the charts show."""
    _fonts_ready()
    levels = report.pack.levels
    columns = 1 if len(levels) == 1 else 2
    rows = math.ceil(len(levels) / columns)
    size = (GAP + columns * (PANEL_SIZE[0] + GAP), HEADING + rows * (PANEL_SIZE[1] + GAP))
    surface = pygame.Surface(size)
    surface.fill(theme.BACKGROUND)
    surface.blit(theme.text(_fit(report.pack.title, 22, size[0] - 2 * GAP), 22, theme.TEXT, "bold"),
                 (GAP, 14))
    surface.blit(theme.text("Steps to win: each student's best verified win; dashed line: the "
                            "solver's par", 14, theme.TEXT_DIM), (GAP, 42))
    for k, level in enumerate(levels):
        row, column = divmod(k, columns)
        surface.blit(level_chart(report, level), (GAP + column * (PANEL_SIZE[0] + GAP),
                                                  HEADING + row * (PANEL_SIZE[1] + GAP)))
    return surface


def png_bytes(surface: pygame.Surface) -> bytes:
    """The surface as a PNG file's bytes."""
    out = io.BytesIO()
    pygame.image.save(surface, out, "chart.png")
    return out.getvalue()



def _fit(words: str, size: int, width: int) -> str:
    """The text, cut with "…" to fit `width` pixels in bold at `size`."""
    font = theme.font(size, "bold")
    if font.size(words)[0] <= width:
        return words
    while words and font.size(words + "…")[0] > width:
        words = words[:-1]
    return words + "…"
