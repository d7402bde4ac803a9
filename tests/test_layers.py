"""The core never imports pygame: every core module imports with pygame made unimportable."""

import pkgutil
import subprocess
import sys
import textwrap
from pathlib import Path

import game.core

CORE_MODULES = sorted(f"game.core.{m.name}" for m in pkgutil.iter_modules(game.core.__path__))


def test_core_has_the_expected_modules():
    assert {"game.core.net", "game.core.datasets"} <= set(CORE_MODULES)


def test_every_core_module_imports_without_pygame():
    # A fresh interpreter, where importing pygame (or pygame_gui) raises.
    script = textwrap.dedent(f"""
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split('.')[0] in ('pygame', 'pygame_gui'):
                    raise ImportError('pygame is blocked for game.core')
        sys.meta_path.insert(0, Block())
        import importlib
        for name in {CORE_MODULES!r}:
            importlib.import_module(name)
        assert not any(m.startswith('pygame') for m in sys.modules)
        print('ok', len({CORE_MODULES!r}))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parent.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")


def test_the_blocker_really_blocks():
    script = textwrap.dedent("""
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split('.')[0] == 'pygame':
                    raise ImportError('blocked')
        sys.meta_path.insert(0, Block())
        import pygame
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode != 0 and "blocked" in result.stderr
