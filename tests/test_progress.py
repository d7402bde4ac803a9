"""Saved progress: what is recorded, per-level progress, profiles, and every way the file can fail."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from game.core.attempt import Attempt
from game.core.autoplay import choose_points, play
from game.core.levels import load_level
from game.core.progress import ProgressStore, clean_name, reset_progress
from game.core.progress_records import MAX_NAME_CHARS
from game.core.progress_schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, migrate
from game.core.replay import verify

ROOT = Path(__file__).resolve().parent.parent
FIRST_HARVEST = ROOT / "levels" / "starter" / "01-first-harvest.toml"
HARVEST = ROOT / "tests" / "fixtures" / "features" / "harvest.toml"


class Clock:
    """A clock that moves one second each time it is read."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


@cache
def level():
    return load_level(FIRST_HARVEST)


@cache
def _plays() -> dict:
    """Attempts at First Harvest (par 275 steps, 2 fruit) with known outcomes."""
    lv = level()
    return {"fruit_star_only": play(lv, 0.5, 3, 1, points=choose_points(lv, 2)).attempt,  # 365 steps
            "steps_star_only": play(lv, 2.0, 3, 1, points=choose_points(lv, 4)).attempt,  # 232 steps
            "lost": play(lv, 0.5, 3, 1, points=choose_points(lv, 4)).attempt}  # out of steps


def attempt(kind: str) -> Attempt:
    return _plays()[kind]


def left_after(steps: int) -> Attempt:
    a = Attempt(level())
    a.add_point(0.8, 0.8, 1)
    a.add_point(0.2, 0.2, 0)
    if steps:
        a.step(steps)
    return a


def open_store(path: Path, clock=None) -> tuple[ProgressStore, str | None]:
    return ProgressStore.open(path, clock=clock or Clock())


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "data" / "progress.db"


# ---------------------------------------------------------------- what is recorded
def test_a_won_attempt_is_recorded_with_its_result_times_and_a_replay_that_verifies(db):
    store, message = open_store(db, Clock(1_800_000_000.0))
    assert message is None and store.saving
    won = attempt("fruit_star_only")
    assert store.record_attempt(store.profile(), "starter", won, 42.5) is None
    [rec] = store.attempts(store.profile())
    o = won.outcome()
    assert (rec.pack_id, rec.level_id, rec.level_sha256) == ("starter", "first-harvest", level().sha256)
    assert (rec.state, rec.stars, rec.steps_star, rec.fruit_star) == ("won", 2, False, True)
    assert (rec.steps, rec.fruit, rec.accuracy) == (o.steps_used, o.points_used, o.accuracy)
    assert (rec.quiz_right, rec.quiz_asked, rec.seconds) == (0, 0, 42.5)
    assert rec.finished_at == "2027-01-15T08:00:02Z" and rec.started_at == "2027-01-15T07:59:19Z"
    verdict = verify(level(), json.loads(rec.replay))
    assert verdict.ok, verdict.findings


def test_per_level_progress_combines_the_two_challenges_across_attempts(db):
    store, _ = open_store(db)
    me = store.profile()
    for kind, seconds in (("lost", 100), ("fruit_star_only", 60), ("steps_star_only", 30)):
        assert store.record_attempt(me, "starter", attempt(kind), seconds) is None
    progress = store.level_progress(me, "starter")["first-harvest"]
    assert progress.won and progress.stars == 3 and progress.steps_star and progress.fruit_star
    assert progress.best_steps == attempt("steps_star_only").steps_used == 232
    assert progress.best_fruit == 2
    assert (progress.attempts, progress.seconds) == (3, 190.0)


def test_a_level_only_lost_is_played_but_not_won(db):
    store, _ = open_store(db)
    me = store.profile()
    store.record_attempt(me, "starter", attempt("lost"), 10)
    progress = store.level_progress(me, "starter")["first-harvest"]
    assert (progress.won, progress.stars, progress.best_steps, progress.best_fruit) == (False, 0, None, None)
    assert store.attempts(me)[0].state == "out_of_steps"


