"""Dataset generators: seeded, inside the field, balanced, and shaped as named."""

import numpy as np
import pytest

from game.core.datasets import GENERATORS, generate

KINDS = list(GENERATORS)


@pytest.mark.parametrize("kind", KINDS)
def test_deterministic_per_seed(kind):
    X1, y1 = generate(kind, 101, 0.05, seed=4)
    X2, y2 = generate(kind, 101, 0.05, seed=4)
    X3, _ = generate(kind, 101, 0.05, seed=5)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("noise", [0.0, 0.3, 1.0])
def test_inside_the_field_with_binary_labels(kind, noise):
    X, y = generate(kind, 200, noise, seed=1)
    assert X.shape == (200, 2) and y.shape == (200,)
    assert X.dtype == np.float64 and y.dtype == np.float64
    assert ((X >= 0) & (X <= 1)).all()
    assert set(np.unique(y)) == {0.0, 1.0}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("count", [2, 7, 300])
def test_balanced(kind, count):
    _, y = generate(kind, count, 0.05, seed=2)
    assert y.sum() == count - count // 2


def _centroid(X, y, label):
    return X[y == label].mean(axis=0)


def test_clusters_put_strawberries_sweet_and_red():
    X, y = generate("clusters", 400, 0.02, seed=0)
    assert (_centroid(X, y, 1) > 0.6).all() and (_centroid(X, y, 0) < 0.4).all()


def test_xor_labels_follow_the_quadrants_without_noise():
    X, y = generate("xor", 400, 0.0, seed=0)
    high_sweet, high_red = X[:, 0] > 0.5, X[:, 1] > 0.5
    assert np.array_equal(y == 1, high_sweet != high_red)


def test_ring_has_strawberries_inside_lemons_outside():
    X, y = generate("ring", 400, 0.0, seed=0)
    r = np.hypot(X[:, 0] - 0.5, X[:, 1] - 0.5)
    assert r[y == 1].max() < r[y == 0].min()


def test_spiral_and_moons_are_not_linearly_separable_by_centroids():
    for kind in ("spiral", "moons", "stripes"):
        X, y = generate(kind, 400, 0.0, seed=0)
        w = _centroid(X, y, 1) - _centroid(X, y, 0)
        mid = (_centroid(X, y, 1) + _centroid(X, y, 0)) / 2
        nearest_centroid_accuracy = (((X - mid) @ w > 0) == (y == 1)).mean()
        assert nearest_centroid_accuracy < 0.95, kind


@pytest.mark.parametrize("args, message", [
    (("pears", 10, 0.1, 0), "generator: expected one of clusters, xor"),
    (("xor", 1, 0.1, 0), "count: expected a whole number ≥ 2, got 1"),
    (("xor", 10.5, 0.1, 0), "count: expected a whole number"),
    (("xor", 10, -0.1, 0), "noise: expected a number from 0 to 1, got -0.1"),
    (("xor", 10, 0.1, -3), "seed: expected a whole number ≥ 0, got -3"),
])
def test_bad_arguments(args, message):
    with pytest.raises(ValueError, match=message):
        generate(*args)
