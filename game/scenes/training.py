"""What the play screen and the sandbox share: field, network, step animation, panels.

The scene owns an Attempt (core) and only changes it through its actions.
Everything drawn comes from the attempt, its network and the last StepTrace.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pygame
import pygame_gui

from game.core.attempt import PLAYING, Attempt
from game.core.levels import Point
from game.core.neuron_grids import hidden_grids
from game.scenes import keyboard
from game.scenes.base import Scene
from game.scenes.coaching import CoachNotes
from game.scenes.explain import ExplainScene
from game.scenes.field_input import FieldInput
from game.scenes.settings_screen import APPLY_SETTINGS
from game.scenes.training_drawing import TrainingDrawing
from game.scenes.training_layout import (
    AUTO_BATCH,
    AUTO_STEPS_PER_SECOND,
    BUTTON_TIPS,
    COMPACT_TRAINING_BUTTONS,
    CONTROLS_RECT,
    FIELD_RECT,
    LOG_RECT,
    NETWORK_RECT,
    TRAINING_BUTTONS,
)
from game.view import sounds, theme
from game.view.animation import StepAnimation
from game.view.field import HEATMAP_CELLS, FieldView
from game.view.network_view import NetworkLayout, NetworkView
from game.view.panels import (
    PlotView,
)
from game.view.particles import ParticlePool, spawn_backward, spawn_forward
from game.view.step_log import StepLogView, log_lines, summary_lines


class TrainingScene(FieldInput, TrainingDrawing, Scene):
    """A field to place fruit on, a network to watch, and the step controls."""

    def __init__(self, attempt: Attempt) -> None:
        super().__init__()
        self.attempt = attempt
        self.manager = theme.make_gui_manager()
        self.field_view = FieldView(FIELD_RECT)
        self.network_view = NetworkView()
        self.particles = ParticlePool(2048)
        self.log_view = StepLogView(LOG_RECT)
        self.coach = CoachNotes()
        self.plot_view = PlotView()
        self.layout = NetworkLayout(attempt.network.layer_sizes, NETWORK_RECT.inflate(-10, -40))
        self.animation: StepAnimation | None = None
        self.speed = 1.0
        self.reduced_motion = False
        self._settings_seen = None  # the Settings last taken up (game/core/settings.py)
        self.auto = False
        self._auto_credit = 0.0
        self.hover_edge: int | None = None
        self.mouse = (0, 0)
        self.cursor: tuple[float, float] | None = None  # the keyboard's field cursor (x₁, x₂)
        self._cursor_start = keyboard.cursor_start()
        self.toast: tuple[str, float, bool] | None = None  # text, seconds left, good news
        # ("added" | "removed", that fruit) or ("given", the removed given fruit's index)
        self.undo_stack: list[tuple[str, Point | int]] = []
        self.heatmap: pygame.Surface | None = None
        self.previous_heatmap: pygame.Surface | None = None
        self.contour = np.empty((0, 2))
        self.last_gradients: dict[int, float] = {}
        self._build_common_controls()
        self.refresh_boundary()

    # ------------------------------------------------------------ controls
    def _build_common_controls(self) -> None:
        r, m = CONTROLS_RECT, self.manager
        label = pygame_gui.elements.UILabel
        label(pygame.Rect(r.x + 6, r.y + 10, 130, 26), "Learning rate η", m)
        self.lr_slider = pygame_gui.elements.UIHorizontalSlider(
            pygame.Rect(r.x + 140, r.y + 10, 220, 26), self._lr_to_slider(self.attempt.lr),
            (0, 1000), m, click_increment=10)
        self.lr_label = label(pygame.Rect(r.x + 364, r.y + 10, 66, 26), f"{self.attempt.lr:.3g}", m)
        low, high = self._lr_range()
        if high <= low:
            self.lr_slider.disable()  # η is fixed in this level: the slider says so
        label(pygame.Rect(r.x + 10, r.y + 84, 130, 26), "Animation speed", m)
        self.speed_slider = pygame_gui.elements.UIHorizontalSlider(
            pygame.Rect(r.x + 140, r.y + 84, 220, 26), 0.0, (-2.0, 2.0), m, click_increment=0.25)
        self.speed_label = label(pygame.Rect(r.x + 364, r.y + 84, 66, 26), "×1", m)
        self._build_training_buttons()
        button, y = pygame_gui.elements.UIButton, r.y + 164
        self.reset_button = button(pygame.Rect(r.x + 10, y, 130, 32), "Reset (R)", m) \
            if "reset" in self.attempt.controls else None
        self.explain_button = button(pygame.Rect(r.x + 146, y, 140, 32), "How it works (H)", m)

    def _build_training_buttons(self) -> None:
        """One row of the training buttons the level offers (level_controls.py), left to right.

        When all of them do not fit at full width, the row uses the compact texts.
        """
        gap, room = 6, CONTROLS_RECT.width - 20
        offered = [b for b in TRAINING_BUTTONS if b[0] in self.attempt.controls]
        if sum(b[2] for b in offered) + gap * (len(offered) - 1) > room:
            offered = [b for b in COMPACT_TRAINING_BUTTONS if b[0] in self.attempt.controls]
        x, buttons = CONTROLS_RECT.x + 10, {}
        for name, text, width in offered:
            buttons[name] = pygame_gui.elements.UIButton(
                pygame.Rect(x, CONTROLS_RECT.y + 122, width, 36), text, self.manager,
                object_id="#primary" if name == "step" else None,
                tool_tip_text=BUTTON_TIPS.get(name))
            x += width + gap
        self.step_button = buttons["step"]
        self.train10_button, self.train100_button = buttons.get("train10"), buttons.get("train100")
        self.auto_button, self.shake_button = buttons.get("auto"), buttons.get("shake")

    def _lr_range(self) -> tuple[float, float]:
        return self.attempt.level.lr_min, self.attempt.level.lr_max

    def _lr_to_slider(self, lr: float) -> float:
        low, high = self._lr_range()
        if high <= low:
            return 0.0
        return 1000.0 * math.log(lr / low) / math.log(high / low)

    def _slider_to_lr(self, value: float) -> float:
        low, high = self._lr_range()
        return float(low * (high / low) ** (value / 1000.0)) if high > low else low

    # -------------------------------------------------------------- input
    def handle_event(self, event: pygame.event.Event) -> None:
        if self.manager.process_events(event):
            return
        if event.type == pygame.KEYDOWN and self._typing():
            return  # typing a name or a weight must not also press Space = Step
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            self.on_button(event.ui_element)
        elif event.type == pygame_gui.UI_HORIZONTAL_SLIDER_MOVED:
            self.on_slider(event.ui_element)
        elif event.type == pygame.KEYDOWN:
            self.on_key(event)
        elif event.type == pygame.MOUSEMOTION:
            self.on_mouse_move(event.pos)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button in (1, 3):
            self.on_click(event.pos, event.button)
        elif event.type == pygame.MOUSEWHEEL and self.log_view.rect.collidepoint(self.mouse):
            self.log_view.scroll_by(-3 * event.y)

    def _typing(self) -> bool:
        focus = self.manager.get_focus_set() or ()
        return any(isinstance(e, pygame_gui.elements.UITextEntryLine) for e in focus)

    def on_button(self, element) -> None:
        actions = {self.step_button: lambda: self.train(1),
                   self.train10_button: lambda: self.train(10),
                   self.train100_button: lambda: self.train(100),
                   self.auto_button: self.toggle_auto,
                   self.shake_button: self.shake,
                   self.reset_button: self.reset_weights,
                   self.explain_button: self.open_explanations}
        if element is not None and element in actions:
            actions[element]()

    def on_slider(self, element) -> None:
        if element is self.lr_slider:
            lr = self._slider_to_lr(element.get_current_value())
            if not math.isclose(lr, self.attempt.lr, rel_tol=1e-12):  # one log entry per change
                self.act(self.attempt.set_learning_rate(lr))
            self.lr_label.set_text(f"{self.attempt.lr:.3g}")
        elif element is self.speed_slider:
            self.speed = 2.0 ** element.get_current_value()
            self.speed_label.set_text(f"×{self.speed:.2g}")
            settings = getattr(self.stack, "settings", None)
            if settings is not None and settings.animation_speed != self.speed:
                # The slider is the setting: it is remembered for the next level and launch.
                changed = dataclasses.replace(settings, animation_speed=self.speed)
                self._settings_seen = changed
                pygame.event.post(pygame.event.Event(APPLY_SETTINGS, settings=changed))

    def on_key(self, event: pygame.event.Event) -> None:
        action = keyboard.action_for(event)
        if action is not None:
            self.perform(action)

    def perform(self, action: str) -> None:
        """Do a key-table action (game/scenes/keyboard.py); one not offered here does nothing."""
        offered = {"train10": (self.train10_button, lambda: self.train(10)),
                   "train100": (self.train100_button, lambda: self.train(100)),
                   "auto": (self.auto_button, self.toggle_auto),
                   "reset": (self.reset_button, self.reset_weights),
                   "shake": (self.shake_button, self.shake)}
        always = {"step": lambda: self.train(1), "explain": self.open_explanations,
                  "undo": self.undo, "pause": self.open_pause, "keys": self.open_keys,
                  "lr_up": lambda: self.nudge_lr(1), "lr_down": lambda: self.nudge_lr(-1),
                  "strawberry": lambda: self.click_at_cursor(1),
                  "lemon": lambda: self.click_at_cursor(3), "remove": self.remove_at_cursor}
        if action in always:
            always[action]()
        elif action in offered and offered[action][0] is not None:
            offered[action][1]()
        elif action.removeprefix("fine_") in ("left", "right", "up", "down"):
            self.cursor = keyboard.moved_cursor(self.cursor, action, self._cursor_start)

    def open_pause(self) -> None:
        from game.scenes.pause import PauseMenu
        self._stop_auto()
        self.stack.push(PauseMenu(self))

    def open_keys(self) -> None:
        from game.scenes.keys_card import KeysCard
        self.stack.push(KeysCard())

    def nudge_lr(self, direction: int) -> None:
        """η one notch up or down its logarithmic slider."""
        value = self.lr_slider.get_current_value() + direction * 1000 / keyboard.LR_NOTCHES
        self.lr_slider.set_current_value(min(max(value, 0), 1000))
        self.on_slider(self.lr_slider)

    def on_mouse_move(self, pos: tuple[int, int]) -> None:
        self.mouse = pos
        edge = self.layout.edge_at(pos)
        if edge is not None:
            self.log_view.reveal_edge(edge)
        else:
            edge = self.log_view.edge_at(pos)
        self.hover_edge = edge

    # ------------------------------------------------------------ actions
    def act(self, result) -> bool:
        """Show a refused action's reason as a toast; True if it happened."""
        if not result.ok:
            self.show_toast(result.reason)
        return result.ok

    def show_toast(self, text: str, seconds: float = 3.5, good: bool = False) -> None:
        """A short message over the field: red for a refusal, green for good news."""
        self.toast = (text, seconds, good)

    def toggle_auto(self) -> None:
        if self.auto or self.attempt.state != PLAYING:
            self._stop_auto()
            return
        if self.auto_button is None:
            return
        self.auto = True
        self.auto_button.set_text("Stop (A)")

    def shake(self) -> None:
        if self.act(self.attempt.shake()):
            self.after_network_change("Shaken: every weight that trains moved by a little noise.")

    def reset_weights(self) -> None:
        if self.act(self.attempt.reset_weights()):
            self.after_network_change("Weights reset to their starting values.")

    def after_network_change(self, message: str | None = None) -> None:
        """The network was rebuilt (reset, new size): redo layout, log and boundary."""
        self.animation = None
        self.particles.clear()
        self.layout = NetworkLayout(self.attempt.network.layer_sizes, NETWORK_RECT.inflate(-10, -40))
        self.log_view.set_lines([])
        self.last_gradients = {}
        self.previous_heatmap = None
        self.refresh_boundary()
        self.sync_controls()
        if message:
            self.show_toast(message, good=True)

    def sync_controls(self) -> None:
        """Make the widgets show the attempt's actual settings."""
        self.lr_slider.set_current_value(self._lr_to_slider(self.attempt.lr))
        self.lr_label.set_text(f"{self.attempt.lr:.3g}")

    def open_explanations(self) -> None:
        """H: the pages, at the one the coach's note points to while it is shown."""
        self.stack.push(ExplainScene(page=self.coach.page - 1 if self.coach.link() else 0))

    def train(self, n: int, animate: bool = True) -> None:
        """Step n times: one step is animated in full; more (or Auto) is a fast run
        with a summary pulse."""
        before = [W.copy() for W in self.attempt.network.weights]
        result = self.attempt.step(n)
        if not self.act(result):
            self._stop_auto()
            return
        self.previous_heatmap = self.heatmap
        self.refresh_boundary()
        after = self.attempt.network.weights
        if result.trace is not None and animate:
            self.animation = StepAnimation(before, after, result.trace, self.speed)
            sounds.play("step")
            self.log_view.set_lines(log_lines(result.trace, self.attempt.network.activation,
                                              self.layout.edge_number))
            self.last_gradients = {e: float(result.trace.layers[l].dW[j, i])
                                   for e, (l, j, i) in enumerate(self.layout.edge_index)}
            if not self.reduced_motion:  # the forward pulses only decorate; the backward carry |∂L/∂w|
                spawn_forward(self.particles, self.layout, self.animation.phase_seconds("forward"))
        else:
            self.animation = StepAnimation(before, after, None, self.speed * 1.5)
            self.log_view.set_lines(summary_lines(result.steps, self.attempt.steps_used, before,
                                                  after, self.layout.edge_index))
            self._spawn_backward(np.concatenate([np.abs(b - a).ravel() for a, b in zip(before, after)]))
        self._backward_spawned = self.animation.trace is None
        if self.attempt.state != PLAYING:
            self._stop_auto()

    def _stop_auto(self) -> None:
        self.auto = False
        if self.auto_button is not None:
            self.auto_button.set_text("Auto (A)")

    # ------------------------------------------------------------- update
    def update(self, dt: float) -> None:
        self._follow_settings()
        self.manager.update(dt)
        self.log_view.update(dt)
        self.coach.update(dt, self.attempt)
        if self.toast:
            text, left, good = self.toast
            self.toast = (text, left - dt, good) if left > dt else None
        if self.animation is not None:
            self.animation.advance(dt)
            if not self._backward_spawned and self.animation.phase in ("backward", "update"):
                trace = self.animation.trace
                self._spawn_backward(np.concatenate([np.abs(L.dW).ravel() for L in trace.layers]))
                self._backward_spawned = True
                sounds.play("whoosh")
            if self.animation.done:
                self.animation = None
                self.on_animation_done()
        self.particles.update(dt)
        if self.auto:
            # Steps are batched a few at a time: each batch redraws the boundary once.
            self._auto_credit += dt * AUTO_STEPS_PER_SECOND * self.speed
            if self._auto_credit >= AUTO_BATCH and (self.animation is None
                                                    or self.animation.trace is None):
                n = min(int(self._auto_credit), max(self.attempt.steps_left, 1))
                self._auto_credit -= n
                self.train(n, animate=False)

    def _follow_settings(self) -> None:
        """Take up the player's settings (animation speed, reduced motion) when they change."""
        settings = getattr(self.stack, "settings", None)
        if settings is None or settings is self._settings_seen:
            return
        self._settings_seen = settings
        self.reduced_motion = settings.reduced_motion
        if settings.animation_speed != self.speed:
            self.speed = settings.animation_speed
            self.speed_slider.set_current_value(math.log2(self.speed))
            self.speed_label.set_text(f"×{self.speed:.2g}")

    def _spawn_backward(self, magnitude: np.ndarray) -> None:
        spawn_backward(self.particles, self.layout, magnitude,
                       self.animation.phase_seconds("backward"))

    def on_animation_done(self) -> None:
        """Hook: a step's animation finished (the play scene shows win/lose here)."""

    def refresh_boundary(self) -> None:
        """Recompute the heatmap and the ½ contour from the core's predict_grid."""
        grid = self.attempt.network.predict_grid(HEATMAP_CELLS)
        self.heatmap = self.field_view.heatmap_surface(grid)
        self.contour = self.field_view.contour_points(grid)
        self.network_view.set_thumbnails(hidden_grids(self.attempt.network, self.layout.thumb_side),
                                         self.attempt.network.activation)

    # --------------------------------------------------------------- draw