def test_a_failed_harvest_is_recorded_as_such(db):
    harvest_level = load_level(HARVEST)
    a = Attempt(harvest_level)
    a.step(1)
    assert a.harvest().ok and a.state == "harvest_failed"
    store, _ = open_store(db)
    assert store.record_attempt(store.profile(), "features", a, 5) is None
    assert [r.state for r in store.attempts(store.profile())] == ["harvest_failed"]


def test_leaving_after_a_step_is_abandoned_and_leaving_before_any_step_or_free_play_is_not_kept(db):
    store, _ = open_store(db)
    me = store.profile()
    assert store.record_attempt(me, "starter", left_after(0), 30) is None
    sandbox = Attempt(level(), free_play=True)
    sandbox.step(3)
    assert store.record_attempt(me, "", sandbox, 9) is None
    assert store.attempts(me) == []
    left = left_after(3)
    assert store.record_attempt(me, "starter", left, 30) is None
    [rec] = store.attempts(me)
    assert (rec.state, rec.steps, rec.stars) == ("abandoned", 3, 0)
    assert json.loads(rec.replay)["claimed"]["state"] == "playing"


def test_progress_and_attempts_survive_closing_and_reopening(db):
    store, _ = open_store(db)
    store.record_attempt(store.profile("Anna"), "starter", attempt("steps_star_only"), 12)
    before = store.attempts(store.profile("Anna"))
    store.close()
    again, message = open_store(db)
    assert message is None
    anna = again.profile()
    assert anna.name == "Anna" and again.attempts(anna) == before
    assert again.last_played(anna) == ("starter", "first-harvest")


# ---------------------------------------------------------------- profiles
def test_profiles_are_separate_and_names_compare_without_case(db):
    store, _ = open_store(db)
    assert store.profile().name == "Player"  # the first start
    anna, ben = store.profile("Anna"), store.profile("Ben")
    assert anna.id != ben.id
    assert store.profile("  aNNa ") == anna
    store.record_attempt(anna, "starter", attempt("steps_star_only"), 1)
    assert store.level_progress(ben, "starter") == {}
    assert store.attempts(ben) == [] and store.last_played(ben) is None
    assert store.profile() == anna  # the one used last: named, or playing
    store.profile("ben")
    assert store.profile() == ben
    assert [p.name for p in store.profiles()] == ["Ben", "Anna", "Player"]
    assert store.find_profile("nobody") is None


def test_names_lose_invisible_characters_and_are_capped():
    assert clean_name("\u202eAn\u200bna\x00\n ") == "Anna"
    assert clean_name("  Mary   Ann ") == "Mary Ann"
    assert clean_name("\u200b\u200b") == "Player"
    assert len(clean_name("x" * 500)) == MAX_NAME_CHARS


def test_a_hand_in_selects_one_packs_attempts_for_one_profile(db):
    store, _ = open_store(db)
    anna, ben = store.profile("Anna"), store.profile("Ben")
    store.record_attempt(anna, "pack-a", attempt("lost"), 1)
    store.record_attempt(ben, "pack-a", attempt("lost"), 2)
    store.record_attempt(anna, "pack-b", attempt("lost"), 3)
    store.record_attempt(anna, "pack-a", attempt("fruit_star_only"), 4)
    picked = store.attempts(anna, "pack-a")
    assert [(r.pack_id, r.seconds) for r in picked] == [("pack-a", 1.0), ("pack-a", 4.0)]
    assert {r.profile_id for r in picked} == {anna.id}
    assert len(store.attempts(anna)) == 3
    assert store.last_played(anna) == ("pack-a", "first-harvest")
    assert [(p.pack_id, p.attempts) for p in store.all_progress(anna)] == [("pack-a", 2), ("pack-b", 1)]


