"""check --solve proves each lesson: lucky steps, ready-made weights, adversaries, [expect]."""

import copy
import dataclasses
from pathlib import Path

import pytest
import tomli_w

from game.core.autoplay import sweep
from game.core.lesson_checks import start_accuracy_up_to_bias
from game.core.level_expect import MustWin, SettingFilter
from game.core.levels import LevelError, load_level, load_pack
from game.resources import levels_dir
from game.tools.check import run_check
from game.tools.lesson_report import lesson_lines
from tests.test_levels import VALID

PACK = load_pack(levels_dir() / "starter")


def _fixture():
    return Path(__file__).parent / "fixtures" / "lucky-step.toml"


def test_a_level_won_by_one_lucky_step_fails_with_every_reason(capsys):
    assert run_check([str(_fixture())], solve=True) == 1
    out = capsys.readouterr().out
    for reason in ("FAIL: the starting weights already sort the orchard up to the output bias",
                   "FAIL: the one fruit player wins", "FAIL: the swapped labels player wins",
                   "FAIL: won in 1 step", "FAIL: a fly-by win"):
        assert reason in out, reason
    assert all(line.count("\n") == 0 for line in out.splitlines())


def test_the_shipped_packs_prove_their_lessons(capsys):
    assert run_check([str(levels_dir())], solve=True) == 0
    out = capsys.readouterr().out
    assert "FAIL" not in out and "WARNING" not in out
    shipped = sum(len(load_pack(folder).levels) for folder in levels_dir().iterdir()
                  if (folder / "pack.toml").is_file())
    assert out.count("  adversaries: ") == shipped >= len(PACK.levels)


def test_starting_weights_up_to_the_bias():
    lucky = load_level(_fixture())
    assert start_accuracy_up_to_bias(lucky)[0] == 1.0
    assert start_accuracy_up_to_bias(PACK.level("first-harvest"))[0] < 0.95
    # Explicit weights that rank fruit by sweetness + redness sort the clusters perfectly.
    ranked = dataclasses.replace(PACK.level("first-harvest"), hidden_sizes=(2,),
                                 default_hidden_size=2, start_weights=(((3, 3), (3, 3)), ((2, 2),)),
                                 start_biases=((0, 0), (0,)))
    assert start_accuracy_up_to_bias(ranked) == (1.0, (2, 1))


def test_expect_facts_are_checked_through_the_game():
    slow = PACK.level("slow-learner")
    plays = sweep(slow)
    holds = dataclasses.replace(slow, expect=dataclasses.replace(
        slow.expect, never_wins=(SettingFilter(lr_at_most=1.0),), wins=(MustWin(8.0, 3, 1),)))
    lines = lesson_lines(holds, plays)
    assert not any("FAIL" in line for line in lines)
    assert any(line.startswith("  [expect] wins η = 8, hidden 3: won in") for line in lines)
    broken = dataclasses.replace(slow, expect=dataclasses.replace(
        slow.expect, never_wins=(SettingFilter(lr_at_least=5.0),), wins=(MustWin(0.05, 3, 1),)))
    fails = [line for line in lesson_lines(broken, plays) if "FAIL" in line]
    assert fails[0].startswith("  FAIL: [expect] never_wins η ≥ 5: η = 8, hidden 3 wins in")
    assert fails[1] == "  FAIL: [expect] wins η = 0.05, hidden 3: not won within the budget"


def _load_expect(tmp_path, expect):
    doc = copy.deepcopy(VALID)
    doc["expect"] = expect
    path = tmp_path / "level.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return load_level(path)


def test_expect_fields_load(tmp_path):
    level = _load_expect(tmp_path, {"min_steps": 12, "adversaries_lose": ["one_fruit", "far_fruit"],
                                    "never_wins": [{"lr_at_most": 0.2}, {"hidden_layers": 0}],
                                    "wins": [{"lr": 2.0}]})
    assert level.expect.min_steps == 12 and level.expect.adversaries_lose == ("one_fruit", "far_fruit")
    assert level.expect.never_wins[1] == SettingFilter(hidden_layers=0)
    assert level.expect.wins == (MustWin(2.0, 3, 1),), "hidden size and layers default to the level's"


@pytest.mark.parametrize("expect, message", [
    ({"adversaries_lose": ["cheater"]}, 'expect.adversaries_lose: expected a list of adversaries '
                                        'among "one_fruit", "one_class", "swapped_labels", '
                                        '"random_fruit", "far_fruit", "sorted_fruit", got ["cheater"]'),
    ({"never_wins": [{}]}, "expect.never_wins[0]: expected at least one of lr_at_most, "
                           "lr_at_least, hidden_size, hidden_layers, got a table"),
    ({"wins": [{"lr": 9.0}]}, "expect.wins[0].lr: expected a number in [0.1, 5], got 9.0"),
    ({"wins": [{"lr": 1.0, "hidden_size": 7}]},
     "expect.wins[0].hidden_size: expected one of hidden_sizes [2, 3], got 7"),
    ({"min_step": 3}, 'expect.min_step: unknown field (did you mean "min_steps"?)'),
])
def test_bad_expect_fields_get_one_line(tmp_path, expect, message):
    with pytest.raises(LevelError) as caught:
        _load_expect(tmp_path, expect)
    assert str(caught.value).split(": ", 1)[1] == message


def test_equal_scores_cannot_be_split_by_the_bias():
    zero = dataclasses.replace(PACK.level("first-harvest"), hidden_layers=(0,),
                               default_hidden_layers=0, start_weights=(((0.0, 0.0),),),
                               start_biases=((0.0,),))
    accuracy, _ = start_accuracy_up_to_bias(zero)
    assert accuracy == 0.5, "every fruit scores 0: the bias can only call them all one kind"


def test_the_sorted_fruit_player_places_one_kind_first_only_where_order_is_placed():
    import dataclasses

    from game.core.adversaries import fruit_sets
    from game.core.autoplay import choose_points
    from game.core.levels import load_level
    from game.resources import levels_dir
    level = load_level(levels_dir() / "ch4-hidden" / "4-4-order-of-service.toml")
    chosen = choose_points(level)
    sets = fruit_sets(level, "sorted_fruit")
    assert [[p.label for p in s] for s in sets] == [
        sorted((p.label for p in chosen), reverse=True), sorted(p.label for p in chosen)]
    assert all(sorted(s, key=lambda p: (p.x1, p.x2)) == sorted(chosen, key=lambda p: (p.x1, p.x2))
               for s in sets), "the same fruit, only in another order"
    assert fruit_sets(dataclasses.replace(level, order="random"), "sorted_fruit") == []


def test_late_harvest_loses_is_proved_by_training_on_to_the_end_of_the_budget(tmp_path):
    level = load_level(levels_dir() / "ch3-fruit" / "04-know-when-to-stop.toml")
    assert level.expect.late_harvest_loses
    plays = sweep(level)
    assert "  the fastest win trained to the end of the budget (5,000 steps): 87% (target 95%)" \
        in lesson_lines(level, plays)
    short = dataclasses.replace(level, step_budget=1000)  # over before the fall
    lines = lesson_lines(short, sweep(short))
    assert "  FAIL: [expect] late_harvest_loses: harvesting at the end of the budget still wins, " \
           "so when to harvest does not matter" in lines
    with pytest.raises(LevelError, match='late_harvest_loses: expected a level with win = "harvest"'):
        _load_expect(tmp_path, {"late_harvest_loses": True})
