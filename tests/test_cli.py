"""The command line: bench prints its JSON figures."""

import json
import subprocess
import sys


def test_bench_prints_core_figures_as_json():
    result = subprocess.run([sys.executable, "-m", "game", "bench"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)["core"]
    assert set(figures) >= {"traced_step_us", "fast_steps_per_s", "predict_grid_100_ms"}
    assert all(isinstance(v, (int, float)) and v > 0 for v in figures.values())


def test_version_flag():
    result = subprocess.run([sys.executable, "-m", "game", "--version"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("fruitnet ")
