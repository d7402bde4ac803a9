"""The level fields the lessons need: how the network starts, frozen blocks, order, liars."""

import copy

import numpy as np
import pytest
import tomli_w

from game.core.attempt import Attempt
from game.core.levels import LevelError, load_level
from game.core.net import Network
from game.view.step_log import log_lines
from tests.test_levels import VALID


def _load(tmp_path, **tables):
    doc = copy.deepcopy(VALID)
    for table, fields in tables.items():
        doc.setdefault(table, {}).update(fields)
    path = tmp_path / "level.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return load_level(path)


def _error(tmp_path, **tables):
    with pytest.raises(LevelError) as caught:
        _load(tmp_path, **tables)
    return str(caught.value).split(": ", 1)[1]


# ------------------------------------------------------------------ kernel
@pytest.mark.parametrize("frozen", [("W1",), ("b2",), ("W1", "b1", "W2")])
def test_frozen_blocks_never_move_and_the_rest_moves_as_without_them(frozen):
    x, y, lr = np.array([0.3, 0.8]), 1.0, 2.5
    free, held = Network((2, 3, 1), "tanh", seed=4), Network((2, 3, 1), "tanh", seed=4, frozen=frozen)
    before = {name: block.copy() for name, block in _blocks(held).items()}
    free.step(x, y, lr)
    trace = held.step(x, y, lr)
    for name, block in _blocks(held).items():
        expected = before[name] if name in frozen else _blocks(free)[name]
        assert np.array_equal(block, expected), name
    assert trace.layers[0].W_frozen == ("W1" in frozen)
    # The fast path freezes the same blocks, bit for bit.
    X = np.random.default_rng(0).random((9, 2))
    labels = (X[:, 0] > X[:, 1]).astype(float)
    order = np.random.default_rng(1).integers(0, 9, 300)
    a, b = (Network((2, 3, 1), "sigmoid", seed=1, frozen=frozen) for _ in range(2))
    a.train(X, labels, order, 3.0)
    for i in order:
        b.step(X[i], labels[i], 3.0)
    assert all(np.array_equal(p, q) for p, q in zip(a.weights + a.biases, b.weights + b.biases))
    assert np.array_equal(a.weights[0], Network((2, 3, 1), "sigmoid", seed=1).weights[0]) == \
        ("W1" in frozen)


def _blocks(net):
    return {**{f"W{l + 1}": W for l, W in enumerate(net.weights)},
            **{f"b{l + 1}": b for l, b in enumerate(net.biases)}}


def test_equal_and_scaled_starts():
    equal = Network((2, 4, 1), "sigmoid", seed=3, init="equal")
    assert len(set(equal.weights[0].ravel())) == 1 and len(set(equal.weights[1].ravel())) == 1
    glorot, scaled = Network((2, 4, 1), seed=3), Network((2, 4, 1), seed=3, scale=8.0)
    assert np.array_equal(scaled.weights[0], glorot.weights[0] * 8.0)
    with pytest.raises(ValueError, match="init: expected one of glorot, equal"):
        Network((2, 2, 1), init="zeros")
    with pytest.raises(ValueError, match="frozen: expected names among W1, b1, W2, b2"):
        Network((2, 2, 1), frozen=("W3",))


# ------------------------------------------------------------------ levels
def test_a_level_starts_its_network_as_it_says(tmp_path):
    level = _load(tmp_path, network={"init": "equal", "init_scale": 2.0, "frozen": ["W1", "W2"]})
    network = Attempt(level).network
    assert network.frozen == ("W1", "W2") and len(set(network.weights[0].ravel())) == 1
    explicit = _load(tmp_path, network={"hidden_sizes": [2], "default_hidden_size": 2,
                                        "weights": [[[6, 6], [-6, -6]], [[1.5, -1.5]]],
                                        "biases": [[0, 0], [0.25]]})
    network = Attempt(explicit).network
    assert network.weights[0].tolist() == [[6, 6], [-6, -6]]
    assert network.biases[1].tolist() == [0.25]


@pytest.mark.parametrize("network, message", [
    ({"init": "zeros"}, 'network.init: expected one of "glorot", "equal", got "zeros"'),
    ({"init_scale": 0}, "network.init_scale: expected a number in (0, 100], got 0"),
    ({"frozen": ["W3"]}, 'network.frozen: expected a list of parameter blocks among "W1", "b1", '
                         '"W2", "b2" (W1 and b1 feed the first layer), each once, not all of '
                         'them, got ["W3"]'),
    ({"frozen": ["W1", "W1"]}, "network.frozen: expected a list of parameter blocks"),
    ({"frozen": ["W1", "b1", "W2", "b2"]}, "network.frozen: expected a list of parameter blocks"),
    ({"weights": [[[1, 1]]], "biases": [[0]]},
     "network.weights: expected explicit starting values only when hidden_sizes and "
     "hidden_layers each allow one choice"),
    ({"hidden_sizes": [2], "default_hidden_size": 2, "weights": [[[1, 1], [1, 1]], [[1, 1, 1]]],
      "biases": [[0, 0], [0]]},
     "network.weights: expected a list of 2 layers, layer 2 a list of 1 rows of 2 numbers"),
    ({"hidden_sizes": [2], "default_hidden_size": 2, "weights": [[[1, 1], [1, 1e9]], [[1, 1]]],
      "biases": [[0, 0], [0]]},
     "network.weights: expected a list of 2 layers, layer 1 a list of 2 rows of 2 numbers from "
     "−100 to 100"),
    ({"hidden_sizes": [2], "default_hidden_size": 2, "weights": [[[1, 1], [1, 1]], [[1, 1]]]},
     "network.biases: expected a list of 2 layers, layer 1 a list of 2 numbers from −100 to 100 "
     "but it is missing"),
])
def test_bad_network_fields_get_one_line(tmp_path, network, message):
    text = _error(tmp_path, network=network)
    assert text.startswith(message) and "\n" not in text


