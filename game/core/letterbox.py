"""Fitting the fixed 1280×720 canvas into a window of any size, and mapping the pointer back.

The game draws on one logical canvas. The window may be smaller (a 1024×768
projector), larger (a 1920×1080 screen in fullscreen) or of another shape; the
canvas is scaled by the largest factor that fits, keeping its aspect, and
centred, so bars fill what is left ("letterboxing"). A pointer position in the
window maps back to the canvas pixel under it, so scenes only ever see canvas
coordinates.

Pure arithmetic on tuples: no pygame, so it is tested on its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Room left on the desktop for a title bar, a taskbar and a window border, so a
# window opened "as large as fits" is not cut off by them.
DESKTOP_MARGIN = (16, 96)


@dataclass(frozen=True)
class Letterbox:
    """Where a canvas of size `canvas` sits, scaled, in a window of size `window`.

    `rect` is (x, y, width, height) of the scaled canvas in window pixels; the
    rest of the window is bars. An empty window (minimised: 0 wide or high)
    gives an empty rect.
    """

    canvas: tuple[int, int]
    window: tuple[int, int]
    rect: tuple[int, int, int, int]

    @property
    def identity(self) -> bool:
        """True when the canvas fills the window pixel for pixel (no scaling, no bars)."""
        return self.rect == (0, 0, *self.canvas) and self.window == self.canvas

    @property
    def scale(self) -> float:
        """Window pixels per canvas pixel (0 for an empty window)."""
        return self.rect[2] / self.canvas[0]

    @property
    def shrinking(self) -> bool:
        """True when the canvas is drawn smaller than its own size."""
        return self.rect[2] < self.canvas[0]

    def contains(self, pos: tuple[float, float]) -> bool:
        """Whether the window position `pos` falls on the canvas (not on a bar)."""
        x, y, w, h = self.rect
        return x <= pos[0] < x + w and y <= pos[1] < y + h

    def to_canvas(self, pos: tuple[float, float]) -> tuple[int, int]:
        """The canvas pixel under window position `pos`.

        A position on a bar maps outside 0…w−1 × 0…h−1, where no widget or field
        is, so a click there does nothing and a drag that leaves the picture ends
        off it, as it would at a window's edge.
        """
        x, y, w, h = self.rect
        if w <= 0 or h <= 0:
            return (-1, -1)  # a minimised window shows no canvas
        cw, ch = self.canvas
        return (math.floor((pos[0] - x) * cw / w), math.floor((pos[1] - y) * ch / h))

    def to_window(self, pos: tuple[int, int]) -> tuple[int, int]:
        """A window pixel showing canvas pixel `pos`.

        Enlarged, it is the first window pixel inside that canvas pixel, so
        to_canvas(to_window(p)) == p exactly. Shrunk, several canvas pixels share
        a window pixel, and it is the one holding the canvas pixel's centre.
        """
        x, y, w, h = self.rect
        cw, ch = self.canvas
        if self.shrinking:
            return (x + math.floor((pos[0] + 0.5) * w / cw), y + math.floor((pos[1] + 0.5) * h / ch))
        return (x + math.ceil(pos[0] * w / cw), y + math.ceil(pos[1] * h / ch))

    def motion_to_canvas(self, rel: tuple[float, float]) -> tuple[int, int]:
        """A pointer movement in window pixels, in canvas pixels (rounded)."""
        if self.rect[2] <= 0 or self.rect[3] <= 0:
            return (0, 0)
        return (round(rel[0] * self.canvas[0] / self.rect[2]),
                round(rel[1] * self.canvas[1] / self.rect[3]))


def fit(canvas: tuple[int, int], window: tuple[int, int]) -> Letterbox:
    """The letterbox for drawing `canvas` into `window`: the largest scale that fits, centred."""
    cw, ch = canvas
    ww, wh = max(int(window[0]), 0), max(int(window[1]), 0)
    scale = min(ww / cw, wh / ch)
    # Round, then never exceed the window (floating point can give 1 pixel too many).
    w, h = min(round(cw * scale), ww), min(round(ch * scale), wh)
    if w <= 0 or h <= 0:
        return Letterbox(canvas, (ww, wh), (0, 0, 0, 0))
    return Letterbox(canvas, (ww, wh), ((ww - w) // 2, (wh - h) // 2, w, h))


def window_size_for(canvas: tuple[int, int], desktop: tuple[int, int] | None,
                    margin: tuple[int, int] = DESKTOP_MARGIN) -> tuple[int, int]:
    """The size of a new window: the canvas's own size if it fits on the desktop,
    otherwise the canvas shrunk (aspect kept) to fit the desktop less `margin`.

    Never larger than the canvas (a window is made bigger by the player or by
    fullscreen), never smaller than a quarter of it in either direction's scale
    (a nonsense desktop size of 0 must still give a usable window). `desktop`
    None (unknown) gives the canvas size.
    """
    if desktop is None:
        return canvas
    room = (desktop[0] - margin[0], desktop[1] - margin[1])
    scale = min(1.0, room[0] / canvas[0], room[1] / canvas[1])
    scale = max(scale, 0.25)
    return (round(canvas[0] * scale), round(canvas[1] * scale))
