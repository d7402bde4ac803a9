"""The drawn network: neurons filled by activation, edges sized by |w| and coloured by sign.

Edges are numbered once per layout, layer by layer: for weight layer l, target
neuron j, source neuron i. The same numbering is used by the particle pool and
by hover hit-testing, so an edge's pulse and its log line always agree.

Beside each hidden neuron sits a thumbnail of its activation over the field
(see neuron_thumbnails.py); hovering the neuron or its thumbnail enlarges it.
During the backward phase the panel's legend reads the pulse scale, and during
the update phase the weights that moved most carry their Δw.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pygame

# The names are the core's (game/core/step_text.py), so the log and the picture agree;
# re-exported here for the scenes that import them from the view.
from game.core.step_text import SUBSCRIPTS, SUPERSCRIPTS, neuron_name, sub, weight_name  # noqa: F401
from game.view import palette, theme
from game.view.animation import signed_change
from game.view.neuron_thumbnails import ThumbnailSheet
from game.view.panels import draw_edge_legend
from game.view.particles import draw_pulse_legend

PHASE_TITLES = {"forward": "1 Forward: the fruit flows in", "loss": "2 Loss: how wrong was ŷ?",
                "backward": "3 Backward: the error flows back",
                "update": "4 Update: w ← w − η ∂L/∂w"}


@dataclass
class NetworkPicture:
    """What to draw: per weight layer W (n, m); per neuron layer activations (incl. inputs)."""

    weights: list[np.ndarray]
    activations: list[np.ndarray | None]  # None: not yet reached by the forward pulse
    loss_glow: float  # 0…1: how strongly the output glows in the error colour
    highlight_edge: int | None = None
    selected_edge: int | None = None
    morph: float = 1.0  # thumbnails: 0 → the previous network's, 1 → the current one's
    changes: list[tuple[int, float]] = field(default_factory=list)  # (edge, Δw) to label
    pulse_legend: str | None = None  # what backward pulses measure, while they run
    hover: tuple[int, int] | None = None  # the mouse: a hidden neuron under it is enlarged


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
        spacing = (right - left) / (columns - 1)
        # Discs leave room beside them for their thumbnail, also in deep nets.
        self.radius = int(max(8, min(22, self.gap * 0.3, spacing * 0.24)))
        self.thumb_side = int(np.clip(min(self.gap - 6, spacing - 2 * self.radius - 11), 16, 32))
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
        # Per neuron layer, each neuron's thumbnail rect: hidden layers only.
        self.thumb_rects = [[] if c in (0, columns - 1) else [
            pygame.Rect(int(x) + self.radius + 3, int(y - self.thumb_side / 2),
                        self.thumb_side, self.thumb_side) for x, y in self.positions[c].tolist()]
            for c in range(columns)]

    def neuron_at(self, pos: tuple[int, int]) -> tuple[int, int] | None:
        """The hidden neuron (layer, k) whose disc or thumbnail is under pos, or None."""
        for layer in range(1, len(self.layer_sizes) - 1):
            for k, rect in enumerate(self.thumb_rects[layer]):
                x, y = self.positions[layer][k]
                if rect.inflate(2, 2).collidepoint(pos) or \
                        (pos[0] - x) ** 2 + (pos[1] - y) ** 2 <= self.radius ** 2:
                    return layer, k
        return None

    def edge_number(self, l: int, j: int, i: int) -> int:
        """The edge number of W⁽ˡ⁾[j, i]."""
        offset = sum(self.layer_sizes[k + 1] * self.layer_sizes[k] for k in range(l))
        return offset + j * self.layer_sizes[l] + i

    def edge_at(self, pos: tuple[int, int], tolerance: float = 6.0) -> int | None:
        """The edge within `tolerance` px of pos (nearest), or None.

        Over a hidden neuron or its thumbnail there is none: that spot enlarges the thumbnail.
        """
        if not len(self.edge_start) or not self.rect.inflate(20, 20).collidepoint(pos):
            return None
        if self.neuron_at(pos) is not None:
            return None
        p = np.asarray(pos, dtype=np.float64)
        d = self.edge_end - self.edge_start
        t = np.clip(((p - self.edge_start) * d).sum(1) / (d * d).sum(1), 0.05, 0.95)
        closest = self.edge_start + d * t[:, None]
        distance = np.linalg.norm(closest - p, axis=1)
        best = int(distance.argmin())
        return best if distance[best] <= tolerance else None


def edge_colour(w: float) -> tuple[int, int, int]:
    """Warm for positive, cool for negative (the palette in use), fading toward the
    panel when small."""
    colours = palette.current()
    base = colours.positive if w >= 0 else colours.negative
    strength = min(abs(w) / 2.0, 1.0) * 0.75 + 0.25
    return tuple(int(p + (b - p) * strength) for b, p in zip(base, theme.PANEL))


def edge_width(w: float) -> int:
    """1 px for a tiny weight, up to 10 px for |w| ≥ 4."""
    return int(1 + min(abs(w), 4.0) * 2.25)


class NetworkView:
    """Draws a NetworkPicture with a NetworkLayout."""

    def __init__(self) -> None:
        self._glow_cache: dict[tuple[int, tuple], pygame.Surface] = {}  # (radius, colour)
        self.thumbnails = ThumbnailSheet()
        self.enlarged: pygame.Rect | None = None  # where the hovered thumbnail was last drawn

    def set_thumbnails(self, grids: list[np.ndarray], activation: str) -> None:
        """New per-neuron grids (h_l, s, s) per hidden layer, s = layout.thumb_side; the
        ones they replace stay for the update phase's morph."""
        self.thumbnails.set_grids(grids, activation)

    def draw_panel(self, surface: pygame.Surface, panel: pygame.Rect, layout: NetworkLayout,
                   picture: NetworkPicture, particles, phase: str | None) -> None:
        """The whole network panel: edges, thumbnails, neurons, pulses, Δw labels, the
        legend, the phase title and, on hover, a neuron's enlarged thumbnail."""
        theme.draw_panel(surface, panel, "The network")
        clip = surface.get_clip()
        surface.set_clip(panel.inflate(-2, -2))
        self.draw(surface, layout, picture)
        self._caption_thumbnails(surface, layout, panel)
        particles.draw(surface, layout.edge_start, layout.edge_end)
        self._draw_changes(surface, layout, picture.changes)
        surface.set_clip(clip)
        if picture.pulse_legend is not None:
            draw_pulse_legend(surface, particles, (panel.x + 14, panel.bottom - 16),
                              picture.pulse_legend, panel.w - 24)
        elif picture.changes:
            note = theme.text("edges ease to their new w · labels: the largest changes Δw",
                              12, theme.TEXT_DIM)
            surface.blit(note, note.get_rect(midleft=(panel.x + 14, panel.bottom - 16)))
        else:
            draw_edge_legend(surface, panel)
        self._draw_hovered(surface, layout, picture, panel)
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
                # A halo, then the edge again in its own colour: the weight's sign stays readable.
                w = float(flat[e])
                pygame.draw.line(surface, colour, layout.edge_start[e], layout.edge_end[e],
                                 edge_width(w) + 6)
                pygame.draw.line(surface, edge_colour(w), layout.edge_start[e], layout.edge_end[e],
                                 edge_width(w))
        sample = picture.activations[0] if picture.activations else None
        self.thumbnails.draw(surface, layout.thumb_rects, picture.morph, sample)
        count = len(layout.layer_sizes) - 1
        for layer, positions in enumerate(layout.positions):
            values = picture.activations[layer] if layer < len(picture.activations) else None
            for k, (x, y) in enumerate(positions.tolist()):
                value = None if values is None else float(values[k])
                self._neuron(surface, (x, y), layout.radius, (layer, k), count, value,
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
        # The largest size that fits the disc: deep nets have smaller discs and longer names.
        size = next((s for s in (15, 13, 12) if layout.radius >= 13 and
                     theme.text(name, s, theme.TEXT, "bold").get_width() <= 2 * layout.radius - 4),
                    None)
        if size is not None:
            fill = surface.get_at((int(x), int(y)))
            ink = (20, 20, 28) if sum(fill[:3]) > 380 else theme.TEXT
            text = theme.text(name, size, ink, "bold")
            surface.blit(text, text.get_rect(center=(x, y)))
        elif layer == len(layout.layer_sizes) - 1:
            text = theme.text(name, 15, theme.TEXT, "bold")
            surface.blit(text, text.get_rect(midleft=(x + layout.radius + 6, y)))
        if value is not None and layout.show_values:
            shown = theme.text(f"{value:.2f}".replace("-", "−"), 11, theme.TEXT)
            surface.blit(shown, shown.get_rect(center=(x, y + layout.radius + 8)))

    @staticmethod
    def _caption_thumbnails(surface: pygame.Surface, layout: NetworkLayout,
                            panel: pygame.Rect) -> None:
        """Say what the thumbnails are, above the first one, where there is room."""
        if len(layout.layer_sizes) < 3:
            return
        first = layout.thumb_rects[1][0]
        caption = theme.text("over the field · hover", 11, theme.TEXT_DIM)
        where = caption.get_rect(bottomleft=(first.x - 2, first.y - 3))
        if where.y >= panel.y + 28:
            surface.blit(caption, where)

    def _draw_changes(self, surface: pygame.Surface, layout: NetworkLayout,
                      changes: list[tuple[int, float]]) -> None:
        """Each labelled edge's Δw in a small box on the edge: never over a neuron or the
        input words, and where it covers the least of the thumbnails and the other boxes
        (an edge with no such place, in a crowded deep net, goes unlabelled)."""
        if not changes:
            return
        r = layout.radius
        forbidden = [pygame.Rect(x - r, y - r, 2 * r, 2 * r) for x, y in
                     np.concatenate(layout.positions).tolist()]
        forbidden += [pygame.Rect(layout.rect.x - 10, y - 9, x - r - layout.rect.x + 10, 18)
                      for x, y in layout.positions[0].tolist()]  # "sweetness", "redness"
        covered = [rect.inflate(4, 4) for row in layout.thumb_rects for rect in row]
        for edge, dw in changes:
            words = theme.text(signed_change(dw), 12, theme.HIGHLIGHT, "bold")
            start, end = layout.edge_start[edge], layout.edge_end[edge]
            boxes = [words.get_rect(center=tuple(start + (end - start) * t)).inflate(8, 4)
                     for t in (0.5, 0.6, 0.4, 0.7, 0.3, 0.8, 0.2)]
            boxes = [b for b in boxes if b.collidelist(forbidden) < 0]
            if not boxes:
                continue
            box = min(boxes, key=lambda b: sum(b.clip(o).w * b.clip(o).h for o in covered))
            covered.append(box)
            pygame.draw.rect(surface, (20, 22, 30), box, border_radius=4)
            pygame.draw.rect(surface, theme.HIGHLIGHT, box, width=1, border_radius=4)
            surface.blit(words, words.get_rect(center=box.center))

    def _draw_hovered(self, surface: pygame.Surface, layout: NetworkLayout,
                      picture: NetworkPicture, panel: pygame.Rect) -> None:
        """The hovered hidden neuron's thumbnail, enlarged, with the current fruit marked."""
        hit = layout.neuron_at(picture.hover) if picture.hover is not None else None
        self.enlarged = None
        if hit is None:
            return
        layer, k = hit
        values = picture.activations
        sample = values[0] if values and values[0] is not None else None
        value = float(values[layer][k]) if layer < len(values) and values[layer] is not None else None
        x, y = layout.positions[layer][k]
        anchor = layout.thumb_rects[layer][k].union(
            pygame.Rect(x - layout.radius, y - layout.radius, 2 * layout.radius, 2 * layout.radius))
        name = neuron_name(layer, k, len(layout.layer_sizes) - 1)
        pygame.draw.rect(surface, theme.HIGHLIGHT, layout.thumb_rects[layer][k].inflate(4, 4), width=2)
        bounds = pygame.Rect(panel.x, panel.y + 26, panel.w, panel.h - 26)  # below the title
        self.enlarged = self.thumbnails.draw_enlarged(surface, layer, k, name, anchor, bounds,
                                                      sample, value)

    def _neuron(self, surface, centre, radius, place, count, value, glow) -> None:
        """One disc: filled by its activation on its thumbnail's scale (ŷ: the heatmap's colour)."""
        layer, k = place
        if glow > 0.01:
            halo = self._glow(radius)
            halo.set_alpha(int(255 * min(glow, 1.0)))
            surface.blit(halo, halo.get_rect(center=centre))
        if value is None:
            fill = (46, 52, 72)
        elif layer == count:  # the output ŷ: the heatmap's colour, where this fruit sits
            fill = palette.ramp_colour(value)
        elif layer == 0 or (fill := self.thumbnails.fill(layer, k, value)) is None:
            t = min(max(value, 0.0), 1.0)  # an input x: 0 dark … 1 bright
            fill = tuple(int(40 + (235 - 40) * t) for _ in range(3))
        pygame.draw.circle(surface, fill, centre, radius)
        ring = palette.current().error if glow > 0.01 else (200, 206, 225)
        pygame.draw.circle(surface, ring, centre, radius, width=2)

    def _glow(self, radius: int) -> pygame.Surface:
        """A soft halo in the palette's error colour around a neuron of this radius (cached
        per colour, so a palette change shows at once)."""
        colour = palette.current().error
        if (radius, colour) not in self._glow_cache:
            size = radius * 5
            halo = pygame.Surface((size, size), pygame.SRCALPHA)
            for r in range(size // 2, radius, -1):
                alpha = int(200 * (1 - (r - radius) / (size / 2 - radius)) ** 2)
                pygame.draw.circle(halo, (*colour, alpha), (size // 2, size // 2), r)
            self._glow_cache[(radius, colour)] = halo
        return self._glow_cache[(radius, colour)]
