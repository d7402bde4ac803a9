"""The network: exact gradients, exact steps, fast path identity, grid orientation."""

import json
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.core.net import ACTIVATIONS, Network, sigmoid


def _data(seed, n=12):
    rng = np.random.default_rng(seed)
    X = rng.random((n, 2))
    y = rng.integers(0, 2, size=n).astype(float)
    return X, y


def _numeric_gradients(net, X, y, h=1e-4):
    """Five-point central differences of the mean loss for every parameter.

    Error O(h⁴) from truncation and about 1e-13 from rounding, so gradients as
    small as 1e-6 are still checked to a relative 1e-6.
    """
    grads = []
    for params in (net.weights, net.biases):
        layer_grads = []
        for p in params:
            g = np.zeros_like(p)
            for idx in np.ndindex(p.shape):
                saved = p[idx]
                values = []
                for offset in (2 * h, h, -h, -2 * h):
                    p[idx] = saved + offset
                    values.append(net.loss(X, y))
                p[idx] = saved
                g[idx] = (-values[0] + 8 * values[1] - 8 * values[2] + values[3]) / (12 * h)
            layer_grads.append(g)
        grads.append(layer_grads)
    return grads


def _away_from_relu_kinks(net, X, margin=1e-2):
    """Rows of X whose hidden pre-activations all keep |z| ≥ margin.

    At z = 0 relu has no derivative (the code uses 0), so a finite difference
    that straddles a kink measures something else; such rows are left out.
    """
    keep = np.ones(len(X), dtype=bool)
    a = X
    for W, b in zip(net.weights[:-1], net.biases[:-1]):
        z = a @ W.T + b
        keep &= (np.abs(z) >= margin).all(axis=1)
        a = np.maximum(z, 0.0)
    return keep


def _relative_error(a, b):
    """Largest difference relative to the array's scale; entries under 1e-7 count as 0.

    The floor keeps a gradient that is exactly 0 (a dead relu unit) from being
    compared with finite-difference rounding noise (about 1e-13).
    """
    return np.abs(a - b).max() / max(np.abs(a).max(), np.abs(b).max(), 1e-7)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(hidden=st.lists(st.integers(1, 5), min_size=1, max_size=3),
       activation=st.sampled_from(ACTIVATIONS), seed=st.integers(0, 10_000))
def test_gradients_match_central_finite_differences(hidden, activation, seed):
    net = Network((2, *hidden, 1), activation, seed=seed)
    # Random biases: zero biases put relu units exactly on their kink (z = 0).
    rng = np.random.default_rng(seed + 1)
    net.biases = [rng.normal(0.0, 0.3, size=b.shape) for b in net.biases]
    X, y = _data(seed)
    if activation == "relu":
        keep = _away_from_relu_kinks(net, X)
        X, y = X[keep], y[keep]
        if len(X) == 0:
            return
    dW, db = net.gradients(X, y)
    num_W, num_b = _numeric_gradients(net, X, y)
    for analytic, numeric in zip(dW + db, num_W + num_b):
        assert analytic.shape == numeric.shape
        assert _relative_error(analytic, numeric) < 1e-6


