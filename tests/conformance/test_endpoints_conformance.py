"""The endpoint table the resources declare is OpenAI's: each (method, path) is an operation of
the newest spec fixture, and every operation kept in that fixture (the ones the client speaks)
is declared, with the same names for the path's ids."""

from __future__ import annotations

from aio_openai.resources import endpoints

from ._spec import load_fixture


def test_the_declared_endpoints_are_the_operations_of_the_spec() -> None:
    paths = load_fixture("v2")["paths"]
    spec = {
        (method.upper(), path)
        for path, operations in paths.items()
        for method in operations
        if method in ("get", "post", "delete")
    }
    declared = {(e.method, e.path) for e in endpoints()}
    assert sorted(declared - spec) == []  # declared, but not an OpenAI operation
    assert sorted(spec - declared) == []  # an operation the client speaks, left undeclared
