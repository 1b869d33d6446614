"""The shared test support stays the only one: no test module writes its own fake clock or
server-less end of the chain again (tests/support.py has one of each for every test package)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
SUPPORT = TESTS / "support.py"
#: Methods a time source answers with; ``self.now`` is how every fake clock kept its time.
TIME_METHODS = frozenset({"monotonic", "time", "now"})


def _is_fake_clock(node: ast.ClassDef) -> bool:
    """A class named like a clock, or one that keeps or tells a time."""
    if "clock" in node.name.lower():
        return True
    for child in ast.walk(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) and child.name in TIME_METHODS:
            return True
        if (
            isinstance(child, ast.Attribute)
            and isinstance(child.ctx, ast.Store)
            and isinstance(child.value, ast.Name)
            and child.value.id == "self"
            and child.attr == "now"
        ):
            return True
    return False


def _is_stub_handler(node: ast.ClassDef) -> bool:
    """A class called with a Request alone (a middleware also gets ``call_next``): a handler."""
    for child in node.body:
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) and child.name == "__call__":
            params = child.args.posonlyargs + child.args.args
            annotation = params[1].annotation if len(params) == 2 else None
            return isinstance(annotation, ast.Name) and annotation.id == "Request"
    return False


def copies(source: str) -> list[str]:
    """The fake clocks and stub handlers a module's source defines, as ``line: name``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef) and (_is_fake_clock(node) or _is_stub_handler(node)):
            found.append(f"{node.lineno}: {node.name}")
    return found


def test_the_support_module_is_the_only_home_of_fake_clocks_and_stub_handlers() -> None:
    others = {
        str(path.relative_to(TESTS)): found
        for path in sorted(TESTS.rglob("*.py"))
        if path != SUPPORT and (found := copies(path.read_text(encoding="utf-8")))
    }
    assert others == {}, "use support.FakeClock / support.StubHandler instead"


def test_the_check_finds_what_it_looks_for() -> None:
    names = [found.split(": ")[1] for found in copies(SUPPORT.read_text(encoding="utf-8"))]
    assert names == ["FakeClock", "StubHandler"]
    assert copies("class Ticker:\n    def __init__(self):\n        self.now = 0.0\n") == [
        "1: Ticker"
    ]
    assert copies("class T:\n    def monotonic(self):\n        return 1.0\n") == ["1: T"]
    assert copies("class S:\n    async def __call__(self, r: Request) -> Response: ...\n") == [
        "1: S"
    ]
    # a middleware (it also gets call_next) and a plain callable are neither
    middleware = "class M:\n    async def __call__(self, r: Request, call_next: Any): ...\n"
    assert copies(middleware) == []
    assert copies("class F:\n    async def __call__(self, x: int) -> int: ...\n") == []
