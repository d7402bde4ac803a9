"""Sandbox rules in the core: free-play levels and Save as level."""

import pytest

from game.core.attempt import Attempt
from game.core.levels import LevelError, load_level
from game.core.sandbox import LevelExists, Preset, level_document, sandbox_level, save_level, slug

RING = Preset("ring", 60, 0.02)


def _attempt(preset=RING):
    a = Attempt(sandbox_level(preset, hidden_size=3, hidden_layers=2, activation="tanh"),
                free_play=True)
    a.add_point(0.5, 0.5, 1)
    a.add_point(0.05, 0.9, 0)
    a.step(40)
    return a


def test_sandbox_level_trains_on_the_preset_and_judges_it():
    level = sandbox_level(Preset("moons", 50, 0.1))
    a = Attempt(level, free_play=True)
    assert len(level.given) == 50 and level.orchard.generator == "moons"
    assert a.training_set()[0].shape == (50, 2)
    assert a.network.layer_sizes == (2, 4, 1)


def test_saved_level_loads_with_the_sandbox_settings(tmp_path):
    a = _attempt()
    path, level = save_level(level_document(a, Preset("ring", 60, 0.02), "Ring one"), tmp_path)
    assert path == tmp_path / "ring-one.toml" and load_level(path).id == "ring-one"
    assert level.orchard.generator == "ring" and level.orchard.count == 60
    assert [(p.x1, p.x2, p.label) for p in level.given] == [(0.5, 0.5, 1), (0.05, 0.9, 0)]
    assert level.hidden_sizes == (3,) and level.hidden_layers == (2,)
    assert level.activation == "tanh" and level.lr_default == a.lr
    assert path.stat().st_mode & 0o777 == 0o644


def test_saving_again_asks_for_overwrite_keeps_backups_and_bad_names_are_refused(tmp_path):
    a = _attempt()
    save_level(level_document(a, None, "Mine"), tmp_path)
    first = (tmp_path / "mine.toml").read_text()
    a.add_point(0.9, 0.1, 1)
    with pytest.raises(LevelExists) as refused:
        save_level(level_document(a, None, "Mine"), tmp_path)
    assert refused.value.path == tmp_path / "mine.toml" and "already exists" in str(refused.value)
    assert (tmp_path / "mine.toml").read_text() == first, "nothing changed without overwrite"
    save_level(level_document(a, None, "Mine"), tmp_path, overwrite=True)
    assert (tmp_path / "mine.toml.1.bak").read_text() == first
    assert len(load_level(tmp_path / "mine.toml").orchard.points) == 3
    with pytest.raises(LevelError, match="expected a name with letters or digits"):
        save_level(level_document(a, None, "!!!"), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.toml", "mine.toml.1.bak"]


def test_a_document_that_does_not_validate_leaves_no_file(tmp_path):
    a = _attempt()
    document = level_document(a, None, "Lonely")
    document["orchard"]["points"] = document["orchard"]["points"][:1]  # one fruit: invalid
    with pytest.raises(LevelError, match="at least 2 points"):
        save_level(document, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_slug():
    assert slug("  My First Level! ") == "my-first-level"
    assert slug("Ärger 2") == "arger-2"
