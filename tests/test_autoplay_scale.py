"""The autoplayer's fruit choice scales to the largest orchards a level may hold."""

import resource
import time

import numpy as np

from game.core import autoplay


def _spread_with_full_matrix(P, k):
    """The original O(M²) farthest-point sampling, as the reference."""
    distances = np.linalg.norm(P[:, None, :] - P[None, :, :], axis=2)
    picked = [int(distances.sum(axis=1).argmin())]
    nearest = distances[picked[0]].copy()
    while len(picked) < min(k, len(P)):
        picked.append(int(nearest.argmax()))
        nearest = np.minimum(nearest, distances[picked[-1]])
    return picked


def test_spread_picks_exactly_what_the_full_matrix_picked():
    rng = np.random.default_rng(4)
    for M, k in ((1, 3), (2, 1), (37, 10), (600, 25), (1500, 40)):
        P = rng.random((M, 2))
        expected = [P[i] for i in _spread_with_full_matrix(P, k)]
        got = autoplay._spread(P, k)
        assert len(got) == len(expected) == min(M, k)
        assert all(np.array_equal(a, b) for a, b in zip(got, expected))


def test_spread_of_forty_thousand_points_is_quick_and_small():
    P = np.random.default_rng(5).random((40_000, 2))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.process_time()
    chosen = autoplay._spread(P, 30)
    cpu_seconds = time.process_time() - start
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert len({tuple(p) for p in chosen}) == 30
    # The (M, M) matrix would be 12.8 GB; the O(M·k) spread needs a few MB.
    assert grown_mb < 200
    assert cpu_seconds < 20  # generous: the O(M²) version could not finish at all


def test_large_orchard_medoid_is_central():
    P = np.random.default_rng(6).random((10_000, 2))
    centre = P[autoplay._medoid(P)]
    assert np.linalg.norm(centre - 0.5) < 0.05
