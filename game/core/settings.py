"""The player's settings: a small TOML file in the user data folder.

    load_settings() -> (Settings, message or None)
    save_settings(settings) -> message or None

Loading never fails: a missing file gives the defaults quietly; a file that
cannot be used (bad TOML, not UTF-8, too large, a symbolic link, a pipe, a
folder) gives the defaults and one line saying why; a field with a wrong type
or an out-of-range value falls back to its own default, and the line names it.
Unknown keys are ignored, so a file written by a newer version still loads.

Saving goes through safe_files.write_with_backups: a temporary file, fsync,
os.replace, never through a symlink. The version it replaces is kept as
`settings.toml.1.bak`, so a damaged file the player had is set aside rather
than lost.

There is no "UI scale" setting: the whole 1280×720 canvas is scaled to fit the
window, so text already grows with the window or fullscreen, and a second scale
inside the canvas would need every screen laid out at several sizes.
"""

from __future__ import annotations

import math
import os
import stat
import tomllib
from dataclasses import asdict, dataclass, fields, replace

import tomli_w

from game.core.paths import data_dir
from game.core.safe_files import UnsafeSave, write_with_backups
from game.core.safe_io import UnreadableFile, read_regular_file

FILE_NAME = "settings.toml"
MAX_SETTINGS_BYTES = 64_000  # the real file is a few hundred bytes
SPEED_RANGE = (0.25, 4.0)  # the play screen's animation-speed slider: ×¼ … ×4
PALETTES = ("default", "colour-blind")
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Settings:
    """Every setting with its default. Frozen: change one with dataclasses.replace."""

    animation_speed: float = 1.0  # multiplies the step animation's speed, SPEED_RANGE
    volume: float = 0.7  # sound effects, 0 (silent) … 1 (full)
    mute: bool = False
    fullscreen: bool = False
    reduced_motion: bool = False  # fewer particles and no decorative movement
    palette: str = "default"  # one of PALETTES; the drawing applies it


def settings_path():
    """Where the settings file lives (not created here)."""
    return data_dir() / FILE_NAME


# --------------------------------------------------------------- checking
def _number_in(low: float, high: float):
    """A check for a finite number in [low, high] (true and false are not numbers here)."""
    def check(value):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None, f"expected a number from {low:g} to {high:g}"
        if not math.isfinite(value) or not low <= value <= high:
            return None, f"expected a number from {low:g} to {high:g}"
        return float(value), None
    return check


def _boolean(value):
    """A check for true or false."""
    if not isinstance(value, bool):
        return None, "expected true or false"
    return value, None


def _palette(value):
    """A check for one of PALETTES."""
    if not isinstance(value, str) or value not in PALETTES:
        return None, "expected " + " or ".join(f'"{p}"' for p in PALETTES)
    return value, None


# field → check(value) -> (the value to use, None) or (None, what was expected)
CHECKS = {
    "animation_speed": _number_in(*SPEED_RANGE),
    "volume": _number_in(0.0, 1.0),
    "mute": _boolean,
    "fullscreen": _boolean,
    "reduced_motion": _boolean,
    "palette": _palette,
}


def _shown(value) -> str:
    """A bad value as the message shows it: short, on one line."""
    text = repr(value) if not isinstance(value, dict | list) else type(value).__name__
    text = text.replace("\n", " ")
    return text if len(text) <= 40 else text[:37] + "..."


def settings_from(table: dict) -> tuple[Settings, list[str]]:
    """Settings from a parsed TOML table, and a problem line per field that fell back.

    Each bad field takes its default; good fields are kept.
    """
    values, problems = {}, []
    for name, check in CHECKS.items():
        if name not in table:
            continue
        value, problem = check(table[name])
        if problem is None:
            values[name] = value
        else:
            problems.append(f"{name}: {problem}, got {_shown(table[name])}")
    return replace(Settings(), **values), problems


# ---------------------------------------------------------------- loading
def load_settings() -> tuple[Settings, str | None]:
    """The saved settings and None, or the defaults (for what could not be used) and one line."""
    path = settings_path()
    try:
        if stat.S_ISLNK(os.lstat(path).st_mode):
            return Settings(), f"{path}: a symbolic link; using the default settings"
    except FileNotFoundError:
        return Settings(), None  # first launch: nothing saved yet
    except OSError as error:
        return Settings(), f"{path}: cannot read the file ({error.strerror}); using the default settings"
    try:
        text = read_regular_file(path, MAX_SETTINGS_BYTES).decode("utf-8")
        table = tomllib.loads(text)
    except UnreadableFile as error:
        return Settings(), f"{path}: cannot read the file ({error}); using the default settings"
    except UnicodeDecodeError:
        return Settings(), f"{path}: not UTF-8 text; using the default settings"
    except tomllib.TOMLDecodeError as error:
        return Settings(), f"{path}: not valid TOML ({error}); using the default settings"
    settings, problems = settings_from(table)
    if not problems:
        return settings, None
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return settings, f"{path}: {problems[0]}{more}; using the default there"


# ----------------------------------------------------------------- saving
def settings_toml(settings: Settings) -> bytes:
    """The file's text: the format version, then every field."""
    table = {"version": FORMAT_VERSION, **asdict(settings)}
    return tomli_w.dumps(table).encode("utf-8")


def save_settings(settings: Settings) -> str | None:
    """Write the settings file atomically; None when saved, else a one-line reason."""
    for field in fields(Settings):
        _, problem = CHECKS[field.name](getattr(settings, field.name))
        if problem is not None:  # a caller's bug must not write a file the loader rejects
            return f"Settings not saved: {field.name}: {problem}"
    path = settings_path()
    try:
        write_with_backups(path.parent, path.name, settings_toml(settings), overwrite=True)
    except UnsafeSave as error:
        return f"Settings not saved: {error}"
    except OSError as error:
        return f"Settings not saved: {path}: {error.strerror or error}"
    return None
