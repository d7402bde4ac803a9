"""The game around the play screen: title, chapter map, unlocking, saved progress,
the pause menu, the result card's Enter and the pack-complete card."""

import dataclasses

import pygame
import pytest

from game.app import App, open_window
from game.core import autoplay, campaign
from game.core.level_map import continue_from, level_map, pack_summary
from game.core.progress_records import LevelProgress
from game.resources import levels_dir
from game.scenes.chapter_map import ChapterMap, tile_rect
from game.scenes.overlays import LevelIntro, ResultOverlay
from game.scenes.pack_complete import PackComplete
from game.scenes.pause import PauseMenu
from game.scenes.play import PlayScene
from game.scenes.session import Session
from game.scenes.title import TitleScene

CHAPTERS = campaign.chapters(levels_dir())


@pytest.fixture(scope="module", autouse=True)
def window():
    return open_window()


def _won(pack, level_id, steps_star=False, fruit_star=False):
    return LevelProgress(pack.id, level_id, True, 1 + steps_star + fruit_star, steps_star,
                         fruit_star, 100, 3, 1, 10.0, "2026-12-03T00:00:00Z")


def _key(target, key):
    target.handle_event(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode=""))


def test_only_the_first_level_is_open_at_first():
    rows = level_map(CHAPTERS, {})
    assert [[t.unlocked for t in row] for row in rows][0][:2] == [True, False]
    assert sum(t.unlocked for row in rows for t in row) == 1


def test_a_win_opens_the_next_level_and_a_chapters_first_win_opens_the_whole_chapter():
    one, two = CHAPTERS[0], CHAPTERS[1]
    rows = level_map(CHAPTERS, {one.id: {one.levels[0].id: _won(one, one.levels[0].id)}})
    assert all(t.unlocked for t in rows[0]), "chapter 1's first level won: all of chapter 1"
    assert not rows[1][0].unlocked
    last = one.levels[-1].id
    rows = level_map(CHAPTERS, {one.id: {last: _won(one, last)}})
    assert rows[1][0].unlocked and not rows[1][1].unlocked, "the level after a win opens"
    progress = {one.id: {last: _won(one, last)}, two.id: {two.levels[0].id: _won(two, two.levels[0].id)}}
    assert all(t.unlocked for t in level_map(CHAPTERS, progress)[1])


def test_continue_goes_to_the_first_open_level_not_won_after_the_last_played():
    one = CHAPTERS[0]
    progress = {one.id: {one.levels[0].id: _won(one, one.levels[0].id, True)}}
    rows = level_map(CHAPTERS, progress)
    assert continue_from(rows, (one.id, one.levels[0].id)).level.id == one.levels[1].id
    assert pack_summary(rows[0]) == (1, 2, 3 * len(one.levels))


def _session(tmp_path):
    return Session.open(levels_dir(), tmp_path / "progress.db")


def _win_the_level_on_screen(play: PlayScene) -> None:
    """Play the automatic player's fruit and settings through the scene until it wins."""
    level = play.level
    for p in autoplay.choose_points(level):
        play.attempt.add_point(p.x1, p.x2, p.label)
    fastest = min((p for p in autoplay.sweep(level) if p.won), key=lambda p: p.steps)
    play.attempt.set_learning_rate(fastest.lr)
    while play.stack.top is play:
        play.train(50, animate=False)
        play.update(0.0)


