"""The batch trainer: each run's numbers whatever the batch, the game's maths, the game's rows."""

import dataclasses

import numpy as np
import pytest

from game.core.attempt import Attempt
from game.core.autoplay import choose_points
from game.core.batch_train import BatchTrainer, SampleRows, compile_sum, run_calls, sum_order
from game.core.datasets import generate
from game.core.levels import load_pack
from game.core.net import Network
from game.resources import levels_dir

ORCHARD = generate("clusters", 60, 0.05, seed=1)
FIRST = load_pack(levels_dir() / "starter").level("first-harvest")


def _sizes(hidden_layers):
    return (2, *[5] * hidden_layers, 1) if hidden_layers != 1 else (2, 8, 1)


def _batch(activation, sizes, K, seed=0, lr=None, trainable=None):
    """K runs with their own starting weights, η, fruit and fruit counts; the nets they start as."""
    rng = np.random.default_rng(seed)
    nets = [Network(sizes, activation, seed=int(s)) for s in rng.integers(0, 10**6, K)]
    W = [np.stack([net.weights[l] for net in nets]) for l in range(len(sizes) - 1)]
    b = [np.stack([net.biases[l] for net in nets]) for l in range(len(sizes) - 1)]
    lr = rng.uniform(0.1, 5.0, K) if lr is None else lr
    X, y = rng.random((K, 12, 2)), (rng.random((K, 12)) < 0.5).astype(float)
    N = rng.integers(1, 13, K)
    trainer = BatchTrainer(W, b, lr, X, y, N, *ORCHARD, activation, trainable)
    return trainer, nets


def _alone(trainer, k):
    """Run k of `trainer`, in a batch of its own (from its current parameters)."""
    return BatchTrainer([W[k:k + 1] for W in trainer.W], [b[k:k + 1] for b in trainer.b],
                        trainer.lr[k:k + 1], trainer.X[k:k + 1], trainer.y[k:k + 1],
                        trainer.counts[k:k + 1], *ORCHARD, trainer.activation, trainer.trainable)


def _bits(trainer, k):
    return [p[k].tobytes() for p in trainer.W + trainer.b]


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("hidden_layers", [0, 1, 2])
def test_a_run_is_bit_identical_whatever_else_is_in_the_batch(activation, hidden_layers):
    lr = np.random.default_rng(9).uniform(0.1, 5.0, 64)
    lr[1:8] = 1e200  # companions whose every update overflows: refused, replayed with checks
    big, _ = _batch(activation, _sizes(hidden_layers), 64, lr=lr)
    one, start = _alone(big, 0), big.W[0][0].copy()
    rows = SampleRows(7, big.counts)
    for t in (1, 60, 89):  # chunks of any length
        chunk = rows.next(t)
        assert np.array_equal(big.advance(chunk)[0], one.advance(chunk[:1])[0])
    assert _bits(big, 0) == _bits(one, 0)
    assert not np.array_equal(big.W[0][0], start)  # it did train


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("hidden_layers", [0, 1, 2])
def test_the_batch_is_the_games_arithmetic_to_rounding(activation, hidden_layers):
    # Moderate η: at η ≈ 5 some runs are chaotic, and rounding grows to any size in 1000 steps.
    trainer, nets = _batch(activation, _sizes(hidden_layers), 3, seed=1, lr=np.array([0.3, 0.8, 1.5]))
    rows = SampleRows(3, trainer.counts).next(1000)
    trainer.advance(rows)
    for k, net in enumerate(nets):
        for i in rows[k]:
            net.fast_step(trainer.X[k, i], trainer.y[k, i], trainer.lr[k])
        for game, batch in zip(net.weights + net.biases, trainer.W + trainer.b):
            # matmul (BLAS, maybe with FMA) sums in another order: the last bits may differ.
            scale = np.abs(game).max()
            assert np.abs(game - batch[k]).max() <= 1e-9 * scale


def test_accuracies_and_rows_match_an_attempt():
    points = choose_points(FIRST)
    attempt = Attempt(FIRST)
    for p in points:
        attempt.add_point(p.x1, p.x2, p.label)
    X, y = attempt.training_set()
    net = attempt.network
    trainer = BatchTrainer([W[None] for W in net.weights], [b[None] for b in net.biases],
                           [attempt.lr], X[None], y[None], [len(y)], *FIRST.orchard.arrays(),
                           FIRST.activation)
    rows = SampleRows(FIRST.init_seed, trainer.counts)
    accuracy = np.concatenate([trainer.advance(rows.next(t)) for t in (1, 99, 100)], axis=1)[0]
    attempt.step(200)
    assert [h.sample for h in attempt.history] == SampleRows(FIRST.init_seed, [len(y)]).next(200)[0].tolist()
    assert np.array_equal([h.accuracy for h in attempt.history], accuracy)
    assert np.allclose(trainer.W[0][0], net.weights[0], rtol=1e-12, atol=0)


