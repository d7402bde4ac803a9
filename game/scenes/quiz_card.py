""""Predict the nudge": a card over the step log asking which way a weight will move.

The field and the network stay in view (no dimming), with the step's fruit
ringed, because they are what the player reasons from. Up (U), Down (D) or
Stays (S) answers; the card closes and the step runs, animated, so the answer
is seen in the network and the step log at once.
"""

from __future__ import annotations

import pygame
import pygame_gui

from game.core.level_quiz import Quiz
from game.scenes.card import CardScene
from game.view import theme
from game.view.network_view import weight_name

KEYS = {pygame.K_u: "up", pygame.K_d: "down", pygame.K_s: "stays"}


class QuizCard(CardScene):
    """The question due before the next step of `play`'s attempt."""

    def __init__(self, play, quiz: Quiz) -> None:
        super().__init__(pygame.Rect(480, 386, 540, 314))
        self.play, self.quiz = play, quiz
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
