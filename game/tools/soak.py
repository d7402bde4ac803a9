"""`fruitnet soak`: thousands of random inputs through the real game, then one JSON report.

The soak opens the real App (on SDL's dummy drivers: no window, no sound) and
feeds it what a restless classroom might: clicks biased to the field, the
network and the widgets actually on screen (so buttons, drop-downs, sliders,
dialogs and text fields really get used), drags, keys, hostile typed text, the
mouse wheel, window resizes and the odd Quit, with `app.frame()` between small
batches. Episodes alternate between a shipped level (opening on its intro card)
and the sandbox; when the game decides to quit, the next episode begins.

Time is simulated: every frame is exactly 1/60 s of game time, so one seed
always gives the same run (see `digest`), and the soak runs as fast as the
machine draws. Once in a while a scene that fails on purpose is pushed, so the
error card and its Continue and Quit are exercised too; those planted failures
are counted apart from real ones. Exit code 1 if the game caught any real
exception. Files go only to FRUITNET_DATA_DIR (a temporary folder if unset).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pygame

from game.core.levels import LevelError
from game.scenes.base import Scene
from game.tools.soak_input import Monkey

FRAME_SECONDS = 1.0 / 60.0
EPISODE_EVENTS = 1000
FAULT_CHANCE = 0.5  # per episode: how often a planted failure brings up the error card


class InjectedFault(Exception):
    """The failure the soak plants on purpose; never counted as a bug."""


class _FaultScene(Scene):
    """A see-through scene that raises on its first event, then leaves on its next one."""

    opaque = False

    def __init__(self) -> None:
        super().__init__()
        self.raised = False

    def handle_event(self, event: pygame.event.Event) -> None:
        """Raise the first time; the next event (after Continue) closes this scene."""
        if not self.raised:
            self.raised = True
            raise InjectedFault("planted by the soak")
        if self.stack is not None and self.stack.top is self:
            self.stack.pop()


class _SimulatedTime:
    """Stands in for the `time` module inside game.app: perf_counter is game time."""

    def __init__(self) -> None:
        self.now = 0.0

    def perf_counter(self) -> float:
        """Game time in seconds: advanced only by the soak, 1/60 s per frame."""
        return self.now

    def __getattr__(self, name: str):
        return getattr(time, name)  # anything else the app asks of `time` is real


def memory_mb() -> tuple[float, float]:
    """(resident now, resident peak) of this process in MB: VmRSS and VmHWM on Linux."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            fields = dict(line.split(":", 1) for line in status if ":" in line)
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024
    except (OSError, KeyError, ValueError):
        import resource  # elsewhere only the peak is known (kB on Linux, bytes on macOS)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        peak_mb = peak / 1024 / (1024 if sys.platform == "darwin" else 1)
        return peak_mb, peak_mb


