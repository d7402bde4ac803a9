"""Level and pack loading: every malformed file gets its own one-line error."""

import copy

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.core.levels import LevelError, find_level, find_level_and_pack, load_level, load_pack
from game.resources import assets_dir, levels_dir

VALID = {
    "id": "test-level",
    "title": "Test",
    "story": "A story.",
    "lesson": "A lesson.",
    "hints": ["one", "two"],
    "orchard": {"generator": "clusters", "seed": 1, "count": 40, "noise": 0.05,
                "visibility": "ghost"},
    "given": [{"sweetness": 0.9, "redness": 0.9, "label": "strawberry"}],
    "network": {"hidden_sizes": [2, 3], "default_hidden_size": 3, "activation": "sigmoid",
                "init_seed": 4},
    "learning_rate": {"min": 0.1, "max": 5.0, "default": 1.0},
    "rules": {"step_budget": 300, "point_budget": 6, "target_accuracy": 0.9, "win": "hold",
              "hold_steps": 25},
    "stars": {"par_steps": 100, "par_fruit": 3},
}


def _write(tmp_path, doc, name="level.toml"):
    path = tmp_path / name
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return path


def _mutated(where, value):
    """VALID with the field at dotted path `where` set to value (DELETE removes it)."""
    doc = copy.deepcopy(VALID)
    *parents, last = where.split(".")
    table = doc
    for key in parents:
        table = table[int(key)] if key.isdigit() else table[key]
    if value is DELETE:
        del table[last]
    else:
        table[last] = value
    return doc


DELETE = object()