def test_a_fresh_start_goes_title_map_level_win_next_quit_and_a_relaunch_shows_the_stars(tmp_path):
    session = _session(tmp_path)
    app = App(TitleScene, session)
    title = app.stack.top
    assert [name for _, name in title.buttons][0] == "campaign", "nothing to continue yet"
    _key(title, pygame.K_RETURN)
    assert isinstance(app.stack.top, ChapterMap)
    app.frame()
    _key(app.stack.top, pygame.K_RETURN)
    play = app.stack.scenes[0]
    assert isinstance(play, PlayScene) and isinstance(app.stack.top, LevelIntro)
    assert play.level.id == CHAPTERS[0].levels[0].id
    _key(app.stack.top, pygame.K_RETURN)
    _win_the_level_on_screen(play)
    assert isinstance(app.stack.top, ResultOverlay) and play.won
    _key(app.stack.top, pygame.K_RETURN)
    assert app.stack.scenes[0].level.id == CHAPTERS[0].levels[1].id, "Enter is Next level"
    app.handle(pygame.event.Event(pygame.QUIT))
    assert not app.running
    session.close()

    again = _session(tmp_path)
    tile = again.map_rows()[0][0]
    assert tile.won and tile.progress.stars >= 1 and tile.progress.attempts == 1
    app = App(TitleScene, again)
    assert [name for _, name in app.stack.top.buttons][0] == "continue"
    assert app.stack.top.continue_to.level.id == CHAPTERS[0].levels[1].id
    again.close()


def test_escape_pauses_resume_returns_and_restart_asks_first(tmp_path):
    session = _session(tmp_path)
    app = App(lambda: PlayScene(CHAPTERS[0].levels[0], CHAPTERS[0]), session)
    play = app.stack.top
    play.attempt.add_point(0.8, 0.8, 1)
    play.train(3, animate=False)
    _key(play, pygame.K_ESCAPE)
    menu = app.stack.top
    assert isinstance(menu, PauseMenu)
    _key(menu, pygame.K_RETURN)
    assert app.stack.top is play, "Enter resumes: the highlighted action"
    _key(play, pygame.K_ESCAPE)
    app.stack.top.choose("restart")
    assert app.stack.top.confirming is not None and app.stack.scenes[0] is play, "asked, not done"
    app.stack.top.choose("select")
    assert isinstance(app.stack.top, ChapterMap)
    records = session.store.attempts(session.profile)
    assert [(r.state, r.steps) for r in records] == [("abandoned", 3)], "the left attempt is kept"
    session.close()


def test_on_a_lost_card_enter_retries_and_on_a_won_card_r_does_not(tmp_path):
    level = dataclasses.replace(CHAPTERS[0].levels[0], step_budget=2)
    app = App(lambda: PlayScene(level, CHAPTERS[0]), _session(tmp_path))
    play = app.stack.top
    play.attempt.add_point(0.8, 0.8, 1)
    play.train(2, animate=False)
    card = app.stack.top
    assert isinstance(card, ResultOverlay) and not play.won
    _key(card, pygame.K_RETURN)
    assert app.stack.scenes[0] is not play and app.stack.scenes[0].attempt.steps_used == 0


def test_the_last_level_of_a_chapter_leads_to_the_pack_complete_card(tmp_path):
    session = _session(tmp_path)
    one = CHAPTERS[0]
    app = App(lambda: PlayScene(one.levels[-1], one), session)
    play = app.stack.top
    _win_the_level_on_screen(play)
    card = app.stack.top
    assert isinstance(card, ResultOverlay) and card.next_button.text == "Finish (Enter)"
    _key(card, pygame.K_RETURN)
    complete = app.stack.top
    assert isinstance(complete, PackComplete) and complete.following[1].id == CHAPTERS[1].id
    app.frame()
    assert [t.won for t in complete.row] == [False] * (len(one.levels) - 1) + [True]
    _key(complete, pygame.K_RETURN)
    assert app.stack.scenes[0].level.id == CHAPTERS[1].levels[0].id
    session.close()


def test_the_map_opens_only_unlocked_levels_by_keyboard_and_mouse(tmp_path):
    session = _session(tmp_path)
    app = App(ChapterMap, session)
    chapter_map = app.stack.top
    app.frame()
    assert chapter_map.selected == (0, 0)
    _key(chapter_map, pygame.K_RIGHT)
    _key(chapter_map, pygame.K_RETURN)
    assert app.stack.top is chapter_map and chapter_map.toast[0].startswith("Locked")
    chapter_map.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1,
                                                pos=tile_rect(0, 0).center))
    assert isinstance(app.stack.scenes[0], PlayScene)
    session.close()