def test_a_profile_that_is_not_in_the_database_is_refused_without_stopping_saves(db):
    store, _ = open_store(db)
    from game.core.progress import Profile
    message = store.record_attempt(Profile(999, "ghost"), "starter", attempt("lost"), 1)
    assert message is not None and message.startswith("Not saved")
    assert store.saving
    assert store.record_attempt(store.profile(), "starter", attempt("lost"), 1) is None


# ---------------------------------------------------------------- damaged files
def _valid_db(path: Path) -> None:
    store, _ = open_store(path)
    for _ in range(30):  # several pages, so a truncation cuts into the tables
        store.record_attempt(store.profile(), "starter", attempt("fruit_star_only"), 1)
    store.close()


def _truncated(path: Path) -> None:
    _valid_db(path)
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])


def _page_smashed(path: Path) -> None:
    _valid_db(path)
    data = bytearray(path.read_bytes())
    data[4096 * 2:4096 * 3] = b"\xa5" * 4096  # a b-tree page of garbage; the header stays valid
    path.write_bytes(bytes(data))


def _another_programs(path: Path) -> None:
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE recipes (name TEXT)")
        other.execute("INSERT INTO recipes VALUES ('jam')")
    other.close()


DAMAGE = {
    "garbage bytes": lambda p: p.write_bytes(os.urandom(5000)),
    "zero length": lambda p: p.write_bytes(b""),
    "truncated": _truncated,
    "smashed page": _page_smashed,
    "another program's database": _another_programs,
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_database_is_kept_aside_untouched_and_play_starts_afresh(db, damage):
    db.parent.mkdir(parents=True)
    DAMAGE[damage](db)
    original = db.read_bytes()
    store, message = open_store(db)
    kept = [p for p in db.parent.iterdir() if p.name.startswith("progress.db.corrupt-")]
    assert len(kept) == 1 and kept[0].read_bytes() == original
    assert message is not None and "\n" not in message and kept[0].name in message
    assert store.saving and store.attempts(store.profile()) == []
    assert store.record_attempt(store.profile(), "starter", attempt("lost"), 1) is None


def test_a_folder_where_the_database_belongs_is_moved_aside_with_its_contents(db):
    (db / "inside").mkdir(parents=True)
    (db / "inside" / "keep.txt").write_text("mine")
    store, message = open_store(db)
    [kept] = [p for p in db.parent.iterdir() if p.name.startswith("progress.db.corrupt-")]
    assert (kept / "inside" / "keep.txt").read_text() == "mine"
    assert "folder" in message and store.saving and db.is_file()


def test_a_symlink_where_the_database_belongs_is_never_followed(db, tmp_path):
    elsewhere = tmp_path / "elsewhere.db"
    _valid_db(elsewhere)
    before = elsewhere.read_bytes()
    db.parent.mkdir(parents=True, exist_ok=True)
    db.symlink_to(elsewhere)
    store, message = open_store(db)
    store.record_attempt(store.profile(), "starter", attempt("lost"), 1)
    store.close()
    assert elsewhere.read_bytes() == before
    [kept] = [p for p in db.parent.iterdir() if p.name.startswith("progress.db.corrupt-")]
    assert kept.is_symlink() and os.readlink(kept) == str(elsewhere)
    assert "symbolic link" in message and not db.is_symlink()


def test_a_symlinked_journal_is_moved_aside_and_its_target_never_written(db, tmp_path):
    _valid_db(db)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    Path(f"{db}-journal").symlink_to(victim)
    store, message = open_store(db)
    store.record_attempt(store.profile(), "starter", attempt("lost"), 1)
    store.close()
    assert victim.read_text() == "precious"
    assert "progress.db-journal" in message
    assert not Path(f"{db}-journal").is_symlink()


def test_a_journal_without_its_database_is_moved_aside_not_played_into_a_new_one(db):
    db.parent.mkdir(parents=True)
    Path(f"{db}-journal").write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + os.urandom(2000))
    store, message = open_store(db)
    assert "has no database" in message and store.saving
    kept = [p.name for p in db.parent.iterdir() if p.name.endswith("-journal")]
    assert len(kept) == 1 and kept[0].startswith("progress.db.corrupt-")


