"""The FruitNet network: a small fully connected net with a sigmoid output.

Notation follows the screen. For layer l (0-based, l = 0 maps the inputs to the
first hidden layer):

    z⁽ˡ⁾ = W⁽ˡ⁾ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾,   a⁽ˡ⁾ = f(z⁽ˡ⁾)

with a⁽⁻¹⁾ = x, f the hidden activation (sigmoid, tanh or relu) and σ on the
output layer, so ŷ = a⁽ᴸ⁻¹⁾ is the probability of "strawberry". W⁽ˡ⁾ has shape
(fan_out, fan_in): W[j, i] is the weight from neuron i of the layer below into
neuron j.

Loss per sample is L = ½(ŷ − y)², and a batch loss is the mean. Backward:

    output:  δ = (ŷ − y) · σ′(z)
    hidden:  δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾ᵀ δ⁽ˡ⁺¹⁾) · f′(z⁽ˡ⁾)
    ∂L/∂W⁽ˡ⁾[j, i] = δ⁽ˡ⁾[j] · a⁽ˡ⁻¹⁾[i],   ∂L/∂b⁽ˡ⁾[j] = δ⁽ˡ⁾[j]

A step is one SGD update on one sample: w ← w − η ∂L/∂w.

Initial weights: W⁽ˡ⁾ ~ Uniform(−r, r) from numpy.random.default_rng(seed), layer
by layer, with Glorot's r = √(6 / (fan_in + fan_out)) for sigmoid and tanh layers
and He's r = √(6 / fan_in) for relu hidden layers. Biases start at 0. For the
default 2-4-1 sigmoid net that is r ≈ 1.0 then 1.1: neurons start in σ's
responsive middle, so the first steps visibly move the boundary.

Divergence: a step whose update would make any weight or bias non-finite (inf
or nan) is refused. The weights keep their old values and the trace reports
`diverged=True`, so a screen can say "η is too large" instead of showing nan.
Numpy's overflow warnings are silenced inside the network, because overflow is
exactly the event that this rule reports. Finite but huge weights are allowed:
they are the honest result of a large η.

Determinism: every array is float64, and `train` runs the very same arithmetic
as `step` (both run `SGDKernel.run`), so their weights agree bit for bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from game.core.activations import NAMES, OUTPUT, lookup, sigmoid_into
from game.core.net_checks import (
    initial_parameters,
    validated_batch,
    validated_frozen,
    validated_inputs,
    validated_lr,
    validated_order,
    validated_sample,
    validated_sizes,
)
from game.core.sgd_kernel import SGDKernel

ACTIVATIONS = NAMES  # the hidden activations a network may use


def half_squared_error(y_hat, y):
    """L = ½(ŷ − y)², elementwise for arrays or for one sample.

    With the ½, ∂L/∂ŷ = ŷ − y exactly, so the output weight's gradient is
    (ŷ − y)·σ′(z)·h, the formula the screen prints; without it that formula
    would be off by a factor of 2. This is the game's one definition of the loss.
    """
    difference = y_hat - y
    return 0.5 * difference * difference


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1 / (1 + e^(−z)) for an array of any shape, without overflow.

    z is floored at −500 before the exponential, so e^(−z) stays finite and no
    overflow warning is possible, even at z = −1000.
    """
    z = np.asarray(z, dtype=np.float64)
    return sigmoid_into(z, np.empty_like(z))


def activation_derivative(name: str, z: np.ndarray, a: np.ndarray) -> np.ndarray:
    """f′(z) for activation `name`, given z and a = f(z) of the same shape."""
    return lookup(name).derivative_into(z, a, np.empty_like(a))


