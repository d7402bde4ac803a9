"""The sandbox's rules: a free-play level built from a preset, and "Save as level".

In the sandbox the preset dataset is both the judged orchard and training
fruit (it is the level's `given`), and the player's own fruit join it. Saving
turns the field into a level file: the preset becomes a seeded orchard and the
player's fruit become the given fruit, with the network settings in use. The
document is checked by the level loader before anything is written, so a saved
level always validates. The sandbox's limits live in game/core/sandbox_limits.py.

Saving writes through game/core/safe_files.py: a temporary file, fsynced and
renamed into place, numbered backups of the old version, never through a
symlink, and never over an existing level unless the player said so.
"""

from __future__ import annotations

import hashlib
import math
import re
import tomllib
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import tomli_w

from game.core.attempt import Attempt
from game.core.levels import (
    DEFAULT_HOLD_STEPS,
    LABEL_NAMES,
    Level,
    LevelError,
    Orchard,
    Point,
    level_from_dict,
)
from game.core.safe_files import (  # noqa: F401 - backup_name and the cleaner are used by the scene
    BACKUPS_KEPT,
    FileExists,
    UnsafeSave,
    backup_name,
    clean_stale_temp_files,
    write_with_backups,
)
from game.core.sandbox_limits import LIMITS

SANDBOX_SEED = 1
UNUSABLE_NAME = "level name: expected a name with letters or digits, got nothing usable"
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}  # controls, format, surrogates, private, unassigned


class LevelExists(LevelError):
    """Saving would replace an existing level file (`path`); save again with overwrite=True."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path}: a level file with this name already exists")
        self.path = path


@dataclass(frozen=True)
class Preset:
    """A generated dataset on the sandbox field."""

    generator: str
    count: int
    noise: float
    seed: int = SANDBOX_SEED


def sandbox_level(preset: Preset | None, hidden_size: int = 4, hidden_layers: int = 1,
                  activation: str = "sigmoid") -> Level:
    """A free-play level whose orchard and given fruit are the preset (or nothing)."""
    if preset is None:
        orchard = Orchard(visibility="ghost")
        given: tuple[Point, ...] = ()
    else:
        orchard = Orchard(visibility="ghost", generator=preset.generator, seed=preset.seed,
                          count=preset.count, noise=preset.noise)
        X, y = orchard.arrays()
        given = tuple(Point(float(a), float(b), int(c)) for (a, b), c in zip(X.tolist(), y.tolist()))
    most = LIMITS.step_budget_max  # free play has no budget; the loader's maximum stands in
    return Level(
        id="sandbox", title="Sandbox", story="Free play.", lesson="Anything goes.",
        hints=("Try a different dataset, more neurons or another learning rate.",),
        orchard=orchard, given=given, hidden_sizes=LIMITS.hidden_sizes,
        default_hidden_size=hidden_size, hidden_layers=LIMITS.hidden_layers,
        default_hidden_layers=hidden_layers, activation=activation, init_seed=SANDBOX_SEED,
        lr_min=LIMITS.lr_min, lr_max=LIMITS.lr_max, lr_default=1.0, step_budget=most,
        point_budget=LIMITS.point_budget_max, target_accuracy=1.0, par_steps=most,
        par_fruit=LIMITS.point_budget_max)


# -------------------------------------------------------------------- names
def clean_name(name: str) -> str:
    """The typed name without characters a title cannot hold, runs of spaces made one.

    Pasted text can carry lone surrogates (which TOML cannot encode), control
    and format characters; they are dropped, and line breaks or tabs become spaces.
    """
    kept = (" " if ch.isspace() else ch for ch in name
            if ch.isspace() or unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    return " ".join("".join(kept).split())


def slug(name: str) -> str:
    """A level id from a typed name: lowercase words joined by dashes (accents dropped)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", plain.lower())
    return "-".join(words)[:64].strip("-")


