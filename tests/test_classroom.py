"""Classroom end to end: a teacher makes a pack, three students play and hand in, the report.

Anna plays honestly. Ben plays honestly but then edits his hand-in to claim he
won the first level in fewer steps. Cleo plays the first level herself and, on
the second, copies Anna's replay move for move. The report must show exactly
the honest results, refuse Ben's forged attempt and flag the copy, naming both.
"""

import csv
import itertools
import json

import pygame
import pytest

from game.cli import main
from game.core.attempt import PLAYING, WON, Attempt
from game.core.autoplay import choose_points
from game.core.class_report import build_report, handin_files
from game.core.levels import Point, load_pack
from game.core.progress import ProgressStore
from game.core.replay import replay
from game.view import class_chart, theme

LEVELS = ["tip-the-scale", "1-2-off-the-origin.toml"]  # a shipped id, and a file (given below)


def play_through(level, points):
    """A student's attempt through the core API: place the fruit, train until it ends."""
    attempt = Attempt(level)
    for p in points:
        assert attempt.add_point(p.x1, p.x2, p.label).ok
    while attempt.state == PLAYING and attempt.steps_left:
        assert attempt.step(min(25, attempt.steps_left)).ok
    return attempt


def nudged(level, dx):
    """The automatic player's fruit moved sideways by dx (a student clicks elsewhere)."""
    return [Point(min(1.0, max(0.0, p.x1 + dx * (1 if p.label else -1))), p.x2, p.label)
            for p in choose_points(level)]


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    """The whole workflow once; the tests below read what it produced."""
    root = tmp_path_factory.mktemp("classroom")
    mp = pytest.MonkeyPatch()
    out = {}
    try:
        pack_dir = root / "week-3"
        from game.resources import levels_dir
        specs = [LEVELS[0], str(levels_dir() / "ch1-scale" / LEVELS[1])]
        assert main(["pack", "new", str(pack_dir), "--title", "Week 3: the scale"]) == 0
        assert main(["pack", "add", str(pack_dir), *specs]) == 0
        pack = load_pack(pack_dir)
        first, second = pack.levels
        clock = itertools.count(1_800_000_000.0, 60.0)  # one shared wall clock: Anna plays first
        played = {}

        def session(name, plays):
            mp.setenv("FRUITNET_DATA_DIR", str(root / name))
            store, _ = ProgressStore.open(root / name / "progress.db", clock=lambda: next(clock))
            with store:
                profile = store.profile(name)
                for level, attempt in plays:
                    played[(name, level.id)] = attempt
                    assert store.record_attempt(profile, pack.id, attempt, 120.0) is None
            assert main(["handin", str(pack_dir), "--out", str(root / "handins" / f"{name}.json")]) == 0

        session("Anna", [(first, play_through(first, choose_points(first))),
                         (second, play_through(second, choose_points(second)))])
        session("Ben", [(first, play_through(first, nudged(first, 0.05))),
                        (second, play_through(second, nudged(second, 0.02)))])
        copied = replay(second, [dict(a) for a in played[("Anna", second.id)].log])
        session("Cleo", [(first, play_through(first, nudged(first, -0.04))), (second, copied)])
        ben_file = root / "handins" / "Ben.json"
        document = json.loads(ben_file.read_text(encoding="utf-8"))
        honest_steps = document["attempts"][0]["steps"]
        document["attempts"][0]["steps"] = honest_steps - 20  # Ben claims a faster win
        ben_file.write_text(json.dumps(document), encoding="utf-8")
        out.update(root=root, pack=pack, played=played, ben_honest=honest_steps)
        yield out
    finally:
        mp.undo()


def test_every_student_won_both_levels_honestly_except_where_scripted(classroom):
    played = classroom["played"]
    assert all(a.state == WON for a in played.values())
    steps = {key: a.steps_used for key, a in played.items()}
    # The three first-level wins differ, so the table can tell them apart.
    first = classroom["pack"].levels[0].id
    assert len({steps[(s, first)] for s in ("Anna", "Ben", "Cleo")}) == 3


