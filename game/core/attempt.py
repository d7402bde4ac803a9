"""An Attempt: one try at a level, with the game's rules.

The training set is the level's given points followed by the player's points,
in the order they were placed. Every action either happens, and is appended to
`log` (the replay), or is refused with a reason the screen can show; an action
never raises for a rule the player broke.

Sample order: each step draws u ∈ [0, 1) from a generator seeded by the level's
init seed, and trains on training-set row ⌊u·N⌋. The draws are fixed in advance,
so the "current sample" (the next one) is known before the step and follows the
training set as the player edits it; the same actions always give the same
weights, bit for bit.

Winning: after every single step the orchard accuracy (ŷ ≥ ½ counts as 🍓) is
measured. How it wins depends on the level's rule (`level.win`):
- "hold": the accuracy has stayed at or above the target for `hold_steps`
  consecutive steps. One-sample SGD often sweeps the boundary through the
  target for a single step; a held win needs a network that has really
  learned. Rebuilding or editing the network starts the count again.
- "harvest": the player calls `harvest()` when they judge the network ready;
  the orchard is scored once, then. A failed harvest ends the attempt (the
  fruit are picked): judging when to stop is the lesson, so it must cost.
  Running out of steps leaves only the harvest to do.
- "first": the first step that reaches the target wins (for a level where
  one step is the lesson).
A win ends the action at once, so "Train ×100" never overshoots it. Using the
last step without winning is "out of steps". In free play (the sandbox) there
are no budgets and no end, the network's activation can change and single
weights can be edited. Where the level offers it (see level_controls.py),
`shake()` adds a small seeded noise to the weights.

Stars are two separate challenges, as in Human Resource Machine: a win earns
★, and one more ★ each for winning within the level's par of steps and within
its par of placed fruit. Nothing rewards fruit left unused, which would pay
for winning with one lucky fruit.

The log is kept canonical as it grows (see game/core/action_log.py), so hours
of "Auto" in the sandbox stay one entry.
"""

from __future__ import annotations

import math

import numpy as np

from game.core import action_log
from game.core.attempt_fruit import FruitActions
from game.core.attempt_network import NetworkChoices
from game.core.attempt_records import HistoryEntry, Outcome, Result, trace_summary
from game.core.level_controls import CONTROLS, shake_network
from game.core.level_quiz import QuizBook, nudge_sizes
from game.core.levels import Level, Point
from game.core.net import half_squared_error
from game.core.sample_order import SampleDraws
from game.core.sandbox_limits import SANDBOX_LIMITS

PLAYING, WON, OUT_OF_STEPS, HARVEST_FAILED = "playing", "won", "out_of_steps", "harvest_failed"
FREE_PLAY_LIMIT = 10**9  # "no budget": steps and fruit left in free play
FREE_PLAY_HISTORY = 20_000  # steps of history kept in free play


