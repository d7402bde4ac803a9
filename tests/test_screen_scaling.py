"""Any screen size: the 1280×720 canvas is letterboxed into the window, and the pointer maps back.

Under the dummy video driver a window of any size can be opened, so the real
present() and the real event path are checked pixel by pixel.
"""

import dataclasses

import numpy as np
import pygame
import pygame_gui
import pytest

import game.app as app_module
from game.app import App, canvas_mouse_pos, open_window, present, to_canvas_event
from game.core.letterbox import fit, window_size_for
from game.core.settings import Settings, load_settings, save_settings
from game.scenes.base import Scene
from game.view import theme

CANVAS = (1280, 720)


@pytest.fixture(autouse=True)
def data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("FRUITNET_DATA_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture(autouse=True)
def canvas_sized_window_afterwards():
    """Other tests expect the window to be the canvas's size, as open_window leaves it."""
    yield
    open_window()


# ------------------------------------------------------------ the mapping
@pytest.mark.parametrize("window, rect", [
    ((1280, 720), (0, 0, 1280, 720)),
    ((1024, 768), (0, 96, 1024, 576)),  # a 4:3 projector: bars above and below
    ((1920, 1080), (0, 0, 1920, 1080)),
    ((1366, 768), (0, 0, 1365, 768)),  # not quite 16:9: a one-pixel bar
    ((800, 1000), (0, 275, 800, 450)),
    ((2000, 720), (360, 0, 1280, 720)),  # wide: bars left and right
    ((0, 0), (0, 0, 0, 0)),  # minimised
])
def test_the_canvas_is_fitted_with_its_aspect_kept_and_centred(window, rect):
    box = fit(CANVAS, window)
    assert box.rect == rect
    assert box.identity == (window == CANVAS)


@pytest.mark.parametrize("window", [(1920, 1080), (1366, 768), (2560, 1440), (1280, 720)])
def test_enlarged_every_canvas_pixel_maps_back_to_itself(window):
    box = fit(CANVAS, window)
    for x, y in [(0, 0), (1279, 719), (640, 360), (1, 718), (333, 77), (1000, 500)]:
        assert box.to_canvas(box.to_window((x, y))) == (x, y)


def test_shrunk_a_window_pixel_maps_to_the_canvas_pixel_under_it():
    box = fit(CANVAS, (1024, 768))  # scale 0.8, picture from y = 96
    assert box.to_canvas((0, 96)) == (0, 0)
    assert box.to_canvas((1023, 96 + 575)) == (1278, 718)  # the last window pixel covers 1278…1279
    assert box.to_canvas((512, 96 + 288)) == (640, 360)
    for x, y in [(0, 0), (1279, 719), (640, 360), (333, 77)]:
        back = box.to_canvas(box.to_window((x, y)))
        assert abs(back[0] - x) <= 1 and abs(back[1] - y) <= 1


def test_a_point_on_a_bar_maps_off_the_canvas():
    box = fit(CANVAS, (1024, 768))
    assert not box.contains((500, 50)) and box.to_canvas((500, 50))[1] < 0
    assert not box.contains((500, 700)) and box.to_canvas((500, 700))[1] >= 720
    assert box.contains((500, 400))


def test_motion_is_scaled_too():
    assert fit(CANVAS, (1024, 768)).motion_to_canvas((8, -4)) == (10, -5)
    assert fit(CANVAS, (1920, 1080)).motion_to_canvas((3, 3)) == (2, 2)


@pytest.mark.parametrize("desktop, size", [
    ((1920, 1080), (1280, 720)),  # fits: the canvas's own size
    ((1024, 768), (1008, 567)),  # narrower than the canvas: shrunk to the width
    ((1366, 768), (1195, 672)),  # a laptop with a taskbar: shrunk to the height
    ((800, 600), (784, 441)),
    ((0, 0), (320, 180)),  # nonsense: still a usable window
    (None, (1280, 720)),
])
def test_a_new_window_fits_the_desktop_with_room_for_bars_and_borders(desktop, size):
    assert window_size_for(CANVAS, desktop) == size


# --------------------------------------------------------- present()
def _quadrants(canvas):
    """Red top-left, green top-right, blue bottom-left, white bottom-right."""
    for colour, rect in [((255, 0, 0), (0, 0, 640, 360)), ((0, 255, 0), (640, 0, 640, 360)),
                         ((0, 0, 255), (0, 360, 640, 360)), ((255, 255, 255), (640, 360, 640, 360))]:
        canvas.fill(colour, rect)


def _close(pixel, colour) -> bool:
    """Equal to within smoothscale's rounding (it darkens a flat colour by up to 2 levels)."""
    return bool(np.abs(np.asarray(pixel, int) - colour).max() <= 3)


@pytest.mark.parametrize("window", [(1024, 768), (1920, 1080), (1366, 768), (2000, 720)])
def test_present_draws_the_whole_canvas_letterboxed(window):
    canvas = open_window(window)
    assert canvas.get_size() == CANVAS
    _quadrants(canvas)
    present(canvas)
    screen = pygame.display.get_surface()
    assert screen.get_size() == window
    box = fit(CANVAS, window)
    x, y, w, h = box.rect
    pixels = pygame.surfarray.array3d(screen)
    for (cx, cy), colour in [((100, 100), (255, 0, 0)), ((1200, 100), (0, 255, 0)),
                             ((100, 650), (0, 0, 255)), ((1200, 650), (255, 255, 255))]:
        assert _close(pixels[box.to_window((cx, cy))], colour)
    # Every corner of the canvas is on screen (nothing cropped), and the bars are black.
    assert _close(pixels[x, y], (255, 0, 0)) and _close(pixels[x + w - 1, y + h - 1], (255, 255, 255))
    bars = np.ones(window, bool)
    bars[x:x + w, y:y + h] = False
    assert (pixels[bars] == app_module.BAR_COLOUR).all()


def test_shrinking_averages_so_thin_lines_survive():
    canvas = open_window((1024, 768))
    canvas.fill((0, 0, 0))
    pygame.draw.line(canvas, (255, 255, 255), (0, 361), (1279, 361))  # one canvas pixel high
    present(canvas)
    row = pygame.surfarray.array3d(pygame.display.get_surface())[512, 96:96 + 576, 0]
    assert row.max() >= 120  # a nearest-pixel shrink could drop the line altogether


# ------------------------------------------------------ pointer to scenes
class Recording(Scene):
    """A scene that keeps every event it is handed."""

    def __init__(self):
        super().__init__()
        self.events = []

    def handle_event(self, event):
        self.events.append(event)

    def draw(self, surface):
        surface.fill((20, 20, 20))


def _app_in_window(size):
    app = App(Recording)
    pygame.display.set_mode(size, pygame.RESIZABLE)  # as if the player resized the window
    pygame.event.clear()
    return app


@pytest.mark.parametrize("size", [(1024, 768), (1920, 1080)])
def test_a_click_in_the_window_reaches_the_scene_at_the_canvas_position(size):
    app = _app_in_window(size)
    box = fit(CANVAS, size)
    target = (300, 200)
    where = box.to_window(target)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=where, button=1))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=where, button=1))
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=where, rel=(8, 8), buttons=(0, 0, 0)))
    app.frame()
    got = [(e.type, e.pos) for e in app.stack.top.events if e.type in app_module.POINTER_EVENTS]
    mapped = box.to_canvas(where)
    assert got == [(pygame.MOUSEBUTTONDOWN, mapped), (pygame.MOUSEBUTTONUP, mapped),
                   (pygame.MOUSEMOTION, mapped)]
    assert all(abs(a - b) <= 1 for a, b in zip(box.to_canvas(where), target))
    motion = app.stack.top.events[-1]
    assert motion.rel == box.motion_to_canvas((8, 8))


