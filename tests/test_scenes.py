"""Scenes render off-screen (SDL dummy driver) and turn input into the right core calls."""

import dataclasses

import numpy as np
import pygame
import pytest

from game.app import open_window
from game.core.attempt import HARVEST_FAILED, OUT_OF_STEPS, PLAYING, WON
from game.core.autoplay import choose_points
from game.core.levels import load_level, load_pack
from game.core.sig_figs import factor, fmt
from game.core.step_text import sub
from game.resources import levels_dir
from game.scenes.base import SceneStack
from game.scenes.explain import ExplainScene
from game.scenes.explain_pages import PAGES
from game.scenes.overlays import ResultOverlay
from game.scenes.play import PlayScene
from game.scenes.sandbox import SandboxScene
from game.scenes.training_layout import FIELD_RECT, LOG_RECT, NETWORK_RECT
from game.tools.shot import advance_to
from game.view import theme
from game.view.coach_note import wrap
from game.view.field import _RAMP as RAMP
from game.view.particles import ParticlePool
from game.view.text_safety import drawable

PACK = load_pack(levels_dir() / "starter")
FIRST = PACK.level("first-harvest")


@pytest.fixture(scope="module", autouse=True)
def window():
    """Every test here needs pygame initialised (fonts, images), with or without drawing."""
    return open_window()


def _stack(scene):
    stack = SceneStack()
    stack.push(scene)
    return stack


def _render(stack, window):
    window.fill((0, 0, 0))
    stack.draw(window)
    return window


def _click(scene, x1, x2, button=1):
    px, py = scene.field_view.to_screen([x1, x2])[0]
    scene.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(int(px), int(py)),
                                          button=button))


def _drawn_at(surface, words, size, colour, style, topleft, background=theme.PANEL):
    """True when `words` appear at `topleft` exactly as the theme renders them on `background`."""
    image = theme.text(words, size, colour, style)
    expected = pygame.Surface(image.get_size())
    expected.fill(background)
    expected.blit(image, (0, 0))
    region = surface.subsurface(pygame.Rect(topleft, image.get_size()))
    return np.array_equal(pygame.surfarray.array3d(region), pygame.surfarray.array3d(expected))


def _heatmap_agrees_with_the_network(scene, surface, samples=40):
    """At field points clear of fruit and of the ½ contour, the pixel is the ramp colour of ŷ."""
    rng = np.random.default_rng(0)
    X, _ = scene.attempt.training_set()
    fruit = np.concatenate([X, scene.attempt.orchard_X]) if len(X) else scene.attempt.orchard_X
    fruit_px = scene.field_view.to_screen(fruit)
    checked = 0
    for x1, x2 in rng.uniform(0.05, 0.95, size=(samples, 2)):
        px, py = scene.field_view.to_screen([x1, x2])[0]
        near_fruit = len(fruit_px) and np.min(np.hypot(*(fruit_px - (px, py)).T)) < 18
        near_line = len(scene.contour) and np.min(np.hypot(*(scene.contour - (px, py)).T)) < 6
        if near_fruit or near_line:
            continue
        y_hat = float(scene.attempt.network.predict(np.array([x1, x2])))
        want = RAMP[int(y_hat * 255 + 0.5)].astype(int)
        got = np.array(surface.get_at((int(px), int(py)))[:3])
        assert np.abs(got - want).max() <= 6, (x1, x2, y_hat, got, want)
        checked += 1
    return checked


@pytest.mark.parametrize("level", PACK.levels, ids=lambda lv: lv.id)
def test_play_scene_renders_every_level(window, level):
    scene = PlayScene(dataclasses.replace(level, target_accuracy=1.0), PACK)
    stack = _stack(scene)
    for p in choose_points(level):
        scene.attempt.add_point(p.x1, p.x2, p.label)
    scene.train(300)  # a trained boundary, so the heatmap has structure to get wrong
    advance_to(scene, None)
    while stack.top is not scene:  # a win card may have come up: look under it
        stack.pop()
    surface = _render(stack, window)
    assert _heatmap_agrees_with_the_network(scene, surface) >= 10
    # Every neuron is drawn where the layout puts it (a filled disc, not the panel colour).
    for centre in np.concatenate(scene.layout.positions):
        assert surface.get_at(tuple(int(v) for v in centre))[:3] != theme.PANEL
    assert _drawn_at(surface, "Step log: w ← w − η ∂L/∂w", 13, theme.TEXT_DIM, "bold",
                     (LOG_RECT.x + 12, LOG_RECT.y + 8))


