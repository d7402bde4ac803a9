"""When the coach speaks: each kind of hint once per attempt, for a while, as things change."""

from __future__ import annotations

from game.core.attempt import Attempt
from game.core.coach import advice

NOTE_SECONDS = 12.0


class CoachNotes:
    """The coach's note on screen now, if any, and which kinds were already shown."""

    def __init__(self) -> None:
        self.note: str | None = None
        self._left = 0.0
        self._shown: set[str] = set()
        self._seen_state: tuple[int, int] | None = None

    def update(self, dt: float, attempt: Attempt) -> None:
        """Count the note down; ask the coach again when a step or a fruit changed things."""
        if self.note is not None:
            self._left -= dt
            if self._left <= 0:
                self.note = None
        state = (attempt.steps_used, len(attempt.points))
        if state == self._seen_state:
            return
        self._seen_state = state
        found = advice(attempt)
        if found is not None and found.kind not in self._shown:
            self._shown.add(found.kind)
            self.note, self._left = found.text, NOTE_SECONDS
