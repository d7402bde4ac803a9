"""What the scenes of one run of the game share: the progress store and the player.

`fruitnet` makes one Session and puts it on the scene stack (`stack.session`).
Scenes opened without one (tests, the soak, `fruitnet shot`, `fruitnet play
LEVEL` with saving off) simply record nothing. Every store call here returns a
one-line message or None and never raises, so trouble with the disk becomes a
toast, not a crash.
"""

from __future__ import annotations

from pathlib import Path

from game.core import campaign
from game.core.class_packs import known_packs, remember
from game.core.level_map import MapLevel, level_map
from game.core.levels import LevelError, Pack, load_pack
from game.core.progress import ProgressStore
from game.core.progress_records import Profile


class Session:
    """The progress store, the player's profile and the campaign's packs."""

    def __init__(self, store: ProgressStore | None, levels_root: Path,
                 message: str | None = None) -> None:
        self.store = store
        self.profile: Profile | None = store.profile() if store is not None else None
        self.levels_root = levels_root
        self.message = message  # from opening the store: shown once by the first scene
        self._chapters: list[Pack] | None = None
        self._class_packs: list[Pack] | None = None
        self.load_error: str | None = None

    @classmethod
    def open(cls, levels_root: Path, path: str | Path | None = None) -> Session:
        """Open the store in the user data folder (or `path`); never raises."""
        store, message = ProgressStore.open(path)
        return cls(store, levels_root, message)

    def take_message(self) -> str | None:
        """The store's opening message, once."""
        message, self.message = self.message, None
        return message

    def chapters(self) -> list[Pack]:
        """The campaign's chapter packs, loaded once. A broken one is left out, and said."""
        if self._chapters is None:
            self._chapters = []
            for folder in campaign.chapter_folders(self.levels_root):
                try:
                    self._chapters.append(load_pack(folder))
                except LevelError as error:
                    self.load_error = str(error)
        return self._chapters

    def map_rows(self) -> list[list[MapLevel]]:
        """The chapter map with this player's progress: the class packs first, each with
        its own unlocking, then the campaign's chapters."""
        rows = [row for pack in self.class_packs()
                for row in level_map([pack], self._progress([pack]), prefix="Class")]
        return rows + level_map(self.chapters(), self._progress(self.chapters()))

    def _progress(self, packs: list[Pack]) -> dict:
        if self.store is None or self.profile is None:
            return {}
        return {pack.id: self.store.level_progress(self.profile, pack.id) for pack in packs}

    def class_packs(self) -> list[Pack]:
        """The teachers' packs this player has opened (kept in the data folder), newest first."""
        if self._class_packs is None:
            self._class_packs, problems = known_packs()
            if problems and self.load_error is None:
                self.load_error = problems[0]
        return self._class_packs

    def open_class_pack(self, pack: Pack) -> Pack:
        """Keep a pack a teacher handed out (its copy in the data folder, which the map
        lists from now on); LevelError if it cannot be copied."""
        kept = remember(pack)
        self._class_packs = [kept] + [p for p in self.class_packs() if p.id != kept.id]
        return kept

    def is_class_pack(self, pack: Pack | None) -> bool:
        return pack is not None and any(p.id == pack.id for p in self.class_packs())

    def hand_in(self, pack: Pack):
        """Write this player's hand-in for `pack` into the data folder's `handins`:
        (its path, None), or (None, a one-line reason)."""
        if self.store is None or self.profile is None or not self.store.saving:
            return None, "Nothing to hand in: progress is not being saved on this computer."
        from game.core.handin import default_handin_path, write_handin
        return write_handin(self.store, self.profile, pack,
                            default_handin_path(self.profile.name, pack), overwrite=True)

    def use_profile(self, name: str) -> None:
        """Play as `name` from now on (made if new); classroom hand-ins carry it."""
        if self.store is not None:
            self.profile = self.store.profile(name)

    def last_played(self) -> tuple[str, str] | None:
        if self.store is None or self.profile is None:
            return None
        return self.store.last_played(self.profile)

    def record(self, pack: Pack | None, attempt, seconds: float) -> str | None:
        """Save an attempt that ended or is being left; a message if it could not be."""
        if self.store is None or self.profile is None:
            return None
        return self.store.record_attempt(self.profile, pack.id if pack is not None else "",
                                         attempt, seconds)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None