def test_sandbox_field_shows_the_network_and_every_explanation_page_its_title(window):
    scene = SandboxScene(save_folder=None)
    stack = _stack(scene)
    assert _heatmap_agrees_with_the_network(scene, _render(stack, window)) >= 5
    explain = ExplainScene()
    stack.push(explain)
    for page, (title, _) in enumerate(PAGES):
        explain.page = page
        _render(stack, window)
        assert _drawn_at(window, title, 26, theme.TEXT, "bold",
                         (explain.card.x + 30, explain.card.y + 24)), title


def test_explanation_keys_turn_pages_and_close(window):
    scene = PlayScene(FIRST)
    stack = _stack(scene)
    scene.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_h, mod=0))
    explain = stack.top
    assert isinstance(explain, ExplainScene) and explain.page == 0

    def press(key):
        stack.handle_event(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0))

    press(pygame.K_LEFT)
    assert explain.page == 0, "no page before the first"
    for expected in range(1, len(PAGES)):
        press(pygame.K_RIGHT)
        assert explain.page == expected
    press(pygame.K_RIGHT)
    assert explain.page == len(PAGES) - 1, "no page after the last"
    press(pygame.K_LEFT)
    assert explain.page == len(PAGES) - 2
    press(pygame.K_ESCAPE)
    assert stack.top is scene
    scene.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_h, mod=0))
    press(pygame.K_h)
    assert stack.top is scene, "H closes the pages it opened"


def test_click_places_the_right_fruit_at_the_right_place():
    scene = PlayScene(FIRST)
    _stack(scene)
    _click(scene, 0.25, 0.75, button=1)
    _click(scene, 0.8, 0.1, button=3)
    first, second = scene.attempt.points
    assert first.label == 1 and second.label == 0
    cell = 1.0 / FIELD_RECT.w
    assert abs(first.x1 - 0.25) <= cell and abs(first.x2 - 0.75) <= cell
    assert abs(second.x1 - 0.8) <= cell and abs(second.x2 - 0.1) <= cell
    assert scene.field_view.to_field((FIELD_RECT.x - 5, FIELD_RECT.y)) is None


def test_click_on_a_fruit_removes_it_and_ctrl_z_brings_it_back():
    scene = PlayScene(FIRST)
    _stack(scene)
    _click(scene, 0.5, 0.5)
    _click(scene, 0.2, 0.2, button=3)
    _click(scene, 0.5, 0.5)  # on the strawberry: removes it
    assert [p.label for p in scene.attempt.points] == [0]
    scene.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_z, mod=pygame.KMOD_CTRL))
    assert sorted(p.label for p in scene.attempt.points) == [0, 1]


def test_ctrl_z_undoes_in_order_after_an_earlier_fruit_was_removed():
    level = dataclasses.replace(FIRST, point_budget=5)
    scene = PlayScene(level)
    _stack(scene)
    undo = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_z, mod=pygame.KMOD_CTRL)
    _click(scene, 0.3, 0.3)  # A
    _click(scene, 0.7, 0.7, button=3)  # B
    _click(scene, 0.3, 0.3)  # remove A: B's index shifts from 1 to 0
    scene.handle_event(undo)  # A comes back
    assert sorted((round(p.x1, 1), p.label) for p in scene.attempt.points) == [(0.3, 1), (0.7, 0)]
    scene.handle_event(undo)  # takes back placing B, not A
    assert [(round(p.x1, 1), p.label) for p in scene.attempt.points] == [(0.3, 1)]
    scene.handle_event(undo)  # takes back placing A (the re-added one)
    assert scene.attempt.points == []
    scene.handle_event(undo)
    assert scene.toast and scene.toast[0] == "Nothing to undo."


def test_over_budget_click_shows_the_reason_instead_of_crashing():
    scene = PlayScene(dataclasses.replace(FIRST, point_budget=1))
    _stack(scene)
    _click(scene, 0.5, 0.5)
    _click(scene, 0.6, 0.6)
    assert len(scene.attempt.points) == 1
    assert scene.toast and "budget is 1" in scene.toast[0]


