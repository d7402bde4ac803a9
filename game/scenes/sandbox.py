"""The sandbox: every control unlocked, preset datasets, weight editing, Save as level.

It doubles as the teacher's level editor: what is on the field is saved as a
level TOML (validated by the loader before it counts). Saving onto a file that
already exists asks first; the old version is then kept as a backup (see
game/core/sandbox.py). The controls' ranges come from game/core/sandbox_limits.py.
"""

from __future__ import annotations

from pathlib import Path

import pygame
import pygame_gui

from game.core.attempt import Attempt
from game.core.datasets import GENERATORS
from game.core.levels import LevelError
from game.core.paths import user_levels_dir
from game.core.sandbox import (
    LevelExists,
    Preset,
    backup_name,
    clean_stale_temp_files,
    level_document,
    sandbox_level,
    save_level,
)
from game.core.sandbox_limits import LIMITS
from game.scenes.training import TrainingScene
from game.scenes.training_layout import CONTROLS_RECT, SIDE_RECT
from game.view import theme
from game.view.panels import BudgetInfo
from game.view.text_safety import guarded_entry

NO_PRESET = "empty field"
SANDBOX_LR = 3.0  # quick enough to see the boundary move within a few ×10s


DEFAULT_PRESET = Preset("clusters", 120, 0.05)


