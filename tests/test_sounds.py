"""Sound effects: synthesised (bounded, faded, deterministic), silent without a mixer, and
played where the game's events happen; the mixer starts without a word on stderr."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pygame
import pytest

from game.app import open_window
from game.core.levels import load_pack
from game.resources import levels_dir
from game.scenes.base import SceneStack
from game.scenes.play import PlayScene
from game.tools.shot import advance_to
from game.view import sounds

ROOT = Path(__file__).resolve().parent.parent
DURATIONS = {"place": 0.09, "remove": 0.11, "step": 0.045, "whoosh": 0.32, "win": 0.62,
             "lose": 0.5, "star": 0.35}


@pytest.fixture(scope="module", autouse=True)
def window():
    """Scenes need pygame's display and fonts."""
    return open_window()


class Recorder:
    """Stands in for a mixer Sound: records what the game asked of it."""

    def __init__(self, name, log):
        self.name, self.log = name, log

    def play(self):
        self.log.append(self.name)
        return self

    def queue(self, sound):  # as a Channel's queue: the next sound on the same channel
        self.log.append(f"then {sound.name}")

    def set_volume(self, value):
        self.log.append(("volume", self.name, value))


@pytest.fixture
def heard():
    """Installs recording sounds for every effect; yields the list of what played."""
    log = []
    sounds.install(sounds.Sounds({n: Recorder(n, log) for n in sounds.NAMES}))
    yield log
    sounds.install(sounds.Sounds())


# ------------------------------------------------------------- synthesis
@pytest.mark.parametrize("name", sounds.NAMES)
def test_each_effect_is_short_bounded_and_starts_and_ends_in_silence(name):
    samples = sounds.synthesize(name, 44100)
    assert samples.dtype == np.float64 and samples.ndim == 1
    assert len(samples) == pytest.approx(DURATIONS[name] * 44100, abs=2)
    assert 0.2 <= np.abs(samples).max() <= sounds.LEVELS[name] <= 1.0
    # No click at either end: exactly 0 at the edges, and inside the fade no louder than it allows.
    assert samples[0] == 0.0 and samples[-1] == 0.0
    n = int(sounds.FADE_SECONDS * 44100)
    ramp = 0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, n))
    assert np.all(np.abs(samples[:n]) <= ramp * sounds.LEVELS[name] + 1e-12)
    assert np.all(np.abs(samples[-n:]) <= ramp[::-1] * sounds.LEVELS[name] + 1e-12)
    # No jump inside either: a cut-off tone would step by up to its whole amplitude.
    assert np.abs(np.diff(samples)).max() < 0.25


@pytest.mark.parametrize("name", sounds.NAMES)
def test_synthesis_is_deterministic_and_follows_the_rate(name):
    assert np.array_equal(sounds.synthesize(name, 22050), sounds.synthesize(name, 22050))
    assert len(sounds.synthesize(name, 22050)) == pytest.approx(len(sounds.synthesize(name, 44100)) / 2,
                                                                abs=2)


def test_an_unknown_effect_is_an_error_that_names_the_known_ones():
    with pytest.raises(ValueError, match="place"):
        sounds.synthesize("explosion")


def test_samples_are_converted_to_each_mixer_format():
    signal = np.array([-1.0, 0.0, 1.0, 2.0])  # 2.0: out of range, clipped
    assert sounds.mixer_samples(signal, -16, 1).tolist() == [-32767, 0, 32767, 32767]
    assert sounds.mixer_samples(signal, -16, 1).dtype == np.int16
    assert sounds.mixer_samples(signal, 8, 1).tolist() == [1, 128, 255, 255]
    assert sounds.mixer_samples(signal, 16, 1).dtype == np.uint16
    assert sounds.mixer_samples(signal, 32, 1).dtype == np.float32
    stereo = sounds.mixer_samples(signal, -16, 2)
    assert stereo.shape == (4, 2) and np.array_equal(stereo[:, 0], stereo[:, 1])
    with pytest.raises(ValueError):
        sounds.mixer_samples(signal, 24, 1)


# ---------------------------------------------------------------- playing
def test_without_a_mixer_every_call_is_silent_and_harmless():
    quiet = sounds.Sounds()
    quiet.set_volume(0.5, False)
    quiet.play("place")
    quiet.play_result(True, 2)
    assert not quiet.audible


