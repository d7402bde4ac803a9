"""What a step shows on the network panel: eased updates with Δw labels, pulses on a fixed
log scale, and per-neuron thumbnails that are the neuron's true activation over the field."""

import numpy as np
import pygame
import pytest

from game.app import open_window
from game.core.levels import find_level
from game.core.neuron_grids import grid_centres
from game.resources import levels_dir
from game.scenes.base import SceneStack
from game.scenes.play import PlayScene
from game.scenes.sandbox import SandboxScene
from game.scenes.training_layout import NETWORK_RECT
from game.tools.shot import advance_to
from game.view import theme
from game.view.animation import largest_changes, signed_change
from game.view.network_view import edge_colour, edge_width
from game.view.neuron_thumbnails import BRIGHT, DARK, ENLARGED_PX
from game.view.particles import PULSE_MOST, pulse_count, pulse_strength

NO_HIDDEN = "levels/ch4-hidden/4-1-crossed-rows.toml"  # starts as a 2-1 net, η up to 20


@pytest.fixture(scope="module", autouse=True)
def window():
    return open_window()


def _render(scene, window):
    stack = SceneStack()
    stack.push(scene)
    window.fill((0, 0, 0))
    stack.draw(window)
    return pygame.surfarray.array3d(window).astype(int)  # [x, y, rgb]


def _two_edge_scene(x1, x2, label, lr=20.0, weights=None):
    """A 2-1 network (edges 0: x₁→ŷ, 1: x₂→ŷ) with one fruit to train on."""
    scene = PlayScene(find_level(NO_HIDDEN, [levels_dir()]))
    assert scene.attempt.network.layer_sizes == (2, 1)
    scene.attempt.add_point(x1, x2, label)
    scene.act(scene.attempt.set_learning_rate(lr))
    if weights is not None:  # a chosen start, so the gradients are known in advance
        scene.attempt.network.weights[0][...] = [weights]
        scene.attempt.network.biases[0][...] = 0.0
    scene.refresh_boundary()
    return scene


def _along(scene, edge, t):
    """The screen point a fraction t along `edge`, from its input end."""
    start, end = scene.layout.edge_start[edge], scene.layout.edge_end[edge]
    return start + (end - start) * t


def _run_across(pixels, point):
    """(colour at point, how many pixels of that colour run vertically through it)."""
    x, y = int(round(point[0])), int(round(point[1]))
    colour = pixels[x, y]
    up = down = 0
    while (pixels[x, y - up - 1] == colour).all():
        up += 1
    while (pixels[x, y + down + 1] == colour).all():
        down += 1
    return colour, up + down + 1


# ------------------------------------------------------------------ update phase
def test_the_update_eases_a_changed_edge_and_leaves_an_unchanged_one_still(window):
    # x₁ = 0 gives ∂L/∂w₁ = δ·0 = 0 exactly. For w₂ = 0.5, label 1 pushes w₂ up, away
    # from 0, so its thickness and colour move one way through the whole phase.
    scene = _two_edge_scene(0.0, 0.9, 1, weights=[-1.0, 0.5])
    old = scene.attempt.network.weights[0].copy()
    scene.train(1)
    new = scene.attempt.network.weights[0].copy()
    assert new[0, 0] == old[0, 0] and new[0, 1] != old[0, 1]
    assert abs(edge_width(new[0, 1]) - edge_width(old[0, 1])) >= 2, "the test needs a visible change"
    frames = []
    for progress in (0.05, 0.5, 0.95):
        advance_to(scene, "update", progress)
        assert scene.particles.live_count == 0, "the backward pulses are over before the update"
        frames.append(_render(scene, window))
    at = _along(scene, 1, 0.25)  # clear of the Δw label (mid-edge) and of ŷ's glow
    (c0, w0), (c_mid, w_mid), (c1, w1) = (_run_across(f, at) for f in frames)
    want_old, want_new = np.array(edge_colour(old[0, 1])), np.array(edge_colour(new[0, 1]))
    low, high = sorted((edge_width(old[0, 1]), edge_width(new[0, 1])))
    assert low <= w0 <= w_mid <= w1 <= high or low <= w1 <= w_mid <= w0 <= high
    assert min(w0, w1) < w_mid < max(w0, w1), "halfway, the edge is drawn halfway"
    for c in (c0, c_mid, c1):
        assert (np.minimum(want_old, want_new) <= c).all() and (c <= np.maximum(want_old, want_new)).all()
    assert not (c_mid == want_old).all() or not (c_mid == want_new).all()
    # The unchanged edge (x₁ → ŷ) is drawn identically throughout the update.
    xs, ys = zip(*(_along(scene, 0, t) for t in np.linspace(0.1, 0.4, 7)))
    box = (slice(int(min(xs)) - 8, int(max(xs)) + 8), slice(int(min(ys)) - 8, int(max(ys)) + 8))
    assert (frames[0][box] == frames[1][box]).all() and (frames[1][box] == frames[2][box]).all()


