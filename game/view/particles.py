"""A fixed-capacity pool of pulses travelling along network edges.

The pool is a set of numpy arrays (edge, progress t, speed, strength, backward,
alive). `update` advances every pulse in one vectorised step into preallocated
buffers: no per-frame allocation and no list removal. A pulse with t < 0 waits
(so layers can fire one after another); at t ≥ 1 it dies and its slot is free.
When the pool is full, new pulses are dropped.

Backward pulses read on one fixed scale, the same for every step: brightness
and the number of pulses per edge follow |∂L/∂w| on a log scale from
PULSE_FAINT (faintest, one pulse) to PULSE_BRIGHT (brightest, PULSE_MOST
pulses), clamped outside, and an edge whose gradient is exactly 0 gets no pulse.
The explanation pages quote these constants.

The pulses take their colours from the palette in use (red error in the
default one); the glow sprites are rebuilt when it changes.
"""

from __future__ import annotations

import numpy as np
import pygame

from game.view import palette, theme

GLOW_LEVELS = 8
PULSE_FAINT = 1e-3  # |∂L/∂w| shown as the faintest pulse (smaller non-zero ones too)
PULSE_BRIGHT = 1e-1  # |∂L/∂w| shown as the brightest pulses (larger ones too)
PULSE_MOST = 4  # pulses on an edge at PULSE_BRIGHT; one at PULSE_FAINT; none at exactly 0
PULSE_SPACING = 0.2  # gap between an edge's pulses, in edge lengths


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
        self._generation: int | None = None  # the palette generation the sprites are in
        self.sprites(True)

    def sprites(self, backward: bool) -> list[pygame.Surface]:
        """The GLOW_LEVELS sprites of forward or backward pulses, faint to bright, in the
        palette in use (rebuilt here when it has changed)."""
        if self._generation != palette.generation():
            colours = palette.current()
            self._sprites = {
                False: [_glow_sprite(colours.forward, 4 + k, 120 + 16 * k) for k in range(GLOW_LEVELS)],
                # Backward pulses span faint and small to bright and large: their strength
                # is read against the legend, so the ends must look clearly different.
                True: [_glow_sprite(colours.error, 4 + 2 * k, 110 + 145 * k // (GLOW_LEVELS - 1))
                       for k in range(GLOW_LEVELS)],
            }
            self._flat = self._sprites[False] + self._sprites[True]
            self._half = np.array([s.get_width() // 2 for s in self._flat], dtype=np.float64)
            self._generation = palette.generation()
        return self._sprites[backward]

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
        self.sprites(True)  # in the palette in use
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


def pulse_strength(magnitude: np.ndarray) -> np.ndarray:
    """(E,) |∂L/∂w| → (E,) strength in [0, 1] on the fixed log scale.

    PULSE_FAINT and below → 0, PULSE_BRIGHT and above → 1, a decade in between
    moves the strength by the same amount wherever it is. Non-finite values
    (a diverged step) count as bright.
    """
    m = np.nan_to_num(np.abs(np.asarray(magnitude, dtype=np.float64)), nan=np.inf)
    low, high = np.log10(PULSE_FAINT), np.log10(PULSE_BRIGHT)
    with np.errstate(divide="ignore"):  # log10(0) = −inf clamps to 0 below
        return np.clip((np.log10(m) - low) / (high - low), 0.0, 1.0)


def pulse_count(magnitude: np.ndarray) -> np.ndarray:
    """(E,) |∂L/∂w| → (E,) pulses per edge: 0 at exactly 0, else 1 … PULSE_MOST."""
    m = np.nan_to_num(np.abs(np.asarray(magnitude, dtype=np.float64)), nan=np.inf)
    count = 1 + np.rint(pulse_strength(m) * (PULSE_MOST - 1)).astype(np.intp)
    return np.where(m > 0, count, 0)


def spawn_backward(pool: ParticlePool, layout, magnitude: np.ndarray, seconds: float) -> None:
    """Error pulses from the output back to the inputs, on the fixed scale of `magnitude`.

    magnitude (E,) is |∂L/∂w| for a step, or |Δw| for a ×N summary. Each edge
    gets `pulse_count` pulses, one after another, all of `pulse_strength`; an
    edge at exactly 0 gets none. The last pulse arrives as the phase ends, so
    the update phase that follows has the network to itself.
    """
    layers = layout.edge_layer
    depth = len(layout.layer_sizes) - 1
    strength, count = pulse_strength(magnitude), pulse_count(magnitude)
    wait = (depth - 1 - layers).astype(np.float64)
    speed = (depth + (PULSE_MOST - 1) * PULSE_SPACING) / (0.95 * seconds)
    for k in range(PULSE_MOST):
        edges = np.flatnonzero(count > k)
        pool.spawn(edges, strength[edges], -wait[edges] - k * PULSE_SPACING, speed, backward=True)


def draw_pulse_legend(surface: pygame.Surface, pool: ParticlePool, midleft: tuple[int, int],
                      quantity: str, width: int) -> None:
    """One line, at most `width` px, reading the backward scale with the very sprites
    drawn on the edges: faint at PULSE_FAINT, bright at PULSE_BRIGHT, none at 0.
    The middle mark (√(faint·bright)) is left out where the line would not fit."""
    x, y = midleft
    words = theme.text(f"{quantity} (log scale):", 12, theme.TEXT_DIM)
    none = theme.text("· none at 0", 12, theme.TEXT_DIM)
    marks = [(0.0, f"{PULSE_FAINT:g}"), (0.5, f"{np.sqrt(PULSE_FAINT * PULSE_BRIGHT):g}"),
             (1.0, f"≥ {PULSE_BRIGHT:g}")]
    items = [(pool.sprites(True)[min(int(s * GLOW_LEVELS), GLOW_LEVELS - 1)],
              theme.text(value, 12, theme.TEXT)) for s, value in marks]

    def advance(sprite, label) -> int:
        # The glow's rim is nearly black: neighbours may overlap it.
        return 2 * (int(sprite.get_width() * 0.3) + 2) + label.get_width() + 4

    if words.get_width() + 8 + sum(advance(*item) for item in items) + none.get_width() > width:
        del items[1]
    surface.blit(words, words.get_rect(midleft=(x, y)))
    x += words.get_width() + 4
    for sprite, label in items:
        x += int(sprite.get_width() * 0.3) + 2
        surface.blit(sprite, sprite.get_rect(center=(x, y)), special_flags=pygame.BLEND_ADD)
        x += int(sprite.get_width() * 0.3) + 2
        surface.blit(label, label.get_rect(midleft=(x, y)))
        x += label.get_width() + 4
    surface.blit(none, none.get_rect(midleft=(x + 4, y)))
