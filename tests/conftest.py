"""Test setup: pygame must never open a real window or sound device in tests."""

import os

# Set before anything imports pygame, so every scene renders off-screen.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

# Nothing a test does may touch the real user data folder.
import tempfile  # noqa: E402

os.environ["FRUITNET_DATA_DIR"] = tempfile.mkdtemp(prefix="fruitnet-test-data-")
