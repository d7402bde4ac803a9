"""Reading a parsed TOML document field by field, with one-line errors.

Every error reads `FILE: FIELD: expected WHAT, got VALUE`, for example
`levels/03-ring.toml: rules.step_budget: expected a whole number ≥ 1, got -5`.
A `Fields` object wraps one table; each getter checks one key and remembers it,
and `finish()` rejects any key nobody asked for, suggesting the nearest known one.
Files are read only through `safe_io`, so a FIFO, a device or a huge file is
refused before it can hang or exhaust anything.
"""

from __future__ import annotations

import difflib
import json
import math
import re
import sys
import tomllib
import unicodedata
from bisect import bisect_right
from pathlib import Path
from typing import Any, NoReturn

from game.core.font_coverage import RANGES as _DRAWABLE_RANGES
from game.core.safe_io import MAX_LEVEL_BYTES, UnreadableFile, read_regular_file

# Real level files nest at most 4 deep (document, orchard, points, point); far deeper is an
# attack on the parser's recursion, and a fixed cap makes the answer independent of the stack.
MAX_NESTING = 32

# Unicode categories a text field may not hold: control, format (zero-width, bidi overrides,
# BOM), surrogate, private-use and unassigned characters. They are invisible on screen and
# some (U+0000) crash the text renderer.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_DRAWABLE_FIRSTS = [first for first, _ in _DRAWABLE_RANGES]


class LevelError(ValueError):
    """A level or pack file is wrong; str() is the one-line message for the player."""


class Shown(str):
    """A description that show() prints as it is (e.g. "2,001 points" for a huge list)."""


_MISSING = object()


def show(value: Any) -> str:
    """A value as it would look in the TOML file, cut short if long."""
    if isinstance(value, Shown):
        text = str(value)
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = quote(value[:80])  # cut first: a 1 MB string need not be escaped whole
    elif isinstance(value, dict):
        text = "a table"
    elif isinstance(value, list):
        text = "[" + ", ".join(show(v) for v in value[:4]) + (", …]" if len(value) > 4 else "]")
    elif isinstance(value, int) and value.bit_length() > 190:
        # repr() of a hex literal's value can exceed Python's 4300-digit limit and raise.
        sign = "negative " if value < 0 else ""
        text = f"a {sign}whole number of {_digit_count(value)} digits"
    else:
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def quote(text: str) -> str:
    """A string in double quotes, with every control or invisible character escaped.

    json.dumps escapes only U+0000–U+001F; line separators, C1 controls and bidi
    overrides would otherwise break or scramble a one-line message.
    """
    quoted = json.dumps(text, ensure_ascii=False)
    if quoted.isprintable():
        return quoted
    return "".join(c if c.isprintable() else _escape(c) for c in quoted)


