"""The sandbox's rules: a free-play level built from a preset, and "Save as level".

In the sandbox the preset dataset is both the judged orchard and training
fruit (it is the level's `given`), and the player's own fruit join it. Saving
turns the field into a level file: the preset becomes a seeded orchard and the
player's fruit become the given fruit, with the network settings in use. The
file is written atomically and loaded back through the level loader before
the save counts, so a saved level always validates.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import tomli_w

from game.core.attempt import Attempt
from game.core.levels import LABEL_NAMES, Level, LevelError, Orchard, Point, load_level

SANDBOX_SEED = 1


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
    return Level(
        id="sandbox", title="Sandbox", story="Free play.", lesson="Anything goes.",
        hints=("Try a different dataset, more neurons or another learning rate.",),
        orchard=orchard, given=given, hidden_sizes=tuple(range(1, 9)),
        default_hidden_size=hidden_size, hidden_layers=(1, 2, 3),
        default_hidden_layers=hidden_layers, activation=activation, init_seed=SANDBOX_SEED,
        lr_min=1e-3, lr_max=100.0, lr_default=1.0, step_budget=10**6, point_budget=1000,
        target_accuracy=1.0, two_star_steps=10**6, three_star_steps=10**6)


def slug(name: str) -> str:
    """A level id from a typed name: lowercase words joined by dashes (accents dropped)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", plain.lower())
    return "-".join(words)[:64].strip("-")


def level_document(attempt: Attempt, preset: Preset | None, name: str) -> dict:
    """The TOML document for the sandbox's current field and settings."""
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
    budget = max(200, int(math.ceil(attempt.steps_used * 2 / 100.0)) * 100)
    document = {
        "id": slug(name), "title": name.strip()[:80],
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
        "learning_rate": {"min": round(max(lr / 10, 1e-3), 6), "max": round(min(lr * 4, 100.0), 6),
                          "default": lr},
        "rules": {"step_budget": budget, "point_budget": 8, "target_accuracy": 0.9},
        "stars": {"two_stars_within_steps": budget * 6 // 10,
                  "three_stars_within_steps": budget * 3 // 10},
    }
    if given:
        document["given"] = given
    return document


def _point_table(p: Point) -> dict:
    return {"sweetness": p.x1, "redness": p.x2, "label": LABEL_NAMES[p.label]}


def save_level(document: dict, folder: Path) -> tuple[Path, Level]:
    """Write `document` as folder/<id>.toml atomically and load it back.

    A file already there under that name is kept as <id>.toml.bak. Raises LevelError (and leaves no file) if the name is unusable or the
    document does not validate.
    """
    if not document.get("id"):
        raise LevelError("level name: expected a name with letters or digits, got nothing usable")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{document['id']}.toml"
    handle, temp_name = tempfile.mkstemp(dir=folder, prefix=".saving-", suffix=".toml")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(tomli_w.dumps(document).encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp_name, 0o644)  # a level is meant to be shared: readable by all
        load_level(temp_name, str(target))  # validate before the file takes its name
        if target.exists():
            # Saving again under the same name keeps the previous version beside it.
            shutil.copy2(target, target.with_suffix(".toml.bak"))
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return target, load_level(target)