def test_the_largest_changes_carry_their_dw_and_zero_changes_none(window):
    scene = _two_edge_scene(0.0, 0.9, 1)
    scene.train(1)
    advance_to(scene, "backward", 0.5)
    assert scene.animation.change_labels() == [], "labels only in the update phase"
    advance_to(scene, "update", 0.5)
    (l, j, i, dw), = scene.animation.change_labels()  # the x₁ weight did not move: no label
    assert (l, j, i) == (0, 0, 1) and dw == scene.attempt.network.weights[0][0, 1] - \
        scene.animation.old_weights[0][0, 1]
    pixels = _render(scene, window)
    assert _shows(pixels, signed_change(dw)), "the Δw label is drawn"
    scene.animation.advance(scene.animation.duration)
    assert not _shows(_render(scene, window), signed_change(dw)), "and goes with the phase"


def _shows(pixels, words, box=(20, 22, 30)):
    """Whether `words` appear on the network panel exactly as a Δw label draws them."""
    text = theme.text(words, 12, theme.HIGHLIGHT, "bold")
    expected = pygame.Surface(text.get_size())
    expected.fill(box)
    expected.blit(text, (0, 0))
    want = pygame.surfarray.array3d(expected).astype(int)
    w, h = want.shape[:2]
    r = NETWORK_RECT
    for x, y in zip(*np.nonzero((pixels[r.x:r.right, r.y:r.bottom] == box).all(axis=2))):
        x, y = x + r.x, y + r.y
        if (pixels[x:x + w, y:y + h] == want).all():
            return True
    return False


def test_largest_changes_and_their_text():
    old = [np.array([[1.0, 2.0, 3.0]]), np.array([[0.5]])]
    new = [np.array([[1.0, 2.1, 2.0]]), np.array([[0.52]])]
    assert largest_changes(old, new) == [(0, 0, 2, -1.0), (0, 0, 1, pytest.approx(0.1)),
                                         (1, 0, 0, pytest.approx(0.02))]
    assert largest_changes(old, old) == []
    assert [signed_change(v) for v in (0.0213, -0.002, 1.52e-5, -0.1)] == \
        ["+0.0213", "−0.00200", "+1.52e−5", "−0.100"]


# -------------------------------------------------------------- backward pulses
def test_pulse_scale_is_fixed_and_logarithmic():
    g = np.array([0.0, 1e-6, 1e-3, 1e-2, 1e-1, 3.0])
    np.testing.assert_allclose(pulse_strength(g), [0, 0, 0, 0.5, 1, 1])
    assert pulse_count(g).tolist() == [0, 1, 1, 3, PULSE_MOST, PULSE_MOST]
    # The same gradient reads the same whatever else is in the step.
    assert pulse_strength(np.array([1e-2, 1e-4]))[0] == pulse_strength(np.array([1e-2, 5.0]))[0]


def test_backward_pulses_follow_the_gradient_and_skip_an_exact_zero(window):
    # With zero weights ŷ = ½ and δ = (½ − 1)·¼ = −⅛, so ∂L/∂w = −⅛·x: x₁ = 0.8 gives
    # 0.1, x₂ = 0.008 gives 0.001.
    scene = _two_edge_scene(0.8, 0.008, 1, lr=1.0, weights=[0.0, 0.0])
    scene.train(1)
    np.testing.assert_allclose(np.abs(scene.animation.trace.layers[0].dW[0]), [0.1, 0.001])
    advance_to(scene, "backward", 0.35)
    pool = scene.particles
    live = pool.alive & pool.backward
    assert np.count_nonzero(live & (pool.edge == 0)) == PULSE_MOST
    assert np.count_nonzero(live & (pool.edge == 1)) == 1
    assert pool.strength[live & (pool.edge == 0)].min() > pool.strength[live & (pool.edge == 1)].max()
    added = _pulse_light(scene, window)
    nearer_0 = _nearer(scene, added.shape, 0, 1)
    assert added[nearer_0].sum() > 4 * added[~nearer_0].sum() > 0, "0.1 glows more than 0.001"

    zero = _two_edge_scene(0.0, 0.8, 1, lr=1.0)  # x₁ = 0: ∂L/∂w₁ is exactly 0
    zero.train(1)
    assert zero.animation.trace.layers[0].dW[0, 0] == 0.0
    for progress in (0.1, 0.35, 0.6, 0.9):
        advance_to(zero, "backward", progress)
        pool = zero.particles
        assert not (pool.alive & (pool.edge == 0)).any(), "no pulse at all on a zero gradient"
        if progress == 0.35:  # while x₂'s pulses run, none light x₁'s edge
            assert (pool.alive & (pool.edge == 1)).any()
            added = _pulse_light(zero, window)
            assert added[_nearer(zero, added.shape, 0, 1, within=0.4)].sum() == 0
            assert added[_nearer(zero, added.shape, 1, 0)].sum() > 0


def _pulse_light(scene, window):
    """Per pixel, how much light the pulses add: the frame minus the same frame without them."""
    with_pulses = _render(scene, window)
    alive = scene.particles.alive.copy()
    scene.particles.alive[:] = False
    without = _render(scene, window)
    scene.particles.alive[:] = alive
    return (with_pulses - without).sum(axis=2)