def test_level_one_is_won_with_the_keyboard_alone(tmp_path):
    """A scripted keyboard-only session: map, intro, fruit by the field cursor, η, Train, Next."""
    from game.scenes import keyboard
    session = _session(tmp_path)
    app = App(ChapterMap, session)
    app.frame()
    keys = [pygame.K_RETURN, pygame.K_RETURN]  # play the selected level; start past its intro
    for key in keys:
        _key(app.stack.top, key)
    play = app.stack.top
    assert isinstance(play, PlayScene) and play.level.id == CHAPTERS[0].levels[0].id
    fruit = autoplay.choose_points(play.level)
    for p in fruit:
        play.cursor = None
        _key(play, pygame.K_RIGHT)  # the cursor appears at the centre
        while abs(play.cursor[0] - p.x1) > 0.006 or abs(play.cursor[1] - p.x2) > 0.006:
            dx, dy = p.x1 - play.cursor[0], p.x2 - play.cursor[1]
            big = max(abs(dx), abs(dy)) > keyboard.CURSOR_STEP
            key = (pygame.K_RIGHT if dx > 0 else pygame.K_LEFT) if abs(dx) >= abs(dy) else \
                (pygame.K_UP if dy > 0 else pygame.K_DOWN)
            play.handle_event(pygame.event.Event(pygame.KEYDOWN, key=key, unicode="",
                                                 mod=0 if big else pygame.KMOD_SHIFT))
        _key(play, pygame.K_1 if p.label == 1 else pygame.K_2)
    assert [q.label for q in play.attempt.points] == [p.label for p in fruit]
    _key(play, pygame.K_MINUS)
    assert play.attempt.lr == play.level.lr_max == play.level.lr_min, "η is fixed in level 1"
    while play.attempt.state == "playing":
        play.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_t, unicode="T",
                                             mod=pygame.KMOD_SHIFT))
        play.update(0.0)
        if play.animation is not None:
            play.animation = None
            play.on_animation_done()
    assert play.won and isinstance(app.stack.top, ResultOverlay)
    _key(app.stack.top, pygame.K_RETURN)
    assert app.stack.scenes[0].level.id == CHAPTERS[0].levels[1].id
    session.close()


def test_plus_and_minus_move_eta_a_notch_along_its_slider():
    from game.scenes import keyboard
    level = CHAPTERS[0].levels[2]  # baby steps: η from 0.01 to 100
    play = PlayScene(level, CHAPTERS[0])
    start = play.attempt.lr
    _key(play, pygame.K_MINUS)
    assert play.attempt.lr < start
    for _ in range(keyboard.LR_NOTCHES + 1):
        _key(play, pygame.K_EQUALS)
    assert play.attempt.lr == level.lr_max
    assert play.lr_label.text == f"{level.lr_max:.3g}"


def test_the_keys_card_lists_every_labelled_binding_and_f1_opens_it():
    from game.scenes.base import SceneStack
    from game.scenes.keyboard import KEY_TABLE, help_rows
    from game.scenes.keys_card import KeysCard
    play = PlayScene(CHAPTERS[0].levels[0], CHAPTERS[0])
    app_stack = SceneStack()
    app_stack.push(play)
    _key(play, pygame.K_F1)
    assert isinstance(app_stack.top, KeysCard)
    assert [row[0] for row in app_stack.top.rows] == [b.label for b in KEY_TABLE if b.label]
    assert ("Space", "train one step, every number shown") in help_rows()
    assert app_stack.top.card.bottom <= 720
    _key(app_stack.top, pygame.K_ESCAPE)
    assert app_stack.top is play


def test_the_speed_setting_and_reduced_motion_reach_the_play_screen(tmp_path):
    from game.core.settings import Settings
    from game.scenes.settings_screen import APPLY_SETTINGS
    app = App(lambda: PlayScene(CHAPTERS[0].levels[0], CHAPTERS[0]), _session(tmp_path))
    app.apply_settings(Settings(animation_speed=2.0, reduced_motion=True), save=False)
    play = app.stack.top
    play.update(0.0)
    assert play.speed == 2.0 and play.speed_label.text == "×2" and play.reduced_motion
    play.attempt.add_point(0.8, 0.8, 1)
    play.train(1)
    assert play.particles.live_count == 0, "reduced motion: no decorative forward pulses"
    pygame.event.clear(APPLY_SETTINGS)
    play.speed_slider.set_current_value(-1.0)
    play.on_slider(play.speed_slider)
    posted = pygame.event.get(APPLY_SETTINGS)
    assert [e.settings.animation_speed for e in posted] == [0.5], "the slider is the setting"


