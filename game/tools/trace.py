"""`fruitnet trace LEVEL --steps N [--hidden 4,4] [--activation tanh] [--markdown]`.

Plays what `fruitnet shot` plays (the automatic player's fruit, the level's η,
its default network unless --hidden or --activation picks another one the level
allows) for N steps, and prints the last step's log: exactly the lines the play
screen's step log shows (both come from game/core/step_text.py), as UTF-8 text.
`--markdown` makes a handout instead: a heading, the level and its settings,
and the lines in a code block, so a teacher can print a step for a class to check
with a calculator. A "predict the nudge" question on the way is answered "up":
answers are scored but never change what the network learns.

Every bad argument (an unknown level, N < 1 or beyond the budget, a network
or activation the level does not offer, a level won before step N) is one line
on stderr and exit code 2, like argparse's own usage errors; stdout then stays
empty, so `fruitnet trace … > handout.md` never writes an error into a handout.
"""

from __future__ import annotations

import sys

from game.core.attempt import PLAYING, Attempt
from game.core.autoplay import choose_points
from game.core.levels import Level, LevelError, find_level
from game.core.step_text import step_lines
from game.resources import levels_dir

USAGE_ERROR = 2


class TraceError(ValueError):
    """The trace cannot be made; str() is the one-line reason."""


def hidden_choices(level: Level) -> list[str]:
    """The --hidden values the level allows: "0" for no hidden layer, else sizes per layer."""
    choices = []
    for layers in level.hidden_layers:
        choices += ["0"] if not layers else [",".join([str(size)] * layers)
                                             for size in level.hidden_sizes]
    return choices


def _one_of(choices: list[str]) -> str:
    return choices[0] if len(choices) == 1 else ", ".join(choices[:-1]) + " or " + choices[-1]


def _choose_network(attempt: Attempt, hidden: str | None, activation: str | None) -> None:
    """Apply --activation and --hidden, each only among what the level offers."""
    level = attempt.level
    if activation is not None and activation != attempt.activation:
        choices = list(attempt.activation_choices)
        if activation not in choices:
            raise TraceError(f"--activation: expected {_one_of(choices)} for level {level.id}, "
                             f"got {activation!r}")
        attempt.set_activation(activation)
    if hidden is not None:
        choices = hidden_choices(level)
        wanted = ",".join(part.strip() for part in hidden.split(","))
        if wanted not in choices:
            raise TraceError(f"--hidden: expected {_one_of(choices)} for level {level.id}, "
                             f"got {hidden!r}")
        layers = 0 if wanted == "0" else len(wanted.split(","))
        size = attempt.hidden_size if wanted == "0" else int(wanted.split(",")[0])
        if (size, layers) != (attempt.hidden_size, attempt.hidden_layers):
            attempt.set_hidden(size, layers)


def traced_attempt(level_spec: str, steps: int, hidden: str | None = None,
                   activation: str | None = None):
    """(attempt, trace of its last step) after `steps` steps on the autoplayer's fruit.

    The first steps - 1 run as one fast run, as in `fruitnet shot`, and the last
    one traced, so the weights are those the play screen shows after the same steps.
    """
    if steps < 1:
        raise TraceError(f"--steps: expected a whole number ≥ 1, got {steps}")
    level = find_level(level_spec, [levels_dir()])
    attempt = Attempt(level)
    for p in choose_points(level):
        attempt.add_point(p.x1, p.x2, p.label)
    _choose_network(attempt, hidden, activation)
    if steps > attempt.steps_left:
        raise TraceError(f"--steps: expected at most the level's {attempt.steps_left} steps, "
                         f"got {steps}")
    for n in (steps - 1, 1):
        while n > 0 and attempt.state == PLAYING:
            if attempt.quiz_book.waiting(attempt.steps_used) is not None:
                attempt.answer_quiz("up")
            result = attempt.step(n)
            if not result.ok or not result.steps:
                raise TraceError(f"{level.id}: step {attempt.steps_used + 1}: "
                                 f"{result.reason or 'the level took no step'}")
            n -= result.steps
        if attempt.state != PLAYING and attempt.steps_used < steps:
            raise TraceError(f"--steps: the level ended ({attempt.state.replace('_', ' ')}) "
                             f"after {attempt.steps_used} steps; expected at most that, "
                             f"got {steps}")
    return attempt, result.trace


def markdown(attempt: Attempt, lines: list[str]) -> str:
    """A handout: heading, level and settings, then the lines in a code block."""
    level, network = attempt.level, attempt.network
    shape = "-".join(map(str, network.layer_sizes))
    fruit = len(level.given) + len(attempt.points)
    body = "\n".join(lines)
    return (f"# {level.title}: step {attempt.steps_used}, traced\n\n"
            f"- Level: `{level.id}`, step {attempt.steps_used} of its {level.step_budget}\n"
            f"- Network: {shape}, hidden activation {network.activation}, "
            f"output σ, learning rate η = {attempt.lr:g}\n"
            f"- Fruit: the automatic player's {fruit}; L = ½(ŷ − y)², w ← w − η ∂L/∂w\n"
            "- Numbers to 3 significant figures; \"≈\" marks a product whose rounded "
            "factors do not multiply out to the rounded result.\n\n"
            f"```text\n{body}\n```\n")


def run_trace(level_spec: str, steps: int, hidden: str | None = None,
              activation: str | None = None, as_markdown: bool = False) -> int:
    """Print the last step's log; returns the exit code (2 with one line on stderr)."""
    try:
        attempt, trace = traced_attempt(level_spec, steps, hidden, activation)
    except (LevelError, TraceError) as error:
        print(str(error).splitlines()[0] if str(error) else type(error).__name__,
              file=sys.stderr)
        return USAGE_ERROR
    lines = [line.text for line in step_lines(trace, attempt.network.activation)]
    _write(markdown(attempt, lines) if as_markdown else "\n".join(lines) + "\n")
    return 0


def _write(text: str) -> None:
    """UTF-8 on stdout whatever the terminal's encoding (δ, ∂ and ⁽¹⁾ must survive)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()
