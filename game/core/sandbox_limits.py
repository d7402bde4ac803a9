"""The sandbox's limits, defined once: network shapes, η range, dataset sizes.

The sandbox rules (game/core/sandbox.py), its controls (game/scenes/sandbox.py)
and the free-play checks in game/core/attempt.py all read them from here. They
must stay inside what the level loader accepts (game/core/levels.py), so that a
level saved from the sandbox always loads; tests/test_saves.py checks that.
It imports only the activation table, so any core module can use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from game.core.activations import NAMES


@dataclass(frozen=True)
class SandboxLimits:
    """What the sandbox lets a player choose, and the level-file limits a save must keep."""

    hidden_sizes: tuple[int, ...] = tuple(range(1, 9))
    hidden_layers: tuple[int, ...] = (1, 2, 3)
    activations: tuple[str, ...] = NAMES
    lr_min: float = 1e-3
    lr_max: float = 100.0
    count_min: int = 20  # fruit in a preset dataset
    count_max: int = 300
    count_step: int = 10
    noise_max: float = 0.3
    noise_step: float = 0.01
    # The level loader's limits, which a saved level's rules must respect.
    step_budget_max: int = 1_000_000
    point_budget_max: int = 1000


LIMITS = SandboxLimits()

# The shape game/core/attempt.py has always used; read-only so no caller can change it.
SANDBOX_LIMITS = MappingProxyType({"hidden_sizes": LIMITS.hidden_sizes,
                                   "hidden_layers": LIMITS.hidden_layers,
                                   "lr": (LIMITS.lr_min, LIMITS.lr_max)})
