"""Per-neuron grids: each cell is exactly what the network computes at that point."""

import numpy as np
import pytest

from game.core.net import Network
from game.core.neuron_grids import grid_centres, hidden_grids, neuron_grids


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("sizes", [(2, 1), (2, 3, 1), (2, 4, 3, 1), (2, 5, 2, 3, 1)])
def test_every_cell_is_the_networks_activation_at_that_point(activation, sizes):
    net = Network(sizes, activation, seed=4, scale=2.5)
    n = 7
    grids = neuron_grids(net.weights, net.biases, net.activation, n)
    assert [g.shape for g in grids] == [(size, n, n) for size in sizes[1:]]
    x1, x2 = grid_centres(n)
    rng = np.random.default_rng(1)
    for r, c in rng.integers(0, n, size=(12, 2)).tolist():
        layers = net.activations(np.array([x1[c], x2[r]]))[1:]
        for grid, a in zip(grids, layers):
            np.testing.assert_allclose(grid[:, r, c], a, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_the_last_grid_is_the_heatmap(activation):
    net = Network((2, 6, 1), activation, seed=9)
    np.testing.assert_allclose(neuron_grids(net.weights, net.biases, activation, 20)[-1][0],
                               net.predict_grid(20), rtol=1e-12, atol=1e-14)


def test_orientation_row_zero_is_the_top_and_columns_grow_with_sweetness():
    net = Network((2, 2, 1), "sigmoid", seed=0)
    net.weights[0][...] = [[3.0, 0.0], [0.0, 3.0]]  # h₁ follows sweetness, h₂ redness
    net.biases[0][...] = 0.0
    h = hidden_grids(net, 5)[0]
    assert (np.diff(h[0], axis=1) > 0).all() and np.allclose(np.diff(h[0], axis=0), 0)
    assert (np.diff(h[1], axis=0) < 0).all() and np.allclose(np.diff(h[1], axis=1), 0)


def test_huge_weights_take_the_general_path_and_stay_exact():
    net = Network((2, 3, 1), "tanh", seed=1)
    net.weights[0][...] = [[900.0, -700.0], [1e4, 1.0], [0.5, 0.25]]
    grids = neuron_grids(net.weights, net.biases, "tanh", 6)
    assert all(np.isfinite(g).all() for g in grids)
    x1, x2 = grid_centres(6)
    np.testing.assert_allclose(grids[0][:, 2, 4], net.activations(np.array([x1[4], x2[2]]))[1],
                               rtol=1e-12)


def test_no_hidden_layer_has_no_hidden_grids_and_bad_sizes_are_refused():
    assert hidden_grids(Network((2, 1)), 4) == []
    net = Network((2, 3, 1))
    with pytest.raises(ValueError, match="expected n ≥ 1"):
        neuron_grids(net.weights, net.biases, "sigmoid", 0)