class SandboxScene(TrainingScene):
    """Free play on a preset dataset (clusters by default)."""

    def __init__(self, preset: Preset | None = DEFAULT_PRESET,
                 save_folder: Path | None = None) -> None:
        self.preset = preset
        self.save_folder = save_folder or user_levels_dir()
        self.weight_entry = None
        self.editing_edge: int | None = None
        self._dialog = None  # the "replace the saved level?" question, while it is open
        self._pending_save: dict | None = None
        clean_stale_temp_files(self.save_folder)  # left by a save that was killed
        super().__init__(Attempt(sandbox_level(preset), free_play=True))
        self.attempt.set_learning_rate(SANDBOX_LR)
        self._build_sandbox_controls()
        self.sync_controls()

    # ------------------------------------------------------------ controls
    def _row(self, k: int, caption: str) -> pygame.Rect:
        """Caption on the left of row k; returns the rect for its control."""
        r = SIDE_RECT
        y = r.y + 30 + k * 34
        self.row_labels[k] = pygame_gui.elements.UILabel(pygame.Rect(r.x + 6, y, 86, 28),
                                                         caption, self.manager)
        return self._row_rect(k)

    def _build_sandbox_controls(self) -> None:
        self.row_labels: dict[int, pygame_gui.elements.UILabel] = {}
        m, menu = self.manager, pygame_gui.elements.UIDropDownMenu
        names = list(GENERATORS) + [NO_PRESET]
        current = self.preset.generator if self.preset else NO_PRESET
        self.preset_menu = menu(names, current, self._row(0, "Dataset"), m)
        count = self.preset.count if self.preset else 120
        noise = self.preset.noise if self.preset else 0.05
        self.count_slider = pygame_gui.elements.UIHorizontalSlider(
            self._row(1, f"Fruit {count}"), count, (LIMITS.count_min, LIMITS.count_max), m,
            click_increment=LIMITS.count_step)
        self.noise_slider = pygame_gui.elements.UIHorizontalSlider(
            self._row(2, "Noise"), noise, (0.0, LIMITS.noise_max), m,
            click_increment=LIMITS.noise_step)
        self.layers_menu = menu([str(k) for k in LIMITS.hidden_layers],
                                str(self.attempt.hidden_layers), self._row(3, "Layers"), m)
        self.size_menu = menu([str(k) for k in LIMITS.hidden_sizes], str(self.attempt.hidden_size),
                              self._row(4, "Neurons"), m)
        self.activation_menu = menu(list(LIMITS.activations), self.attempt.activation,
                                    self._row(5, "Activation"), m)
        r = SIDE_RECT
        self.clear_button = pygame_gui.elements.UIButton(
            pygame.Rect(r.x + 8, r.y + 30 + 6 * 34, r.w - 16, 28), "Clear the field", m)
        self.name_entry = guarded_entry(
            pygame.Rect(r.x + 8, r.y + 30 + 7 * 34 + 4, r.w - 16, 28), m,
            placeholder_text="level name")
        self.save_button = pygame_gui.elements.UIButton(
            pygame.Rect(r.x + 8, r.y + 30 + 8 * 34 + 2, r.w - 16, 30), "Save as level", m,
            object_id="#primary")
        pygame_gui.elements.UILabel(pygame.Rect(CONTROLS_RECT.x + 6, CONTROLS_RECT.y + 47, 420, 26),
                                    "Click an edge in the network to type a new weight.", m)

    def sync_controls(self) -> None:
        """Also put the architecture menus on the network in use."""
        super().sync_controls()
        if not hasattr(self, "layers_menu"):
            return  # called while the base scene is still being built
        wanted = {3: str(self.attempt.hidden_layers), 4: str(self.attempt.hidden_size),
                  5: self.attempt.activation}
        menus = {3: "layers_menu", 4: "size_menu", 5: "activation_menu"}
        for row, name in menus.items():
            menu = getattr(self, name)
            if menu.selected_option[0] != wanted[row]:
                options = [option[0] for option in menu.options_list]
                menu.kill()
                setattr(self, name, pygame_gui.elements.UIDropDownMenu(
                    options, wanted[row], self._row_rect(row), self.manager))

    # -------------------------------------------------------------- input
    def handle_event(self, event: pygame.event.Event) -> None:
        if event.type == pygame_gui.UI_CONFIRMATION_DIALOG_CONFIRMED and event.ui_element is self._dialog:
            self._confirm_overwrite()
            return
        if event.type == pygame_gui.UI_WINDOW_CLOSE and event.ui_element is self._dialog:
            self._dialog = self._pending_save = None  # closed without confirming: nothing saved
        if event.type == pygame_gui.UI_DROP_DOWN_MENU_CHANGED:
            self._on_menu(event.ui_element, event.text)
        elif event.type == pygame_gui.UI_HORIZONTAL_SLIDER_MOVED and event.ui_element in (
                self.count_slider, self.noise_slider):
            self.row_labels[1].set_text(f"Fruit {int(self.count_slider.get_current_value())}")
            if self.preset is not None:
                self._load_preset(self.preset.generator)
            return
        elif event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED:
            if event.ui_element is self.weight_entry:
                self._finish_weight_edit(event.text)
            elif event.ui_element is self.name_entry:
                self.save()
            return
        elif event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.clear_button:
                self.clear()
                return
            if event.ui_element is self.save_button:
                self.save()
                return
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            edge = self.layout.edge_at(event.pos)
            if edge is not None and not self.manager.get_hovering_any_element():
                self._start_weight_edit(edge, event.pos)
                return
        super().handle_event(event)

    def _on_menu(self, element, text: str) -> None:
        if element is self.preset_menu:
            self._load_preset(None if text == NO_PRESET else text)
        elif element in (self.layers_menu, self.size_menu):
            size, layers = int(self.size_menu.selected_option[0]), int(self.layers_menu.selected_option[0])
            if self.act(self.attempt.set_hidden(size, layers)):
                self.after_network_change()
        elif element is self.activation_menu:
            if self.act(self.attempt.set_activation(text)):
                self.after_network_change()

    def _load_preset(self, generator: str | None) -> None:
        """Rebuild the sandbox on a new dataset, keeping the player's fruit and settings."""
        count = int(self.count_slider.get_current_value())
        noise = round(float(self.noise_slider.get_current_value()), 3)
        self.preset = Preset(generator, count, noise) if generator else None
        old = self.attempt
        level = sandbox_level(self.preset, old.hidden_size, old.hidden_layers, old.activation)
        self.attempt = Attempt(level, free_play=True)
        self.attempt.set_learning_rate(old.lr)
        for p in old.points:
            self.attempt.add_point(p.x1, p.x2, p.label)
        self.after_network_change()

    def clear(self) -> None:
        """Empty the field: no dataset and none of the player's fruit."""
        self.preset_menu.kill()
        self.preset_menu = pygame_gui.elements.UIDropDownMenu(
            list(GENERATORS) + [NO_PRESET], NO_PRESET, self._row_rect(0), self.manager)
        self.preset = None
        for k in range(len(self.attempt.points) - 1, -1, -1):
            self.attempt.remove_point(k)
        self._load_preset(None)
        self.show_toast("Field cleared. Left click a strawberry, right click a lemon.", good=True)

    def _row_rect(self, k: int) -> pygame.Rect:
        return pygame.Rect(SIDE_RECT.x + 92, SIDE_RECT.y + 30 + k * 34, SIDE_RECT.w - 100, 28)

    def _start_weight_edit(self, edge: int, pos: tuple[int, int]) -> None:
        if self.weight_entry is not None:
            self.weight_entry.kill()
        l, j, i = self.layout.edge_index[edge]
        self.editing_edge = edge
        rect = pygame.Rect(pos[0] - 50, pos[1] + 12, 100, 30)
        weight = self.attempt.network.weights[l][j, i]
        self.weight_entry = guarded_entry(rect, self.manager, initial_text=f"{weight:.4f}")
        self.manager.set_focus_set(self.weight_entry)

    def _finish_weight_edit(self, text: str) -> None:
        l, j, i = self.layout.edge_index[self.editing_edge]
        try:
            value = float(text.replace("−", "-"))
        except ValueError:
            self.show_toast(f"“{text}” is not a number.")
            return
        if self.act(self.attempt.set_weight(l, j, i, value)):
            self.refresh_boundary()
            self.show_toast(f"Weight set to {value:g}.", good=True)
        self.weight_entry.kill()
        self.weight_entry = None
        self.editing_edge = None

    def save(self) -> None:
        """Write the field as a level file; onto an existing file only after asking."""
        if not self.name_entry.get_text().strip():
            self.show_toast("Type a level name first.")
            return
        try:
            document = level_document(self.attempt, self.preset, self.name_entry.get_text())
        except LevelError as error:  # nothing usable left once unprintable characters are dropped
            self.show_toast(_one_line(error))
            return
        try:
            self._write(document, overwrite=False)
        except LevelExists as exists:
            self._ask_to_overwrite(document, exists.path)

    def _write(self, document: dict, overwrite: bool) -> None:
        """Save and say where; a refusal is a one-line toast. LevelExists is left to the caller."""
        try:
            path, level = save_level(document, self.save_folder, overwrite=overwrite)
        except LevelExists:
            raise
        except LevelError as error:
            self.show_toast(_one_line(error), 6.0)
            return
        except OSError as error:  # a full disk, a read-only folder: nothing was replaced
            self.show_toast(_one_line(f"Could not save the level: {error.strerror or error}"), 6.0)
            return
        self.show_toast(f"Saved “{level.title}” to {path}", 6.0, good=True)
        self.last_saved = path

    def _ask_to_overwrite(self, document: dict, path: Path) -> None:
        """A confirmation naming the file that exists; the save waits for the answer."""
        if self._dialog is not None:
            self._dialog.kill()
        self._pending_save = document
        self.toast = None  # an older "Saved …" would contradict the question
        self._dialog = pygame_gui.windows.UIConfirmationDialog(
            pygame.Rect(440, 250, 400, 220),
            f"A level file named {path.name} already exists in {path.parent}. "
            f"Replace it? Its old version is kept as a backup, {backup_name(path.name, 1)}.",
            self.manager, window_title="Replace the saved level?", action_short_name="Replace")

    def _confirm_overwrite(self) -> None:
        """The player said Replace: save again, keeping the old version as backup 1."""
        if self._dialog.alive():  # the dialog closes itself on a click; not on a posted event
            self._dialog.kill()
        document, self._pending_save, self._dialog = self._pending_save, None, None
        if document is not None:
            self._write(document, overwrite=True)

    # --------------------------------------------------------------- draw
    def budget_info(self) -> BudgetInfo:
        a = self.attempt
        return BudgetInfo("Sandbox", a.steps_used, None, len(a.points), None, a.accuracy, None, a.lr)

    def _lr_range(self) -> tuple[float, float]:
        return LIMITS.lr_min, LIMITS.lr_max

    def selected_edge(self) -> int | None:
        """The edge whose weight is being typed in, drawn highlighted."""
        return self.editing_edge

    def draw_side(self, surface: pygame.Surface) -> None:
        theme.draw_panel(surface, SIDE_RECT, "Sandbox")


def _one_line(error: Exception | str) -> str:
    """A message as one short line for a toast: the end, which says what went wrong."""
    text = " ".join(str(error).split())
    return text if len(text) <= 110 else "…" + text[-109:]
