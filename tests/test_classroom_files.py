"""Classroom files: making packs, the pack hash, opening zips safely, the CSV, hand-in writing."""

import csv
import io
import json
import shutil
import subprocess
import sys
import zipfile
from types import SimpleNamespace

import pytest

from game.cli import main
from game.core.class_export import csv_bytes, spreadsheet_safe
from game.core.class_report import build_report
from game.core.fields import LevelError
from game.core.handin import parse_handin
from game.core.levels import load_pack
from game.core.pack_files import add_levels, new_pack, pack_hash
from game.core.pack_open import MAX_ZIP_FILES, open_pack_spec, open_zip
from game.core.progress import ProgressStore
from game.resources import levels_dir


@pytest.fixture
def pack_dir(tmp_path):
    folder = tmp_path / "week-3"
    new_pack(folder, "Week 3")
    add_levels(folder, ["tip-the-scale", "off-the-origin"], [levels_dir()])
    return folder


# ------------------------------------------------------------------ pack new / add
def test_pack_new_then_add_makes_a_pack_that_loads_and_copies_levels_byte_for_byte(pack_dir):
    pack = load_pack(pack_dir)
    assert (pack.id, pack.title) == ("week-3", "Week 3")
    assert [lv.id for lv in pack.levels] == ["tip-the-scale", "off-the-origin"]
    shipped = levels_dir() / "ch1-scale" / "1-1-tip-the-scale.toml"
    assert (pack_dir / "1-1-tip-the-scale.toml").read_bytes() == shipped.read_bytes()
    assert not [p for p in pack_dir.iterdir() if p.name.startswith(".saving-")]


