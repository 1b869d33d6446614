"""What the conformance tests share: a client middleware recording every exchange, the spec
operations of an area that captured requests map to, and :func:`check_all`, which validates
every exchange of a test against the spec."""

from __future__ import annotations

import re
from typing import Any, Final

import attrs

from aio_openai import Request, Response
from aio_openai.testing import FakeOpenAI

from ._spec import load_fixture, validate_request, validate_response

__all__ = ["Exchange", "Recorder", "check_all", "operation_of", "operations"]

#: The one error the validator finds in a conforming multipart request: the spec describes a
#: file part as ``type: string, format: binary``, the validator reads the part as bytes and
#: says bytes are not a string.
_BINARY_PART: Final = re.compile(r"\s+\$\.[\w\[\]]+: b'.*' is not of type 'string'")


@attrs.define
class Exchange:
    """One call as the client saw it."""

    method: str
    path: str
    status: int
    headers: dict[str, str]
    body: bytes
    streamed: bool
    #: The request's body as the client sent it (a multipart body read again from its
    #: sources: the conformance tests upload small bytes).
    sent: bytes | None = None


@attrs.define
class Recorder:
    """A client middleware keeping every exchange."""

    exchanges: list[Exchange] = attrs.field(factory=list)

    async def __call__(self, request: Request, call_next: Any) -> Response:
        upload = request.upload
        sent = request.content if upload is None else await upload.read()
        response: Response = await call_next(request)
        self.exchanges.append(
            Exchange(
                method=request.method,
                path=request.url.raw_path_qs,
                status=response.status,
                headers=dict(response.headers),
                body=response.content,
                streamed=request.stream,
                sent=sent,
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


def _only_binary_part_errors(message: str, content_type: str) -> bool:
    """Whether ``message`` lists nothing but the validator's binary-part errors."""
    if not content_type.startswith("multipart/form-data"):
        return False
    lines = message.splitlines()
    return (
        len(lines) > 2
        and lines[1].startswith("- InvalidRequestBody:")
        and all(_BINARY_PART.match(line) for line in lines[2:])
    )


def check_all(
    version: str,
    fake: FakeOpenAI,
    recorder: Recorder,
    area: tuple[str, ...],
    *,
    binary: tuple[str, ...] = (),
) -> None:
    """Every request (but the refused ones) and every answer conforms; every operation of
    ``area`` was exercised. Requests are checked as the client sent them (the fake does not
    keep multipart bodies); a 2xx answer to a path ending in one of ``binary`` is bytes,
    checked for its content type only."""
    assert len(fake.requests) == len(recorder.exchanges)
    ops = operations(version, area)
    problems: list[str] = []
    used = set()
    for sent, got in zip(fake.requests, recorder.exchanges, strict=True):
        used.add(operation_of(ops, sent.method, sent.raw_path))
        if got.status < 400:
            try:
                validate_request(version, sent.method, sent.raw_path, sent.headers, got.sent)
            except AssertionError as exc:
                if not _only_binary_part_errors(str(exc), sent.headers.get("Content-Type", "")):
                    problems.append(f"request: {exc}\n  body: {got.sent!r}")
        if got.status < 300 and binary and sent.path.endswith(binary):
            assert got.headers["Content-Type"] == "application/octet-stream"
            continue
        try:
            validate_response(version, got.method, got.path, got.status, got.headers, got.body)
        except AssertionError as exc:
            problems.append(f"response: {exc}\n  body: {got.body[:2000]!r}")
    assert not problems, "\n\n".join(problems)
    assert used == set(ops), f"not exercised: {sorted(set(ops) - used)}"
