"""The explanation pages: they fit their card, say what the core computes, and turn sensibly."""

import math

import numpy as np
import pygame
import pytest

from game.app import open_window
from game.core.fields import undrawable_character
from game.core.net import Network
from game.scenes.base import SceneStack
from game.scenes.explain import BUTTONS_Y, OPERATORS, ExplainScene, wrap_keeping_formulas
from game.scenes.explain_pages import PAGES
from game.view import theme


@pytest.fixture(scope="module", autouse=True)
def window():
    return open_window()


def _text(page: int) -> str:
    title, blocks = PAGES[page]
    return " ".join([title, *blocks])


def _output_delta(y_hat: float) -> float:
    """The output neuron's δ, as the core's step computes it, for a strawberry at ŷ = y_hat."""
    net = Network((2, 1), seed=0)
    net.weights[0][...] = 0.0
    net.biases[0][...] = math.log(y_hat / (1.0 - y_hat))  # z = b, so ŷ = σ(b) = y_hat
    trace = net.step(np.array([0.5, 0.5]), 1.0, 0.1)
    assert trace.y_hat == pytest.approx(y_hat)
    return float(trace.layers[-1].delta[0])


def test_every_page_ends_above_the_buttons(window):
    explain = ExplainScene()
    SceneStack().push(explain)
    for page in range(len(PAGES)):
        explain.page = page
        window.fill((0, 0, 0))
        bottom = explain.draw_page(window)
        assert explain.card.y + 76 < bottom <= explain.card.y + BUTTONS_Y - 8, PAGES[page][0]


def test_every_character_on_the_pages_is_one_the_font_draws():
    for page in range(len(PAGES)):
        assert undrawable_character(_text(page)) is None, PAGES[page][0]


def test_no_line_breaks_beside_an_operator():
    font = theme.font(17)
    for _, blocks in PAGES:
        for block in blocks:
            if block.startswith("="):
                continue
            lines = wrap_keeping_formulas(block, font, 840)
            assert " ".join(lines) == " ".join(block.split()), "no word lost or added"
            for line in lines:
                words = line.split()
                assert words[0] not in OPERATORS and words[-1] not in OPERATORS, line
    # At a width that fits only a few words, a formula still moves to the next line whole.
    assert wrap_keeping_formulas("so |δ| = 0.0098 here", font, 60) == ["so", "|δ| = 0.0098", "here"]


def test_the_numbers_quoted_for_a_sure_wrong_output_are_the_cores():
    sure_wrong, peak = _output_delta(0.01), _output_delta(1 / 3)
    assert f"{abs(sure_wrong):.4f}" == "0.0098" and f"{abs(peak):.3f}" == "0.148"
    # ŷ = 1/3 is where |δ| = (1 − ŷ)·ŷ(1 − ŷ) peaks: both neighbours are smaller.
    assert abs(_output_delta(0.32)) < abs(peak) > abs(_output_delta(0.35))
    for page in (2, 4):  # page 3 states it, page 5 leans on it
        assert "0.0098" in _text(page) and "0.148" in _text(page) and "1/3" in _text(page)
    assert "sure and wrong" in _text(2)


def test_the_pages_say_what_the_review_asked_for():
    forward, hidden, rescorla, brains = _text(0), _text(3), _text(4), _text(5)
    assert "tanh (−1 to 1)" in forward and "max(0, z)" in forward and "always uses σ" in forward
    assert "δⱼ · aᵢ" in hidden and "f′(zⱼ)" in hidden and "δⱼ · xᵢ" not in hidden
    assert "δₖ·wₖⱼ" in hidden and "log scale" in hidden and "exactly 0" in hidden
    assert "ΔVₓ = αₓ · β · (λ − ΣV)" in rescorla and "blocking" in rescorla
    assert "Widrow and Hoff" in rescorla and "linear unit" in rescorla
    assert "Schultz, Dayan & Montague (1997)" in brains and "Science" in brains
    assert "weight-transport" in brains and "Lillicrap et al. 2016" in brains
    assert "predictive coding" in brains and "three-factor" in brains


def test_back_and_next_grey_out_at_the_ends():
    explain = ExplainScene()
    SceneStack().push(explain)
    assert not explain.back.is_enabled and explain.forward.is_enabled
    explain.turn(1)
    assert explain.back.is_enabled and explain.forward.is_enabled
    explain.turn(len(PAGES))
    assert explain.page == len(PAGES) - 1
    assert explain.back.is_enabled and not explain.forward.is_enabled


def test_the_page_turn_buttons_draw_arrows_not_boxes(window):
    """The arrow in "Next →" is drawn with the button's own font, not as its missing-glyph box."""
    explain = ExplainScene()
    stack = SceneStack()
    stack.push(explain)
    stack.update(0.05)
    for button, arrow in ((explain.back, "←"), (explain.forward, "→")):
        font = button.font
        white = pygame.Color(255, 255, 255)
        drawn = pygame.image.tobytes(font.render_premul(arrow, white), "RGBA")
        box = pygame.image.tobytes(font.render_premul("\U0010fffd", white), "RGBA")
        assert drawn != box, button.text
