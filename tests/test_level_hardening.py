"""Hostile level and pack files: each gets one line naming the file, never a traceback or a hang.

Companion to test_levels.py (which covers the ordinary malformed fields); these are the
inputs that used to escape as OverflowError, ValueError, RecursionError, OSError or
RuntimeError, or to block forever on a FIFO or /dev/zero.
"""

import contextlib
import copy
import hashlib
import inspect
import os
import resource
import signal
from pathlib import Path

import pytest
import tomli_w
from test_levels import VALID, _mutated, _write

from game.core import fields, levels
from game.core.fields import Fields, LevelError
from game.core.levels import find_level, find_level_and_pack, load_level, load_pack
from game.core.paths import user_levels_dir
from game.resources import levels_dir

BIG = 10**400  # fits no float


@contextlib.contextmanager
def _deadline(seconds=3.0):
    """Fail, instead of hanging the suite or eating the machine's memory, if the body blocks
    (as a FIFO read would) or reads without end (as reading /dev/zero whole would: that
    happens inside one C call, which no signal interrupts, so memory is capped too)."""
    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    limits = resource.getrlimit(resource.RLIMIT_AS)
    with contextlib.suppress(OSError, ValueError):  # no /proc: no cap, the alarm still holds
        in_use = int(Path("/proc/self/statm").read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (in_use + 2**30, limits[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, limits)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _error(call, *args) -> str:
    """The one-line LevelError message of call(*args); any other exception fails the test."""
    with _deadline(), pytest.raises(LevelError) as caught:
        call(*args)
    text = str(caught.value)
    assert len(text.splitlines()) == 1, text
    return text


def _points_doc(points):
    doc = copy.deepcopy(VALID)
    doc["orchard"] = {"visibility": "ghost", "points": points}
    return doc


def _fruit(n, label="lemon"):
    return [{"sweetness": 0.5, "redness": 0.5, "label": label} for _ in range(n)]


def _replace_in(path, old, new):
    """Rewrite the TOML text directly, for values tomli_w cannot write (huge literals)."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


# ------------------------------------------------------- 1, 2: huge integers
_401 = "got a whole number of 401 digits"
HUGE = [
    ("orchard.noise", BIG, f"orchard.noise: expected a number in [0, 1], {_401}"),
    ("learning_rate.max", BIG, f"learning_rate.max: expected a number in (0, 100], {_401}"),
    ("given.0.sweetness", -BIG,
     "given[0].sweetness: expected a number in [0, 1], got a negative whole number of 401 digits"),
    ("orchard.seed", BIG, f"orchard.seed: expected a whole number from 0 to 4294967295, {_401}"),
    ("rules.step_budget", BIG, f"rules.step_budget: expected a whole number from 1 to 1000000, {_401}"),
    ("network.hidden_sizes", [2, BIG], "network.hidden_sizes: expected a non-empty list of different "
     "whole numbers from 1 to 8, got [2, a whole number of 401 digits]"),
]


@pytest.mark.parametrize("where, value, message", HUGE, ids=[h[0] for h in HUGE])
def test_integers_too_big_for_a_float_get_the_normal_error(tmp_path, where, value, message):
    path = _write(tmp_path, _mutated(where, value))
    assert _error(load_level, path) == f"{path}: {message}"


def test_huge_integer_as_an_orchard_points_sweetness(tmp_path):
    points = _fruit(1, "strawberry") + _fruit(1)
    points[1]["sweetness"] = BIG
    path = _write(tmp_path, _points_doc(points))
    assert _error(load_level, path) == (f"{path}: orchard.points[1].sweetness: expected a number "
                                        "in [0, 1], got a whole number of 401 digits")


def test_hex_literal_beyond_the_int_string_limit_is_shown_without_repr(tmp_path):
    path = _replace_in(_write(tmp_path, VALID), "noise = 0.05", "noise = 0x" + "f" * 5000)
    assert _error(load_level, path) == (f"{path}: orchard.noise: expected a number in [0, 1], "
                                        "got a whole number of 6021 digits")


def test_decimal_literal_over_4300_digits(tmp_path):
    path = _replace_in(_write(tmp_path, VALID), "noise = 0.05", "noise = " + "7" * 4301)
    assert _error(load_level, path) == (f"{path}: expected whole numbers of at most 4300 digits, "
                                        "got a longer one")


# ------------------------------------------------------------ 3: deep nesting
TOO_DEEP = "expected arrays and tables nested at most 32 deep, got some nested too deeply"


@pytest.mark.parametrize("value", [
    "[" * 500 + "]" * 500,
    "{ a = " * 500 + "1" + " }" * 500,
    "[" * 33 + "]" * 33,  # parses fine, but past the fixed cap: same answer on any stack
], ids=["arrays-500", "inline-tables-500", "arrays-33"])
def test_deep_nesting_is_one_line(tmp_path, value):
    path = _replace_in(_write(tmp_path, VALID), "noise = 0.05", "noise = " + value)
    assert _error(load_level, path) == f"{path}: {TOO_DEEP}"


def test_deep_dotted_table_header(tmp_path):
    path = _write(tmp_path, VALID)
    path.write_text(path.read_text() + "\n[x" + ".x" * 5000 + "]\n")
    assert _error(load_level, path) == f"{path}: {TOO_DEEP}"


def test_nesting_within_the_cap_reaches_the_field_check(tmp_path):
    path = _replace_in(_write(tmp_path, VALID), "noise = 0.05", "noise = " + "[" * 30 + "]" * 30)
    assert _error(load_level, path).startswith(f"{path}: orchard.noise: expected a number")


# ------------------------------------------------------- 4: impossible paths
def test_long_and_nul_paths_to_a_level(tmp_path):
    long = str(tmp_path / ("a" * 300 + ".toml"))
    assert _error(load_level, long) == f"{long}: cannot read the file (File name too long)"
    assert _error(find_level_and_pack, long, []) == \
        f"{long}: cannot read the file (File name too long)"
    assert _error(find_level, "a" * 300, []).startswith("a" * 300 + ": expected a level file")
    assert _error(load_level, "a\0b.toml") == \
        '"a\\u0000b.toml": cannot read the file (the file name contains a NUL character)'
    assert _error(find_level_and_pack, "a\0b", []).startswith('"a\\u0000b": expected a level')


# -------------------------------------------------------- 5: bad pack entries
def _pack_of(folder, names):
    (folder / "pack.toml").write_text(tomli_w.dumps({"id": "p", "title": "P", "levels": names}))
    return folder


@pytest.mark.parametrize("name, make, expected", [
    ("loop.toml", lambda d: os.symlink("loop.toml", d / "loop.toml"),
     'expected a level file name that can be followed (not a symlink loop), got "loop.toml"'),
    ("b" * 300 + ".toml", None,
     'expected the name of an existing level file, got "' + "b" * 56 + "…"),
    ("a\0b.toml", None,
     "expected a text without control or invisible characters, got U+0000 at position 2"),
], ids=["symlink-loop", "300-characters", "nul"])
def test_bad_pack_entries(tmp_path, name, make, expected):
    if make:
        make(tmp_path)
    good = _write(tmp_path, VALID, "good.toml")
    folder = _pack_of(tmp_path, ["good.toml", name])
    assert _error(load_pack, folder) == f"{folder / 'pack.toml'}: levels[1]: {expected}"
    level, pack = find_level_and_pack(str(good), [])  # the level still plays, alone
    assert level.id == "test-level" and pack is None


# ------------------------------------------- 6: FIFOs, folders, /dev/zero
def _special(tmp_path, kind, name):
    path = tmp_path / name
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        os.symlink("/dev/zero", path)
    return path


SPECIAL = [("fifo", "a pipe (FIFO)"), ("folder", "a folder"), ("zero", "a device")]


@pytest.mark.parametrize("kind, got", SPECIAL, ids=[k for k, _ in SPECIAL])
def test_special_file_as_a_level_does_not_hang(tmp_path, kind, got):
    path = _special(tmp_path, kind, "level.toml")
    expected = f"{path}: cannot read the file (expected a regular file, got {got})"
    assert _error(load_level, path) == expected
    assert _error(find_level_and_pack, str(path), []) == expected


@pytest.mark.parametrize("kind, got", SPECIAL, ids=[k for k, _ in SPECIAL])
def test_special_file_as_pack_toml_does_not_hang(tmp_path, kind, got):
    _special(tmp_path, kind, "pack.toml")
    good = _write(tmp_path, VALID, "good.toml")
    assert _error(load_pack, tmp_path) == \
        f"{tmp_path / 'pack.toml'}: cannot read the file (expected a regular file, got {got})"
    with _deadline():
        assert find_level_and_pack(str(good), [])[1] is None


@pytest.mark.parametrize("kind, got", SPECIAL, ids=[k for k, _ in SPECIAL])
def test_special_file_listed_in_a_pack(tmp_path, kind, got):
    path = _special(tmp_path, kind, "odd.toml")
    folder = _pack_of(tmp_path, ["odd.toml"])
    expected = f"{path}: cannot read the file (expected a regular file, got {got})"
    if kind == "zero":  # the symlink leads out of the pack folder, which is refused first
        expected = (f"{folder / 'pack.toml'}: levels[0]: expected a level file inside the pack "
                    'folder, got "odd.toml"')
    assert _error(load_pack, folder) == expected


def test_level_is_read_once_and_hashed_from_the_parsed_bytes(tmp_path, monkeypatch):
    path = _write(tmp_path, VALID)
    reads = []
    real = fields.read_regular_file
    monkeypatch.setattr(fields, "read_regular_file", lambda p, n: reads.append(p) or real(p, n))
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read outside safe_io"))
    level = load_level(path)
    assert len(reads) == 1
    assert level.sha256 == hashlib.sha256(real(path, 10**6)).hexdigest()


# -------------------------------------------------------- 7: invisible text
INVISIBLE = [
    ("title", "Fruit\0", "title", "U+0000 at position 6"),
    ("title", "Two\tcols", "title", "U+0009 at position 4"),
    ("title", "Two\nlines", "title", "U+000A at position 4"),
    ("story", "zero\u200bwidth", "story", "U+200B at position 5"),
    ("lesson", "\ufeffBOM", "lesson", "U+FEFF at position 1"),
    ("lesson", "del\x7f", "lesson", "U+007F at position 4"),
    ("hints", ["fine", "evil \u202e txt"], "hints[1]", "U+202E at position 6"),
    ("story", "private \ue000", "story", "U+E000 at position 9"),
    ("story", "unassigned \u0378", "story", "U+0378 at position 12"),
]


@pytest.mark.parametrize("where, value, field, got", INVISIBLE, ids=[i[3] for i in INVISIBLE])
def test_control_and_invisible_characters_in_texts(tmp_path, where, value, field, got):
    path = _write(tmp_path, _mutated(where, value))
    assert _error(load_level, path) == (f"{path}: {field}: expected a text without control or "
                                        f"invisible characters, got {got}")


def test_multiline_texts_keep_newlines_and_tabs(tmp_path):
    doc = _mutated("story", "Line one\n\tindented line two\n")
    doc["hints"] = ["a\nb", "c\td"]
    assert load_level(_write(tmp_path, doc)).story.startswith("Line one\n\t")


def test_pack_title_refuses_invisible_characters(tmp_path):
    (tmp_path / "pack.toml").write_text(tomli_w.dumps(
        {"id": "p", "title": "Pack\u202e", "levels": ["a.toml"]}))
    assert _error(load_pack, tmp_path) == (f"{tmp_path / 'pack.toml'}: title: expected a text "
                                           "without control or invisible characters, got U+202E "
                                           "at position 5")


def test_odd_characters_in_keys_and_file_names_stay_on_one_line(tmp_path):
    path = _write(tmp_path, _mutated("rules.a\u2028b", 1))
    assert _error(load_level, path) == f'{path}: rules."a\\u2028b": unknown field'
    odd = tmp_path / "line\nbreak.toml"
    _write(tmp_path, _mutated("title", ""), odd.name)
    assert _error(load_level, odd).startswith(f'"{tmp_path}/line\\nbreak.toml": title:')


# ------------------------------------------------------------------- 8: BOM
def test_one_leading_bom_is_accepted_in_levels_and_packs(tmp_path):
    bom = b"\xef\xbb\xbf"
    level = tmp_path / "a.toml"
    level.write_bytes(bom + tomli_w.dumps(VALID).encode())
    (tmp_path / "pack.toml").write_bytes(bom + b'id = "p"\ntitle = "P"\nlevels = ["a.toml"]\n')
    assert load_pack(tmp_path).levels[0].sha256 == hashlib.sha256(level.read_bytes()).hexdigest()
    level.write_bytes(bom + bom + tomli_w.dumps(VALID).encode())
    assert "TOML syntax error at line 1" in _error(load_level, level)


# ------------------------------------------------------------ 9: size limits
def test_size_limits_are_named_constants():
    assert levels.MAX_ORCHARD_POINTS == 2000 and levels.MAX_GIVEN_FRUIT == 1000


def test_too_many_orchard_points_fails_before_any_point_is_built(tmp_path, monkeypatch):
    limit = levels.MAX_ORCHARD_POINTS
    path = _write(tmp_path, _points_doc(_fruit(limit, "strawberry") + _fruit(1)))
    monkeypatch.setattr(levels, "_point", lambda f: pytest.fail("a Point was built"))
    assert _error(load_level, path) == \
        f"{path}: orchard.points: expected at most {limit} points, got {limit + 1}"


def test_too_many_given_fruit_fails_before_any_point_is_built(tmp_path, monkeypatch):
    limit = levels.MAX_GIVEN_FRUIT
    path = _write(tmp_path, dict(copy.deepcopy(VALID), given=_fruit(limit + 1)))
    monkeypatch.setattr(levels, "_point", lambda f: pytest.fail("a Point was built"))
    assert _error(load_level, path) == \
        f"{path}: given: expected at most {limit} given fruit, got {limit + 1}"


def test_the_limits_themselves_are_allowed(tmp_path):
    doc = _points_doc(_fruit(1999, "strawberry") + _fruit(1))
    doc["given"] = _fruit(levels.MAX_GIVEN_FRUIT)
    level = load_level(_write(tmp_path, doc))
    assert len(level.orchard.points) == 2000 and len(level.given) == 1000


# ---------------------------------------------------- 11: saved levels by id
def _save(name, doc):
    folder = user_levels_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return _write(folder, doc, name)


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("FRUITNET_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_a_saved_level_plays_by_its_id(data_dir):
    _save("my-xor.toml", dict(copy.deepcopy(VALID), id="my-xor"))
    level, pack = find_level_and_pack("my-xor", [levels_dir()])
    assert level.id == "my-xor" and pack is None
    assert find_level("first-harvest", [levels_dir()]).id == "first-harvest"  # packs still first


def test_broken_saved_files_are_skipped(data_dir):
    _save("a-broken.toml", _mutated("title", ""))
    os.mkfifo(user_levels_dir() / "b-fifo.toml")
    _save("z-renamed.toml", dict(copy.deepcopy(VALID), id="other-name"))
    with _deadline():
        assert find_level("other-name", []).id == "other-name"


def test_nothing_found_mentions_saved_levels_in_one_line(data_dir):
    _save("a-broken.toml", _mutated("title", ""))
    text = _error(find_level_and_pack, "no-such-level", [levels_dir()])
    assert text == ("no-such-level: expected a level file or a level id from the shipped packs "
                    f"or your saved levels ({data_dir / 'levels'}), found neither")


def test_no_saved_levels_folder_at_all(data_dir):
    assert "found neither" in _error(find_level, "my-xor", [])


# ------------------------------------------------------------- 12: Fields API
def test_finish_has_no_allowed_parameter_and_has_does_not_mark_known():
    assert list(inspect.signature(Fields.finish).parameters) == ["self"]
    table = Fields({"extra": 1}, "f.toml")
    assert table.has("extra")
    with pytest.raises(LevelError, match="extra: unknown field"):
        table.finish()
