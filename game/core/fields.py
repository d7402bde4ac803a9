"""Reading a parsed TOML document field by field, with one-line errors.

Every error reads `FILE: FIELD: expected WHAT, got VALUE`, for example
`levels/03-ring.toml: rules.step_budget: expected a whole number ≥ 1, got -5`.
A `Fields` object wraps one table; each getter checks one key and remembers it,
and `finish()` rejects any key nobody asked for, suggesting the nearest known one.
"""

from __future__ import annotations

import difflib
import json
import math
import re
import tomllib
from pathlib import Path
from typing import Any


class LevelError(ValueError):
    """A level or pack file is wrong; str() is the one-line message for the player."""


_MISSING = object()


def show(value: Any) -> str:
    """A value as it would look in the TOML file, cut short if long."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)  # quoted, control characters escaped
    elif isinstance(value, dict):
        text = "a table"
    elif isinstance(value, list):
        text = "[" + ", ".join(show(v) for v in value[:4]) + (", …]" if len(value) > 4 else "]")
    else:
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def parse_toml(path: Path, label: str) -> dict:
    """Read and parse a TOML file, turning I/O and syntax errors into a LevelError."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise LevelError(f"{label}: cannot read the file ({error.strerror or error})") from None
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise LevelError(f"{label}: expected UTF-8 text, got undecodable bytes") from None
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"(.*) \(at line (\d+), column (\d+)\)", str(error))
        if found:
            what, line, column = found.groups()
            raise LevelError(f"{label}: TOML syntax error at line {line}, column {column}: "
                             f"{what}") from None
        raise LevelError(f"{label}: TOML syntax error: {error}") from None


class Fields:
    """Checked access to one TOML table. `where` is the dotted path of the table."""

    def __init__(self, table: Any, label: str, where: str = "") -> None:
        self.label = label
        self.where = where
        if not isinstance(table, dict):
            self.fail("", "a table", table)
        self.table = table
        self._seen: set[str] = set()

    # ------------------------------------------------------------ messages
    def name(self, key: str) -> str:
        """The dotted field name of `key` in this table (odd keys quoted, as TOML would)."""
        if key and not re.fullmatch(r"[A-Za-z0-9_\-\[\]]+", key):
            key = show(key)
        return f"{self.where}.{key}" if self.where and key else (self.where or key)

    def fail(self, key: str, expected: str, value: Any = _MISSING) -> None:
        """Raise the one-line error for field `key`."""
        got = "but it is missing" if value is _MISSING else f"got {show(value)}"
        sep = "" if value is _MISSING else ","
        raise LevelError(f"{self.label}: {self.name(key) or '(top level)'}: "
                         f"expected {expected}{sep} {got}")

    def _get(self, key: str, expected: str, default: Any) -> Any:
        self._seen.add(key)
        if key in self.table:
            return self.table[key]
        if default is _MISSING:
            self.fail(key, expected)
        return default

    # ------------------------------------------------------------- getters
    def text(self, key: str, default: Any = _MISSING, max_length: int = 2000) -> str:
        """A non-empty string of at most max_length characters."""
        expected = f"a non-empty text of at most {max_length} characters"
        value = self._get(key, expected, default)
        if not isinstance(value, str) or not value.strip() or len(value) > max_length:
            self.fail(key, expected, value)
        return value

    def identifier(self, key: str) -> str:
        """A short id of lowercase letters, digits and dashes."""
        expected = "an id of lowercase letters, digits and dashes, e.g. \"first-harvest\""
        value = self._get(key, expected, _MISSING)
        if not isinstance(value, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", value):
            self.fail(key, expected, value)
        return value

    def whole(self, key: str, low: int, high: int | None = None, default: Any = _MISSING) -> int:
        """A whole number in [low, high] (no upper limit when high is None)."""
        expected = _range_text("a whole number", low, high)
        value = self._get(key, expected, default)
        if not _is_whole(value) or value < low or (high is not None and value > high):
            self.fail(key, expected, value)
        return int(value)

    def number(self, key: str, low: float, high: float, low_open: bool = False,
               default: Any = _MISSING) -> float:
        """A finite number in [low, high], or (low, high] when low_open."""
        bracket = "(" if low_open else "["
        expected = f"a number in {bracket}{low:g}, {high:g}]"
        value = self._get(key, expected, default)
        ok = _is_number(value) and math.isfinite(value) and value <= high and (
            value > low if low_open else value >= low)
        if not ok:
            self.fail(key, expected, value)
        return float(value)

    def choice(self, key: str, options: tuple[str, ...], default: Any = _MISSING) -> str:
        """One of a fixed set of strings."""
        expected = "one of " + ", ".join(f'"{o}"' for o in options)
        value = self._get(key, expected, default)
        if value not in options:
            hint = _did_you_mean(value, options) if isinstance(value, str) else ""
            self.fail(key, expected + hint, value)
        return value

    def text_list(self, key: str, min_items: int, max_length: int = 500) -> tuple[str, ...]:
        """A list of at least min_items non-empty texts."""
        expected = f"a list of at least {min_items} non-empty texts"
        value = self._get(key, expected, _MISSING)
        if not isinstance(value, list) or len(value) < min_items or not all(
                isinstance(v, str) and v.strip() and len(v) <= max_length for v in value):
            self.fail(key, expected, value)
        return tuple(value)

    def whole_list(self, key: str, low: int, high: int) -> tuple[int, ...]:
        """A non-empty list of distinct whole numbers in [low, high], sorted on return."""
        expected = f"a non-empty list of different whole numbers from {low} to {high}"
        value = self._get(key, expected, _MISSING)
        if not isinstance(value, list) or not value or len(set(map(repr, value))) != len(value) \
                or not all(_is_whole(v) and low <= v <= high for v in value):
            self.fail(key, expected, value)
        return tuple(sorted(int(v) for v in value))

    def table_list(self, key: str, default: Any = _MISSING) -> list[Fields]:
        """A list of tables, e.g. [[given]] entries, each as Fields named key[i]."""
        value = self._get(key, "a list of tables", default)
        if not isinstance(value, list):
            self.fail(key, "a list of tables", value)
        return [Fields(item, self.label, f"{self.name(key)}[{i}]") for i, item in enumerate(value)]

    def sub(self, key: str) -> Fields:
        """A nested table as Fields."""
        return Fields(self._get(key, "a table", _MISSING), self.label, self.name(key))

    def has(self, key: str) -> bool:
        """Whether the key is present (and counts as known)."""
        return key in self.table

    def finish(self, allowed: tuple[str, ...] = ()) -> None:
        """Reject keys that no getter asked for, suggesting a close known key."""
        known = self._seen | set(allowed)
        for key in self.table:
            if key not in known:
                hint = _did_you_mean(key, tuple(sorted(known)))
                raise LevelError(f"{self.label}: {self.name(key)}: unknown field{hint}")


def _did_you_mean(word: str, options: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _range_text(kind: str, low: int, high: int | None) -> str:
    return f"{kind} ≥ {low}" if high is None else f"{kind} from {low} to {high}"