MALFORMED = [
    ("id", DELETE, "id: expected an id of lowercase letters, digits and dashes, e.g. \"first-harvest\" but it is missing"),
    ("id", "Bad Id", 'id: expected an id of lowercase letters, digits and dashes, e.g. "first-harvest", got "Bad Id"'),
    ("title", "", 'title: expected a non-empty text of at most 80 characters, got ""'),
    ("title", 7, "title: expected a non-empty text of at most 80 characters, got 7"),
    ("story", DELETE, "story: expected a non-empty text of at most 2000 characters but it is missing"),
    ("lesson", ["x"], 'lesson: expected a non-empty text of at most 2000 characters, got ["x"]'),
    ("hints", [], "hints: expected a list of at least 1 non-empty texts, got []"),
    ("hints", ["ok", 3], 'hints: expected a list of at least 1 non-empty texts, got ["ok", 3]'),
    ("orchard.generator", "pears", 'orchard.generator: expected one of "clusters", "xor", "ring", "moons", "stripes", "spiral", got "pears"'),
    ("orchard.generator", "rings", 'orchard.generator: expected one of "clusters", "xor", "ring", "moons", "stripes", "spiral" (did you mean "ring"?), got "rings"'),
    ("orchard.seed", -1, "orchard.seed: expected a whole number from 0 to 4294967295, got -1"),
    ("orchard.count", 1, "orchard.count: expected a whole number from 2 to 2000, got 1"),
    ("orchard.count", 10.5, "orchard.count: expected a whole number from 2 to 2000, got 10.5"),
    ("orchard.noise", 1.5, "orchard.noise: expected a number in [0, 1], got 1.5"),
    ("orchard.noise", "lots", 'orchard.noise: expected a number in [0, 1], got "lots"'),
    ("orchard.visibility", "foggy", 'orchard.visibility: expected one of "ghost", "fog", "hidden" (did you mean "fog"?), got "foggy"'),
    ("orchard.points", [{"sweetness": 0.1, "redness": 0.1, "label": "lemon"}], 'orchard: expected either "generator" (with seed, count and noise) or "points", got both'),
    ("orchard.colour", "red", 'orchard.colour: unknown field'),
    ("given.0.sweetness", 1.2, "given[0].sweetness: expected a number in [0, 1], got 1.2"),
    ("given.0.redness", -0.1, "given[0].redness: expected a number in [0, 1], got -0.1"),
    ("given.0.label", "lime", 'given[0].label: expected one of "strawberry", "lemon", got "lime"'),
    ("given.0.label", "lemons", 'given[0].label: expected one of "strawberry", "lemon" (did you mean "lemon"?), got "lemons"'),
    ("given.0.sweetnes", 0.5, 'given[0].sweetnes: unknown field (did you mean "sweetness"?)'),
    ("network.hidden_sizes", [0, 2], "network.hidden_sizes: expected a non-empty list of different whole numbers from 1 to 8, got [0, 2]"),
    ("network.hidden_sizes", [2, 2], "network.hidden_sizes: expected a non-empty list of different whole numbers from 1 to 8, got [2, 2]"),
    ("network.hidden_sizes", [9], "network.hidden_sizes: expected a non-empty list of different whole numbers from 1 to 8, got [9]"),
    ("network.default_hidden_size", 4, "network.default_hidden_size: expected one of hidden_sizes [2, 3], got 4"),
    ("network.hidden_layers", [4], "network.hidden_layers: expected a non-empty list of different whole numbers from 0 to 3, got [4]"),
    ("network.default_hidden_layers", 2, "network.default_hidden_layers: expected one of hidden_layers [1], got 2"),
    ("network.activation", "softmax", 'network.activation: expected one of "sigmoid", "tanh", "relu", got "softmax"'),
    ("network.init_seed", True, "network.init_seed: expected a whole number from 0 to 4294967295, got true"),
    ("network.hiden_sizes", [2], 'network.hiden_sizes: unknown field (did you mean "hidden_sizes"?)'),
    ("learning_rate.min", 0, "learning_rate.min: expected a number in (0, 100], got 0"),
    ("learning_rate.max", 0.05, "learning_rate.max: expected a number ≥ min (0.1), got 0.05"),
    ("learning_rate.default", 9.0, "learning_rate.default: expected a number in [0.1, 5], got 9.0"),
    ("learning_rate.default", float("nan"), "learning_rate.default: expected a number in [0.1, 5], got nan"),
    ("learning_rate", 0.5, "learning_rate: expected a table, got 0.5"),
    ("rules.step_budget", -5, "rules.step_budget: expected a whole number from 1 to 1000000, got -5"),
    ("rules.step_budget", DELETE, "rules.step_budget: expected a whole number from 1 to 1000000 but it is missing"),
    ("rules.point_budget", 0, "rules.point_budget: expected a whole number from 1 to 1000, got 0"),
    ("rules.target_accuracy", 0, "rules.target_accuracy: expected a number in (0, 1], got 0"),
    ("rules.target_accuracy", 1.01, "rules.target_accuracy: expected a number in (0, 1], got 1.01"),
    ("rules.step_budgt", 5, 'rules.step_budgt: unknown field (did you mean "step_budget"?)'),
    ("rules.win", "touch", 'rules.win: expected one of "hold", "harvest", "first", got "touch"'),
    ("rules.win", "harvets", 'rules.win: expected one of "hold", "harvest", "first" (did you mean "harvest"?), got "harvets"'),
    ("rules.hold_steps", 0, "rules.hold_steps: expected a whole number from 1 to 300, got 0"),
    ("rules.hold_steps", 301, "rules.hold_steps: expected a whole number from 1 to 300, got 301"),
    ("stars.par_steps", 301, "stars.par_steps: expected a whole number from 1 to 300, got 301"),
    ("stars.par_steps", DELETE, "stars.par_steps: expected a whole number from 1 to 300 but it is missing"),
    ("stars.par_fruit", 7, "stars.par_fruit: expected a whole number from 1 to 6, got 7"),
    ("stars.par_fruit", 0, "stars.par_fruit: expected a whole number from 1 to 6, got 0"),
    ("stars.par_fruits", 2, 'stars.par_fruits: unknown field (did you mean "par_fruit"?)'),
    ("stars", DELETE, "stars: expected a table but it is missing"),
    ("orchard", DELETE, "orchard: expected a table but it is missing"),
    ("hint", ["x"], 'hint: unknown field (did you mean "hints"?)'),
    ("given", "none", 'given: expected a list of tables, got "none"'),
]


def test_the_valid_document_loads(tmp_path):
    level = load_level(_write(tmp_path, VALID))
    assert level.id == "test-level" and level.hidden_layers == (1,)
    assert level.given[0].label == 1 and level.lr_default == 1.0
    assert len(level.sha256) == 64