def test_space_steps_and_the_log_shows_the_cores_numbers():
    scene = PlayScene(FIRST)
    _stack(scene)
    _click(scene, 0.8, 0.8)
    _click(scene, 0.2, 0.2, button=3)
    scene.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_SPACE, mod=0))
    assert scene.attempt.steps_used == 1
    trace = scene.animation.trace
    out = trace.layers[-1]
    text = "\n".join(line.text for line in scene.log_view.lines)
    assert f"ŷ = {fmt(trace.y_hat)}," in text
    # The output δ's line prints (ŷ − y), σ′(z) and δ as the core computed them.
    output = next(line.text for line in scene.log_view.lines if line.text.startswith("Output ŷ"))
    assert f"= {factor(out.error[0])} · {fmt(out.derivative[0])} " in output
    assert output.endswith(f" {fmt(out.delta[0])}")
    for i in range(len(out.inputs)):
        gradient, update = [line.text for line in scene.log_view.lines
                            if line.edge == scene.layout.edge_number(1, 0, i)]
        grad = fmt(out.dW[0, i])
        old, new = fmt(out.W_old[0, i]), fmt(out.W_new[0, i])
        assert gradient.endswith(f" {grad}") and f"w⁽²⁾{sub(i + 1)}: {old} → {new}" in update
        assert f"= {factor(out.delta[0])} · {factor(out.inputs[i])} " in gradient


def test_hovering_an_edge_highlights_its_log_line(window):
    scene = PlayScene(FIRST)
    stack = _stack(scene)
    _click(scene, 0.8, 0.8)
    scene.train(1)
    edge = scene.layout.edge_number(1, 0, 1)
    middle = (scene.layout.edge_start[edge] + scene.layout.edge_end[edge]) / 2
    scene.handle_event(pygame.event.Event(pygame.MOUSEMOTION, pos=tuple(middle.astype(int)),
                                          rel=(0, 0), buttons=(0, 0, 0)))
    assert scene.hover_edge == edge
    _render(stack, window)
    row = next(k for k, line in enumerate(scene.log_view.shown) if line.edge == edge)
    y = scene.log_view.body.y + (row - scene.log_view.scroll) * 17 + 2
    r, g, b, _ = window.get_at((scene.log_view.body.right - 3, y))
    assert (r, g, b) == (88, 80, 40), "the hovered weight's line is highlighted"


def test_heatmap_is_red_at_the_strawberry_corner_and_yellow_at_the_lemon_corner(window):
    scene = SandboxScene(save_folder=None)  # the clusters orchard, with no target to stop at
    stack = _stack(scene)
    scene.train(600)
    advance_to(scene, None)
    assert scene.attempt.accuracy > 0.95
    _render(stack, window)
    berry = window.get_at(tuple(int(v) for v in scene.field_view.to_screen([0.99, 0.99])[0]))
    lemon = window.get_at(tuple(int(v) for v in scene.field_view.to_screen([0.01, 0.01])[0]))
    assert berry.r > 150 and berry.r > berry.g + 90, f"red corner, got {berry}"
    assert lemon.r > 150 and lemon.g > 130 and lemon.g > lemon.b + 90, f"yellow corner, got {lemon}"


def test_particle_pool_never_exceeds_capacity():
    pool = ParticlePool(capacity=50)
    rng = np.random.default_rng(0)
    for _ in range(40):
        n = int(rng.integers(0, 30))
        pool.spawn(rng.integers(0, 6, n), rng.random(n), -rng.random(n), 2.0, bool(n % 2))
        pool.update(float(rng.random()) * 0.2)
        assert pool.live_count <= pool.capacity
    assert pool.dropped > 0
    pool.update(10.0)
    assert pool.live_count == 0


def test_backward_phase_draws_red_pulses(window):
    scene = PlayScene(FIRST)
    stack = _stack(scene)
    _click(scene, 0.8, 0.8)
    _click(scene, 0.2, 0.2, button=3)
    scene.train(1)
    advance_to(scene, "backward")
    assert scene.particles.live_count > 0 and scene.particles.backward[scene.particles.alive].any()
    pixels = pygame.surfarray.pixels3d(_render(stack, window).subsurface(NETWORK_RECT))
    red = (pixels[..., 0] > 200) & (pixels[..., 1] < 140) & (pixels[..., 2] < 150)
    assert red.sum() > 30


