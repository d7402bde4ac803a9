"""Levels and packs: loading TOML files into checked, immutable objects.

The format is documented, with a commented example, in `levels/README.md`.
`load_level(path)` and `load_pack(folder)` raise `LevelError` with a one-line
message naming the file, the field, the bad value and what was expected.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from game.core.datasets import GENERATORS, generate
from game.core.fields import Fields, LevelError, parse_toml
from game.core.net import ACTIVATIONS

LABELS = {"strawberry": 1, "lemon": 0}
LABEL_NAMES = {1: "strawberry", 0: "lemon"}
VISIBILITIES = ("ghost", "fog", "hidden")
MAX_HIDDEN_SIZE = 8
MAX_HIDDEN_LAYERS = 3
MAX_LEARNING_RATE = 100.0

__all__ = ["Level", "LevelError", "Orchard", "Pack", "Point", "load_level", "load_pack"]


@dataclass(frozen=True)
class Point:
    """One fruit: sweetness x₁, redness x₂ (both in [0, 1]) and label 1 🍓 / 0 🍋."""

    x1: float
    x2: float
    label: int


@dataclass(frozen=True)
class Orchard:
    """The judged fruit: a seeded generator or explicit points, and how it is shown."""

    visibility: str
    generator: str | None = None
    seed: int = 0
    count: int = 0
    noise: float = 0.0
    points: tuple[Point, ...] = ()

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """X (N, 2) and y (N,) of the orchard's fruit."""
        if self.generator is not None:
            return generate(self.generator, self.count, self.noise, self.seed)
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
    two_star_steps: int
    three_star_steps: int
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
    label = label or str(path)
    data = parse_toml(path, label)
    level = level_from_dict(data, label)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return replace(level, source=str(path), sha256=digest)


def level_from_dict(data: dict, label: str) -> Level:
    """Check a parsed level document; raises LevelError on the first problem."""
    top = Fields(data, label)
    level_id = top.identifier("id")
    title = top.text("title", max_length=80)
    story = top.text("story")
    lesson = top.text("lesson")
    hints = top.text_list("hints", 1)
    orchard = _orchard(top.sub("orchard"))
    given = tuple(_point(f) for f in top.table_list("given", default=[]))
    net = _network(top.sub("network"))
    lr = _learning_rate(top.sub("learning_rate"))
    rules = top.sub("rules")
    step_budget = rules.whole("step_budget", 1, 1_000_000)
    point_budget = rules.whole("point_budget", 1, 1000)
    target = rules.number("target_accuracy", 0.0, 1.0, low_open=True)
    rules.finish()
    stars = top.sub("stars")
    two = stars.whole("two_stars_within_steps", 1, step_budget)
    three = stars.whole("three_stars_within_steps", 1, two)
    stars.finish()
    top.finish()
    return Level(id=level_id, title=title, story=story, lesson=lesson, hints=hints,
                 orchard=orchard, given=given, **net, **lr, step_budget=step_budget,
                 point_budget=point_budget, target_accuracy=target,
                 two_star_steps=two, three_star_steps=three)


def _orchard(f: Fields) -> Orchard:
    visibility = f.choice("visibility", VISIBILITIES)
    either = 'either "generator" (with seed, count and noise) or "points"'
    if not f.has("generator") and not f.has("points"):
        f.fail("generator", either)
    if f.has("generator") and f.has("points"):
        raise LevelError(f"{f.label}: orchard: expected {either}, got both")
    if f.has("points"):
        points = tuple(_point(p) for p in f.table_list("points"))
        if len(points) < 2 or len({p.label for p in points}) < 2:
            f.fail("points", "at least 2 points with both strawberries and lemons",
                   f.table["points"])
        f.finish()
        return Orchard(visibility=visibility, points=points)
    orchard = Orchard(visibility=visibility,
                      generator=f.choice("generator", tuple(GENERATORS)),
                      seed=f.whole("seed", 0, 2**32 - 1),
                      count=f.whole("count", 2, 2000),
                      noise=f.number("noise", 0.0, 1.0))
    f.finish()
    return orchard


