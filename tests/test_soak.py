"""The soak: random input through the real game reaches every screen, raises nothing, and
would notice if something did. Also the memory fixes the soak led to."""

import gc
import io
import json
import os
import subprocess
import sys
import weakref

import pygame
import pytest

from game.tools import soak as soak_tool


@pytest.fixture
def data_folder(tmp_path, monkeypatch):
    """Each soak saves its levels and error log into a fresh folder."""
    monkeypatch.setenv("FRUITNET_DATA_DIR", str(tmp_path))
    return tmp_path


def test_a_short_soak_visits_every_screen_without_an_exception(data_folder):
    report = soak_tool.soak(5000, seed=1)
    assert report["exceptions"] == {"total": 0, "distinct": []}
    assert report["events"] >= 5000 and report["frames"] > 1000
    assert report["episodes"] >= 5, "levels and the sandbox take turns"
    assert {"PlayScene", "LevelIntro", "ExplainScene", "SandboxScene", "ErrorCard", "TitleScene",
            "ChapterMap", "PauseMenu"} <= set(report["scenes_seen"])
    # The error card came from the soak's own planted failures, which are not bugs.
    assert report["injected_faults"] >= 1
    assert report["rss_mb"]["start"] <= report["rss_mb"]["end"] <= report["rss_mb"]["peak"]


def test_the_soak_reports_a_bug_it_runs_into(data_folder, monkeypatch):
    from game.scenes.training import TrainingScene
    original = TrainingScene.on_key

    def on_key_with_a_bug(self, event):
        if event.key == pygame.K_r:
            raise ArithmeticError("planted: Reset divides by zero")
        original(self, event)

    monkeypatch.setattr(TrainingScene, "on_key", on_key_with_a_bug)
    out = io.StringIO()
    assert soak_tool.run_soak(1500, seed=2, out=out) == 1
    report = json.loads(out.getvalue())
    assert report["exceptions"]["total"] >= 1
    assert any("ArithmeticError: planted: Reset divides by zero" in line
               for line in report["exceptions"]["distinct"])
    assert "ErrorCard" in report["scenes_seen"]


def test_the_same_seed_gives_the_same_run(tmp_path, monkeypatch):
    runs = []
    for k, seed in enumerate((7, 7, 8)):
        monkeypatch.setenv("FRUITNET_DATA_DIR", str(tmp_path / str(k)))  # no earlier saves
        runs.append(soak_tool.soak(500, seed, episode_events=250))
    first, again, other = runs
    assert first["digest"] == again["digest"] and first["frames"] == again["frames"]
    assert other["digest"] != first["digest"]


def test_soak_command_prints_json_and_leaves_no_files_behind(tmp_path):
    home, temp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    temp.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "FRUITNET_DATA_DIR"}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), TMPDIR=str(temp),
               SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    result = subprocess.run([sys.executable, "-m", "game", "soak", "--events", "300", "--seed", "3"],
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["events"] >= 300 and report["exceptions"]["total"] == 0
    assert list(home.iterdir()) == [] and list(temp.iterdir()) == [], "its data folder is removed"


# ------------------------------------------------------------------ memory
def test_every_gui_manager_shares_one_theme_and_one_translation_path():
    import i18n

    from game.app import open_window
    from game.view.theme import make_gui_manager

    open_window()
    first, second = make_gui_manager(), make_gui_manager()
    assert first.get_theme() is second.get_theme(), "fonts and surface cache loaded once"
    assert len(i18n.load_path) == len(set(i18n.load_path))
    # The shared theme still carries the FruitNet look: DejaVu, and the green primary button.
    import pygame_gui
    button = pygame_gui.elements.UIButton(pygame.Rect(0, 0, 100, 30), "x", second, object_id="#primary")
    assert button.colours["normal_bg"] == pygame.Color("#2f7d4f")
    assert "DejaVuSans-Bold" in second.get_theme().get_font_dictionary().known_font_paths["dejavu"][1][0]


def test_a_scene_that_leaves_the_stack_is_freed_by_the_next_frame(data_folder):
    from game.app import App
    from game.scenes.explain import ExplainScene
    from game.scenes.sandbox import SandboxScene

    app = App(SandboxScene)
    app.stack.push(ExplainScene())
    app.frame()
    card = weakref.ref(app.stack.top.manager)
    gc.disable()  # only the app's own collection may free it, not one that happens to run
    try:
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0, unicode=""))
        app.frame()
    finally:
        gc.enable()
    assert isinstance(app.stack.top, SandboxScene)
    assert card() is None, "the closed card's widgets do not wait for Python's cycle collector"


def test_a_soak_over_levels_with_every_feature_raises_nothing():
    from pathlib import Path

    from game.tools.soak import episode_starts, soak
    features = str(Path(__file__).parent / "fixtures" / "features")
    names = [name for name, _ in episode_starts((features,))]
    assert names[:4] == ["play feature-harvest", "sandbox", "play feature-frozen", "title"]
    assert "play tip-the-scale" in names[4:], "then the shipped levels"
    report = soak(4000, seed=3, episode_events=300, packs=(features,))
    assert report["episodes"] >= 4, "both feature levels were played"
    assert report["exceptions"]["total"] == 0, report["exceptions"]
