"""K independent single-sample SGD runs of one network shape, trained as one batch.

The level designer's solver plays many runs that differ only in η, fruit and
sample rows. `BatchTrainer` steps them together: run k has its own parameters
W[l] (K, n, m) and b[l] (K, n), its own η (K,), training set and rows, and
after every step the orchard accuracy of every run is measured, as Attempt does.

The maths is the game's (see sgd_kernel.py and net.py): z = W a + b, a = f(z)
with σ at the output, L = ½(ŷ − y)², δ = error · f′(z), W ← W − η δ aᵀ. An
update that would make any of a run's parameters non-finite is refused for
that run, which keeps its weights for the step. Frozen parameters (the
`trainable` mask) are put back after the update, before that check, as the
game does.

Bit-identity whatever K is: every operation is elementwise, so run k's numbers
never meet another run's. The only sums are over a neuron's inputs, and they
add the terms in a fixed order chosen here, never a BLAS order:
- z = W a + b sums [W₀a₀, …, Wₘ₋₁aₘ₋₁, b] in the order of numpy's
  `add.reduce` over a row (`sum_order`), so that a kernel doing
  multiply + add.reduce on [W | b]·[a; 1] gets the same bits;
- the error flowing back, Σⱼ δⱼ Wⱼᵢ, adds j = 0, 1, … in turn, as
  add.reduce along axis 0 does.
The game's kernel uses matmul, whose BLAS order (with FMA) depends on the CPU,
so it agrees with this to rounding only: about 1e-14 relative after 1000 steps
at moderate η, but a chaotic run (η = 10 on crossed-rows) amplifies that to a
different step count. Hence the solver confirms what it reports by playing it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from game.core.activations import OUTPUT, lookup
from game.core.sample_order import SampleDraws

Tree = int | tuple  # a term index, or (left, right) meaning left + right


def sum_order(count: int, start: int = 0) -> Tree:
    """The order in which numpy's add.reduce adds `count` contiguous terms, as a tree.

    Below 8 terms numpy adds left to right. Up to 128 it keeps 8 running sums
    (term i goes to sum i mod 8), combines them as ((s0+s1)+(s2+s3))+((s4+s5)+(s6+s7))
    and adds the rest left to right. Beyond 128 it splits in two, the first
    half a multiple of 8, and adds the halves' sums.
    """
    if count < 8:
        return sequential_order(count, start)
    if count > 128:
        half = count // 2 - (count // 2) % 8
        return (sum_order(half, start), sum_order(count - half, start + half))
    whole = count - count % 8
    s = [sequential_order(len(range(j, whole, 8)), start + j, step=8) for j in range(8)]
    tree: Tree = (((s[0], s[1]), (s[2], s[3])), ((s[4], s[5]), (s[6], s[7])))
    for i in range(start + whole, start + count):
        tree = (tree, i)
    return tree


def sequential_order(count: int, start: int = 0, step: int = 1) -> Tree:
    """Terms start, start + step, … added left to right."""
    tree: Tree = start
    for k in range(1, count):
        tree = (tree, start + k * step)
    return tree


def _right_depth(tree: Tree) -> int:
    """Scratch arrays the sum `tree` needs: one per level of right-hand nesting."""
    if isinstance(tree, int):
        return 0
    return max(_right_depth(tree[0]), 1 + _right_depth(tree[1]))


def compile_sum(tree: Tree, terms: Sequence[np.ndarray], out: np.ndarray,
                scratch: Sequence[np.ndarray]) -> list[tuple]:
    """The calls that leave in `out` the sum `tree` describes over the arrays `terms`.

    Each call is (x, y, destination) for np.add, or (x, None, destination) for a
    copy. Each is elementwise, so every element's sum follows the tree exactly.
    scratch: _right_depth(tree) arrays of out's shape.
    """
    if isinstance(tree, int):
        return [(terms[tree], None, out)]
    left, right = tree
    calls = [] if isinstance(left, int) else compile_sum(left, terms, out, scratch)
    x = terms[left] if isinstance(left, int) else out
    if not isinstance(right, int):
        calls += compile_sum(right, terms, scratch[0], scratch[1:])
    return calls + [(x, terms[right] if isinstance(right, int) else scratch[0], out)]


def run_calls(calls: list[tuple]) -> None:
    """Run the calls compile_sum made."""
    for x, y, out in calls:
        if y is None:
            np.copyto(out, x)
        else:
            np.add(x, y, out=out)


class SampleRows:
    """The training-set rows the game would use, chunk by chunk, for runs of N_k fruit (K,).

    Order "random": all runs share one stream of draws u (Attempt's `SampleDraws`
    for the level's init seed), and run k trains on row min(⌊u·N_k⌋, N_k − 1), as
    Attempt.current_sample does. Order "placed": step s (from 0) takes row s mod N_k.
    """

    def __init__(self, seed: int, counts: np.ndarray, order: str = "random") -> None:
        self._draws = SampleDraws(seed)
        self.counts = np.asarray(counts, dtype=np.int64)
        self.order = order
        self.steps = 0  # steps whose rows were handed out

    def next(self, steps: int) -> np.ndarray:
        """Rows (K, steps) for the next `steps` steps."""
        N = self.counts[:, None]
        if self.order == "placed":
            rows = (self.steps + np.arange(steps))[None, :] % N
        else:
            u = np.array([self._draws.take() for _ in range(steps)], dtype=np.float64)
            # u·N as a float64 product, truncated: the number Python's int(u * n) gives.
            rows = np.minimum((u[None, :] * N).astype(np.int64), N - 1)
        self.steps += steps
        return rows

    def keep(self, which: np.ndarray) -> None:
        """Keep only the runs `which` selects (a (K,) bool mask or indices)."""
        self.counts = self.counts[which]


class BatchTrainer:
    """K runs of one network shape (2, …, 1) with one hidden activation.

    W[l] (K, n, m) and b[l] (K, n) hold the runs' parameters (changed in place);
    lr (K,) their η; X (K, Nmax, 2), y (K, Nmax) and counts (K,) their training
    sets (rows past N_k are ignored); orchard_X (M, 2), orchard_y (M,) is what
    accuracy is measured on. `trainable`, optional, is per layer a pair of bool
    masks ((n, m), (n,)) shared by all runs: False marks a frozen parameter.

    Arrays of a pass over S samples are (S, K, n), samples first: then each
    multiply runs over K·n numbers per sample, which is what numpy does fastest.
    """

    def __init__(self, W: Sequence[np.ndarray], b: Sequence[np.ndarray], lr: np.ndarray,
                 X: np.ndarray, y: np.ndarray, counts: np.ndarray, orchard_X: np.ndarray,
                 orchard_y: np.ndarray, activation: str,
                 trainable: Sequence[tuple[np.ndarray, np.ndarray]] | None = None) -> None:
        self.W = [np.array(W_l, dtype=np.float64) for W_l in W]
        self.b = [np.array(b_l, dtype=np.float64) for b_l in b]
        self.lr = np.array(lr, dtype=np.float64)
        self.X, self.y = np.array(X, dtype=np.float64), np.array(y, dtype=np.float64)
        self.counts = np.array(counts, dtype=np.int64)
        self.activation = activation
        self.sizes = (2, *(W_l.shape[1] for W_l in self.W))
        self.kinds = [lookup(activation)] * (len(self.W) - 1) + [OUTPUT]
        self._orchard_in = np.asarray(orchard_X, dtype=np.float64)[:, None, :]  # (M, 1, 2)
        self._truth = (np.asarray(orchard_y) == 1)[:, None, None]  # (M, 1, 1)
        self.trainable = None if trainable is None else [
            (np.asarray(w, dtype=bool), np.asarray(v, dtype=bool)) for w, v in trainable]
        self._orders = [sum_order(m + 1) for m in self.sizes[:-1]]
        self._check_shapes()
        self._plan()

    @property
    def runs(self) -> int:
        return len(self.lr)

    def _check_shapes(self) -> None:
        K, M = self.runs, self._orchard_in.shape[0]
        for l, (m, n) in enumerate(zip(self.sizes, self.sizes[1:])):
            if self.W[l].shape != (K, n, m) or self.b[l].shape != (K, n):
                raise ValueError(f"layer {l}: expected W ({K}, {n}, {m}) and b ({K}, {n}), got "
                                 f"{self.W[l].shape} and {self.b[l].shape}")
            if self.trainable and (self.trainable[l][0].shape != (n, m)
                                   or self.trainable[l][1].shape != (n,)):
                raise ValueError(f"trainable[{l}]: expected masks ({n}, {m}) and ({n},)")
        if self.X.shape[:1] + self.X.shape[2:] != (K, 2) or self.y.shape != self.X.shape[:2] \
                or self.counts.shape != (K,) or self._truth.shape != (M, 1, 1) or self.sizes[-1] != 1:
            raise ValueError("expected X (K, Nmax, 2), y (K, Nmax), counts (K,), orchard (M, 2) and "
                             "(M,), and one output")

    def keep(self, which: np.ndarray) -> None:
        """Keep only the runs `which` selects ((K,) bool mask or indices); the rest are dropped."""
        self.W = [W_l[which] for W_l in self.W]
        self.b = [b_l[which] for b_l in self.b]
        self.lr, self.X, self.y = self.lr[which], self.X[which], self.y[which]
        self.counts = self.counts[which]
        self._plan()

    def _plan(self) -> None:
        """Allocate every array of a step and of an orchard pass for the current K."""
        K = self.runs
        self._x, self._label = np.empty((1, K, 2)), np.empty((1, K, 1))
        self._train = self._forward_plan(self._x, in_place=False)
        self._orchard = self._forward_plan(self._orchard_in, in_place=True)
        self._correct = np.empty((self._truth.shape[0], K, 1), dtype=bool)
        self._back = []
        for l, (m, n) in enumerate(zip(self.sizes, self.sizes[1:])):
            below = np.empty((1, K, m)) if l else None  # Σⱼ δⱼ Wⱼᵢ, the error of layer l − 1
            products = np.empty((K, n, m))  # δⱼ Wⱼᵢ
            calls = compile_sum(sequential_order(n), products.transpose(1, 0, 2), below[0], []) \
                if l else []
            self._back.append((np.empty((1, K, n)), np.empty((1, K, n)), np.empty((K, n, m)),
                               np.empty((K, n)), below, products, calls))
        self._error = [back[4] for back in self._back[1:]] + [np.empty((1, K, 1))]

    def _forward_plan(self, inputs: np.ndarray, in_place: bool) -> list[tuple]:
        """Arrays and calls for z = W a + b, a = f(z) through every layer, inputs (S, K or 1, 2)."""
        layers, a = [], inputs
        for W, b, kind, order in zip(self.W, self.b, self.kinds, self._orders):
            K, n, m = W.shape
            products = np.empty((m, a.shape[0], K, n))  # products[i] = W[:, :, i]·a[..., i]
            z = np.empty(products.shape[1:])
            scratch = [np.empty_like(z) for _ in range(_right_depth(order))]
            calls = compile_sum(order, [*products, b[None]], z, scratch)  # b is the last term
            out = z if in_place else np.empty_like(z)
            layers.append((W.transpose(2, 0, 1)[:, None], a.transpose(2, 0, 1)[..., None],
                           products, calls, kind.forward_into, z, out))
            a = out
        return layers

    @staticmethod
    def _run_forward(plan: list[tuple]) -> np.ndarray:
        """Run a forward plan; returns the output layer's a (S, K, 1)."""
        for W_t, a_t, products, calls, forward_into, z, a in plan:
            np.multiply(W_t, a_t, out=products)
            run_calls(calls)
            forward_into(z, a)
        return a

    def advance(self, rows: np.ndarray) -> np.ndarray:
        """Train t steps, run k on training row rows[k, s] at step s; rows (K, t) ints.

        Returns the orchard accuracy after each step, (K, t). The steps update in
        place without checks, then each run is checked once: a non-finite
        parameter stays non-finite, so a finite run never had a step to refuse.
        Runs that are not finite are rewound and replayed with a check per step.
        """
        rows = np.asarray(rows)
        if rows.ndim != 2 or rows.shape[0] != self.runs or rows.dtype.kind not in "iu":
            raise ValueError(f"rows: expected ({self.runs}, t) whole numbers, got {rows.shape}")
        if rows.size and ((rows < 0) | (rows >= self.counts[:, None])).any():
            raise ValueError("rows: expected each run's rows in 0 … N_k − 1")
        before = [p.copy() for p in self.W + self.b]
        accuracy = self._advance(rows, checked=False)
        finite = np.ones(self.runs, dtype=bool)
        for p in self.W + self.b:
            finite &= np.isfinite(p.reshape(self.runs, -1)).all(axis=1)
        if not finite.all():
            bad = ~finite
            for p, old in zip(self.W + self.b, before):
                p[bad] = old[bad]
            again = BatchTrainer([W[bad] for W in self.W], [b[bad] for b in self.b], self.lr[bad],
                                 self.X[bad], self.y[bad], self.counts[bad], self._orchard_in[:, 0],
                                 self._truth[:, 0, 0], self.activation, self.trainable)
            accuracy[bad] = again._advance(rows[bad], checked=True)
            for p, replayed in zip(self.W + self.b, again.W + again.b):
                p[bad] = replayed
        return accuracy

    def _advance(self, rows: np.ndarray, checked: bool) -> np.ndarray:
        runs = np.arange(self.runs)[:, None]
        xs, ys = self.X[runs, rows], self.y[runs, rows]  # (K, t, 2), (K, t)
        accuracy = np.empty(rows.shape)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for s in range(rows.shape[1]):
                self._x[0] = xs[:, s]
                self._label[0, :, 0] = ys[:, s]
                self._step(checked)
                accuracy[:, s] = self.accuracy()
        return accuracy

    def accuracy(self) -> np.ndarray:
        """Orchard accuracy (K,): the share of fruit where (ŷ ≥ ½) matches 🍓."""
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            y_hat = self._run_forward(self._orchard)  # (M, K, 1)
        np.greater_equal(y_hat, 0.5, out=self._correct)
        np.equal(self._correct, self._truth, out=self._correct)
        return np.count_nonzero(self._correct, axis=(0, 2)) / self._truth.shape[0]

    def _step(self, checked: bool) -> None:
        """One SGD step per run on the sample in self._x (1, K, 2), label self._label (1, K, 1)."""
        a_out = self._run_forward(self._train)
        np.subtract(a_out, self._label, out=self._error[-1])  # ŷ − y
        updates = []
        for l in reversed(range(len(self.W))):
            z, a = self._train[l][5:]
            derivative, delta, grad_W, grad_b, below, products, calls = self._back[l]
            a_in = self._train[l - 1][6] if l else self._x
            self.kinds[l].derivative_into(z, a, derivative)
            np.multiply(self._error[l], derivative, out=delta)
            np.multiply(delta[0][:, :, None], a_in[0][:, None, :], out=grad_W)  # δ aᵀ
            if l:  # Σⱼ δⱼ Wⱼᵢ with the old weights: every gradient comes before any update
                np.multiply(delta[0][:, :, None], self.W[l], out=products)
                run_calls(calls)
            # η·gradient; the update is W − η·gradient, as the game's kernel computes it.
            np.multiply(self.lr[:, None, None], grad_W, out=grad_W)
            np.multiply(self.lr[:, None], delta[0], out=grad_b)
            updates.append((l, grad_W, grad_b))
        self._update(updates, checked)

    def _update(self, updates: list[tuple], checked: bool) -> None:
        """W ← W − η·∂L/∂W (b alike), frozen parameters kept; checked: refuse non-finite runs."""
        finite, new = np.ones(self.runs, dtype=bool), []
        for l, step_W, step_b in updates:
            for p, step, mask in ((self.W[l], step_W, 0), (self.b[l], step_b, 1)):
                if self.trainable is not None:
                    # A frozen entry steps by 0, even where η·gradient overflowed: p − 0 is p
                    # exactly, as the game's putting the old value back.
                    np.copyto(step, 0.0, where=~self.trainable[l][mask])
                result = np.subtract(p, step, out=None if checked else p)
                if checked:
                    finite &= np.isfinite(result.reshape(self.runs, -1)).all(axis=1)
                    new.append((p, result))
        for p, result in new:
            np.copyto(p, result, where=finite.reshape((-1,) + (1,) * (p.ndim - 1)))


def run_steps_per_s(runs: int, steps: int = 50, repeats: int = 3) -> float:
    """Run-steps per second, accuracy included, of `runs` 2-8-1 σ runs on a 60-fruit orchard.

    Each run has its own starting weights and η and 8 training fruit; the best of
    `repeats` timed blocks of `steps` steps counts (interference only adds time).
    """
    from game.core.datasets import generate
    from game.core.net_checks import initial_parameters

    rng = np.random.default_rng(0)
    starts = [initial_parameters((2, 8, 1), "sigmoid", rng) for _ in range(runs)]
    W = [np.stack([s[0][l] for s in starts]) for l in range(2)]
    b = [np.stack([s[1][l] for s in starts]) for l in range(2)]
    X, y = generate("clusters", 8, 0.05, seed=2)
    orchard_X, orchard_y = generate("clusters", 60, 0.05, seed=1)
    trainer = BatchTrainer(W, b, np.geomspace(0.1, 5.0, runs), np.repeat(X[None], runs, 0),
                           np.repeat(y[None], runs, 0), np.full(runs, 8), orchard_X, orchard_y,
                           "sigmoid")
    rows = SampleRows(0, trainer.counts)
    trainer.advance(rows.next(2))  # warm-up: the first calls allocate
    best = min(_timed(trainer.advance, rows.next(steps)) for _ in range(repeats))
    return runs * steps / best


def _timed(run: Callable[[np.ndarray], object], argument: np.ndarray) -> float:
    import time

    start = time.perf_counter()
    run(argument)
    return time.perf_counter() - start
