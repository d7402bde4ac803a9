"""`fruitnet check` (and `play`) on odd paths and on folders of packs: one line per problem, exit 1."""

import copy
import os
import subprocess
import sys

import tomli_w
from test_levels import VALID, _write

from game.core.levels import load_pack
from game.resources import levels_dir
from game.tools.check import run_check


def _fruitnet(*args):
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True,
                          timeout=20, env=env)


def _pack(folder, pack_id, docs):
    folder.mkdir(parents=True)
    (folder / "pack.toml").write_text(tomli_w.dumps(
        {"id": pack_id, "title": pack_id, "levels": sorted(docs)}))
    for name, doc in docs.items():
        _write(folder, doc, name)
    return folder


def test_long_path_to_check_and_play_is_one_line_and_exit_1(tmp_path):
    long = str(tmp_path / ("a" * 300))
    for command, name in (("check", long), ("check", long + ".toml"), ("play", long + ".toml"),
                          ("play", long)):
        result = _fruitnet(command, name)
        assert result.returncode == 1, (command, result.stderr)
        assert "Traceback" not in result.stderr + result.stdout
        assert result.stdout.count("\n") == 1 and result.stdout.startswith(long)


def test_fifo_given_to_check_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / "pipe.toml")
    result = _fruitnet("check", str(tmp_path / "pipe.toml"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout == (f"{tmp_path / 'pipe.toml'}: cannot read the file "
                             "(expected a regular file, got a pipe (FIFO))\n")


def test_nul_in_a_path_given_to_check(capsys):
    assert run_check(["a\0b", "a\0b.toml"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == ['"a\\u0000b": cannot read the file (the file name contains a NUL character)',
                     '"a\\u0000b.toml": cannot read the file (the file name contains a NUL '
                     'character)']


def test_the_shipped_levels_folder_checks_every_pack(capsys):
    packs = sorted(p for p in levels_dir().iterdir() if (p / "pack.toml").is_file())
    assert len(packs) >= 6, "the five campaign chapters and the starter pack"
    assert run_check([str(levels_dir())]) == 0
    expected = "".join(f"{pack}: OK ({len(load_pack(pack).levels)} levels)\n" for pack in packs)
    assert capsys.readouterr().out == expected.replace("(1 levels)", "(1 level)")


def test_a_folder_of_packs_checks_packs_recursively_then_loose_files(tmp_path, capsys):
    second = dict(copy.deepcopy(VALID), id="second")
    _pack(tmp_path / "b-pack", "b", {"x.toml": VALID})
    _pack(tmp_path / "a-group" / "inner", "a", {"x.toml": VALID, "y.toml": second})
    _pack(tmp_path / "c-broken", "c", {"x.toml": dict(copy.deepcopy(VALID), title="")})
    _write(tmp_path, VALID, "loose.toml")
    (tmp_path / "notes.txt").write_text("not a level")
    os.symlink(".", tmp_path / "a-group" / "loop")  # entered once, not forever
    assert run_check([str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{tmp_path / 'a-group' / 'inner'}: OK (2 levels)",
        f"{tmp_path / 'b-pack'}: OK (1 level)",
        f"{tmp_path / 'c-broken' / 'x.toml'}: title: expected a non-empty text of at most 80 "
        'characters, got ""',
        f"{tmp_path / 'loose.toml'}: OK (1 level)",
    ]


def test_a_folder_with_nothing_to_check_is_one_line(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "readme.txt").write_text("hello")
    assert run_check([str(tmp_path / "empty"), str(tmp_path / "other")]) == 1
    expected = ("expected a level file, a pack folder or a folder of packs, got a folder with "
                "no pack.toml and no .toml file in it")
    assert capsys.readouterr().out.splitlines() == [f"{tmp_path / 'empty'}: {expected}",
                                                    f"{tmp_path / 'other'}: {expected}"]


def test_solve_still_works_on_a_folder_of_packs(tmp_path, capsys, monkeypatch):
    from game.tools import check
    monkeypatch.setattr(check, "solve_report", lambda level: [f"  solved {level.id}"])
    _pack(tmp_path / "p", "p", {"x.toml": VALID})
    assert run_check([str(tmp_path)], solve=True) == 0
    assert capsys.readouterr().out.splitlines() == [f"{tmp_path / 'p'}: OK (1 level)",
                                                    "  solved test-level"]
