"""The drawn network: neurons filled by activation, edges sized by |w| and coloured by sign.

Edges are numbered once per layout, layer by layer: for weight layer l, target
neuron j, source neuron i. The same numbering is used by the particle pool and
by hover hit-testing, so an edge's pulse and its log line always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pygame

from game.view import theme
from game.view.panels import draw_edge_legend

PHASE_TITLES = {"forward": "1 Forward: the fruit flows in", "loss": "2 Loss: how wrong was ŷ?",
                "backward": "3 Backward: the error flows back",
                "update": "4 Update: w ← w − η ∂L/∂w"}
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
SUPERSCRIPTS = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")


def sub(n: int) -> str:
    """n as Unicode subscript digits."""
    return str(n).translate(SUBSCRIPTS)


def weight_name(l: int, j: int, i: int, layer_count: int) -> str:
    """The on-screen name of W⁽ˡ⁺¹⁾[j, i]: w⁽²⁾₁ for the output, w⁽¹⁾₂₁ for hidden ones."""
    layer = f"({l + 1})".translate(SUPERSCRIPTS)
    if l == layer_count - 1:
        return f"w{layer}{sub(i + 1)}"
    return f"w{layer}{sub(j + 1)}{sub(i + 1)}"


def neuron_name(layer: int, index: int, layer_count: int) -> str:
    """x₁, x₂ for inputs; h₁… (h⁽²⁾₁… in deeper nets) for hidden; ŷ for the output."""
    if layer == 0:
        return f"x{sub(index + 1)}"
    if layer == layer_count:
        return "ŷ"
    if layer_count > 2:
        return f"h{f'({layer})'.translate(SUPERSCRIPTS)}{sub(index + 1)}"
    return f"h{sub(index + 1)}"


@dataclass
class NetworkPicture:
    """What to draw: per weight layer W (n, m); per neuron layer activations (incl. inputs)."""

    weights: list[np.ndarray]
    activations: list[np.ndarray | None]  # None: not yet reached by the forward pulse
    loss_glow: float  # 0…1: how strongly the output glows red
    highlight_edge: int | None = None
    selected_edge: int | None = None


class NetworkLayout:
    """Neuron positions and edge endpoints for one network shape inside a rect."""

    def __init__(self, layer_sizes: tuple[int, ...], rect: pygame.Rect) -> None:
        self.layer_sizes = tuple(layer_sizes)
        self.rect = pygame.Rect(rect)
        columns = len(layer_sizes)
        tallest = max(layer_sizes)
        # Room for the input words on the left and the ŷ value on the right.
        left, right = rect.x + 110, rect.right - 50
        self.gap = min(90.0, (rect.h - 20) / tallest)
        self.radius = int(max(8, min(22, self.gap * 0.3)))
        self.show_values = self.gap >= 2 * self.radius + 14
        self.positions: list[np.ndarray] = []
        for c, n in enumerate(layer_sizes):
            x = left + (right - left) * c / (columns - 1)
            ys = rect.centery + (np.arange(n) - (n - 1) / 2) * self.gap
            self.positions.append(np.column_stack([np.full(n, x), ys]))
        starts, ends, index = [], [], []
        for l in range(columns - 1):
            for j in range(layer_sizes[l + 1]):
                for i in range(layer_sizes[l]):
                    starts.append(self.positions[l][i])
                    ends.append(self.positions[l + 1][j])
                    index.append((l, j, i))
        self.edge_start = np.array(starts, dtype=np.float64).reshape(-1, 2)  # (E, 2)
        self.edge_end = np.array(ends, dtype=np.float64).reshape(-1, 2)  # (E, 2)
        self.edge_index = index  # edge number → (l, j, i)
        self.edge_layer = np.array([l for l, _, _ in index], dtype=np.int32)

    def edge_number(self, l: int, j: int, i: int) -> int:
        """The edge number of W⁽ˡ⁾[j, i]."""
        offset = sum(self.layer_sizes[k + 1] * self.layer_sizes[k] for k in range(l))
        return offset + j * self.layer_sizes[l] + i

    def edge_at(self, pos: tuple[int, int], tolerance: float = 6.0) -> int | None:
        """The edge within `tolerance` px of pos (nearest), or None."""
        if not len(self.edge_start) or not self.rect.inflate(20, 20).collidepoint(pos):
            return None
        p = np.asarray(pos, dtype=np.float64)
        d = self.edge_end - self.edge_start
        t = np.clip(((p - self.edge_start) * d).sum(1) / (d * d).sum(1), 0.05, 0.95)
        closest = self.edge_start + d * t[:, None]
        distance = np.linalg.norm(closest - p, axis=1)
        best = int(distance.argmin())
        return best if distance[best] <= tolerance else None


def edge_colour(w: float) -> tuple[int, int, int]:
    """Warm for positive, cool for negative, fading toward the panel when small."""
    base = theme.POSITIVE if w >= 0 else theme.NEGATIVE
    strength = min(abs(w) / 2.0, 1.0) * 0.75 + 0.25
    return tuple(int(p + (b - p) * strength) for b, p in zip(base, theme.PANEL))


def edge_width(w: float) -> int:
    """1 px for a tiny weight, up to 10 px for |w| ≥ 4."""
    return int(1 + min(abs(w), 4.0) * 2.25)


class NetworkView:
    """Draws a NetworkPicture with a NetworkLayout."""

    def __init__(self) -> None:
        self._glow_cache: dict[int, pygame.Surface] = {}

    def draw_panel(self, surface: pygame.Surface, panel: pygame.Rect, layout: NetworkLayout,
                   picture: NetworkPicture, particles, phase: str | None) -> None:
        """The whole network panel: edges, neurons, pulses, the legend and the phase title."""
        theme.draw_panel(surface, panel, "The network")
        clip = surface.get_clip()
        surface.set_clip(panel.inflate(-2, -2))
        self.draw(surface, layout, picture)
        particles.draw(surface, layout.edge_start, layout.edge_end)
        surface.set_clip(clip)
        draw_edge_legend(surface, panel)
        if phase is not None:
            text = theme.text(PHASE_TITLES[phase], 15, theme.HIGHLIGHT, "bold")
            surface.blit(text, text.get_rect(topright=(panel.right - 12, panel.y + 6)))

    def draw(self, surface: pygame.Surface, layout: NetworkLayout, picture: NetworkPicture) -> None:
        """Edges first (thin to thick), then neurons with labels and values."""
        flat = np.concatenate([W.ravel() for W in picture.weights]) if picture.weights else []
        order = np.argsort(np.abs(flat))  # thick edges on top
        for e in order.tolist():
            w = float(flat[e])
            a, b = layout.edge_start[e], layout.edge_end[e]
            pygame.draw.line(surface, edge_colour(w), a, b, edge_width(w))
        for e, colour in ((picture.highlight_edge, theme.HIGHLIGHT), (picture.selected_edge, theme.ACCENT)):
            if e is not None and e < len(flat):
                pygame.draw.line(surface, colour, layout.edge_start[e], layout.edge_end[e],
                                 edge_width(float(flat[e])) + 4)
        count = len(layout.layer_sizes) - 1
        for layer, positions in enumerate(layout.positions):
            values = picture.activations[layer] if layer < len(picture.activations) else None
            for k, (x, y) in enumerate(positions.tolist()):
                value = None if values is None else float(values[k])
                self._neuron(surface, (x, y), layout.radius, layer, count, value,
                             picture.loss_glow if layer == count else 0.0)
                self._labels(surface, layout, (x, y), layer, neuron_name(layer, k, count), value)
        big = layout.radius >= 13
        for k, word in enumerate(("sweetness", "redness")):
            x, y = layout.positions[0][k]
            # Small neurons cannot hold their names: the inputs say theirs beside them.
            text = theme.text(word if big else f"{word} x{sub(k + 1)}", 13, theme.TEXT_DIM)
            surface.blit(text, text.get_rect(midright=(x - layout.radius - 8, y)))

    def _labels(self, surface, layout, centre, layer, name, value) -> None:
        """The neuron's name inside it (dark or light to stay readable), its value below.

        Neurons too small for a name show none (the step log names them), except
        the output, whose ŷ goes to its right.
        """
        x, y = centre
        if layout.radius >= 13:
            fill = surface.get_at((int(x), int(y)))
            ink = (20, 20, 28) if sum(fill[:3]) > 380 else theme.TEXT
            text = theme.text(name, 15, ink, "bold")
            surface.blit(text, text.get_rect(center=(x, y)))
        elif layer == len(layout.layer_sizes) - 1:
            text = theme.text(name, 15, theme.TEXT, "bold")
            surface.blit(text, text.get_rect(midleft=(x + layout.radius + 6, y)))
        if value is not None and layout.show_values:
            shown = theme.text(f"{value:.2f}", 11, theme.TEXT)
            surface.blit(shown, shown.get_rect(center=(x, y + layout.radius + 8)))

    def _neuron(self, surface, centre, radius, layer, count, value, glow) -> None:
        if glow > 0.01:
            halo = self._glow(radius)
            halo.set_alpha(int(255 * min(glow, 1.0)))
            surface.blit(halo, halo.get_rect(center=centre))
        if value is None:
            fill = (46, 52, 72)
        elif layer == count:  # the output: lemon → strawberry, like the heatmap
            t = min(max(value, 0.0), 1.0)
            fill = tuple(int(l + (s - l) * t) for l, s in zip(theme.LEMON, theme.STRAWBERRY))
        else:  # brightness shows activation; relu values above 1 saturate
            t = min(max(abs(value), 0.0), 1.0)
            fill = tuple(int(40 + (235 - 40) * t) for _ in range(3))
        pygame.draw.circle(surface, fill, centre, radius)
        ring = theme.ERROR_RED if glow > 0.01 else (200, 206, 225)
        pygame.draw.circle(surface, ring, centre, radius, width=2)

    def _glow(self, radius: int) -> pygame.Surface:
        """A soft red halo around a neuron of this radius (cached)."""
        if radius not in self._glow_cache:
            size = radius * 5
            halo = pygame.Surface((size, size), pygame.SRCALPHA)
            for r in range(size // 2, radius, -1):
                alpha = int(200 * (1 - (r - radius) / (size / 2 - radius)) ** 2)
                pygame.draw.circle(halo, (*theme.ERROR_RED, alpha), (size // 2, size // 2), r)
            self._glow_cache[radius] = halo
        return self._glow_cache[radius]