def file_label(path: str | Path) -> str:
    """How a file is named in messages: as given, or quoted if its name has odd characters."""
    text = str(path)
    return text if text.isprintable() else quote(text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _digit_count(value: int) -> int:
    digits = max(1, int((abs(value).bit_length() - 1) * math.log10(2)) + 1)
    return digits + 1 if abs(value) >= 10 ** digits else digits


def bad_character(text: str, allowed: str = "") -> str | None:
    """'U+0000 at position 6' for the first control or invisible character not in `allowed`."""
    if text.isprintable():  # the fast path: no Cc, Cf, Cs, Co, Cn (nor Z* but space)
        return None
    for index, char in enumerate(text):
        if char not in allowed and unicodedata.category(char) in _INVISIBLE:
            return f"U+{ord(char):04X} at position {index + 1}"
    return None


def undrawable_character(text: str, allowed: str = "") -> str | None:
    """'U+1F353 at position 5' for the first character the bundled DejaVu Sans cannot draw.

    Such a character (an emoji, most CJK) would show as an empty box; font_coverage.py
    lists what both the regular and the bold face have.
    """
    if text.isascii() and text.isprintable():  # the fast path: DejaVu has all of ASCII
        return None
    for index, char in enumerate(text):
        code = ord(char)
        run = bisect_right(_DRAWABLE_FIRSTS, code) - 1
        if char not in allowed and (run < 0 or code > _DRAWABLE_RANGES[run][1]):
            return f"U+{code:04X} at position {index + 1}"
    return None


# ------------------------------------------------------------------ parsing
def read_toml(path: str | Path, label: str) -> tuple[dict, bytes]:
    """Read a level or pack file safely and parse it; returns the document and its bytes.

    The bytes are returned so a caller can hash exactly what was parsed.
    """
    try:
        data = read_regular_file(path, MAX_LEVEL_BYTES)
    except UnreadableFile as error:
        raise LevelError(f"{label}: cannot read the file ({error})") from None
    return loads_toml(data, label), data


def parse_toml(path: str | Path, label: str) -> dict:
    """Read and parse a TOML file, turning I/O and syntax errors into a LevelError."""
    return read_toml(path, label)[0]


def loads_toml(data: bytes, label: str) -> dict:
    """Parse the bytes of a TOML file; every failure is a one-line LevelError."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise LevelError(f"{label}: expected UTF-8 text, got undecodable bytes") from None
    text = text.removeprefix("\ufeff")  # Windows Notepad starts UTF-8 files with a BOM
    too_deep = f"{label}: expected arrays and tables nested at most {MAX_NESTING} deep, " \
               "got some nested too deeply"
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"(.*) \(at line (\d+), column (\d+)\)", str(error))
        if found:
            what, line, column = found.groups()
            raise LevelError(f"{label}: TOML syntax error at line {line}, column {column}: "
                             f"{what}") from None
        raise LevelError(f"{label}: TOML syntax error: {error}") from None
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise LevelError(too_deep) from None
    except ValueError:  # an integer literal over Python's int-string limit
        raise LevelError(f"{label}: expected whole numbers of at most "
                         f"{sys.get_int_max_str_digits()} digits, got a longer one") from None
    if _nesting_exceeds(document, MAX_NESTING):
        raise LevelError(too_deep)
    return document


def _nesting_exceeds(document: dict, limit: int) -> bool:
    """Whether tables and arrays nest deeper than `limit` (iterative: no recursion to exhaust)."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


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

    def fail(self, key: str, expected: str, value: Any = _MISSING) -> NoReturn:
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

    def _visible(self, key: str, text: str, multiline: bool, drawn: bool = True) -> None:
        """Refuse control and invisible characters; story-like texts may keep newline and tab.

        A text the game draws (`drawn`) must also hold only characters its font has.
        """
        found = bad_character(text, "\n\t" if multiline else "")
        if found:
            self.fail(key, "a text without control or invisible characters", Shown(found))
        if drawn and (found := undrawable_character(text, "\n\t" if multiline else "")):
            self.fail(key, "text the game's font can draw; emoji are not supported", Shown(found))

    # ------------------------------------------------------------- getters
    def text(self, key: str, default: Any = _MISSING, max_length: int = 2000,
             multiline: bool = False) -> str:
        """A non-empty string of at most max_length characters, with nothing invisible in it.

        A multiline text (a story) may hold newlines and tabs; a single-line one (a title) not.
        """
        expected = f"a non-empty text of at most {max_length} characters"
        value = self._get(key, expected, default)
        if not isinstance(value, str) or not value.strip() or len(value) > max_length:
            self.fail(key, expected, value)
        self._visible(key, value, multiline)
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
        # Python compares a huge int with a float exactly; only float() of it would overflow,
        # and an int is never nan or infinite, so isfinite (which converts) is for floats only.
        ok = _is_number(value) and not (isinstance(value, float) and not math.isfinite(value)) \
            and value <= high and (value > low if low_open else value >= low)
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

    def text_list(self, key: str, min_items: int, max_length: int = 500,
                  multiline: bool = False, drawn: bool = True) -> tuple[str, ...]:
        """A list of at least min_items non-empty texts, each checked as text() would.

        `drawn=False` for texts never shown in the game's font, such as file names.
        """
        expected = f"a list of at least {min_items} non-empty texts"
        value = self._get(key, expected, _MISSING)
        if not isinstance(value, list) or len(value) < min_items or not all(
                isinstance(v, str) and v.strip() and len(v) <= max_length for v in value):
            self.fail(key, expected, value)
        for i, text in enumerate(value):
            self._visible(f"{key}[{i}]", text, multiline, drawn)
        return tuple(value)

    def whole_list(self, key: str, low: int, high: int) -> tuple[int, ...]:
        """A non-empty list of distinct whole numbers in [low, high], sorted on return."""
        expected = f"a non-empty list of different whole numbers from {low} to {high}"
        value = self._get(key, expected, _MISSING)
        # Distinctness is tested only once every item is a true int (so 1 and true never meet).
        if not isinstance(value, list) or not value \
                or not all(_is_whole(v) and low <= v <= high for v in value) \
                or len(set(value)) != len(value):
            self.fail(key, expected, value)
        return tuple(sorted(int(v) for v in value))

    def table_list(self, key: str, default: Any = _MISSING, max_items: int | None = None,
                   noun: str = "tables") -> list[Fields]:
        """A list of tables, e.g. [[given]] entries, each as Fields named key[i].

        The length is checked before any item is looked at, so a huge list fails fast.
        """
        value = self._get(key, "a list of tables", default)
        if not isinstance(value, list):
            self.fail(key, "a list of tables", value)
        if max_items is not None and len(value) > max_items:
            self.fail(key, f"at most {max_items} {noun}", Shown(str(len(value))))
        return [Fields(item, self.label, f"{self.name(key)}[{i}]") for i, item in enumerate(value)]

    def raw(self, key: str, expected: str, default: Any = _MISSING) -> Any:
        """The value as parsed, unchecked, for a caller that checks its own shape."""
        return self._get(key, expected, default)

    def sub(self, key: str) -> Fields:
        """A nested table as Fields."""
        return Fields(self._get(key, "a table", _MISSING), self.label, self.name(key))

    def has(self, key: str) -> bool:
        """Whether the key is present. It does not mark the key as known: a getter must read it."""
        return key in self.table

    def finish(self) -> None:
        """Reject keys that no getter asked for, suggesting a close known key."""
        for key in self.table:
            if key not in self._seen:
                hint = _did_you_mean(key, tuple(sorted(self._seen)))
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
