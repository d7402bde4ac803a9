"""The field's fog: which orchard fruit the player's fruit light up."""

import numpy as np

from game.view.field import lit_by_fruit


def test_fog_lights_exactly_the_orchard_within_the_radius_of_any_fruit():
    rng = np.random.default_rng(3)
    orchard, fruit = rng.random((700, 2)), rng.random((600, 2))
    brute = np.linalg.norm(orchard[:, None] - fruit[None], axis=2).min(axis=1) < 0.05
    assert np.array_equal(lit_by_fruit(orchard, fruit, 0.05, chunk=64), brute)
    assert 0 < brute.sum() < len(orchard)


def test_fog_with_no_fruit_lights_nothing():
    assert not lit_by_fruit(np.random.default_rng(0).random((5, 2)), np.empty((0, 2)), 0.2).any()
