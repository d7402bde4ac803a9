"""Sound effects, synthesised with numpy at start-up: no audio files to license or ship.

`synthesize(name, rate)` is pure arithmetic and returns the samples as a float64
array in [-1, 1]; every effect starts and ends at exactly 0 after a short
raised-cosine fade, so starting or cutting it never clicks. `Sounds` turns the
arrays into pygame.mixer sounds. Scenes call the module functions `play(name)`
and `play_result(attempt)`; they do nothing until the app has installed sounds
with a working mixer, so a machine with no audio device is simply silent.

`open_audio()` starts the mixer on its own (pygame.init() is not used for
that): with no sound card, libasound writes eight lines of complaints to the
process's stderr while SDL probes it, so the descriptor is pointed at the null
device for the duration of the probe.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Iterator

import numpy as np
import pygame

from game.core.attempt import WON

RATE = 44100
NAMES = ("place", "remove", "step", "whoosh", "win", "lose", "star")
FADE_SECONDS = 0.004  # 4 ms: long enough to hide the edge, too short to hear as a fade

# Notes (Hz) for the tunes: C5 E5 G5 C6 for a win, G4 then E♭4 for a loss.
WIN_NOTES = (523.25, 659.26, 783.99, 1046.50)
LOSE_NOTES = (392.00, 311.13)


# ------------------------------------------------------------- synthesis
def _fade(signal: np.ndarray, rate: int) -> np.ndarray:
    """signal (n,) with raised-cosine ramps at both ends: the first and last samples are 0."""
    n = min(max(int(FADE_SECONDS * rate), 2), len(signal) // 2)
    ramp = 0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, n))  # 0 … 1
    out = signal.copy()
    out[:n] *= ramp
    out[-n:] *= ramp[::-1]
    return out


def _tone(f_start: float, f_end: float, seconds: float, rate: int, decay: float,
          overtones: tuple[float, ...] = ()) -> np.ndarray:
    """A sine gliding from f_start to f_end Hz (exponentially), decaying as e^(−decay·t); (n,).

    `overtones` are the amplitudes of harmonics 2, 3, …. The phase is the running
    sum of the frequency, so the glide has no jumps.
    """
    n = int(seconds * rate)
    t = np.arange(n) / rate
    freq = f_start * (f_end / f_start) ** (t / seconds)
    phase = 2 * np.pi * np.cumsum(freq) / rate
    wave = np.sin(phase)
    for k, amplitude in enumerate(overtones, start=2):
        wave += amplitude * np.sin(k * phase)
    return wave * np.exp(-decay * t)


def _at(total: np.ndarray, part: np.ndarray, seconds: float, rate: int) -> None:
    """Add `part` into `total` starting `seconds` in (cut at the end of total)."""
    start = int(seconds * rate)
    end = min(start + len(part), len(total))
    total[start:end] += part[:end - start]


def _whoosh(rate: int) -> np.ndarray:
    """Seeded noise swept from bright to dark over 0.32 s: the error flowing back; (n,)."""
    n = int(0.32 * rate)
    noise = np.random.default_rng(7).standard_normal(n + 64)
    cumulative = np.concatenate(([0.0], np.cumsum(noise)))

    def smoothed(width: int) -> np.ndarray:  # a moving average: a gentle low-pass
        return (cumulative[width:width + n] - cumulative[:n]) / width

    bright, dark = smoothed(3), smoothed(24)
    t = np.arange(n) / n
    sweep = (1 - t) * bright / np.abs(bright).max() + t * dark / np.abs(dark).max()
    return sweep * np.sin(np.pi * t) ** 2


def _raw(name: str, rate: int) -> np.ndarray:
    """The effect before its level and fades are set."""
    if name == "place":  # a rising pluck
        return _tone(520, 780, 0.09, rate, 28, (0.3,))
    if name == "remove":  # a falling pluck
        return _tone(700, 360, 0.11, rate, 22, (0.25,))
    if name == "step":  # a soft tick
        return _tone(1320, 1250, 0.045, rate, 80)
    if name == "whoosh":
        return _whoosh(rate)
    if name == "win":
        total = np.zeros(int(0.62 * rate))
        for k, note in enumerate(WIN_NOTES):
            _at(total, _tone(note, note, 0.62 - 0.09 * k, rate, 7 if k == 3 else 14, (0.2, 0.1)),
                0.09 * k, rate)
        return total
    if name == "lose":
        total = np.zeros(int(0.5 * rate))
        for k, note in enumerate(LOSE_NOTES):
            _at(total, _tone(note, note * 0.985, 0.5 - 0.2 * k, rate, 9, (0.15,)), 0.2 * k, rate)
        return total
    if name == "star":  # a bell: G6 with an inharmonic partial, ringing out
        return _tone(1567.98, 1567.98, 0.35, rate, 10) + 0.5 * _tone(2637.0, 2637.0, 0.35, rate, 14)
    raise ValueError(f"unknown sound {name!r}; expected one of {', '.join(NAMES)}")


LEVELS = {"place": 0.5, "remove": 0.45, "step": 0.3, "whoosh": 0.35, "win": 0.5, "lose": 0.45,
          "star": 0.4}


def synthesize(name: str, rate: int = RATE) -> np.ndarray:
    """The samples of effect `name` at `rate` Hz: float64 (n,), peak LEVELS[name] ≤ 1, faded ends.

    Deterministic: the same name and rate give the same array, bit for bit.
    """
    raw = _raw(name, rate)
    return _fade(raw * (LEVELS[name] / np.abs(raw).max()), rate)


def mixer_samples(signal: np.ndarray, size: int, channels: int) -> np.ndarray:
    """signal (n,) in [-1, 1] as the mixer stores it: (n,) for mono, (n, channels) otherwise.

    `size` is pygame.mixer.get_init()'s format: bits, negative when signed
    (−16 is signed 16-bit); 32 is 32-bit float.
    """
    clipped = np.clip(signal, -1.0, 1.0)
    if size == 32:
        samples = clipped.astype(np.float32)
    elif abs(size) in (8, 16, 32):
        bits = abs(size)
        full = 2 ** (bits - 1) - 1
        whole = np.round(clipped * full).astype(np.int64)
        if size > 0:  # unsigned: silence is the middle value
            whole += full + 1
        samples = whole.astype(np.dtype(f"{'i' if size < 0 else 'u'}{bits // 8}"))
    else:
        raise ValueError(f"unsupported mixer format {size}")
    return samples if channels == 1 else np.repeat(samples[:, None], channels, axis=1)


@functools.lru_cache(maxsize=len(NAMES))
def _samples_for(name: str, rate: int, size: int, channels: int) -> np.ndarray:
    """synthesize() in the mixer's format, made once per process (an app, a test, a soak
    restart each open the audio; the synthesis is most of the ~25 ms that costs)."""
    samples = mixer_samples(synthesize(name, rate), size, channels)
    samples.flags.writeable = False
    return samples


# ---------------------------------------------------------------- playing
class Sounds:
    """The game's effects as mixer sounds; with none (no mixer), every call is a no-op."""

    def __init__(self, sounds: dict | None = None) -> None:
        self.sounds = dict(sounds or {})
        self.volume, self.mute = 1.0, False

    @property
    def audible(self) -> bool:
        """True when there are sounds to play and they are not muted."""
        return bool(self.sounds) and not self.mute and self.volume > 0

    @classmethod
    def for_mixer(cls) -> Sounds:
        """Every effect built for the running mixer's rate and format (none if it is not running)."""
        found = pygame.mixer.get_init()
        if not found:
            return cls()
        try:
            return cls({name: pygame.sndarray.make_sound(_samples_for(name, *found))
                        for name in NAMES})
        except (ValueError, pygame.error):  # a format we cannot fill: silence
            return cls()

    def set_volume(self, volume: float, mute: bool) -> None:
        """Volume 0…1 for every effect; mute silences them all."""
        self.volume, self.mute = min(max(float(volume), 0.0), 1.0), bool(mute)
        for sound in self.sounds.values():
            sound.set_volume(0.0 if self.mute else self.volume)

    def play(self, name: str) -> None:
        """Start effect `name` (on a free channel; dropped if all are busy)."""
        if self.audible and name in self.sounds:
            self.sounds[name].play()

    def play_result(self, won: bool, bonus_stars: int) -> None:
        """The win tune followed by a star's chime if a par was met, or the losing tune."""
        if not self.audible:
            return
        channel = self.sounds["win" if won else "lose"].play()
        if channel is not None and won and bonus_stars > 0:
            channel.queue(self.sounds["star"])


