""""Predict the nudge": questions before a step's update, answered by the step itself."""

import copy
import dataclasses

import numpy as np
import pytest
import tomli_w

from game.core.attempt import Attempt
from game.core.level_quiz import Quiz
from game.core.levels import LevelError, load_level, load_pack
from game.core.replay import record, replay, verify
from game.resources import levels_dir
from tests.test_levels import VALID

FIRST = load_pack(levels_dir() / "starter").level("first-harvest")
QUIZZED = dataclasses.replace(FIRST, quizzes=(Quiz(step=1, layer=2, j=1, i=1),
                                              Quiz(step=5, layer=1, j=2, i=2)))


def _with_fruit(level=QUIZZED):
    a = Attempt(level)
    a.add_point(0.8, 0.8, 1)
    a.add_point(0.2, 0.2, 0)
    return a


def test_a_question_holds_the_step_until_answered_and_the_step_scores_it():
    a = _with_fruit()
    refused = a.step(1)
    assert not refused.ok and "Answer the question first" in refused.reason
    l, j, i = QUIZZED.quizzes[0].weight_index()
    before = float(a.network.weights[l][j, i])
    assert a.answer_quiz("up").ok
    assert not a.answer_quiz("down").ok, "one answer per question"
    trace = a.step(1).trace
    after = float(a.network.weights[l][j, i])
    truth = "up" if after > before else "down" if after < before else "stays"
    answer = a.quiz_book.answers[0]
    assert (answer.truth, answer.right, answer.change) == (truth, truth == "up", after - before)
    assert trace.layers[l].W_new[j, i] == after, "the step log shows the same move"
    assert a.outcome().quiz_asked == 1 and a.outcome().quiz_right == int(truth == "up")


def test_training_stops_just_before_the_next_question():
    a = _with_fruit()
    a.answer_quiz("down")
    result = a.step(100)
    assert result.steps == 4 and a.steps_used == 4, "steps 1–4: the next question is before 5"
    assert not a.step(1).ok
    assert not a.answer_quiz("sideways").ok
    assert a.answer_quiz("stays").ok and a.step(10).steps == 10
    assert len(a.quiz_book.answers) == 2


def test_answers_are_in_the_replay_and_checked():
    a = _with_fruit()
    a.answer_quiz("down")
    a.step(20)
    a.answer_quiz("up")
    a.step(20)
    document = record(a)
    assert [e for e in document["actions"] if e["op"] == "answer"] == [
        {"op": "answer", "choice": "down"}, {"op": "answer", "choice": "up"}]
    assert verify(QUIZZED, document).ok
    forged = copy.deepcopy(document)
    forged["claimed"]["quiz_right"] = 2 if document["claimed"]["quiz_right"] != 2 else 0
    assert not verify(QUIZZED, forged).ok
    stray = copy.deepcopy(document)
    stray["actions"].append({"op": "answer", "choice": "up"})
    assert not verify(QUIZZED, stray).ok


def test_the_automatic_player_gets_past_questions():
    from game.core.autoplay import play
    result = play(QUIZZED, FIRST.lr_default, FIRST.default_hidden_size, 1)
    assert result.attempt.steps_used > 5 and len(result.attempt.quiz_book.answers) == 2


THREE = [{"sweetness": 0.9, "redness": 0.5, "label": "strawberry"},
         {"sweetness": 0.5, "redness": 0.5, "label": "strawberry"},
         {"sweetness": 0.1, "redness": 0.5, "label": "lemon"}]
WHICH = dataclasses.replace(FIRST, quizzes=(
    Quiz(step=1, layer=2, j=1, i=1, fruit=tuple((f["sweetness"], f["redness"],
                                                 int(f["label"] == "strawberry")) for f in THREE)),))


def test_which_fruit_is_answered_by_the_gradients_just_before_the_update():
    a = _with_fruit(WHICH)
    assert a.answer_quiz("up").reason == "The answer is A, B or C."
    X = np.array([[f["sweetness"], f["redness"]] for f in THREE])
    y = np.array([1.0, 1.0, 0.0])
    # The same sizes by finite differences of the loss, at the weights before the step.
    sizes = []
    for k in range(3):
        net = a.network
        w = net.weights[1][0, 0]
        net.weights[1][0, 0] = w + 1e-6
        up = net.loss(X[k:k + 1], y[k:k + 1])
        net.weights[1][0, 0] = w - 1e-6
        down = net.loss(X[k:k + 1], y[k:k + 1])
        net.weights[1][0, 0] = w
        sizes.append(abs(up - down) / 2e-6)
    best = "ABC"[int(np.argmax(sizes))]
    wrong = next(letter for letter in "ABC" if letter != best)
    assert a.answer_quiz(wrong).ok and a.step(1).ok
    answer = a.quiz_book.answers[0]
    assert answer.truth == best and not answer.right
    assert np.allclose(answer.sizes, sizes, rtol=1e-5, atol=1e-9)
    again = replay(WHICH, a.log)
    assert again.quiz_book.answers[0].sizes == answer.sizes
    assert verify(WHICH, record(a)).ok


def _load(tmp_path, quiz, **network):
    doc = copy.deepcopy(VALID)
    doc["quiz"] = quiz
    doc["network"].update(network)
    path = tmp_path / "level.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return load_level(path)


def test_quiz_fields_load_sorted_by_step(tmp_path):
    level = _load(tmp_path, [{"step": 9, "layer": 1, "j": 2, "i": 1},
                             {"step": 2, "layer": 2, "j": 1, "i": 2}])
    assert [q.step for q in level.quizzes] == [2, 9]


@pytest.mark.parametrize("quiz, network, message", [
    ([{"step": 0, "layer": 1, "j": 1, "i": 1}], {}, "quiz[0].step: expected a whole number from "
                                                     "1 to 300, got 0"),
    ([{"step": 1, "layer": 3, "j": 1, "i": 1}], {}, "quiz[0].layer: expected a layer from 1 to "
                                                     "2, got 3"),
    ([{"step": 1, "layer": 1, "j": 3, "i": 1}], {}, "quiz[0].j: expected a neuron from 1 to 2 "
                                                     "of layer 1, got 3"),
    ([{"step": 1, "layer": 2, "j": 1, "i": 3}], {}, "quiz[0].i: expected an input from 1 to 2 "
                                                     "of layer 2, got 3"),
    ([{"step": 4, "layer": 1, "j": 1, "i": 1}, {"step": 4, "layer": 2, "j": 1, "i": 1}], {},
     "quiz[1].step: expected a step no other quiz asks at, got 4"),
    ([{"step": 1, "layer": 1, "j": 1, "i": 1}], {"hidden_layers": [0, 1]},
     "quiz[0].layer: expected a quiz only when hidden_layers allows one layer count, got [0, 1]"),
    ([dict(step=1, layer=2, j=1, i=1, fruit=THREE[:2])], {},
     "quiz[0].fruit: expected exactly 3 fruit to choose from, got 2 fruit"),
    ([dict(step=1, layer=2, j=1, i=1, fruit=THREE + THREE[:1])], {},
     "quiz[0].fruit: expected at most 3 fruit, got 4"),
    ([dict(step=1, layer=2, j=1, i=1, fruit=[THREE[0], THREE[1], dict(THREE[2], label="plum")])],
     {}, 'quiz[0].fruit[2].label: expected one of "strawberry", "lemon", got "plum"'),
])
def test_bad_quiz_fields_get_one_line(tmp_path, quiz, network, message):
    with pytest.raises(LevelError) as caught:
        _load(tmp_path, quiz, **network)
    assert str(caught.value).split(": ", 1)[1] == message
