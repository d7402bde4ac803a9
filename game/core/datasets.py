"""Seeded fruit generators on the [0,1]² field (x₁ sweetness, x₂ redness).

Every generator has the signature `make(count, noise, seed) -> (X, y)`:
X has shape (count, 2) and lies inside [0,1]², y has shape (count,) with labels
1 (strawberry) and 0 (lemon). `noise` is the standard deviation, in field
units, of a Gaussian wobble added to each fruit (0.05 is a gentle blur, 0.2 is
a mess); wobbled points are clipped back into the field. Labels are drawn
before the wobble, so noise can push a fruit across the ideal boundary, as in
a real orchard.

Each generator makes exactly ⌈count/2⌉ strawberries and ⌊count/2⌋ lemons,
strawberries first, so that a shuffled draw is balanced by construction.
The same (count, noise, seed) always gives the same arrays.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

STRAWBERRY = 1
LEMON = 0


def _split(count: int) -> tuple[int, int]:
    strawberries = count - count // 2
    return strawberries, count // 2


def _finish(strawberries: np.ndarray, lemons: np.ndarray, noise: float,
            rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    X = np.vstack([strawberries, lemons]).astype(np.float64)
    if noise > 0:
        X = X + rng.normal(0.0, noise, size=X.shape)
    X = np.clip(X, 0.0, 1.0)
    y = np.concatenate([np.full(len(strawberries), STRAWBERRY, dtype=np.float64),
                        np.full(len(lemons), LEMON, dtype=np.float64)])
    return X, y


def clusters(count: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Sweet red strawberries around (0.72, 0.72), sour pale lemons around (0.28, 0.28)."""
    rng = np.random.default_rng(seed)
    n_s, n_l = _split(count)
    spread = 0.09
    s = rng.normal((0.72, 0.72), spread, size=(n_s, 2))
    l = rng.normal((0.28, 0.28), spread, size=(n_l, 2))
    return _finish(s, l, noise, rng)


def xor(count: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Strawberries where exactly one of sweetness and redness is high (top-left, bottom-right)."""
    rng = np.random.default_rng(seed)
    n_s, n_l = _split(count)

    def quadrants(n: int, corners: list[tuple[float, float]]) -> np.ndarray:
        picks = rng.integers(0, 2, size=n)
        origin = np.array(corners, dtype=np.float64)[picks]
        # A margin of 0.05 around the midlines keeps the noiseless set separable.
        return origin + rng.uniform(0.05, 0.45, size=(n, 2))

    s = quadrants(n_s, [(0.0, 0.5), (0.5, 0.0)])
    l = quadrants(n_l, [(0.0, 0.0), (0.5, 0.5)])
    return _finish(s, l, noise, rng)


def ring(count: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Strawberries in a central disc (r < 0.18), lemons in a ring around it (0.3 < r < 0.45)."""
    rng = np.random.default_rng(seed)
    n_s, n_l = _split(count)

    def annulus(n: int, r_in: float, r_out: float) -> np.ndarray:
        # Uniform over the area, not the radius, so the disc is not crowded at its centre.
        r = np.sqrt(rng.uniform(r_in ** 2, r_out ** 2, size=n))
        angle = rng.uniform(0.0, 2.0 * np.pi, size=n)
        return 0.5 + np.column_stack([r * np.cos(angle), r * np.sin(angle)])

    return _finish(annulus(n_s, 0.0, 0.18), annulus(n_l, 0.30, 0.45), noise, rng)


def moons(count: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two interlocking half-moons: strawberries arch over the top, lemons cup underneath."""
    rng = np.random.default_rng(seed)
    n_s, n_l = _split(count)
    t_s = rng.uniform(0.0, np.pi, size=n_s)
    t_l = rng.uniform(0.0, np.pi, size=n_l)
    # The classic two-moons shape in [-1, 2] × [-0.5, 1], scaled into the field.
    s = np.column_stack([np.cos(t_s), np.sin(t_s)])
    l = np.column_stack([1.0 - np.cos(t_l), 0.5 - np.sin(t_l)])
    scale, shift = 0.3, np.array([0.35, 0.4])
    return _finish(s * scale + shift, l * scale + shift - np.array([0.0, 0.075]), noise, rng)


def stripes(count: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Four diagonal bands across the field, alternating strawberry and lemon."""
    rng = np.random.default_rng(seed)
    n_s, n_l = _split(count)
    bands = 4

    def in_bands(n: int, parity: int) -> np.ndarray:
        # Rejection sampling keeps the points uniform inside their own bands.
        chosen = np.empty((0, 2))
        while len(chosen) < n:
            P = rng.uniform(0.0, 1.0, size=(4 * n + 8, 2))
            band = np.floor((P[:, 0] + P[:, 1]) / 2.0 * bands).astype(int)
            chosen = np.vstack([chosen, P[band % 2 == parity]])
        return chosen[:n]

    return _finish(in_bands(n_s, 1), in_bands(n_l, 0), noise, rng)


def spiral(count: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spiral arms from the centre outward, one of each fruit."""
    rng = np.random.default_rng(seed)
    n_s, n_l = _split(count)

    def arm(n: int, phase: float) -> np.ndarray:
        t = np.sqrt(rng.uniform(0.0, 1.0, size=n))  # even density along the arm
        angle = 1.75 * 2.0 * np.pi * t + phase
        r = 0.05 + 0.4 * t
        return 0.5 + np.column_stack([r * np.cos(angle), r * np.sin(angle)])

    return _finish(arm(n_s, 0.0), arm(n_l, np.pi), noise, rng)


GENERATORS: dict[str, Callable[[int, float, int], tuple[np.ndarray, np.ndarray]]] = {
    "clusters": clusters,
    "xor": xor,
    "ring": ring,
    "moons": moons,
    "stripes": stripes,
    "spiral": spiral,
}


def generate(kind: str, count: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Run generator `kind` after checking its arguments; raises ValueError on bad input.

    Returns X (count, 2) in [0,1]² and y (count,) in {0, 1}.
    """
    if kind not in GENERATORS:
        raise ValueError(f"generator: expected one of {', '.join(GENERATORS)}, got {kind!r}")
    if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 2:
        raise ValueError(f"count: expected a whole number ≥ 2, got {count!r}")
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or not 0.0 <= noise <= 1.0:
        raise ValueError(f"noise: expected a number from 0 to 1, got {noise!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed: expected a whole number ≥ 0, got {seed!r}")
    return GENERATORS[kind](int(count), float(noise), int(seed))
