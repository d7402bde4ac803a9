"""Hostile hand-ins: each is refused or flagged in one line, and the report covers the rest.

One honest hand-in (Anna's) sits in the folder beside each hostile file; the
report must keep her results, name the bad file with its reason on one line,
and exit 1.
"""

import json
import os

import pytest

from game.cli import main
from game.core.attempt import Attempt
from game.core.autoplay import choose_points
from game.core.class_report import build_report, handin_files
from game.core.handin import MAX_HANDIN_BYTES, parse_handin
from game.core.levels import load_pack
from game.core.pack_files import add_levels, new_pack
from game.core.progress import ProgressStore
from game.resources import levels_dir


def win(level):
    attempt = Attempt(level)
    for p in choose_points(level):
        attempt.add_point(p.x1, p.x2, p.label)
    attempt.step(attempt.steps_left)
    return attempt


@pytest.fixture(scope="module")
def honest(tmp_path_factory):
    """A two-level pack and Anna's honest hand-in text."""
    root = tmp_path_factory.mktemp("hostile")
    new_pack(root / "pack", "Hostile test")
    add_levels(root / "pack", ["tip-the-scale", "off-the-origin"], [levels_dir()])
    pack = load_pack(root / "pack")
    store, _ = ProgressStore.open(root / "anna.db")
    with store:
        anna = store.profile("Anna")
        for level in pack.levels:
            store.record_attempt(anna, pack.id, win(level), 60.0)
        from game.core.handin import build_handin
        document = build_handin(store, anna, pack)
    return pack, document


def other(document, **changes):
    """A copy of the honest document for another student, with top-level changes."""
    changed = json.loads(json.dumps(document))
    changed["student"] = "Mallory"
    changed.update(changes)
    return changed


def forged_inside_replay(document):
    changed = other(document)
    changed["attempts"][0]["replay"]["claimed"]["steps_used"] -= 10
    changed["attempts"][0]["steps"] -= 10
    return changed


def bad_field(document):
    changed = other(document)
    changed["attempts"][1]["steps"] = "many"
    return changed


HOSTILE = {
    "not-json.json": (b"hello, teacher", "refused: expected a JSON hand-in"),
    "truncated.json": (None, "the file looks cut short"),
    "other-format.json": (lambda d: other(d, format="something-else"), "format: expected 'fruitnet-handin'"),
    "version-2.json": (lambda d: other(d, version=2), "version: expected 1"),
    "version-true.json": (lambda d: other(d, version=True), "version: expected 1"),
    "bell-name.json": (lambda d: other(d, student="Eve\u0007"), "U+0007 at position 4"),
    "bidi-name.json": (lambda d: other(d, student="Eve\u202e"), "U+202E at position 4"),
    "long-name.json": (lambda d: other(d, student="E" * 10_000), "at most 200 characters, got 10,000"),
    "other-pack.json": (lambda d: other(d, pack_id="someone-elses"), "a hand-in for pack 'someone-elses'"),
    "bad-field.json": (bad_field, "attempts[1].steps: expected a whole number"),
    "nan.json": (b'{"format": "fruitnet-handin", "version": 1, "x": NaN}', "non-JSON number NaN"),
    "deep.json": (b"[" * 100_000, "nested too deeply"),
    "array.json": (b"[]", "expected a hand-in (a JSON object), got list"),
    "latin1.json": ('{"student": "Zo\u00eb"}'.encode("latin-1"), "expected UTF-8"),
}


