"""The one place where a single-sample SGD step's arithmetic happens.

`Network.step` (traced) and `Network.train` (fast) both run `SGDKernel.run`, so
their weights agree bit for bit. The kernel keeps each layer's weights and bias
together in one augmented matrix Wb = [W | b] of shape (fan_out, fan_in + 1), and
each layer's input in a buffer whose last entry is a constant 1, so that
z = Wb · [a; 1] is one matrix product and ∂L/∂Wb = δ ⊗ [a; 1] is one outer
product whose last column is ∂L/∂b = δ exactly. All buffers are allocated once,
which keeps a step at a few dozen tiny numpy calls with no allocation.

`Network.weights[l]` and `Network.biases[l]` are writable views into Wb.
"""

from __future__ import annotations

import numpy as np

from game.core.activations import OUTPUT, SIGMOID_FLOOR, lookup


class SGDKernel:
    """Parameters and scratch buffers for one network shape.

    Per layer l with n = fan_out and m = fan_in:
    Wb[l] (n, m+1); inputs[l] (m+1,) ending in 1; z, a, error, derivative and
    delta (n,); grad[l] (n, m+1) = ∂L/∂Wb[l] of the last run.
    """

    def __init__(self, layer_sizes: tuple[int, ...], activation: str) -> None:
        pairs = list(zip(layer_sizes, layer_sizes[1:]))
        self._sizes = tuple(layer_sizes)
        self.last = len(pairs) - 1
        # All parameters live in one flat vector (and all gradients in another), so
        # the update and the divergence check are one numpy call each.
        self.flat_W = np.zeros(sum(n * (m + 1) for m, n in pairs))
        self.flat_grad = np.empty_like(self.flat_W)
        self._flat_step = np.empty_like(self.flat_W)  # lr·grad, so grad stays ∂L/∂W
        self.Wb = self.layer_views(self.flat_W)
        self.inputs = [np.ones(m + 1) for m, _ in pairs]
        self.z = [np.empty(n) for _, n in pairs]
        self.error = [np.empty(n) for _, n in pairs]
        self.derivative = [np.empty(n) for _, n in pairs]
        self.delta = [np.empty(n) for _, n in pairs]
        self.grad = self.layer_views(self.flat_grad)
        # A layer's activation is written straight into the next layer's input
        # buffer (whose trailing 1 stays put); the output gets its own.
        self.a = [self.inputs[l + 1][:n] for l, (_, n) in enumerate(pairs[:-1])]
        self.a.append(np.empty(1))
        kinds = [lookup(activation)] * self.last + [OUTPUT]
        self._W_views = [Wb[:, :-1] for Wb in self.Wb]
        self._delta_column = [delta.reshape(-1, 1) for delta in self.delta]
        self._label = np.zeros(1)
        self._one = [np.ones(n) for _, n in pairs]
        self._zero = [np.zeros(n) for _, n in pairs]
        self._floor = [np.full(n, SIGMOID_FLOOR) for _, n in pairs]
        # Per-layer tuples of the buffers each pass touches: unpacking one tuple
        # per layer is cheaper than a dozen attribute look-ups per step.
        layers = range(len(pairs))
        self._forward_plan = [
            (kinds[l].forward_into, self.Wb[l], self.inputs[l], self.z[l], self.a[l],
             self._one[l], self._floor[l], self._zero[l]) for l in layers]
        self._backward_plan = [
            (kinds[l].derivative_into, self.z[l], self.a[l], self.error[l], self.derivative[l],
             self.delta[l], self._delta_column[l], self.inputs[l], self.grad[l],
             self._one[l], self._zero[l], self.error[l - 1] if l else None,
             self._W_views[l]) for l in reversed(layers)]
        self._b_views = [Wb[:, -1] for Wb in self.Wb]
        self.views = self._W_views + self._b_views  # weights then biases, for identity checks
        self.frozen_index = np.zeros(0, dtype=np.intp)  # flat indices the update leaves alone

    def freeze(self, names: tuple[str, ...]) -> None:
        """Exclude parameter blocks ("W1", "b2", …) from every update; gradients are still taken."""
        positions = self.layer_views(np.arange(self.flat_W.size, dtype=np.intp))
        parts = [positions[int(name[1:]) - 1][:, :-1] if name[0] == "W"
                 else positions[int(name[1:]) - 1][:, -1] for name in names]
        self.frozen_index = np.sort(np.concatenate([p.ravel() for p in parts])) if parts \
            else np.zeros(0, dtype=np.intp)

    def layer_views(self, flat: np.ndarray) -> list[np.ndarray]:
        """Per-layer (n, m+1) views into a flat parameter-shaped vector."""
        views, offset = [], 0
        for m, n in zip(self._sizes, self._sizes[1:]):
            views.append(flat[offset:offset + n * (m + 1)].reshape(n, m + 1))
            offset += n * (m + 1)
        return views

    def weight_view(self, l: int) -> np.ndarray:
        """W of layer l as a writable (n, m) view (always the same object)."""
        return self._W_views[l]

    def bias_view(self, l: int) -> np.ndarray:
        """b of layer l as a writable (n,) view (always the same object)."""
        return self._b_views[l]

    def run(self, x: np.ndarray, y: float, lr: float | np.ndarray, in_place: bool
            ) -> np.ndarray | None:
        """Forward and backward on sample x (2,), label y; then the update.

        in_place=True applies W ← W − lr·grad directly and returns None.
        Otherwise the parameters are left alone and the updated flat vector is
        returned, for the caller to inspect before committing.
        """
        multiply, matmul = np.multiply, np.matmul
        self.inputs[0][:2] = x
        self._label[0] = y
        for forward_into, Wb, inputs, z, a, one, floor, zero in self._forward_plan:
            matmul(Wb, inputs, out=z)
            forward_into(z, a, one, floor, zero)
        np.subtract(self.a[-1], self._label, out=self.error[-1])
        for (derivative_into, z, a, error, derivative, delta, delta_column, inputs, grad, one,
             zero, error_below, W) in self._backward_plan:
            derivative_into(z, a, derivative, one, zero)
            multiply(error, derivative, out=delta)
            # delta_column is an (n, 1) view of delta: the broadcast is δ ⊗ [a; 1].
            multiply(delta_column, inputs, out=grad)
            if error_below is not None:
                # Uses the old weights: every gradient is taken before any update.
                matmul(delta, W, out=error_below)
        frozen = self.frozen_index
        if not in_place:
            updated = self.flat_W - lr * self.flat_grad
            if frozen.size:
                updated[frozen] = self.flat_W[frozen]
            return updated
        kept = self.flat_W[frozen] if frozen.size else None
        np.subtract(self.flat_W, multiply(lr, self.flat_grad, out=self._flat_step), out=self.flat_W)
        if kept is not None:  # put back exactly, even where lr·grad overflowed
            self.flat_W[frozen] = kept
        return None

    def finite(self) -> bool:
        """True when every weight and bias is finite."""
        return bool(np.isfinite(self.flat_W).all())