@dataclass(slots=True)  # not frozen: frozen dataclasses are slow to build, once per step
class LayerTrace:
    """What one layer did during a step. Shapes use n = fan_out, m = fan_in.

    For weight W[j, i] the three chain-rule factors are `error[j]`,
    `derivative[j]` and `inputs[i]`, and `dW[j, i] == delta[j] * inputs[i]`
    where `delta[j] == error[j] * derivative[j]`. For the output layer `error`
    is (ŷ − y); for a hidden layer it is the error flowing back, Σ_k δ_k W[k, j]
    over the layer above.
    """

    inputs: np.ndarray  # (m,) activations feeding this layer
    z: np.ndarray  # (n,)
    a: np.ndarray  # (n,)
    error: np.ndarray  # (n,)
    derivative: np.ndarray  # (n,) f′(z)
    delta: np.ndarray  # (n,)
    dW: np.ndarray  # (n, m)
    db: np.ndarray  # (n,)
    W_old: np.ndarray  # (n, m)
    W_new: np.ndarray  # (n, m)
    b_old: np.ndarray  # (n,)
    b_new: np.ndarray  # (n,)
    W_frozen: bool = False  # the level froze W: W_new == W_old whatever dW says
    b_frozen: bool = False

    def weight_factors(self, j: int, i: int) -> tuple[float, float, float, float]:
        """(error, derivative, input, gradient) for weight W[j, i]."""
        return (float(self.error[j]), float(self.derivative[j]),
                float(self.inputs[i]), float(self.dW[j, i]))


@dataclass(slots=True)
class StepTrace:
    """Everything one SGD step computed, for the play screen and the tests.

    `y_hat` and `loss` are measured before the update. When `diverged` is True the
    update was refused: every `W_new` equals its `W_old` (and likewise b).
    """

    x: np.ndarray  # (2,)
    y: float
    lr: float
    y_hat: float
    loss: float
    layers: tuple[LayerTrace, ...]
    diverged: bool


