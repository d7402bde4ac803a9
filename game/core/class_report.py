"""The class report: every hand-in verified by re-simulation, then one cell per student × level.

    files, refused = handin_files(folder)            # the *.json under a folder of hand-ins
    report = build_report(pack, files, refused, label=str)
    report.cell("Anna", "tip-the-scale").best_steps   # None unless a verified win
    report.steps_to_win("tip-the-scale")              # each winner's best verified steps
    report.exit_code                                  # 1 if anything was refused

Trust: a hand-in's claims count for nothing. An attempt counts only if its
level is in the pack, it was played on exactly this level file (its SHA-256),
its replay re-simulates (replay.verify: every claim, down to the weights' hash)
and the hand-in's own numbers (state, stars, steps, fruit, accuracy, quiz) are
what the re-simulation gives. Otherwise it is refused with the reason, and
the rest of the hand-in still counts. A whole file is refused (one line) when
it cannot be read as a hand-in (handin.py) or is for another pack.

Copies: attempts at the same level whose action lists are identical, handed in
by different students, are flagged for every one of them. The one finished
first (by the times the students' computers recorded) counts; the later ones
do not. Times can be edited, so the flag names everyone involved and the
teacher decides. Replays that place no fruit (only steps on the level's given
fruit) are not compared: students who only press Step make the same replay
without copying.

Speed: each distinct replay is re-simulated once (an identical copy costs
nothing more); a replay takes milliseconds (the step budget bounds it).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from game.core.attempt import PLAYING
from game.core.attempt_records import Outcome
from game.core.handin import HandedAttempt, HandIn, HandinError, read_handin
from game.core.levels import Pack
from game.core.pack_files import pack_hash
from game.core.replay import verify

MAX_FILES = 2000
MAX_DEPTH = 3  # an LMS download puts each student's file in a folder of its own
_CLAIMS = (("state", "state"), ("stars", "stars"), ("steps", "steps_used"), ("fruit", "points_used"),
           ("accuracy", "accuracy"), ("quiz_right", "quiz_right"), ("quiz_asked", "quiz_asked"))


@dataclass(frozen=True)
class Refusal:
    """A hand-in file that was not used at all, and why (one line)."""

    file: str
    reason: str

    def line(self) -> str:
        return f"{self.file}: refused: {self.reason}"


@dataclass(frozen=True)
class Flag:
    """Something the teacher should look at: `refused` if it kept an attempt from counting."""

    student: str
    level_id: str  # "" for the whole hand-in
    kind: str  # forged, other level version, unknown level, copy, pack version
    text: str  # one line, naming the file
    refused: bool


@dataclass(frozen=True)
class Cell:
    """One student's verified results on one level."""

    student: str
    level_id: str
    won: bool
    stars: int
    best_steps: int | None
    best_fruit: int | None
    attempts: int  # handed in
    counted: int  # verified and counted
    quiz_right: int
    quiz_asked: int
    last_played: str  # finished_at of the latest counted attempt ("" if none)
    flags: tuple[str, ...]  # short notes: "1 forged", "copy (Anna)"


@dataclass(frozen=True)
class ClassReport:
    """Everything the table, the CSV, the chart and the page show."""

    pack: Pack
    pack_hash: str
    students: tuple[str, ...]
    cells: dict[tuple[str, str], Cell]
    refused: tuple[Refusal, ...]
    flags: tuple[Flag, ...]
    notes: tuple[str, ...] = ()

    def cell(self, student: str, level_id: str) -> Cell:
        return self.cells[(student, level_id)]

    def steps_to_win(self, level_id: str) -> list[int]:
        """Each student's best verified steps to win this level (students who won only)."""
        return sorted(c.best_steps for c in (self.cells[(s, level_id)] for s in self.students)
                      if c.won and c.best_steps is not None)

    @property
    def exit_code(self) -> int:
        """1 if a file or an attempt was refused, else 0."""
        return 1 if self.refused or any(f.refused for f in self.flags) else 0


@dataclass(frozen=True)
class _Problem:
    """Why an attempt is flagged: its kind, a short note for its cell, the full line."""

    kind: str
    note: str
    text: str
    counts: bool = False  # the attempt still counts (the first of identical replays)


@dataclass
class _Checked:
    """One handed-in attempt and what verification made of it."""

    student: str
    file: str
    number: int  # 1 for the student's first attempt at this level, and so on
    attempt: HandedAttempt
    outcome: Outcome | None = None  # the re-simulation's, when it counts
    problems: list[_Problem] = field(default_factory=list)