def test_a_database_from_a_newer_fruitnet_is_refused_and_left_byte_for_byte(db):
    _valid_db(db)
    with sqlite3.connect(db) as newer:
        newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    newer.close()
    before, mtime = db.read_bytes(), db.stat().st_mtime_ns
    store, message = open_store(db)
    assert message is not None and "newer FruitNet" in message and "not being saved" in message
    assert not store.saving
    assert store.record_attempt(store.profile(), "starter", attempt("lost"), 1) is None  # told once
    store.close()
    assert db.read_bytes() == before and db.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in db.parent.iterdir()) == ["progress.db"]


def _wal_database(path: Path, user_version: int, application_id: int) -> None:
    """A WAL-mode database whose last commit is still only in its -wal file (as after a crash)."""
    code = (f"import sqlite3, os; d = sqlite3.connect({str(path)!r}, isolation_level=None); "
            "d.execute('PRAGMA journal_mode = WAL'); d.execute('PRAGMA wal_autocheckpoint = 0'); "
            f"d.execute('PRAGMA application_id = {application_id}'); "
            "d.execute('CREATE TABLE t (x)'); d.execute('PRAGMA wal_checkpoint'); "
            f"d.execute('PRAGMA user_version = {user_version}'); d.execute('INSERT INTO t VALUES (99)'); "
            "os._exit(0)")  # no close: a clean close would fold the -wal into the file
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_newer_fruitnets_wal_database_is_left_byte_for_byte_with_its_wal(db):
    db.parent.mkdir(parents=True)
    _wal_database(db, SCHEMA_VERSION + 1, APPLICATION_ID)
    files = {p.name: p.read_bytes() for p in db.parent.iterdir()}
    assert "progress.db-wal" in files
    store, message = open_store(db)
    store.close()
    assert "newer FruitNet" in message
    assert {p.name: p.read_bytes() for p in db.parent.iterdir()} == files


def test_a_stray_wal_beside_the_database_goes_aside_unread(db, tmp_path):
    store, _ = open_store(db)
    store.record_attempt(store.profile("Anna"), "starter", attempt("lost"), 1)
    store.close()
    other = tmp_path / "other.db"
    _wal_database(other, 1, APPLICATION_ID)
    Path(f"{db}-wal").write_bytes(Path(f"{other}-wal").read_bytes())
    store, message = open_store(db)
    assert "progress.db-wal" in message and "aside" in message
    assert [r.seconds for r in store.attempts(store.profile("Anna"))] == [1.0]
    assert any(p.name.startswith("progress.db-wal.stray-") for p in db.parent.iterdir())


def test_opening_never_raises_whatever_is_in_the_way(db, tmp_path):
    (tmp_path / "data").write_text("a file where the data folder belongs")
    store, message = open_store(db)
    assert not store.saving and "not being saved" in message
    assert store.profile("Anna").id == 0 and store.level_progress(store.profile(), "x") == {}
    assert store.record_attempt(store.profile(), "starter", attempt("lost"), 1) is None


def test_stale_temporary_databases_from_a_killed_first_start_are_removed(db, tmp_path):
    db.parent.mkdir(parents=True)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = db.parent / f".progress-new-{dead}-abc123.db"
    stale.write_bytes(b"half made")
    lure = db.parent / f".progress-new-{dead}-def456.db"
    lure.symlink_to(tmp_path / "not-ours.txt")
    young = db.parent / f".progress-new-{os.getppid()}-0a0b.db"  # a live process's, just made
    young.write_bytes(b"in use")
    open_store(db)
    assert not stale.exists() and lure.is_symlink() and young.exists()