def test_win_overlay_appears_with_stars(window):
    scene = PlayScene(FIRST, PACK)
    stack = _stack(scene)
    scene.attempt.add_point(0.8, 0.8, 1)
    scene.attempt.add_point(0.2, 0.2, 0)
    scene.train(400)
    assert scene.attempt.state == WON
    assert isinstance(stack.top, ResultOverlay) and stack.top.next_button is not None
    outcome = scene.attempt.outcome()
    assert outcome.fruit_star and outcome.steps_star == (outcome.steps_used <= FIRST.par_steps)
    surface = _render(stack, window)
    lit, unlit = (255, 236, 140), (70, 76, 96)
    centre_x, centre_y = stack.top.card.centerx, stack.top.card.y + 108
    # Left to right: the win, the steps challenge, the fruit challenge.
    assert surface.get_at((centre_x - 180, centre_y))[:3] == lit
    assert surface.get_at((centre_x, centre_y))[:3] == (lit if outcome.steps_star else unlit)
    assert surface.get_at((centre_x + 180, centre_y))[:3] == lit
    overlay = stack.top
    overlay.handle_event(pygame.event.Event(pygame_gui_event("UI_BUTTON_PRESSED"),
                                            ui_element=overlay.look_button))
    assert stack.top is scene, "Look at the field closes the card"
    scene.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_SPACE, mod=0))
    assert isinstance(stack.top, ResultOverlay), "a step on a won orchard brings it back"


def test_next_level_opens_the_following_level_on_its_intro_card():
    from game.scenes.overlays import LevelIntro
    scene = PlayScene(FIRST, PACK)
    stack = _stack(scene)
    scene.attempt.add_point(0.8, 0.8, 1)
    scene.attempt.add_point(0.2, 0.2, 0)
    scene.train(400)
    overlay = stack.top
    overlay.handle_event(pygame.event.Event(pygame_gui_event("UI_BUTTON_PRESSED"),
                                            ui_element=overlay.next_button))
    assert len(stack.scenes) == 2 and isinstance(stack.top, LevelIntro)
    following = stack.scenes[0]
    assert isinstance(following, PlayScene) and following.level.id == PACK.levels[1].id
    assert following.pack is PACK and following.attempt.steps_used == 0


def pygame_gui_event(name):
    import pygame_gui
    return getattr(pygame_gui, name)


def test_lose_overlay_appears_with_a_hint_and_retry_starts_over(window):
    level = dataclasses.replace(PACK.level("slow-learner"), step_budget=5, par_steps=5)
    scene = PlayScene(level, PACK)
    stack = _stack(scene)
    scene.attempt.add_point(0.8, 0.8, 1)
    scene.train(5)
    assert scene.attempt.state == OUT_OF_STEPS
    overlay = stack.top
    assert isinstance(overlay, ResultOverlay) and overlay.next_button is None
    _render(stack, window)
    hint = "Hint: " + level.hints[0]
    first_line = wrap(hint, theme.font(16), overlay.card.w - 60)[0]
    assert _drawn_at(window, first_line, 16, theme.TEXT_DIM, "regular",
                     (overlay.card.x + 30, overlay.card.y + 118)), "the first hint is shown"
    overlay.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_r, mod=0))
    assert isinstance(stack.top, PlayScene) and stack.top.attempt.steps_used == 0
    assert stack.top.failures == 1


def test_sandbox_save_as_level_writes_a_file_that_loads(tmp_path):
    scene = SandboxScene(save_folder=tmp_path)
    _stack(scene)
    _click(scene, 0.9, 0.9)
    scene.train(30)
    scene.name_entry.set_text("My Ring Test!")
    scene.save()
    level = load_level(tmp_path / "my-ring-test.toml")
    assert level.title == "My Ring Test!" and level.orchard.generator == "clusters"
    assert len(level.given) == 1 and level.given[0].label == 1
    assert level.step_budget >= 200 and level.lr_default == scene.attempt.lr
    assert not list(tmp_path.glob(".saving-*"))


def test_sandbox_weight_edit_and_presets():
    scene = SandboxScene(save_folder=None)
    _stack(scene)
    edge = scene.layout.edge_number(0, 1, 0)
    start, end = scene.layout.edge_start[edge], scene.layout.edge_end[edge]
    near_start = tuple((start + (end - start) * 0.25).astype(int))  # edges cross mid-way
    scene.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=near_start, button=1))
    assert scene.editing_edge == edge and scene._typing()
    steps = scene.attempt.steps_used
    scene.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_SPACE, mod=0,
                                          unicode=" ", scancode=44))
    assert scene.attempt.steps_used == steps, "typing into the entry does not step"
    scene._finish_weight_edit("−1.25")
    assert scene.attempt.network.weights[0][1, 0] == -1.25
    scene._load_preset("spiral")
    assert scene.attempt.level.orchard.generator == "spiral"
    scene.clear()
    assert scene.preset is None and not scene.attempt.points and not len(scene.attempt.orchard_X)


