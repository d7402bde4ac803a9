"""The part of `check --solve` that proves a level's lesson; every failure is a "FAIL:" line.

A level fails when its starting weights already sort the orchard up to the
output bias, when a win comes in fewer than `expect.min_steps` steps, when its
fastest win does not keep the target afterwards (a fly-by), when an adversary
it names wins, or when an `[expect]` fact does not hold. Wins are re-played
through the game before a failure is reported.
"""

from __future__ import annotations

import dataclasses

from game.core import autoplay
from game.core.adversaries import attack
from game.core.lesson_checks import (
    FLY_BY_STEPS,
    accuracy_at_budget_end,
    held_after_win,
    start_accuracy_up_to_bias,
)
from game.core.levels import Level


def lesson_lines(level: Level, plays: list[autoplay.Play]) -> list[str]:
    """Report lines for `level`, given its sweep `plays` (the fastest win confirmed)."""
    expect = level.expect
    lines = _start_lines(level)
    attacks = attack(level)
    lines.append("  adversaries: " + ", ".join(
        f"{a.name.replace('_', ' ')} {a.wins}/{a.runs}"
        + (f" (fastest {_steps(a.fastest.steps)}"
           + ("" if a.name in expect.adversaries_lose else ", allowed here") + ")" if a.fastest else "")
        for a in attacks if a.runs))  # an adversary with nothing to play here is left out
    for a in attacks:
        if a.name in expect.adversaries_lose and a.fastest is not None:
            lines.append(f"  FAIL: the {a.name.replace('_', ' ')} player wins ({_setting(a.fastest)}, "
                         f"{_steps(a.fastest.steps)}), but the level says it must lose")
    wins = [p for p in plays if p.won] + [a.fastest for a in attacks if a.fastest is not None]
    if wins and (quickest := min(wins, key=lambda p: p.steps)).steps < expect.min_steps:
        lines.append(f"  FAIL: won in {_steps(quickest.steps)} ({_setting(quickest)}), fewer than "
                     f"min_steps = {expect.min_steps}: a lucky step, not a lesson")
    confirmed = [p for p in plays if p.won and p.attempt is not None]
    if confirmed:
        fastest = min(confirmed, key=lambda p: p.steps)
        share = held_after_win(level, fastest)
        lines.append(f"  after the fastest win, the target held on {share:.0%} of the next "
                     f"{FLY_BY_STEPS} steps")
        if share < expect.min_held_share:
            lines.append(f"  FAIL: a fly-by win: the target held on only {share:.0%} of the steps "
                         f"after it (min_held_share = {expect.min_held_share:g})")
        if expect.late_harvest_loses:
            lines += _late_harvest_lines(level, fastest)
    return lines + _expect_lines(level, plays)


def _start_lines(level: Level) -> list[str]:
    accuracy, (size, layers) = start_accuracy_up_to_bias(level)
    line = (f"  starting weights: at best {accuracy:.0%} of the orchard by moving the output bias "
            f"alone (hidden {_hidden(size, layers)})")
    if accuracy < level.target_accuracy:
        return [line]
    return [line, f"  FAIL: the starting weights already sort the orchard up to the output bias "
                  f"({accuracy:.0%} ≥ target {level.target_accuracy:.0%}): any fruit that nudges "
                  "the bias wins"]


def _expect_lines(level: Level, plays: list[autoplay.Play]) -> list[str]:
    lines = []
    for rule in level.expect.never_wins:
        covered = [p for p in plays if p.won and rule.covers(p.lr, p.hidden_size, p.hidden_layers)]
        for candidate in sorted(covered, key=lambda p: p.steps):
            again = autoplay.play(level, candidate.lr, candidate.hidden_size,
                                  candidate.hidden_layers)
            if again.won:
                lines.append(f"  FAIL: [expect] never_wins {rule.describe()}: {_setting(again)} "
                             f"wins in {again.steps} steps")
                break
    if level.expect.shake_needed:
        lines += _without_shake_lines(level)
    for must in level.expect.wins:
        played = autoplay.play(level, must.lr, must.hidden_size, must.hidden_layers)
        if played.won:
            lines.append(f"  [expect] wins {_setting(played)}: won in {played.steps} steps")
        else:
            lines.append(f"  FAIL: [expect] wins {_setting(played)}: not won within the budget")
    return lines


def _late_harvest_lines(level: Level, fastest: autoplay.Play) -> list[str]:
    """[expect] late_harvest_loses: the fastest win, trained on to the budget's end, misses."""
    final = accuracy_at_budget_end(level, fastest)
    line = (f"  the fastest win trained to the end of the budget ({level.step_budget:,} steps): "
            f"{final:.0%} (target {level.target_accuracy:.0%})")
    if final < level.target_accuracy:
        return [line]
    return [line, "  FAIL: [expect] late_harvest_loses: harvesting at the end of the budget still "
                  "wins, so when to harvest does not matter"]


def _without_shake_lines(level: Level) -> list[str]:
    """The sweep again, never shaking: [expect] shake_needed says nothing of it wins."""
    still = dataclasses.replace(level, controls=tuple(c for c in level.controls if c != "shake"))
    plays = autoplay.sweep(still)
    confirmed = [p for p in plays if p.won and p.attempt is not None]
    line = f"  without Shake: {sum(p.won for p in plays)}/{len(plays)} settings win"
    if not confirmed:
        return [line]
    best = min(confirmed, key=lambda p: p.steps)
    return [line, f"  FAIL: [expect] shake_needed: {_setting(best)} wins in {_steps(best.steps)} "
                  "without shaking"]


def _setting(play: autoplay.Play) -> str:
    return f"η = {play.lr:.3g}, hidden {_hidden(play.hidden_size, play.hidden_layers)}"


def _hidden(size: int, layers: int) -> str:
    return "none" if layers == 0 else "+".join([str(size)] * layers)


def _steps(n: int) -> str:
    return f"{n} step" if n == 1 else f"{n} steps"