# ---------------------------------------------------------------- migrations
def test_migrating_a_version_1_database_forward_keeps_every_record(db):
    store, _ = open_store(db)
    store.record_attempt(store.profile("Anna"), "starter", attempt("steps_star_only"), 7)
    before = store.attempts(store.profile("Anna"))
    store.close()
    later = MIGRATIONS + (("ALTER TABLE attempts ADD COLUMN note TEXT NOT NULL DEFAULT ''",),)
    con = sqlite3.connect(db, isolation_level=None)
    assert migrate(con, later) == 2
    assert con.execute("PRAGMA user_version").fetchone()[0] == 2
    assert con.execute("SELECT count(*), min(note) FROM attempts").fetchone() == (1, "")
    con.execute("PRAGMA user_version = 1")  # back to what this FruitNet reads (the column stays)
    con.close()
    again, _ = open_store(db)
    assert again.attempts(again.profile()) == before


def test_a_failing_migration_step_leaves_the_old_version_whole(db):
    open_store(db)[0].close()
    broken = MIGRATIONS + (("CREATE TABLE extra (x)", "THIS IS NOT SQL"),)
    con = sqlite3.connect(db, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError):
        migrate(con, broken)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'extra'").fetchone()[0] == 0
    assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_the_journal_is_a_rollback_journal_so_the_file_alone_is_complete(db):
    store, _ = open_store(db)
    store.record_attempt(store.profile(), "starter", attempt("lost"), 1)
    assert sorted(p.name for p in db.parent.iterdir()) == ["progress.db"]  # no -wal, no -shm
    copy = db.parent / "copy.db"
    copy.write_bytes(db.read_bytes())  # what a student copying one file takes away
    with sqlite3.connect(copy) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert con.execute("SELECT count(*) FROM attempts").fetchone()[0] == 1
    con.close()


# ---------------------------------------------------------------- read-only and full disks
def test_a_full_disk_stops_saving_with_one_message_and_keeps_earlier_records(db):
    store, _ = open_store(db)
    me = store.profile()
    assert store.record_attempt(me, "starter", attempt("lost"), 1) is None
    pages = store._db.execute("PRAGMA page_count").fetchone()[0]
    store._db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite reports SQLITE_FULL past this
    messages = [store.record_attempt(me, "starter", attempt("fruit_star_only"), 2) for _ in range(10)]
    said = [m for m in messages if m]
    assert len(said) == 1 and "disk" in said[0] and "full" in said[0] and "Play continues" in said[0]
    assert not store.saving and "full" in store.status
    saved = messages.index(said[0])
    store.close()
    again, _ = open_store(db)
    assert [r.seconds for r in again.attempts(again.profile())] == [1.0] + [2.0] * saved
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_a_database_that_refuses_writes_stops_saving_but_still_shows_progress(db):
    store, _ = open_store(db)
    me = store.profile()
    store.record_attempt(me, "starter", attempt("steps_star_only"), 1)
    store._db.execute("PRAGMA query_only = 1")  # SQLite answers SQLITE_READONLY, as for a locked file
    message = store.record_attempt(me, "starter", attempt("lost"), 1)
    assert "read-only" in message and "Play continues" in message
    assert store.record_attempt(me, "starter", attempt("lost"), 1) is None
    assert store.level_progress(me, "starter")["first-harvest"].attempts == 1


@pytest.fixture
def read_only(tmp_path):
    """Make a folder read-only for real: chmod, or as root `chattr +i`; skip where neither holds."""
    made = []

    def make(folder: Path) -> None:
        folder.chmod(0o555)
        made.append(("chmod", folder))
        if _writable(folder) and os.geteuid() == 0:
            if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0:
                made.append(("chattr", folder))
        if _writable(folder):
            pytest.skip("cannot make a folder read-only here")

    yield make
    for how, folder in reversed(made):
        if how == "chattr":
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        else:
            folder.chmod(0o755)


