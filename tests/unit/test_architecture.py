"""The house rules of the package (``aio_openai/``), checked on its source with ``ast``.

- no import cycle between its modules (imports under ``if TYPE_CHECKING:`` aside; an import
  inside a function is a dependency too: a module importing the client in a function while
  the client imports it is still a cycle of the design);
- at most 10 ``# type: ignore`` comments;
- no module over 600 lines (split by concern);
- at most 5 imports of another module's private name (``from .x import _y``) in the whole
  package: a name shared between modules gets a public name in its (private) module;
- aiohttp imported at run time by the transport (HTTP and WebSocket) and the session pool only.

``tests/unit/test_fake_layout.py`` holds FakeOpenAI's own, stricter rules.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Final

import pytest
from import_graph import (
    import_graph,
    import_source,
    is_private,
    package_modules,
    parse,
    runtime_imports,
)

import aio_openai

ROOT: Final = Path(aio_openai.__file__).parent
PACKAGE: Final = "aio_openai"
MAX_LINES: Final = 600
MAX_TYPE_IGNORES: Final = 10
MAX_PRIVATE_IMPORTS: Final = 5
#: The modules that may import aiohttp at run time: the I/O happens there and nowhere else
#: (``_websocket`` is the transport of WebSocket connections: their handshake and messages).
AIOHTTP_MODULES: Final = frozenset(
    {"aio_openai._transport", "aio_openai._pool", "aio_openai._websocket"}
)
#: FakeOpenAI is an aiohttp.web server: its modules import aiohttp by nature.
SERVER_PACKAGE: Final = "aio_openai.testing"

MODULES: Final = package_modules(ROOT, PACKAGE)


# -- import cycles ----------------------------------------------------------------------------


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles of ``graph``: its strongly connected components of more than one
    module (Tarjan's algorithm), each sorted, largest first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found, key=lambda c: (-len(c), c))


def test_no_import_cycle() -> None:
    found = list(cycles(import_graph(MODULES)))
    assert found == [], "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


def test_the_cycle_finder_finds_cycles() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []


def test_imports_under_type_checking_make_no_edge() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "import x\n"
        "if TYPE_CHECKING:\n    import y\n"
        "def f():\n    import z\n"
    )
    assert sorted(a.name for n in runtime_imports(tree) for a in n.names) == [
        "TYPE_CHECKING",
        "x",
        "z",
    ]


# -- type: ignore, module size, private names, aiohttp ----------------------------------------

_TYPE_IGNORE: Final = re.compile(r"#\s*type:\s*ignore")


def type_ignores() -> dict[str, int]:
    """The ``# type: ignore`` comments of each module that has any."""
    counts = {}
    for module, path in MODULES.items():
        count = len(_TYPE_IGNORE.findall(path.read_text(encoding="utf-8")))
        if count:
            counts[module] = count
    return counts


def test_at_most_10_type_ignores() -> None:
    counts = type_ignores()
    assert sum(counts.values()) <= MAX_TYPE_IGNORES, counts


def module_lines() -> dict[str, int]:
    return {m: len(p.read_text(encoding="utf-8").splitlines()) for m, p in MODULES.items()}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_over_600_lines(module: str) -> None:
    lines = module_lines()[module]
    allowed = MAX_LINES
    assert lines <= allowed, f"{module} has {lines} lines: split it by concern"


def private_imports() -> list[str]:
    """Every ``from x import _y`` of a name (not a submodule) of another module."""
    found = []
    for module, path in MODULES.items():
        for node in ast.walk(parse(path)):  # under TYPE_CHECKING and in functions too
            if not isinstance(node, ast.ImportFrom) or node.module == "__future__":
                continue
            source = import_source(node, module, path)
            for alias in node.names:
                if is_private(alias.name) and f"{source}.{alias.name}" not in MODULES:
                    found.append(f"{module}: from {source} import {alias.name}")
    return found


def test_at_most_5_imports_of_private_names() -> None:
    found = private_imports()
    assert len(found) <= MAX_PRIVATE_IMPORTS, found


def _imports_aiohttp(node: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        names = [] if node.level else [node.module or ""]
    return any(n == "aiohttp" or n.startswith("aiohttp.") for n in names)


def aiohttp_importers() -> list[str]:
    """The modules outside FakeOpenAI importing aiohttp at run time (in functions too)."""
    return [
        module
        for module, path in MODULES.items()
        if not (module == SERVER_PACKAGE or module.startswith(SERVER_PACKAGE + "."))
        and any(_imports_aiohttp(node) for node in runtime_imports(parse(path)))
    ]


def test_only_the_transport_imports_aiohttp() -> None:
    assert [m for m in aiohttp_importers() if m not in AIOHTTP_MODULES] == []
