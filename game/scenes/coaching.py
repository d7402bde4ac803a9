"""When the coach speaks: each kind of hint once per attempt, for a while, while it holds."""

from __future__ import annotations

from game.core.attempt import Attempt
from game.core.coach import advice
from game.scenes.explain_pages import PAGES

NOTE_SECONDS = 12.0


class CoachNotes:
    """The coach's note on screen now, if any, and which kinds were already shown."""

    def __init__(self) -> None:
        self.note: str | None = None
        self.page: int | None = None  # the explanation page (from 1) the note points to
        self._kind: str | None = None  # the kind of the note on screen
        self._left = 0.0
        self._shown: set[str] = set()
        self._seen_state: tuple[int, int] | None = None

    def update(self, dt: float, attempt: Attempt) -> None:
        """Count the note down; ask the coach again when a step or a fruit changed things."""
        if self.note is not None:
            self._left -= dt
            if self._left <= 0:
                self.note = self.page = None
        state = (attempt.steps_used, len(attempt.points))
        if state == self._seen_state:
            return
        self._seen_state = state
        found = advice(attempt)
        if found is None or found.kind != self._kind:
            self.note = self.page = None  # it no longer holds (a lemon placed, the target reached)
        if found is not None and found.kind not in self._shown:
            self._shown.add(found.kind)
            self.note, self._kind, self._left = found.text, found.kind, NOTE_SECONDS
            self.page = found.page

    def link(self) -> str | None:
        """The note's last line: which page explains it, opened with H."""
        if self.note is None or self.page is None:
            return None
        title = PAGES[self.page - 1][0].split(" · ", 1)[-1]
        return f"H opens page {self.page}, “{title}”, which explains why."
