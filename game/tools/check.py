"""`fruitnet check PATH... [--solve]`: validate level files and pack folders.

Prints one line per file or error and exits 1 if anything was wrong, else 0.
With --solve it also sweeps learning rate × hidden size with the automatic
player and prints steps-to-win, so an author can set star thresholds from
evidence.
"""

from __future__ import annotations

from pathlib import Path

from game.core.autoplay import sweep
from game.core.attempt import Attempt
from game.core.levels import Level, LevelError, load_level, load_pack


def _levels_at(path: Path) -> list[Level]:
    if path.is_dir():
        if (path / "pack.toml").is_file():
            return list(load_pack(path).levels)
        raise LevelError(f"{path}: expected a level file or a pack folder with pack.toml, "
                         "got a folder without one")
    return [load_level(path)]


def describe_hidden(play) -> str:
    """'none', '3' or '3+3': the hidden layers of a play, as a player would say it."""
    if play.hidden_layers == 0:
        return "none"
    return "+".join([str(play.hidden_size)] * play.hidden_layers)


def solve_report(level: Level) -> list[str]:
    """Lines of the sweep table for one level."""
    lines = [f"  {level.id}: steps to win (target {level.target_accuracy:.0%}, "
             f"budget {level.step_budget}, ★★ ≤ {level.two_star_steps}, "
             f"★★★ ≤ {level.three_star_steps})"]
    start = Attempt(level).accuracy
    if start >= level.target_accuracy:
        lines.append(f"  WARNING: already won before the first step ({start:.0%})")
    plays = sweep(level)
    for play in plays:
        result = f"{play.steps:>6} steps" if play.won else "   not won"
        lines.append(f"    η = {play.lr:<7.3g} hidden {describe_hidden(play):<7}: {result}")
    wins = sorted(p.steps for p in plays if p.won)
    lines.append(f"  fastest win: {wins[0]} steps" if wins else "  WARNING: no setting won")
    return lines


def run_check(paths: list[str], solve: bool = False) -> int:
    """Check every path; returns the exit code (1 if any error)."""
    failed = False
    for name in paths:
        try:
            levels = _levels_at(Path(name))
        except LevelError as error:
            print(error)
            failed = True
            continue
        print(f"{name}: OK ({len(levels)} level{'s' if len(levels) != 1 else ''})")
        if solve:
            for level in levels:
                lines = solve_report(level)
                print("\n".join(lines))
                failed = failed or any("WARNING" in line for line in lines)
    return 1 if failed else 0