def episode_starts(packs: tuple[str, ...] = ()) -> list[tuple[str, Callable]]:
    """What each episode opens on, in turn: level 1, a menu, level 2, a menu, …

    The menus between levels take turns: the sandbox, the title screen, the chapter
    map. The pack folders in `packs` come first (levels that use features the shipped
    ones do not, e.g. tests/fixtures/features), so a short soak reaches them; then the
    shipped packs.
    """
    from game.core.levels import load_pack
    from game.resources import levels_dir
    from game.scenes.overlays import LevelIntro
    from game.scenes.play import PlayScene
    from game.scenes.sandbox import SandboxScene

    menus = [("sandbox", lambda stack: stack.replace(SandboxScene())),
             ("title", lambda stack: stack.go("title")), ("chapter map", lambda stack: stack.go("map"))]
    starts = []
    shipped = sorted(p for p in levels_dir().iterdir() if (p / "pack.toml").is_file())
    for folder in [Path(p) for p in packs] + shipped:
        pack = load_pack(folder)
        for level in pack.levels:
            def play(stack, level=level, pack=pack) -> None:
                scene = PlayScene(level, pack)
                stack.replace(scene)
                stack.push(LevelIntro(scene))  # as `fruitnet play` opens
            starts += [(f"play {level.id}", play), menus[len(starts) // 2 % len(menus)]]
    return starts


class Soak:
    """One soak run: the App, the random player, and what was seen."""

    def __init__(self, events: int, seed: int, episode_events: int = EPISODE_EVENTS,
                 packs: tuple[str, ...] = ()) -> None:
        self.target, self.episode_events = events, max(episode_events, 1)
        self.rng = random.Random(seed)
        self.digest = hashlib.sha256()
        self.monkey = Monkey(self.rng, self.frame, self.digest)
        self.starts = episode_starts(packs)
        self.clock = _SimulatedTime()
        self.frames = self.episodes = self.injected = 0
        self.scenes: set[str] = set()
        self.dialogs: set[str] = set()
        self.results: set[str] = set()
        self.uncaught: dict[str, int] = {}  # errors that escaped app.frame itself
        self.app = None
        self.errors = None
        self.rss_start = 0.0

    # --------------------------------------------------------------- run
    def run(self) -> dict:
        """Play until `events` inputs have been delivered; returns the report."""
        import game.app
        # The app reads its clock through its module's `time`: game time stands in for
        # the run, and the real clock is put back afterwards.
        real_time, game.app.time = game.app.time, self.clock
        began = time.perf_counter()
        try:
            self._new_app()
            self.rss_start = memory_mb()[0]
            while self.monkey.events < self.target and self.starts:
                self._episode()
        finally:
            game.app.time = real_time
            if self.app is not None and self.app.stack.session is not None:
                self.app.stack.session.close()
            # Whoever runs next (another test) finds the pointer parked on the top bar, over
            # no widget, and none of the soak's events still queued.
            if pygame.display.get_init():
                pygame.mouse.set_pos((0, 0))
                pygame.event.clear()
        return self.report(time.perf_counter() - began)

    def _new_app(self) -> None:
        """A fresh App (at the start, or after an error escaped the loop), keeping the log."""
        from game.app import App
        from game.resources import levels_dir
        from game.scenes.session import Session

        if self.app is not None and self.app.stack.session is not None:
            self.app.stack.session.close()
        # Progress is saved, as in the game, into the soak's own data folder.
        self.app = App(Scene, Session.open(levels_dir()))  # each episode puts its own scene on
        if self.errors is None:
            self.errors = self.app.errors
        self.app.errors = self.errors
        pygame.mouse.set_pos(self.monkey.pointer)  # where the player believes it is: same seed, same run
        pygame.event.clear()

    def _episode(self) -> None:
        """One episode: a fresh start scene, then batches of input until quit or done."""
        name, start = self.starts[self.episodes % len(self.starts)]
        self.episodes += 1
        self.digest.update(name.encode())
        self.app.running, self.app.notice = True, None  # as if the game had been started again
        try:
            start(self.app.stack)
        except Exception as error:  # noqa: BLE001 - a scene that cannot even open is a finding
            self._escaped(f"start {name}", error)
            self.starts.remove((name, start))  # and it would fail the same way every time
            return
        end = min(self.monkey.events + self.episode_events, self.target)
        fault_at = None
        if self.rng.random() < FAULT_CHANCE:
            fault_at = self.rng.randrange(self.monkey.events, end)
        while self.monkey.events < end and self.app.running and self.app.stack.top is not None:
            if fault_at is not None and self.monkey.events >= fault_at:
                self._plant_fault()
                fault_at = None
            for _ in range(self.rng.randint(1, 4)):
                self.monkey.act(self.app)
            self.frame()
            if self.rng.random() < 0.04:  # sometimes the class just watches
                for _ in range(self.rng.randint(5, 90)):
                    self.frame()

    def _plant_fault(self) -> None:
        """Push the scene that fails on purpose, over whatever is showing."""
        self.app.stack.push(_FaultScene())
        self.injected += 1

    def frame(self) -> None:
        """One pass of the app's loop, 1/60 s later in game time; note what is on top."""
        self.clock.now += FRAME_SECONDS
        self.frames += 1
        try:
            self.app.frame()
        except Exception as error:  # noqa: BLE001 - the real game would have crashed here
            self._escaped("App.frame", error)
            self._new_app()
            return
        self._look(self.app.stack.top)

    def _look(self, top) -> None:
        """Note the scene on top, a result card's outcome and any pygame-gui dialog it shows."""
        name = type(top).__name__
        self.scenes.add(name)
        self.digest.update(name.encode())
        if name == "ResultOverlay":
            self.results.add("won" if top.play.won else "lost")
        manager = getattr(top, "manager", None)
        if manager is not None:
            self.dialogs.update(type(w).__name__ for w in manager.get_window_stack().get_full_stack())

    def _escaped(self, where: str, error: Exception) -> None:
        line = f"{where} (uncaught): {type(error).__name__}: {error}"[:250]
        self.uncaught[line] = self.uncaught.get(line, 0) + 1

    # ------------------------------------------------------------ report
    def report(self, seconds: float) -> dict:
        """The run as one JSON-ready dict."""
        real = {f"{where}: {kind}: {message}": n
                for (where, kind, message), n in self.errors.counts.items()
                if kind != InjectedFault.__name__}
        real.update(self.uncaught)
        distinct = [f"{line} (×{n})" for line, n in sorted(real.items())]
        rss, peak = memory_mb()
        return {
            "events": self.monkey.events,
            "frames": self.frames,
            "episodes": self.episodes,
            "scenes_seen": sorted(self.scenes),
            "dialogs_seen": sorted(self.dialogs),
            "results_seen": sorted(self.results),
            "exceptions": {"total": sum(real.values()), "distinct": distinct},
            "injected_faults": self.injected,
            "rss_mb": {"start": round(self.rss_start, 1), "peak": round(peak, 1),
                       "end": round(rss, 1)},
            "seconds": round(seconds, 2),
            "events_per_s": round(self.monkey.events / max(seconds, 1e-9)),
            "digest": self.digest.hexdigest()[:16],
        }


def soak(events: int, seed: int, episode_events: int = EPISODE_EVENTS,
         packs: tuple[str, ...] = ()) -> dict:
    """Run a soak in this process (dummy drivers, a private data folder); returns the report."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    own_data = "FRUITNET_DATA_DIR" not in os.environ
    if own_data:
        os.environ["FRUITNET_DATA_DIR"] = tempfile.mkdtemp(prefix="fruitnet-soak-")
    try:
        return Soak(events, seed, episode_events, packs).run()
    finally:
        if own_data:
            shutil.rmtree(os.environ.pop("FRUITNET_DATA_DIR"), ignore_errors=True)


def run_soak(events: int, seed: int, episode_events: int = EPISODE_EVENTS, out=None,
             packs: tuple[str, ...] = ()) -> int:
    """Print the soak's report as JSON; exit code 1 if the game caught any exception."""
    try:
        report = soak(events, seed, episode_events, packs)
    except LevelError as error:  # a --pack that is not a pack
        print(error, file=out or sys.stdout)
        return 1
    print(json.dumps(report, indent=2, ensure_ascii=False), file=out or sys.stdout)
    return 1 if report["exceptions"]["total"] else 0
