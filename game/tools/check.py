"""`fruitnet check PATH... [--solve]`: validate level files and pack folders.

Prints one line per file or error and exits 1 if anything was wrong, else 0.
A folder without a pack.toml of its own (such as `levels/`) stands for every
pack folder under it and every loose level file directly in it.
With --solve it also sweeps learning rate × hidden size with the automatic
player and prints steps-to-win, so an author can set star thresholds from
evidence. The sweep runs on the batch solver; the fastest win and the
fewest-fruit win, hence the printed par, are confirmed by playing them.
"""

from __future__ import annotations

import os
from pathlib import Path

from game.core.attempt import Attempt
from game.core.autoplay import survey
from game.core.fields import file_label
from game.core.levels import Level, LevelError, load_level, load_pack
from game.tools.lesson_report import lesson_lines

# `check /` must not walk the whole disk: a folder of packs this big is surely a mistake.
MAX_FOLDERS = 10_000


def _is_dir(path: Path) -> bool:
    """path.is_dir(), but False for names the system refuses (too long, NUL inside)."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _is_pack(folder: Path) -> bool:
    # lexists, not is_file: a pack.toml that is a FIFO or a folder is still meant as a pack,
    # and load_pack says what is wrong with it.
    return os.path.lexists(folder / "pack.toml")


def _targets(path: Path) -> list[Path]:
    """What `check PATH` checks: the path itself, or, for a folder holding no pack.toml,
    every pack folder under it (sorted, at any depth) and then its loose *.toml files."""
    if not _is_dir(path) or _is_pack(path):
        return [path]
    packs = [folder for folder in _subfolders(path) if _is_pack(folder)]
    loose = [path / name for name, is_dir in _entries(path) if name.endswith(".toml")
             and not is_dir]
    if not packs and not loose:
        raise LevelError(f"{file_label(path)}: expected a level file, a pack folder or a folder "
                         "of packs, got a folder with no pack.toml and no .toml file in it")
    return packs + loose


def _subfolders(root: Path) -> list[Path]:
    """Every folder under root, sorted. A folder reached twice (a symlink loop) is entered once.

    Hidden folders (.git, .venv) are skipped. Iterative, so depth cannot exhaust the stack.
    """
    found, stack, seen = [], [root], {_identity(root)}
    while stack:
        folder = stack.pop()
        children = [folder / name for name, is_dir in _entries(folder)
                    if is_dir and _identity(folder / name) not in seen]
        seen.update(_identity(child) for child in children)
        found.extend(children)
        stack.extend(children)
        if len(found) > MAX_FOLDERS:
            raise LevelError(f"{file_label(root)}: expected a folder of packs with at most "
                             f"{MAX_FOLDERS} folders under it, got more")
    return sorted(found)


def _identity(folder: Path) -> tuple[int, int]:
    """Which folder this is, however it was reached (stat follows symlinks)."""
    try:
        info = folder.stat()
    except OSError as error:
        raise LevelError(f"{file_label(folder)}: cannot read the folder "
                         f"({error.strerror or error})") from None
    return info.st_dev, info.st_ino


def _entries(folder: Path) -> list[tuple[str, bool]]:
    """(name, is a folder) for each visible entry of folder, sorted by name."""
    try:
        with os.scandir(folder) as scan:
            return sorted((e.name, e.is_dir()) for e in scan if not e.name.startswith("."))
    except OSError as error:
        raise LevelError(f"{file_label(folder)}: cannot read the folder "
                         f"({error.strerror or error})") from None


def _levels_at(path: Path) -> list[Level]:
    if _is_dir(path) and _is_pack(path):
        return list(load_pack(path).levels)
    return [load_level(path)]  # anything else, a folder too, gets load_level's one-line refusal


def describe_hidden(play) -> str:
    """'none', '3' or '3+3': the hidden layers of a play, as a player would say it."""
    if play.hidden_layers == 0:
        return "none"
    return "+".join([str(play.hidden_size)] * play.hidden_layers)


def solve_report(level: Level) -> list[str]:
    """Lines of the sweep table for one level."""
    rule = {"hold": f"held {level.hold_steps} steps", "harvest": "harvest",
            "first": "first step"}[level.win]
    lines = [f"  {level.id}: steps to win (target {level.target_accuracy:.0%} {rule}, "
             f"budget {level.step_budget}, par {level.par_steps} steps and "
             f"{level.par_fruit} fruit)"]
    start = Attempt(level).accuracy
    if start >= level.target_accuracy:
        lines.append(f"  WARNING: already won before the first step ({start:.0%})")
    plays, fewest = survey(level)
    for play in plays:
        result = f"{play.steps:>6} steps" if play.won else "   not won"
        # A win replayed through the game itself is starred; the others are the batch
        # solver's figures, which a chaotic run may miss by a few steps.
        played = " *" if play.won and play.attempt is not None else ""
        lines.append(f"    η = {play.lr:<7.3g} hidden {describe_hidden(play):<7}: {result}{played}")
    # Only played wins count here: sweep confirms the fastest, so it is among them.
    confirmed = sorted(p.steps for p in plays if p.won and p.attempt is not None)
    if not confirmed or fewest is None:
        return [*lines, "  WARNING: no setting won"]
    lines.append(f"  fastest win: {confirmed[0]} steps; fewest fruit to win: {fewest.points} "
                 f"(η = {fewest.lr:.3g}, hidden {describe_hidden(fewest)})")
    lines.append(f"  the solver's par: par_steps = {confirmed[0]}, par_fruit = {fewest.points}"
                 "  (* = replayed through the game)")
    return lines + lesson_lines(level, plays)


def run_check(paths: list[str], solve: bool = False) -> int:
    """Check every path; returns the exit code (1 if any error)."""
    failed = False
    for name in paths:
        try:
            targets = _targets(Path(name))
        except LevelError as error:
            print(error)
            failed = True
            continue
        for target in targets:
            failed = _check_one(target, file_label(name if target == Path(name) else target),
                                solve) or failed
    return 1 if failed else 0


def _check_one(path: Path, shown: str, solve: bool) -> bool:
    """Check one level file or pack folder and print its lines; True if anything was wrong."""
    try:
        levels = _levels_at(path)
    except LevelError as error:
        print(error)
        return True
    print(f"{shown}: OK ({len(levels)} level{'s' if len(levels) != 1 else ''})")
    failed = False
    if solve:
        for level in levels:
            lines = solve_report(level)
            print("\n".join(lines))
            failed = failed or any("WARNING" in line or "FAIL:" in line for line in lines)
    return failed


def solver_figures() -> dict[str, float]:
    """For `fruitnet bench`: the solver's speed.

    solve_campaign_s: wall time of `check --solve` over every shipped pack;
    solver_run_steps_per_s: batch run-steps per second at K = 512 (2-8-1 σ, 60 fruit).
    """
    import contextlib
    import io
    import time

    from game.core.batch_train import run_steps_per_s
    from game.resources import levels_dir

    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        run_check([str(levels_dir())], solve=True)
    campaign = time.perf_counter() - start
    return {"solve_campaign_s": round(campaign, 2),
            "solver_run_steps_per_s": round(run_steps_per_s(512))}
