"""The activation functions, in one table: name → f, f′, output range, how formulas print them.

Everything that depends on which activation a layer uses (the step kernel, the
heatmap, initial weights, the step log, menus and level validation) looks it
up here instead of branching on the name.

The `*_into` functions write into a preallocated `out` array of z's shape and
return it. The step kernel passes `one`, `floor` and `zero` as preallocated
arrays: numpy handles array operands faster than Python floats, and the
values, hence the results, are the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

# exp(500) is far below float64's overflow at exp(709.8); below z = −500, σ is
# under 1e-217, so the floor changes nothing a player or a test could see.
SIGMOID_FLOOR = -500.0


def sigmoid_into(z: np.ndarray, out: np.ndarray, one=1.0, floor=SIGMOID_FLOOR,
                 zero=0.0) -> np.ndarray:
    """out ← σ(z) = 1/(1 + e^(−z)), any shape; cannot overflow, even at |z| = 1000."""
    np.maximum(z, floor, out=out)
    np.negative(out, out=out)
    np.exp(out, out=out)
    np.add(out, one, out=out)
    return np.divide(one, out, out=out)


def tanh_into(z, out, one=1.0, floor=SIGMOID_FLOOR, zero=0.0) -> np.ndarray:
    """out ← tanh(z)."""
    return np.tanh(z, out=out)


def relu_into(z, out, one=1.0, floor=SIGMOID_FLOOR, zero=0.0) -> np.ndarray:
    """out ← max(z, 0)."""
    return np.maximum(z, zero, out=out)


def sigmoid_derivative_into(z, a, out, one=1.0, zero=0.0) -> np.ndarray:
    """out ← σ′(z) = a(1 − a), from a = σ(z)."""
    np.subtract(one, a, out=out)
    return np.multiply(a, out, out=out)


def tanh_derivative_into(z, a, out, one=1.0, zero=0.0) -> np.ndarray:
    """out ← tanh′(z) = 1 − a², from a = tanh(z)."""
    np.multiply(a, a, out=out)
    return np.subtract(one, out, out=out)


def relu_derivative_into(z, a, out, one=1.0, zero=0.0) -> np.ndarray:
    """out ← relu′(z) = 1 where z > 0, else 0 (0 at the kink itself)."""
    return np.greater(z, zero, out=out)


@dataclass(frozen=True)
class Activation:
    """One activation function and everything the game says about it."""

    name: str
    symbol: str  # how a formula writes f, e.g. "σ"
    prime: str  # how a formula writes f′, e.g. "σ′"
    low: float  # the range of f(z)
    high: float
    range_text: str  # the range in words, for explanations
    forward_into: Callable[..., np.ndarray]  # (z, out, one, floor, zero) → out
    derivative_into: Callable[..., np.ndarray]  # (z, a, out, one, zero) → out
    init: str  # "glorot" or "he": the initial weights' range for a hidden layer of it
    grid_scale: float | None  # f(z) = affine in σ(scale·z), for the separable heatmap


TABLE: dict[str, Activation] = {
    a.name: a for a in (
        Activation("sigmoid", "σ", "σ′", 0.0, 1.0, "between 0 and 1", sigmoid_into,
                   sigmoid_derivative_into, "glorot", 1.0),
        Activation("tanh", "tanh", "tanh′", -1.0, 1.0, "between −1 and 1", tanh_into,
                   tanh_derivative_into, "glorot", 2.0),
        Activation("relu", "relu", "relu′", 0.0, float("inf"), "0 or more", relu_into,
                   relu_derivative_into, "he", None),
    )
}
NAMES: tuple[str, ...] = tuple(TABLE)
OUTPUT = TABLE["sigmoid"]  # the output neuron is always σ: ŷ is a probability


def lookup(name: str) -> Activation:
    """The table entry for `name`; ValueError naming the choices otherwise."""
    try:
        return TABLE[name]
    except (KeyError, TypeError):
        raise ValueError(f"activation: expected one of {', '.join(NAMES)}, got {name!r}") from None