def _writable(folder: Path) -> bool:
    probe = folder / ".probe"
    try:
        probe.write_text("x")
    except OSError:
        return False
    probe.unlink()
    return True


def test_a_read_only_folder_is_said_once_at_the_start_and_play_goes_on(db, read_only):
    store, _ = open_store(db)
    me = store.profile()
    store.record_attempt(me, "starter", attempt("steps_star_only"), 1)
    store.close()
    read_only(db.parent)
    store, message = open_store(db)
    assert message is not None and "read-only" in message and "\n" not in message
    assert store.level_progress(store.profile(), "starter")["first-harvest"].won
    assert store.record_attempt(store.profile(), "starter", attempt("lost"), 1) is None
    assert store.profile("New student").id == 0


def test_a_read_only_folder_without_a_database_still_lets_the_game_start(db, read_only):
    db.parent.mkdir(parents=True)
    read_only(db.parent)
    store, message = open_store(db)
    assert "read-only" in message and not store.saving
    assert store.profile().name == "Player" and store.attempts(store.profile()) == []


# ---------------------------------------------------------------- reset
def test_reset_keeps_the_old_database_as_a_backup_and_starts_empty(db):
    _valid_db(db)
    before = db.read_bytes()
    kept, message = reset_progress(db, clock=Clock())
    assert kept is not None and kept.read_bytes() == before and str(kept) in message
    assert kept.name.startswith("progress.db.reset-") and not db.exists()
    store, message = open_store(db)
    assert message is None and store.profiles() == []
    assert reset_progress(tmp := db.parent / "none.db")[0] is None and not tmp.exists()


# ---------------------------------------------------------------- the command
@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("FRUITNET_DATA_DIR", str(tmp_path / "d"))
    return tmp_path / "d"


def test_the_progress_command_prints_the_campaign_and_what_was_played(data, capsys):
    from game.cli import main
    assert main(["progress"]) == 0
    assert "No progress saved yet" in capsys.readouterr().out
    store, _ = ProgressStore.open()
    store.record_attempt(store.profile("Anna"), "starter", attempt("steps_star_only"), 3725)
    store.record_attempt(store.profile("Anna"), "starter", attempt("fruit_star_only"), 60)
    store.profile("Ben")
    store.close()
    assert main(["progress", "--profile", "anna"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("Progress of Anna")
    assert lines[2].split() == ["pack", "level", "won", "stars", "best", "steps", "best", "fruit",
                                "attempts", "time", "played"]
    assert any(line.split()[:2] == ["ch1-scale", "tip-the-scale"] and line.split()[2] == "-"
               for line in lines)
    [row] = [line.split() for line in lines if line.startswith("starter")]
    assert row == ["starter", "first-harvest", "yes", "★★★", "232", "2", "2", "1", "h", "03", "min"]
    assert "Other profiles: Ben" in out
    assert main(["progress", "--profile", "Nobody"]) == 1


def test_reset_asks_first_and_keeps_a_backup(data, capsys, monkeypatch):
    import io

    from game.cli import main
    store, _ = ProgressStore.open()
    store.record_attempt(store.profile(), "starter", attempt("lost"), 1)
    store.close()
    monkeypatch.setattr("sys.stdin", io.StringIO("no\n"))
    assert main(["progress", "--reset"]) == 1
    assert "Nothing was reset" in capsys.readouterr().out and (data / "progress.db").exists()
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))
    assert main(["progress", "--reset"]) == 0
    assert "kept as" in capsys.readouterr().out and not (data / "progress.db").exists()
    [backup] = [p for p in data.iterdir() if p.name.startswith("progress.db.reset-")]
    with sqlite3.connect(backup) as con:
        assert con.execute("SELECT count(*) FROM attempts").fetchone()[0] == 1
    con.close()
    ProgressStore.open()[0].close()
    assert main(["progress", "--reset", "--yes"]) == 0
    assert len([p for p in data.iterdir() if p.name.startswith("progress.db.reset-")]) == 2