def test_the_readme_keys_table_is_the_key_table():
    from pathlib import Path

    from game.scenes.keyboard import help_rows
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- keys -->")[1].split("<!-- /keys -->")[0]
    rows = [line.split(" | ") for line in table.strip().splitlines()[2:]]
    assert [(r[0].strip("| *"), r[1].strip(" |")) for r in rows] == help_rows()


def test_a_damaged_save_is_set_aside_and_the_title_says_so(tmp_path):
    (tmp_path / "progress.db").write_bytes(b"not a database at all" * 100)
    session = _session(tmp_path)
    app = App(TitleScene, session)
    title = app.stack.top
    assert title.notice is not None and "progress.db" in title.notice
    assert any(p.name.startswith("progress.db.corrupt-") for p in tmp_path.iterdir())
    app.frame()  # drawn without trouble, and the game goes on with a fresh store
    assert session.store.saving
    session.close()


def test_the_screen_under_the_result_card_is_the_finished_one_not_a_frozen_animation(tmp_path):
    level = dataclasses.replace(CHAPTERS[0].levels[0], step_budget=30)
    app = App(lambda: PlayScene(level, CHAPTERS[0]), _session(tmp_path))
    play = app.stack.top
    play.attempt.add_point(0.8, 0.8, 1)
    play.toggle_auto()
    for _ in range(600):
        app.frame()
        if isinstance(app.stack.top, ResultOverlay):
            break
    assert isinstance(app.stack.top, ResultOverlay)
    assert play.animation is None and play.previous_heatmap is None
    assert play.particles.live_count == 0 and not play.auto
    assert play.auto_button.text == "Auto (A)"


def test_retry_keeps_the_players_eta_and_hidden_layer(tmp_path):
    level = dataclasses.replace(CHAPTERS[2].levels[1], step_budget=3)  # into the fog: 2 or 3 hidden
    app = App(lambda: PlayScene(level, CHAPTERS[2]), _session(tmp_path))
    play = app.stack.top
    sizes = [s for s in level.hidden_sizes if s != play.attempt.hidden_size]
    play._change_hidden(sizes[0], play.attempt.hidden_layers)  # as the confirmed drop-down does
    play.lr_slider.set_current_value(0)
    play.on_slider(play.lr_slider)
    play.attempt.add_point(0.8, 0.8, 1)
    play.train(3, animate=False)
    _key(app.stack.top, pygame.K_RETURN)  # lost: Enter retries
    again = app.stack.scenes[0]
    assert again is not play and again.attempt.steps_used == 0
    assert (again.attempt.hidden_size, again.attempt.lr) == (sizes[0], level.lr_min)
    assert again.hidden_menu.selected_option[0].startswith(str(sizes[0]))
    assert again.layout.layer_sizes[1] == sizes[0]


def test_two_students_pressing_the_same_keys_place_different_fruit():
    """Else a class report would flag identical keyboard play as a copied replay."""
    placed = []
    for _ in range(2):
        play = PlayScene(CHAPTERS[0].levels[0], CHAPTERS[0])
        for key in (pygame.K_RIGHT,) * 8 + (pygame.K_1,):
            _key(play, key)
        placed.append(play.attempt.points[0])
    assert placed[0] != placed[1]
    # The first arrow shows the cursor, the next seven move it: 7 × 0.05 right of its start.
    # (within the start spread, plus half a pixel of the 392 px field)
    assert all(abs(p.x1 - 0.85) <= 0.022 and abs(p.x2 - 0.5) <= 0.022 for p in placed)


