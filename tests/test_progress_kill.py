"""Kill -9 while attempts are being saved: at most that attempt is lost, earlier ones never.

Runs a short version of scripts/progress_kill_loop.py (see there for the checks);
run the script itself for a long loop.
"""

from __future__ import annotations

import importlib.util
import signal
import sqlite3
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _kill_loop():
    """scripts/progress_kill_loop.py as a module, registered in sys.modules as its dataclass needs."""
    if "progress_kill_loop" not in sys.modules:
        path = ROOT / "scripts" / "progress_kill_loop.py"
        spec = importlib.util.spec_from_file_location("progress_kill_loop", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return sys.modules["progress_kill_loop"]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kill_9_while_recording_attempts_never_loses_or_damages_an_earlier_record(tmp_path):
    figures = _kill_loop().run(rounds=30, root=tmp_path, seed=20261203, longest=0.1)
    assert figures.failures == []
    assert figures.rounds == 30 and figures.records_saved > 60, "the children really were saving"
    # The loop proves something only if kills land inside transactions; about two in three do.
    assert figures.hot_journals >= 3


def _saved(loop, path: Path, count: int) -> None:
    """Record `count` attempts as the children do, in this process."""
    store, _ = loop.ProgressStore.open(path)
    profile, attempts = store.profile(loop.PROFILE), loop.sample_attempts()
    for seq in range(1, count + 1):
        assert store.record_attempt(profile, loop.PACK, attempts[seq % len(attempts)], float(seq)) is None
    store.close()


def test_the_check_notices_a_lost_record(tmp_path):
    loop = _kill_loop()
    path = tmp_path / "progress.db"
    _saved(loop, path, 5)
    assert loop.check(path, 5) == 5
    assert loop.check(path, 4) == 5  # one commit may finish unreported
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM attempts WHERE seconds = 3")
    db.close()
    with pytest.raises(AssertionError, match="missing"):
        loop.check(path, 4)


def test_the_check_notices_a_changed_replay(tmp_path):
    loop = _kill_loop()
    path = tmp_path / "progress.db"
    _saved(loop, path, 3)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE attempts SET replay = replace(replay, '\"step\"', '\"STEP\"') WHERE seconds = 2")
    db.close()
    with pytest.raises(AssertionError, match="replay differs"):
        loop.check(path, 3)
