"""The chapter map: every chapter a row of level tiles, with stars, best results and locks.

Teachers' class packs come first, each a row of its own, then the campaign's
chapters; five rows show at a time and the view follows the selection (or the
mouse wheel). Arrows move the selection, Enter (or a click) plays the selected
level, H hands in the selected class pack's results, Escape goes back to the
title. The model (what is open, what was earned) is game/core/level_map.py;
progress comes from the session's store.
"""

from __future__ import annotations

import pygame

from game.core.level_map import MapLevel, pack_summary
from game.scenes.base import Scene
from game.scenes.overlays import LevelIntro, star_points
from game.view import theme

TOP, ROW_H, LEFT_W = 92, 116, 250
VISIBLE_ROWS = 5
TILES_PER_LINE = 4
TILE_W, TILE_H, TILE_GAP = 236, 100, 12


class ChapterMap(Scene):
    """Pick a level. Needs the stack's session; without one everything is open and unscored."""

    def __init__(self, select: tuple[str, str] | None = None) -> None:
        super().__init__()
        self.rows: list[list[MapLevel]] = []  # the map's lines of tiles
        self.packs: dict[str, list[MapLevel]] = {}  # pack id → all its tiles
        self.class_ids: set[str] = set()  # the packs on the map that are teachers' class packs
        self.selected = (0, 0)
        self.first_row = 0  # the top row on screen
        self._wanted = select
        self.toast: tuple[str, float] | None = None  # words, seconds left
        self.toast_good = False  # a green edge (done) rather than a red one (refused)

    def update(self, dt: float) -> None:
        if not self.rows:
            self.refresh()
        if self.toast is not None:
            self.toast = (self.toast[0], self.toast[1] - dt) if self.toast[1] > dt else None

    def refresh(self) -> None:
        """Rebuild the tiles from the saved progress (after a level, progress has changed)."""
        session = getattr(self.stack, "session", None)
        if session is None:
            from game.core import campaign
            from game.core.level_map import level_map
            from game.resources import levels_dir
            self.rows = level_map(campaign.chapters(levels_dir()), {})
            self.rows = [[_open(tile) for tile in row] for row in self.rows]
        else:
            self.rows = session.map_rows()
            if message := session.take_message() or session.load_error:
                self.toast = (message, 6.0)
        self.class_ids = {p.id for p in session.class_packs()} if session is not None else set()
        # A pack of more than TILES_PER_LINE levels goes on several lines of the map.
        self.packs = {row[0].pack.id: row for row in self.rows if row}
        self.rows = [row[k:k + TILES_PER_LINE] for row in self.rows
                     for k in range(0, len(row), TILES_PER_LINE)]
        self.selected = self._find(self._wanted) or self._first_open_unwon() or (0, 0)
        self._follow_selection()

    def _follow_selection(self) -> None:
        r = self.selected[0]
        self.first_row = min(max(self.first_row, r - VISIBLE_ROWS + 1), r)

    def _find(self, wanted: tuple[str, str] | None) -> tuple[int, int] | None:
        for r, row in enumerate(self.rows):
            for c, tile in enumerate(row):
                if wanted == (tile.pack.id, tile.level.id):
                    return r, c
        return None

    def _first_open_unwon(self) -> tuple[int, int] | None:
        return next(((r, c) for r, row in enumerate(self.rows) for c, t in enumerate(row)
                     if t.unlocked and not t.won), None)

    # -------------------------------------------------------------- input
    def handle_event(self, event: pygame.event.Event) -> None:
        if not self.rows:
            return
        if event.type == pygame.KEYDOWN:
            self.on_key(event.key)
        elif event.type == pygame.MOUSEMOTION:
            hit = self.tile_at(event.pos)
            if hit is not None:
                self.selected = hit
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            hit = self.tile_at(event.pos)
            if hit is not None:
                self.selected = hit
                self.play_selected()
            elif (row := self.hand_in_at(event.pos)) is not None:
                self.hand_in(self.rows[row][0].pack)
        elif event.type == pygame.MOUSEWHEEL:
            most = max(len(self.rows) - VISIBLE_ROWS, 0)
            self.first_row = min(max(self.first_row - event.y, 0), most)

    def on_key(self, key: int) -> None:
        r, c = self.selected
        moves = {pygame.K_LEFT: (0, -1), pygame.K_RIGHT: (0, 1), pygame.K_UP: (-1, 0),
                 pygame.K_DOWN: (1, 0)}
        if key in moves:
            dr, dc = moves[key]
            r = min(max(r + dr, 0), len(self.rows) - 1)
            c = min(max(c + dc, 0), len(self.rows[r]) - 1)
            self.selected = (r, c)
            self._follow_selection()
        elif key == pygame.K_h and self._is_class_row(r):
            self.hand_in(self.rows[r][0].pack)
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            self.play_selected()
        elif key == pygame.K_ESCAPE:
            self.stack.go("title")

    def tile_at(self, pos: tuple[int, int]) -> tuple[int, int] | None:
        for r in self._visible():
            for c in range(len(self.rows[r])):
                if tile_rect(r - self.first_row, c).collidepoint(pos):
                    return r, c
        return None

    def _visible(self) -> range:
        return range(self.first_row, min(self.first_row + VISIBLE_ROWS, len(self.rows)))

    def _is_class_row(self, r: int) -> bool:
        return self.rows[r][0].pack.id in self.class_ids

    def hand_in_at(self, pos: tuple[int, int]) -> int | None:
        """The class-pack row whose Hand in button is under `pos`, if any."""
        return next((r for r in self._visible() if self._is_class_row(r)
                     and hand_in_rect(r - self.first_row).collidepoint(pos)), None)

    def hand_in(self, pack) -> None:
        """Write this student's hand-in for `pack`; say where it went, and copy that path."""
        path, problem = self.stack.session.hand_in(pack)
        if problem is not None:
            self.toast, self.toast_good = (problem, 6.0), False
            return
        copied = " (path copied)" if copy_to_clipboard(str(path)) else ""
        self.toast, self.toast_good = (f"Handed in: {path}{copied}", 8.0), True

    def play_selected(self) -> None:
        """Open the selected level on its intro card, if it is open."""
        from game.scenes.play import PlayScene
        tile = self.rows[self.selected[0]][self.selected[1]]
        if not tile.unlocked:
            self.toast = ("Locked: win the level before it, or this chapter's first level.", 3.5)
            self.toast_good = False
            return
        scene = PlayScene(tile.level, tile.pack)
        self.stack.replace(scene)
        self.stack.push(LevelIntro(scene))

    # -------------------------------------------------------------- drawing
    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(theme.BACKGROUND)
        surface.blit(theme.text("Class packs and campaign" if self.class_ids else "Campaign", 30,
                                theme.TEXT, "bold"), (30, 22))
        session = getattr(self.stack, "session", None)
        earned = sum(pack_summary(row)[1] for row in self.packs.values())
        possible = sum(pack_summary(row)[2] for row in self.packs.values())
        who = f"{session.profile.name} · " if session is not None and session.profile else ""
        info = theme.text(f"{who}★ {earned} of {possible}", 18, theme.HIGHLIGHT, "bold")
        surface.blit(info, info.get_rect(topright=(1250, 30)))
        for r in self._visible():
            self._draw_row(surface, r, self.rows[r])
        more = len(self.rows) > VISIBLE_ROWS
        hint = theme.text("Arrows choose · Enter plays · " + ("H hands in a class pack · "
                          if self.class_ids else "")
                          + ("wheel scrolls · " if more else "") + "Esc back to the title", 14,
                          theme.TEXT_DIM)
        surface.blit(hint, hint.get_rect(midbottom=(640, 708)))
        if self.toast is not None:
            image = theme.text(self.toast[0], 16, theme.TEXT, "bold")
            box = image.get_rect(midtop=(640, 62)).inflate(24, 12)  # between the header and row 1
            pygame.draw.rect(surface, theme.PANEL, box, border_radius=8)
            pygame.draw.rect(surface, theme.GOOD if self.toast_good else theme.ERROR_RED, box,
                             width=2, border_radius=8)
            surface.blit(image, image.get_rect(center=box.center))

    def _draw_row(self, surface: pygame.Surface, r: int, row: list[MapLevel]) -> None:
        shown = r - self.first_row
        y = TOP + shown * ROW_H
        pack, is_class = row[0].pack, self._is_class_row(r)
        if row[0] is not self.packs[pack.id][0]:  # a pack's second line: tiles only
            for c, tile in enumerate(row):
                self._draw_tile(surface, tile_rect(shown, c), tile, (r, c) == self.selected)
            return
        number, _, name = pack.title.partition(": ")
        if is_class:
            number, name = "Class pack", _fit(pack.title, 40)
        surface.blit(theme.text(number if name else f"Pack {r + 1}", 14, theme.TEXT_DIM), (30, y + 20))
        for k, line in enumerate(_two_lines(name or pack.title)):
            surface.blit(theme.text(line, 18, theme.TEXT, "bold"), (30, y + 40 + k * 22))
        won, stars, possible = pack_summary(self.packs[pack.id])
        if is_class:
            button = hand_in_rect(shown)
            pygame.draw.rect(surface, theme.PANEL, button, border_radius=6)
            pygame.draw.rect(surface, theme.ACCENT, button, width=2, border_radius=6)
            words = theme.text("Hand in (H)", 13, theme.TEXT, "bold")
            surface.blit(words, words.get_rect(center=button.center))
        else:
            surface.blit(theme.text(f"{won}/{len(self.packs[pack.id])} won · ★ {stars}/{possible}", 13,
                                    theme.TEXT_DIM), (30, y + 86))
        for c, tile in enumerate(row):
            self._draw_tile(surface, tile_rect(shown, c), tile, (r, c) == self.selected)

    def _draw_tile(self, surface: pygame.Surface, rect: pygame.Rect, tile: MapLevel,
                   selected: bool) -> None:
        fill = theme.PANEL if tile.unlocked else (28, 32, 44)
        pygame.draw.rect(surface, fill, rect, border_radius=12)
        edge = theme.HIGHLIGHT if selected else (theme.GOOD if tile.won else theme.PANEL_EDGE)
        pygame.draw.rect(surface, edge, rect, width=3 if selected else 2, border_radius=12)
        colour = theme.TEXT if tile.unlocked else theme.TEXT_DIM
        surface.blit(theme.text(tile.number, 13, theme.TEXT_DIM), (rect.x + 12, rect.y + 8))
        surface.blit(theme.text(_fit(tile.level.title, 24), 16, colour, "bold"), (rect.x + 12, rect.y + 26))
        if not tile.unlocked:
            surface.blit(theme.text("locked", 14, theme.TEXT_DIM), (rect.x + 12, rect.y + 66))
            return
        p = tile.progress
        earned = (p is not None and p.won, p is not None and p.steps_star,
                  p is not None and p.fruit_star)
        for k, star in enumerate(earned):
            pygame.draw.polygon(surface, theme.HIGHLIGHT if star else (70, 76, 96),
                                star_points((rect.x + 22 + k * 26, rect.y + 66), 11, 5))
        if p is not None and p.won:
            best = f"{p.best_steps:,} steps · {p.best_fruit} fruit"
        else:
            best = "not won yet" if p is None else f"{p.attempts} tries"
        surface.blit(theme.text(best, 13, theme.TEXT_DIM), (rect.x + 100, rect.y + 59))