@pytest.mark.parametrize("where, value, message", MALFORMED,
                         ids=[f"{w}={v!r}"[:40] for w, v, _ in MALFORMED])
def test_malformed_level_gives_its_one_line_error(tmp_path, where, value, message):
    path = _write(tmp_path, _mutated(where, value))
    with pytest.raises(LevelError) as caught:
        load_level(path)
    text = str(caught.value)
    assert text == f"{path}: {message}"
    assert "\n" not in text


def test_neither_generator_nor_points(tmp_path):
    doc = copy.deepcopy(VALID)
    doc["orchard"] = {"visibility": "ghost"}
    path = _write(tmp_path, doc)
    with pytest.raises(LevelError, match=r'orchard\.generator: expected either "generator"'):
        load_level(path)


def test_explicit_points_orchard(tmp_path):
    doc = copy.deepcopy(VALID)
    doc["orchard"] = {"visibility": "fog", "points": [
        {"sweetness": 0.9, "redness": 0.8, "label": "strawberry"},
        {"sweetness": 0.1, "redness": 0.2, "label": "lemon"}]}
    level = load_level(_write(tmp_path, doc))
    X, y = level.orchard.arrays()
    assert X.tolist() == [[0.9, 0.8], [0.1, 0.2]] and y.tolist() == [1.0, 0.0]
    doc["orchard"]["points"] = doc["orchard"]["points"][:1]
    with pytest.raises(LevelError, match="at least 2 points with both strawberries and lemons"):
        load_level(_write(tmp_path, doc))


@pytest.mark.parametrize("text, where", [
    ('id = "x"\ntitle = \n', "line 2, column 9"),
    ('id = "x"\n[orchard\n', "line 2, column 9"),
    ('id = "x"\nid = "y"\n', "line 2"),
])
def test_toml_syntax_error_reports_line_and_column(tmp_path, text, where):
    path = tmp_path / "broken.toml"
    path.write_text(text)
    with pytest.raises(LevelError) as caught:
        load_level(path)
    assert str(caught.value).startswith(f"{path}: TOML syntax error at {where}")


def test_unreadable_and_binary_files(tmp_path):
    with pytest.raises(LevelError, match="cannot read the file"):
        load_level(tmp_path / "missing.toml")
    path = tmp_path / "binary.toml"
    path.write_bytes(b"\xff\xfe\x00junk")
    with pytest.raises(LevelError, match="expected UTF-8 text"):
        load_level(path)


def _pack(tmp_path, levels, docs):
    (tmp_path / "pack.toml").write_text(tomli_w.dumps(
        {"id": "p", "title": "Pack", "levels": levels}))
    for name, doc in docs.items():
        _write(tmp_path, doc, name)
    return tmp_path


def test_pack_loads_in_order(tmp_path):
    other = dict(copy.deepcopy(VALID), id="second")
    pack = load_pack(_pack(tmp_path, ["b.toml", "a.toml"], {"a.toml": VALID, "b.toml": other}))
    assert [lv.id for lv in pack.levels] == ["second", "test-level"]
    assert pack.level("second").id == "second"


def test_pack_rejects_duplicate_ids(tmp_path):
    folder = _pack(tmp_path, ["a.toml", "b.toml"], {"a.toml": VALID, "b.toml": VALID})
    with pytest.raises(LevelError, match=r"b\.toml: id: expected an id unique in the pack, "
                                         r"got 'test-level', already used by a\.toml"):
        load_pack(folder)


@pytest.mark.parametrize("name", ["../outside.toml", "/etc/passwd", "sub/../../x.toml"])
def test_pack_paths_cannot_escape_the_folder(tmp_path, name):
    folder = tmp_path / "pack"
    folder.mkdir()
    _write(tmp_path, VALID, "outside.toml")
    _pack(folder, [name], {})
    with pytest.raises(LevelError, match=r"levels\[0\]: expected a level file inside the pack folder"):
        load_pack(folder)


def test_pack_missing_level_file(tmp_path):
    with pytest.raises(LevelError, match=r'levels\[0\]: expected the name of an existing level file, got "nope.toml"'):
        load_pack(_pack(tmp_path, ["nope.toml"], {}))


