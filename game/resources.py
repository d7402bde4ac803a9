"""Where the bundled assets and levels live.

A wheel carries them inside the package (`game/assets`, `game/levels`, put there by
hatch's force-include). An editable install ignores force-include, so there they are
found at the repository root instead.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    inside = _PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    return _PACKAGE_DIR.parent / name


def assets_dir() -> Path:
    """The folder holding fonts and sprites."""
    return _bundled("assets")


def levels_dir() -> Path:
    """The folder holding the shipped level packs."""
    return _bundled("levels")