def hand_in_rect(shown: int) -> pygame.Rect:
    """The Hand in button of a class pack on screen row `shown`."""
    return pygame.Rect(30, TOP + shown * ROW_H + 86, 130, 24)


def copy_to_clipboard(text: str) -> bool:
    """Put `text` on the desktop clipboard where the platform has one; False if not."""
    try:
        pygame.scrap.put_text(text)  # pygame-ce 2.2+: SDL's clipboard, no scrap.init needed
        return True
    except (pygame.error, AttributeError, NotImplementedError):
        return False


def tile_rect(r: int, c: int) -> pygame.Rect:
    """Where tile c of screen row r is drawn."""
    return pygame.Rect(LEFT_W + c * (TILE_W + TILE_GAP), TOP + r * ROW_H, TILE_W, TILE_H)


def _open(tile: MapLevel) -> MapLevel:
    from dataclasses import replace
    return replace(tile, unlocked=True)  # no saved progress to lock anything against


def _two_lines(words: str) -> list[str]:
    """A chapter name on at most two lines of about 20 characters."""
    if len(words) <= 20 or " " not in words:
        return [words]
    cut = words.rfind(" ", 0, 21)
    cut = cut if cut > 0 else words.find(" ")
    return [words[:cut], words[cut + 1:]]


def _fit(words: str, limit: int) -> str:
    return words if len(words) <= limit else words[:limit - 1] + "…"
