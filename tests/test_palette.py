"""The colour-blind palette: the pairs that carry meaning stay apart in simulated
deuteranopia and protanopia where the default's do not, and a palette change shows on
the very next frame everywhere (held heatmaps, edges, pulses, the loss glow, the plot).

Simulation: Machado, Oliveira & Fernandes (2009), severity 1.0 (dichromats), on
linear RGB. Difference: CIEDE2000 (game/view/colour_vision.py, checked here against
Sharma, Wu & Dalal's (2005) published test pairs).
"""

import gc

import numpy as np
import pygame
import pytest

from game.app import App, open_window
from game.core.autoplay import choose_points
from game.core.levels import find_level
from game.core.settings import PALETTES as SETTING_NAMES
from game.core.settings import Settings
from game.resources import levels_dir
from game.scenes.base import Scene, SceneStack
from game.scenes.play import PlayScene
from game.tools.shot import advance_to, run_shot
from game.view import field, palette, theme
from game.view.colour_vision import delta_e_2000, delta_e_2000_lab, simulate, simulate_image
from game.view.field import FieldView
from game.view.network_view import NetworkView, edge_colour
from game.view.particles import GLOW_LEVELS, ParticlePool

# ΔE00 ≈ 2.3 is a just-noticeable difference between two large patches side by side.
# These colours must be told apart at a glance, across the screen, on small marks (a
# 9-19 px pulse, a 2 px plot line), where the difference needed grows several-fold
# (Szafir 2018, "Modeling Color Difference for Visualization Design", IEEE TVCG 24(1)).
# 20 is nearly ten JNDs: two clearly different colours, not two shades of one.
DISTINCT = 20.0
# The faintest backward pulse (|∂L/∂w| = 0.001) is meant to look faint, not like another
# category; it must still be seen on its edge: 10, about four JNDs.
VISIBLE = 10.0
FAINTEST = "faintest pulse on a positive edge / the edge"
KINDS = ("deuteranopia", "protanopia")


@pytest.fixture(scope="module", autouse=True)
def window():
    return open_window()


def _peak(sprite: pygame.Surface) -> np.ndarray:
    """A glow sprite's centre colour: what it adds at its brightest point."""
    c = sprite.get_width() // 2
    return np.array(sprite.get_at((c, c))[:3], dtype=np.float64)


def _added(base, light) -> np.ndarray:
    """`light` drawn over `base` with BLEND_ADD, as the pulses are."""
    return np.clip(np.asarray(base, dtype=np.float64) + light, 0, 255)


