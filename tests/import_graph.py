"""The modules of a package and the imports between them, read with ``ast`` (never imported).

Shared by the layout tests: the package (test_architecture), FakeOpenAI and the CLI.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path


def package_modules(root: Path, package: str) -> dict[str, Path]:
    """Every module of the package in ``root``, by dotted name (``package`` for ``__init__``)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join((package, *parts))] = path
    return found


def is_private(name: str) -> bool:
    """``_name``, not ``__dunder__``."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def runtime_imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """The imports of a module, inside functions too, except those under ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and is_type_checking(node.test):
            for child in node.orelse:
                yield from runtime_imports(child)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        yield from runtime_imports(node)


def import_source(node: ast.ImportFrom, module: str, path: Path) -> str:
    """The absolute name of the module a ``from ... import`` reads from."""
    if not node.level:
        return node.module or ""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def parse(path: Path) -> ast.Module:
    """The syntax tree of the module at ``path``."""
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def private_imports(module: str, path: Path, modules: dict[str, Path]) -> list[str]:
    """``from x import _y`` in the module (under TYPE_CHECKING too); private submodules aside."""
    found = []
    for node in ast.walk(parse(path)):
        if not isinstance(node, ast.ImportFrom) or node.module == "__future__":
            continue
        source = import_source(node, module, path)
        for alias in node.names:
            is_submodule = f"{source}.{alias.name}" in modules
            if is_private(alias.name) and not is_submodule:
                found.append(f"from {source} import {alias.name} (line {node.lineno})")
    return found


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Which of ``modules`` each module imports (TYPE_CHECKING imports aside)."""
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        edges = graph.setdefault(module, set())
        for node in runtime_imports(parse(path)):
            if isinstance(node, ast.Import):
                edges.update(a.name for a in node.names if a.name in modules)
                continue
            source = import_source(node, module, path)
            for alias in node.names:
                target = f"{source}.{alias.name}"
                if target in modules:
                    edges.add(target)
                elif source in modules:
                    edges.add(source)
        edges.discard(module)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of the graph, or None."""
    done: set[str] = set()
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        path.append(module)
        for target in sorted(graph[module]):
            found = visit(target)
            if found:
                return found
        path.pop()
        done.add(module)
        return None

    for module in sorted(graph):
        found = visit(module)
        if found:
            return found
    return None
