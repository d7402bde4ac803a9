"""The class report as text: the terminal table, the CSV file and the self-contained HTML page.

All three show the same ClassReport (class_report.py); nothing here verifies
or counts. The chart images come from the view (game/view/class_chart.py) as
PNG bytes, so this module stays free of drawing.

CSV: one row per student × level, columns CSV_COLUMNS. Encoded as UTF-8 with a
byte-order mark and CRLF line ends: Excel opens a UTF-8 file without the mark
as the local code page (so "Zoë" becomes "ZoÃ«"), while LibreOffice, Numbers,
Google Sheets and Python's csv (with encoding "utf-8-sig") all read the mark
as what it is. Every cell that a spreadsheet could take for a formula (one
starting with =, +, -, −, @, a tab or a carriage return, also after spaces,
and their full-width forms) gets a leading apostrophe, so a student named
"=HYPERLINK(…)" stays text.

HTML: one file with no outside reference (charts as base64 data URIs, styles
inline, no script; a Content-Security-Policy forbids loading anything), every
text escaped, large type on a dark page for a projector.
"""

from __future__ import annotations

import base64
import csv
import html
import io
from statistics import median

from game.core.class_report import Cell, ClassReport

CSV_COLUMNS = ("student", "level_id", "level_title", "won", "stars", "best_steps", "best_fruit",
               "attempts", "quiz_right", "quiz_asked", "last_played", "flags")
