"""`fruitnet bench`: the project's speed figures, printed as one JSON object.

Each figure is the median of several timed repeats, so one slow moment on a
busy machine does not decide it. Later issues add members beside "core".
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable

import numpy as np

from game.core.datasets import generate
from game.core.net import Network


def _median_seconds(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def core_figures() -> dict[str, float]:
    """traced_step_us, fast_steps_per_s and predict_grid_100_ms, on a 2-8-1 sigmoid net."""
    X, y = generate("clusters", 200, 0.05, seed=1)
    net = Network((2, 8, 1), "sigmoid", seed=0)
    steps = 5000
    order = np.random.default_rng(2).integers(0, len(y), size=steps)
    net.train(X, y, order[:200], 0.5)  # warm-up: first calls pay for imports and caches

    def traced_block() -> None:
        for i in order[:500]:
            net.step(X[i], y[i], 0.5)

    traced = _median_seconds(traced_block, 7) / 500
    fast = _median_seconds(lambda: net.train(X, y, order, 0.5), 7) / steps
    grid = _median_seconds(lambda: net.predict_grid(100), 51)
    return {
        "traced_step_us": round(traced * 1e6, 1),
        "fast_steps_per_s": round(1.0 / fast),
        "predict_grid_100_ms": round(grid * 1e3, 3),
    }


def run_bench() -> int:
    """Print the benchmark JSON to stdout; returns the exit code."""
    print(json.dumps({"core": core_figures()}, indent=2))
    return 0
