"""FruitNet: a game that makes backpropagation visible."""

import os

# pygame prints a banner on import; the command line must keep stdout clean (bench prints JSON).
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

__version__ = "0.1.0"