def test_hidden_size_change_asks_first_and_then_rebuilds():
    import pygame_gui
    scene = PlayScene(FIRST)
    _stack(scene)
    old_first_layer = scene.attempt.network.weights[0].copy()
    scene.handle_event(pygame.event.Event(pygame_gui.UI_DROP_DOWN_MENU_CHANGED,
                                          ui_element=scene.hidden_menu, text="4 neurons"))
    assert scene._dialog is not None, "a confirmation is shown first"
    assert scene.attempt.hidden_size == 3 and np.array_equal(scene.attempt.network.weights[0],
                                                             old_first_layer)
    scene.handle_event(pygame.event.Event(pygame_gui.UI_CONFIRMATION_DIALOG_CONFIRMED,
                                          ui_element=scene._dialog))
    assert scene.attempt.hidden_size == 4
    assert scene.attempt.network.layer_sizes == (2, 4, 1)
    assert scene.layout.layer_sizes == (2, 4, 1)
    assert scene.hidden_menu.selected_option[0] == "4 neurons"


def test_auto_trains_until_switched_off_and_speed_changes_the_animation():
    scene = PlayScene(dataclasses.replace(FIRST, target_accuracy=1.0))
    _stack(scene)
    scene.attempt.add_point(0.8, 0.8, 1)
    scene.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_a, mod=0))
    assert scene.auto
    for _ in range(60):
        scene.update(1 / 120)
    used = scene.attempt.steps_used
    assert used >= 40
    scene.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_a, mod=0))
    for _ in range(60):
        scene.update(1 / 120)
    assert not scene.auto and scene.attempt.steps_used == used
    scene.train(1)
    normal = scene.animation.duration
    scene.speed_slider.set_current_value(2.0)  # the slider is log₂ of the speed
    import pygame_gui
    scene.handle_event(pygame.event.Event(pygame_gui.UI_HORIZONTAL_SLIDER_MOVED,
                                          ui_element=scene.speed_slider, value=2.0))
    assert scene.speed == 4.0
    scene.train(1)
    assert scene.animation.duration == pytest.approx(normal / 4)


def test_orchard_visibility_ghost_fog_hidden(window):
    from game.core.levels import Orchard

    def field_pixels(visibility, lemon_at=None):
        orchard = Orchard(visibility=visibility, generator="clusters", seed=1, count=80, noise=0.0)
        scene = PlayScene(dataclasses.replace(FIRST, orchard=orchard))
        if lemon_at:
            scene.attempt.add_point(*lemon_at, 0)
        return pygame.surfarray.array3d(_render(_stack(scene), window).subsurface(FIELD_RECT))

    def differing(a, b):
        return int((np.abs(a.astype(int) - b.astype(int)).sum(axis=2) > 30).sum())

    hidden = field_pixels("hidden")
    assert differing(field_pixels("ghost"), hidden) > 1000, "ghost shows the orchard faintly"
    assert differing(field_pixels("fog"), hidden) == 0, "fog shows nothing with no fruit placed"
    near = (0.72, 0.72)  # a lemon amid the strawberry cluster lights up the fog around it
    assert differing(field_pixels("fog", near), field_pixels("hidden", near)) > 200


def test_level_intro_shows_the_story_and_goal_then_starts(window):
    from game.scenes.overlays import LevelIntro, rules_sentence
    scene = PlayScene(FIRST, PACK)
    stack = _stack(scene)
    intro = LevelIntro(scene)
    stack.push(intro)
    _render(stack, window)
    card = intro.card
    title = theme.text(FIRST.title, 32, theme.TEXT, "bold")
    assert _drawn_at(window, FIRST.title, 32, theme.TEXT, "bold",
                     title.get_rect(midtop=(card.centerx, card.y + 24)).topleft)
    story_line = wrap(FIRST.story, theme.font(17), card.w - 60)[0]
    assert _drawn_at(window, story_line, 17, theme.TEXT, "regular", (card.x + 30, card.y + 84))
    assert "95%" in rules_sentence(FIRST) and "400 steps" in rules_sentence(FIRST)
    stack.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0))
    assert stack.top is scene
    _render(stack, window)
    assert not _drawn_at(window, story_line, 17, theme.TEXT, "regular",
                         (card.x + 30, card.y + 84)), "the card is gone"


def test_sandbox_menus_change_the_dataset_and_the_network():
    import pygame_gui
    scene = SandboxScene(save_folder=None)
    _stack(scene)

    def choose(menu_name, text):
        menu = getattr(scene, menu_name)
        menu.selected_option = (text, text)
        scene.handle_event(pygame.event.Event(pygame_gui.UI_DROP_DOWN_MENU_CHANGED,
                                              ui_element=menu, text=text))

    choose("preset_menu", "moons")
    assert scene.attempt.level.orchard.generator == "moons"
    choose("layers_menu", "2")
    assert scene.attempt.network.layer_sizes == (2, 4, 4, 1)
    choose("size_menu", "6")
    assert scene.attempt.network.layer_sizes == (2, 6, 6, 1) == scene.layout.layer_sizes
    choose("activation_menu", "tanh")
    assert scene.attempt.network.activation == "tanh"
    assert scene.activation_menu.selected_option[0] == "tanh"