def meaningful_pairs(name: str) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each pair of colours whose difference carries meaning, as the views draw them in
    palette `name`: the heatmap's two sides, the weights' signs, the pulses."""
    palette.use_palette(name)
    ramp = palette.colour_ramp(palette.current())
    at = lambda y_hat: ramp[int(y_hat * 255 + 0.5)].astype(np.float64)  # noqa: E731
    pool = ParticlePool(8)
    back, forward = _peak(pool.sprites(True)[-1]), _peak(pool.sprites(False)[-1])
    positive, negative = np.array(edge_colour(2.0)), np.array(edge_colour(-2.0))
    colours = palette.current()
    return {
        "strawberry end / lemon end": (at(1.0), at(0.0)),
        "ŷ 0.7 / ŷ 0.3 (a boundary just learned)": (at(0.7), at(0.3)),
        "ŷ 0.6 / ŷ 0.4": (at(0.6), at(0.4)),
        "strawberry end / undecided": (at(1.0), at(0.5)),
        "lemon end / undecided": (at(0.0), at(0.5)),
        "weight +2 / −2": (positive, negative),
        "weight +0.3 / −0.3": (np.array(edge_colour(0.3)), np.array(edge_colour(-0.3))),
        "backward / forward pulse": (_added(theme.BACKGROUND, back), _added(theme.BACKGROUND, forward)),
        "backward pulse / background": (_added(theme.BACKGROUND, back), np.array(theme.BACKGROUND)),
        "pulse on a positive edge / the edge": (_added(positive, back), positive),
        "pulse on a negative edge / the edge": (_added(negative, back), negative),
        FAINTEST: (_added(positive, _peak(pool.sprites(True)[0])), positive),
        "loss line / accuracy line": (np.array(colours.error), np.array(colours.accuracy)),
    }


def seen(name: str, kind: str | None) -> dict[str, float]:
    """ΔE00 of every meaningful pair in palette `name`, as seen with `kind` (None: typical)."""
    out = {}
    for pair, (a, b) in meaningful_pairs(name).items():
        if kind is not None:
            a, b = simulate(a, kind), simulate(b, kind)
        out[pair] = float(delta_e_2000(a, b))
    return out


# ------------------------------------------------------------------- the maths
@pytest.mark.parametrize("lab1, lab2, expected", [  # Sharma et al. 2005, table 1
    ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
    ((50, 2.5, 0), (50, 0, -2.5), 4.3065),
    ((50, 2.5, 0), (73, 25, -18), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
    ((90.8027, -2.0831, 1.4410), (91.1528, -1.6435, 0.0447), 1.4441),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
])
def test_ciede2000_matches_the_published_test_data(lab1, lab2, expected):
    assert float(delta_e_2000_lab(np.array(lab1), np.array(lab2))) == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize("kind, green", [("deuteranopia", (80, 170, 0)), ("protanopia", (40, 105, 0))])
def test_the_simulation_keeps_greys_and_merges_red_with_green(kind, green):
    greys = np.array([[0, 0, 0], [128, 128, 128], [255, 255, 255]], dtype=np.float64)
    assert np.abs(simulate(greys, kind) - greys).max() < 1.0
    # What a dichromat confuses: red and a green of matched lightness, far apart to others.
    red, green = np.array([255, 0, 0]), np.array(green)
    assert float(delta_e_2000(red, green)) > 60
    assert float(delta_e_2000(simulate(red, kind), simulate(green, kind))) < 2.5
    image = np.array([[[200, 0, 0], [0, 125, 0]]], dtype=np.uint8)
    assert np.abs(simulate_image(image, kind).astype(float) - simulate(image, kind)).max() <= 0.5


# ------------------------------------------------------------------ the palettes
def test_the_palettes_are_the_settings_choices():
    assert tuple(palette.PALETTES) == SETTING_NAMES


@pytest.mark.parametrize("kind", KINDS + (None,))
def test_every_meaningful_pair_is_distinct_in_the_colour_blind_palette(kind):
    differences = seen("colour-blind", kind)
    weak = {pair: round(d, 1) for pair, d in differences.items() if d < DISTINCT and pair != FAINTEST}
    assert not weak, f"{kind or 'typical vision'}: too close: {weak}"
    assert differences[FAINTEST] >= VISIBLE


def test_the_default_palette_fails_where_the_colour_blind_one_helps():
    """Without this, the test above might pass for any palette at all."""
    default, safe = seen("default", "deuteranopia"), seen("colour-blind", "deuteranopia")
    for pair in ("ŷ 0.6 / ŷ 0.4", "strawberry end / undecided", "pulse on a positive edge / the edge",
                 "loss line / accuracy line"):
        assert default[pair] < DISTINCT <= safe[pair], (pair, default[pair], safe[pair])
    assert default[FAINTEST] < VISIBLE <= safe[FAINTEST]
    # The field's two sides: red and yellow differ mostly by lightness to a deuteranope.
    assert safe["strawberry end / lemon end"] > 2.5 * default["strawberry end / lemon end"]
    # In typical vision the default's two sides are far apart: the loss is the dichromat's.
    assert seen("default", None)["strawberry end / lemon end"] > 2 * default["strawberry end / lemon end"]


def test_the_default_palette_looks_as_it_always_did():
    palette.use_palette("default")
    assert edge_colour(4.0) == theme.POSITIVE and edge_colour(-4.0) == theme.NEGATIVE
    ramp = palette.colour_ramp(palette.current())
    assert tuple(ramp[0]) == (226, 192, 40) and tuple(ramp[255]) == (206, 44, 70)
    assert field._RAMP is ramp


def test_an_unknown_palette_is_refused_and_the_same_one_changes_nothing():
    with pytest.raises(ValueError, match="palette"):
        palette.use_palette("neon")
    before = palette.generation()
    palette.use_palette(palette.current().name)
    assert palette.generation() == before
    palette.use_palette("colour-blind")
    assert palette.generation() == before + 1 and palette.current().name == "colour-blind"


# -------------------------------------------------------- switching at run time
def _trained_scene(steps=60):
    level = find_level("levels/ch5-final/5-1-final-harvest.toml", [levels_dir()])
    scene = PlayScene(level)
    stack = SceneStack()
    stack.push(scene)
    for p in choose_points(level):
        scene.attempt.add_point(p.x1, p.x2, p.label)
    scene.train(steps)
    advance_to(scene, None)
    assert stack.top is scene
    return scene, stack


def _field_pixels_match_ramp(scene, surface) -> int:
    """How many sampled field pixels (clear of fruit and the ½ line) are the current
    ramp's colour of ŷ there; asserts every one of them is."""
    ramp = palette.colour_ramp(palette.current())
    X, _ = scene.attempt.training_set()
    fruit_px = scene.field_view.to_screen(np.concatenate([X, scene.attempt.orchard_X]))
    checked = 0
    for x1, x2 in np.random.default_rng(1).uniform(0.05, 0.95, size=(40, 2)):
        px, py = scene.field_view.to_screen([x1, x2])[0]
        if np.min(np.hypot(*(fruit_px - (px, py)).T)) < 18 or \
                (len(scene.contour) and np.min(np.hypot(*(scene.contour - (px, py)).T)) < 6):
            continue
        want = ramp[int(float(scene.attempt.network.predict(np.array([x1, x2]))) * 255 + 0.5)]
        got = np.array(surface.get_at((int(px), int(py)))[:3])
        assert np.abs(got - want.astype(int)).max() <= 6, (x1, x2, got, want)
        checked += 1
    return checked