def test_the_dummy_audio_driver_gives_every_effect():
    # conftest sets SDL_AUDIODRIVER=dummy: a mixer with no sound card behind it.
    effects = sounds.open_audio()
    assert sorted(effects.sounds) == sorted(sounds.NAMES)
    effects.set_volume(0.5, False)
    assert effects.sounds["win"].get_volume() == pytest.approx(0.5, abs=0.01)
    assert effects.sounds["place"].get_length() == pytest.approx(DURATIONS["place"], abs=0.002)


def test_volume_and_mute_reach_every_sound_and_mute_stops_playing():
    log = []
    effects = sounds.Sounds({n: Recorder(n, log) for n in ("place", "win", "star")})
    effects.set_volume(0.3, False)
    assert ("volume", "win", 0.3) in log
    effects.set_volume(0.3, True)
    assert ("volume", "win", 0.0) in log
    log.clear()
    effects.play("place")
    effects.play_result(True, 1)
    assert log == []


def test_a_win_with_a_met_par_queues_the_star_after_the_tune():
    log = []
    effects = sounds.Sounds({n: Recorder(n, log) for n in sounds.NAMES})
    effects.play_result(True, 1)
    effects.play_result(True, 0)
    effects.play_result(False, 0)
    assert log == ["win", "then star", "win", "lose"]


# -------------------------------------------------- where the game plays them
def _play_scene():
    level = load_pack(levels_dir() / "starter").level("first-harvest")
    scene = PlayScene(level)
    SceneStack().push(scene)
    return scene


def _click(scene, x1, x2, button):
    px, py = scene.field_view.to_screen([x1, x2])[0]
    scene.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(int(px), int(py)),
                                          button=button))


def test_placing_and_removing_fruit_and_a_step_sound_where_they_happen(heard):
    scene = _play_scene()
    _click(scene, 0.8, 0.8, 1)
    _click(scene, 0.2, 0.2, 3)
    assert heard == ["place", "place"]
    _click(scene, 0.2, 0.2, 1)  # on the lemon: removes it
    assert heard[-1] == "remove" and len(scene.attempt.points) == 1
    heard.clear()
    scene.train(1)
    assert heard == ["step"]
    advance_to(scene, "backward", 0.1)
    assert heard == ["step", "whoosh"]


def test_a_refused_placement_is_silent(heard):
    scene = _play_scene()
    scene.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(5, 5), button=1))  # off the field
    assert heard == []


def test_the_result_plays_once_not_each_time_the_card_comes_back(heard):
    scene = _play_scene()
    _click(scene, 0.8, 0.8, 1)
    scene.train(scene.attempt.steps_left)  # spends the budget: won or out of steps
    played = [h for h in heard if h in ("win", "lose", "then star")]
    assert played and played[0] == ("win" if scene.won else "lose")
    scene.stack.pop()  # "Look at the field"
    heard.clear()
    scene.train(1)  # brings the card back
    assert not [h for h in heard if h in ("win", "lose")]


# ------------------------------------------------------------ quiet start
QUIET_ENV = {k: v for k, v in os.environ.items() if k != "SDL_AUDIODRIVER"}


def test_silencing_stderr_hides_what_c_code_writes_and_restores_it():
    script = textwrap.dedent("""
        import os
        from game.view.sounds import _stderr_silenced
        with _stderr_silenced():
            os.write(2, b"ALSA lib pcm.c: noise\\n")
        os.write(2, b"after\\n")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, cwd=ROOT,
                            env=QUIET_ENV, timeout=60)
    assert result.returncode == 0 and result.stderr == b"after\n"


def test_launching_the_game_with_the_real_audio_drivers_prints_nothing_on_stderr(tmp_path):
    # No SDL_AUDIODRIVER: SDL probes the machine's real audio (on a machine with no sound
    # card, libasound used to print eight lines here).
    env = dict(QUIET_ENV, FRUITNET_EXIT_AFTER_FIRST_FRAME="1", SDL_VIDEODRIVER="dummy",
               FRUITNET_DATA_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "-m", "game"], capture_output=True, text=True,
                            cwd=ROOT, env=env, timeout=120)
    assert result.returncode == 0 and "first-frame" in result.stdout
    assert result.stderr == ""


def test_a_screenshot_prints_nothing_on_stderr(tmp_path):
    env = dict(QUIET_ENV, SDL_VIDEODRIVER="dummy", FRUITNET_DATA_DIR=str(tmp_path))
    out = tmp_path / "shot.png"
    result = subprocess.run([sys.executable, "-m", "game", "shot", "first-harvest", "--steps", "1",
                             "--out", str(out)], capture_output=True, text=True, cwd=ROOT, env=env,
                            timeout=120)
    assert result.returncode == 0 and out.exists()
    assert result.stderr == ""
