"""Fruit on the field, by mouse or by the keyboard's field cursor, and Ctrl+Z.

A mixin of game.scenes.training.TrainingScene, apart only to keep that file
readable: clicks and the cursor keys become the attempt's fruit actions (place,
remove, remove a removable given fruit), each remembered for undo.
"""

from __future__ import annotations

import numpy as np

from game.scenes.training_layout import REMOVE_RADIUS_PX
from game.view import sounds


class FieldInput:
    """TrainingScene's fruit placing, removing and undoing."""

    def _cursor_pos(self) -> tuple[int, int] | None:
        if self.cursor is None:
            self.show_toast("Move the field cursor with the arrow keys first.")
            return None
        (x, y), = self.field_view.to_screen(np.array([self.cursor]))
        return int(round(x)), int(round(y))

    def click_at_cursor(self, button: int) -> None:
        """1 and 2: what a left or right click does at the field cursor."""
        if (pos := self._cursor_pos()) is not None:
            self.on_click(pos, button, keep_cursor=True)

    def remove_at_cursor(self) -> None:
        pos = self._cursor_pos()
        if pos is None:
            return
        if self._player_point_at(pos) is None and self._removable_given_at(pos) is None:
            self.show_toast("There is no fruit to remove under the cursor.")
            return
        self.on_click(pos, 1, keep_cursor=True)

    def on_click(self, pos: tuple[int, int], button: int, keep_cursor: bool = False) -> None:
        where = self.field_view.to_field(pos)
        if where is None:
            return
        if not keep_cursor:
            self.cursor = None  # the mouse is in use: the keyboard's cursor steps aside
        hit = self._player_point_at(pos)
        if hit is not None:
            removed = self.attempt.points[hit]
            if self.act(self.attempt.remove_point(hit)):
                self.undo_stack.append(("removed", removed))
                sounds.play("remove")
            return
        given = self._removable_given_at(pos)
        if given is not None:
            if self.act(self.attempt.remove_given(given)):
                self.undo_stack.append(("given", given))
            return
        label = 1 if button == 1 else 0
        if self.act(self.attempt.add_point(where[0], where[1], label)):
            self.undo_stack.append(("added", self.attempt.points[-1]))
            sounds.play("place")

    def _removable_given_at(self, pos: tuple[int, int]) -> int | None:
        """The index (in the level's order) of a removable given fruit in play under pos."""
        a = self.attempt
        candidates = [k for k, p in enumerate(a.level.given) if p.removable and not a.given_removed[k]]
        if not candidates:
            return None
        X = np.array([[a.level.given[k].x1, a.level.given[k].x2] for k in candidates])
        distance = np.linalg.norm(self.field_view.to_screen(X) - np.asarray(pos), axis=1)
        best = int(distance.argmin())
        return candidates[best] if distance[best] <= REMOVE_RADIUS_PX else None

    def _player_point_at(self, pos: tuple[int, int]) -> int | None:
        if not self.attempt.points:
            return None
        X = np.array([[p.x1, p.x2] for p in self.attempt.points])
        distance = np.linalg.norm(self.field_view.to_screen(X) - np.asarray(pos), axis=1)
        best = int(distance.argmin())
        return best if distance[best] <= REMOVE_RADIUS_PX else None

    def undo(self) -> None:
        """Ctrl+Z: take back the last fruit placed or removed."""
        if not self.undo_stack:
            self.show_toast("Nothing to undo.")
            return
        kind, point = self.undo_stack.pop()
        if kind == "given":
            self.act(self.attempt.restore_given(point))  # here `point` is the given fruit's index
        elif kind == "added":
            # The stack holds the fruit itself, not its index: removing other fruit
            # since then has shifted the indices.
            index = next((k for k, p in enumerate(self.attempt.points) if p is point), None)
            if index is not None:
                self.act(self.attempt.remove_point(index))
        elif self.act(self.attempt.add_point(point.x1, point.x2, point.label)):
            placed = self.attempt.points[-1]
            self.undo_stack = [(k, placed if p is point else p) for k, p in self.undo_stack]