def _point(f: Fields) -> Point:
    point = Point(x1=f.number("sweetness", 0.0, 1.0), x2=f.number("redness", 0.0, 1.0),
                  label=LABELS[f.choice("label", tuple(LABELS))])
    f.finish()
    return point


def _network(f: Fields) -> dict:
    sizes = f.whole_list("hidden_sizes", 1, MAX_HIDDEN_SIZE)
    layers = f.whole_list("hidden_layers", 0, MAX_HIDDEN_LAYERS) if f.has("hidden_layers") else (1,)
    result = dict(
        hidden_sizes=sizes,
        default_hidden_size=f.whole("default_hidden_size", 1, MAX_HIDDEN_SIZE),
        hidden_layers=layers,
        default_hidden_layers=f.whole("default_hidden_layers", 0, MAX_HIDDEN_LAYERS,
                                      default=layers[0]),
        activation=f.choice("activation", ACTIVATIONS, default="sigmoid"),
        init_seed=f.whole("init_seed", 0, 2**32 - 1),
    )
    if result["default_hidden_size"] not in sizes:
        f.fail("default_hidden_size", f"one of hidden_sizes {list(sizes)}",
               result["default_hidden_size"])
    if result["default_hidden_layers"] not in layers:
        f.fail("default_hidden_layers", f"one of hidden_layers {list(layers)}",
               result["default_hidden_layers"])
    f.finish()
    return result


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
    label = str(folder / "pack.toml")
    top = Fields(parse_toml(folder / "pack.toml", label), label)
    pack_id = top.identifier("id")
    title = top.text("title", max_length=80)
    files = top.text_list("levels", 1)
    top.finish()
    root = folder.resolve()
    levels, seen = [], {}
    for i, name in enumerate(files):
        target = (folder / name).resolve()
        if not target.is_relative_to(root) or Path(name).is_absolute():
            top.fail(f"levels[{i}]", "a level file inside the pack folder", name)
        if not target.is_file():
            top.fail(f"levels[{i}]", "the name of an existing level file", name)
        level = load_level(target, str(folder / name))
        if level.id in seen:
            raise LevelError(f"{folder / name}: id: expected an id unique in the pack, "
                             f"got {level.id!r}, already used by {seen[level.id]}")
        seen[level.id] = name
        levels.append(level)
    return Pack(id=pack_id, title=title, folder=folder, levels=tuple(levels))


def find_level(spec: str, search: list[Path]) -> Level:
    """A level from a file path, or by id from the packs in `search` folders."""
    return find_level_and_pack(spec, search)[0]


def find_level_and_pack(spec: str, search: list[Path]) -> tuple[Level, Pack | None]:
    """A level (by file path or by id in the packs under `search`) and the pack that lists it.

    The pack lets "Next level" follow on; a level file outside any pack has none.
    """
    path = Path(spec)
    if path.suffix == ".toml" or path.is_file():
        return load_level(path), _pack_listing(path)
    for folder in search:
        for pack_file in sorted(folder.glob("*/pack.toml")):
            pack = load_pack(pack_file.parent)
            for level in pack.levels:
                if level.id == spec:
                    return level, pack
    raise LevelError(f"{spec}: expected a level file or a level id from the shipped packs, "
                     "found neither")


def _pack_listing(path: Path) -> Pack | None:
    """The pack in the level file's folder, if that pack lists this very file."""
    if not (path.parent / "pack.toml").is_file():
        return None
    try:
        pack = load_pack(path.parent)
    except LevelError:
        return None  # a broken pack.toml beside a good level: the level still plays alone
    target = path.resolve()
    return pack if any(Path(lv.source).resolve() == target for lv in pack.levels) else None