def _null_stderr() -> tuple[int, int] | None:
    """Point file descriptor 2 at the null device; (saved stderr, null) to undo it, or None."""
    try:
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # no usable sys.stderr: still silence fd 2
        pass
    try:
        saved = os.dup(2)
    except OSError:  # no descriptor 2 at all: nothing to silence
        return None
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        os.close(saved)
        return None
    try:
        os.dup2(null, 2)
    except OSError:
        os.close(saved)
        os.close(null)
        return None
    return saved, null


@contextlib.contextmanager
def _stderr_silenced() -> Iterator[None]:
    """Silence what C libraries write to stderr for the duration (Python's own stderr too)."""
    undo = _null_stderr()
    try:
        yield
    finally:
        if undo is not None:
            os.dup2(undo[0], 2)
            os.close(undo[0])
            os.close(undo[1])


def open_audio() -> Sounds:
    """Start the mixer quietly and build the effects; silent Sounds when there is no device."""
    if not pygame.mixer.get_init():
        try:
            with _stderr_silenced():
                pygame.mixer.init(RATE, -16, 2, 512)  # 512 frames: ~12 ms of latency
        except pygame.error:
            return Sounds()
    return Sounds.for_mixer()


# ----------------------------------------------------- what scenes call
_installed = Sounds()


def install(sounds: Sounds) -> None:
    """Make `sounds` the effects that play() and play_result() use (the app does this)."""
    global _installed
    _installed = sounds


def installed() -> Sounds:
    """The effects in use (silent until the app installs some)."""
    return _installed


def play(name: str) -> None:
    """Play effect `name` if sound is on; otherwise nothing."""
    _installed.play(name)


def play_result(attempt) -> None:
    """The result of a finished attempt: win (and a star's chime for a met par) or lose."""
    outcome = attempt.outcome()
    _installed.play_result(attempt.state == WON, int(outcome.steps_star) + int(outcome.fruit_star))