_FORMULA_STARTS = ("=", "+", "-", "\u2212", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
NAME_COLUMN = 24  # the terminal table cuts longer names (the CSV and page keep them whole)


def spreadsheet_safe(value: object) -> str:
    """The cell's text, with an apostrophe in front if a spreadsheet could read it as a formula."""
    text = "" if value is None else str(value)
    # Spaces first: some spreadsheets skip them and still read "  =1" as a formula.
    return "'" + text if text.lstrip(" ").startswith(_FORMULA_STARTS) else text


def csv_rows(report: ClassReport) -> list[tuple[str, ...]]:
    """The CSV's rows (header first), every cell made spreadsheet-safe."""
    rows = [CSV_COLUMNS]
    for student in report.students:
        for level in report.pack.levels:
            c = report.cell(student, level.id)
            rows.append(tuple(spreadsheet_safe(v) for v in (
                student, level.id, level.title, "yes" if c.won else "no", c.stars,
                "" if c.best_steps is None else c.best_steps,
                "" if c.best_fruit is None else c.best_fruit, c.attempts, c.quiz_right,
                c.quiz_asked, c.last_played, "; ".join(c.flags))))
    return rows


def csv_bytes(report: ClassReport) -> bytes:
    """The CSV file's bytes: UTF-8 with a byte-order mark, CRLF line ends (see the docstring)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(csv_rows(report))
    return out.getvalue().encode("utf-8-sig")


# ------------------------------------------------------------------ the terminal table
def stars_text(stars: int) -> str:
    return "★" * stars + "☆" * (3 - stars)


def cell_text(cell: Cell, quiz: bool) -> str:
    """'★★☆ 61/2 ×3' (stars, best verified steps/fruit, attempts), '!' if flagged, quiz if asked."""
    result = f"{cell.best_steps}/{cell.best_fruit}" if cell.won else "-"
    text = f"{stars_text(cell.stars)} {result} ×{cell.attempts}" if cell.attempts else "·"
    if quiz and cell.attempts:
        text += f" q{cell.quiz_right}/{cell.quiz_asked}"
    return text + (" !" if cell.flags else "")


def table_lines(report: ClassReport) -> list[str]:
    """The class table: a row per student, a column per level, then what was flagged."""
    levels = report.pack.levels
    quiz = {level.id: bool(level.quizzes) for level in levels}
    header = ["student", *(level.id for level in levels)]
    par = ["(par)", *(f"    {level.par_steps}/{level.par_fruit}" for level in levels)]
    rows = [[_cut(s, NAME_COLUMN), *(cell_text(report.cell(s, level.id), quiz[level.id])
                                     for level in levels)] for s in report.students]
    widths = [max(len(r[k]) for r in [header, par, *rows]) for k in range(len(header))]
    lines = [f"Class report: {report.pack.title} ({report.pack.id}), pack hash "
             f"{report.pack_hash[:12]}…, {len(report.students)} student(s)",
             "Each cell: stars, best verified steps/fruit to win, ×attempts handed in"
             + (", q right/asked" if any(quiz.values()) else "") + "; ! = flagged (below).", ""]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
              for r in [header, par, ["-" * w for w in widths], *rows]]
    if not report.students:
        lines.append("(no hand-in could be used)")
    lines += summary_lines(report)
    return lines


def summary_lines(report: ClassReport) -> list[str]:
    """Per-level wins, then every flag, note and refused file, one line each."""
    lines = [""]
    for level in report.pack.levels:
        steps = report.steps_to_win(level.id)
        middle = f", median {median(steps):g} steps" if steps else ""
        lines.append(f"{level.id}: {len(steps)} of {len(report.students)} won{middle} "
                     f"(par {level.par_steps})")
    for title, items in (("Flagged", [f.text for f in report.flags]), ("Notes", report.notes),
                         ("Refused files", [r.line() for r in report.refused])):
        if items:
            lines += ["", f"{title}:", *items]
    return lines



def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


# ------------------------------------------------------------------ the page
_STYLE = """
body{background:#181c28;color:#e2e6f0;font:20px/1.45 "DejaVu Sans",Verdana,sans-serif;margin:2em}
h1{font-size:1.6em;margin:0 0 .2em} h2{font-size:1.25em;margin:1.6em 0 .5em}
.dim{color:#969eb2} table{border-collapse:collapse;margin:.6em 0}
th,td{border:1px solid #3a4260;padding:.35em .7em;text-align:left;vertical-align:top}
th{background:#222737} td.won{background:#1e3326} td.flag{outline:3px solid #ff6a5a;outline-offset:-3px}
.stars{color:#ffec8c;letter-spacing:.08em} .charts img{max-width:100%;margin:.4em 0;display:block}
li{margin:.25em 0}
"""


def html_page(report: ClassReport, charts: dict[str, bytes], created_at: str) -> str:
    """The whole page; `charts` maps level id to its chart's PNG bytes (levels missing: no chart)."""
    e = html.escape
    levels = report.pack.levels
    head = "".join(f"<th>{e(level.title)}<br><span class=dim>par {level.par_steps} steps, "
                   f"{level.par_fruit} fruit</span></th>" for level in levels)
    body = "".join("<tr><th>" + e(s) + "</th>" + "".join(
        _html_cell(report.cell(s, lv.id), bool(lv.quizzes)) for lv in levels) + "</tr>"
        for s in report.students)
    images = "".join(f'<img alt="{e(lv.title)}: steps to win" src="data:image/png;base64,'
                     f'{base64.b64encode(charts[lv.id]).decode("ascii")}">'
                     for lv in levels if lv.id in charts)
    lists = "".join(f"<h2>{title}</h2><ul>{''.join(f'<li>{e(i)}</li>' for i in items)}</ul>"
                    for title, items in (("Flagged", [f.text for f in report.flags]),
                                         ("Notes", report.notes),
                                         ("Refused files", [r.line() for r in report.refused]))
                    if items)
    wins = "".join(f"<li>{e(line)}</li>" for line in summary_lines(report)[1:1 + len(levels)])
    return ("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
            "<meta http-equiv=Content-Security-Policy content=\"default-src 'none'; img-src data:; "
            "style-src 'unsafe-inline'\"><meta name=viewport content=\"width=device-width\">"
            f"<title>{e(report.pack.title)}: class report</title><style>{_STYLE}</style></head><body>"
            f"<h1>{e(report.pack.title)}</h1><p class=dim>Class report, {len(report.students)} "
            f"student(s), made {e(created_at)}. Pack {e(report.pack.id)}, hash "
            f"{e(report.pack_hash[:12])}…. Only results that re-simulate exactly are shown.</p>"
            f"<table><tr><th>student</th>{head}</tr>{body}</table>"
            f"<h2>Steps to win</h2><ul>{wins}</ul><div class=charts>{images}</div>{lists}"
            "</body></html>\n")


def _html_cell(cell: Cell, quiz: bool) -> str:
    """A table cell: stars, best steps and fruit, attempts, quiz; flags in words."""
    e = html.escape
    classes = " ".join(c for c, on in (("won", cell.won), ("flag", bool(cell.flags))) if on)
    if not cell.attempts:
        return "<td class=dim>not played</td>"
    parts = [f"<span class=stars>{stars_text(cell.stars)}</span>"]
    parts.append(f"{cell.best_steps} steps, {cell.best_fruit} fruit" if cell.won else "not won")
    parts.append(f"<span class=dim>{cell.attempts} attempt{'s' * (cell.attempts != 1)}"
                 + (f", quiz {cell.quiz_right}/{cell.quiz_asked}" if quiz else "") + "</span>")
    parts += [f"<span class=dim>⚑ {e(flag)}</span>" for flag in cell.flags]
    return f"<td class=\"{classes}\">{'<br>'.join(parts)}</td>"