def test_placed_order_takes_the_fruit_in_turn():
    level = dataclasses.replace(FIRST, order="placed")
    attempt = Attempt(level)
    for p in choose_points(level, 5):
        attempt.add_point(p.x1, p.x2, p.label)
    attempt.step(12)
    rows = SampleRows(level.init_seed, np.array([5, 3]), "placed")
    first, second = rows.next(7), rows.next(5)
    assert [h.sample for h in attempt.history] == np.concatenate([first, second], 1)[0].tolist()
    assert second[1].tolist() == [1, 2, 0, 1, 2]


def test_frozen_parameters_never_change_and_trainable_ones_step_as_unmasked():
    sizes = (2, 4, 1)
    trainable = [(np.array([[True, False]] * 4), np.ones(4, bool)), (np.ones((1, 4), bool),
                                                                    np.array([False]))]
    masked, _ = _batch("tanh", sizes, 16, seed=2, trainable=trainable)
    reference, _ = _batch("tanh", sizes, 16, seed=2)
    start = [p.copy() for p in masked.W + masked.b]
    rows = SampleRows(1, masked.counts).next(200)
    masked.advance(rows)
    for s in range(rows.shape[1]):  # unmasked steps, frozen entries put back after each
        reference.advance(rows[:, s:s + 1])
        for l, (W_mask, b_mask) in enumerate(trainable):
            reference.W[l][:, ~W_mask] = start[l][:, ~W_mask]
            reference.b[l][:, ~b_mask] = start[len(sizes) - 1 + l][:, ~b_mask]
    assert all(np.array_equal(p, q) for p, q in zip(masked.W + masked.b, reference.W + reference.b))
    assert np.array_equal(masked.W[0][:, :, 1], start[0][:, :, 1])
    assert not np.array_equal(masked.W[0][:, :, 0], start[0][:, :, 0])


def test_frozen_blocks_match_the_games_frozen_network():
    net = Network((2, 3, 1), "sigmoid", seed=4, frozen=("W1", "b2"))
    trainable = [(np.zeros((3, 2), bool), np.ones(3, bool)), (np.ones((1, 3), bool), np.zeros(1, bool))]
    X, y = generate("clusters", 10, 0.05, seed=3)
    trainer = BatchTrainer([W[None] for W in net.weights], [b[None] for b in net.biases], [2.0],
                           X[None], y[None], [10], *ORCHARD, "sigmoid", trainable)
    W1 = net.weights[0].copy()
    rows = SampleRows(0, trainer.counts).next(300)
    trainer.advance(rows)
    for i in rows[0]:
        net.fast_step(X[i], y[i], 2.0)
    assert np.array_equal(trainer.W[0][0], W1) and np.array_equal(net.weights[0], W1)
    assert np.allclose(trainer.W[1][0], net.weights[1], rtol=1e-12, atol=0)


def _twins(X, y):
    """Two runs of one relu net, η = 1e305 (it overflows) and η = 0.5."""
    net = Network((2, 4, 1), "relu", seed=5)
    return net, BatchTrainer([np.stack([W, W]) for W in net.weights],
                             [np.stack([b, b]) for b in net.biases], [1e305, 0.5], np.stack([X, X]),
                             np.stack([y, y]), [2, 2], *ORCHARD, "relu")


def test_an_update_that_would_not_be_finite_is_refused_for_that_run_only():
    X, y = np.array([[0.9, 0.8], [0.1, 0.2]]), np.array([1.0, 0.0])
    net, trainer = _twins(X, y)
    rows = SampleRows(0, trainer.counts).next(40)
    trainer.advance(rows)
    refused = 0
    for i in rows[0]:
        refused += net.step(X[i], y[i], 1e305).diverged
    assert refused > 0  # the game refused some steps: the batch must have too
    assert all(np.isfinite(p).all() for p in trainer.W + trainer.b)
    assert all(np.allclose(g, p[0], rtol=1e-12) for g, p in zip(net.weights + net.biases,
                                                                trainer.W + trainer.b))
    alone = _alone(_twins(X, y)[1], 1)
    alone.advance(rows[1:])
    assert _bits(alone, 0) == _bits(trainer, 1)


@pytest.mark.parametrize("count", [1, 2, 3, 7, 8, 9, 15, 16, 17, 33, 130, 300])
def test_sum_order_is_numpys_add_reduce_order(count):
    # The game's kernel could use add.reduce and agree with the batch bit for bit (see
    # batch_train.py); this pins numpy's order, which that relies on.
    terms = np.random.default_rng(count).normal(size=(40, count)) * 10.0 ** np.arange(-3, 3, 6 / count)
    out = np.empty(40)
    scratch = [np.empty(40) for _ in range(8)]
    run_calls(compile_sum(sum_order(count), list(terms.T), out, scratch))
    assert np.array_equal(out, np.add.reduce(terms, axis=1))


def test_rows_out_of_range_are_refused():
    trainer, _ = _batch("sigmoid", (2, 3, 1), 2)
    with pytest.raises(ValueError, match="rows"):
        trainer.advance(np.array([[0], [12]]))
    with pytest.raises(ValueError, match="rows"):
        trainer.advance(np.zeros((3, 1), dtype=int))
