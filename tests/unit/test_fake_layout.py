"""The layout of FakeOpenAI (``aio_openai/testing/``) keeps its pattern as fake APIs are added.

- no module over 600 lines;
- no module imports another module's private name (``from x import _y``); shared helpers get
  public names in their (private) modules;
- no module reaches into another object's private attributes (``state._lock``): routes call
  state operations;
- no import cycle between the modules of ``testing/`` (imports under ``if TYPE_CHECKING:``
  aside, imports inside functions included);
- every fake API package holds a ``state`` and a ``routes`` module.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Final

import pytest
from module_graph import import_graph, import_source, is_private, package_modules, parse

import aio_openai.testing

ROOT: Final = Path(aio_openai.testing.__file__).parent
PACKAGE: Final = "aio_openai.testing"
MAX_LINES: Final = 600
MODULES: Final = package_modules(ROOT, PACKAGE)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_over_600_lines(module: str) -> None:
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines: split it by concern"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_imports_a_private_name(module: str) -> None:
    path = MODULES[module]
    private = []
    for node in ast.walk(parse(path)):  # imports under TYPE_CHECKING too
        if not isinstance(node, ast.ImportFrom) or node.module == "__future__":
            continue
        source = import_source(node, module, path)
        for alias in node.names:
            is_submodule = f"{source}.{alias.name}" in MODULES
            if is_private(alias.name) and not is_submodule:
                private.append(f"from {source} import {alias.name} (line {node.lineno})")
    assert not private, f"{module} imports private names; give them public names: {private}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_reaches_into_private_attributes(module: str) -> None:
    reached = [
        f"{ast.unparse(node)} (line {node.lineno})"
        for node in ast.walk(parse(MODULES[module]))
        if isinstance(node, ast.Attribute)
        and is_private(node.attr)
        and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))
    ]
    assert not reached, f"{module} uses private attributes of other objects: {reached}"


def _graph() -> dict[str, set[str]]:
    """Which modules of the package each module imports."""
    return import_graph(MODULES)


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
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


def test_no_import_cycle() -> None:
    cycle = _cycle(_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or ())


def test_the_cycle_finder_finds_cycles() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


@pytest.mark.parametrize(
    "package", sorted(p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file())
)
def test_each_fake_api_is_a_state_and_its_routes(package: str) -> None:
    assert (ROOT / package / "state.py").is_file(), f"{package} has no state module"
    assert (ROOT / package / "routes.py").is_file(), f"{package} has no routes module"