def _thickest_edge_pixel(scene, surface):
    """(drawn colour a quarter along the thickest edge, that weight)."""
    flat = np.concatenate([W.ravel() for W in scene.attempt.network.weights])
    e = int(np.abs(flat).argmax())
    start, end = scene.layout.edge_start[e], scene.layout.edge_end[e]
    x, y = start + (end - start) * 0.25
    return tuple(surface.get_at((int(round(x)), int(round(y))))[:3]), float(flat[e])


def test_a_palette_change_shows_on_the_next_frame_without_a_new_step(window):
    scene, stack = _trained_scene()
    stack.draw(window)
    assert _field_pixels_match_ramp(scene, window) >= 10
    colour, w = _thickest_edge_pixel(scene, window)
    assert colour == edge_colour(w)
    for name in ("colour-blind", "default"):  # and back again
        palette.use_palette(name)
        stack.draw(window)  # no update, no step: the scene's held heatmap is repainted
        assert _field_pixels_match_ramp(scene, window) >= 10
        assert _thickest_edge_pixel(scene, window)[0] == edge_colour(w)
        assert [c for _, c in scene.plot_view._lines] == [palette.current().error,
                                                          palette.current().accuracy]


@pytest.mark.parametrize("name", list(palette.PALETTES))
def test_pulses_and_the_loss_glow_are_rebuilt_in_the_new_colours(name):
    pool, view = ParticlePool(8), NetworkView()
    pool.sprites(True), view._glow(20)  # built in the default palette first
    palette.use_palette(name)
    colours = palette.current()
    for backward, want in ((True, colours.error), (False, colours.forward)):
        sprites = pool.sprites(backward)
        assert len(sprites) == GLOW_LEVELS
        peak = _peak(sprites[-1])
        # The sprite is its colour scaled down toward the rim: the centre is in proportion.
        assert np.abs(peak / peak.max() - np.array(want) / max(want)).max() < 0.03
    halo = view._glow(20)
    assert tuple(halo.get_at((halo.get_width() // 2, halo.get_height() // 2 + 21)))[:3] == colours.error


def test_a_held_heatmap_is_repainted_and_a_dropped_one_forgotten():
    view = FieldView(pygame.Rect(0, 0, 50, 50))
    image = view.heatmap_surface(np.full((10, 10), 0.9))  # the title screen holds one like this
    for name in ("colour-blind", "default"):
        palette.use_palette(name)
        want = palette.colour_ramp(palette.current())[int(0.9 * 255 + 0.5)]
        assert tuple(image.get_at((25, 25)))[:3] == tuple(int(c) for c in want)
    gc.collect()  # earlier tests' heatmaps may be waiting to go
    held = len(field._LIVE_HEATMAPS)
    del image
    gc.collect()
    assert len(field._LIVE_HEATMAPS) == held - 1


class _Blank(Scene):
    def draw(self, surface):
        surface.fill(theme.BACKGROUND)


def test_the_app_applies_the_palette_setting():
    app = App(_Blank)
    assert palette.current().name == "default"
    app.apply_settings(Settings(palette="colour-blind"), save=False)
    assert palette.current().name == "colour-blind"
    app.apply_settings(Settings(), save=False)
    assert palette.current().name == "default"


def test_shot_draws_in_a_palette_and_can_show_it_as_a_dichromat_sees_it(tmp_path):
    plain, seen_as = tmp_path / "cb.png", tmp_path / "cb-deut.png"
    assert run_shot("first-harvest", 30, str(plain), None, "colour-blind") == 0
    assert run_shot("first-harvest", 30, str(seen_as), None, "colour-blind", "deuteranopia") == 0
    assert palette.current().name == "default", "the shot leaves the default palette behind"
    a = pygame.surfarray.array3d(pygame.image.load(str(plain)))
    b = pygame.surfarray.array3d(pygame.image.load(str(seen_as)))
    assert np.array_equal(simulate_image(a, "deuteranopia"), b)
    # The field's corners are the colour-blind ramp, not the default's.
    corner = a[60, 95].astype(float)
    cb, default = (palette.colour_ramp(palette.PALETTES[n]).astype(float)
                   for n in ("colour-blind", "default"))
    assert np.abs(cb - corner).max(axis=1).min() <= 6 < np.abs(default - corner).max(axis=1).min()


def test_the_shot_command_line_takes_a_palette_and_a_simulation():
    from game.cli import _parser

    args = _parser().parse_args(["shot", "first-harvest", "--out", "x.png", "--palette", "colour-blind",
                                 "--simulate", "protanopia"])
    assert (args.palette, args.simulate) == ("colour-blind", "protanopia")
    assert tuple(_parser().parse_args(["shot", "x", "--out", "x.png"]).__dict__[k]
                 for k in ("palette", "simulate")) == ("default", None)
    with pytest.raises(SystemExit):
        _parser().parse_args(["shot", "x", "--out", "x.png", "--palette", "neon"])