def test_output_weight_gradient_is_the_formula_on_screen():
    # ∂L/∂w⁽²⁾_j = (ŷ − y)·σ′(z)·h_j, with L = ½(ŷ − y)² and no stray factor of 2.
    net = Network((2, 3, 1), seed=4)
    x, y = np.array([0.3, 0.8]), 1.0
    h = sigmoid(net.weights[0] @ x + net.biases[0])
    y_hat = sigmoid(net.weights[1] @ h + net.biases[1])[0]
    expected = (y_hat - y) * y_hat * (1 - y_hat) * h
    dW, _ = net.gradients(x[None, :], np.array([y]))
    np.testing.assert_allclose(dW[1][0], expected, rtol=1e-12)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_step_is_w_minus_lr_times_gradient(activation):
    net = Network((2, 4, 3, 1), activation, seed=7)
    x, y, lr = np.array([0.2, 0.9]), 0.0, 0.7
    dW, db = net.gradients(x[None, :], np.array([y]))
    before_W = [W.copy() for W in net.weights]
    before_b = [b.copy() for b in net.biases]
    trace = net.step(x, y, lr)
    assert not trace.diverged
    for l, layer in enumerate(trace.layers):
        np.testing.assert_allclose(net.weights[l], before_W[l] - lr * dW[l], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(net.biases[l], before_b[l] - lr * db[l], rtol=1e-12, atol=1e-15)
        # The trace tells the truth about what happened, exactly.
        np.testing.assert_array_equal(layer.W_old, before_W[l])
        np.testing.assert_array_equal(layer.W_new, net.weights[l])
        np.testing.assert_array_equal(layer.W_new, layer.W_old - lr * layer.dW)
        np.testing.assert_array_equal(layer.b_new, layer.b_old - lr * layer.db)


def test_trace_chain_rule_factors_multiply_to_the_gradient():
    net = Network((2, 3, 1), seed=2)
    trace = net.step(np.array([0.6, 0.1]), 1.0, 0.5)
    out, hidden = trace.layers[1], trace.layers[0]
    assert out.error[0] == trace.y_hat - 1.0
    assert trace.loss == pytest.approx(0.5 * (trace.y_hat - 1.0) ** 2)
    np.testing.assert_allclose(out.derivative, trace.y_hat * (1 - trace.y_hat))
    for j in range(3):
        err, deriv, inp, grad = out.weight_factors(0, j)
        assert grad == err * deriv * inp
        assert inp == hidden.a[j]
        # The hidden error is what flows back: Σ_k δ_k w_kj with the OLD weights.
        assert hidden.error[j] == pytest.approx(out.delta[0] * out.W_old[0, j])
    for j in range(3):
        for i in range(2):
            err, deriv, inp, grad = hidden.weight_factors(j, i)
            assert grad == err * deriv * inp
            assert inp == trace.x[i]


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("sizes", [(2, 1), (2, 8, 1), (2, 5, 4, 3, 1)])
def test_train_is_bit_identical_to_repeated_step(activation, sizes):
    X, y = _data(3, n=40)
    order = np.random.default_rng(9).integers(0, 40, size=300)
    fast, slow = Network(sizes, activation, seed=5), Network(sizes, activation, seed=5)
    fast.train(X, y, order, 0.8)
    for i in order:
        slow.step(X[i], y[i], 0.8)
    for a, b in zip(fast.weights + fast.biases, slow.weights + slow.biases):
        assert np.array_equal(a, b)
    assert not np.array_equal(fast.weights[0], Network(sizes, activation, seed=5).weights[0])


def test_same_seed_same_weights_and_different_seed_differs():
    assert all(np.array_equal(a, b) for a, b in zip(Network(seed=3).weights, Network(seed=3).weights))
    assert not np.array_equal(Network(seed=3).weights[0], Network(seed=4).weights[0])


def test_initial_weight_scale_is_glorot_uniform():
    net = Network((2, 8, 1), seed=0)
    assert np.abs(net.weights[0]).max() <= np.sqrt(6 / 10)
    assert np.abs(net.weights[1]).max() <= np.sqrt(6 / 9)
    assert np.abs(net.weights[0]).max() > 0.3  # not collapsed to zero
    assert all(not b.any() for b in net.biases)


def test_predict_grid_orientation():
    # A network whose output rises with sweetness only, then with redness only.
    net = Network((2, 1), seed=0)
    net.weights[0][...] = [[10.0, 0.0]]
    net.biases[0][...] = [-5.0]
    grid = net.predict_grid(4)
    assert grid.shape == (4, 4)
    assert (np.diff(grid, axis=1) > 0).all(), "columns go left→right with sweetness"
    assert np.allclose(np.diff(grid, axis=0), 0)
    net.weights[0][...] = [[0.0, 10.0]]
    grid = net.predict_grid(4)
    assert (np.diff(grid, axis=0) < 0).all(), "row 0 is the top: most red"
    assert grid[0, 0] == pytest.approx(net.predict([0.125, 0.875]))


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_predict_grid_equals_predict_at_cell_centres(activation):
    net = Network((2, 6, 3, 1), activation, seed=11)
    n = 7
    centres = (np.arange(n) + 0.5) / n
    points = np.array([[centres[c], 1 - centres[r]] for r in range(n) for c in range(n)])
    np.testing.assert_allclose(net.predict_grid(n), net.predict(points).reshape(n, n),
                               rtol=0, atol=1e-14)


def test_predict_grid_with_huge_weights_takes_the_general_path():
    net = Network((2, 3, 1), seed=1)
    net.weights[0][...] *= 1e4
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        grid = net.predict_grid(5)
    centres = (np.arange(5) + 0.5) / 5
    points = np.array([[centres[c], 1 - centres[r]] for r in range(5) for c in range(5)])
    np.testing.assert_allclose(grid, net.predict(points).reshape(5, 5), atol=1e-14)


def test_predict_shapes():
    net = Network(seed=1)
    assert net.predict(np.zeros((5, 2))).shape == (5,)
    single = net.predict([0.5, 0.5])
    assert np.ndim(single) == 0 and 0 < single < 1


def test_sigmoid_is_stable_and_silent():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(np.array([-1000.0, -30.0, 0.0, 30.0, 1000.0]))
    assert s[0] >= 0 and s[0] < 1e-200
    assert s[1] == pytest.approx(1 / (1 + np.exp(30)), rel=1e-12)
    assert s[2] == 0.5 and s[4] == 1.0
    net = Network((2, 1), seed=0)
    net.weights[0][...] = [[1000.0, 1000.0]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net.step(np.array([1.0, 1.0]), 0.0, 0.1)
        net.predict_grid(10)


def test_to_dict_round_trips_exactly_through_json():
    net = Network((2, 5, 3, 1), "tanh", seed=8)
    X, y = _data(1)
    net.train(X, y, np.arange(12), 0.3)
    again = Network.from_dict(json.loads(json.dumps(net.to_dict())))
    assert again.layer_sizes == net.layer_sizes and again.activation == "tanh"
    for a, b in zip(net.weights + net.biases, again.weights + again.biases):
        assert np.array_equal(a, b)
    assert again.to_dict() == net.to_dict()


def test_assigning_new_arrays_is_allowed_and_used():
    net = Network((2, 2, 1), seed=0)
    net.weights[1] = np.array([[3.0, -3.0]])
    net.biases = [np.array([0.5, -0.5]), np.array([1.0])]
    assert net.to_dict()["weights"][1] == [[3.0, -3.0]]
    assert net.to_dict()["biases"][0] == [0.5, -0.5]
    trace = net.step(np.array([0.1, 0.2]), 1.0, 0.1)
    assert trace.layers[1].W_old.tolist() == [[3.0, -3.0]]
    net.weights[0] = np.zeros((3, 2))
    with pytest.raises(ValueError, match=r"weights\[0\]: expected shape \(2, 2\)"):
        net.predict_grid(3)


def _about_to_blow_up():
    """A relu net whose hidden unit is ~2e300 while ŷ = σ(2) is still unsure.

    On sample (1, 1) with y = 0 the output-weight gradient is ~2e299, so any
    η ≥ 1 pushes that weight past float64's range.
    """
    net = Network((2, 1, 1), "relu", seed=0)
    # On (0, 0) the bias of −1000 makes ŷ ≈ 0: a label-0 step there is safe.
    net.weights = [np.array([[1e300, 1e300]]), np.array([[501e-300]])]
    net.biases[1][...] = -1000.0
    return net


def test_divergence_is_refused_and_reported_without_warnings():
    net = _about_to_blow_up()
    before = [W.copy() for W in net.weights]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trace = net.step(np.array([1.0, 1.0]), 0.0, 1e10)
        net.train(np.array([[1.0, 1.0]]), np.array([0.0]), np.zeros(5, dtype=int), 1e10)
    assert trace.diverged
    assert trace.layers[1].dW[0, 0] > 1e299
    for W, W_old in zip(net.weights, before):
        assert np.array_equal(W, W_old)
    for layer in trace.layers:
        assert np.array_equal(layer.W_new, layer.W_old)


def test_train_rewinds_and_matches_step_when_some_steps_diverge():
    X = np.array([[1.0, 1.0], [0.0, 0.0]])
    y = np.array([0.0, 0.0])
    order = np.array([1, 0, 1, 0, 1])
    fast, slow = _about_to_blow_up(), _about_to_blow_up()
    fast.train(X, y, order, 1e10)
    traces = [slow.step(X[i], y[i], 1e10) for i in order]
    assert [t.diverged for t in traces] == [False, True, False, True, False]
    for a, b in zip(fast.weights + fast.biases, slow.weights + slow.biases):
        assert np.array_equal(a, b) and np.isfinite(a).all()


@pytest.mark.parametrize("call, message", [
    (lambda n: n.predict(np.zeros((3, 3))), r"X: expected shape \(N, 2\)"),
    (lambda n: n.predict(np.array([[np.nan, 0.1]])), "X: expected finite numbers"),
    (lambda n: n.loss(np.zeros((2, 2)), np.array([0.0, 2.0])), "expected labels 0 .* or 1 .*got 2.0"),
    (lambda n: n.loss(np.zeros((2, 2)), np.array([0.0])), r"y: expected shape \(2,\)"),
    (lambda n: n.step(np.array([0.1, 0.2, 0.3]), 1, 0.1), r"x: expected one sample of shape \(2,\)"),
    (lambda n: n.step(np.array([0.1, np.inf]), 1, 0.1), "x: expected finite numbers"),
    (lambda n: n.step(np.array([0.1, 0.2]), 0.5, 0.1), "y: expected label 0 .* or 1"),
    (lambda n: n.step(np.array([0.1, 0.2]), 1, -1.0), "lr: expected a finite learning rate > 0"),
    (lambda n: n.step(np.array([0.1, 0.2]), 1, np.nan), "lr: expected a finite learning rate > 0"),
    (lambda n: n.train(np.zeros((2, 2)), np.zeros(2), np.array([0, 2]), 0.1),
     r"order: expected indices in 0\.\.1"),
    (lambda n: n.train(np.zeros((2, 2)), np.zeros(2), np.array([0.5]), 0.1),
     "order: expected a 1-D array of row indices"),
    (lambda n: n.predict_grid(0), "predict_grid: expected n ≥ 1"),
])
def test_bad_input_raises_value_error_saying_what_was_expected(call, message):
    with pytest.raises(ValueError, match=message):
        call(Network(seed=0))


@pytest.mark.parametrize("kwargs, message", [
    (dict(activation="softmax"), "activation: expected one of sigmoid, tanh, relu, got 'softmax'"),
    (dict(layer_sizes=(3, 4, 1)), "layer_sizes: expected whole numbers starting at 2"),
    (dict(layer_sizes=(2, 4, 2)), "ending at 1"),
    (dict(layer_sizes=(2, 0, 1)), "hidden sizes ≥ 1"),
    (dict(layer_sizes=(2,)), "layer_sizes"),
    (dict(layer_sizes=(2, 2.5, 1)), "layer_sizes"),
    (dict(layer_sizes="abc"), "layer_sizes"),
])
def test_bad_construction_raises_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Network(**kwargs)
