"""Save as level: backups, no silent overwrites, symlinks refused, long sessions, odd names, kills."""

import errno
import importlib.util
import os
import signal
import sys
import time
from pathlib import Path

import pygame
import pygame_gui
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import game.core.safe_files as files
from game.core.attempt import Attempt
from game.core.levels import (
    MAX_HIDDEN_LAYERS,
    MAX_HIDDEN_SIZE,
    MAX_LEARNING_RATE,
    LevelError,
    level_from_dict,
    load_level,
)
from game.core.sandbox import (
    BACKUPS_KEPT,
    LevelExists,
    Preset,
    clean_name,
    clean_stale_temp_files,
    level_document,
    sandbox_level,
    save_level,
    step_budget,
)
from game.core.sandbox_limits import LIMITS, SANDBOX_LIMITS

ROOT = Path(__file__).resolve().parent.parent


def _attempt(points=2):
    a = Attempt(sandbox_level(None), free_play=True)
    for k in range(points):
        a.add_point(0.1 + 0.8 * (k % 2), 0.2 + 0.01 * k, k % 2)
    return a


def _save(folder, name="Mine", points=2, overwrite=False):
    return save_level(level_document(_attempt(points), None, name), folder, overwrite=overwrite)


def _names(folder):
    return sorted(p.name for p in folder.iterdir())


# ------------------------------------------------------------------ backups
def test_every_save_keeps_numbered_backups_newest_first_and_at_most_five(tmp_path):
    for version in range(2, 10):  # 8 saves: versions with 2 … 9 fruit
        _save(tmp_path, points=version, overwrite=True)
    kept = {k: len(load_level(tmp_path / f"mine.toml.{k}.bak").orchard.points)
            for k in range(1, BACKUPS_KEPT + 1)}
    assert kept == {1: 8, 2: 7, 3: 6, 4: 5, 5: 4}, "newest first, the oldest dropped"
    assert len(load_level(tmp_path / "mine.toml").orchard.points) == 9
    assert _names(tmp_path) == ["mine.toml"] + [f"mine.toml.{k}.bak" for k in range(1, 6)]


def test_saving_three_times_keeps_the_first_version(tmp_path):
    first = _save(tmp_path, points=2)[0].read_bytes()
    _save(tmp_path, points=3, overwrite=True)
    _save(tmp_path, points=4, overwrite=True)
    assert (tmp_path / "mine.toml.2.bak").read_bytes() == first


def test_the_backup_is_the_old_file_itself_not_a_copy(tmp_path):
    old = os.stat(_save(tmp_path)[0]).st_ino
    _save(tmp_path, points=3, overwrite=True)
    assert os.stat(tmp_path / "mine.toml.1.bak").st_ino == old, "made by rename/link, atomically"
    assert os.stat(tmp_path / "mine.toml").st_ino != old


@pytest.mark.parametrize("failing_write", [1, 2], ids=["new-version", "backup-copy"])
def test_a_full_disk_leaves_the_level_and_every_backup_as_they_were(tmp_path, monkeypatch,
                                                                     failing_write):
    for points in (2, 3, 4):
        _save(tmp_path, points=points, overwrite=True)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    real_write, writes = os.write, []

    def write_until_full(fd, data):
        writes.append(fd)
        if len(writes) >= failing_write:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)
    monkeypatch.setattr(files.os, "write", write_until_full)
    monkeypatch.setattr(files.os, "link", _no_links)  # so the backup is a copy, which needs space
    with pytest.raises(OSError, match="No space left"):
        _save(tmp_path, points=5, overwrite=True)
    assert len(writes) == failing_write
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before, "no temp file either"


def _no_links(*args, **kwargs):
    raise PermissionError(errno.EPERM, "Operation not permitted")


