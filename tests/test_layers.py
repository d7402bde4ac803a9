"""The layers of the code, enforced: dependencies point downward only, and no cycles.

    game/app.py, game/cli.py, game/tools/   window, loop, command line
    game/scenes/                            input → core calls
    game/view/                              drawing only
    game/core/                              pure logic: no pygame, ever

Imports are read from the source with `ast`, lazy imports inside functions
included, so a rule cannot be dodged by importing late.
"""

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

GAME = Path(__file__).resolve().parent.parent / "game"

# layer → module prefixes it may never import
FORBIDDEN = {
    "game.core": ("pygame", "pygame_gui", "game.view", "game.scenes", "game.app", "game.tools",
                  "game.cli"),
    "game.view": ("game.scenes", "game.app", "game.tools", "game.cli"),
    "game.scenes": ("game.app", "game.tools", "game.cli"),
}
WINDOW_CALLS = ("set_mode", "flip", "toggle_fullscreen", "set_caption")


def module_name(path: Path) -> str:
    parts = path.relative_to(GAME.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(source: str, name: str) -> set[str]:
    """Every module that `source` (the module `name`) imports, anywhere in the file."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against this module's package
                package = name.split(".")[:-node.level]
                base = ".".join(package + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def violations(sources: dict[str, str]) -> list[str]:
    """Layer rules broken by a {module name: source} map."""
    problems = []
    for name, source in sources.items():
        for layer, banned in FORBIDDEN.items():
            if name == layer or name.startswith(layer + "."):
                for imported in sorted(imports_of(source, name)):
                    if any(imported == b or imported.startswith(b + ".") for b in banned):
                        problems.append(f"{name} imports {imported}")
        if name != "game.app" and any(f"pygame.display.{call}" in source for call in WINDOW_CALLS):
            problems.append(f"{name} touches the window (only game.app may)")
    return problems


def cycles(sources: dict[str, str]) -> list[list[str]]:
    """Import cycles among the game's own modules (each found once)."""
    graph = {name: {m for m in imports_of(src, name) if m in sources and m != name}
             for name, src in sources.items()}
    found, done = [], set()

    def visit(node, path):
        if node in path:
            cycle = path[path.index(node):]
            if frozenset(cycle) not in done:
                done.add(frozenset(cycle))
                found.append(cycle + [node])
            return
        for nxt in sorted(graph[node]):
            visit(nxt, path + [node])

    for start in sorted(graph):
        visit(start, [])
    return found


def game_sources() -> dict[str, str]:
    return {module_name(p): p.read_text(encoding="utf-8") for p in GAME.rglob("*.py")}


def test_every_layer_rule_holds():
    assert violations(game_sources()) == []


def test_no_import_cycles_between_game_modules():
    assert cycles(game_sources()) == []


@pytest.mark.parametrize("name, source, expected", [
    ("game.core.x", "import pygame", "game.core.x imports pygame"),
    ("game.core.x", "def f():\n    from game.view import theme", "game.core.x imports game.view"),
    ("game.view.x", "from game.scenes.play import PlayScene", "game.view.x imports game.scenes"),
    ("game.scenes.x", "from ..app import App", "game.scenes.x imports game.app"),
    ("game.scenes.x", "pygame.display.flip()", "game.scenes.x touches the window"),
])
def test_the_checker_catches_each_kind_of_violation(name, source, expected):
    found = violations({name: source})
    assert found and found[0].startswith(expected)


def test_the_cycle_finder_finds_a_lazy_cycle():
    sources = {"game.scenes.a": "from game.scenes.b import B",
               "game.scenes.b": "def f():\n    from game.scenes.a import A"}
    assert cycles(sources) == [["game.scenes.a", "game.scenes.b", "game.scenes.a"]]


def test_every_core_module_imports_with_pygame_unimportable():
    core = sorted(n for n in game_sources() if n.startswith("game.core"))
    # A fresh interpreter, where importing pygame (or pygame_gui) raises.
    script = textwrap.dedent(f"""
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split('.')[0] in ('pygame', 'pygame_gui'):
                    raise ImportError('pygame is blocked for game.core')
        sys.meta_path.insert(0, Block())
        import importlib
        for name in {core!r}:
            importlib.import_module(name)
        assert not any(m.startswith('pygame') for m in sys.modules)
        print('ok', len({core!r}))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=GAME.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ok", str(len(core))] and len(core) >= 10