def test_placed_order_takes_the_fruit_in_turn(tmp_path):
    level = _load(tmp_path, training={"order": "placed"})
    attempt = Attempt(level)
    for k in range(3):
        attempt.add_point(0.1 * k, 0.5, k % 2)
    rows = []
    for _ in range(8):
        rows.append(attempt.current_sample())
        attempt.step(1)
    assert rows == [0, 1, 2, 3, 0, 1, 2, 3], "one given fruit, then three placed, in turn"
    assert _error(tmp_path, training={"order": "sorted"}).startswith(
        'training.order: expected one of "random", "placed", got "sorted"')


def test_label_noise_flips_that_share_of_the_orchard(tmp_path):
    clean = _load(tmp_path).orchard.arrays()[1]
    noisy = _load(tmp_path, orchard={"label_noise": 0.1}).orchard.arrays()[1]
    assert np.count_nonzero(clean != noisy) == round(0.1 * len(clean))
    assert np.array_equal(noisy, _load(tmp_path, orchard={"label_noise": 0.1}).orchard.arrays()[1])
    assert _error(tmp_path, orchard={"label_noise": 0.7}).startswith(
        "orchard.label_noise: expected a number in [0, 0.5], got 0.7")


def test_the_step_log_says_frozen(tmp_path):
    level = _load(tmp_path, network={"frozen": ["W2"]})
    attempt = Attempt(level)
    attempt.add_point(0.9, 0.9, 1)
    trace = attempt.step(1).trace
    lines = [line.text for line in log_lines(trace, "sigmoid", lambda l, j, i: 0)]
    # Each weight's update is the line under its gradient's, and names the weight.
    output_weights = [t for t in lines if t.startswith("      w⁽²⁾")]
    assert output_weights and all("frozen" in t for t in output_weights)
    hidden_weights = [t for t in lines if t.startswith("      w⁽¹⁾")]
    assert hidden_weights and not any("frozen" in t for t in hidden_weights)


def test_shown_fruit_are_drawn_and_the_orchard_is_judged(tmp_path):
    level = _load(tmp_path, shown={"generator": "clusters", "seed": 9, "count": 10, "noise": 0.0,
                                   "visibility": "ghost"})
    attempt = Attempt(level)
    assert len(attempt.shown_y) == 10 and len(attempt.orchard_y) == 40
    assert not np.array_equal(attempt.shown_X[:10], attempt.orchard_X[:10])
    plain = Attempt(_load(tmp_path))
    assert plain.shown_X is plain.orchard_X
    assert attempt.accuracy == plain.accuracy, "judged on the same orchard"
    assert _error(tmp_path, shown={"generator": "clusters"}).startswith(
        "shown.visibility: expected one of")


def test_a_level_may_let_the_player_switch_activations(tmp_path):
    from game.core.replay import record, verify
    level = _load(tmp_path, network={"activations": ["sigmoid", "relu"]})
    attempt = Attempt(level)
    assert attempt.activation_choices == ("sigmoid", "relu")
    assert not attempt.set_activation("tanh").ok
    attempt.add_point(0.9, 0.9, 1)
    attempt.step(3)
    assert attempt.set_activation("relu").ok and attempt.network.activation == "relu"
    attempt.step(2)
    assert verify(level, record(attempt)).ok
    fixed = Attempt(_load(tmp_path))
    assert fixed.activation_choices == ("sigmoid",)
    refused = fixed.set_activation("tanh")
    assert not refused.ok and "fixed" in refused.reason
    assert _error(tmp_path, network={"activations": ["tanh", "relu"]}).startswith(
        'network.activations: expected a list of different activations among "sigmoid", "tanh", '
        '"relu", including the default "sigmoid", got ["tanh", "relu"]')


def test_frozen_blocks_need_a_single_layer_count(tmp_path):
    text = _error(tmp_path, network={"hidden_layers": [1, 2], "frozen": ["W2"]})
    assert text.startswith("network.frozen: expected no frozen blocks unless hidden_layers "
                           'allows one layer count, got ["W2"]')
