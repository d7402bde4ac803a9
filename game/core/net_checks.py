"""Checks on what callers hand the network, and its initial weights.

Every check raises ValueError with a message that says what was expected.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from game.core.activations import lookup

INIT_KINDS = ("glorot", "equal")


def initial_parameters(sizes: tuple[int, ...], activation: str, rng: np.random.Generator,
                       init: str = "glorot", scale: float = 1.0) -> tuple[list, list]:
    """Starting weights, times `scale`, and zero biases.

    "glorot": uniform in ±r with Glorot's r = √(6 / (fan_in + fan_out)) (He's
    √(6 / fan_in) for relu hidden layers). "equal": every weight of a layer is
    r/2, so all neurons of a layer start identical (the symmetry lesson).
    Returns weights [(fan_out, fan_in)] and biases [(fan_out,)] per layer.
    """
    if init not in INIT_KINDS:
        raise ValueError(f"init: expected one of {', '.join(INIT_KINDS)}, got {init!r}")
    weights, biases = [], []
    for l, (fan_in, fan_out) in enumerate(zip(sizes, sizes[1:])):
        is_hidden = l < len(sizes) - 2
        if is_hidden and lookup(activation).init == "he":
            r = np.sqrt(6.0 / fan_in)
        else:
            r = np.sqrt(6.0 / (fan_in + fan_out))
        if init == "glorot":
            W = rng.uniform(-r, r, size=(fan_out, fan_in))
        else:
            W = np.full((fan_out, fan_in), r / 2)
        weights.append(W * scale if scale != 1.0 else W)  # scale 1 keeps the bits as they were
        biases.append(np.zeros(fan_out))
    return weights, biases


def validated_frozen(frozen: Sequence[str], depth: int) -> tuple[str, ...]:
    """Names of frozen parameter blocks, "W1" … / "b1" …, numbered from the input side."""
    names = tuple(frozen)
    allowed = [f"{kind}{l}" for l in range(1, depth + 1) for kind in "Wb"]
    for name in names:
        if name not in allowed:
            raise ValueError(f"frozen: expected names among {', '.join(allowed)}, got {name!r}")
    return names


def validated_sizes(layer_sizes: Sequence[int]) -> tuple[int, ...]:
    try:
        sizes = tuple(int(s) for s in layer_sizes)
        whole = all(int(s) == s for s in layer_sizes)
    except (TypeError, ValueError):
        raise ValueError(f"layer_sizes: expected a sequence of whole numbers, got {layer_sizes!r}") from None
    if not whole or len(sizes) < 2 or sizes[0] != 2 or sizes[-1] != 1 or min(sizes) < 1:
        raise ValueError(
            "layer_sizes: expected whole numbers starting at 2 (inputs), ending at 1 "
            f"(output), hidden sizes ≥ 1, got {list(layer_sizes)!r}")
    return sizes


def validated_inputs(X: np.ndarray, name: str) -> np.ndarray:
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"{name}: expected shape (N, 2) of (sweetness, redness), got {X.shape}")
    if not np.isfinite(X).all():
        raise ValueError(f"{name}: expected finite numbers, got nan or inf")
    return X


def validated_label(y: float) -> float:
    try:
        value = float(y)
    except (TypeError, ValueError):
        value = math.nan
    if value not in (0.0, 1.0):
        raise ValueError(f"y: expected label 0 (lemon) or 1 (strawberry), got {y!r}")
    return value


def validated_labels(y: np.ndarray, n: int, name: str) -> np.ndarray:
    y = np.asarray(y, dtype=np.float64)
    if y.shape != (n,):
        raise ValueError(f"{name}: expected shape ({n},), got {y.shape}")
    bad = (y != 0.0) & (y != 1.0)
    if bad.any():
        raise ValueError(
            f"{name}: expected labels 0 (lemon) or 1 (strawberry), got {float(y[bad][0])!r}")
    return y


def validated_batch(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    X = validated_inputs(np.asarray(X, dtype=np.float64), "X")
    return X, validated_labels(y, X.shape[0], "y")


def validated_order(order: np.ndarray, n: int) -> np.ndarray:
    order = np.asarray(order)
    if order.ndim != 1 or (order.size and order.dtype.kind not in "iu"):
        raise ValueError(f"order: expected a 1-D array of row indices, "
                         f"got shape {order.shape} of {order.dtype}")
    if order.size and (order.min() < 0 or order.max() >= n):
        raise ValueError(f"order: expected indices in 0..{n - 1}, got {int(order.min())}..{int(order.max())}")
    return order


def validated_lr(lr: float) -> float:
    lr = float(lr)
    if not np.isfinite(lr) or lr <= 0.0:
        raise ValueError(f"lr: expected a finite learning rate > 0, got {lr!r}")
    return lr


def validated_sample(x, y, lr) -> tuple[np.ndarray, float, float]:
    """One training sample for a single step: x (2,) finite, y 0 or 1, lr finite > 0."""
    x = np.asarray(x, dtype=np.float64)
    if x.shape != (2,):
        raise ValueError(f"x: expected one sample of shape (2,), got shape {x.shape}")
    if not (math.isfinite(x[0]) and math.isfinite(x[1])):
        raise ValueError(f"x: expected finite numbers, got {x.tolist()}")
    return x, validated_label(y), validated_lr(lr)