def test_the_weight_being_edited_is_highlighted(window):
    scene = SandboxScene(save_folder=None)
    stack = _stack(scene)
    edge = scene.layout.edge_number(0, 1, 0)
    start, end = scene.layout.edge_start[edge], scene.layout.edge_end[edge]
    near_start = tuple((start + (end - start) * 0.25).astype(int))
    # The halo is beside the edge (the edge itself keeps its sign's colour): look just off it.
    from game.view.network_view import edge_colour, edge_width
    w = float(scene.attempt.network.weights[0][1, 0])
    along = (end - start) / np.linalg.norm(end - start)
    side = np.array([-along[1], along[0]]) * (edge_width(w) / 2 + 2)
    on_edge = tuple((start + (end - start) * 0.4 + side).astype(int))  # clear of the entry box below
    middle = tuple((start + (end - start) * 0.4).astype(int))
    _render(stack, window)
    assert window.get_at(on_edge)[:3] != theme.ACCENT
    scene.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=near_start, button=1))
    _render(stack, window)
    assert window.get_at(on_edge)[:3] == theme.ACCENT
    assert window.get_at(middle)[:3] == edge_colour(w), "the edge keeps its sign's colour"
    scene._finish_weight_edit("0.5")
    _render(stack, window)
    assert window.get_at(on_edge)[:3] != theme.ACCENT, "the mark goes with the entry"


@pytest.mark.parametrize("typed", ["\u200b", "\u202e", "\x00", "\ud800", "a\u200bb"])
def test_invisible_characters_never_reach_the_text_fields(window, typed):
    scene = SandboxScene(save_folder=None)
    stack = _stack(scene)
    scene.manager.set_focus_set(scene.name_entry)
    scene.handle_event(pygame.event.Event(pygame.TEXTINPUT, text=typed))
    scene.update(1 / 60)
    _render(stack, window)  # used to raise "Text has zero width" inside pygame_gui
    text = scene.name_entry.get_text()
    assert text == drawable(text) == drawable(typed)


def test_the_top_bar_counts_the_hold_up_to_a_win(window):
    scene = PlayScene(FIRST, PACK)
    stack = _stack(scene)
    scene.attempt.add_point(0.8, 0.8, 1)
    scene.attempt.add_point(0.2, 0.2, 0)
    scene.attempt.step(60)
    held = scene.attempt.held
    words = f"{scene.attempt.accuracy:.0%} " + ("✓" if held else "→") + \
        f" target 95%, holding {held}/{FIRST.hold_steps}"
    image = theme.text(words, 17, theme.TEXT, "bold")
    # The accuracy is the right-most item of the bar, 20 px from the edge.
    assert _drawn_at(_render(stack, window), words, 17, theme.TEXT, "bold",
                     (window.get_width() - 20 - image.get_width(), 13), background=(30, 35, 50))


def test_harvest_asks_first_then_judges_the_orchard_once(window):
    import pygame_gui
    level = dataclasses.replace(FIRST, win="harvest", hold_steps=1)
    scene = PlayScene(level, PACK)
    stack = _stack(scene)
    assert scene.harvest_button is not None and PlayScene(FIRST).harvest_button is None
    scene.attempt.add_point(0.8, 0.8, 1)
    scene.attempt.add_point(0.2, 0.2, 0)
    scene.attempt.step(3)
    scene.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0))
    assert scene._dialog is not None and scene.attempt.state == PLAYING, "Enter only asks"
    scene.handle_event(pygame.event.Event(pygame_gui.UI_WINDOW_CLOSE, ui_element=scene._dialog))
    assert scene.attempt.state == PLAYING and scene.attempt.log[-1]["op"] == "step"
    scene.handle_event(pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED,
                                          ui_element=scene.harvest_button))
    scene.handle_event(pygame.event.Event(pygame_gui.UI_CONFIRMATION_DIALOG_CONFIRMED,
                                          ui_element=scene._dialog))
    assert scene.attempt.state == HARVEST_FAILED and scene.failures == 1
    overlay = stack.top
    assert isinstance(overlay, ResultOverlay) and overlay.next_button is None
    _render(stack, window)
    title = theme.text("Harvested too early", 32, theme.TEXT, "bold")
    left = overlay.card.centerx - title.get_width() // 2
    assert _drawn_at(window, "Harvested too early", 32, theme.TEXT, "bold",
                     (left, overlay.card.y + 22), background=theme.PANEL)


