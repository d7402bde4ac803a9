"""Levels and packs: loading TOML files into checked, immutable objects.

The format is documented, with a commented example, in `levels/README.md`.
`load_level(path)` and `load_pack(folder)` raise `LevelError` with a one-line
message naming the file, the field, the bad value and what was expected.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from game.core.datasets import GENERATORS, generate
from game.core.fields import Fields, LevelError, file_label, read_toml
from game.core.level_controls import DEFAULT_CONTROLS, controls_field
from game.core.level_expect import Expect, expect_fields
from game.core.level_network import MAX_HIDDEN_LAYERS, MAX_HIDDEN_SIZE, network_fields
from game.core.level_quiz import MAX_QUIZZES, Quiz, quiz_fields
from game.core.paths import user_levels_dir

LABELS = {"strawberry": 1, "lemon": 0}
LABEL_NAMES = {1: "strawberry", 0: "lemon"}
VISIBILITIES = ("ghost", "fog", "hidden")
WIN_RULES = ("hold", "harvest", "first")
DEFAULT_HOLD_STEPS = 20  # long enough that a one-step sweep through the target does not count
MAX_LEARNING_RATE = 100.0
# Size limits, checked on the list's length before any fruit is built, so an oversized file
# fails in milliseconds. 2000 orchard fruit is what a generator's `count` allows too; 1000
# given fruit matches the largest point budget and keeps a frame's drawing well under 16 ms.
MAX_ORCHARD_POINTS = 2000
MAX_GIVEN_FRUIT = 1000

__all__ = ["MAX_HIDDEN_LAYERS", "MAX_HIDDEN_SIZE", "Level", "LevelError", "Orchard", "Pack", "Point",
           "load_level", "load_pack"]
TRAINING_ORDERS = ("random", "placed")


@dataclass(frozen=True)
class Point:
    """One fruit: sweetness x₁, redness x₂ (both in [0, 1]) and label 1 🍓 / 0 🍋."""

    x1: float
    x2: float
    label: int
    removable: bool = False  # given fruit only: the player may take it out of training


@dataclass(frozen=True)
class Orchard:
    """The judged fruit: a seeded generator or explicit points, and how it is shown."""

    visibility: str
    generator: str | None = None
    seed: int = 0
    count: int = 0
    noise: float = 0.0
    points: tuple[Point, ...] = ()
    label_noise: float = 0.0  # share of a generated orchard's labels flipped (liars)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """X (N, 2) and y (N,) of the orchard's fruit."""
        if self.generator is not None:
            X, y = generate(self.generator, self.count, self.noise, self.seed)
            flips = round(self.label_noise * len(y))
            if flips:
                rng = np.random.default_rng(np.random.SeedSequence([self.seed, 0x4E015E]))
                liars = rng.choice(len(y), size=flips, replace=False)
                y[liars] = 1.0 - y[liars]
            return X, y
        X = np.array([[p.x1, p.x2] for p in self.points], dtype=np.float64).reshape(-1, 2)
        y = np.array([p.label for p in self.points], dtype=np.float64)
        return X, y


@dataclass(frozen=True)
class Level:
    """One level, fully checked. See levels/README.md for each field's meaning."""

    id: str
    title: str
    story: str
    lesson: str
    hints: tuple[str, ...]
    orchard: Orchard
    given: tuple[Point, ...]
    hidden_sizes: tuple[int, ...]
    default_hidden_size: int
    hidden_layers: tuple[int, ...]
    default_hidden_layers: int
    activation: str
    init_seed: int
    lr_min: float
    lr_max: float
    lr_default: float
    step_budget: int
    point_budget: int
    target_accuracy: float
    par_steps: int  # ★ for a win within this many steps
    par_fruit: int  # ★ for a win with at most this many placed fruit
    win: str = "hold"  # one of WIN_RULES; see attempt.py
    hold_steps: int = DEFAULT_HOLD_STEPS  # for win = "hold"
    init: str = "glorot"  # how the weights start: "glorot" or "equal" (see net_checks.py)
    init_scale: float = 1.0  # multiplies the starting weights
    start_weights: tuple | None = None  # explicit starting W per layer, rows of numbers
    start_biases: tuple | None = None
    frozen: tuple[str, ...] = ()  # parameter blocks that never train, e.g. ("W1",)
    order: str = "random"  # training order: "random" (seeded draw) or "placed" (in turn)
    shown: Orchard | None = None  # fruit drawn on the field instead of the judged orchard
    activations: tuple[str, ...] = ()  # hidden activations the player may pick; () = fixed
    expect: Expect = Expect()  # the lesson, as facts check --solve proves
    quizzes: tuple[Quiz, ...] = ()  # "predict the nudge" questions, by step
    controls: tuple[str, ...] = DEFAULT_CONTROLS  # the buttons offered; see level_controls.py
    source: str = "<memory>"
    sha256: str = ""

    def layer_sizes(self, hidden_size: int, hidden_layers: int) -> tuple[int, ...]:
        """The network shape for a choice of hidden size and layer count."""
        return (2, *([hidden_size] * hidden_layers), 1)


