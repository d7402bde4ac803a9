"""A class pack in the game: the name prompt, the pack's row on the map, Hand in."""

import json

import pygame
import pygame_gui
import pytest

from game.app import App, open_window
from game.core.class_packs import known_packs, remember
from game.core.levels import load_pack
from game.core.pack_files import add_levels, new_pack
from game.core.pack_open import packs_dir
from game.resources import levels_dir
from game.scenes.chapter_map import ChapterMap, hand_in_rect, tile_rect
from game.scenes.name_prompt import NamePrompt
from game.scenes.play import PlayScene
from game.scenes.session import Session

CH1 = ["tip-the-scale", "off-the-origin", "baby-steps", "sure-and-stuck"]


@pytest.fixture(scope="module", autouse=True)
def window():
    return open_window()


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("FRUITNET_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def _pack(tmp_path, levels=CH1[:2]):
    folder = tmp_path / "week-3"
    new_pack(folder, "Week 3: weights and biases")
    add_levels(folder, levels, [levels_dir()])
    return load_pack(folder)


def _key(target, key, unicode=""):
    target.handle_event(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode=unicode))


def test_a_folder_pack_is_kept_in_the_data_folder_once(tmp_path, data):
    pack = _pack(tmp_path)
    kept = remember(pack)
    assert kept.folder.parent == packs_dir() and kept.id == pack.id
    assert [lv.id for lv in kept.levels] == CH1[:2]
    assert remember(pack).folder == kept.folder, "the same pack is not copied twice"
    assert [p.id for p in known_packs()[0]] == [pack.id]


def test_the_name_prompt_keeps_the_students_name_and_opens_the_pack_on_the_map(tmp_path, data):
    session = Session.open(levels_dir())
    pack = session.open_class_pack(_pack(tmp_path))
    app = App(lambda: NamePrompt(pack), session)
    prompt = app.stack.top
    prompt.confirm()
    assert prompt.problem.startswith("Type your name") and app.stack.top is prompt
    prompt.entry.set_text("Anna Smith")
    prompt.handle_event(pygame.event.Event(pygame_gui.UI_TEXT_ENTRY_FINISHED, ui_element=prompt.entry,
                                           text="Anna Smith"))
    chapter_map = app.stack.top
    assert isinstance(chapter_map, ChapterMap) and session.profile.name == "Anna Smith"
    app.frame()
    assert chapter_map.rows[0][0].pack.id == pack.id, "the class pack is the first row"
    assert chapter_map.selected == (0, 0)
    session.close()


def test_hand_in_from_the_map_writes_the_students_attempts_and_says_where(tmp_path, data):
    session = Session.open(levels_dir())
    pack = session.open_class_pack(_pack(tmp_path))
    session.use_profile("Ben")
    app = App(ChapterMap, session)
    app.frame()
    _key(app.stack.top, pygame.K_RETURN)  # play the pack's first level
    play = app.stack.scenes[0]
    assert isinstance(play, PlayScene) and play.pack.id == pack.id
    play.attempt.add_point(0.9, 0.2, 1)
    play.train(3, animate=False)
    play.leave()  # as Level select does: the attempt is kept
    app.stack.go("map")
    app.frame()
    chapter_map = app.stack.top
    chapter_map.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1,
                                                pos=hand_in_rect(0).center))
    assert chapter_map.toast[0].startswith("Handed in: ")
    path = chapter_map.toast[0].removeprefix("Handed in: ").removesuffix(" (path copied)")
    document = json.loads(open(path, encoding="utf-8").read())
    assert document["student"] == "Ben" and document["pack_id"] == pack.id
    assert [(a["level_id"], a["state"], a["steps"]) for a in document["attempts"]] == [
        (CH1[0], "abandoned", 3)]
    session.close()


def test_a_pack_of_more_than_four_levels_takes_two_lines_of_the_map(tmp_path, data):
    session = Session.open(levels_dir())
    session.open_class_pack(_pack(tmp_path, CH1 + ["up-or-down"]))
    app = App(ChapterMap, session)
    app.frame()
    chapter_map = app.stack.top
    assert [len(line) for line in chapter_map.rows[:2]] == [4, 1]
    assert chapter_map.tile_at(tile_rect(1, 0).center) == (1, 0)
    assert len(chapter_map.packs[chapter_map.rows[0][0].pack.id]) == 5
    for _ in range(7):
        _key(chapter_map, pygame.K_DOWN)
    assert chapter_map.first_row > 0, "the view follows the selection down"
    session.close()
