"""Characters the fonts cannot draw: refused in level texts, and absent from every button."""

import copy
import unicodedata
from pathlib import Path

import pygame
import pygame_gui
import pytest
import tomli_w
from test_levels import VALID, _write

from game.app import open_window
from game.core import font_coverage
from game.core.fields import undrawable_character
from game.core.levels import LevelError, load_level, load_pack
from game.resources import assets_dir, levels_dir
from game.scenes.base import SceneStack
from game.scenes.explain import ExplainScene
from game.scenes.overlays import LevelIntro
from game.scenes.play import PlayScene
from game.scenes.sandbox import SandboxScene
from game.tools.check import run_check

EXPECTED = "expected text the game's font can draw; emoji are not supported"
MISSING = "\U0010fffd"  # a private-use code point no font here has: draws as the missing-glyph box


@pytest.fixture(scope="module", autouse=True)
def window():
    return open_window()


def _error(path) -> str:
    with pytest.raises(LevelError) as caught:
        load_level(path)
    return str(caught.value)


def _draws_as_box(font, char: str) -> bool:
    """True when `char` renders exactly like the font's missing-glyph box (or not at all)."""
    def image(text):
        surface = font.render(text, False, (255, 255, 255), (0, 0, 0))
        return surface.get_size(), pygame.image.tobytes(surface, "RGB")
    try:
        return image(char) == image(MISSING)
    except pygame.error:  # "Text has zero width": a combining mark or a format character alone
        return False


# ------------------------------------------------------------ level texts
UNDRAWABLE = [
    ("title", "Berry 🍓 time", "title", "U+1F353 at position 7"),
    ("story", "Lemons 🍋 and more.", "story", "U+1F34B at position 8"),
    ("lesson", "果樹園", "lesson", "U+679C at position 1"),
    ("hints", ["fine", "ok ✅"], "hints[1]", "U+2705 at position 4"),
]


@pytest.mark.parametrize("field, value, name, got", UNDRAWABLE, ids=[u[0] for u in UNDRAWABLE])
def test_a_character_the_font_lacks_is_a_one_line_error(tmp_path, field, value, name, got):
    doc = copy.deepcopy(VALID)
    doc[field] = value
    path = _write(tmp_path, doc)
    assert _error(path) == f"{path}: {name}: {EXPECTED}, got {got}"


def test_check_prints_the_error_on_one_line_and_fails(tmp_path, capsys):
    path = _write(tmp_path, dict(VALID, title="🍓 Strawberry fields"))
    assert run_check([str(path)]) == 1
    assert capsys.readouterr().out == f"{path}: title: {EXPECTED}, got U+1F353 at position 1\n"


def test_accents_maths_and_the_games_sub_and_superscripts_are_accepted(tmp_path):
    maths = "∂L/∂w Σₖ δₖ wₖⱼ ← σ′(z) ŷ x₁ x₂ w⁽²⁾₁ η × ½ ≥ ≤ − · “quoted” — …"
    doc = dict(VALID, title="Crème brûlée: ∂ Σ ← σ′ ŷ", story=f"Ça, señor, Größe.\n\t{maths}",
               lesson=maths, hints=["Ærø, Łódź, İstanbul", "ΔVₓ = αₓ · β · (λ − ΣV)"])
    level = load_level(_write(tmp_path, doc))
    assert level.title == "Crème brûlée: ∂ Σ ← σ′ ŷ" and level.lesson == maths


def test_the_pack_title_is_checked_but_level_file_names_are_not(tmp_path):
    _write(tmp_path, VALID, "🍓.toml")
    pack = {"id": "p", "title": "Pack", "levels": ["🍓.toml"]}
    (tmp_path / "pack.toml").write_text(tomli_w.dumps(pack), encoding="utf-8")
    assert load_pack(tmp_path).levels[0].title == VALID["title"]
    (tmp_path / "pack.toml").write_text(tomli_w.dumps(dict(pack, title="Pack 🍋")), encoding="utf-8")
    with pytest.raises(LevelError) as caught:
        load_pack(tmp_path)
    assert str(caught.value) == (f"{tmp_path / 'pack.toml'}: title: {EXPECTED}, "
                                 "got U+1F34B at position 6")


def test_every_shipped_level_passes():
    packs = [p for p in levels_dir().iterdir() if (p / "pack.toml").is_file()]
    assert packs and all(load_pack(p).levels for p in packs)


# ------------------------------------------------------------ the data file
def test_the_coverage_data_is_small_sorted_ranges():
    assert Path(font_coverage.__file__).stat().st_size < 50_000
    ranges = font_coverage.RANGES
    assert all(first <= last for first, last in ranges)
    assert all(a[1] + 1 < b[0] for a, b in zip(ranges, ranges[1:])), "sorted, apart, merged"
    assert ranges[0] == (0x20, 0x7E), "all of printable ASCII"


def test_the_coverage_data_agrees_with_the_fonts_as_pygame_draws_them():
    """Every listed code point draws as a glyph in both faces; sampled unlisted ones as a box."""
    faces = [pygame.font.Font(str(assets_dir() / "fonts" / name), 14)
             for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")]
    listed = [chr(c) for first, last in font_coverage.RANGES for c in range(first, last + 1)]
    assert len(listed) > 5000
    for char in listed:
        # Spaces draw blank and format characters not at all: only visible glyphs can be compared.
        if unicodedata.category(char)[0] not in "ZC":
            assert not any(_draws_as_box(face, char) for face in faces), f"U+{ord(char):04X}"
    for char in "🍓🍋✅果樹園🎉अ":
        assert undrawable_character(char) == f"U+{ord(char):04X} at position 1"
        assert all(_draws_as_box(face, char) for face in faces), f"U+{ord(char):04X}"


# ------------------------------------------------------------ buttons
def _screens():
    """A scene of each kind that has buttons, with the scene stack they sit on."""
    pack = load_pack(levels_dir() / "starter")
    play = PlayScene(pack.levels[0], pack)
    yield play
    yield LevelIntro(play)
    yield SandboxScene(save_folder=None)
    yield ExplainScene()


def test_every_button_and_label_on_every_screen_can_draw_its_words():
    """pygame-gui draws a missing glyph as an empty box; no button or label may show one."""
    checked = 0
    for scene in _screens():
        SceneStack().push(scene)
        for element in scene.manager.get_sprite_group().sprites():
            if not isinstance(element, pygame_gui.elements.UIButton | pygame_gui.elements.UILabel):
                continue
            words = element.text or ""
            for char in set(words) - set(" "):
                surface = element.font.render_premul(char, pygame.Color(255, 255, 255))
                box = element.font.render_premul(MISSING, pygame.Color(255, 255, 255))
                assert pygame.image.tobytes(surface, "RGBA") != pygame.image.tobytes(box, "RGBA"), \
                    f"{type(scene).__name__}: {words!r} shows {char!r} as a box"
                checked += 1
    assert checked > 100, "the buttons' labels were found"