class Network:
    """A 2-input, 1-output network of float64 weights; see the module docstring.

    `weights[l]` (fan_out, fan_in) and `biases[l]` (fan_out,) are writable views
    into the step kernel's storage. Editing them in place, or assigning a new
    array of the right shape to a list item or to the whole list, both work: the
    next call copies assigned arrays into the storage.
    """

    def __init__(self, layer_sizes: Sequence[int] = (2, 4, 1),
                 activation: str = "sigmoid", seed: int = 0, init: str = "glorot",
                 scale: float = 1.0, frozen: Sequence[str] = ()) -> None:
        self.layer_sizes = validated_sizes(layer_sizes)
        lookup(activation)  # ValueError naming the choices
        self.activation = activation
        self.seed = int(seed)
        self._kernel = SGDKernel(self.layer_sizes, activation)
        self.frozen = validated_frozen(frozen, self.depth)
        self._kernel.freeze(self.frozen)
        self.weights = [self._kernel.weight_view(l) for l in range(self.depth)]
        self.biases = [self._kernel.bias_view(l) for l in range(self.depth)]
        W0, b0 = initial_parameters(self.layer_sizes, activation,
                                     np.random.default_rng(self.seed), init, scale)
        for l in range(self.depth):
            self.weights[l][...] = W0[l]
            self.biases[l][...] = b0[l]

    @property
    def depth(self) -> int:
        """Number of weight layers (hidden layers + 1)."""
        return len(self.layer_sizes) - 1

    # ----------------------------------------------------------- prediction
    def predict(self, X: np.ndarray) -> np.ndarray:
        """ŷ for X of shape (N, 2) → (N,); a single sample of shape (2,) → a 0-d float."""
        X = np.asarray(X, dtype=np.float64)
        single = X.shape == (2,)
        X = validated_inputs(X.reshape(1, 2) if single else X, "X")
        self._sync()
        with np.errstate(over="ignore", invalid="ignore"):
            y_hat = self._forward_batch(X)[1][-1][:, 0]
        return y_hat[0] if single else y_hat

    def output_logits(self, X: np.ndarray) -> np.ndarray:
        """z of the output neuron for X (N, 2) → (N,); ŷ ≥ ½ exactly where z ≥ 0."""
        X = validated_inputs(np.asarray(X, dtype=np.float64).reshape(-1, 2), "X")
        self._sync()
        with np.errstate(over="ignore", invalid="ignore"):
            return self._forward_batch(X)[0][-1][:, 0]

    def activations(self, x: np.ndarray) -> list[np.ndarray]:
        """Every layer's activation for one sample x (2,): [x, a⁽⁰⁾, …, (ŷ,)]."""
        X = validated_inputs(np.asarray(x, dtype=np.float64).reshape(1, 2), "x")
        self._sync()
        with np.errstate(over="ignore", invalid="ignore"):
            acts = self._forward_batch(X)[1]
        return [X[0].copy()] + [a[0] for a in acts]

    def layer_outputs(self, X: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """(zs, activations) of every layer for X (N, 2), each (N, fan_out); the last is ŷ."""
        X = validated_inputs(np.asarray(X, dtype=np.float64).reshape(-1, 2), "X")
        self._sync()
        with np.errstate(over="ignore", invalid="ignore"):
            return self._forward_batch(X)

    def predict_grid(self, n: int) -> np.ndarray:
        """ŷ at the centres of an n×n grid over [0,1]², shape (n, n).

        Orientation is that of an image: column c has sweetness
        x₁ = (c + ½)/n, growing to the right, and row r has redness
        x₂ = 1 − (r + ½)/n, so row 0 is the top (most red) and the last row the
        bottom. grid[r, c] equals predict([x₁(c), x₂(r)]) to within rounding.
        """
        n = int(n)
        if n < 1:
            raise ValueError(f"predict_grid: expected n ≥ 1, got {n}")
        self._sync()
        centres = (np.arange(n) + 0.5) / n
        W, b = self.weights[0], self.biases[0]
        column_z = W[:, :1] * centres + b[:, None]  # (h, n): x₁·W₁ + b per column
        row_z = W[:, 1:] * centres[::-1]  # (h, n): x₂·W₂ per row
        with np.errstate(over="ignore", invalid="ignore"):
            a = self._first_layer_on_grid(row_z, column_z).reshape(len(b), n * n)
            for l in range(1, self.depth):
                a = self._activate(l, self.weights[l] @ a + self.biases[l][:, None])
        return a.reshape(n, n)

    def _first_layer_on_grid(self, row_z: np.ndarray, column_z: np.ndarray) -> np.ndarray:
        """Layer-0 activations on the grid, shape (h, n, n), from (h, n) row and column terms.

        The first layer's z is a row term plus a column term, so for σ,
        e^(−z) = e^(−row)·e^(−column) needs 2·h·n exponentials instead of h·n²,
        which is what keeps a 100×100 heatmap under a millisecond; tanh uses
        the same product through tanh(z) = 2σ(2z) − 1. The product is used only
        while both (scaled) terms are within ±250, where neither exponential can
        overflow and the kernel's −500 floor never applies.
        """
        kind = self._kind(0)
        scale = kind.grid_scale
        if scale and scale * max(np.abs(row_z).max(), np.abs(column_z).max()) < 250:
            e = np.exp(-scale * row_z)[:, :, None] * np.exp(-scale * column_z)[:, None, :]
            e += 1.0
            sigma = np.divide(1.0, e, out=e)
            if kind.name == "tanh":
                sigma *= 2.0
                sigma -= 1.0
            return sigma
        return self._activate(0, row_z[:, :, None] + column_z[:, None, :])

    def loss(self, X: np.ndarray, y: np.ndarray) -> float:
        """Mean of ½(ŷ − y)² over X (N, 2) and labels y (N,) in {0, 1}."""
        X, y = validated_batch(X, y)
        self._sync()
        with np.errstate(over="ignore", invalid="ignore"):
            y_hat = self._forward_batch(X)[1][-1][:, 0]
        return float(np.mean(half_squared_error(y_hat, y)))

    # ------------------------------------------------------------- gradients
    def gradients(self, X: np.ndarray, y: np.ndarray
                  ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Exact ∂loss/∂W and ∂loss/∂b for the mean batch loss.

        X: (N, 2), y: (N,). Returns (dW, db) shaped like `weights` and `biases`.
        """
        X, y = validated_batch(X, y)
        self._sync()
        dW: list[np.ndarray] = [np.empty(0)] * self.depth
        db: list[np.ndarray] = [np.empty(0)] * self.depth
        with np.errstate(over="ignore", invalid="ignore"):
            zs, acts = self._forward_batch(X)
            error = (acts[-1][:, 0] - y)[:, None] / X.shape[0]  # (N, 1): the mean's 1/N
            for l in reversed(range(self.depth)):
                delta = error * self._kind(l).derivative_into(zs[l], acts[l],
                                                              np.empty_like(acts[l]))  # (N, n)
                below = acts[l - 1] if l > 0 else X  # (N, m)
                dW[l] = delta.T @ below
                db[l] = delta.sum(axis=0)
                error = delta @ self.weights[l]
        return dW, db

    # ----------------------------------------------------------------- steps
    def step(self, x: np.ndarray, y: float, lr: float) -> StepTrace:
        """One SGD update on sample x (2,) with label y ∈ {0, 1}; returns its trace."""
        x, y, lr = validated_sample(x, y, lr)
        self._sync()
        k = self._kernel
        old = k.layer_views(k.flat_W.copy())
        with np.errstate(over="ignore", invalid="ignore"):
            updated = k.run(x, y, lr, in_place=False)
            diverged = not self._commit_if_finite(updated)
        new = old if diverged else k.layer_views(updated)  # never the kernel's own storage
        layers = []
        grads = k.layer_views(k.flat_grad.copy())
        for l in range(self.depth):
            grad = grads[l]
            layers.append(LayerTrace(
                inputs=k.inputs[l][:-1].copy(), z=k.z[l].copy(), a=k.a[l].copy(),
                error=k.error[l].copy(), derivative=k.derivative[l].copy(),
                delta=k.delta[l].copy(), dW=grad[:, :-1], db=grad[:, -1],
                W_old=old[l][:, :-1], b_old=old[l][:, -1],
                W_new=new[l][:, :-1], b_new=new[l][:, -1],
                W_frozen=f"W{l + 1}" in self.frozen, b_frozen=f"b{l + 1}" in self.frozen))
        y_hat = float(k.a[-1][0])
        return StepTrace(x=x.copy(), y=y, lr=lr, y_hat=y_hat, loss=half_squared_error(y_hat, y),
                         layers=tuple(layers), diverged=diverged)

    def fast_step(self, x: np.ndarray, y: float, lr: float) -> float:
        """One SGD update on x (2,), y ∈ {0, 1} without a trace; returns ŷ before it.

        Bit-identical to `step`, divergence rule included, at a fraction of the
        cost: for callers that must look at the network after every step.
        """
        x, y, lr = validated_sample(x, y, lr)
        self._sync()
        with np.errstate(over="ignore", invalid="ignore"):
            self._last_moved = self._commit_if_finite(self._kernel.run(x, y, lr, in_place=False))
        self._last_lr = lr
        return float(self._kernel.a[-1][0])

    @property
    def last_update_moved(self) -> bool:
        """Whether the last `fast_step` changed the weights (False: the update was refused
        because it would have overflowed, or there has been no fast step)."""
        return getattr(self, "_last_moved", False)

    def last_step_summary(self) -> tuple[float, float]:
        """(largest |Δw| or |Δb| of the last `fast_step`, σ′ of the output in it).

        The change is η·|∂L/∂w| at its largest over the parameters that train;
        0 when the update was refused. For a coach that watches many steps.
        """
        k = self._kernel
        slope = float(k.derivative[-1][0])
        if not getattr(self, "_last_moved", False):
            return 0.0, slope
        sizes = np.abs(k.flat_grad)
        if k.frozen_index.size:
            sizes[k.frozen_index] = 0.0
        return float(self._last_lr * sizes.max()), slope

    def train(self, X: np.ndarray, y: np.ndarray, order: np.ndarray, lr: float) -> None:
        """One SGD step per index in `order` (ints into X (N, 2) and y (N,)), no traces.

        Bit-identical to calling `step(X[i], y[i], lr)` for each i in order. The
        fast loop updates in place and checks for divergence once at the end;
        since a non-finite weight stays non-finite, a clean end proves that no
        step diverged. Otherwise it rewinds and replays with per-step checks.
        """
        X, y = validated_batch(X, y)
        order = validated_order(order, X.shape[0])
        lr = validated_lr(lr)
        self._sync()
        k = self._kernel
        rows, labels = list(X), y.tolist()
        lr_array = np.array(lr)  # an array operand is faster than a float, same value
        before = k.flat_W.copy()
        with np.errstate(over="ignore", invalid="ignore"):
            for i in order.tolist():
                k.run(rows[i], labels[i], lr_array, in_place=True)
            if k.finite():
                return
            k.flat_W[...] = before
            for i in order.tolist():
                self._commit_if_finite(k.run(rows[i], labels[i], lr, in_place=False))

    def _commit_if_finite(self, updated: np.ndarray) -> bool:
        """Store the updated flat parameter vector unless any entry is inf or nan."""
        if not np.isfinite(updated).all():
            return False
        self._kernel.flat_W[...] = updated
        return True

    # ------------------------------------------------------------- internals
    def _kind(self, l: int):
        """The activation of weight layer l: the hidden one, or σ at the output."""
        return OUTPUT if l == self.depth - 1 else lookup(self.activation)

    def _activate(self, l: int, z: np.ndarray) -> np.ndarray:
        return self._kind(l).forward_into(z, np.empty_like(z))

    def _forward_batch(self, X: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """zs and activations for every layer, each of shape (N, fan_out)."""
        zs, acts = [], []
        a = X
        for l in range(self.depth):
            z = a @ self.weights[l].T + self.biases[l]
            a = self._activate(l, z)
            zs.append(z)
            acts.append(a)
        return zs, acts

    def _sync(self) -> None:
        """Copy any reassigned weight or bias array into the kernel's storage."""
        k = self._kernel
        if len(self.weights) == len(self.biases) == self.depth and all(
                given is view for given, view in zip(self.weights + self.biases,
                                                      k.views)):
            return
        if len(self.weights) != self.depth or len(self.biases) != self.depth:
            raise ValueError(f"weights and biases: expected {self.depth} layers each")
        for l, (fan_in, fan_out) in enumerate(zip(self.layer_sizes, self.layer_sizes[1:])):
            for given, view, shape, name in (
                    (self.weights[l], k.weight_view(l), (fan_out, fan_in), "weights"),
                    (self.biases[l], k.bias_view(l), (fan_out,), "biases")):
                if given is view:
                    continue
                value = np.asarray(given, dtype=np.float64)
                if value.shape != shape:
                    raise ValueError(f"{name}[{l}]: expected shape {shape}, got {value.shape}")
                view[...] = value
                getattr(self, name)[l] = view

    # --------------------------------------------------------- serialisation
    def to_dict(self) -> dict:
        """A JSON-ready dict; floats are Python floats, so it round-trips exactly."""
        self._sync()
        return {
            "layer_sizes": list(self.layer_sizes),
            "activation": self.activation,
            "seed": self.seed,
            "weights": [W.tolist() for W in self.weights],
            "biases": [b.tolist() for b in self.biases],
            # Only when set, so digests of networks without frozen weights stay as they were.
            **({"frozen": list(self.frozen)} if self.frozen else {}),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Network:
        """Rebuild a network saved by `to_dict`."""
        net = cls(data["layer_sizes"], data["activation"], data["seed"],
                  frozen=data.get("frozen", ()))
        net.weights = [np.array(W, dtype=np.float64) for W in data["weights"]]
        net.biases = [np.array(b, dtype=np.float64) for b in data["biases"]]
        net._sync()
        return net
