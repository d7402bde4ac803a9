"""`fruitnet report FOLDER --pack PACK [--csv F] [--chart F.png] [--html F.html]`: the class report.

Reads every *.json hand-in under FOLDER (a few folders deep, as an LMS download
lays them out), verifies each attempt by re-simulating it against the pack's
level files (game/core/class_report.py), prints the class table and what was
flagged or refused, and writes the CSV, the chart PNG (every level's histogram,
one panel each, in one image) and the self-contained HTML page if asked.
Outputs are written atomically; an existing one is replaced and kept as
`<name>.1.bak`.

Exit codes: 0 when every hand-in and attempt was verified and counted; 1 when
any file or attempt was refused (the report still covers the rest); 2 when no
report can be made (the pack or the folder cannot be read, or an output cannot
be written). Every problem is one line.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from game.core.class_export import csv_bytes, html_page, table_lines
from game.core.class_report import ClassReport, build_report, handin_files
from game.core.fields import LevelError, file_label
from game.core.pack_open import require_pack
from game.core.progress_records import iso_time
from game.core.safe_files import UnsafeSave, write_with_backups


def run_report(folder: str, pack_spec: str, csv_out: str | None = None, chart_out: str | None = None,
               html_out: str | None = None) -> int:
    """Make the report; returns the exit code (see the module docstring)."""
    try:
        pack = require_pack(pack_spec)
    except LevelError as error:
        print(error)
        return 2
    root = Path(folder)
    try:
        files, refused = handin_files(root)
    except OSError as error:
        print(f"{file_label(folder)}: cannot read the folder of hand-ins "
              f"({getattr(error, 'strerror', None) or error})")
        return 2
    try:
        report = build_report(pack, files, refused, label=lambda p: file_label(p.relative_to(root)))
    except LevelError as error:  # the pack's own files became unreadable meanwhile
        print(error)
        return 2
    for line in table_lines(report):
        print(line)
    if not files and not refused:
        print(f"{file_label(folder)}: no .json hand-in found")
    return _write_outputs(report, csv_out, chart_out, html_out) or report.exit_code


def _write_outputs(report: ClassReport, csv_out: str | None, chart_out: str | None,
                   html_out: str | None) -> int:
    """Write what was asked for; 2 if any could not be written, else 0."""
    outputs = []
    if csv_out:
        outputs.append((csv_out, lambda: csv_bytes(report)))
    if chart_out or html_out:
        from game.view.class_chart import class_chart, level_chart, png_bytes
        if chart_out:
            outputs.append((chart_out, lambda: png_bytes(class_chart(report))))
        if html_out:
            outputs.append((html_out, lambda: html_page(
                report, {lv.id: png_bytes(level_chart(report, lv)) for lv in report.pack.levels},
                iso_time(time.time())).encode("utf-8")))
    failed = 0
    for path, make in outputs:
        if problem := write_file(Path(path), make()):
            print(problem)
            failed = 2
        else:
            print(f"Wrote {path}")
    return failed


def write_file(path: Path, data: bytes) -> str | None:
    """Write `data` to `path` atomically (the old file kept as .1.bak); a one-line problem or None."""
    try:
        write_with_backups(path.parent, path.name, data, overwrite=True)
        return None
    except (UnsafeSave, OSError) as error:
        why = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        return f"{file_label(path)}: not written ({why})"


def report_figure(students: int = 30) -> float:
    """For `fruitnet bench`: seconds to report on `students` generated hand-ins (ch1-scale).

    The class is simulated first (untimed: autoplay, a progress store, write_handin);
    the timed part is the whole `fruitnet report` with CSV, chart and HTML, output
    printed to nowhere.
    """
    import contextlib
    import io
    import tempfile

    from game.core.class_sim import simulate_class
    from game.core.levels import load_pack
    from game.resources import levels_dir

    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    pack_folder = levels_dir() / "ch1-scale"
    with tempfile.TemporaryDirectory(prefix="fruitnet-bench-class-") as temp:
        simulate_class(load_pack(pack_folder), Path(temp), students)
        out = Path(temp) / "out"
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            run_report(str(Path(temp) / "handins"), str(pack_folder), str(out / "class.csv"),
                       str(out / "chart.png"), str(out / "class.html"))
        return round(time.perf_counter() - start, 2)
