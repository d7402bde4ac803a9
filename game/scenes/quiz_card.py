""""Predict the nudge": a card over the step log asking about the next step's update.

Two kinds of question (game/core/level_quiz.py). Which way will a weight move?
Up (U), Down (D) or Stays (S). Or: which of three fruit, lettered on the field,
would move it most? A, B or C. The field and the network stay in view (no
dimming), with the step's fruit ringed, because they are what the player reasons
from; the card closes and the step runs, animated, so the answer is seen in the
network and the step log at once.
"""
from __future__ import annotations

import numpy as np
import pygame
import pygame_gui

from game.core.level_quiz import LETTERS, Quiz, QuizAnswer
from game.scenes.card import CardScene
from game.view import theme
from game.view.network_view import weight_name

KEYS = {pygame.K_u: "up", pygame.K_d: "down", pygame.K_s: "stays",
        pygame.K_a: "A", pygame.K_b: "B", pygame.K_c: "C"}
MOVED = {"up": "went up", "down": "went down", "stays": "stayed put"}


def quiz_verdict(answer: QuizAnswer, layer_count: int) -> str:
    """The toast after the step that answered: right or not, and what really happened."""
    l, j, i = answer.quiz.weight_index()
    name = weight_name(l, j, i, layer_count)
    if answer.sizes:
        sizes = ", ".join(f"{letter} {_number(size)}" for letter, size in zip(LETTERS, answer.sizes))
        found = f"fruit {answer.truth} moves {name} most (|∂L/∂w|: {sizes})."
        return f"Right: {found}" if answer.right else f"Not this time: {found}"
    change = f" ({answer.change:+.3g})".replace("-", "−") if answer.change else ""
    moved = f"{name} {MOVED[answer.truth]}{change}."
    return f"Right: {moved}" if answer.right else f"Not this time: {moved} The step log shows why."


def _number(v: float) -> str:
    return f"{v:.3g}" if v >= 1e-3 or v == 0 else f"{v:.1e}"


class QuizCard(CardScene):
    """The question due before the next step of `play`'s attempt."""

    def __init__(self, play, quiz: Quiz) -> None:
        super().__init__(pygame.Rect(480, 386, 540, 314))
        self.play, self.quiz = play, quiz
        if quiz.fruit:
            self.choices = {self.button(30 + 165 * k, 250, 150, 40, f"Fruit {letter} ({letter})",
                                        primary=True): letter for k, letter in enumerate(LETTERS)}
        else:
            self.choices = {self.button(30, 250, 150, 40, "Up (U)", primary=True): "up",
                            self.button(195, 250, 150, 40, "Down (D)", primary=True): "down",
                            self.button(360, 250, 150, 40, "Stays (S)"): "stays"}

    def weight(self) -> str:
        l, j, i = self.quiz.weight_index()
        return weight_name(l, j, i, self.play.attempt.network.depth)

    def on_event(self, event: pygame.event.Event) -> None:
        choice = None
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            choice = self.choices.get(event.ui_element)
        elif event.type == pygame.KEYDOWN:
            choice = KEYS.get(event.key)
            choice = choice if choice in self.quiz.choices else None
        if choice is not None:
            self.stack.pop()
            self.play.answer(choice)

    def update(self, dt: float) -> None:
        super().update(dt)
        if self.play.attempt.current_sample() is None and self.stack is not None:
            self.stack.pop()  # the fruit it asked about is gone; it is asked again later

    def draw(self, surface: pygame.Surface) -> None:
        # No dimming: the ringed fruit and the network are what the question is about.
        pygame.draw.rect(surface, theme.PANEL, self.card, border_radius=16)
        pygame.draw.rect(surface, theme.HIGHLIGHT, self.card, width=3, border_radius=16)
        self.draw_content(surface)
        self.manager.draw_ui(surface)

    def draw_content(self, surface: pygame.Surface) -> None:
        attempt = self.play.attempt
        X, y = attempt.training_set()
        row = attempt.current_sample()
        if row is None:
            return  # closes itself on the next update
        if self.quiz.fruit:
            self.draw_which_fruit(surface)
            return
        fruit = "a strawberry (y = 1)" if y[row] == 1 else "a lemon (y = 0)"
        y_hat = float(attempt.network.predict(X[row]))
        surface.blit(theme.text("Predict the nudge", 24, theme.HIGHLIGHT, "bold"),
                     (self.card.x + 30, self.card.y + 20))
        top = self.paragraph(surface, f"Step {self.quiz.step} trains on the ringed fruit: "
                                      f"sweetness {X[row][0]:.2f}, redness {X[row][1]:.2f}, "
                                      f"{fruit}. The network says ŷ = {y_hat:.3f}.",
                             self.card.y + 64, 16, theme.TEXT, spacing=22)
        top = self.paragraph(surface, f"After this step, will {self.weight()} go up, go down, "
                                      "or stay the same?", top + 10, 17, theme.TEXT, "bold",
                             spacing=24)
        self.paragraph(surface, "Its edge is highlighted in the network. The update is "
                                "w ← w − η·∂L/∂w: the sign of ∂L/∂w decides.", top + 8, 14,
                       theme.TEXT_DIM, spacing=20)

    def draw_which_fruit(self, surface: pygame.Surface) -> None:
        """The three fruit: lettered on the field, and listed with what the network says."""
        network = self.play.attempt.network
        X = np.array([f[:2] for f in self.quiz.fruit])  # (3, 2)
        y_hat = network.predict(X)  # (3,)
        for letter, (x, y) in zip(LETTERS, self.play.field_view.to_screen(X)):
            centre = (int(x), int(y))
            pygame.draw.circle(surface, theme.HIGHLIGHT, centre, 13)
            pygame.draw.circle(surface, theme.PANEL, centre, 11)
            mark = theme.text(letter, 15, theme.HIGHLIGHT, "bold")
            surface.blit(mark, mark.get_rect(center=centre))
        surface.blit(theme.text("Which fruit nudges most?", 24, theme.HIGHLIGHT, "bold"),
                     (self.card.x + 30, self.card.y + 20))
        top = self.paragraph(surface, f"If step {self.quiz.step} trained on one of the fruit "
                                      f"lettered on the field, which would move {self.weight()} "
                                      "the most?", self.card.y + 60, 17, theme.TEXT, "bold",
                             spacing=24)
        for letter, (x1, x2, label), p in zip(LETTERS, self.quiz.fruit, y_hat):
            kind = "strawberry, y = 1" if label == 1 else "lemon, y = 0"
            top = self.paragraph(surface, f"{letter}: {kind}, at ({x1:.2f}, {x2:.2f}): ŷ = {p:.3g}",
                                 top + 2, 15, theme.TEXT, spacing=20)
        self.paragraph(surface, "|Δw| = η·|∂L/∂w|. The step still trains on its ringed fruit.",
                       top + 6, 14, theme.TEXT_DIM, spacing=20)
