"""Where does the soak's memory go? RSS per episode, and what Python allocated in between.

    python scripts/soak_memory.py --events 20000 [--seed 1] [--tracemalloc]

Prints one line per episode: events so far, RSS, the episode's start scene, and
the number of live Python objects. With --tracemalloc (slow), also the ten
source lines whose allocations grew most over the episode. Memory that grows
in RSS but not in tracemalloc is held outside Python's allocator: pygame
surfaces, SDL, FreeType fonts, numpy buffers allocated by C code.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from game.tools.soak import Soak, memory_mb, soak  # noqa: E402


class WatchedSoak(Soak):
    """A soak that reports memory at the start of every episode."""

    def __init__(self, *args, trace: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.trace = trace
        self.snapshot = None

    def _episode(self) -> None:
        gc.collect()
        rss, _ = memory_mb()
        name = self.starts[self.episodes % len(self.starts)][0]
        print(f"{self.monkey.events:>7} events  {rss:7.1f} MB  {len(gc.get_objects()):>8} objects  "
              f"next: {name}", flush=True)
        if self.trace:
            snapshot = tracemalloc.take_snapshot()
            if self.snapshot is not None:
                for stat in snapshot.compare_to(self.snapshot, "lineno")[:10]:
                    print("    ", stat)
            self.snapshot = snapshot
        super()._episode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--episode-events", type=int, default=1000)
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()
    if args.tracemalloc:
        tracemalloc.start(10)
    import game.tools.soak as soak_module
    soak_module.Soak = lambda *a, **k: WatchedSoak(*a, trace=args.tracemalloc, **k)
    report = soak(args.events, args.seed, args.episode_events)
    print({k: report[k] for k in ("events", "frames", "rss_mb", "seconds", "exceptions")})
    return 0


if __name__ == "__main__":
    sys.exit(main())
