"""The fruit field: decision-boundary heatmap, the 0.5 contour, orchard and fruit.

Field coordinates are (x₁ sweetness, x₂ redness) in [0,1]²; sweetness grows to the
right and redness upward, as the axes say. The heatmap comes from the core's
`predict_grid`, whose row 0 is the top, so it maps straight onto the screen.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import pygame

from game.resources import assets_dir
from game.view import palette, theme

HEATMAP_CELLS = 100
FRUIT_PX = 26
FOG_RADIUS = 0.14  # in field units: how far the player's fruit lights up a fogged orchard


# The default palette's ŷ → colour map (tests compare heatmap pixels with it); the
# heatmap itself is drawn in the palette in use.
_RAMP = palette.colour_ramp(palette.PALETTES["default"])

# Every heatmap made here that something still holds (a scene's current and previous
# one, the title's backdrop), with the ramp indices (rows, cols) uint8 it shows: a
# palette change repaints them in place, so they need no new predict_grid.
_LIVE_HEATMAPS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _coloured(index: np.ndarray, size: tuple[int, int]) -> pygame.Surface:
    """Ramp indices (rows, cols) in the current palette, smoothly scaled to `size`."""
    rgb = palette.colour_ramp(palette.current())[index]  # (rows, cols, 3)
    small = pygame.surfarray.make_surface(np.ascontiguousarray(rgb.transpose(1, 0, 2)))
    return pygame.transform.smoothscale(small, size)


def _repaint_live_heatmaps() -> None:
    """Repaint every held heatmap in the palette just chosen."""
    for image, index in list(_LIVE_HEATMAPS.items()):
        image.blit(_coloured(index, image.get_size()), (0, 0))


palette.on_change(_repaint_live_heatmaps)


def lit_by_fruit(orchard: np.ndarray, fruit: np.ndarray, radius: float,
                 chunk: int = 256) -> np.ndarray:
    """(M,) bool: which orchard points (M, 2) lie within `radius` of any fruit (N, 2).

    Works through the fruit `chunk` at a time, so memory stays O(M·chunk) however
    large the level's orchard and fruit are.
    """
    lit = np.zeros(len(orchard), dtype=bool)
    for start in range(0, len(fruit), chunk):
        block = fruit[start:start + chunk]
        squared = ((orchard[:, None, :] - block[None, :, :]) ** 2).sum(axis=2)  # (M, chunk)
        lit |= (squared < radius * radius).any(axis=1)
    return lit


def load_sprite(name: str, size: int, alpha: int = 255) -> pygame.Surface:
    """A fruit sprite from assets/sprites, scaled to size×size px."""
    image = pygame.image.load(str(assets_dir() / "sprites" / f"{name}.png"))
    if pygame.display.get_surface() is not None:
        image = image.convert_alpha()
    image = pygame.transform.smoothscale(image, (size, size))
    if alpha < 255:
        image.set_alpha(alpha)
    return image


@dataclass
class FieldContent:
    """What the field shows this frame; every array is read, never changed."""

    heatmap: pygame.Surface | None
    previous_heatmap: pygame.Surface | None  # faded out while the boundary morphs
    morph: float  # 0 → previous only, 1 → heatmap only
    contour: np.ndarray  # (K, 2) screen points on the ŷ = ½ line
    orchard_X: np.ndarray  # (M, 2): the fruit the field shows, the orchard or the level's
    orchard_y: np.ndarray  # (M,)    [shown] fruit when it judges on others
    visibility: str
    training_X: np.ndarray  # (N, 2): the given fruit first, then the player's
    training_y: np.ndarray  # (N,)
    given_count: int
    ringed: int | None  # training-set row to ring
    ring_colour: tuple[int, int, int] = theme.ACCENT


class FieldView:
    """Draws the field inside `rect` and converts between screen and field points."""

    def __init__(self, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        self.sprites = {1: load_sprite("strawberry", FRUIT_PX), 0: load_sprite("lemon", FRUIT_PX)}
        self.ghosts = {1: load_sprite("strawberry", 14, 110), 0: load_sprite("lemon", 14, 110)}
        self.given_sprites = {1: load_sprite("strawberry", FRUIT_PX - 4),
                              0: load_sprite("lemon", FRUIT_PX - 4)}
        self.small_sprites = {1: load_sprite("strawberry", 16), 0: load_sprite("lemon", 16)}
        plate = FRUIT_PX - 4 + 4
        self._plate = pygame.Surface((plate, plate), pygame.SRCALPHA)
        pygame.draw.circle(self._plate, (235, 235, 245), (plate / 2, plate / 2), plate / 2, width=2)
        self._morph = pygame.Surface(self.rect.size)
        if pygame.display.get_surface() is not None:
            self._morph = self._morph.convert()
        self._fruit_key: tuple | None = None
        self._fruit_cache: list = []
        self._dot = pygame.Surface((4, 4), pygame.SRCALPHA)
        pygame.draw.circle(self._dot, (255, 255, 255, 235), (2, 2), 2)

    # ------------------------------------------------------------ geometry
    def to_screen(self, X: np.ndarray) -> np.ndarray:
        """(N, 2) field points → (N, 2) screen pixels."""
        X = np.asarray(X, dtype=np.float64).reshape(-1, 2)
        px = self.rect.x + X[:, 0] * self.rect.w
        py = self.rect.bottom - X[:, 1] * self.rect.h
        return np.column_stack([px, py])

    def to_field(self, pos: tuple[int, int]) -> tuple[float, float] | None:
        """A screen pixel → (x₁, x₂), or None outside the field."""
        if not self.rect.collidepoint(pos):
            return None
        x1 = (pos[0] - self.rect.x + 0.5) / self.rect.w
        x2 = (self.rect.bottom - pos[1] - 0.5) / self.rect.h
        return min(max(x1, 0.0), 1.0), min(max(x2, 0.0), 1.0)

    # -------------------------------------------------------- derived art
    def heatmap_surface(self, grid: np.ndarray) -> pygame.Surface:
        """The (n, n) prediction grid as a field-sized, smoothly scaled surface, in the
        palette in use (and repainted in place if the palette changes while it is held)."""
        index = np.clip((grid * 255.0 + 0.5).astype(np.intp), 0, 255).astype(np.uint8)
        image = _coloured(index, self.rect.size)
        if pygame.display.get_surface() is not None:
            image = image.convert()
        _LIVE_HEATMAPS[image] = index
        return image

    def contour_points(self, grid: np.ndarray) -> np.ndarray:
        """Screen points where ŷ crosses ½, interpolated along grid rows and columns."""
        n = grid.shape[0]
        d = grid - 0.5
        points = []
        # Crossings between horizontal neighbours, then between vertical ones.
        for a, b, axis in ((d[:, :-1], d[:, 1:], 1), (d[:-1, :], d[1:, :], 0)):
            rows, cols = np.nonzero((a > 0) != (b > 0))
            frac = a[rows, cols] / (a[rows, cols] - b[rows, cols])
            c = cols + 0.5 + (frac if axis == 1 else 0.0)
            r = rows + 0.5 + (frac if axis == 0 else 0.0)
            points.append(np.column_stack([self.rect.x + c / n * self.rect.w,
                                           self.rect.y + r / n * self.rect.h]))
        return np.concatenate(points) if points else np.empty((0, 2))

    # --------------------------------------------------------------- draw
    def draw(self, surface: pygame.Surface, content: FieldContent) -> None:
        """Heatmap, contour, orchard, fruit, ring, frame and axes."""
        if content.heatmap is None:
            pygame.draw.rect(surface, (50, 52, 64), self.rect)
        if content.previous_heatmap is not None and content.morph < 1.0:
            surface.blit(content.previous_heatmap, self.rect)
            if content.heatmap is not None:
                # Fade in through a private copy: drawing never changes the scene's surfaces.
                self._morph.blit(content.heatmap, (0, 0))
                self._morph.set_alpha(int(255 * content.morph))
                surface.blit(self._morph, self.rect)
        elif content.heatmap is not None:
            surface.blit(content.heatmap, self.rect)
        if len(content.contour):
            surface.fblits([(self._dot, (x - 2, y - 2)) for x, y in content.contour])
        surface.fblits(self._fruit_blits(content))
        self._draw_ring(surface, content)
        pygame.draw.rect(surface, theme.PANEL_EDGE, self.rect, width=2)
        self._draw_axes(surface)

    def _fruit_blits(self, content: FieldContent) -> list:
        """Orchard, given and player fruit as one blit list, rebuilt only when they change.

        The cache holds the very arrays it was built from: the attempt makes new
        arrays whenever fruit are added or removed, so `is` tells when to rebuild.
        """
        key = (content.training_X, content.orchard_X, content.visibility)
        if self._fruit_key is None or any(a is not b for a, b in zip(key, self._fruit_key)):
            X, y, g = content.training_X, content.training_y, content.given_count
            many = g > 24  # a whole dataset given: small fruit, no plates
            self._fruit_cache = (self._orchard_blits(content)
                                 + self._sprite_blits(X[:g], y[:g], self.small_sprites if many
                                                      else self.given_sprites, plates=not many)
                                 + self._sprite_blits(X[g:], y[g:], self.sprites))
            self._fruit_key = key
        return self._fruit_cache

    def _orchard_blits(self, content: FieldContent) -> list:
        if content.visibility == "hidden" or not len(content.orchard_X):
            return []
        X, y = content.orchard_X, content.orchard_y
        if content.visibility == "fog":
            if not len(content.training_X):
                return []
            lit = lit_by_fruit(X, content.training_X, FOG_RADIUS)
            X, y = X[lit], y[lit]
        return self._sprite_blits(X, y, self.ghosts)

    def _sprite_blits(self, X, y, sprites, plates: bool = False) -> list:
        if not len(X):
            return []
        half = sprites[1].get_width() / 2
        corners = (self.to_screen(X) - half).tolist()
        blits = []
        if plates:
            # Given fruit sit on a small plate, so players can tell them from their own.
            blits = [(self._plate, (px - 2, py - 2)) for px, py in corners]
        return blits + [(sprites[int(label)], (px, py)) for (px, py), label in zip(corners, y.tolist())]

    def _draw_ring(self, surface: pygame.Surface, content: FieldContent) -> None:
        if content.ringed is None:
            return
        if content.ringed >= len(content.training_X):
            return
        px, py = self.to_screen(content.training_X[content.ringed])[0]
        pygame.draw.circle(surface, (0, 0, 0), (px, py), FRUIT_PX * 0.75 + 1, width=5)
        pygame.draw.circle(surface, content.ring_colour, (px, py), FRUIT_PX * 0.75, width=3)

    def draw_hint(self, surface: pygame.Surface) -> None:
        """How to place and remove fruit, under the field."""
        hint = theme.text("Left click: strawberry · Right: lemon · On a fruit: remove · "
                          "Ctrl+Z: undo · F1: keys", 11, theme.TEXT_DIM)
        surface.blit(hint, hint.get_rect(midtop=(self.rect.centerx - 10, self.rect.bottom + 20)))

    def _draw_axes(self, surface: pygame.Surface) -> None:
        r = self.rect
        label = theme.text("sweetness →", 14, theme.TEXT_DIM)
        surface.blit(label, label.get_rect(topright=(r.right - 14, r.bottom + 3)))
        up = theme.text("redness ↑", 14, theme.TEXT_DIM)
        surface.blit(up, up.get_rect(bottomleft=(r.x, r.y - 4)))
        for value, text in ((0.0, "0"), (1.0, "1")):
            tick = theme.text(text, 11, theme.TEXT_DIM)
            surface.blit(tick, tick.get_rect(midtop=(r.x + value * r.w, r.bottom + 3)))
            surface.blit(tick, tick.get_rect(midright=(r.x - 4, r.bottom - value * r.h)))
