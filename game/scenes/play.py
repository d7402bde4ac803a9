"""The play screen: one level, its budgets, and the win and lose overlays."""

from __future__ import annotations

import pygame
import pygame_gui

from game.core import campaign
from game.core.attempt import PLAYING, WON, Attempt
from game.core.levels import Level, LevelError, Pack
from game.resources import levels_dir
from game.scenes.card import dialog_key
from game.scenes.overlays import LevelIntro, ResultOverlay
from game.scenes.quiz_card import QuizCard, quiz_verdict
from game.scenes.training import TrainingScene
from game.scenes.training_layout import CONTROLS_RECT, SIDE_RECT
from game.view import sounds
from game.view.panels import draw_history


def hidden_choice_text(size: int, layers: int) -> str:
    """How a hidden-layer choice reads in the drop-down."""
    if layers == 0:
        return "no hidden layer"
    return f"{layers} × {size} neurons" if layers > 1 else f"{size} neurons"


class PlayScene(TrainingScene):
    """Play `level`; with a pack, the win overlay offers the next level."""

    def __init__(self, level: Level, pack: Pack | None = None) -> None:
        self.level = level
        self.pack = pack
        self.failures = 0
        self._overlay_shown = False
        self._result_counted = False  # a lost attempt counts once toward the hints
        self._on_confirm = None  # what the open confirmation dialog does when confirmed
        self._following: tuple | None = None  # (next level and pack, or None), once looked up
        self._dialog = None
        self.seconds_played = 0.0  # game time on this attempt, for the saved record
        self._quiz_pending = False  # training stopped before a question: ask it when the step ends
        self._saved = False
        super().__init__(Attempt(level))
        self._build_hidden_menu()
        self.harvest_button = None
        if level.win == "harvest":
            r = CONTROLS_RECT
            self.harvest_button = pygame_gui.elements.UIButton(
                pygame.Rect(r.x + 292, r.y + 164, 134, 32), "Harvest (Enter)", self.manager,
                object_id="#primary", tool_tip_text="Judge the orchard now. You harvest once.")

    def _build_hidden_menu(self) -> None:
        r = CONTROLS_RECT
        pygame_gui.elements.UILabel(pygame.Rect(r.x + 10, r.y + 47, 130, 26), "Hidden layer",
                                    self.manager)
        self._choices = {}
        for layers in self.level.hidden_layers:
            for size in (self.level.hidden_sizes if layers else self.level.hidden_sizes[:1]):
                self._choices[hidden_choice_text(size, layers)] = (size, layers)
        self._make_hidden_menu()

    def _make_hidden_menu(self) -> None:
        """The drop-downs (hidden layer; activation where the level lets it change),
        showing the network actually in use."""
        r, menu = CONTROLS_RECT, pygame_gui.elements.UIDropDownMenu
        current = hidden_choice_text(self.attempt.hidden_size, self.attempt.hidden_layers)
        activations = self.attempt.activation_choices
        width = 220 if len(activations) == 1 else 150
        self.hidden_menu = menu(list(self._choices), current,
                                pygame.Rect(r.x + 140, r.y + 46, width, 28), self.manager)
        if len(self._choices) == 1:
            self.hidden_menu.disable()
        self.activation_menu = None
        if len(activations) > 1:
            self.activation_menu = menu(list(activations), self.attempt.activation,
                                        pygame.Rect(r.x + 296, r.y + 46, 130, 28), self.manager)

    def handle_event(self, event: pygame.event.Event) -> None:
        if self._dialog is not None and (answer := dialog_key(event)) is not None:
            self._answer_dialog(confirmed=answer)
            return
        menus = (self.hidden_menu, self.activation_menu)
        if event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element in menus \
                and self.attempt.state != PLAYING:
            self._show_current_hidden()  # an ended attempt: back to the result card, no question
            self._reopen_result()
            return
        if event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED and event.ui_element is self.hidden_menu:
            self._ask_to_change_hidden(self._choices[event.text])
            return
        if event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED \
                and event.ui_element is self.activation_menu and event.text != self.attempt.activation:
            self._confirm(lambda: self._change_activation(event.text),
                          f"Changing the activation to {event.text} builds a new network: its "
                          "weights start again from the level's seed. Steps already used stay used.",
                          "Rebuild the network?", "Rebuild")
            return
        if event.type == pygame_gui.UI_CONFIRMATION_DIALOG_CONFIRMED and event.ui_element is self._dialog:
            self._dialog, confirmed = None, self._on_confirm
            confirmed()
            return
        harvest_key = event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) \
            and not self._typing()
        if self.harvest_button is not None and (harvest_key or (
                event.type == pygame_gui.UI_BUTTON_PRESSED and event.ui_element is self.harvest_button)):
            self.ask_to_harvest()
            return
        if event.type == pygame_gui.UI_WINDOW_CLOSE and event.ui_element is self._dialog:
            self._dialog = None
            self._show_current_hidden()
        super().handle_event(event)

    def _ask_to_change_hidden(self, choice: tuple[int, int]) -> None:
        if choice == (self.attempt.hidden_size, self.attempt.hidden_layers):
            return
        self._confirm(lambda: self._change_hidden(*choice),
                      "Changing the hidden layer builds a new network: its weights start again "
                      "from the level's seed. Steps already used stay used.",
                      "Rebuild the network?", "Rebuild")

    def _answer_dialog(self, confirmed: bool) -> None:
        """The open question, answered from the keyboard: Enter confirms, Escape declines."""
        dialog, on_confirm = self._dialog, self._on_confirm
        self._dialog = None
        dialog.kill()
        self._show_current_hidden()
        if confirmed:
            on_confirm()

    def perform(self, action: str) -> None:
        if action == "hidden" and len(self._choices) > 1:
            choices = list(self._choices.values())
            current = (self.attempt.hidden_size, self.attempt.hidden_layers)
            following = choices[(choices.index(current) + 1) % len(choices)] \
                if current in choices else choices[0]
            self._ask_to_change_hidden(following)
        else:
            super().perform(action)

    def _confirm(self, on_confirm, question: str, title: str, action: str) -> None:
        """Ask before an action that cannot be taken back; `on_confirm` runs on yes."""
        if self._dialog is not None:
            self._dialog.kill()
        self._on_confirm = on_confirm
        self._dialog = pygame_gui.windows.UIConfirmationDialog(
            pygame.Rect(440, 260, 400, 200), question, self.manager, window_title=title,
            action_short_name=action)

    def ask_to_harvest(self) -> None:
        """Harvest ends the attempt either way, so it is confirmed first."""
        if self._reopen_result():
            return
        self._stop_auto()
        self._confirm(self.harvest,
                      f"The orchard is judged once, now. If fewer than "
                      f"{self.level.target_accuracy:.0%} of its fruit are sorted right, the "
                      "attempt ends. Harvest?", "Harvest the orchard?", "Harvest")

    def harvest(self) -> None:
        """Score the orchard now (after the confirmation)."""
        if self.act(self.attempt.harvest()):
            self._show_result()

    def _change_hidden(self, size: int, layers: int) -> None:
        if self.act(self.attempt.set_hidden(size, layers)):
            self.after_network_change(f"New network: {hidden_choice_text(size, layers)}.")
        self._show_current_hidden()

    def _change_activation(self, name: str) -> None:
        if self.act(self.attempt.set_activation(name)):
            self.after_network_change(f"New network: {name} hidden neurons.")
        self._show_current_hidden()

    def _show_current_hidden(self) -> None:
        """Put the drop-downs back on the network actually in use."""
        current = hidden_choice_text(self.attempt.hidden_size, self.attempt.hidden_layers)
        menus = [m for m in (self.hidden_menu, self.activation_menu) if m is not None]
        if self.hidden_menu.selected_option[0] != current or (
                self.activation_menu is not None
                and self.activation_menu.selected_option[0] != self.attempt.activation):
            for menu in menus:
                menu.kill()
            self._make_hidden_menu()

    def update(self, dt: float) -> None:
        if self.attempt.state == PLAYING:
            self.seconds_played += dt
        super().update(dt)
        if self._quiz_pending and self.stack is not None and self.stack.top is self \
                and self.animation is None:
            self._quiz_pending = False
            self._ask_quiz()  # Train ×100 or Auto stopped just before a question

    def _ask_quiz(self) -> bool:
        """Show the question due before the next step, if one waits; True if it does."""
        quiz = self.attempt.quiz_book.waiting(self.attempt.steps_used)
        if quiz is None or self.attempt.state != PLAYING or self.attempt.current_sample() is None:
            return False  # no fruit yet: the question waits for one to ask about
        self._stop_auto()
        if not isinstance(self.stack.top, QuizCard):
            self.stack.push(QuizCard(self, quiz))
        return True

    def answer(self, choice: str) -> None:
        """The player's prediction; the step then runs, animated, and says who was right."""
        if not self.act(self.attempt.answer_quiz(choice)):
            return
        self.train(1)
        answer = self.attempt.quiz_book.answers[-1] if self.attempt.quiz_book.answers else None
        if answer is not None and answer.choice == choice:
            self.show_toast(quiz_verdict(answer, self.attempt.network.depth), 6.0, good=answer.right)

    def selected_edge(self) -> int | None:
        """While a question waits, its weight's edge is highlighted."""
        quiz = self.attempt.quiz_book.waiting(self.attempt.steps_used)
        return None if quiz is None else self.layout.edge_number(*quiz.weight_index())

    def draw_side(self, surface: pygame.Surface) -> None:
        draw_history(surface, SIDE_RECT, self.attempt.history)

    def train(self, n: int, animate: bool = True) -> None:
        if self._reopen_result() or self._ask_quiz():
            return
        super().train(n, animate)
        # A question is asked when the player trains, never while fruit are being placed.
        self._quiz_pending = self.attempt.quiz_book.waiting(self.attempt.steps_used) is not None
        if self.attempt.state != PLAYING and (self.animation is None or self.animation.trace is None):
            self._show_result()

    def reset_weights(self) -> None:
        if not self._reopen_result():
            super().reset_weights()

    def _reopen_result(self) -> bool:
        """After "Look at the field", any training action brings the result card back."""
        if self.attempt.state == PLAYING:
            return False
        self._overlay_shown = False
        self._show_result()
        return True

    def on_animation_done(self) -> None:
        if self.attempt.state != PLAYING:
            self._show_result()

    def _show_result(self) -> None:
        if self._overlay_shown:
            return
        first_time = not self._result_counted
        self._overlay_shown = self._result_counted = True
        if self.attempt.state != WON and first_time:
            self.failures += 1
        if first_time:
            sounds.play_result(self.attempt)
            self.save_attempt()
        # The scene below stops updating while the card is up: show it finished, not mid-fade.
        self.animation, self.previous_heatmap = None, None
        self.particles.clear()
        self._stop_auto()
        self.stack.push(ResultOverlay(self))

    def next_level(self) -> tuple[Level, Pack] | None:
        """The level after this one: in its pack, or the next chapter's first; None at the end."""
        if self._following is None:
            try:
                self._following = (campaign.following(self.level, self.pack, levels_dir()),)
            except LevelError:  # a broken next chapter must not break this one
                self._following = (None,)
        return self._following[0]

    def save_attempt(self) -> None:
        """Record this attempt in the session's progress, once; a problem becomes a toast."""
        session = self.stack.session if self.stack is not None else None
        if self._saved or session is None:
            return
        self._saved = True
        if message := session.record(self.pack, self.attempt, self.seconds_played):
            self.show_toast(message, 6.0)

    def leave(self) -> None:
        """The player is leaving this attempt (Retry, Next, Level select, Quit): keep its record."""
        if self.attempt.state == PLAYING and self.attempt.steps_used:
            self.save_attempt()  # as "abandoned"; an attempt that ended was saved at its card

    def go_to_next_level(self) -> None:
        """The next level, on its intro card; after a pack's last level, the pack-complete card."""
        following = self.next_level()
        self.leave()
        if self.pack is not None and (following is None or following[1].id != self.pack.id):
            from game.scenes.pack_complete import PackComplete
            self.stack.push(PackComplete(self.pack, following))
            return
        if following is None:
            return
        open_level(self.stack, *following)

    def retry(self) -> None:
        """A fresh attempt at the same level. The hint count carries over, and so do the
        player's choices of η, hidden layer and activation (the new attempt records them)."""
        self.leave()
        scene = PlayScene(self.level, self.pack)
        scene.failures = self.failures
        old, new = self.attempt, scene.attempt
        if old.activation != new.activation:
            new.set_activation(old.activation)
        if (old.hidden_size, old.hidden_layers) != (new.hidden_size, new.hidden_layers):
            new.set_hidden(old.hidden_size, old.hidden_layers)
        new.set_learning_rate(old.lr)
        scene.after_network_change()
        scene._show_current_hidden()
        self.stack.replace(scene)

    @property
    def won(self) -> bool:
        return self.attempt.state == WON


def open_level(stack, level: Level, pack: Pack | None) -> None:
    """Replace the stack with `level`, opening on its intro card."""
    scene = PlayScene(level, pack)
    stack.replace(scene)
    stack.push(LevelIntro(scene))