def test_find_level_by_id_and_by_path():
    assert find_level("first-harvest", [levels_dir()]).id == "first-harvest"
    path = levels_dir() / "starter" / "02-slow-learner.toml"
    assert find_level(str(path), [levels_dir()]).id == "slow-learner"
    with pytest.raises(LevelError, match="expected a level file or a level id"):
        find_level("no-such-level", [levels_dir()])


def test_find_level_and_pack_follows_the_pack_that_lists_the_file(tmp_path):
    level, pack = find_level_and_pack("slow-learner", [levels_dir()])
    assert level.id == "slow-learner" and pack.id == "starter"
    path = levels_dir() / "starter" / "03-crossed-rows.toml"
    level, pack = find_level_and_pack(str(path), [levels_dir()])
    assert level.id == "crossed-rows" and pack is not None and pack.id == "starter"
    alone = _write(tmp_path, VALID, "alone.toml")
    assert find_level_and_pack(str(alone), [levels_dir()])[1] is None


def test_bundled_assets_and_levels_are_found():
    assert (assets_dir() / "fonts" / "DejaVuSans.ttf").is_file()
    assert (assets_dir() / "fonts" / "LICENSE-DejaVu.txt").is_file()
    assert (levels_dir() / "starter" / "pack.toml").is_file()


# A fuzz of the loader: any TOML document, however odd, gives LevelError or a level.
_scalars = st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                     st.text(max_size=12), st.booleans())
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)
_keys = st.sampled_from(list(VALID) + ["extra", "Id", "orchard.x"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=st.dictionaries(_keys, _values, max_size=8))
def test_fuzz_random_documents_only_raise_level_error(tmp_path, doc):
    _check_only_level_error(tmp_path, doc)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(section=st.sampled_from(list(VALID)), value=_values,
       key=st.one_of(st.none(), st.text(max_size=10)))
def test_fuzz_near_valid_documents_only_raise_level_error(tmp_path, section, value, key):
    doc = copy.deepcopy(VALID)
    if key is None or not isinstance(doc[section], dict):
        doc[section] = value
    else:
        doc[section][key] = value
    _check_only_level_error(tmp_path, doc)


def _check_only_level_error(tmp_path, doc):
    path = tmp_path / "fuzz.toml"
    try:
        path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    except (TypeError, ValueError):
        return  # not representable as TOML (e.g. nan keys); nothing to load
    try:
        load_level(path)
    except LevelError as error:
        assert "\n" not in str(error) and str(error).startswith(str(path))


def test_win_rules_and_their_defaults(tmp_path):
    level = load_level(_write(tmp_path, VALID))
    assert (level.win, level.hold_steps, level.par_steps, level.par_fruit) == ("hold", 25, 100, 3)
    doc = copy.deepcopy(VALID)
    del doc["rules"]["win"], doc["rules"]["hold_steps"]
    level = load_level(_write(tmp_path, doc))
    assert (level.win, level.hold_steps) == ("hold", 20), "hold 20 steps is the default"
    doc["rules"]["step_budget"], doc["stars"]["par_steps"] = 12, 12
    assert load_level(_write(tmp_path, doc)).hold_steps == 12, "never more than the budget"
    for rule in ("harvest", "first"):
        doc = copy.deepcopy(VALID)
        doc["rules"]["win"] = rule
        path = _write(tmp_path, doc)
        with pytest.raises(LevelError, match='rules.hold_steps: expected no hold_steps unless '
                                             'win = "hold", got 25'):
            load_level(path)
        del doc["rules"]["hold_steps"]
        assert load_level(_write(tmp_path, doc)).win == rule


def test_star_thresholds_of_older_files_still_load_as_par(tmp_path):
    doc = copy.deepcopy(VALID)
    doc["stars"] = {"two_stars_within_steps": 200, "three_stars_within_steps": 100}
    del doc["rules"]["win"], doc["rules"]["hold_steps"]
    level = load_level(_write(tmp_path, doc))
    assert (level.par_steps, level.par_fruit) == (100, 6)
    assert (level.win, level.hold_steps) == ("first", 1), "written for the first-step rule"
