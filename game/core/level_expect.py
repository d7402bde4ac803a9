"""A level's [expect] table: the lesson, stated as facts `fruitnet check --solve` proves.

    [expect]
    min_steps = 5                     # no win in fewer steps (default 5)
    min_held_share = 0.5              # a win keeps the target this share of the next 50 steps
    adversaries_lose = ["one_fruit", "one_class", "swapped_labels"]   # the default
    never_wins = [{ lr_at_most = 0.1 }, { hidden_layers = 0 }]
    wins = [{ lr = 3.0, hidden_size = 3 }]
    shake_needed = true               # without Shake, no sweep setting wins
    late_harvest_loses = true         # harvest levels: the end of the budget is too late

`never_wins` entries pick sweep settings (η at most / at least a value, a hidden
size, a layer count); none of those may win with the automatic player's fruit.
`wins` entries name one setting (hidden size and layers default to the level's)
that must win with the automatic player's fruit, played through the game.
`shake_needed` (for a level that offers Shake): the same sweep, played without
shaking, never wins. `late_harvest_loses` (for win = "harvest"): the fastest win's
settings and fruit, trained to the end of the budget, are below the target there,
so when to harvest is part of the lesson.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.core.fields import Fields

# The adversarial players of game/core/adversaries.py, named here so that a level
# file can be checked without loading the players.
ADVERSARIES = ("one_fruit", "one_class", "swapped_labels", "random_fruit", "far_fruit",
               "sorted_fruit")
DEFAULT_MUST_LOSE = ("one_fruit", "one_class", "swapped_labels")

DEFAULT_MIN_STEPS = 5
DEFAULT_MIN_HELD_SHARE = 0.5


@dataclass(frozen=True)
class SettingFilter:
    """Sweep settings a `never_wins` entry covers; None means any."""

    lr_at_most: float | None = None
    lr_at_least: float | None = None
    hidden_size: int | None = None
    hidden_layers: int | None = None

    def covers(self, lr: float, hidden_size: int, hidden_layers: int) -> bool:
        """Whether a sweep setting falls under this filter."""
        return ((self.lr_at_most is None or lr <= self.lr_at_most)
                and (self.lr_at_least is None or lr >= self.lr_at_least)
                and (self.hidden_size is None or hidden_size == self.hidden_size)
                and (self.hidden_layers is None or hidden_layers == self.hidden_layers))

    def describe(self) -> str:
        """'η ≤ 0.1, hidden layers 0' as a sentence fragment."""
        parts = [f"η ≤ {self.lr_at_most:g}" if self.lr_at_most is not None else "",
                 f"η ≥ {self.lr_at_least:g}" if self.lr_at_least is not None else "",
                 f"hidden size {self.hidden_size}" if self.hidden_size is not None else "",
                 f"hidden layers {self.hidden_layers}" if self.hidden_layers is not None else ""]
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class MustWin:
    """One setting that must win."""

    lr: float
    hidden_size: int
    hidden_layers: int


@dataclass(frozen=True)
class Expect:
    """What `check --solve` must find true of a level."""

    min_steps: int = DEFAULT_MIN_STEPS
    min_held_share: float = DEFAULT_MIN_HELD_SHARE
    adversaries_lose: tuple[str, ...] = DEFAULT_MUST_LOSE
    never_wins: tuple[SettingFilter, ...] = ()
    wins: tuple[MustWin, ...] = ()
    shake_needed: bool = False
    late_harvest_loses: bool = False


def expect_fields(f: Fields, net: dict, lr: dict) -> Expect:
    """Check an [expect] table against the level's network and η fields."""
    names = f.raw("adversaries_lose", "a list of adversaries", list(DEFAULT_MUST_LOSE))
    allowed = ", ".join(f'"{a}"' for a in ADVERSARIES)
    if not isinstance(names, list) or not all(isinstance(n, str) and n in ADVERSARIES
                                              for n in names):
        f.fail("adversaries_lose", f"a list of adversaries among {allowed}", names)
    expect = Expect(
        min_steps=f.whole("min_steps", 1, None, default=DEFAULT_MIN_STEPS),
        min_held_share=f.number("min_held_share", 0.0, 1.0, default=DEFAULT_MIN_HELD_SHARE),
        adversaries_lose=tuple(dict.fromkeys(names)),
        never_wins=tuple(_filter(g, net) for g in f.table_list("never_wins", default=[],
                                                                 max_items=50)),
        wins=tuple(_must_win(g, net, lr) for g in f.table_list("wins", default=[], max_items=50)),
        shake_needed=_flag(f, "shake_needed"),
        late_harvest_loses=_flag(f, "late_harvest_loses"))
    f.finish()
    return expect


def _flag(f: Fields, key: str) -> bool:
    value = f.raw(key, "true or false", default=False)
    if not isinstance(value, bool):
        f.fail(key, "true or false", value)
    return value


def _filter(f: Fields, net: dict) -> SettingFilter:
    found = SettingFilter(
        lr_at_most=f.number("lr_at_most", 0.0, 100.0, low_open=True, default=None)
        if f.has("lr_at_most") else None,
        lr_at_least=f.number("lr_at_least", 0.0, 100.0, low_open=True, default=None)
        if f.has("lr_at_least") else None,
        hidden_size=f.whole("hidden_size", 1, 8) if f.has("hidden_size") else None,
        hidden_layers=f.whole("hidden_layers", 0, 3) if f.has("hidden_layers") else None)
    if found == SettingFilter():
        f.fail("", "at least one of lr_at_most, lr_at_least, hidden_size, hidden_layers",
               f.table)
    f.finish()
    return found


def _must_win(f: Fields, net: dict, lr: dict) -> MustWin:
    must = MustWin(lr=f.number("lr", lr["lr_min"], lr["lr_max"]),
                   hidden_size=f.whole("hidden_size", 1, 8, default=net["default_hidden_size"]),
                   hidden_layers=f.whole("hidden_layers", 0, 3,
                                         default=net["default_hidden_layers"]))
    if must.hidden_size not in net["hidden_sizes"]:
        f.fail("hidden_size", f"one of hidden_sizes {list(net['hidden_sizes'])}", must.hidden_size)
    if must.hidden_layers not in net["hidden_layers"]:
        f.fail("hidden_layers", f"one of hidden_layers {list(net['hidden_layers'])}",
               must.hidden_layers)
    f.finish()
    return must
