"""The command line: bench prints its JSON figures; play, sandbox, shot and errors."""

import json
import subprocess
import sys


def test_bench_figures_are_positive_numbers_under_their_names():
    from game.tools.bench import core_figures, frame_figures
    core = core_figures(rounds=1)
    assert set(core) == {"traced_step_us", "fast_steps_per_s", "predict_grid_100_ms",
                         "neuron_grids_32_ms"}
    assert all(isinstance(v, (int, float)) and v > 0 for v in core.values())
    frame = frame_figures(frames=5)
    assert set(frame) == {"median_ms", "p95_ms", "live_particles"}
    assert 0 < frame["median_ms"] <= frame["p95_ms"]
    assert frame["live_particles"] > 0, "the frames are drawn with pulses in flight"


def test_menu_frames_are_measured_on_the_title_and_the_chapter_map():
    from game.tools.bench import menu_frame_figures
    figures = menu_frame_figures(frames=20)
    assert set(figures) == {"title", "chapter_map"}
    assert all(0 < f["median_ms"] <= f["p95_ms"] for f in figures.values())


def test_bench_prints_every_figure_as_one_json_object(monkeypatch, capsys):
    from game.tools import bench
    # The slow parts are measured above and in test_soak; here only the assembly counts.
    monkeypatch.setattr(bench, "core_figures", lambda: {"traced_step_us": 1.0})
    monkeypatch.setattr(bench, "frame_figures", lambda window_size=None: {"median_ms": window_size or 2.0})
    monkeypatch.setattr(bench, "first_frame_ms", lambda: 3.0)
    monkeypatch.setattr(bench, "menu_frame_figures", lambda: {"title": 7.0})
    monkeypatch.setattr(bench, "rss_after_soak_mb", lambda: 4.0)
    from game.tools import check
    monkeypatch.setattr(check, "solver_figures",
                        lambda: {"solve_campaign_s": 5.0, "solver_run_steps_per_s": 6.0})
    from game.tools import report_cmd
    monkeypatch.setattr(report_cmd, "report_figure", lambda: 8.0)
    assert bench.run_bench() == 0
    assert json.loads(capsys.readouterr().out) == {
        "core": {"traced_step_us": 1.0}, "frame": {"median_ms": 2.0},
        "frame_in_1024x768": {"median_ms": [1024, 768]}, "frame_menus": {"title": 7.0},
        "first_frame_ms": 3.0,
        "rss_after_soak_mb": 4.0, "solve_campaign_s": 5.0, "solver_run_steps_per_s": 6.0,
        "report_30_students_s": 8.0}


def test_bench_reads_the_soak_memory_from_a_soak_in_its_own_process():
    from game.tools.bench import rss_after_soak_mb
    rss = rss_after_soak_mb(events=200)
    assert isinstance(rss, float) and 20 < rss < 1000


def test_version_flag():
    result = subprocess.run([sys.executable, "-m", "game", "--version"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("fruitnet ")


def _run(*args, **env):
    import os
    environment = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", **env)
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True,
                          timeout=120, env=environment)


def test_play_sandbox_and_bare_command_open_a_window_and_draw():
    for args in (("play", "crossed-rows"), ("sandbox",), ()):
        result = _run(*args, FRUITNET_EXIT_AFTER_FIRST_FRAME="1")
        assert result.returncode == 0, result.stderr
        assert "first-frame" in result.stdout
        assert "Traceback" not in result.stderr


def test_play_with_an_unknown_level_says_so_in_one_line():
    result = _run("play", "no-such-level")
    assert result.returncode == 1
    assert result.stdout.strip().count("\n") == 0 and "expected a level file or a level id" in result.stdout
    assert "Traceback" not in result.stderr


def test_shot_writes_a_png_of_the_backward_phase(tmp_path):
    import pygame
    out = tmp_path / "shot.png"
    result = _run("shot", "first-harvest", "--steps", "3", "--out", str(out), "--phase", "backward")
    assert result.returncode == 0, result.stderr
    image = pygame.image.load(str(out))
    assert image.get_size() == (1280, 720)
    # Mid-backward, the network panel carries red pulses.
    reds = sum(1 for x in range(470, 900, 3) for y in range(56, 366, 3)
               if (c := image.get_at((x, y))).r > 200 and c.g < 140 and c.b < 150)
    assert reds > 5


def test_bench_solver_figures_are_positive_numbers():
    from game.tools.check import solver_figures
    figures = solver_figures()
    assert set(figures) == {"solve_campaign_s", "solver_run_steps_per_s"}
    assert all(isinstance(v, (int, float)) and v > 0 for v in figures.values())