def level_name(name: str) -> tuple[str, str]:
    """The title and id for a typed name; LevelError if nothing usable is left."""
    cleaned = clean_name(name)
    title, level_id = cleaned[:80].strip(), slug(cleaned)
    if not title or not level_id:
        raise LevelError(UNUSABLE_NAME)
    return title, level_id


# ----------------------------------------------------------------- document
def level_document(attempt: Attempt, preset: Preset | None, name: str) -> dict:
    """The TOML document for the sandbox's current field and settings."""
    title, level_id = level_name(name)
    points = attempt.points
    if preset is not None:
        orchard = {"generator": preset.generator, "seed": preset.seed, "count": preset.count,
                   "noise": preset.noise, "visibility": "ghost"}
        given = [_point_table(p) for p in points]
    else:
        # With no preset, the player's fruit are the orchard itself.
        orchard = {"visibility": "ghost", "points": [_point_table(p) for p in points]}
        given = []
    lr = attempt.lr
    budget = step_budget(attempt.steps_used)
    document = {
        "id": level_id, "title": title,
        "story": "A level made in the FruitNet sandbox.",
        "lesson": "Watch how the boundary bends as each fruit nudges the weights.",
        "hints": ["Place fruit where the orchard is, both kinds.",
                  f"The maker trained with η = {lr:.3g} and this network."],
        "orchard": orchard,
        "network": {"hidden_sizes": [attempt.hidden_size],
                    "default_hidden_size": attempt.hidden_size,
                    "hidden_layers": [attempt.hidden_layers],
                    "default_hidden_layers": attempt.hidden_layers,
                    "activation": attempt.activation, "init_seed": attempt.level.init_seed},
        "learning_rate": {"min": round(max(lr / 10, LIMITS.lr_min), 6),
                          "max": round(min(lr * 4, LIMITS.lr_max), 6), "default": lr},
        # A held win, and a par a teacher refines with `fruitnet check --solve`, which
        # prints the automatic player's steps and fruit for this level.
        "rules": {"step_budget": budget, "point_budget": 8, "target_accuracy": 0.9,
                  "win": "hold", "hold_steps": min(DEFAULT_HOLD_STEPS, budget)},
        "stars": {"par_steps": max(1, budget * 3 // 10), "par_fruit": 4},
    }
    if given:
        document["given"] = given
    return document


def step_budget(steps_used: int) -> int:
    """Twice the maker's steps in whole hundreds, at least 200 and at most the loader's limit.

    A long sandbox session must still save, so the budget is clamped rather
    than refused; the star thresholds (60 % and 30 % of it) then stay valid too.
    """
    wanted = math.ceil(max(steps_used, 0) * 2 / 100) * 100
    return min(max(200, wanted), LIMITS.step_budget_max)


def _point_table(p: Point) -> dict:
    """One fruit as a TOML table."""
    return {"sweetness": p.x1, "redness": p.x2, "label": LABEL_NAMES[p.label]}


# ------------------------------------------------------------------- saving
def save_level(document: dict, folder: Path, overwrite: bool = False) -> tuple[Path, Level]:
    """Write `document` as folder/<id>.toml and return the path and the loaded level.

    An existing file raises LevelExists unless `overwrite`; then its old version
    is kept as <id>.toml.1.bak (see game/core/safe_files.py). Raises LevelError,
    leaving no file, if the name is unusable, the document does not validate or
    a name in the folder is a symlink; OSError if the disk refuses.
    """
    if not document.get("id"):
        raise LevelError(UNUSABLE_NAME)
    file_name = f"{document['id']}.toml"
    target = folder / file_name
    data = tomli_w.dumps(document).encode("utf-8")
    level = level_from_dict(tomllib.loads(data.decode("utf-8")), str(target))
    try:
        write_with_backups(folder, file_name, data, overwrite)
    except FileExists as exists:
        raise LevelExists(exists.path) from None
    except UnsafeSave as refused:
        raise LevelError(str(refused)) from None
    return target, replace(level, source=str(target), sha256=hashlib.sha256(data).hexdigest())
