"""The colours that carry meaning, per palette, and the palette in use.

Three things on the play screen say something by colour alone: the field's
heatmap (strawberry side or lemon side), each edge (positive or negative
weight) and the pulses (the backward error, apart from the pale forward ones).
The loss plot's two lines too. Everything else has words or shapes with it.

"default" is the original look: strawberry red against lemon yellow, warm
against cool weights, red error. Red against yellow and red against green
differ mostly in hue along the red-green axis, which people with red-green
colour-vision deficiency (about 1 man in 12 of European descent) see poorly or
not at all. "colour-blind" moves every pair
onto the blue-yellow axis and lightness, after Okabe & Ito's (2002)
"Color Universal Design" set: strawberry blue-violet against lemon orange,
orange against sky-blue weights, a yellow error. tests/test_palette.py checks
the pairs in a simulated deuteranopia and protanopia (game/view/colour_vision.py).

The views read `current()` when they draw, and rebuild anything they cached
from it (glow sprites, heatmaps) when `generation()` moves on, so a
`use_palette` call shows on the very next frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from game.view import theme

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Palette:
    """The meaningful colours of one palette."""

    name: str
    lemon: RGB  # the heatmap at ŷ = 0: sure it is a lemon
    neutral: RGB  # the heatmap at ŷ = ½: undecided
    strawberry: RGB  # the heatmap at ŷ = 1: sure it is a strawberry
    positive: RGB  # an edge with w > 0
    negative: RGB  # an edge with w < 0
    forward: RGB  # forward pulses
    error: RGB  # backward pulses, the output's loss glow, the loss line
    accuracy: RGB  # the accuracy line beside the loss line


PALETTES = {
    "default": Palette("default", lemon=(226, 192, 40), neutral=(150, 140, 138),
                       strawberry=(206, 44, 70), positive=theme.POSITIVE,
                       negative=theme.NEGATIVE, forward=theme.FORWARD_PALE,
                       error=theme.ERROR_RED, accuracy=theme.GOOD),
    # Okabe-Ito orange (230, 159, 0), a blue-violet and sky blue (86, 180, 233), Okabe-Ito
    # yellow. The positive edge is a darker orange than the lemon end: an additive error
    # pulse needs headroom above it to show. Strawberry is blue-violet rather than the
    # negative edges' sky blue, so the field and the network do not seem to share a code.
    # Forward pulses are a pale blue, to stand further from the yellow backward ones.
    "colour-blind": Palette("colour-blind", lemon=(230, 159, 0), neutral=(140, 140, 140),
                            strawberry=(80, 70, 170), positive=(210, 140, 0),
                            negative=(86, 180, 233), forward=(200, 225, 255),
                            error=(240, 228, 66), accuracy=(86, 180, 233)),
}

_state = {"palette": PALETTES["default"], "generation": 0}
_listeners: list[Callable[[], None]] = []


def current() -> Palette:
    """The palette in use."""
    return _state["palette"]


def generation() -> int:
    """A number that changes whenever the palette does: caches compare it with theirs."""
    return _state["generation"]


def use_palette(name: str) -> None:
    """Draw with palette `name` (a key of PALETTES) from the next frame on.

    Choosing the palette already in use does nothing, so the app may call this
    on every settings change (a dragged slider posts many).
    """
    if name not in PALETTES:
        raise ValueError(f"palette: expected one of {', '.join(PALETTES)}, got {name!r}")
    if PALETTES[name] is _state["palette"]:
        return
    _state["palette"] = PALETTES[name]
    _state["generation"] += 1
    for listener in list(_listeners):
        listener()


def on_change(listener: Callable[[], None]) -> None:
    """Call `listener()` after every palette change (for art held outside the views)."""
    _listeners.append(listener)


@lru_cache(maxsize=len(PALETTES))
def colour_ramp(palette: Palette) -> np.ndarray:
    """(256, 3) uint8 colours for ŷ = 0 … 1: lemon, the neutral at ½, strawberry.

    A diverging map: the hue says which fruit the network would call it, the
    strength of the colour says how sure it is. The ramp is smooth and
    monotonic but steeper near ½ (a tanh), so a network that has just learned
    the split, with ŷ around 0.4 or 0.6, already paints two distinct sides.
    """
    y_hat = np.linspace(0.0, 1.0, 256)[:, None]
    t = 0.5 + 0.5 * np.tanh(4.0 * (y_hat - 0.5)) / np.tanh(2.0)
    lemon, neutral, berry = (np.array(c, dtype=np.float64)
                             for c in (palette.lemon, palette.neutral, palette.strawberry))
    low = neutral + (lemon - neutral) * np.clip((0.5 - t) / 0.5, 0, 1)
    high = neutral + (berry - neutral) * np.clip((t - 0.5) / 0.5, 0, 1)
    return np.clip(np.where(t < 0.5, low, high), 0, 255).astype(np.uint8)


def ramp_colour(y_hat: float) -> RGB:
    """The current palette's heatmap colour at ŷ (clamped to 0…1)."""
    index = int(min(max(y_hat, 0.0), 1.0) * 255.0 + 0.5)
    return tuple(int(c) for c in colour_ramp(current())[index])
