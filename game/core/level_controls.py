"""Which controls a level offers, and Shake: a small seeded nudge to every weight.

    controls = ["step", "reset", "shake"]     # Step only, Reset, and a Shake button

`controls` shapes how the player trains, not what training computes: a level
that offers only Step makes every step one the player watches. The default is
every button but Shake. Step is always offered (without it nothing can train).

Shake adds Gaussian noise of standard deviation SHAKE_SIZE to every weight and
bias that trains (frozen blocks stay). The noise is drawn from the level's init
seed and the number of shakes so far in the attempt, so a replay shakes the same
way. It breaks a symmetry that training alone never breaks: neurons that start
identical get identical updates for ever (the identical-twins lesson).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from game.core.fields import Fields

CONTROLS = ("step", "train10", "train100", "auto", "reset", "shake")
DEFAULT_CONTROLS = ("step", "train10", "train100", "auto", "reset")
SHAKE_SIZE = 0.1  # small next to a Glorot weight (~0.5–1): it separates twins, not a fresh start
_SHAKE_STREAM = 0x5AA4E  # keeps shake draws apart from the init and sample draws of the same seed


def controls_field(top: Fields) -> tuple[str, ...]:
    """The level's `controls`, in CONTROLS order; DEFAULT_CONTROLS when absent."""
    expected = f"a list of different names among {', '.join(CONTROLS)}, including \"step\""
    value = top.raw("controls", expected, default=list(DEFAULT_CONTROLS))
    if not isinstance(value, list) or not all(isinstance(v, str) and v in CONTROLS for v in value) \
            or len(set(value)) != len(value) or "step" not in value:
        top.fail("controls", expected, value)
    return tuple(name for name in CONTROLS if name in value)


def shake_noise(shapes: Sequence[tuple[int, ...]], seed: int, count: int) -> list[np.ndarray]:
    """Noise for the `count`-th shake (from 0) of a level with init seed `seed`.

    shapes: the parameter shapes in order (W1 (n1, 2), b1 (n1,), W2 …); returns
    one float64 array of each shape, N(0, SHAKE_SIZE²) per entry.
    """
    rng = np.random.default_rng(np.random.SeedSequence([seed, _SHAKE_STREAM, count]))
    return [rng.normal(0.0, SHAKE_SIZE, size=shape) for shape in shapes]



def shake_network(network, seed: int, count: int) -> None:
    """Shake `network` (a game.core.net.Network) in place: the `count`-th shake's noise on
    every weight and bias block that is not frozen."""
    blocks = [p for l, (W, b) in enumerate(zip(network.weights, network.biases))
              for p, name in ((W, f"W{l + 1}"), (b, f"b{l + 1}")) if name not in network.frozen]
    for block, noise in zip(blocks, shake_noise([p.shape for p in blocks], seed, count)):
        block += noise  # in place: the network's step kernel works on these very arrays
