"""The attempt's fruit: placing and removing the player's fruit, and the level's
given fruit that it marks `removable`.

A mixin of game.core.attempt.Attempt, apart only to keep that file readable: these
methods read and write the attempt's state (level, points, given_removed, log and
the cached training set) and follow its rules (refused, never raised; logged).
"""

from __future__ import annotations

import math

from game.core import action_log
from game.core.attempt_records import Result
from game.core.levels import Point


class FruitActions:
    """Attempt's fruit actions."""

    def given_in_play(self) -> list[Point]:
        """The level's given fruit, less those the player removed, in the level's order."""
        return [p for p, gone in zip(self.level.given, self.given_removed) if not gone]

    def add_point(self, x1: float, x2: float, label: int) -> Result:
        """Place a fruit at sweetness x1, redness x2 with label 1 🍓 or 0 🍋."""
        if refused := self._refuse_if_over():
            return refused
        if self.points_left <= 0:
            return Result(False, f"No fruit left to place: the budget is "
                                 f"{self.level.point_budget}. Remove one to place another.")
        if not all(isinstance(v, (int, float)) and math.isfinite(v) and 0 <= v <= 1
                   for v in (x1, x2)):
            return Result(False, "Fruit must go inside the field (sweetness and redness 0 to 1).")
        if label not in (0, 1):
            return Result(False, "A fruit is a strawberry (1) or a lemon (0).")
        self.points.append(Point(float(x1), float(x2), int(label)))
        self._training = self._measured_points = None
        self.log.append({"op": "add", "x1": float(x1), "x2": float(x2), "label": int(label)})
        return Result(True)

    def remove_point(self, index: int) -> Result:
        """Take away the player's point number `index` (given points stay)."""
        if refused := self._refuse_if_over():
            return refused
        if not isinstance(index, int) or not 0 <= index < len(self.points):
            return Result(False, "There is no placed fruit there to remove.")
        # Removing the fruit just placed undoes it exactly: placing and removing
        # fruit never touches the network or the accuracy, so both entries go.
        cancels = action_log.last_op(self.log) == "add" and index == len(self.points) - 1
        del self.points[index]
        self._training = self._measured_points = None
        self.log_rules.record(self.log, {"op": "remove", "index": index}, drop_last=cancels, keep=not cancels)
        return Result(True)

    def remove_given(self, index: int) -> Result:
        """Take given fruit number `index` (in the level's order) out of training, if the
        level marks it removable. It does not count against the point budget either way."""
        if refused := self._refuse_if_over():
            return refused
        if not isinstance(index, int) or isinstance(index, bool) \
                or not 0 <= index < len(self.level.given) or self.given_removed[index]:
            return Result(False, "There is no given fruit there to remove.")
        if not self.level.given[index].removable:
            return Result(False, "This fruit came with the level, and it stays.")
        self.given_removed[index] = True
        self._training = self._measured_points = None
        self.log.append({"op": "remove_given", "index": index})
        return Result(True)

    def restore_given(self, index: int) -> Result:
        """Put a removed given fruit back (undo); right after its removal, both leave the log."""
        if refused := self._refuse_if_over():
            return refused
        if not isinstance(index, int) or isinstance(index, bool) \
                or not 0 <= index < len(self.level.given) or not self.given_removed[index]:
            return Result(False, "That given fruit is not removed.")
        self.given_removed[index] = False
        self._training = self._measured_points = None
        cancels = self.log[-1:] == [{"op": "remove_given", "index": index}]
        self.log_rules.record(self.log, {"op": "restore_given", "index": index},
                              drop_last=cancels, keep=not cancels)
        return Result(True)
