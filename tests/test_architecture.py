"""The package's shape: the stages of the flow as folders, each importing only earlier ones; no
import cycle; an import inside a function only where it defers a heavy library, saying which."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.paths import ROOT

PACKAGE = ROOT / "povertyplan"
# The flow of the README, in order: a module may import its own layer and the layers before it.
LAYERS = (
    ("errors", "messages"),
    ("contract",),
    ("read",),
    ("validate",),
    ("aggregate",),
    ("compose",),
    ("render",),
    ("write",),
    ("batch",),
    ("api",),
    ("cli", "arguments"),
)
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, dotted
    target: str  # the imported module (or package), dotted
    line: int
    in_function: bool
    commented: bool


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def resolve(name: str) -> str:
    """`name` as the module file it loads: a submodule, else its package."""
    path = ROOT.joinpath(*name.split("."))
    return name if path.with_suffix(".py").exists() or path.is_dir() else name.rpartition(".")[0]


def imports_of(path: Path) -> list[Import]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif node.module and node.module.startswith("povertyplan") or node.module == "povertyplan":
            targets = [resolve(f"{node.module}.{alias.name}") for alias in node.names]
        else:
            targets = [node.module or ""]
        for target in targets:
            found.append(Import(module_name(path), target, node.lineno, id(node) not in top, _commented(lines, node)))
    return found


def _commented(lines: list[str], node: ast.stmt) -> bool:
    """A comment on the import's lines, or on the line above the run of imports it belongs to."""
    if any("#" in line for line in lines[node.lineno - 1 : node.end_lineno]):
        return True
    index = node.lineno - 2
    while index >= 0 and lines[index].strip().startswith(("from ", "import ")):
        if "#" in lines[index]:
            return True
        index -= 1
    return index >= 0 and lines[index].strip().startswith("#")


ALL = [found for path in sorted(PACKAGE.rglob("*.py")) for found in imports_of(path)]
OWN = [found for found in ALL if found.target.split(".")[0] == "povertyplan"]


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def test_every_module_belongs_to_a_layer():
    modules = {module_name(path) for path in PACKAGE.rglob("*.py")}
    assert sorted(module for module in modules if layer(module) and layer(module) not in RANK) == []


@pytest.mark.parametrize(
    "found", [f for f in OWN if layer(f.source) and layer(f.target)], ids=lambda f: f"{f.source}:{f.line}"
)
def test_no_module_imports_a_later_stage(found):
    assert RANK[layer(found.target)] <= RANK[layer(found.source)], (
        f"{found.source} imports {found.target}, a later stage"
    )


def test_no_import_cycle():
    graph: dict[str, set[str]] = {}
    for found in OWN:
        graph.setdefault(found.source, set()).add(found.target)
    cycles = [component for component in _strongly_connected(graph) if len(component) > 1]
    assert cycles == []


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative enough for a package of this size."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for neighbour in graph.get(node, ()):
            if neighbour not in index:
                visit(neighbour)
                low[node] = min(low[node], low[neighbour])
            elif neighbour in on_stack:
                low[node] = min(low[node], index[neighbour])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_an_import_inside_a_function_says_which_heavy_library_it_defers():
    silent = [
        f"{found.source}:{found.line} {found.target}" for found in ALL if found.in_function and not found.commented
    ]
    assert silent == []


def test_the_layer_rule_catches_a_later_stage(tmp_path):
    """The test above is not vacuous: an import of render from read is seen as one."""
    module = tmp_path / "bad.py"
    module.write_text("from povertyplan.render import layout\n", encoding="utf-8")
    (found,) = [f for f in imports_of_text(module) if f.target.startswith("povertyplan")]
    assert RANK[layer(found.target)] > RANK["read"]


def imports_of_text(path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        Import("povertyplan.read.bad", resolve(f"{node.module}.{alias.name}"), node.lineno, False, False)
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    ]
