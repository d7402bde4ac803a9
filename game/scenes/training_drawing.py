"""Drawing the training screen: top bar, field, network, sample, plot, step log, tooltip, toast.

A mixin of game.scenes.training.TrainingScene, apart only to keep that file
readable: it reads the scene's state (attempt, views, animation, hover, cursor)
and never changes the attempt.
"""

from __future__ import annotations

import numpy as np
import pygame

from game.core import sig_figs
from game.scenes import keyboard
from game.scenes.training_layout import (
    CONTROLS_RECT,
    FIELD_RECT,
    LOG_RECT,
    NETWORK_RECT,
    PLOT_RECT,
    SAMPLE_RECT,
)
from game.view import palette, theme
from game.view.animation import step_extras
from game.view.coach_note import draw_coach_note
from game.view.field import FieldContent
from game.view.network_view import NetworkPicture, weight_name
from game.view.panels import BudgetInfo, draw_sample_panel, draw_toast, draw_tooltip, draw_top_bar


class TrainingDrawing:
    """TrainingScene's drawing."""

    def budget_info(self) -> BudgetInfo:
        a = self.attempt
        hold = (a.held, a.level.hold_steps) if a.level.win == "hold" else None
        return BudgetInfo(a.level.title, a.steps_used, a.level.step_budget, len(a.points),
                          a.level.point_budget, a.accuracy, a.level.target_accuracy, a.lr, hold)

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(theme.BACKGROUND)
        draw_top_bar(surface, self.budget_info())
        self.field_view.draw(surface, self.field_content())
        if self.cursor is not None:
            (x, y), = self.field_view.to_screen(np.array([self.cursor]))
            keyboard.draw_cursor(surface, (int(round(x)), int(round(y))), theme.HIGHLIGHT)
        self._draw_network(surface)
        self._draw_sample(surface)
        self.plot_view.draw(surface, PLOT_RECT, self.attempt.history,
                            self.attempt.level.target_accuracy)
        self.log_view.draw(surface, self.hover_edge,
                           "Press Step (Space) to train on one fruit and see every number.")
        if self.coach.note is not None:
            draw_coach_note(surface, LOG_RECT, self.coach.note, self.coach.link())
        self.draw_side(surface)
        theme.draw_panel(surface, CONTROLS_RECT)
        self.field_view.draw_hint(surface)
        self.manager.draw_ui(surface)
        self._draw_tooltip(surface)
        self._draw_toast(surface)

    def draw_side(self, surface: pygame.Surface) -> None:
        """Hook: the panel right of the step log."""

    def selected_edge(self) -> int | None:
        """Hook: an edge to mark as selected (the sandbox's weight being edited)."""
        return None

    def field_content(self) -> FieldContent:
        a = self.attempt
        X, y = a.training_set()
        given = len(a.given_in_play())
        morph = self.animation.heatmap_morph() if self.animation else 1.0
        ringed = a.current_sample()
        colour = theme.ACCENT
        if self.animation is not None and self.animation.trace is not None:
            ringed = a.history[-1].sample if a.history else None
            colour = palette.current().error if self.animation.phase != "forward" else theme.ACCENT
        return FieldContent(self.heatmap, self.previous_heatmap, morph, self.contour,
                            a.shown_X, a.shown_y, (a.level.shown or a.level.orchard).visibility,
                            X, y, given, ringed, colour)

    def _draw_network(self, surface: pygame.Surface) -> None:
        a = self.attempt
        if self.animation is not None:
            weights = self.animation.weights_shown()
            activations = self.animation.activations_shown()
            glow = self.animation.loss_glow()
        else:
            weights = a.network.weights
            row = a.current_sample()
            activations = a.network.activations(a.training_set()[0][row]) if row is not None else []
            glow = 0.0
        picture = NetworkPicture(weights, activations, glow, self.hover_edge, self.selected_edge(),
                                 **step_extras(self.animation, self.layout), hover=self.mouse)
        phase = self.animation.phase if self.animation is not None else None
        self.network_view.draw_panel(surface, NETWORK_RECT, self.layout, picture, self.particles,
                                     phase)

    def _draw_sample(self, surface: pygame.Surface) -> None:
        a = self.attempt
        sprites = self.field_view.sprites
        if self.animation is not None and self.animation.trace is not None:
            t = self.animation.trace
            draw_sample_panel(surface, SAMPLE_RECT, "This step's sample", t.x, t.y, t.y_hat, sprites)
            return
        row = a.current_sample()
        if row is None:
            draw_sample_panel(surface, SAMPLE_RECT, "Next sample", None, None, None, sprites)
            return
        X, y = a.training_set()
        draw_sample_panel(surface, SAMPLE_RECT, f"Next sample (fruit #{row + 1})", X[row], y[row],
                          float(a.network.predict(X[row])), sprites)

    def _draw_tooltip(self, surface: pygame.Surface) -> None:
        if self.hover_edge is None or not self.layout.rect.inflate(20, 20).collidepoint(self.mouse):
            return
        l, j, i = self.layout.edge_index[self.hover_edge]
        w = float(self.attempt.network.weights[l][j, i])
        name = weight_name(l, j, i, len(self.layout.layer_sizes) - 1)
        grad = self.last_gradients.get(self.hover_edge)
        # The step log's own number format (3 significant figures), so the two agree.
        words = f"{name} = {sig_figs.fmt(w)}" + (f"   last ∂L/∂w = {sig_figs.fmt(grad)}"
                                                 if grad is not None else "")
        draw_tooltip(surface, self.mouse, words.replace("-", "−"))

    def _draw_toast(self, surface: pygame.Surface) -> None:
        if self.toast:
            draw_toast(surface, self.toast[0], FIELD_RECT, good=self.toast[2])
