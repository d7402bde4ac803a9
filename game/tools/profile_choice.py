"""Which saved player a command means: `--profile NAME`, or the one who played last."""

from __future__ import annotations

from game.core.progress import ProgressStore
from game.core.progress_records import Profile


def chosen_profile(store: ProgressStore, name: str | None, none_yet: str) -> tuple[Profile | None, str]:
    """(the profile called `name`, or with None the one used last; "") or (None, the line to
    print: `none_yet` when nobody has played, else the names there are)."""
    profiles = store.profiles()
    if not profiles:
        return None, none_yet
    profile = store.find_profile(name) if name is not None else profiles[0]
    if profile is None:
        return None, f"No profile called {name!r}; profiles: {', '.join(p.name for p in profiles)}"
    return profile, ""
