"""Pure game logic: the network, datasets, levels, attempts, replays and saves.

Nothing under this package may import pygame; `tests/test_layers.py` enforces it.
"""
