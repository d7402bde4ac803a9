"""Command-line tools that run without a window: benchmark, level checks, replays."""