def write_case(folder, name, case, document):
    data, _ = case
    if data is None:  # truncated: the honest file cut in half
        data = json.dumps(other(document)).encode()[: len(json.dumps(document)) // 2]
    elif callable(data):
        data = json.dumps(data(document)).encode()
    (folder / name).write_bytes(data)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_each_hostile_file_is_refused_in_one_line_and_the_rest_still_counts(honest, tmp_path, name,
                                                                            capsys):
    pack, document = honest
    folder = tmp_path / "handins"
    folder.mkdir()
    (folder / "anna.json").write_text(json.dumps(document), encoding="utf-8")
    write_case(folder, name, HOSTILE[name], document)
    assert main(["report", str(folder), "--pack", str(pack.folder)]) == 1
    printed = capsys.readouterr().out.splitlines()
    refusals = [line for line in printed if line.startswith(f"{name}: refused: ")]
    assert len(refusals) == 1 and HOSTILE[name][1] in refusals[0], printed
    assert len(refusals[0]) < 400
    anna = next(line for line in printed if line.startswith("Anna "))
    assert anna.count("★★★") + anna.count("★★☆") + anna.count("★☆☆") == 2  # both levels won


def test_a_50_mb_file_is_refused_by_its_size_without_being_read(honest, tmp_path, capsys):
    pack, document = honest
    folder = tmp_path / "handins"
    folder.mkdir()
    (folder / "anna.json").write_text(json.dumps(document), encoding="utf-8")
    with open(folder / "huge.json", "wb") as f:  # sparse: 50 MB on paper, nothing on disk
        f.truncate(50_000_000)
    assert main(["report", str(folder), "--pack", str(pack.folder)]) == 1
    printed = capsys.readouterr().out
    assert f"huge.json: refused: cannot read the file (expected at most {MAX_HANDIN_BYTES:,} bytes, " \
           "got 50,000,000)" in printed


def test_a_symlinked_hand_in_is_refused_and_not_followed(honest, tmp_path, capsys):
    pack, document = honest
    folder = tmp_path / "handins"
    folder.mkdir()
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps(other(document)), encoding="utf-8")
    (folder / "anna.json").write_text(json.dumps(document), encoding="utf-8")
    os.symlink(outside, folder / "link.json")
    assert main(["report", str(folder), "--pack", str(pack.folder)]) == 1
    printed = capsys.readouterr().out
    assert "link.json: refused: a symbolic link" in printed and "Mallory" not in printed


def test_a_pack_whose_level_path_escapes_its_folder_is_refused_in_one_line(honest, tmp_path, capsys):
    pack, document = honest
    bad = tmp_path / "bad-pack"
    bad.mkdir()
    (tmp_path / "outside.toml").write_bytes((pack.folder / "1-1-tip-the-scale.toml").read_bytes())
    (bad / "pack.toml").write_text('id = "bad"\ntitle = "Bad"\nlevels = ["../outside.toml"]\n')
    folder = tmp_path / "handins"
    folder.mkdir()
    assert main(["report", str(folder), "--pack", str(bad)]) == 2
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and "levels[0]: expected a level file inside the pack folder" in lines[0]


def test_forged_claims_inside_the_replay_are_refused_and_named(honest, tmp_path):
    pack, document = honest
    folder = tmp_path / "handins"
    folder.mkdir()
    (folder / "anna.json").write_text(json.dumps(document), encoding="utf-8")
    (folder / "mallory.json").write_text(json.dumps(forged_inside_replay(document)), encoding="utf-8")
    report = build_report(pack, *handin_files(folder), label=lambda p: p.name)
    flags = [f for f in report.flags if f.student == "Mallory"]
    # Mallory's second attempt is Anna's replay, unchanged: a copy, finished at the same time.
    forged = [f for f in flags if f.kind == "forged"]
    assert len(forged) == 1 and "claims steps_used" in forged[0].text and forged[0].refused
    assert report.cell("Mallory", pack.levels[0].id).won is False
    assert report.exit_code == 1


def test_an_edited_level_and_another_version_of_the_pack_are_flagged(honest, tmp_path, capsys):
    pack, document = honest
    import shutil
    edited = tmp_path / "edited-pack"
    shutil.copytree(pack.folder, edited)
    level_file = edited / "1-1-tip-the-scale.toml"
    level_file.write_bytes(level_file.read_bytes().replace(b"Tip the Scale", b"Tip the Scales"))
    folder = tmp_path / "handins"
    folder.mkdir()
    (folder / "anna.json").write_text(json.dumps(document), encoding="utf-8")
    assert main(["report", str(folder), "--pack", str(edited)]) == 1
    printed = capsys.readouterr().out
    assert "handed in for another version of this pack" in printed
    assert "played on another version of tip-the-scale (its level file has changed since)" in printed
    anna = next(line for line in printed.splitlines() if line.startswith("Anna "))
    assert "☆☆☆ - ×1 !" in anna  # the edited level: not counted
    assert anna.count("☆☆☆") == 1  # the unchanged level still counts


def test_the_reader_names_the_first_wrong_field_of_each_attempt(honest):
    from game.core.handin import HandinError
    pack, document = honest
    for key, value, expected in [("accuracy", 2.0, "accuracy: expected a number from 0 to 1"),
                                 ("quiz_right", 3, "quiz_right: expected at most quiz_asked"),
                                 ("state", "victory", "state: expected one of won"),
                                 ("replay", [], "replay: expected a replay"),
                                 ("accuracy", 10**500, "accuracy: expected a number")]:
        changed = json.loads(json.dumps(document))
        changed["attempts"][0][key] = value
        with pytest.raises(HandinError, match=expected):
            parse_handin(json.dumps(changed).encode())