@dataclass(frozen=True)
class Pack:
    """A folder of levels in the order its pack.toml gives."""

    id: str
    title: str
    folder: Path
    levels: tuple[Level, ...]
    manifest_sha256: str = ""  # of the pack.toml bytes loaded (pack_files.pack_hash uses it)

    def level(self, level_id: str) -> Level:
        """The level with this id; KeyError if the pack has none."""
        for level in self.levels:
            if level.id == level_id:
                return level
        raise KeyError(level_id)


# ------------------------------------------------------------------ loading
def load_level(path: str | Path, label: str | None = None) -> Level:
    """Load and check one level file. `label` is how the file is named in errors."""
    path = Path(path)
    label = label or file_label(path)
    document, raw = read_toml(path, label)  # one read: the hash is of the bytes parsed
    level = level_from_dict(document, label)
    return replace(level, source=str(path), sha256=hashlib.sha256(raw).hexdigest())


def level_from_dict(data: dict, label: str) -> Level:
    """Check a parsed level document; raises LevelError on the first problem."""
    top = Fields(data, label)
    level_id = top.identifier("id")
    title = top.text("title", max_length=80)
    story = top.text("story", multiline=True)
    lesson = top.text("lesson", multiline=True)
    hints = top.text_list("hints", 1, multiline=True)
    orchard = _orchard(top.sub("orchard"))
    # The generalisation lesson: the player sees one set of fruit and is judged on another.
    shown = _orchard(top.sub("shown")) if top.has("shown") else None
    given = tuple(_point(f, given=True) for f in top.table_list(
        "given", default=[], max_items=MAX_GIVEN_FRUIT, noun="given fruit"))
    net = network_fields(top.sub("network"))
    lr = _learning_rate(top.sub("learning_rate"))
    stars_table = top.table.get("stars")
    legacy = isinstance(stars_table, dict) and "three_stars_within_steps" in stars_table \
        and "par_steps" not in stars_table
    # A file written before par existed was written for the first-step rule; it keeps it.
    rules = _rules(top.sub("rules"), default_win="first" if legacy else "hold")
    stars = _stars(top.sub("stars"), rules["step_budget"], rules["point_budget"])
    expect = expect_fields(top.sub("expect"), net, lr) if top.has("expect") else Expect()
    quizzes = quiz_fields(top.table_list("quiz", default=[], max_items=MAX_QUIZZES), net,
                          rules["step_budget"])
    order = "random"
    if top.has("training"):
        training = top.sub("training")
        order = training.choice("order", TRAINING_ORDERS, default="random")
        training.finish()
    controls = controls_field(top)
    if expect.late_harvest_loses and rules["win"] != "harvest":
        top.sub("expect").fail("late_harvest_loses", 'a level with win = "harvest"', True)
    if expect.shake_needed and "shake" not in controls:
        top.sub("expect").fail("shake_needed", 'a level whose controls include "shake"', True)
    top.finish()
    return Level(id=level_id, title=title, story=story, lesson=lesson, hints=hints,
                 orchard=orchard, given=given, **net, **lr, **rules, **stars, order=order,
                 shown=shown, expect=expect, quizzes=quizzes, controls=controls)


