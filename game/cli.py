"""The `fruitnet` command line (also `python -m game`).

Every subcommand turns failures into a one-line message and an exit code;
a player never sees a traceback.
"""

from __future__ import annotations

import argparse
import sys

from game import __version__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fruitnet",
        description="FruitNet: teach a tiny neural network to tell strawberries from lemons.")
    parser.add_argument("--version", action="version", version=f"fruitnet {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("bench", help="print the speed benchmark as JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    args = _parser().parse_args(argv)
    if args.command == "bench":
        from game.tools.bench import run_bench
        return run_bench()
    _parser().print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