def test_without_hard_links_backups_are_copied_through_a_temp_file(tmp_path, monkeypatch):
    first = _save(tmp_path)[0].read_bytes()
    monkeypatch.setattr(files.os, "link", _no_links)
    _save(tmp_path, points=3, overwrite=True)
    _save(tmp_path, "Other")
    assert (tmp_path / "mine.toml.1.bak").read_bytes() == first
    assert _names(tmp_path) == ["mine.toml", "mine.toml.1.bak", "other.toml"]
    with pytest.raises(LevelExists):
        _save(tmp_path, "Other")


# ------------------------------------------------------------------ symlinks
@pytest.mark.parametrize("planted", ["victim.toml", "victim.toml.1.bak", "victim.toml.2.bak",
                                     "victim.toml.5.bak"])
def test_a_symlink_where_the_level_or_a_backup_belongs_is_refused(tmp_path, planted):
    folder, outside = tmp_path / "levels", tmp_path / "outside.toml"
    folder.mkdir()
    outside.write_text("precious")
    if planted != "victim.toml":
        _save(folder, "Victim")
    (folder / planted).symlink_to(outside)
    before = _names(folder)
    with pytest.raises(LevelError, match="got a symbolic link") as refused:
        _save(folder, "Victim", points=3, overwrite=True)
    assert "\n" not in str(refused.value)
    assert outside.read_text() == "precious" and _names(folder) == before


def test_a_levels_folder_that_is_a_symlink_is_refused(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "levels").symlink_to(tmp_path / "real")
    with pytest.raises(LevelError, match="folder is a symbolic link"):
        _save(tmp_path / "levels")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    with pytest.raises(LevelError, match="expected a folder, got something else"):
        _save(tmp_path / "dangling")
    assert not list((tmp_path / "real").iterdir())


# ----------------------------------------------------- no silent overwrite
@pytest.mark.parametrize("first, second", [("a/b", "a\\b"), ("a/b", "A \x00B"),
                                           ("x" * 70 + "1", "x" * 70 + "2")])
def test_names_that_map_to_the_same_file_never_overwrite_silently(tmp_path, first, second):
    path, _ = _save(tmp_path, first)
    kept = path.read_bytes()
    with pytest.raises(LevelExists) as exists:
        _save(tmp_path, second, points=3)
    assert exists.value.path == path and path.read_bytes() == kept


# --------------------------------------------------------- long sessions
def test_a_long_session_still_saves_with_valid_stars(tmp_path):
    a = _attempt()
    for used in (500_001, 10**9):  # the free-play history has no end
        a.steps_used = used
        _, level = save_level(level_document(a, None, "Long"), tmp_path, overwrite=True)
        assert level.step_budget == LIMITS.step_budget_max
        assert 1 <= level.par_steps <= level.step_budget and 1 <= level.par_fruit <= level.point_budget
        assert level.win == "hold" and 1 <= level.hold_steps <= level.step_budget
    assert step_budget(0) == 200 and step_budget(150) == 300


# ------------------------------------------------------------------- names
def test_surrogates_controls_and_format_characters_are_dropped_from_the_name(tmp_path):
    assert clean_name("\ud800My\u200b\x07 level\n\tone\ue000") == "My level one"
    path, level = _save(tmp_path, "\ud800My\u200b\x07 level\n\tone")
    assert (level.title, level.id, path.name) == ("My level one", "my-level-one", "my-level-one.toml")
    for unusable in ("\ud800", "\u200b\x00", "!!!", "   "):
        with pytest.raises(LevelError, match="nothing usable"):
            level_document(_attempt(), None, unusable)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(codec=None, exclude_categories=()), max_size=90))
def test_any_typed_name_saves_or_is_refused_in_one_line(tmp_path, name):
    try:
        _, level = save_level(level_document(_attempt(), None, name), tmp_path, overwrite=True)
    except LevelError as error:
        assert "\n" not in str(error)
    else:
        assert level.title == clean_name(name)[:80].strip()