def test_other_events_pass_unchanged_and_pixel_for_pixel_nothing_is_remade():
    key = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_a, mod=0, unicode="a")
    assert to_canvas_event(key, fit(CANVAS, (1024, 768))) is key
    click = pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(10, 10), button=1)
    assert to_canvas_event(click, fit(CANVAS, CANVAS)) is click


def test_the_frame_shown_in_a_small_window_is_the_scene_shrunk():
    app = _app_in_window((1024, 768))
    app.frame()
    screen = pygame.surfarray.array3d(pygame.display.get_surface())
    assert _close(screen[512, 400], (20, 20, 20))  # the scene's fill, on the picture
    assert tuple(screen[512, 40]) == app_module.BAR_COLOUR


def test_pygame_gui_hovers_by_the_canvas_position_under_the_real_pointer(monkeypatch):
    open_window((1024, 768))
    box = fit(CANVAS, (1024, 768))
    manager = theme.make_gui_manager()
    button = pygame_gui.elements.UIButton(pygame.Rect(1000, 600, 200, 60), "far corner", manager)
    # The pointer is over the button as drawn in the window: in window pixels that is
    # nowhere near (1000…1200, 600…660), so only a mapped position can hover it.
    pointer = box.to_window((1100, 630))
    monkeypatch.setattr(app_module, "_window_mouse_pos", lambda desktop=False: pointer)
    assert pygame.mouse.get_pos() == box.to_canvas(pointer) == canvas_mouse_pos()
    manager.update(0.05)
    assert button.hovered
    monkeypatch.setattr(app_module, "_window_mouse_pos", lambda desktop=False: (1100, 630))
    manager.update(0.05)
    assert not button.hovered  # the same numbers in window pixels are off the button


