"""A fixed-capacity pool of pulses travelling along network edges.

The pool is a set of numpy arrays (edge, progress t, speed, strength, backward,
alive). `update` advances every pulse in one vectorised step into preallocated
buffers: no per-frame allocation and no list removal. A pulse with t < 0 waits
(so layers can fire one after another); at t ≥ 1 it dies and its slot is free.
When the pool is full, new pulses are dropped.
"""

from __future__ import annotations

import numpy as np
import pygame

from game.view import theme

GLOW_LEVELS = 8


def _glow_sprite(colour: tuple[int, int, int], radius: int, peak: int) -> pygame.Surface:
    """A soft dot, premultiplied on black: drawn with BLEND_ADD, black adds nothing."""
    size = radius * 2 + 1
    sprite = pygame.Surface((size, size))
    sprite.fill((0, 0, 0))
    for r in range(radius, 0, -1):
        fade = (peak / 255) * (1 - r / (radius + 1)) ** 1.6
        pygame.draw.circle(sprite, tuple(int(c * fade) for c in colour), (radius, radius), r)
    return sprite


class ParticlePool:
    """Up to `capacity` pulses; strengths are quantised into GLOW_LEVELS sprites."""

    def __init__(self, capacity: int = 2048) -> None:
        self.capacity = capacity
        self.edge = np.zeros(capacity, dtype=np.int32)
        self.t = np.zeros(capacity)
        self.speed = np.zeros(capacity)
        self.strength = np.zeros(capacity)
        self.backward = np.zeros(capacity, dtype=bool)
        self.alive = np.zeros(capacity, dtype=bool)
        self._step = np.zeros(capacity)  # scratch for speed·dt
        self._still_going = np.zeros(capacity, dtype=bool)  # scratch for t < 1
        self.dropped = 0
        self._sprites = {
            False: [_glow_sprite(theme.FORWARD_PALE, 4 + k, 120 + 16 * k) for k in range(GLOW_LEVELS)],
            True: [_glow_sprite(theme.ERROR_RED, 4 + 2 * k, 140 + 15 * k) for k in range(GLOW_LEVELS)],
        }
        self._flat = self._sprites[False] + self._sprites[True]
        self._half = np.array([sprite.get_width() // 2 for sprite in self._flat], dtype=np.float64)

    @property
    def live_count(self) -> int:
        return int(np.count_nonzero(self.alive))

    def spawn(self, edges: np.ndarray, strength: np.ndarray, start_t: np.ndarray,
              speed: float, backward: bool) -> int:
        """Add pulses (one per entry of the equal-length arrays); returns how many fit."""
        free = np.flatnonzero(~self.alive)
        n = min(len(free), len(edges))
        self.dropped += len(edges) - n
        slots = free[:n]
        self.edge[slots] = edges[:n]
        self.strength[slots] = np.clip(strength[:n], 0.0, 1.0)
        self.t[slots] = start_t[:n]
        self.speed[slots] = speed
        self.backward[slots] = backward
        self.alive[slots] = True
        return n

    def clear(self) -> None:
        self.alive[:] = False

    def update(self, dt: float) -> None:
        """Advance every live pulse by speed·dt; pulses past the end die."""
        np.multiply(self.speed, dt, out=self._step)
        np.add(self.t, self._step, out=self.t, where=self.alive)
        np.less(self.t, 1.0, out=self._still_going)
        np.logical_and(self.alive, self._still_going, out=self.alive)

    def draw(self, surface: pygame.Surface, edge_start: np.ndarray, edge_end: np.ndarray) -> None:
        """Blit a glow sprite at each visible pulse (additive, so pulses brighten edges)."""
        visible = np.flatnonzero(self.alive & (self.t >= 0.0))
        if not len(visible):
            return
        edges = self.edge[visible]
        t = self.t[visible]
        back = self.backward[visible]
        # Forward pulses run start → end (input side to output side); backward ones return.
        along = np.where(back, 1.0 - t, t)[:, None]
        pos = edge_start[edges] + (edge_end[edges] - edge_start[edges]) * along
        level = np.minimum((self.strength[visible] * GLOW_LEVELS).astype(np.intp), GLOW_LEVELS - 1)
        kind = level + back * GLOW_LEVELS  # index into the flat sprite list
        corner = (pos - self._half[kind][:, None]).tolist()
        surface.fblits(list(zip(map(self._flat.__getitem__, kind.tolist()), corner)),
                       pygame.BLEND_ADD)


def spawn_forward(pool: ParticlePool, layout, seconds: float) -> None:
    """One pale pulse per edge, layer after layer, across a forward phase of `seconds`."""
    layers = layout.edge_layer
    depth = len(layout.layer_sizes) - 1
    pool.spawn(np.arange(len(layers)), np.full(len(layers), 0.55), -layers.astype(np.float64),
               depth / seconds, backward=False)


def spawn_backward(pool: ParticlePool, layout, magnitude: np.ndarray, seconds: float) -> None:
    """Red pulses from the output back to the inputs, as strong as `magnitude` per edge.

    magnitude (E,) is |∂L/∂w| for a step, or |Δw| for a ×N summary; the strongest
    edge gets full strength and the rest scale by the square root, so small but
    real gradients still show.
    """
    layers = layout.edge_layer
    depth = len(layout.layer_sizes) - 1
    peak = magnitude.max() if len(magnitude) and magnitude.max() > 0 else 1.0
    strength = 0.12 + 0.88 * np.sqrt(magnitude / peak)
    wait = (depth - 1 - layers).astype(np.float64)
    edges = np.arange(len(layers))
    for trail in (0.0, 0.18, 0.36):  # a short comet tail per edge
        pool.spawn(edges, strength * (1 - trail), -wait - trail, depth / seconds, backward=True)
