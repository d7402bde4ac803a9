"""Small pictures of what each hidden neuron computes over the field, and the large one on hover.

The grids come from the core (`game.core.neuron_grids.hidden_grids`), one cell
per thumbnail pixel; this module only colours them. Brightness is the neuron's
activation on its activation's own scale: σ from 0 (dark) to 1 (bright), tanh
from −1 to 1, and relu from 0 to the neuron's largest value on the field (relu
has no top of its own). A hidden neuron's disc is filled on the same scale, so
the disc's shade is the thumbnail's shade where the current fruit sits.

All thumbnails of a network are coloured into one atlas surface per refresh,
and the previous atlas is kept so the pictures can morph with the heatmap.
"""

from __future__ import annotations

import numpy as np
import pygame

from game.view import theme

DARK, BRIGHT = 40, 235  # the grey of the lowest and the highest activation
ENLARGED_PX = 120
FRAME = (200, 206, 225)
SCALE_WORDS = {"sigmoid": ("σ", "0", "1"), "tanh": ("tanh", "−1", "1")}


def activation_range(activation: str, grids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(low, high) per neuron, each (h,): what maps to dark and to bright.

    grids (h, n, n). σ: 0…1; tanh: −1…1; relu: 0…that neuron's largest value on
    the grid (1 for a neuron that is 0 everywhere, so it is simply dark).
    """
    h = len(grids)
    if activation == "sigmoid":
        return np.zeros(h), np.ones(h)
    if activation == "tanh":
        return np.full(h, -1.0), np.ones(h)
    top = np.nan_to_num(grids.reshape(h, -1).max(axis=1, initial=0.0), posinf=1e300)
    return np.zeros(h), np.where(top > 0, top, 1.0)


def grey_level(values: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Grey levels (uint8) of `values` (h, …) on per-neuron ranges low, high (h,)."""
    shape = (-1,) + (1,) * (values.ndim - 1)
    t = (values - low.reshape(shape)) / (high - low).reshape(shape)
    t = np.clip(np.nan_to_num(t, nan=0.0), 0.0, 1.0)
    return (DARK + (BRIGHT - DARK) * t + 0.5).astype(np.uint8)


class ThumbnailSheet:
    """The coloured thumbnails of the current (and previous) network."""

    def __init__(self) -> None:
        self.atlas: pygame.Surface | None = None
        self.previous: pygame.Surface | None = None
        self.side = 0
        self.activation = "sigmoid"
        self.ranges: list[tuple[np.ndarray, np.ndarray]] = []  # per hidden layer (low, high)
        self.tops: list[np.ndarray] = []  # per hidden layer, each neuron's largest value
        self._shape: list[tuple[int, ...]] | None = None
        self._previous_ranges: list[tuple[np.ndarray, np.ndarray]] = []
        self._fill_ranges: list[tuple[np.ndarray, np.ndarray]] = []  # the scale `fill` uses
        self._offsets: list[int] = []  # per hidden layer: the atlas slot of its neuron 0
        self._big: dict[tuple[int, int], pygame.Surface] = {}

    def set_grids(self, grids: list[np.ndarray], activation: str) -> None:
        """New pictures from per-hidden-layer grids (h_l, s, s); the old ones are kept."""
        shape = [g.shape for g in grids]
        self.previous = self.atlas if shape == self._shape else None
        self._previous_ranges = self.ranges if shape == self._shape else []
        self._shape = shape
        self.activation = activation
        self._big = {}
        if not grids:
            self.atlas, self.ranges, self.tops, self._offsets = None, [], [], []
            return
        self.side = grids[0].shape[1]
        self.ranges = [activation_range(activation, g) for g in grids]
        self.tops = [g.reshape(len(g), -1).max(axis=1) for g in grids]  # for relu's caption
        levels = np.concatenate([grey_level(g, *r) for g, r in zip(grids, self.ranges)])
        self._offsets = list(np.cumsum([0] + [len(g) for g in grids[:-1]]))
        # surfarray wants [x, y]: neurons side by side along x, each as (column, row).
        strip = levels.transpose(0, 2, 1).reshape(-1, self.side)
        image = pygame.surfarray.make_surface(np.repeat(strip[:, :, None], 3, axis=2))
        self.atlas = image.convert() if pygame.display.get_surface() is not None else image

    def area(self, layer: int, k: int) -> pygame.Rect:
        """The atlas area of neuron k of neuron layer `layer` (1 = first hidden)."""
        return pygame.Rect((self._offsets[layer - 1] + k) * self.side, 0, self.side, self.side)

    def fill(self, layer: int, k: int, value: float) -> tuple[int, int, int] | None:
        """The disc colour of hidden neuron (layer, k) at activation `value` (None: no scale)."""
        ranges = self._fill_ranges or self.ranges
        if layer - 1 >= len(ranges) or k >= len(ranges[layer - 1][0]):
            return None
        low, high = ranges[layer - 1]
        grey = int(grey_level(np.array([value]), low[k:k + 1], high[k:k + 1])[0])
        return grey, grey, grey

    def draw(self, surface: pygame.Surface, rects: list[list[pygame.Rect]], morph: float,
             sample: np.ndarray | None = None) -> None:
        """Every thumbnail into its rect (per neuron layer, hidden ones filled), framed.

        morph < 1 shows the previous network's pictures fading into the new ones.
        sample (2,), the current fruit, is dotted on each: the disc's shade is the
        picture's shade there. While the step is shown (morph < 1) the discs hold the
        previous network's activations, so `fill` uses the previous scale (it differs
        for relu, whose top is each neuron's own).
        """
        self._fill_ranges = self._previous_ranges if morph < 1.0 else self.ranges
        if self.atlas is None or not self._fits(rects):
            return
        blits = [(layer, k, rect) for layer, row in enumerate(rects) for k, rect in enumerate(row)]
        fading = self.previous is not None and morph < 1.0
        if fading:
            surface.blits([(self.previous, r.topleft, self.area(l, k)) for l, k, r in blits],
                          doreturn=False)
            self.atlas.set_alpha(int(255 * morph))
        surface.blits([(self.atlas, r.topleft, self.area(l, k)) for l, k, r in blits],
                      doreturn=False)
        self.atlas.set_alpha(None)
        for _, _, rect in blits:
            pygame.draw.rect(surface, FRAME, rect.inflate(2, 2), width=1)
            if sample is not None:
                dot = (rect.x + float(sample[0]) * rect.w, rect.bottom - float(sample[1]) * rect.h)
                pygame.draw.circle(surface, (0, 0, 0), dot, 3)
                pygame.draw.circle(surface, theme.ACCENT, dot, 2)

    def _fits(self, rects: list[list[pygame.Rect]]) -> bool:
        """The layout's thumbnails are the size and count the atlas was made for."""
        sizes = [len(row) for row in rects[1:-1]]
        return sizes == [s[0] for s in self._shape] and all(
            r.w == self.side for row in rects for r in row)

    def draw_enlarged(self, surface: pygame.Surface, layer: int, k: int, name: str,
                      anchor: pygame.Rect, bounds: pygame.Rect,
                      sample: np.ndarray | None, value: float | None) -> pygame.Rect | None:
        """Neuron (layer, k)'s picture at ENLARGED_PX with axes, scale and the current
        fruit marked, in a card beside `anchor`, kept inside `bounds`; returns the
        picture's rect (None when there is nothing to show)."""
        if self.atlas is None or layer - 1 >= len(self.ranges):
            return None
        card = pygame.Rect(0, 0, ENLARGED_PX + 48, ENLARGED_PX + 84)
        card.midleft = (anchor.right + 10, anchor.centery)
        if card.right > bounds.right - 4:
            card.midright = (anchor.x - 10, anchor.centery)
        card.clamp_ip(bounds.inflate(-8, -8))
        pygame.draw.rect(surface, (20, 22, 30), card, border_radius=8)
        pygame.draw.rect(surface, theme.HIGHLIGHT, card, width=1, border_radius=8)
        title = theme.text(f"{name} over the field", 13, theme.TEXT, "bold")
        surface.blit(title, (card.x + 10, card.y + 6))
        image = pygame.Rect(card.x + 30, card.y + 26, ENLARGED_PX, ENLARGED_PX)
        surface.blit(self._enlarged(layer, k), image)
        pygame.draw.rect(surface, FRAME, image.inflate(2, 2), width=1)
        self._axes(surface, image)
        self._scale(surface, layer, k, (card.x + 10, image.bottom + 18))
        if sample is not None:
            self._mark(surface, image, sample, value, (card.x + 10, image.bottom + 34))
        return image

    def _enlarged(self, layer: int, k: int) -> pygame.Surface:
        if (layer, k) not in self._big:
            small = self.atlas.subsurface(self.area(layer, k))
            self._big[(layer, k)] = pygame.transform.smoothscale(small, (ENLARGED_PX, ENLARGED_PX))
        return self._big[(layer, k)]

    @staticmethod
    def _axes(surface: pygame.Surface, image: pygame.Rect) -> None:
        across = theme.text("sweetness →", 11, theme.TEXT_DIM)
        surface.blit(across, across.get_rect(topright=(image.right, image.bottom + 3)))
        up = pygame.transform.rotate(theme.text("redness →", 11, theme.TEXT_DIM), 90)
        surface.blit(up, up.get_rect(bottomright=(image.x - 4, image.bottom)))

    @staticmethod
    def _mark(surface: pygame.Surface, image: pygame.Rect, sample: np.ndarray,
              value: float | None, topleft: tuple[int, int]) -> None:
        """Ring the current fruit's place: the neuron's value there is the disc's."""
        x = image.x + float(sample[0]) * image.w
        y = image.bottom - float(sample[1]) * image.h
        pygame.draw.circle(surface, (0, 0, 0), (x, y), 6, width=3)
        pygame.draw.circle(surface, theme.ACCENT, (x, y), 5, width=2)
        if value is not None:
            words = theme.text(f"○ this fruit: {value:.2f}".replace("-", "−"), 11, theme.ACCENT)
            surface.blit(words, topleft)

    def _scale(self, surface: pygame.Surface, layer: int, k: int, topleft: tuple[int, int]) -> None:
        if self.activation in SCALE_WORDS:
            symbol, low, high = SCALE_WORDS[self.activation]
            words = f"{symbol}: dark {low} … bright {high}"
        elif self.tops[layer - 1][k] > 0:
            words = f"relu: dark 0 … bright {self.tops[layer - 1][k]:.3g} (its top)"
        else:
            words = "relu: 0 everywhere here"
        surface.blit(theme.text(words, 11, theme.TEXT_DIM), topleft)
