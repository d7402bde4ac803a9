"""A level's [[quiz]] entries: "predict the nudge" questions asked before a step's update.

    [[quiz]]
    step = 1        # asked before this step (1 = the first step of the attempt)
    layer = 2       # the weight w⁽ˡᵃʸᵉʳ⁾ⱼᵢ, numbered from 1 as the step log prints it:
    j = 1           #   neuron j of that layer,
    i = 2           #   input i from the layer below

The player answers "up", "down" or "stays"; the step itself then gives the
answer (w ← w − η ∂L/∂w moves the weight one way, or not at all), so the
game scores exactly what it shows.

With `fruit`, three fruit, the question is instead which of them would move
that weight most if the step trained on it (the size of the nudge):

    fruit = [{ sweetness = 0.9, redness = 0.5, label = "strawberry" }, …]   # exactly 3

The player answers "A", "B" or "C". Just before the step's update the game
works out |∂L/∂w| for each of the three at the weights of that moment; the
largest is the answer. The step itself still trains on its own fruit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.core.fields import Fields, Shown

ANSWERS = ("up", "down", "stays")
LETTERS = ("A", "B", "C")
FRUIT_LABELS = {"strawberry": 1, "lemon": 0}
MAX_QUIZZES = 100


@dataclass(frozen=True)
class Quiz:
    """One question: before step `step`, which way will W⁽layer⁾[j, i] move? (all 1-based)"""

    step: int
    layer: int
    j: int
    i: int
    fruit: tuple[tuple[float, float, int], ...] = ()  # (x₁, x₂, y) × 3: "which moves w most?"

    def weight_index(self) -> tuple[int, int, int]:
        """(l, j, i) 0-based, as Network.weights[l][j, i]."""
        return self.layer - 1, self.j - 1, self.i - 1

    @property
    def choices(self) -> tuple[str, ...]:
        """What the player may answer: A, B, C for a which-fruit question, else up/down/stays."""
        return LETTERS if self.fruit else ANSWERS


def quiz_fields(entries: list[Fields], net: dict, step_budget: int) -> tuple[Quiz, ...]:
    """Check [[quiz]] tables; each weight must exist in every network the level allows."""
    quizzes, steps = [], set()
    for f in entries:
        quiz = Quiz(step=f.whole("step", 1, step_budget), layer=f.whole("layer", 1, 4),
                    j=f.whole("j", 1, 8), i=f.whole("i", 1, 8),
                    fruit=_fruit(f) if f.has("fruit") else ())
        if quiz.step in steps:
            f.fail("step", "a step no other quiz asks at", quiz.step)
        steps.add(quiz.step)
        _check_weight(f, quiz, net)
        f.finish()
        quizzes.append(quiz)
    return tuple(sorted(quizzes, key=lambda q: q.step))


def _fruit(f: Fields) -> tuple[tuple[float, float, int], ...]:
    """Exactly three fruit, each a table of sweetness, redness and label."""
    entries = f.table_list("fruit", max_items=3, noun="fruit")
    if len(entries) != 3:
        f.fail("fruit", "exactly 3 fruit to choose from", Shown(f"{len(entries)} fruit"))
    fruit = []
    for g in entries:
        fruit.append((g.number("sweetness", 0.0, 1.0), g.number("redness", 0.0, 1.0),
                      FRUIT_LABELS[g.choice("label", tuple(FRUIT_LABELS))]))
        g.finish()
    return tuple(fruit)


def _check_weight(f: Fields, quiz: Quiz, net: dict) -> None:
    """The weight must exist, and be the same weight, in every allowed shape."""
    shapes = [(2, *([size] * layers), 1) for layers in net["hidden_layers"]
              for size in (net["hidden_sizes"] if layers else net["hidden_sizes"][:1])]
    if len(set(net["hidden_layers"])) > 1:
        f.fail("layer", "a quiz only when hidden_layers allows one layer count",
               Shown(str(list(net["hidden_layers"]))))
    for shape in shapes:
        if quiz.layer > len(shape) - 1:
            f.fail("layer", f"a layer from 1 to {len(shape) - 1}", quiz.layer)
        fan_in, fan_out = shape[quiz.layer - 1], shape[quiz.layer]
        if quiz.j > fan_out:
            f.fail("j", f"a neuron from 1 to {fan_out} of layer {quiz.layer}", quiz.j)
        if quiz.i > fan_in:
            f.fail("i", f"an input from 1 to {fan_in} of layer {quiz.layer}", quiz.i)


def nudge_sizes(network, quiz: Quiz | None) -> tuple[float, ...]:
    """|∂L/∂w| of the quiz's weight for each of its three fruit, at `network`'s weights now
    (a game.core.net.Network); () for a question without fruit, or no question."""
    if quiz is None or not quiz.fruit:
        return ()
    l, j, i = quiz.weight_index()
    X = np.array([f[:2] for f in quiz.fruit], dtype=np.float64)  # (3, 2)
    y = np.array([float(f[2]) for f in quiz.fruit])  # (3,)
    return tuple(abs(float(network.gradients(X[k:k + 1], y[k:k + 1])[0][l][j, i]))
                 for k in range(len(X)))


@dataclass(frozen=True)
class QuizAnswer:
    """A question answered: what the player said and what the step did."""

    quiz: Quiz
    choice: str
    truth: str  # "up", "down" or "stays": the sign of W_new − W_old; or the letter of the largest
    change: float  # W_new − W_old
    sizes: tuple[float, ...] = ()  # which-fruit questions: |∂L/∂w| for fruit A, B, C

    @property
    def right(self) -> bool:
        if self.sizes:  # a tie for the largest is right for either fruit
            return self.sizes[LETTERS.index(self.choice)] == max(self.sizes)
        return self.choice == self.truth


class QuizBook:
    """An attempt's questions: which one is due, the choice waiting for its step, the scores."""

    def __init__(self, quizzes: tuple[Quiz, ...]) -> None:
        self.quizzes = quizzes
        self.answers: list[QuizAnswer] = []
        self.choice: str | None = None  # said for the quiz due now; scored by the next step

    def due(self, steps_used: int) -> Quiz | None:
        """The quiz asked before the next step, if any (answered or not)."""
        return next((q for q in self.quizzes if q.step == steps_used + 1), None)

    def waiting(self, steps_used: int) -> Quiz | None:
        """The quiz due now that still needs an answer: it holds back the next step."""
        quiz = self.due(steps_used)
        return quiz if quiz is not None and self.choice is None else None

    def steps_allowed(self, n: int, steps_used: int) -> int:
        """n, cut so that training stops just before the next unanswered question."""
        ahead = [q.step for q in self.quizzes if q.step > steps_used + (self.choice is not None)]
        return min(n, ahead[0] - steps_used - 1) if ahead else n

    def answer(self, choice: object, steps_used: int) -> str | None:
        """Take the player's choice for the due quiz; the reason it is refused, or None."""
        if self.waiting(steps_used) is None:
            return "There is no question to answer now."
        choices = self.due(steps_used).choices
        if choice not in choices:
            return f"The answer is {', '.join(choices[:-1])} or {choices[-1]}."
        self.choice = choice
        return None

    def score(self, quiz: Quiz, before: float, after: float, sizes: tuple[float, ...] = ()) -> None:
        """The step answered the question: the weight before and after it, and for a
        which-fruit question the three |∂L/∂w| worked out just before its update."""
        if sizes:
            truth = LETTERS[max(range(len(sizes)), key=sizes.__getitem__)]
        else:
            truth = "up" if after > before else "down" if after < before else "stays"
        self.answers.append(QuizAnswer(quiz, self.choice, truth, after - before, tuple(sizes)))
        self.choice = None
