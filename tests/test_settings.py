"""Settings: saved atomically, and any bad or hostile file gives one line and defaults, never a crash."""

import dataclasses
import os

import pytest

from game.core.settings import (
    MAX_SETTINGS_BYTES,
    Settings,
    load_settings,
    save_settings,
    settings_path,
)


@pytest.fixture(autouse=True)
def data_folder(tmp_path, monkeypatch):
    """Each test has its own empty data folder."""
    monkeypatch.setenv("FRUITNET_DATA_DIR", str(tmp_path))
    return tmp_path


def _write(text: str | bytes) -> None:
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)


def _one_line_with_path(message: str | None) -> bool:
    return message is not None and "\n" not in message and str(settings_path()) in message


def test_no_file_gives_the_defaults_quietly():
    assert load_settings() == (Settings(), None)


def test_saved_settings_load_back_exactly():
    chosen = Settings(animation_speed=2.5, volume=0.25, mute=True, fullscreen=True,
                      reduced_motion=True, palette="colour-blind")
    assert save_settings(chosen) is None
    assert load_settings() == (chosen, None)
    text = settings_path().read_text(encoding="utf-8")
    assert 'palette = "colour-blind"' in text and "volume = 0.25" in text


def test_saving_again_keeps_the_old_version_and_leaves_no_temporary_file(data_folder):
    assert save_settings(Settings(volume=0.1)) is None
    assert save_settings(Settings(volume=0.9)) is None
    assert load_settings()[0].volume == 0.9
    assert "volume = 0.1" in (data_folder / "settings.toml.1.bak").read_text(encoding="utf-8")
    assert not [p for p in os.listdir(data_folder) if p.startswith(".saving-")]


def test_a_damaged_file_is_set_aside_by_the_next_save_not_lost(data_folder):
    _write("volume = = broken")
    assert save_settings(Settings()) is None
    assert (data_folder / "settings.toml.1.bak").read_text(encoding="utf-8") == "volume = = broken"


@pytest.mark.parametrize("content, why", [
    ("volume = = 0.5", "not valid TOML"),
    (b"volume = 0.5\n\xff\xfe", "not UTF-8"),
    ("[[volume]]\n" * 3, "volume"),
])
def test_a_file_that_cannot_be_parsed_gives_defaults_and_one_line(content, why):
    _write(content)
    settings, message = load_settings()
    assert settings == Settings()
    assert _one_line_with_path(message) and why in message


@pytest.mark.parametrize("line, field, expected", [
    ('volume = "loud"', "volume", "a number from 0 to 1"),
    ("volume = 1.5", "volume", "a number from 0 to 1"),
    ("volume = nan", "volume", "a number from 0 to 1"),
    ("volume = true", "volume", "a number from 0 to 1"),
    ("animation_speed = 100", "animation_speed", "a number from 0.25 to 4"),
    ("mute = 1", "mute", "true or false"),
    ('fullscreen = "yes"', "fullscreen", "true or false"),
    ("reduced_motion = [true]", "reduced_motion", "true or false"),
    ('palette = "neon"', "palette", '"default" or "colour-blind"'),
    ("palette = { a = 1 }", "palette", '"default" or "colour-blind"'),
])
def test_a_bad_field_falls_back_to_its_default_and_keeps_the_rest(line, field, expected):
    _write(f"{line}\nmute = true\nanimation_speed = 2.0\n" if field not in ("mute", "animation_speed")
           else f"{line}\nvolume = 0.3\n")
    settings, message = load_settings()
    assert getattr(settings, field) == getattr(Settings(), field)
    if field not in ("mute", "animation_speed"):
        assert settings.mute is True and settings.animation_speed == 2.0
    else:
        assert settings.volume == 0.3
    assert _one_line_with_path(message) and f"{field}: expected {expected}" in message


def test_several_bad_fields_are_counted_in_one_line():
    _write('volume = "x"\nmute = 3\npalette = 7\n')
    settings, message = load_settings()
    assert settings == Settings()
    assert _one_line_with_path(message) and "(and 2 more)" in message


def test_a_huge_bad_value_is_shortened_in_the_message():
    _write('palette = "' + "x" * 5000 + '"\n')
    _, message = load_settings()
    assert _one_line_with_path(message) and len(message) < 300 + len(str(settings_path()))


def test_unknown_keys_from_a_newer_version_are_ignored():
    _write('version = 9\nvolume = 0.4\nsparkles = "many"\n[future]\nx = 1\n')
    assert load_settings() == (Settings(volume=0.4), None)


def test_a_50_mb_file_is_refused_without_reading_it():
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        f.truncate(50_000_000)  # sparse: costs no disk
    settings, message = load_settings()
    assert settings == Settings()
    assert _one_line_with_path(message) and f"at most {MAX_SETTINGS_BYTES:,} bytes" in message


def test_a_symlink_is_not_followed_on_load_or_on_save(data_folder):
    target = data_folder / "elsewhere.toml"
    target.write_text("volume = 0.2\n", encoding="utf-8")
    os.symlink(target, settings_path())
    settings, message = load_settings()
    assert settings == Settings()
    assert _one_line_with_path(message) and "symbolic link" in message
    problem = save_settings(Settings(volume=0.9))
    assert problem is not None and "symbolic link" in problem and "\n" not in problem
    assert target.read_text(encoding="utf-8") == "volume = 0.2\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_at_once():
    settings_path().parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(settings_path())  # opening it for reading would block forever without O_NONBLOCK
    settings, message = load_settings()
    assert settings == Settings()
    assert _one_line_with_path(message) and "pipe" in message


def test_a_folder_where_the_file_belongs_gives_defaults_and_a_failed_save_says_why():
    settings_path().mkdir(parents=True)
    settings, message = load_settings()
    assert settings == Settings() and _one_line_with_path(message) and "folder" in message
    problem = save_settings(Settings())
    assert problem is not None and problem.startswith("Settings not saved:")


def test_an_unwritable_data_folder_gives_a_message_not_an_exception(data_folder, monkeypatch):
    blocker = data_folder / "file"
    blocker.write_text("x")
    monkeypatch.setenv("FRUITNET_DATA_DIR", str(blocker / "sub"))
    problem = save_settings(Settings())
    assert problem is not None and problem.startswith("Settings not saved:") and "\n" not in problem


def test_settings_that_would_not_load_back_are_not_saved():
    problem = save_settings(dataclasses.replace(Settings(), volume=5.0))
    assert problem is not None and "volume" in problem
    assert not settings_path().exists()