def test_pack_add_refuses_a_duplicate_id_in_one_line_and_changes_nothing(pack_dir, capsys):
    before = (pack_dir / "pack.toml").read_bytes()
    assert main(["pack", "add", str(pack_dir), "baby-steps", "tip-the-scale"]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines == ["tip-the-scale: id: level 'tip-the-scale' is already in the pack "
                     "(1-1-tip-the-scale.toml); nothing was added"]
    assert (pack_dir / "pack.toml").read_bytes() == before
    assert not (pack_dir / "1-3-baby-steps.toml").exists()
    assert main(["pack", "add", str(pack_dir), "baby-steps", "baby-steps"]) == 1
    assert "is named twice here" in capsys.readouterr().out


def test_pack_new_refuses_an_existing_pack_and_a_bad_title(pack_dir, tmp_path, capsys):
    assert main(["pack", "new", str(pack_dir), "--title", "Again"]) == 1
    assert "already a pack" in capsys.readouterr().out
    assert main(["pack", "new", str(tmp_path / "x"), "--title", "Fruit \U0001F353"]) == 1
    assert "title: expected text the game's font can draw" in capsys.readouterr().out
    assert not (tmp_path / "x" / "pack.toml").exists()


def test_pack_add_takes_a_saved_level_file_path(pack_dir, tmp_path):
    source = tmp_path / "mine.toml"
    text = (levels_dir() / "ch1-scale" / "1-3-baby-steps.toml").read_text(encoding="utf-8")
    source.write_text(text.replace('id = "baby-steps"', 'id = "my-level"'), encoding="utf-8")
    assert add_levels(pack_dir, [str(source)], [levels_dir()]) == [("my-level", "mine.toml")]
    assert load_pack(pack_dir).levels[-1].id == "my-level"


# ------------------------------------------------------------------ the pack hash
def test_the_pack_hash_detects_an_edited_level_and_ignores_where_the_folder_is(pack_dir, tmp_path):
    digest = pack_hash(load_pack(pack_dir))
    moved = tmp_path / "elsewhere" / "copy"
    shutil.copytree(pack_dir, moved)
    assert pack_hash(load_pack(moved)) == digest
    level = moved / "1-2-off-the-origin.toml"
    level.write_bytes(level.read_bytes().replace(b"step_budget = 150", b"step_budget = 151"))
    assert pack_hash(load_pack(moved)) != digest
    level.write_bytes((pack_dir / "1-2-off-the-origin.toml").read_bytes())
    assert pack_hash(load_pack(moved)) == digest
    manifest = moved / "pack.toml"
    manifest.write_text(manifest.read_text().replace('"1-1-tip-the-scale.toml",\n    '
                                                     '"1-2-off-the-origin.toml"',
                                                     '"1-2-off-the-origin.toml",\n    '
                                                     '"1-1-tip-the-scale.toml"'))
    assert [lv.id for lv in load_pack(moved).levels] == ["off-the-origin", "tip-the-scale"]
    assert pack_hash(load_pack(moved)) != digest  # reordered


# ------------------------------------------------------------------ zips
def make_zip(path, entries):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return path


def test_a_zip_of_a_pack_folder_opens_once_and_is_reused(pack_dir, tmp_path):
    entries = [(f"week-3/{p.name}", p.read_bytes()) for p in sorted(pack_dir.iterdir())]
    archive = make_zip(tmp_path / "week-3.zip", entries + [("__MACOSX/week-3/._pack.toml", b"x")])
    into = tmp_path / "packs"
    pack = open_zip(archive, into)
    assert pack_hash(pack) == pack_hash(load_pack(pack_dir))
    assert pack.folder.name == f"week-3-{pack_hash(pack)[:12]}"
    assert open_zip(archive, into).folder == pack.folder
    assert sorted(p.name for p in into.iterdir()) == [pack.folder.name]


@pytest.mark.parametrize("entry, expected", [
    (("../evil.toml", b"x"), "refused entry ../evil.toml: a path with '..'"),
    (("week-3/../../evil.toml", b"x"), "a path with '..'"),
    (("/etc/evil.toml", b"x"), "refused entry /etc/evil.toml: an absolute path"),
    (("C:/evil.toml", b"x"), "an absolute path"),
    (("..\\evil.toml", b"x"), "a backslash or colon"),
])
def test_zip_slip_entries_are_refused_and_nothing_is_written(pack_dir, tmp_path, entry, expected):
    entries = [(p.name, p.read_bytes()) for p in sorted(pack_dir.iterdir())]
    archive = make_zip(tmp_path / "slip.zip", entries + [entry])
    into = tmp_path / "packs"
    with pytest.raises(LevelError, match=expected.replace("(", r"\(").replace(".", r"\.")):
        open_zip(archive, into)
    assert not (tmp_path / "evil.toml").exists()
    assert not into.exists() or list(into.iterdir()) == []


def test_zip_symlinks_too_many_files_and_too_many_bytes_are_refused(pack_dir, tmp_path):
    manifest = (pack_dir / "pack.toml").read_bytes()
    link = zipfile.ZipInfo("level.toml")
    link.external_attr = 0o120777 << 16
    cases = [([("pack.toml", manifest), (link, "/etc/passwd")], "a symbolic link"),
             ([("pack.toml", manifest)] + [(f"f{i}.txt", b"") for i in range(MAX_ZIP_FILES)],
              f"at most {MAX_ZIP_FILES} files, got {MAX_ZIP_FILES + 1}"),
             ([("pack.toml", manifest), ("zeros.bin", bytes(21_000_000))], "bytes unpacked, got 21,"),
             ([("a/pack.toml", manifest), ("b/pack.toml", manifest)], "got 2 pack.toml files")]
    for k, (entries, expected) in enumerate(cases):
        with pytest.raises(LevelError, match=expected):
            open_zip(make_zip(tmp_path / f"bad{k}.zip", entries), tmp_path / "packs")


def test_play_opens_a_pack_folder_or_zip_on_the_name_prompt(pack_dir, tmp_path, monkeypatch):
    import game.app
    import game.scenes.name_prompt
    from game.core.pack_open import packs_dir
    from game.tools import launch
    monkeypatch.setenv("FRUITNET_DATA_DIR", str(tmp_path / "data"))
    opened = []

    class FakeApp:
        def __init__(self, factory, session):
            opened.append(factory())
            self.stack = SimpleNamespace(push=lambda scene: None, top=None, scenes=[])

        def run(self):
            pass

    monkeypatch.setattr(game.app, "App", FakeApp)
    monkeypatch.setattr(game.scenes.name_prompt, "NamePrompt",
                        lambda pack: (pack.id, pack.levels[0].id, pack.folder.parent))
    archive = make_zip(tmp_path / "w.zip", [(p.name, p.read_bytes()) for p in pack_dir.iterdir()])
    for spec in (pack_dir, pack_dir / "pack.toml", archive):
        assert launch.run_play(str(spec)) == 0
    # Each is asked for the student's name, on the pack's copy kept in the data folder.
    assert opened == [("week-3", "tip-the-scale", packs_dir())] * 3


def test_play_a_zip_draws_its_first_frame_and_a_slip_zip_is_one_line(pack_dir, tmp_path):
    archive = make_zip(tmp_path / "w.zip", [(p.name, p.read_bytes()) for p in pack_dir.iterdir()])
    slip = make_zip(tmp_path / "s.zip", [("pack.toml", b""), ("../x", b"")])
    env = {"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "FRUITNET_DATA_DIR": str(tmp_path),
           "FRUITNET_EXIT_AFTER_FIRST_FRAME": "1", "PATH": ""}
    good = subprocess.run([sys.executable, "-m", "game", "play", str(archive)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert good.returncode == 0 and "first-frame" in good.stdout, good.stderr
    bad = subprocess.run([sys.executable, "-m", "game", "play", str(slip)], env=env,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and bad.stdout.count("\n") == 1 and "a path with '..'" in bad.stdout


def test_a_folder_without_pack_toml_is_not_taken_for_a_pack(tmp_path):
    assert open_pack_spec(str(tmp_path)) is None
    assert open_pack_spec("tip-the-scale") is None


# ------------------------------------------------------------------ CSV
@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-2", "\u22123", "@SUM(A1)",
                                  "\tx", "\rx", "  =1", "\uff1d1"])
def test_formula_like_cells_are_neutralised(cell):
    assert spreadsheet_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Anna", "Zoë", "1", "", "a=b", "O'Brien"])
def test_plain_cells_are_kept(cell):
    assert spreadsheet_safe(cell) == cell


def test_a_students_name_cannot_inject_a_formula_into_the_csv(pack_dir, tmp_path):
    pack = load_pack(pack_dir)
    document = {"format": "fruitnet-handin", "version": 1, "student": "=cmd|' /C calc'!A0",
                "pack_id": pack.id, "pack_title": pack.title, "pack_hash": pack_hash(pack),
                "app_version": "0.1.0", "created_at": "2026-12-03T10:00:00Z", "attempts": []}
    path = tmp_path / "h.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert parse_handin(path.read_bytes()).student == document["student"]
    data = csv_bytes(build_report(pack, [path]))
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["student", "level_id", "level_title"]
    assert {row[0] for row in rows[1:]} == {"'=cmd|' /C calc'!A0"}


# ------------------------------------------------------------------ hand-in writing
def test_handin_refuses_to_overwrite_without_force(pack_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FRUITNET_DATA_DIR", str(tmp_path / "data"))
    store, _ = ProgressStore.open()
    with store:
        store.profile("Anna")
    out = tmp_path / "anna.json"
    assert main(["handin", str(pack_dir), "--out", str(out)]) == 0
    first = out.read_bytes()
    assert parse_handin(first).student == "Anna" and parse_handin(first).attempts == ()
    assert main(["handin", str(pack_dir), "--out", str(out)]) == 1
    assert "already exists" in capsys.readouterr().out and out.read_bytes() == first
    assert main(["handin", str(pack_dir), "--out", str(out), "--force"]) == 0
    assert (tmp_path / "anna.json.1.bak").read_bytes() == first
    assert main(["handin", str(pack_dir), "--profile", "Nobody"]) == 1
    assert "No profile called 'Nobody'" in capsys.readouterr().out


def test_hand_ins_are_found_in_an_lms_download_and_a_second_one_by_a_name_replaces_the_first(
        pack_dir, tmp_path):
    from game.core.class_report import handin_files
    pack = load_pack(pack_dir)
    base = {"format": "fruitnet-handin", "version": 1, "pack_id": pack.id, "pack_title": pack.title,
            "pack_hash": pack_hash(pack), "app_version": "0.1.0", "attempts": []}
    folder = tmp_path / "download"
    for sub, student, created in [("Anna_1/submission", "Anna", "2026-12-01T10:00:00Z"),
                                  ("anna_2", "ANNA", "2026-12-02T10:00:00Z"),
                                  ("Ben_3", "Ben", "2026-12-01T10:00:00Z")]:
        (folder / sub).mkdir(parents=True)
        (folder / sub / "handin.json").write_text(json.dumps(
            dict(base, student=student, created_at=created)), encoding="utf-8")
    (folder / "Ben_3" / "notes.txt").write_text("not a hand-in")
    files, refused = handin_files(folder)
    assert len(files) == 3 and refused == []
    report = build_report(pack, files, refused, label=lambda p: str(p.relative_to(folder)))
    assert report.students == ("ANNA", "Ben")
    assert report.notes == ("ANNA: two hand-ins (Anna_1/submission/handin.json and "
                            "anna_2/handin.json); the newer, anna_2/handin.json, is used",)
    assert report.exit_code == 0 and report.cell("Ben", "tip-the-scale").attempts == 0
