"""Colours, fonts and the pygame-gui theme shared by every screen."""

from __future__ import annotations

from functools import cache, lru_cache

import pygame

from game.resources import assets_dir
from game.view.text_safety import drawable

SCREEN_SIZE = (1280, 720)

BACKGROUND = (24, 28, 40)
PANEL = (34, 39, 55)
PANEL_EDGE = (58, 66, 90)
TEXT = (226, 230, 240)
TEXT_DIM = (150, 158, 178)
ACCENT = (120, 200, 255)
# POSITIVE … GOOD are also the default palette's (game/view/palette.py): edges, pulses,
# the loss glow and the plot read them through the palette in use, never from here.
POSITIVE = (255, 120, 90)  # a positive weight: warm
NEGATIVE = (90, 160, 255)  # a negative weight: cool
ERROR_RED = (255, 60, 60)
FORWARD_PALE = (235, 240, 255)
GOOD = (110, 220, 140)
HIGHLIGHT = (255, 236, 140)

_FONT_FILES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf",
               "mono": "DejaVuSansMono.ttf"}


@cache
def font(size: int, style: str = "regular") -> pygame.font.Font:
    """DejaVu at `size` px; it has ∂, ∑, ←, σ and the sub/superscripts the log uses."""
    return pygame.font.Font(str(assets_dir() / "fonts" / _FONT_FILES[style]), size)


@lru_cache(maxsize=1024)  # a frame shows ~80 texts; 1024 bounds memory to a few MB
def text(words: str, size: int, colour: tuple[int, int, int], style: str = "regular") -> pygame.Surface:
    """Rendered text, cached: most of the screen's text repeats from frame to frame.

    The returned surface is shared; callers blit it and never change it. Text the
    renderer refuses (a NUL, or only zero-width characters) is drawn without its
    invisible characters, or as an empty strip: a label can never stop the game.
    """
    try:
        return font(size, style).render(words, True, colour)
    except (pygame.error, ValueError):
        visible = drawable(words)
        if visible and visible != words:
            return text(visible, size, colour, style)
        return pygame.Surface((1, font(size, style).get_linesize()), pygame.SRCALPHA)


def gui_theme() -> dict:
    """The pygame-gui theme: colours matching the panels, DejaVu where our glyphs need it.

    pygame-gui reads only colours from "defaults" (a font there is ignored), so an
    element without a font block of its own uses pygame-gui's Noto Sans 14. Noto has
    ×, η, σ and ‹ › but no ← → ∂: a button showing those needs a DejaVu object id,
    "#primary" or "#page_turn". Plain buttons stay Noto, because the training row's
    buttons are sized for it and DejaVu is ~8 % wider. tests/test_glyphs.py checks
    that every button on every screen can draw its own label.
    """
    colours = {
        "normal_bg": "#323a52", "hovered_bg": "#435070", "disabled_bg": "#262b3a",
        "selected_bg": "#3d6fa8", "active_bg": "#3d6fa8", "dark_bg": "#1c2030",
        "normal_text": "#e2e6f0", "hovered_text": "#ffffff", "disabled_text": "#6c7390",
        "selected_text": "#ffffff", "active_text": "#ffffff",
        "normal_border": "#55607f", "hovered_border": "#7a88b0",
        "disabled_border": "#353b50", "selected_border": "#78c8ff", "active_border": "#78c8ff",
        "filled_bar": "#78c8ff", "unfilled_bar": "#323a52", "text_cursor": "#ffffff",
    }
    return {
        "defaults": {"colours": colours},
        "button": {"misc": {"shape": "rounded_rectangle", "shape_corner_radius": "6",
                            "border_width": "1", "shadow_width": "0"}},
        "#page_turn": {"font": {"name": "dejavu", "size": "15", "style": "regular"}},
        "#primary": {"colours": {"normal_bg": "#2f7d4f", "hovered_bg": "#3a9a62",
                                 "normal_border": "#55c283"},
                     "font": {"name": "dejavu", "size": "16", "style": "bold"}},
        "label": {"colours": {"normal_text": "#969eb2", "dark_bg": "#00000000"},
                  "font": {"name": "dejavu", "size": "13"}},
    }


def make_gui_manager():
    """A pygame-gui UIManager using the bundled DejaVu fonts and the FruitNet theme.

    Every screen has its own manager, and screens come and go (each card, Retry,
    Next level, How it works), so all managers share one theme: a theme of its own
    loads font files and a 4 MB surface cache each time, which made scenes slow to
    open and, across a long session, grew the process by ~1.5 MB per screen opened
    (freed memory the C allocator kept). One long-lived theme is how pygame-gui
    expects to be used.
    """
    manager = _shared_theme_manager()(SCREEN_SIZE)
    _forget_repeated_translation_paths()
    return manager


@lru_cache(maxsize=1)
def _shared_theme_manager():
    """The UIManager subclass that builds the FruitNet theme once and then reuses it."""
    import pygame_gui

    class SharedThemeManager(pygame_gui.UIManager):
        shared_theme = None

        def create_new_theme(self, theme_path=None):
            """The shared theme, built (fonts, FruitNet colours) by the first manager."""
            if SharedThemeManager.shared_theme is None:
                made = super().create_new_theme(theme_path)
                # The font paths must be known before the theme that names them is loaded.
                folder = assets_dir() / "fonts"
                made.get_font_dictionary().add_font_path(
                    "dejavu", str(folder / _FONT_FILES["regular"]), str(folder / _FONT_FILES["bold"]))
                made.load_theme(gui_theme())
                SharedThemeManager.shared_theme = made
            return SharedThemeManager.shared_theme

    return SharedThemeManager


def _forget_repeated_translation_paths() -> None:
    """Keep i18n's global search path to one copy of each folder.

    pygame-gui appends its translations folder to it for every UIManager made, and
    i18n searches every copy for each widget text that is not a translation key and
    contains a "." (η's value, "×0.5"): after a thousand screens, each such label
    update cost ~20 ms.
    """
    import i18n

    i18n.load_path[:] = list(dict.fromkeys(i18n.load_path))


def draw_panel(surface: pygame.Surface, rect: pygame.Rect, title: str | None = None) -> None:
    """A rounded panel (pre-rendered once per size) with an optional small caption."""
    surface.blit(_panel_image(rect.w, rect.h), rect)
    # The caption is drawn apart from the cached panel: some captions change all the time
    # ("Next sample (fruit #37)"), and a panel image per caption kept up to 64 of them,
    # ~13 MB, in the cache.
    if title:
        surface.blit(text(title, 13, TEXT_DIM, "bold"), (rect.x + 12, rect.y + 8))


@lru_cache(maxsize=16)
def _panel_image(w: int, h: int) -> pygame.Surface:
    # Opaque, with the screen background in the rounded corners: panels always sit
    # on BACKGROUND, and an opaque blit is several times cheaper than an alpha one.
    image = pygame.Surface((w, h))
    image.fill(BACKGROUND)
    pygame.draw.rect(image, PANEL, image.get_rect(), border_radius=10)
    pygame.draw.rect(image, PANEL_EDGE, image.get_rect(), width=1, border_radius=10)
    return image.convert() if pygame.display.get_surface() is not None else image


def draw_card(surface: pygame.Surface, card: pygame.Rect, edge: tuple[int, int, int]) -> None:
    """Dim everything behind, then a rounded card with a coloured edge (dialogs, overlays)."""
    shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    shade.fill((10, 12, 20, 180))
    surface.blit(shade, (0, 0))
    pygame.draw.rect(surface, PANEL, card, border_radius=16)
    pygame.draw.rect(surface, edge, card, width=3, border_radius=16)
