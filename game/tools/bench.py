"""`fruitnet bench`: the project's speed figures, printed as one JSON object.

The core figures are the best of several timed repeats: on a shared virtual
machine, interference only ever adds time, so the best repeat is the most
repeatable measure of the code itself (the same reasoning as Python's timeit).
The frame figures are a distribution over many frames: median and 95th
percentile.
"""

from __future__ import annotations

import json
import math
import statistics
import time
from collections.abc import Callable

import numpy as np

from game.core.datasets import generate
from game.core.net import Network
from game.core.neuron_grids import hidden_grids


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def core_figures(rounds: int = 15) -> dict[str, float]:
    """traced_step_us, fast_steps_per_s, predict_grid_100_ms and neuron_grids_32_ms (the
    hidden neurons' 32×32 thumbnails), on a 2-8-1 sigmoid net.

    The measures take turns, round after round, and each keeps its best
    round: a slow patch of a few seconds on a shared machine then spoils single
    rounds of every measure rather than every round of one.
    """
    X, y = generate("clusters", 200, 0.05, seed=1)
    net = Network((2, 8, 1), "sigmoid", seed=0)
    traced_steps, fast_steps = 200, 2000
    order = np.random.default_rng(2).integers(0, len(y), size=fast_steps)
    net.train(X, y, order[:200], 0.5)  # warm-up: first calls pay for imports and caches

    def traced_block() -> None:
        for i in order[:traced_steps]:
            net.step(X[i], y[i], 0.5)

    def grid_block() -> None:
        for _ in range(5):
            net.predict_grid(100)

    def thumbnails_block() -> None:
        for _ in range(5):
            hidden_grids(net, 32)

    best = {"traced": math.inf, "fast": math.inf, "grid": math.inf, "thumbnails": math.inf}
    for _ in range(rounds):
        best["traced"] = min(best["traced"], _timed(traced_block) / traced_steps)
        best["fast"] = min(best["fast"], _timed(lambda: net.train(X, y, order, 0.5)) / fast_steps)
        best["grid"] = min(best["grid"], _timed(grid_block) / 5)
        best["thumbnails"] = min(best["thumbnails"], _timed(thumbnails_block) / 5)
    return {
        "traced_step_us": round(best["traced"] * 1e6, 1),
        "fast_steps_per_s": round(1.0 / best["fast"]),
        "predict_grid_100_ms": round(best["grid"] * 1e3, 3),
        "neuron_grids_32_ms": round(best["thumbnails"] * 1e3, 3),
    }


def frame_figures(frames: int = 240, window_size: tuple[int, int] | None = None) -> dict[str, float]:
    """Play-screen frames (a traced step, heatmap refresh, update, draw, present) with 300 fruit.

    `window_size` (pixels) opens a window of that size, so present() letterboxes the
    1280×720 canvas into it; by default the window is the canvas's size.

    Each frame trains one animated step, so the heatmap and the hidden neurons'
    thumbnails are recomputed every frame, while 1,000 long-lived pulses stay in
    the particle pool and the mouse rests on a hidden neuron, whose thumbnail is
    drawn enlarged.
    """
    import dataclasses

    from game.app import open_window, present
    from game.core.levels import load_pack
    from game.resources import levels_dir
    from game.scenes.play import PlayScene

    window = open_window(window_size)
    level = load_pack(levels_dir() / "starter").level("first-harvest")
    level = dataclasses.replace(level, point_budget=300, step_budget=10**6, target_accuracy=1.0)
    scene = PlayScene(level)
    X, y = generate("moons", 300, 0.08, seed=3)
    for (x1, x2), label in zip(X.tolist(), y.tolist()):
        scene.attempt.add_point(x1, x2, int(label))
    edges = len(scene.layout.edge_start)
    slots = np.arange(1000) % edges
    scene.particles.spawn(slots, np.linspace(0.1, 1.0, 1000), np.linspace(0, 0.9, 1000),
                          1e-4, backward=True)
    scene.on_mouse_move(scene.layout.thumb_rects[1][0].center)
    times = []
    for _ in range(frames):
        start = time.perf_counter()
        scene.train(1)
        scene.update(1 / 60)
        scene.draw(window)
        present()
        times.append((time.perf_counter() - start) * 1e3)
    times.sort()
    return {"median_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2),
            "live_particles": scene.particles.live_count}


def menu_frame_figures(frames: int = 240) -> dict[str, dict[str, float]]:
    """Frames (update, draw, present) of the title screen, whose backdrop network trains
    and redraws its heatmap, and of the chapter map, with progress in a throw-away store."""
    import tempfile
    from pathlib import Path

    from game.app import open_window, present
    from game.resources import levels_dir
    from game.scenes.base import SceneStack
    from game.scenes.chapter_map import ChapterMap
    from game.scenes.session import Session
    from game.scenes.title import TitleScene

    window = open_window()
    figures = {}
    with tempfile.TemporaryDirectory(prefix="fruitnet-bench-") as data:
        session = Session.open(levels_dir(), Path(data) / "progress.db")
        for name, make in (("title", TitleScene), ("chapter_map", ChapterMap)):
            stack = SceneStack()
            stack.session = session
            stack.push(make())
            times = []
            for _ in range(frames):
                start = time.perf_counter()
                stack.update(1 / 60)
                stack.draw(window)
                present()
                times.append((time.perf_counter() - start) * 1e3)
            times.sort()
            figures[name] = {"median_ms": round(statistics.median(times), 2),
                             "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2)}
        session.close()
    return figures


def first_frame_ms(repeats: int = 3) -> float:
    """Wall time from launching `python -m game` to its first drawn frame, the title
    screen (median). Its progress and settings go to a throw-away data folder."""
    import os
    import subprocess
    import sys
    import tempfile

    times = []
    with tempfile.TemporaryDirectory(prefix="fruitnet-bench-") as data:
        env = dict(os.environ, FRUITNET_EXIT_AFTER_FIRST_FRAME="1", SDL_VIDEODRIVER="dummy",
                   SDL_AUDIODRIVER="dummy", FRUITNET_DATA_DIR=data)
        for _ in range(repeats):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "game"], env=env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append((time.perf_counter() - start) * 1e3)
    return round(statistics.median(times), 1)


def rss_after_soak_mb(events: int = 3000, seed: int = 1) -> float | None:
    """Resident memory (MB) at the end of a short soak of the real game (None if it broke).

    The soak runs in its own process, so what the bench itself allocated does not count.
    """
    import os
    import subprocess
    import sys

    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    result = subprocess.run([sys.executable, "-m", "game", "soak", "--events", str(events),
                             "--seed", str(seed)], env=env, capture_output=True, text=True,
                            check=False, timeout=600)
    try:
        return json.loads(result.stdout)["rss_mb"]["end"]
    except (ValueError, KeyError, TypeError):  # the soak died before reporting
        return None


def run_bench() -> int:
    """Print the benchmark JSON to stdout; returns the exit code."""
    import os

    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    from game.tools.check import solver_figures
    from game.tools.report_cmd import report_figure

    figures = {"core": core_figures(), "frame": frame_figures(),
               "frame_in_1024x768": frame_figures(window_size=(1024, 768)),
               "frame_menus": menu_frame_figures(),
               "first_frame_ms": first_frame_ms(),
               "rss_after_soak_mb": rss_after_soak_mb(), **solver_figures(),
               "report_30_students_s": report_figure()}
    print(json.dumps(figures, indent=2))
    return 0