def test_every_level_s_intro_and_win_card_text_ends_above_its_buttons():
    from game.core.attempt import WON
    from game.scenes.base import SceneStack
    surface = pygame.Surface((1280, 720))
    for pack in CHAPTERS:
        for level in pack.levels:
            play = PlayScene(level, pack)
            stack = SceneStack()
            stack.push(play)
            intro = LevelIntro(play)
            stack.push(intro)
            intro.draw(surface)
            assert intro.content_bottom <= intro.start_button.get_abs_rect().top - 6, level.id
            stack.pop()
            play.attempt.state = WON  # the longest card: stars, summary and the whole lesson
            card = ResultOverlay(play)
            stack.push(card)
            card.draw(surface)
            assert card.content_bottom <= card.retry_button.get_abs_rect().top - 6, level.id


def test_menus_work_from_the_keyboard_alone(tmp_path):
    from game.scenes.settings_screen import APPLY_SETTINGS, SettingsScreen
    session = _session(tmp_path)
    app = App(lambda: PlayScene(CHAPTERS[0].levels[0], CHAPTERS[0]), session)
    play = app.stack.top
    _key(play, pygame.K_ESCAPE)
    menu = app.stack.top
    _key(menu, pygame.K_DOWN)
    _key(menu, pygame.K_DOWN)  # Resume → Restart → Level select
    _key(menu, pygame.K_RETURN)
    assert isinstance(app.stack.top, ChapterMap)
    # Settings: ↓ to the volume, → raises it, and the change is posted to the app.
    settings = SettingsScreen()
    app.stack.push(settings)
    pygame.event.clear(APPLY_SETTINGS)
    _key(settings, pygame.K_DOWN)
    _key(settings, pygame.K_RIGHT)
    posted = pygame.event.get(APPLY_SETTINGS)
    assert [round(e.settings.volume, 2) for e in posted] == [round(min(1.0, 0.7 + 0.1), 2)]
    _key(settings, pygame.K_DOWN)
    _key(settings, pygame.K_RIGHT)
    assert pygame.event.get(APPLY_SETTINGS)[0].settings.mute
    _key(settings, pygame.K_ESCAPE)
    assert isinstance(app.stack.top, ChapterMap)
    # The title's quit question: Escape keeps playing, Enter quits.
    app.stack.go("title")
    title = app.stack.top
    title.choose("quit")
    _key(title, pygame.K_ESCAPE)
    assert title.confirming is None and app.running
    title.choose("quit")
    pygame.event.clear(pygame.QUIT)
    _key(title, pygame.K_RETURN)
    assert pygame.event.get(pygame.QUIT), "Enter on the question quits"
    session.close()


def test_a_long_toast_wraps_inside_the_field_and_leaves_the_step_log_alone():
    from game.scenes.training_layout import FIELD_RECT
    from game.view.panels import draw_toast
    surface = pygame.Surface((1280, 720))
    surface.fill((1, 2, 3))
    draw_toast(surface, "Not this time: w⁽²⁾₁ went down (−0.0213). The step log shows why, "
                        "line by line, with every number multiplied out.", FIELD_RECT)
    outside = [surface.get_at((x, y))[:3] for y in range(FIELD_RECT.bottom - 120, FIELD_RECT.bottom)
               for x in (FIELD_RECT.left - 2, FIELD_RECT.right + 2)]
    inside = [surface.get_at((FIELD_RECT.centerx, y))[:3] for y in range(FIELD_RECT.bottom - 60,
                                                                          FIELD_RECT.bottom - 14)]
    assert set(outside) == {(1, 2, 3)} and (140, 40, 50) in inside


def test_the_restart_question_answers_to_escape_and_enter(tmp_path):
    app = App(lambda: PlayScene(CHAPTERS[0].levels[0], CHAPTERS[0]), _session(tmp_path))
    play = app.stack.top
    play.attempt.add_point(0.8, 0.8, 1)
    play.train(2, animate=False)
    _key(play, pygame.K_ESCAPE)
    menu = app.stack.top
    menu.choose("restart")
    _key(menu, pygame.K_ESCAPE)
    assert menu.confirming is None and app.stack.top is menu, "Escape declines, the menu stays"
    menu.choose("restart")
    _key(menu, pygame.K_RETURN)
    assert app.stack.scenes[0] is not play and app.stack.scenes[0].attempt.steps_used == 0