def test_the_coach_speaks_once_per_kind_in_a_blue_box_over_the_log(window):
    from game.core.autoplay import choose_points
    from game.scenes.coaching import NOTE_SECONDS
    from game.scenes.training_layout import LOG_RECT
    from game.view.coach_note import COACH_EDGE
    level = dataclasses.replace(FIRST, step_budget=10**4, hold_steps=10**4, init_seed=3)
    scene = PlayScene(level, PACK)
    stack = _stack(scene)
    for p in choose_points(level):
        scene.attempt.add_point(p.x1, p.x2, p.label)
    scene.attempt.set_learning_rate(level.lr_max)
    stack.update(1 / 120)
    assert scene.coach.note is None, "no advice before any step"
    scene.train(100)
    stack.update(1 / 120)
    assert "jumps up and down" in scene.coach.note
    _render(stack, window)
    # The box's edge runs along the bottom of the step log panel, 10 px in.
    assert window.get_at((LOG_RECT.centerx, LOG_RECT.bottom - 11))[:3] == COACH_EDGE
    stack.update(NOTE_SECONDS + 0.1)
    assert scene.coach.note is None
    scene.train(100)
    stack.update(1 / 120)
    assert scene.coach.note is None, "the same hint is not repeated in one attempt"


def test_a_level_with_shown_fruit_draws_them_not_the_orchard(window):
    from game.core.levels import Orchard
    shown = Orchard(visibility="ghost", generator="ring", seed=2, count=12, noise=0.0)
    scene = PlayScene(dataclasses.replace(FIRST, shown=shown))
    content = scene.field_content()
    assert content.orchard_X is scene.attempt.shown_X and len(content.orchard_y) == 12
    plain = PlayScene(FIRST).field_content()
    assert len(plain.orchard_y) == len(scene.attempt.orchard_y) == 60


def test_the_activation_menu_appears_where_the_level_allows_and_asks_first():
    import pygame_gui
    assert PlayScene(FIRST).activation_menu is None
    scene = PlayScene(dataclasses.replace(FIRST, activations=("sigmoid", "tanh")))
    _stack(scene)
    assert scene.activation_menu is not None
    scene.handle_event(pygame.event.Event(pygame_gui.UI_DROP_DOWN_MENU_CHANGED,
                                          ui_element=scene.activation_menu, text="tanh"))
    assert scene.attempt.activation == "sigmoid" and scene._dialog is not None
    scene.handle_event(pygame.event.Event(pygame_gui.UI_CONFIRMATION_DIALOG_CONFIRMED,
                                          ui_element=scene._dialog))
    assert scene.attempt.network.activation == "tanh"
    assert scene.activation_menu.selected_option[0] == "tanh"


def test_a_coach_note_leaves_once_it_no_longer_holds():
    scene = PlayScene(dataclasses.replace(FIRST, init_seed=3))
    stack = _stack(scene)
    scene.attempt.add_point(0.8, 0.8, 1)
    scene.attempt.add_point(0.9, 0.7, 1)
    stack.update(1 / 120)
    assert scene.coach.note is None, "not while fruit are still being placed"
    scene.attempt.step(1)
    stack.update(1 / 120)
    assert "Place a lemon" in scene.coach.note
    scene.attempt.add_point(0.2, 0.2, 0)
    stack.update(1 / 120)
    assert scene.coach.note is None


def test_menus_on_an_ended_attempt_bring_back_the_result_card_without_a_question():
    import pygame_gui
    scene = PlayScene(dataclasses.replace(FIRST, step_budget=2, hold_steps=2), PACK)
    stack = _stack(scene)
    scene.attempt.add_point(0.8, 0.8, 1)
    scene.train(2)
    assert scene.attempt.state == OUT_OF_STEPS
    stack.pop()  # "Look at the field"
    scene.handle_event(pygame.event.Event(pygame_gui.UI_DROP_DOWN_MENU_CHANGED,
                                          ui_element=scene.hidden_menu, text="4 neurons"))
    assert scene._dialog is None and isinstance(stack.top, ResultOverlay)
    assert scene.hidden_menu.selected_option[0] == "3 neurons"


