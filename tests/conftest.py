"""Test setup: pygame must never open a real window or sound device in tests."""

import os

# Set before anything imports pygame, so every scene renders off-screen.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

# Nothing a test does may touch the real user data folder.
import tempfile  # noqa: E402

os.environ["FRUITNET_DATA_DIR"] = tempfile.mkdtemp(prefix="fruitnet-test-data-")


import sys  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def default_palette():
    """Every test ends in the default palette: an App applying settings sets the palette
    for the whole process (game/view/palette.py), and later tests compare pixels."""
    yield
    palette = sys.modules.get("game.view.palette")
    if palette is not None:
        palette.use_palette("default")