# --------------------------------------------------------- fullscreen, settings
def test_fullscreen_on_f11_is_remembered_in_the_settings(monkeypatch):
    calls = []
    monkeypatch.setattr(app_module, "set_fullscreen", calls.append)  # a display that accepts
    app = App(Recording)
    app.toggle_fullscreen()
    assert calls == [True] and app.fullscreen
    assert load_settings()[0].fullscreen is True
    app.toggle_fullscreen()
    assert calls == [True, False] and not app.fullscreen and load_settings()[0].fullscreen is False


def test_start_up_applies_the_saved_fullscreen_volume_and_mute(monkeypatch):
    save_settings(Settings(fullscreen=True, volume=0.3, mute=True))
    calls = []
    monkeypatch.setattr(app_module, "set_fullscreen", calls.append)
    app = App(Recording)
    assert calls == [True] and app.fullscreen
    assert app.sounds.volume == 0.3 and app.sounds.mute and not app.sounds.audible


def test_a_refused_fullscreen_at_start_up_is_a_notice_and_the_wish_is_kept():
    save_settings(Settings(fullscreen=True))
    app = App(Recording)  # the dummy driver refuses fullscreen
    assert not app.fullscreen and "Fullscreen" in app.notice[0]
    assert load_settings()[0].fullscreen is True


def test_a_bad_settings_file_at_start_up_is_a_notice_not_a_crash(data_folder):
    (data_folder / "settings.toml").write_text("volume = 'loud'\nmute = true\n")
    app = App(Recording)
    assert app.running and app.settings.mute and app.settings.volume == Settings().volume
    assert "settings.toml: volume" in app.notice[0]
    app.frame()  # and it is drawn, over the scene


SETTINGS_EVENT = pygame.event.custom_type()  # as the settings screen posts its changes


def test_settings_posted_by_a_screen_apply_at_once_and_are_saved_once_after_a_pause():
    app = App(Recording)
    assert app.stack.settings == Settings()
    chosen = Settings(volume=0.2, mute=True, palette="colour-blind")
    for volume in (0.6, 0.4, 0.2):  # a slider being dragged
        moved = dataclasses.replace(chosen, volume=volume)
        pygame.event.post(pygame.event.Event(SETTINGS_EVENT, settings=moved))
    app.frame()
    assert app.settings == app.stack.settings == chosen
    assert app.sounds.volume == 0.2 and app.sounds.mute
    assert load_settings()[0] == Settings(), "not written on every move"
    app.save_settings_when_due(at_exit=True)
    assert load_settings() == (chosen, None)


def test_a_change_made_just_before_quitting_is_saved():
    app = App(Recording)
    pygame.event.post(pygame.event.Event(SETTINGS_EVENT, settings=Settings(reduced_motion=True)))
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    app.run()
    assert load_settings()[0].reduced_motion is True


def test_a_failed_settings_save_is_a_notice(data_folder):
    (data_folder / "settings.toml").mkdir()
    app = App(Recording)
    app.remember(Settings(volume=0.5))
    assert app.notice is not None and app.notice[0].startswith("Settings not saved:")