class Attempt(FruitActions, NetworkChoices):
    """One try at `level`. Read its state; change it only through the action methods."""

    log_rules = action_log  # how the log is written; a test swaps in a verbatim one

    def __init__(self, level: Level, free_play: bool = False) -> None:
        self.level = level
        self.free_play = free_play
        self.activation = level.activation
        self.points: list[Point] = []
        self.given_removed = [False] * len(level.given)  # removable given fruit taken out
        self.lr = level.lr_default
        self.hidden_size = level.default_hidden_size
        self.hidden_layers = level.default_hidden_layers
        self.steps_used = 0
        self.state = PLAYING
        self.held = 0  # consecutive steps at or above the target, for win = "hold"
        self.quiz_book = QuizBook(level.quizzes)
        self._turn = 0  # steps since the network was built, for order = "placed"
        self.shakes = 0  # never reset, so no two shakes of an attempt draw the same noise
        self.log: list[dict] = []
        self.history: list[HistoryEntry] = []
        self.orchard_X, self.orchard_y = level.orchard.arrays()
        # What the field draws: the orchard itself, unless the level shows other fruit.
        self.shown_X, self.shown_y = (level.shown.arrays() if level.shown is not None
                                      else (self.orchard_X, self.orchard_y))
        self.network = self._fresh_network()
        self._fresh = True  # no step or weight edit since the network was (re)built
        self._draws = SampleDraws(level.init_seed)
        self._orchard_is_strawberry = self.orchard_y == 1
        self._training: tuple[np.ndarray, np.ndarray] | None = None
        self._measured_points: np.ndarray | None = None  # training rows, then orchard rows
        self.accuracy = self._orchard_accuracy()

    # ------------------------------------------------------------- reading
    @property
    def steps_left(self) -> int:
        if self.free_play:
            return FREE_PLAY_LIMIT
        return self.level.step_budget - self.steps_used

    @property
    def points_left(self) -> int:
        if self.free_play:
            return FREE_PLAY_LIMIT
        return self.level.point_budget - len(self.points)

    def training_set(self) -> tuple[np.ndarray, np.ndarray]:
        """X (N, 2) and y (N,): the given points, then the player's."""
        if self._training is None:
            pts = self.given_in_play() + self.points
            X = np.array([[p.x1, p.x2] for p in pts], dtype=np.float64).reshape(-1, 2)
            y = np.array([p.label for p in pts], dtype=np.float64)
            self._training = (X, y)
        return self._training

    def current_sample(self) -> int | None:
        """The training-set row the next step will use, or None if there is none.

        In "placed" order the k-th step since the network was built trains on row
        k mod N: the fruit in turn, given fruit first, then in the order placed.
        Otherwise the seeded draw picks one.
        """
        n = len(self.given_in_play()) + len(self.points)
        if not n:
            return None
        if self.level.order == "placed":
            return self._turn % n
        return min(int(self._draws.peek() * n), n - 1)

    def outcome(self) -> Outcome:
        won = self.state == WON
        steps_star = won and self.steps_used <= self.level.par_steps
        fruit_star = won and len(self.points) <= self.level.par_fruit
        stars = (1 + steps_star + fruit_star) if won else 0
        return Outcome(self.state, stars, steps_star, fruit_star, self.accuracy, self.steps_used,
                       len(self.points), sum(a.right for a in self.quiz_book.answers),
                       len(self.quiz_book.answers))

    # ------------------------------------------------------------- actions
    def set_learning_rate(self, lr: float) -> Result:
        """Choose η within the level's range (values a hair outside are clamped)."""
        if refused := self._refuse_if_over():
            return refused
        low, high = SANDBOX_LIMITS["lr"] if self.free_play else (self.level.lr_min, self.level.lr_max)
        if not isinstance(lr, (int, float)) or not math.isfinite(lr) \
                or not low * (1 - 1e-9) <= lr <= high * (1 + 1e-9):
            return Result(False, f"This level allows η from {low:g} to {high:g}.")
        value = min(max(float(lr), low), high)
        if value == self.lr:  # η has no other effect, so the same η changes nothing
            return Result(True)
        # η only matters from the next step on: a change right after another
        # replaces it, and one back to the η before it leaves no entry at all.
        replaces = action_log.last_op(self.log) == "lr"
        self.lr = value
        keep = not replaces or value != action_log.lr_before_last(self.log, self.level.lr_default)
        self.log_rules.record(self.log, {"op": "lr", "value": value}, drop_last=replaces, keep=keep)
        return Result(True)

    def set_weight(self, layer: int, j: int, i: int, value: float) -> Result:
        """Free play only: set weight W⁽ˡᵃʸᵉʳ⁾[j, i] by hand."""
        if not self.free_play:
            return Result(False, "Weights can be edited by hand only in the sandbox.")
        shapes = [W.shape for W in self.network.weights]
        if not (0 <= layer < len(shapes) and 0 <= j < shapes[layer][0] and 0 <= i < shapes[layer][1]):
            return Result(False, "There is no such weight.")
        if not isinstance(value, (int, float)) or not math.isfinite(value) or abs(value) > 100:
            return Result(False, "A weight must be a number from −100 to 100.")
        last = self.log[-1] if self.log else {}
        # A second edit of the same weight overwrites the first, which nothing saw.
        same_weight = last.get("op") == "weight" and (last["layer"], last["j"], last["i"]) == (layer, j, i)
        self.network.weights[layer][j, i] = float(value)
        self._fresh, self.held = False, 0
        self.accuracy = self._orchard_accuracy()
        entry = {"op": "weight", "layer": layer, "j": j, "i": i, "value": float(value)}
        self.log_rules.record(self.log, entry, drop_last=same_weight)
        return Result(True)

    @property
    def controls(self) -> tuple[str, ...]:
        """The controls offered (see level_controls.py): all of them in free play."""
        return CONTROLS if self.free_play else self.level.controls

    def shake(self) -> Result:
        """Add a small seeded noise to every weight and bias that trains; uses no step."""
        if refused := self._refuse_if_over():
            return refused
        if "shake" not in self.controls:
            return Result(False, "This level has no Shake.")
        shake_network(self.network, self.level.init_seed, self.shakes)
        self.shakes += 1
        self._fresh, self.held = False, 0
        self.accuracy = self._orchard_accuracy()
        self.log.append({"op": "shake"})
        return Result(True)

    def reset_weights(self) -> Result:
        """Start the weights again from the level's seed; used steps stay used."""
        if refused := self._refuse_if_over():
            return refused
        # A still-fresh network would be rebuilt bit for bit; only a stale accuracy
        # (fruit placed on an empty orchard is judged but not re-measured) would change.
        if self._fresh and self._orchard_accuracy() == self.accuracy:
            return Result(True)
        self._rebuild()
        self.log.append({"op": "reset"})
        return Result(True)

    def step(self, n: int = 1, stop_at_target: bool = False) -> Result:
        """Train n single-sample steps; stops early on a win. n = 1 returns the trace.

        stop_at_target (for the automatic player): also stop after a step that
        reaches the target. Only the steps taken are logged, so a replay agrees.
        """
        if refused := self._refuse_if_over():
            return refused
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            return Result(False, "Steps come in whole numbers, at least 1.")
        if not len(self.given_in_play()) + len(self.points):
            return Result(False, "Place some fruit first: the network learns from examples.")
        if n > self.steps_left:
            if not self.steps_left and self.level.win == "harvest":
                return Result(False, "No steps left: harvest now, and see what the network learned.")
            return Result(False, f"Only {self.steps_left} steps left in the budget.")
        if self.quiz_book.waiting(self.steps_used) is not None:
            return Result(False, "Answer the question first: it is about this step's update.")
        n = self.quiz_book.steps_allowed(n, self.steps_used)  # stop before the next question
        X, y = self.training_set()
        trace, done = None, 0
        while done < n and self.state == PLAYING \
                and not (stop_at_target and done and self.accuracy >= self.level.target_accuracy):
            row = self.current_sample()
            self._draws.take()
            self._turn += 1
            quiz = self.quiz_book.due(self.steps_used) if self.quiz_book.choice else None
            before, sizes = self._quiz_weight(quiz), nudge_sizes(self.network, quiz)
            if n == 1:
                trace = self.network.step(X[row], y[row], self.lr)
                y_hat, summary = trace.y_hat, (*trace_summary(trace), trace.diverged)
            else:
                y_hat = self.network.fast_step(X[row], y[row], self.lr)
                summary = (*self.network.last_step_summary(), not self.network.last_update_moved)
            done += 1
            if quiz is not None:  # this step answers the question asked before it
                self.quiz_book.score(quiz, before, self._quiz_weight(quiz), sizes)
            self._after_step(row, half_squared_error(y_hat, y[row]), summary)
        self.log_rules.record_steps(self.log, done, FREE_PLAY_LIMIT if self.free_play else None)
        self._fresh = False
        return Result(True, trace=trace, steps=done)

    def answer_quiz(self, choice: str) -> Result:
        """Answer the question asked before the next step: "up", "down" or "stays" (A, B, C
        for a which-fruit question)."""
        if refused := self._refuse_if_over():
            return refused
        if reason := self.quiz_book.answer(choice, self.steps_used):
            return Result(False, reason)
        self.log.append({"op": "answer", "choice": choice})
        return Result(True)

    def _quiz_weight(self, quiz) -> float:
        if quiz is None:
            return 0.0
        l, j, i = quiz.weight_index()
        return float(self.network.weights[l][j, i])

    def harvest(self) -> Result:
        """Levels won by harvest: score the orchard now. Won at the target, else failed and over."""
        if refused := self._refuse_if_over():
            return refused
        if self.free_play or self.level.win != "harvest":
            return Result(False, "This level is won by training, not by harvesting.")
        if not self.steps_used:
            return Result(False, "Train first: the harvest judges what the network has learned.")
        self.state = WON if self.accuracy >= self.level.target_accuracy else HARVEST_FAILED
        self.log.append({"op": "harvest"})
        return Result(True)

    # ------------------------------------------------------------ internals
    def _rebuild(self) -> None:
        """A fresh network from the level's seed for the current choices, and its accuracy."""
        self.network = self._fresh_network()
        self._fresh = True
        self.held, self._turn = 0, 0
        self.accuracy = self._orchard_accuracy()

    def _after_step(self, row: int, loss: float, summary: tuple[float, float, bool]) -> None:
        self.steps_used += 1
        training_loss, self.accuracy = self._measure()
        label = int(self.training_set()[1][row])
        self.history.append(HistoryEntry(self.steps_used, row, label, loss, training_loss,
                                         self.accuracy, *summary))
        if self.free_play:
            if len(self.history) > FREE_PLAY_HISTORY:
                # Free play never ends: keep memory bounded by forgetting the oldest steps.
                del self.history[:len(self.history) - FREE_PLAY_HISTORY]
            return
        self.held = self.held + 1 if self.accuracy >= self.level.target_accuracy else 0
        if self.level.win != "harvest" and self.held >= self.level.hold_steps:
            self.state = WON  # "first" is a hold of one step (levels.py sets hold_steps = 1)
        elif self.steps_left == 0 and self.level.win != "harvest":
            self.state = OUT_OF_STEPS

    @property
    def action_cap(self) -> int:
        """The most log entries a replay of this level may hold (replay.py refuses more).

        Steps, and fruit within the budget, account for a few entries each; the
        rest of the allowance is for changing one's mind (η, hidden size, fruit).
        """
        steps = FREE_PLAY_LIMIT if self.free_play else self.level.step_budget
        fruit = FREE_PLAY_LIMIT if self.free_play else self.level.point_budget
        return 4 * (steps + fruit) + 1000

    def _refuse_if_over(self) -> Result | None:
        if self.state == WON:
            return Result(False, "This orchard is already won. Retry to play it again.")
        if self.state == OUT_OF_STEPS:
            return Result(False, "No steps left. Retry to play it again.")
        if self.state == HARVEST_FAILED:
            return Result(False, "The fruit are picked. Retry to grow the orchard again.")
        if len(self.log) >= self.action_cap:
            # Placing and removing fruit, or switching η and hidden size back and forth, could
            # otherwise grow a log past what a replay may hold, and the attempt could not be checked.
            return Result(False, f"This attempt has recorded {len(self.log):,} actions, the most a "
                                 "replay may hold. Retry to play it again.")
        return None

    def _orchard_accuracy(self) -> float:
        return self._measure()[1]

    def _measure(self) -> tuple[float, float]:
        """(mean training loss, accuracy), from one forward pass over both sets.

        Accuracy is on the orchard; an empty orchard (a cleared sandbox) is judged
        on the training set instead.
        """
        X, y = self.training_set()
        if self._measured_points is None:
            self._measured_points = np.concatenate([X, self.orchard_X])
        if not len(self._measured_points):
            return 0.0, 0.0
        y_hat = self.network.predict(self._measured_points)
        n = len(y)
        training_loss = float(0.5 * np.dot(y_hat[:n] - y, y_hat[:n] - y) / n) if n else 0.0
        if len(self.orchard_y):
            judged, truth = y_hat[n:], self._orchard_is_strawberry
        else:
            judged, truth = y_hat[:n], y == 1
        return training_loss, np.count_nonzero((judged >= 0.5) == truth) / len(truth)