def _rules(f: Fields, default_win: str = "hold") -> dict:
    step_budget = f.whole("step_budget", 1, 1_000_000)
    win = f.choice("win", WIN_RULES, default=default_win)
    if win == "hold":
        hold = f.whole("hold_steps", 1, step_budget, default=min(DEFAULT_HOLD_STEPS, step_budget))
    elif f.has("hold_steps"):
        f.fail("hold_steps", 'no hold_steps unless win = "hold"', f.table["hold_steps"])
    else:
        hold = 1
    result = dict(step_budget=step_budget, win=win, hold_steps=hold,
                  point_budget=f.whole("point_budget", 1, 1000),
                  target_accuracy=f.number("target_accuracy", 0.0, 1.0, low_open=True))
    f.finish()
    return result


def _stars(f: Fields, step_budget: int, point_budget: int) -> dict:
    """Par for the two challenges, fewest steps and fewest fruit.

    Files written before par existed give star thresholds in steps; they still load,
    with par_steps from the three-star threshold and par_fruit the whole point budget.
    """
    if not f.has("par_steps") and f.has("three_stars_within_steps"):
        two = f.whole("two_stars_within_steps", 1, step_budget)
        stars = dict(par_steps=f.whole("three_stars_within_steps", 1, two), par_fruit=point_budget)
    else:
        stars = dict(par_steps=f.whole("par_steps", 1, step_budget),
                     par_fruit=f.whole("par_fruit", 1, point_budget))
    f.finish()
    return stars


def _orchard(f: Fields) -> Orchard:
    visibility = f.choice("visibility", VISIBILITIES)
    either = 'either "generator" (with seed, count and noise) or "points"'
    if not f.has("generator") and not f.has("points"):
        f.fail("generator", either)
    if f.has("generator") and f.has("points"):
        raise LevelError(f"{f.label}: orchard: expected {either}, got both")
    if f.has("points"):
        points = tuple(_point(p) for p in f.table_list("points", max_items=MAX_ORCHARD_POINTS,
                                                        noun="points"))
        if f.has("label_noise"):
            f.fail("label_noise", "no label_noise with listed points (give a liar its wrong "
                                  "label yourself)", f.table["label_noise"])
        if len(points) < 2 or len({p.label for p in points}) < 2:
            f.fail("points", "at least 2 points with both strawberries and lemons",
                   f.table["points"])
        f.finish()
        return Orchard(visibility=visibility, points=points)
    orchard = Orchard(visibility=visibility,
                      generator=f.choice("generator", tuple(GENERATORS)),
                      seed=f.whole("seed", 0, 2**32 - 1),
                      count=f.whole("count", 2, MAX_ORCHARD_POINTS),
                      noise=f.number("noise", 0.0, 1.0),
                      label_noise=f.number("label_noise", 0.0, 0.5, default=0.0))
    f.finish()
    return orchard


def _point(f: Fields, given: bool = False) -> Point:
    point = Point(x1=f.number("sweetness", 0.0, 1.0), x2=f.number("redness", 0.0, 1.0),
                  label=LABELS[f.choice("label", tuple(LABELS))])
    if given and f.has("removable"):
        removable = f.raw("removable", "true or false")
        if not isinstance(removable, bool):
            f.fail("removable", "true or false", removable)
        point = replace(point, removable=removable)
    f.finish()
    return point


def _learning_rate(f: Fields) -> dict:
    low = f.number("min", 0.0, MAX_LEARNING_RATE, low_open=True)
    high = f.number("max", 0.0, MAX_LEARNING_RATE, low_open=True)
    if high < low:
        f.fail("max", f"a number ≥ min ({low:g})", f.table["max"])
    default = f.number("default", low, high)
    f.finish()
    return dict(lr_min=low, lr_max=high, lr_default=default)


