"""What every neuron computes over the whole field: one activation grid per neuron.

The play screen shows a small picture beside each hidden neuron (as TensorFlow
Playground does): its activation at every point of the field. This module
computes those pictures; the view only colours them.

Grids have an image's orientation, the same as `Network.predict_grid`: column c
has sweetness x₁ = (c + ½)/n, growing to the right, and row r has redness
x₂ = 1 − (r + ½)/n, so row 0 is the top (most red).

The first layer is separable, z[j, r, c] = W[j, 1]·x₂(r) + (W[j, 0]·x₁(c) + b[j]):
a row term plus a column term, so it is built by broadcasting two (h, n) arrays
instead of a (h, 2) × (2, n²) matrix product, and for σ and tanh the
exponential is a product, e^(−z) = e^(−row)·e^(−column): 2·h·n exponentials
instead of h·n². Deeper layers are one matrix product on the layer below's grids.
"""

from __future__ import annotations

import numpy as np

from game.core.activations import OUTPUT, lookup

# Both scaled terms within ±250: neither exponential can overflow, and their
# product stays within e^(±500), inside float64 and above σ's −500 floor.
_PRODUCT_LIMIT = 250.0


def grid_centres(n: int) -> tuple[np.ndarray, np.ndarray]:
    """(x₁ per column, x₂ per row), each (n,): the cell centres of an n×n field grid."""
    centres = (np.arange(n) + 0.5) / n
    return centres, centres[::-1].copy()


def first_layer_grid(W: np.ndarray, b: np.ndarray, activation: str, n: int) -> np.ndarray:
    """First hidden layer over the field: W (h, 2), b (h,) → activations (h, n, n).

    Uses the separable form described in the module docstring; the product of
    exponentials is used only while it cannot overflow, otherwise z is built in
    full and activated the ordinary way.
    """
    x1, x2 = grid_centres(n)
    column_z = W[:, :1] * x1 + b[:, None]  # (h, n): x₁·W[j, 0] + b[j] per column
    row_z = W[:, 1:] * x2  # (h, n): x₂·W[j, 1] per row
    kind = lookup(activation)
    scale = kind.grid_scale
    largest = max(np.abs(row_z).max(initial=0.0), np.abs(column_z).max(initial=0.0))
    if scale and scale * largest < _PRODUCT_LIMIT:
        e = np.exp(-scale * row_z)[:, :, None] * np.exp(-scale * column_z)[:, None, :]
        e += 1.0
        a = np.divide(1.0, e, out=e)  # σ(scale·z)
        if kind.name == "tanh":  # tanh(z) = 2σ(2z) − 1
            a *= 2.0
            a -= 1.0
        return a
    z = row_z[:, :, None] + column_z[:, None, :]
    return kind.forward_into(z, np.empty_like(z))


def neuron_grids(weights: list[np.ndarray], biases: list[np.ndarray], activation: str,
                 n: int) -> list[np.ndarray]:
    """Every neuron's activation over an n×n field grid, layer by layer.

    weights[l] (fan_out, fan_in) and biases[l] (fan_out,) as in `Network`;
    `activation` is the hidden layers' (the output is always σ). Returns one
    array per weight layer, shape (fan_out_l, n, n): the hidden layers first and
    the output (1, n, n) last, which equals `Network.predict_grid(n)` to
    within rounding. grids[l][j, r, c] is neuron j of layer l at
    x = (x₁(c), x₂(r)), see `grid_centres`.
    """
    n = int(n)
    if n < 1:
        raise ValueError(f"neuron_grids: expected n ≥ 1, got {n}")
    depth = len(weights)
    with np.errstate(over="ignore", invalid="ignore"):
        kind = OUTPUT.name if depth == 1 else activation
        a = first_layer_grid(np.asarray(weights[0], dtype=np.float64),
                             np.asarray(biases[0], dtype=np.float64), kind, n)
        grids = [a]
        for l in range(1, depth):
            W, b = weights[l], biases[l]
            z = (W @ a.reshape(len(a), n * n) + b[:, None]).reshape(len(b), n, n)
            f = OUTPUT if l == depth - 1 else lookup(activation)
            a = f.forward_into(z, np.empty_like(z))
            grids.append(a)
    return grids


def hidden_grids(network, n: int) -> list[np.ndarray]:
    """The hidden neurons' grids of a `Network`: one (h_l, n, n) array per hidden layer."""
    return neuron_grids(network.weights, network.biases, network.activation, n)[:-1]