def test_a_quiz_card_asks_before_the_step_without_dimming_and_the_step_answers(window):
    from game.core.level_quiz import Quiz
    from game.scenes.quiz_card import QuizCard
    from game.scenes.training_layout import FIELD_RECT
    level = dataclasses.replace(FIRST, quizzes=(Quiz(step=1, layer=2, j=1, i=2),))
    scene = PlayScene(level)
    stack = _stack(scene)
    scene.attempt.add_point(0.8, 0.8, 1)
    scene.attempt.add_point(0.2, 0.3, 0)
    field_before = _render(stack, window).get_at(FIELD_RECT.center)
    scene.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_SPACE, mod=0))
    assert isinstance(stack.top, QuizCard) and scene.attempt.steps_used == 0
    assert scene.selected_edge() == scene.layout.edge_number(1, 0, 1)
    surface = _render(stack, window)
    assert surface.get_at(FIELD_RECT.center) == field_before, "the field is not dimmed"
    assert surface.get_at((stack.top.card.x + 1, stack.top.card.centery))[:3] == theme.HIGHLIGHT
    stack.top.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_d, mod=0))
    assert stack.top is scene and scene.attempt.steps_used == 1
    answer = scene.attempt.quiz_book.answers[0]
    assert answer.choice == "down" and scene.toast[2] == answer.right
    assert scene.toast[0].startswith("Right: w⁽²⁾₂" if answer.right else "Not this time: w⁽²⁾₂")


def test_a_question_waits_for_a_fruit_and_its_card_closes_when_the_fruit_goes(window):
    from game.core.level_quiz import Quiz
    from game.scenes.quiz_card import QuizCard
    level = dataclasses.replace(FIRST, quizzes=(Quiz(step=1, layer=2, j=1, i=2),))
    scene = PlayScene(level)
    stack = _stack(scene)
    scene.update(0.016)
    _render(stack, window)
    assert stack.top is scene, "no fruit, nothing to ask about"
    scene.attempt.add_point(0.8, 0.8, 1)
    scene.update(0.016)
    assert stack.top is scene, "placing fruit is not interrupted: the question waits for a step"
    scene.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_SPACE, mod=0, unicode=" "))
    assert isinstance(stack.top, QuizCard)
    scene.attempt.remove_point(0)
    _render(stack, window)  # the soak found this drawing a card about a removed fruit
    stack.top.update(0.016)
    assert stack.top is scene


def test_a_which_fruit_card_letters_the_fruit_on_the_field_and_the_b_key_answers(window):
    from game.core.level_quiz import Quiz
    from game.scenes.quiz_card import QuizCard
    fruit = ((0.9, 0.5, 1), (0.5, 0.5, 1), (0.1, 0.5, 0))
    level = dataclasses.replace(FIRST, quizzes=(Quiz(step=1, layer=2, j=1, i=1, fruit=fruit),))
    scene = PlayScene(level)
    stack = _stack(scene)
    scene.attempt.add_point(0.8, 0.2, 1)
    scene.attempt.add_point(0.2, 0.8, 0)
    scene.update(0.016)
    assert stack.top is scene
    scene.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_SPACE, mod=0, unicode=" "))
    card = stack.top
    assert isinstance(card, QuizCard) and sorted(card.choices.values()) == ["A", "B", "C"]
    surface = _render(stack, window)
    (bx, by), = scene.field_view.to_screen(np.array([[0.5, 0.5]]))
    assert surface.get_at((int(bx) + 12, int(by)))[:3] == theme.HIGHLIGHT, "B is ringed"
    card.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_u, mod=0, unicode="u"))
    assert stack.top is card, "up/down keys do not answer a which-fruit question"
    card.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_b, mod=0, unicode="b"))
    answer = scene.attempt.quiz_book.answers[0]
    assert stack.top is scene and answer.choice == "B" and scene.attempt.steps_used == 1
    assert f"fruit {answer.truth} moves w⁽²⁾₁ most" in scene.toast[0]


def test_train_x10_stopping_before_a_question_asks_it_when_the_steps_end(window):
    from game.core.level_quiz import Quiz
    from game.scenes.quiz_card import QuizCard
    level = dataclasses.replace(FIRST, quizzes=(Quiz(step=4, layer=2, j=1, i=1),))
    scene = PlayScene(level)
    stack = _stack(scene)
    scene.attempt.add_point(0.8, 0.8, 1)
    scene.attempt.add_point(0.2, 0.3, 0)
    scene.train(10)
    assert scene.attempt.steps_used == 3, "stopped just before the question"
    while scene.animation is not None:
        scene.update(0.05)
    scene.update(0.016)
    assert isinstance(stack.top, QuizCard)