# ------------------------------------------------------------------ files
def handin_files(folder: Path) -> tuple[list[Path], list[Refusal]]:
    """The *.json files under `folder` (MAX_DEPTH deep, sorted) and refusals for links.

    Hidden files and folders are skipped; symbolic links are never followed (a link
    could lead out of the folder), and a linked .json file is refused by name.
    """
    found, refused, stack = [], [], [(folder, 0)]
    while stack:
        where, depth = stack.pop()
        with os.scandir(where) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.name.startswith("."):
                    continue
                path = Path(entry.path)
                if entry.is_symlink():
                    if entry.name.lower().endswith(".json"):
                        refused.append(Refusal(str(path.relative_to(folder)),
                                               "a symbolic link (copy the file itself into the folder)"))
                elif entry.is_dir() and depth < MAX_DEPTH:
                    stack.append((path, depth + 1))
                elif entry.name.lower().endswith(".json") and entry.is_file():
                    found.append(path)
        if len(found) > MAX_FILES:
            raise OSError(f"more than {MAX_FILES:,} .json files under {folder}")
    return sorted(found), refused


# ------------------------------------------------------------------ the report
def build_report(pack: Pack, files: list[Path], refused: list[Refusal] | None = None,
                 label: Callable[[Path], str] = str) -> ClassReport:
    """Read, verify and tabulate the hand-ins in `files` for `pack`; never raises for a bad file.

    `label` names a file in messages; `refused` holds files already refused.
    """
    digest = pack_hash(pack)
    refusals, notes = list(refused or []), []
    handins = _read_all(pack, files, label, refusals, notes)
    checked, flags = [], []
    for name, handin in handins:
        if handin.pack_hash != digest:
            flags.append(Flag(handin.student, "", "pack version", f"{name}: {handin.student}: handed "
                              f"in for another version of this pack (pack hash {handin.pack_hash[:12]}…, "
                              f"this pack {digest[:12]}…); attempts on changed levels do not count",
                              False))
        seen: dict[str, int] = {}  # attempts are numbered per level, in the order handed in
        for attempt in handin.attempts:
            seen[attempt.level_id] = seen.get(attempt.level_id, 0) + 1
            checked.append(_Checked(handin.student, name, seen[attempt.level_id], attempt))
    _verify_all(pack, checked)
    _mark_copies(checked)
    for item in checked:
        flags += _flags_of(item)
    students = tuple(sorted((h.student for _, h in handins), key=str.casefold))
    cells = {(s, level.id): _cell(s, level, [c for c in checked if c.student == s
                                            and c.attempt.level_id == level.id])
             for s in students for level in pack.levels}
    return ClassReport(pack, digest, students, cells, tuple(refusals), tuple(flags), tuple(notes))


def _read_all(pack: Pack, files: list[Path], label: Callable[[Path], str], refusals: list[Refusal],
              notes: list[str]) -> list[tuple[str, HandIn]]:
    """(file label, hand-in) per student; unusable files go to `refusals`, and of two
    hand-ins by one name (compared without case) the newer is kept, with a note."""
    handins: dict[str, tuple[str, HandIn]] = {}
    for path in files:
        try:
            handin = read_handin(path)
        except HandinError as error:
            refusals.append(Refusal(label(path), str(error)))
            continue
        if handin.pack_id != pack.id:
            refusals.append(Refusal(label(path), f"a hand-in for pack {handin.pack_id!r}, "
                                                 f"not for {pack.id!r} ({pack.title})"))
            continue
        key = handin.student.casefold()
        if key in handins:
            older, newer = sorted([handins[key], (label(path), handin)],
                                  key=lambda pair: (pair[1].created_at, pair[0]))
            notes.append(f"{handin.student}: two hand-ins ({older[0]} and {newer[0]}); the newer, "
                         f"{newer[0]}, is used")
            handins[key] = newer
        else:
            handins[key] = (label(path), handin)
    return list(handins.values())


