"""Draw the fruit sprites in assets/sprites/ (run: python scripts/make_sprites.py).

The sprites are drawn with pygame primitives at 4× size and smooth-scaled down,
which gives clean anti-aliased edges. Colour emoji are not used anywhere: they
do not render reliably across systems.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
import pygame  # noqa: E402

SIZE = 64
SCALE = 4
OUT = Path(__file__).resolve().parent.parent / "assets" / "sprites"


def _canvas() -> pygame.Surface:
    return pygame.Surface((SIZE * SCALE, SIZE * SCALE), pygame.SRCALPHA)


def _strawberry_outline(s: float) -> list[tuple[float, float]]:
    """A rounded cone: wide shoulders at the top, a soft point at the bottom."""
    points = []
    for i in range(120):
        t = 2 * math.pi * i / 120
        x = math.sin(t)
        y = -math.cos(t)
        # Narrow the lower half into a point; widen the shoulders.
        width = 0.78 + 0.22 * (-y) if y > 0 else 1.0
        width *= 1.0 - 0.45 * max(y, 0) ** 1.4
        points.append((32 * s + x * 24 * s * width, 36 * s + y * 24 * s))
    return points


def strawberry() -> pygame.Surface:
    s = SCALE
    c = _canvas()
    body = _strawberry_outline(s)
    pygame.draw.polygon(c, (150, 20, 40), body)
    inner = [(32 * s + (x - 32 * s) * 0.9, 35 * s + (y - 36 * s) * 0.9) for x, y in body]
    pygame.draw.polygon(c, (226, 48, 70), inner)
    highlight = pygame.Rect(0, 0, 10 * s, 16 * s)
    highlight.center = (22 * s, 30 * s)
    pygame.draw.ellipse(c, (255, 120, 130), highlight)
    for row, y in enumerate(range(24, 56, 7)):
        for col in range(-3, 4):
            x = 32 + col * 7 + (3.5 if row % 2 else 0)
            if abs(x - 32) < 19 - (y - 24) * 0.45:
                seed = pygame.Rect(0, 0, 2.2 * s, 3.4 * s)
                seed.center = (x * s, y * s)
                pygame.draw.ellipse(c, (255, 225, 120), seed)
    for tip in [(13, 19), (21, 24), (32, 22), (43, 24), (51, 19)]:
        leaf = [(27 * s, 12 * s), (tip[0] * s, tip[1] * s), (37 * s, 12 * s), (32 * s, 17 * s)]
        pygame.draw.polygon(c, (30, 120, 50), leaf)
        pygame.draw.polygon(c, (60, 170, 70), [(x + (32 * s - x) * 0.25, y - 1.2 * s) for x, y in leaf])
    pygame.draw.rect(c, (60, 120, 40), (30 * s, 4 * s, 4 * s, 10 * s), border_radius=2 * s)
    return pygame.transform.smoothscale(c, (SIZE, SIZE))


def lemon() -> pygame.Surface:
    s = SCALE
    c = _canvas()
    pygame.draw.ellipse(c, (190, 150, 10), (6 * s, 14 * s, 52 * s, 38 * s))
    pygame.draw.ellipse(c, (250, 220, 60), (8 * s, 16 * s, 48 * s, 34 * s))
    pygame.draw.polygon(c, (250, 220, 60), [(4 * s, 33 * s), (12 * s, 27 * s), (12 * s, 39 * s)])
    pygame.draw.polygon(c, (250, 220, 60), [(60 * s, 33 * s), (52 * s, 27 * s), (52 * s, 39 * s)])
    pygame.draw.ellipse(c, (255, 245, 170), (16 * s, 20 * s, 18 * s, 9 * s))
    for x, y in [(24, 38), (36, 30), (42, 40), (30, 44), (46, 26)]:
        pygame.draw.circle(c, (228, 196, 40), (x * s, y * s), 1.2 * s)
    pygame.draw.ellipse(c, (70, 150, 60), (36 * s, 8 * s, 14 * s, 8 * s))
    return pygame.transform.smoothscale(c, (SIZE, SIZE))


def main() -> None:
    pygame.init()
    OUT.mkdir(parents=True, exist_ok=True)
    pygame.image.save(strawberry(), str(OUT / "strawberry.png"))
    pygame.image.save(lemon(), str(OUT / "lemon.png"))
    print(f"wrote {OUT / 'strawberry.png'} and {OUT / 'lemon.png'}")


if __name__ == "__main__":
    main()
