"""The code passes ruff with the project's settings in pyproject.toml."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _ruff() -> list[str]:
    found = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if found is None:
        pytest.fail("ruff is not installed: it is in the test extras, pip install -e '.[test]'")
    return [found]


def test_ruff_finds_nothing():
    result = subprocess.run([*_ruff(), "check", "--no-cache", "game", "tests", "scripts"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_would_catch_a_finding(tmp_path):
    # The check above is only worth something if ruff, run this way, reports problems.
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n")
    result = subprocess.run([*_ruff(), "check", "--no-cache", str(bad)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "F401" in result.stdout