def _verify_all(pack: Pack, checked: list[_Checked]) -> None:
    """Re-simulate every attempt (each distinct replay once) and note what does not hold."""
    levels = {level.id: level for level in pack.levels}
    verdicts: dict[str, tuple[Outcome | None, tuple[str, ...]]] = {}
    for item in checked:
        attempt = item.attempt
        level = levels.get(attempt.level_id)
        if level is None:
            item.problems.append(_Problem("unknown level", "not in this pack",
                                          f"level {attempt.level_id!r} is not in this pack"))
            continue
        if attempt.level_sha256 != level.sha256:
            item.problems.append(_Problem("other level version", "another version of the level",
                                          f"played on another version of {level.id} (its level "
                                          "file has changed since)"))
            continue
        key = level.id + ":" + _digest(attempt.replay)
        if key not in verdicts:
            verdict = verify(level, attempt.replay)
            verdicts[key] = (verdict.attempt.outcome() if verdict.ok else None, verdict.findings)
        outcome, findings = verdicts[key]
        if outcome is None:
            shown = "; ".join(findings[:2]) + (f"; and {len(findings) - 2} more" if len(findings) > 2
                                               else "")
            forged = any(f.startswith("claims") for f in findings)
            item.problems.append(_Problem("forged" if forged else "bad replay",
                                          "forged" if forged else "replay does not hold",
                                          f"the replay does not hold: {shown}"))
            continue
        actual = asdict(outcome)
        actual["state"] = "abandoned" if outcome.state == PLAYING else outcome.state
        actual["accuracy"] = float(outcome.accuracy)  # a numpy float prints as np.float64(…)
        wrong = [f"claims {mine} = {getattr(attempt, mine)!r}, re-simulation gives "
                 f"{actual[theirs]!r}" for mine, theirs in _CLAIMS
                 if getattr(attempt, mine) != actual[theirs]]
        if wrong:
            item.problems.append(_Problem("forged", "forged", "forged: " + "; ".join(wrong)))
        else:
            item.outcome = outcome


def _digest(document: object) -> str:
    """A stable hash of a JSON value (keys sorted)."""
    return hashlib.sha256(json.dumps(document, sort_keys=True, ensure_ascii=False,
                                     separators=(",", ":")).encode()).hexdigest()


def _mark_copies(checked: list[_Checked]) -> None:
    """Flag identical action lists at the same level from different students (see the docstring)."""
    groups: dict[str, list[_Checked]] = {}
    for item in checked:
        actions = item.attempt.replay.get("actions")
        if isinstance(actions, list) and any(isinstance(a, dict) and a.get("op") == "add"
                                             for a in actions):
            groups.setdefault(item.attempt.level_id + ":" + _digest(actions), []).append(item)
    for group in groups.values():
        if len({item.student.casefold() for item in group}) < 2:
            continue
        group.sort(key=lambda item: (item.attempt.finished_at, item.student.casefold()))
        first = group[0]
        later = [g for g in group if g.student.casefold() != first.student.casefold()]
        tie = later[0].attempt.finished_at == first.attempt.finished_at
        for item in group:
            others = ", ".join(sorted({g.student for g in group if g.student.casefold()
                                       != item.student.casefold()}, key=str.casefold))
            if item.student.casefold() == first.student.casefold() and not tie:
                if item is first:
                    item.problems.append(_Problem(
                        "copy", f"same replay as {others}; finished first, counted",
                        f"copy: the same replay as {others}'s; this one was finished first, "
                        "so it counts", counts=True))
                continue
            item.problems.append(_Problem(
                "copy", f"same replay as {others}; not counted",
                f"copy: the same replay as {others}'s, finished later (or at the same time), "
                "so it does not count"))
            item.outcome = None


def _flags_of(item: _Checked) -> list[Flag]:
    """One Flag per problem of an attempt."""
    return [Flag(item.student, item.attempt.level_id, problem.kind,
                 f"{item.file}: {item.student}: {item.attempt.level_id} attempt {item.number}: "
                 f"{problem.text}", not problem.counts) for problem in item.problems]


def _cell(student: str, level, items: list[_Checked]) -> Cell:
    """A student's cell for a level from their checked attempts at it."""
    counted = [i.outcome for i in items if i.outcome is not None]
    wins = [o for o in counted if o.state == "won"]
    notes: dict[str, int] = {}
    for item in items:
        for problem in item.problems:
            notes[problem.note] = notes.get(problem.note, 0) + 1
    return Cell(student=student, level_id=level.id, won=bool(wins),
                stars=(1 + any(o.steps_star for o in wins) + any(o.fruit_star for o in wins))
                if wins else 0,
                best_steps=min((o.steps_used for o in wins), default=None),
                best_fruit=min((o.points_used for o in wins), default=None),
                attempts=len(items), counted=len(counted),
                quiz_right=sum(o.quiz_right for o in counted),
                quiz_asked=sum(o.quiz_asked for o in counted),
                last_played=max((i.attempt.finished_at for i in items if i.outcome is not None),
                                default=""),
                flags=tuple(note if n == 1 else f"{note} (×{n})" for note, n in notes.items()))
