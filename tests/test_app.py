"""The main loop survives anything a scene does: errors become a card and a log entry."""

import os
import time

import pygame
import pytest

from game.app import App
from game.scenes.base import Scene
from game.scenes.error_card import ErrorCard
from game.view import theme


class Flaky(Scene):
    """A scene that raises in whichever method it is told to, after its first update."""

    def __init__(self, fail_in: str) -> None:
        super().__init__()
        self.fail_in = fail_in
        self.frames = 0

    def handle_event(self, event):
        if self.fail_in == "handle_event" and event.type == pygame.KEYDOWN:
            raise ValueError("bad key handling")

    def update(self, dt):
        if self.fail_in == "update" and dt > 0:
            raise RuntimeError("boom in update")

    def draw(self, surface):
        self.frames += 1
        surface.fill((10, 200, 10))
        if self.fail_in == "draw":
            raise ZeroDivisionError("draw divided by zero")


@pytest.fixture(autouse=True)
def data_folder(tmp_path, monkeypatch):
    """Each test logs into its own data folder."""
    monkeypatch.setenv("FRUITNET_DATA_DIR", str(tmp_path))
    return tmp_path


def _frames(app, n=3):
    for _ in range(n):
        time.sleep(0.01)  # let the fixed-step accumulator collect an update
        app.frame()


@pytest.mark.parametrize("fail_in", ["update", "draw", "handle_event"])
def test_a_failing_scene_shows_the_error_card_and_is_logged(fail_in):
    app = App(lambda: Flaky(fail_in))
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_x, mod=0, unicode="x"))
    _frames(app)
    assert isinstance(app.stack.top, ErrorCard) and app.running
    assert len(app.stack.scenes) == 2, "one card, however often the scene fails"
    log = app.errors.path.read_text(encoding="utf-8")
    assert f"Flaky.{fail_in}" in log and "Traceback" in log
    assert log.count("Traceback") == 1, "a repeated error is logged once"
    # The card is drawn over the scene: its red edge is on screen.
    assert app.window.get_at((app.stack.top.card.x + 1, app.stack.top.card.centery))[:3] == \
        theme.ERROR_RED


def test_continue_returns_to_the_scene_and_quit_ends_the_loop():
    app = App(lambda: Flaky("handle_event"))
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_x, mod=0, unicode="x"))
    _frames(app, 1)
    assert isinstance(app.stack.top, ErrorCard)
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r"))
    _frames(app, 1)
    assert isinstance(app.stack.top, Flaky)
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_x, mod=0, unicode="x"))
    _frames(app, 1)
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0, unicode=""))
    _frames(app, 2)
    assert not app.running


def test_refused_fullscreen_becomes_a_notice():
    app = App(lambda: Flaky("nothing"))
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_F11, mod=0, unicode=""))
    _frames(app, 1)
    assert app.running and isinstance(app.stack.top, Flaky)
    assert app.notice is not None and "Fullscreen" in app.notice[0]
    # The notice is drawn: a dark red box at the bottom of the screen.
    strip = pygame.surfarray.array3d(app.window.subsurface((0, 660, 1280, 60)))
    assert ((strip == (140, 40, 50)).all(axis=2)).sum() > 2000


def test_the_error_log_goes_to_the_data_folder_and_never_follows_a_symlink(tmp_path, monkeypatch):
    monkeypatch.setenv("FRUITNET_DATA_DIR", str(tmp_path))
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (tmp_path / "logs").mkdir()
    os.symlink(victim, tmp_path / "logs" / "errors.log")
    app = App(lambda: Flaky("update"))
    _frames(app)
    assert isinstance(app.stack.top, ErrorCard)
    assert victim.read_text() == "keep me"
    assert app.errors.write_problem and "cannot write the error log" in app.errors.write_problem
