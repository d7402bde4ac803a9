"""The campaign's chapters, in order, and "Next level" across them."""

import copy

import tomli_w

from game.core import campaign
from game.core.levels import load_pack
from tests.test_levels import VALID


def _pack(root, name, ids):
    folder = root / name
    folder.mkdir()
    for level_id in ids:
        doc = copy.deepcopy(VALID)
        doc["id"] = level_id
        (folder / f"{level_id}.toml").write_text(tomli_w.dumps(doc), encoding="utf-8")
    (folder / "pack.toml").write_text(tomli_w.dumps(
        {"id": name, "title": name, "levels": [f"{i}.toml" for i in ids]}), encoding="utf-8")
    return folder


def test_chapters_are_ordered_by_number_and_next_level_crosses_them(tmp_path):
    _pack(tmp_path, "ch10-last", ["z"])
    _pack(tmp_path, "ch2-second", ["c"])
    _pack(tmp_path, "ch1-first", ["a", "b"])
    teacher = _pack(tmp_path, "my-class", ["t1"])
    assert [f.name for f in campaign.chapter_folders(tmp_path)] == [
        "ch1-first", "ch2-second", "ch10-last"]
    first = load_pack(tmp_path / "ch1-first")
    after_a = campaign.following(first.levels[0], first, tmp_path)
    assert after_a[0].id == "b" and after_a[1] is first
    level, pack = campaign.following(first.levels[1], first, tmp_path)
    assert (level.id, pack.id) == ("c", "ch2-second")
    last = load_pack(tmp_path / "ch10-last")
    assert campaign.following(last.levels[0], last, tmp_path) is None
    mine = load_pack(teacher)
    assert campaign.following(mine.levels[0], mine, tmp_path) is None
    assert campaign.following(first.levels[0], None, tmp_path) is None