def _nearer(scene, shape, a, b, within=1.0):
    """Mask of pixels nearer edge a than edge b, inside the network's rect, up to a
    fraction `within` along a from its input end."""
    xs, ys = np.meshgrid(np.arange(shape[0]), np.arange(shape[1]), indexing="ij")
    points = np.stack([xs, ys], axis=-1).astype(float)

    def distance(edge, reach=1.0):
        start, end = scene.layout.edge_start[edge], scene.layout.edge_end[edge]
        d = (end - start) * reach
        t = np.clip(((points - start) @ d) / (d @ d), 0, 1)
        return np.linalg.norm(points - (start + t[..., None] * d), axis=-1)

    rect = scene.layout.rect
    inside = np.zeros(shape, dtype=bool)
    inside[rect.x:rect.right, rect.y:rect.bottom] = True
    return inside & (distance(a, within) < distance(b)) & (distance(a, within) < 25)


# ------------------------------------------------------------------- thumbnails
def _trained(activation):
    if activation == "sigmoid":
        scene = PlayScene(find_level("first-harvest", [levels_dir()]))
        for x1, x2, label in ((0.8, 0.8, 1), (0.2, 0.2, 0), (0.7, 0.9, 1)):
            scene.attempt.add_point(x1, x2, label)
    else:
        scene = SandboxScene(save_folder=None)
        assert scene.act(scene.attempt.set_activation(activation))
        scene.after_network_change()
    scene.train(40)
    advance_to(scene, None)
    scene.particles.clear()
    return scene


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_a_thumbnail_pixel_is_the_neurons_activation_there(window, activation):
    scene = _trained(activation)
    pixels = _render(scene, window)
    net, side = scene.attempt.network, scene.layout.thumb_side
    x1, x2 = grid_centres(side)
    sample = scene.attempt.training_set()[0][scene.attempt.current_sample()]
    checked = 0
    for layer in range(1, len(net.layer_sizes) - 1):
        for k, rect in enumerate(scene.layout.thumb_rects[layer]):
            every = np.array([net.activations(np.array([x1[c], x2[r]]))[layer][k]
                              for r in range(side) for c in range(side)])
            low, high = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}.get(
                activation, (0.0, every.max() if every.max() > 0 else 1.0))
            for r, c in ((1, 1), (side - 2, side - 2), (side // 2, 3), (4, side - 5), (side // 3, side // 2)):
                dot = (rect.x + sample[0] * side, rect.bottom - sample[1] * side)
                if np.hypot(rect.x + c - dot[0], rect.y + r - dot[1]) < 5:
                    continue  # under the current fruit's dot
                a = every[r * side + c]
                grey = DARK + (BRIGHT - DARK) * (a - low) / (high - low)
                got = pixels[rect.x + c, rect.y + r]
                assert got[0] == got[1] == got[2] and abs(got[0] - grey) <= 1, (layer, k, r, c)
                checked += 1
            # The disc is filled on the same scale, with the current fruit's activation.
            x, y = scene.layout.positions[layer][k]
            a = net.activations(sample)[layer][k]
            disc = pixels[int(x), int(y + scene.layout.radius - 5)]  # below its name
            share = min(max((a - low) / (high - low), 0.0), 1.0)  # relu's top is the grid's
            assert abs(disc[0] - (DARK + (BRIGHT - DARK) * share)) <= 1
    assert checked >= 10


def test_hovering_a_neuron_enlarges_its_thumbnail(window):
    scene = _trained("sigmoid")
    rect = scene.layout.thumb_rects[1][1]
    plain = _render(scene, window)
    assert scene.network_view.enlarged is None
    scene.on_mouse_move(rect.center)
    assert scene.hover_edge is None, "over a thumbnail the mouse is not on an edge"
    hovered = _render(scene, window)
    image = scene.network_view.enlarged
    assert image is not None and image.size == (ENLARGED_PX, ENLARGED_PX)
    assert (hovered[image.x:image.right, image.y:image.bottom]
            != plain[image.x:image.right, image.y:image.bottom]).any()
    # Its pixels are the neuron's activation on the same scale as the small one.
    net = scene.attempt.network
    for fx, fy in ((0.2, 0.8), (0.8, 0.2), (0.5, 0.5), (0.9, 0.9)):
        a = net.activations(np.array([fx, fy]))[1][1]
        got = hovered[int(image.x + fx * ENLARGED_PX), int(image.bottom - fy * ENLARGED_PX)]
        assert got[0] == got[1] == got[2]
        assert abs(got[0] - (DARK + (BRIGHT - DARK) * a)) <= 12
    # Hovering a hidden disc does the same; moving away closes it.
    x, y = scene.layout.positions[1][0]
    scene.on_mouse_move((int(x), int(y)))
    _render(scene, window)
    assert scene.network_view.enlarged is not None
    scene.on_mouse_move((5, 5))
    _render(scene, window)
    assert scene.network_view.enlarged is None