def test_the_report_shows_exactly_the_honest_results_and_flags_the_rest(classroom, capsys):
    root, pack, played = classroom["root"], classroom["pack"], classroom["played"]
    first, second = (level.id for level in pack.levels)
    out = root / "out"
    code = main(["report", str(root / "handins"), "--pack", str(pack.folder), "--csv",
                 str(out / "class.csv"), "--chart", str(out / "chart.png"), "--html",
                 str(out / "class.html")])
    printed = capsys.readouterr().out
    assert code == 1  # Ben's forged attempt was refused
    with open(out / "class.csv", encoding="utf-8-sig", newline="") as f:
        rows = {(r["student"], r["level_id"]): r for r in csv.DictReader(f)}
    assert set(rows) == {(s, lv) for s in ("Anna", "Ben", "Cleo") for lv in (first, second)}

    def won(student, level):
        return rows[(student, level)]["won"], rows[(student, level)]["best_steps"]

    expected_won = {("Anna", first), ("Anna", second), ("Ben", second), ("Cleo", first)}
    for key in rows:
        if key in expected_won:
            assert won(*key) == ("yes", str(played[key].steps_used)), key
            assert rows[key]["best_fruit"] == str(len(played[key].points))
            assert rows[key]["stars"] == str(played[key].outcome().stars)
        else:
            assert won(*key) == ("no", ""), key
    assert "forged" in rows[("Ben", first)]["flags"]
    assert rows[("Cleo", second)]["flags"] == "same replay as Anna; not counted"
    assert rows[("Anna", second)]["flags"] == "same replay as Cleo; finished first, counted"
    assert all(rows[k]["flags"] == "" for k in [("Anna", first), ("Ben", second), ("Cleo", first)])
    # One line for the forgery, naming the claim and the truth, and the copy naming both.
    forged = [line for line in printed.splitlines() if "forged" in line and "Ben" in line]
    assert forged == [f"Ben.json: Ben: {first} attempt 1: forged: claims steps = "
                      f"{classroom['ben_honest'] - 20}, re-simulation gives {classroom['ben_honest']}"]
    copies = [line for line in printed.splitlines() if "copy:" in line]
    assert len(copies) == 2 and any("Anna" in c and "Cleo's" in c for c in copies) \
        and any("Cleo" in c and "Anna's" in c for c in copies)
    # The table: Ben's first level shows no win and is flagged.
    ben_row = next(line for line in printed.splitlines() if line.startswith("Ben "))
    assert "☆☆☆ - ×1 !" in ben_row


def test_the_chart_draws_exactly_the_honest_steps_to_win(classroom):
    root, pack, played = classroom["root"], classroom["pack"], classroom["played"]
    files, refused = handin_files(root / "handins")
    report = build_report(pack, files, refused)
    first, second = (level.id for level in pack.levels)
    assert report.steps_to_win(first) == sorted(played[(s, first)].steps_used for s in ("Anna", "Cleo"))
    assert report.steps_to_win(second) == sorted(played[(s, second)].steps_used for s in ("Anna", "Ben"))
    # The written PNG is every level's panel; each panel's bars are the bins of those steps.
    image = pygame.image.load(str(root / "out" / "chart.png"))
    assert image.get_size() == class_chart.class_chart(report).get_size()
    for k, level in enumerate(pack.levels):
        left = class_chart.GAP + k * (class_chart.PANEL_SIZE[0] + class_chart.GAP)
        first_edge, width, counts = class_chart.bins(report.steps_to_win(level.id), level.par_steps)
        assert _bar_runs(image, left, class_chart.HEADING) == sum(1 for n in counts if n)
        assert sum(counts) == 2


def _bar_runs(image, left, top):
    """How many separate bars cross the row just above a panel's base line (the par line,
    which may cross a bar, neither starts nor ends one)."""
    y = top + class_chart.PLOT.bottom - 1
    runs, inside = 0, False
    for x in range(left + class_chart.PLOT.left, left + class_chart.PLOT.right):
        colour = tuple(image.get_at((x, y)))[:3]
        if colour == theme.HIGHLIGHT:
            continue
        is_bar = colour in (class_chart.BAR, class_chart.BAR_EDGE)
        runs += is_bar and not inside
        inside = is_bar
    return runs


def test_the_html_page_is_self_contained_and_escaped(classroom):
    page = (classroom["root"] / "out" / "class.html").read_text(encoding="utf-8")
    assert page.count('src="data:image/png;base64,') == 2
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert "Week 3: the scale" in page and "same replay as Anna; not counted" in page


def test_quiz_answers_count_right_out_of_asked_per_student_and_level(tmp_path, capsys):
    from game.core.autoplay import play
    from game.core.handin import write_handin
    from game.core.pack_files import add_levels, new_pack
    from game.resources import levels_dir
    new_pack(tmp_path / "quiz", "Quiz")
    add_levels(tmp_path / "quiz", ["up-or-down"], [levels_dir()])
    pack = load_pack(tmp_path / "quiz")
    level = pack.levels[0]
    assert level.quizzes
    store, _ = ProgressStore.open(tmp_path / "p.db")
    attempts = [play(level, lr, level.default_hidden_size, level.default_hidden_layers).attempt
                for lr in (level.lr_default, level.lr_max)]
    with store:
        zoe = store.profile("Zoë")
        for attempt in attempts:
            store.record_attempt(zoe, pack.id, attempt, 30.0)
        write_handin(store, zoe, pack, tmp_path / "in" / "zoe.json")
    right = sum(a.outcome().quiz_right for a in attempts)
    asked = sum(a.outcome().quiz_asked for a in attempts)
    assert 0 < right < asked
    assert main(["report", str(tmp_path / "in"), "--pack", str(pack.folder)]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("Zoë"))
    assert f"×2 q{right}/{asked}" in row
