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
    check = commands.add_parser("check", help="validate level files and pack folders")
    check.add_argument("paths", nargs="+", metavar="PATH")
    check.add_argument("--solve", action="store_true",
                       help="also sweep η × hidden size with the automatic player")
    play = commands.add_parser("play", help="play a level (a file path or a level id)")
    play.add_argument("level", metavar="LEVEL")
    commands.add_parser("sandbox", help="free play: every control unlocked")
    soak = commands.add_parser("soak", help="random input through the real game; JSON report")
    soak.add_argument("--events", type=int, default=5000, help="inputs to send (default 5000)")
    soak.add_argument("--seed", type=int, default=1, help="the same seed gives the same run")
    soak.add_argument("--pack", action="append", default=[], metavar="FOLDER",
                      help="also play the levels of this pack folder (repeatable)")
    soak.add_argument("--episode-events", type=int, default=1000, metavar="N",
                      help="inputs before the next level or the sandbox opens (default 1000)")
    shot = commands.add_parser("shot", help="render the play screen to a PNG")
    shot.add_argument("level", metavar="LEVEL", help="a level file or a shipped level id")
    shot.add_argument("--steps", type=int, default=1, help="steps to train first (default 1)")
    shot.add_argument("--out", required=True, metavar="FILE.png")
    shot.add_argument("--phase", choices=("forward", "loss", "backward", "update"),
                      help="freeze the last step's animation halfway through this phase")
    shot.add_argument("--palette", choices=("default", "colour-blind"), default="default")
    shot.add_argument("--simulate", choices=("deuteranopia", "protanopia"),
                      help="save the picture as seen with this colour-vision deficiency")
    trace = commands.add_parser("trace", help="print a step's log, the numbers a student checks")
    trace.add_argument("level", metavar="LEVEL", help="a level file or a shipped level id")
    trace.add_argument("--steps", type=int, default=1, help="the step to print (default 1)")
    trace.add_argument("--hidden", metavar="SIZES",
                       help="hidden layer sizes the level allows, e.g. 4 or 4,4 (0: none)")
    trace.add_argument("--activation", metavar="NAME",
                       help="a hidden activation the level allows (sigmoid, tanh, relu)")
    trace.add_argument("--markdown", action="store_true", help="format it as a handout")
    replay = commands.add_parser("replay", help="verify a replay by re-simulating it")
    replay.add_argument("level", metavar="LEVEL", help="a level file or a shipped level id")
    replay.add_argument("file", metavar="FILE", help="the replay JSON")
    _classroom_parsers(commands)
    progress = commands.add_parser("progress", help="print the saved progress as a table")
    progress.add_argument("--profile", metavar="NAME", help="whose progress (default: the last player)")
    progress.add_argument("--reset", action="store_true",
                          help="start afresh (asks first; the old file is kept as a backup)")
    progress.add_argument("--yes", action="store_true", help="with --reset: do not ask")
    return parser


def _classroom_parsers(commands) -> None:
    """pack new/add, handin and report: the teacher's and students' classroom commands."""
    pack = commands.add_parser("pack", help="make a class pack and add levels to it")
    pack_commands = pack.add_subparsers(dest="pack_command", metavar="new|add", required=True)
    new = pack_commands.add_parser("new", help="make a pack folder with a pack.toml")
    new.add_argument("folder", metavar="FOLDER")
    new.add_argument("--title", required=True, help="the pack's title, shown in the game")
    new.add_argument("--id", dest="pack_id", help="the pack's id (default: from the folder name)")
    add = pack_commands.add_parser("add", help="copy levels (files or level ids) into a pack")
    add.add_argument("folder", metavar="FOLDER")
    add.add_argument("levels", nargs="+", metavar="LEVEL")
    handin = commands.add_parser("handin", help="write a student's hand-in file for a pack")
    handin.add_argument("pack", metavar="PACK", help="the pack folder played (or its .zip)")
    handin.add_argument("--out", metavar="FILE", help="where to write it (default: data folder)")
    handin.add_argument("--profile", metavar="NAME", help="whose attempts (default: the last player)")
    handin.add_argument("--force", action="store_true", help="replace an existing file")
    report = commands.add_parser("report", help="verify a class's hand-ins: table, CSV, charts")
    report.add_argument("folder", metavar="FOLDER", help="the folder of hand-in files")
    report.add_argument("--pack", required=True, metavar="PACK", help="the pack folder (or .zip)")
    report.add_argument("--csv", metavar="FILE.csv")
    report.add_argument("--chart", metavar="FILE.png")
    report.add_argument("--html", metavar="FILE.html")


def _run_classroom(args) -> int:
    """Run pack, handin or report."""
    if args.command == "pack":
        from game.tools.pack_cmd import run_pack_add, run_pack_new
        if args.pack_command == "new":
            return run_pack_new(args.folder, args.title, args.pack_id)
        return run_pack_add(args.folder, args.levels)
    if args.command == "handin":
        from game.tools.handin_cmd import run_handin
        return run_handin(args.pack, args.out, args.profile, args.force)
    from game.tools.report_cmd import run_report
    return run_report(args.folder, args.pack, args.csv, args.chart, args.html)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    args = _parser().parse_args(argv)
    if args.command == "bench":
        from game.tools.bench import run_bench
        return run_bench()
    if args.command == "check":
        from game.tools.check import run_check
        return run_check(args.paths, args.solve)
    if args.command == "shot":
        from game.tools.shot import run_shot
        return run_shot(args.level, args.steps, args.out, args.phase, args.palette, args.simulate)
    if args.command == "progress":
        from game.tools.progress_cmd import run_progress
        return run_progress(args.profile, args.reset, args.yes)
    if args.command == "trace":
        from game.tools.trace import run_trace
        return run_trace(args.level, args.steps, args.hidden, args.activation, args.markdown)
    if args.command == "replay":
        from game.tools.replay_cmd import run_replay
        return run_replay(args.level, args.file)
    if args.command == "soak":
        from game.tools.soak import run_soak
        return run_soak(args.events, args.seed, args.episode_events, packs=tuple(args.pack))
    if args.command in ("pack", "handin", "report"):
        return _run_classroom(args)
    if args.command == "sandbox":
        from game.tools.launch import run_sandbox
        return run_sandbox()
    from game.tools.launch import run_play
    return run_play(args.level if args.command == "play" else None)


if __name__ == "__main__":
    sys.exit(main())
