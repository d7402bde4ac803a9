"""Test setup: pygame must never open a real window or sound device in tests."""

import os

# Set before anything imports pygame, so every scene renders off-screen.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
