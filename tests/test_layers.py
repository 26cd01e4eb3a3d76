"""The layers only point down: a test walks every import of src/sagsgenerator.

From the bottom: findings and messages (with errors, danish, output, processes, casenumber);
config and model; intake; validation; register and meetings; render; documents; batch; cli
and web on top. A module may import from its own layer or below, never above, and the
module-level imports have no cycle. Only the command line imports click; only web/ imports
FastAPI (and starlette, uvicorn).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "sagsgenerator"
LAYERS = [
    # The package's __init__ imports nothing (its API is loaded on first use): __version__.
    {"__init__", "errors", "messages", "findings", "danish", "output", "processes", "casenumber",
     "kinds"},
    {"config", "config_file", "model"},
    {"intake"},
    {"validation"},
    {"register", "meetings"},
    {"render"},
    {"documents"},
    {"batch"},
    {"cli", "cli_danish", "web", "__main__"},
]
LAYER = {name: level for level, names in enumerate(LAYERS) for name in names}
ONLY = {"click": {"cli", "cli_danish"}, "fastapi": {"web"}, "starlette": {"web"},
        "uvicorn": {"web"}}


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(absolute module imported, at module level) of every import in a file."""
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if node.module is None or node.level and not node.module:
                found += [(f"{target}.{a.name}", id(node) in top) for a in node.names]
            else:
                found.append((target, id(node) in top))
    return found


def _layer_of(module: str) -> tuple[str, int]:
    parts = module.split(".")
    name = parts[1] if len(parts) > 1 else "__init__"
    if not ((SRC / name).is_dir() or (SRC / f"{name}.py").is_file()):
        name = "__init__"              # `from .. import __version__`: the package itself
    return name, LAYER[name]


FILES = sorted(SRC.rglob("*.py"))


def test_every_module_has_a_layer():
    assert {_layer_of(_module(p))[0] for p in FILES} <= set(LAYER)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_upward_import(path):
    name, level = _layer_of(_module(path))
    for target, _ in _imports(path):
        if target.split(".")[0] != "sagsgenerator" or target == "sagsgenerator":
            continue
        other, other_level = _layer_of(target)
        assert other_level <= level, f"{_module(path)} imports {target} (layer {other} above)"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_frameworks_only_at_their_edge(path):
    name, _ = _layer_of(_module(path))
    for target, _ in _imports(path):
        allowed = ONLY.get(target.split(".")[0])
        assert allowed is None or name in allowed, f"{_module(path)} imports {target}"


def test_no_import_cycle():
    graph: dict[str, set[str]] = {}
    modules = {_module(p) for p in FILES}
    for path in FILES:
        edges = set()
        for target, at_top in _imports(path):
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if at_top and target and target != _module(path) and target != "sagsgenerator":
                edges.add(target)
        graph[_module(path)] = edges
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                pytest.fail("import cycle: " + " -> ".join(trail[trail.index(nxt):] + [nxt]))
            if nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])


def test_the_checker_sees_a_real_upward_import(tmp_path):
    """The walker itself: a relative import from a lower layer to a higher one is found."""
    fake = SRC / "intake" / "reader.py"
    targets = [t for t, _ in _imports(fake)]
    assert "sagsgenerator.findings" in targets and "sagsgenerator.model" in targets