# -------------------------------------------------------------- temp files
def test_stale_temp_files_are_removed_and_nothing_else(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    folder = tmp_path / "levels"
    folder.mkdir()
    dead = _dead_pid()
    stale = [f".saving-{os.getpid()}-aa.toml", f".saving-{dead}-bb.toml", ".saving-x1y2_z.toml"]
    for name in stale:
        (folder / name).write_text("half a level")
    os.utime(folder / ".saving-x1y2_z.toml", (time.time() - 120,) * 2)  # an old-style name, old
    alive = f".saving-{os.getppid()}-cc.toml"  # another running process may be saving right now
    keep = [alive, ".saving-fresh_x.toml", ".saving-notes.txt", "other.toml"]
    for name in keep:
        (folder / name).write_text("not stale")
    (folder / ".saving-link-dd.toml").symlink_to(outside)
    assert clean_stale_temp_files(folder) == 3
    assert _names(folder) == sorted(keep + [".saving-link-dd.toml"])
    assert outside.read_text() == "keep"
    assert clean_stale_temp_files(tmp_path / "missing") == 0


def test_each_save_removes_stale_temp_files_first(tmp_path):
    (tmp_path / f".saving-{_dead_pid()}-ee.toml").write_text("killed mid-save")
    _save(tmp_path)
    assert _names(tmp_path) == ["mine.toml"]


def _dead_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    import subprocess
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


# ------------------------------------------------------------------ limits
def test_the_sandbox_limits_are_one_definition_inside_the_loaders_limits():
    assert max(LIMITS.hidden_sizes) <= MAX_HIDDEN_SIZE and max(LIMITS.hidden_layers) <= MAX_HIDDEN_LAYERS
    assert LIMITS.lr_max <= MAX_LEARNING_RATE
    assert dict(SANDBOX_LIMITS) == {"hidden_sizes": LIMITS.hidden_sizes,
                                    "hidden_layers": LIMITS.hidden_layers,
                                    "lr": (LIMITS.lr_min, LIMITS.lr_max)}
    level = sandbox_level(None)
    assert (level.hidden_sizes, level.hidden_layers) == (LIMITS.hidden_sizes, LIMITS.hidden_layers)
    assert (level.lr_min, level.lr_max) == (LIMITS.lr_min, LIMITS.lr_max)


def test_a_level_saved_at_the_sandbox_extremes_loads_and_the_budget_limit_is_the_loaders():
    a = Attempt(sandbox_level(Preset("ring", LIMITS.count_max, LIMITS.noise_max),
                              max(LIMITS.hidden_sizes), max(LIMITS.hidden_layers),
                              LIMITS.activations[-1]), free_play=True)
    a.set_learning_rate(LIMITS.lr_max)
    a.steps_used = 10**9
    document = level_document(a, Preset("ring", LIMITS.count_max, LIMITS.noise_max), "Edge")
    level_from_dict(document, "edge")
    document["rules"]["step_budget"] = LIMITS.step_budget_max + 1
    with pytest.raises(LevelError, match="step_budget"):
        level_from_dict(document, "edge")


# --------------------------------------------------------------- kill -9
def _kill_loop():
    """scripts/save_kill_loop.py as a module, registered in sys.modules as its dataclass needs."""
    if "save_kill_loop" not in sys.modules:
        path = ROOT / "scripts" / "save_kill_loop.py"
        spec = importlib.util.spec_from_file_location("save_kill_loop", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return sys.modules["save_kill_loop"]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kill_9_during_saves_leaves_the_level_its_backups_and_the_folder_consistent(tmp_path):
    figures = _kill_loop().run(rounds=20, root=tmp_path, seed=20240601, longest=0.06)
    assert figures.failures == []
    assert figures.rounds == 20 and figures.versions_saved > 20, "the children really were saving"


def test_the_kill_loop_check_notices_a_torn_backup(tmp_path):
    loop = _kill_loop()
    folder, _ = loop.set_up(tmp_path)
    for version in (1, 2):
        save_level(loop.document(version), folder, overwrite=True)
    assert loop.check_folder(folder) == 2
    (folder / f"{loop.FILE}.1.bak").write_bytes(b'id = "kill-loop"\ntitle = "Ha')
    with pytest.raises(LevelError):
        loop.check_folder(folder)


# ------------------------------------------------------------------- scene
@pytest.fixture()
def scene(tmp_path):
    from game.app import open_window
    from game.scenes.base import SceneStack
    from game.scenes.sandbox import SandboxScene
    open_window()
    made = SandboxScene(save_folder=tmp_path)
    SceneStack().push(made)
    return made


def _type_and_save(scene, name):
    scene.name_entry.set_text(name)
    scene.save()


def test_saving_onto_an_existing_file_asks_first_then_keeps_the_old_version(scene, tmp_path):
    _type_and_save(scene, "a/b")
    first = (tmp_path / "a-b.toml").read_bytes()
    scene.attempt.add_point(0.3, 0.3, 0)
    _type_and_save(scene, "a\\b")
    assert scene._dialog is not None, "a confirmation is shown first"
    assert "a-b.toml already exists" in scene._dialog.confirmation_text.html_text
    assert "backup" in scene._dialog.confirmation_text.html_text
    assert (tmp_path / "a-b.toml").read_bytes() == first and _names(tmp_path) == ["a-b.toml"]
    scene.handle_event(pygame.event.Event(pygame_gui.UI_CONFIRMATION_DIALOG_CONFIRMED,
                                          ui_element=scene._dialog))
    assert scene._dialog is None and (tmp_path / "a-b.toml.1.bak").read_bytes() == first
    assert load_level(tmp_path / "a-b.toml").title == "a\\b"
    assert scene.toast[2], "the good-news toast says where it went"


def test_closing_the_question_saves_nothing(scene, tmp_path):
    _type_and_save(scene, "Twice")
    first = (tmp_path / "twice.toml").read_bytes()
    _type_and_save(scene, "Twice")
    dialog = scene._dialog
    scene.handle_event(pygame.event.Event(pygame_gui.UI_WINDOW_CLOSE, ui_element=dialog))
    assert scene._dialog is None and scene._pending_save is None
    assert _names(tmp_path) == ["twice.toml"] and (tmp_path / "twice.toml").read_bytes() == first


def test_an_unusable_or_unsafe_save_is_a_one_line_toast(scene, tmp_path, monkeypatch):
    # pygame_gui cannot even draw a lone surrogate, so the pasted text is handed over directly.
    monkeypatch.setattr(scene.name_entry, "get_text", lambda: "\ud800\u200b")
    scene.save()
    monkeypatch.undo()
    assert "nothing usable" in scene.toast[0] and not scene.toast[2]
    (tmp_path / "bad.toml").symlink_to(tmp_path / "elsewhere.toml")
    _type_and_save(scene, "Bad")
    assert "symbolic link" in scene.toast[0] and "\n" not in scene.toast[0]
    assert len(scene.toast[0]) <= 110 and not (tmp_path / "elsewhere.toml").exists()


def test_opening_the_sandbox_removes_stale_temp_files(tmp_path):
    from game.scenes.sandbox import SandboxScene
    (tmp_path / f".saving-{_dead_pid()}-ff.toml").write_text("killed mid-save")
    (tmp_path / "kept.toml").write_text("a level")
    SandboxScene(save_folder=tmp_path)
    assert _names(tmp_path) == ["kept.toml"]


def test_the_sandbox_controls_offer_exactly_the_limits(scene):
    assert [o[0] for o in scene.size_menu.options_list] == [str(k) for k in LIMITS.hidden_sizes]
    assert [o[0] for o in scene.layers_menu.options_list] == [str(k) for k in LIMITS.hidden_layers]
    assert [o[0] for o in scene.activation_menu.options_list] == list(LIMITS.activations)
    assert scene._lr_range() == (LIMITS.lr_min, LIMITS.lr_max)
    assert scene.count_slider.value_range == (LIMITS.count_min, LIMITS.count_max)