# -------------------------------------------------------------------- packs
def load_pack(folder: str | Path) -> Pack:
    """Load a pack folder: its pack.toml and every level it lists, in order."""
    folder = Path(folder)
    label = file_label(folder / "pack.toml")
    document, raw = read_toml(folder / "pack.toml", label)  # one read: the hash is of these bytes
    top = Fields(document, label)
    pack_id = top.identifier("id")
    title = top.text("title", max_length=80)
    files = top.text_list("levels", 1, drawn=False)  # file names: never drawn in the game
    top.finish()
    levels, seen = [], {}
    for i, name in enumerate(files):
        level = load_level(_pack_entry(top, folder, i, name), file_label(folder / name))
        if level.id in seen:
            raise LevelError(f"{file_label(folder / name)}: id: expected an id unique in the "
                             f"pack, got {level.id!r}, already used by {seen[level.id]}")
        seen[level.id] = name
        levels.append(level)
    return Pack(id=pack_id, title=title, folder=folder, levels=tuple(levels),
                manifest_sha256=hashlib.sha256(raw).hexdigest())


def _pack_entry(top: Fields, folder: Path, i: int, name: str) -> Path:
    """The resolved path of pack.toml's levels[i], which must stay inside the pack folder.

    Only existence is checked here; load_level reads it safely (refusing FIFOs, devices,
    folders), so the player is told what is wrong with the file itself.
    """
    where = f"levels[{i}]"
    try:  # a symlink loop is a RuntimeError in Python 3.11, an OSError later
        root, target = folder.resolve(), (folder / name).resolve()
    except (OSError, RuntimeError, ValueError):
        top.fail(where, "a level file name that can be followed (not a symlink loop)", name)
    if not target.is_relative_to(root) or Path(name).is_absolute():
        top.fail(where, "a level file inside the pack folder", name)
    if not os.path.lexists(target):  # False, not an error, for a name too long for the system
        top.fail(where, "the name of an existing level file", name)
    return target


def find_level(spec: str, search: list[Path]) -> Level:
    """A level from a file path, or by id from the packs in `search` or the saved levels."""
    return find_level_and_pack(spec, search)[0]


def find_level_and_pack(spec: str, search: list[Path]) -> tuple[Level, Pack | None]:
    """A level (by file path, by id in the packs under `search`, or by id among the levels
    saved in the user's levels folder) and the pack that lists it.

    The pack lets "Next level" follow on; a level file outside any pack has none.
    """
    path = Path(spec)
    if path.suffix == ".toml" or _is_file(path):
        return load_level(path), _pack_listing(path)
    for folder in search:
        for pack_file in sorted(folder.glob("*/pack.toml")):
            pack = load_pack(pack_file.parent)
            for level in pack.levels:
                if level.id == spec:
                    return level, pack
    saved = _saved_level(spec)
    if saved is not None:
        return saved, None
    raise LevelError(f"{file_label(spec)}: expected a level file or a level id from the shipped "
                     f"packs or your saved levels ({file_label(user_levels_dir())}), "
                     "found neither")


def _saved_level(level_id: str) -> Level | None:
    """The loose level file with this id in the user's levels folder, if any.

    The sandbox saves a level as <id>.toml, so that name is tried first. A broken or
    unreadable file there is skipped: it must not stop the player finding another level.
    """
    folder = user_levels_dir()
    try:
        names = sorted(e.name for e in os.scandir(folder) if e.name.endswith(".toml")
                       and not e.name.startswith("."))  # .saving-*.toml: a save under way
    except (OSError, ValueError):
        return None
    names.sort(key=lambda name: name != f"{level_id}.toml")  # stable: the rest stay sorted
    for name in names:
        try:
            level = load_level(folder / name)
        except LevelError:
            continue
        if level.id == level_id:
            return level
    return None


def _is_file(path: Path) -> bool:
    """path.is_file(), but False for names the system refuses (too long, NUL inside)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _pack_listing(path: Path) -> Pack | None:
    """The pack in the level file's folder, if that pack lists this very file."""
    if not _is_file(path.parent / "pack.toml"):
        return None
    try:
        pack = load_pack(path.parent)
        target = path.resolve()
    except (LevelError, OSError, RuntimeError):
        return None  # a broken pack.toml beside a good level: the level still plays alone
    return pack if any(Path(lv.source).resolve() == target for lv in pack.levels) else None
