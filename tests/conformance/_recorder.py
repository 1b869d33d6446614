"""What the conformance tests share: a client middleware recording every exchange, and the
spec operations of an area that captured requests map to."""

from __future__ import annotations

import re
from typing import Any

import attrs

from aio_openai import Request, Response

from ._spec import load_fixture

__all__ = ["Exchange", "Recorder", "operation_of", "operations"]


@attrs.define
class Exchange:
    """One call as the client saw it."""

    method: str
    path: str
    status: int
    headers: dict[str, str]
    body: bytes
    streamed: bool


@attrs.define
class Recorder:
    """A client middleware keeping every exchange."""

    exchanges: list[Exchange] = attrs.field(factory=list)

    async def __call__(self, request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        self.exchanges.append(
            Exchange(
                method=request.method,
                path=request.url.raw_path_qs,
                status=response.status,
                headers=dict(response.headers),
                body=response.content,
                streamed=request.stream,
            )
        )
        return response


def operations(version: str, area: tuple[str, ...]) -> dict[tuple[str, str], re.Pattern[str]]:
    """The spec's operations whose path starts with one of ``area``: (method, template) ->
    the regex of its paths."""
    ops = {}
    for template, item in load_fixture(version)["paths"].items():
        if not template.startswith(area):
            continue
        regex = re.compile("^/v1" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
        for method in item:
            if method not in ("parameters", "servers"):
                ops[(method.upper(), template)] = regex
    return ops


def operation_of(
    ops: dict[tuple[str, str], re.Pattern[str]], method: str, path: str
) -> tuple[str, str]:
    """The operation of ``ops`` a captured request is (literal paths win over templates)."""
    path = path.split("?", 1)[0]
    matches = [key for key, regex in ops.items() if key[0] == method and regex.match(path)]
    assert matches, f"{method} {path} is not an operation of the spec"
    return min(matches, key=lambda key: key[1].count("{"))
