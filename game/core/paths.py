"""Where FruitNet keeps the player's files: the per-user data folder.

platformdirs gives the right folder on each system (`~/.local/share/fruitnet` on
Linux). `FRUITNET_DATA_DIR` overrides it, so tests, the soak and classroom
machines with a shared drive can point the game elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def data_dir() -> Path:
    """The user's FruitNet data folder (not created here)."""
    override = os.environ.get("FRUITNET_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir("fruitnet", appauthor=False))


def user_levels_dir() -> Path:
    """Where the sandbox saves levels, and where `fruitnet play ID` also looks."""
    return data_dir() / "levels"


def log_dir() -> Path:
    """Where the game writes the log of errors it caught and survived."""
    return data_dir() / "logs"
