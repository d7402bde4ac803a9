"""Kill -9 a process that keeps saving one sandbox level, and check the folder after every kill.

    python scripts/save_kill_loop.py --rounds 200 [--seed N] [--folder DIR]

Each round starts a child Python that saves the same level name over and over,
each version different (overwrite=True, as after the player confirms), and
kills it with SIGKILL at a random moment. Then it checks that the level file
is absent (before the first save) or loads and validates, that every backup
loads and at most BACKUPS_KEPT exist, and that no file outside the levels
folder changed (the folder holds symlinks planted to lure a save outside).
Finally it saves once more in this process and checks that the save removed
every temporary file the killed child left. Prints the figures; exit status 1
on any failure. tests/test_saves.py runs a short version of the same loop.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.core.attempt import Attempt  # noqa: E402
from game.core.levels import load_level  # noqa: E402
from game.core.sandbox import BACKUPS_KEPT, Preset, level_document, sandbox_level, save_level  # noqa: E402

NAME = "Kill loop"
FILE = "kill-loop.toml"
# The child: build one document, say "ready", then save new versions until killed.
CHILD = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from scripts.save_kill_loop import document
from game.core.sandbox import save_level
folder, version = Path(sys.argv[1]), int(sys.argv[3])
print("ready", flush=True)
while True:
    version += 1
    save_level(document(version), folder, overwrite=True)
"""


def document(version: int) -> dict:
    """A valid level document whose content (and size) changes with `version`."""
    attempt = Attempt(sandbox_level(Preset("clusters", 20, 0.05)), free_play=True)
    for k in range(version % 60):  # a different number of fruit each time: sizes vary
        attempt.add_point((k * 0.37) % 1.0, (k * 0.61) % 1.0, k % 2)
    result = level_document(attempt, Preset("clusters", 20, 0.05), NAME)
    result["story"] = f"Version {version} of a level saved over and over."
    return result


@dataclass
class Figures:
    """What the loop saw."""

    rounds: int = 0
    versions_saved: int = 0  # versions the children completed before being killed
    leftover_temp_files: int = 0  # found after kills, before the next save cleaned them
    rounds_with_leftovers: int = 0
    most_backups: int = 0
    failures: list[str] = field(default_factory=list)


def set_up(root: Path) -> tuple[Path, dict]:
    """The levels folder, with symlinks into `root/outside`; and a snapshot of everything outside."""
    folder, outside = root / "levels", root / "outside"
    folder.mkdir(parents=True)
    outside.mkdir()
    (outside / "victim.toml").write_text("must never change\n")
    (folder / ".saving-planted.toml").symlink_to(outside / "victim.toml")
    (folder / "decoy.toml.1.bak").symlink_to(outside / "victim.toml")
    return folder, snapshot_outside(root, folder)


def snapshot_outside(root: Path, folder: Path) -> dict:
    """Hash and mtime of every file under `root` except in the levels folder."""
    return {str(p.relative_to(root)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file() and folder not in p.parents
            and not p.is_symlink()}


def temp_files(folder: Path) -> list[Path]:
    """Regular temporary files of a save (the planted symlink does not count)."""
    return [p for p in folder.glob(".saving-*") if p.is_file() and not p.is_symlink()]


def check_folder(folder: Path) -> int:
    """Raise AssertionError if the level or a backup is broken; the newest version found."""
    target = folder / FILE
    version = 0
    if target.exists():
        level = load_level(target)  # raises LevelError if torn or invalid
        version = int(level.story.split()[1])
    backups = sorted(folder.glob(f"{FILE}.*.bak"))
    assert len(backups) <= BACKUPS_KEPT, f"{len(backups)} backups, expected at most {BACKUPS_KEPT}"
    for backup in backups:
        assert not backup.is_symlink(), f"{backup} is a symlink"
        load_level(backup)
    assert (folder / ".saving-planted.toml").is_symlink(), "the planted symlink was removed"
    return version


def kill_one(folder: Path, rng: random.Random, start: int, longest: float) -> None:
    """Start a saving child and SIGKILL it after a random time of up to `longest` seconds."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(folder), str(ROOT), str(start)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        if child.stdout.readline().strip() != "ready":
            raise RuntimeError(f"the saving child did not start: {child.stderr.read()[-300:]}")
        time.sleep(rng.uniform(0, longest))
        if child.poll() is not None:
            raise RuntimeError(f"the saving child died by itself: {child.stderr.read()[-300:]}")
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()  # reaped, so its process id is known to be gone
        child.stdout.close()
        child.stderr.close()


def one_round(root: Path, folder: Path, before: dict, rng: random.Random, figures: Figures,
              longest: float) -> None:
    """Kill a saving child, check the folder, then check that the next save cleans up."""
    start = check_folder(folder)
    kill_one(folder, rng, start, longest)
    version = check_folder(folder)
    figures.versions_saved += version - start
    left = temp_files(folder)
    figures.leftover_temp_files += len(left)
    figures.rounds_with_leftovers += bool(left)
    figures.most_backups = max(figures.most_backups, len(list(folder.glob(f"{FILE}.*.bak"))))
    assert snapshot_outside(root, folder) == before, "a file outside the levels folder changed"
    save_level(document(version + 1), folder, overwrite=True)
    assert not temp_files(folder), f"the next save left {temp_files(folder)}"
    check_folder(folder)


def run(rounds: int, root: Path, seed: int, longest: float = 0.08) -> Figures:
    """The whole loop in `root` (a fresh folder); failures are collected, not raised."""
    rng, figures = random.Random(seed), Figures()
    folder, before = set_up(root)
    for k in range(rounds):
        try:
            one_round(root, folder, before, rng, figures, longest)
        except Exception as error:  # noqa: BLE001 - every kind of failure is a finding
            figures.failures.append(f"round {k + 1}: {type(error).__name__}: {error}")
        figures.rounds += 1
    return figures


def main(argv: list[str] | None = None) -> int:
    """Run the loop and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--folder", type=Path, default=None,
                        help="an empty folder to work in (default: a new temporary folder)")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    root = args.folder or Path(tempfile.mkdtemp(prefix="fruitnet-kill-loop-"))
    started = time.monotonic()
    figures = run(args.rounds, root, seed)
    print(f"seed {seed}, folder {root}, {time.monotonic() - started:.1f} s")
    print(f"rounds {figures.rounds}, kills {figures.rounds}, versions saved by children "
          f"{figures.versions_saved}")
    print(f"temp files left by kills {figures.leftover_temp_files} (in "
          f"{figures.rounds_with_leftovers} rounds), all removed by the next save")
    print(f"most backups at once {figures.most_backups} (kept: {BACKUPS_KEPT})")
    print(f"failures {len(figures.failures)}")
    for failure in figures.failures[:20]:
        print("  " + failure)
    return 1 if figures.failures else 0


if __name__ == "__main__":
    sys.exit(main())
