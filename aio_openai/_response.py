"""APIResponse (the raw answer users reach with ``with_raw_response``) and body parsing."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from multidict import CIMultiDictProxy

from ._chain import Response
from ._exceptions import APIResponseValidationError
from ._models import BaseObject

__all__ = ["APIResponse", "parse_json"]

T = TypeVar("T")

#: The slot setter of BaseObject._request_id (frozen classes refuse plain assignment).
_set_base_request_id = BaseObject.__dict__["_request_id"].__set__


def parse_json(response: Response) -> Any:
    """The response body as JSON, or APIResponseValidationError naming the request id."""
    try:
        return response.json()
    except ValueError as exc:
        reason = str(exc)
    # raised here, not in the except block: the parser's error (which holds the whole body)
    # is then not kept as the error's __context__
    raise APIResponseValidationError(
        response,
        response.content.decode("utf-8", "replace"),
        message=f"The response body is not valid JSON: {reason}",
    )


def set_request_id(obj: object, request_id: str | None) -> None:
    """Attach ``_request_id`` to a parsed result, as the official SDK does."""
    if isinstance(obj, BaseObject):
        _set_base_request_id(obj, request_id)
        return
    with contextlib.suppress(AttributeError):
        object.__setattr__(obj, "_request_id", request_id)


class APIResponse(Generic[T]):
    """The raw answer to one call: status, headers and request id; ``parse()`` gives the result."""

    __slots__ = ("_parsed", "_parser", "_response")

    def __init__(self, response: Response, parser: Callable[[Response], T]) -> None:
        self._response = response
        self._parser = parser
        self._parsed: list[T] = []

    @property
    def status_code(self) -> int:
        """The HTTP status."""
        return self._response.status

    @property
    def headers(self) -> CIMultiDictProxy[str]:
        """The response headers."""
        return self._response.headers

    @property
    def request_id(self) -> str | None:
        """OpenAI's ``x-request-id``."""
        return self._response.request_id

    @property
    def content(self) -> bytes:
        """The body as bytes."""
        return self._response.content

    @property
    def text(self) -> str:
        """The body as text."""
        return self._response.content.decode("utf-8", "replace")

    @property
    def elapsed(self) -> float:
        """Seconds the last attempt took."""
        return self._response.elapsed

    @property
    def retries_taken(self) -> int:
        """Attempts beyond the first."""
        return self._response.attempts - 1

    @property
    def method(self) -> str:
        """The request's method."""
        return self._response.request.method

    @property
    def url(self) -> str:
        """The request's URL."""
        return str(self._response.request.url)

    def json(self) -> Any:
        """The body as JSON."""
        return parse_json(self._response)

    def parse(self) -> T:
        """The typed result, as the plain call would have returned it (computed once)."""
        if not self._parsed:
            self._parsed.append(self._parser(self._response))
        return self._parsed[0]

    def __repr__(self) -> str:
        r = self._response
        return f"<APIResponse [{r.status}] {r.request.method} {r.request.url}>"


def error_body(data: Any) -> Mapping[str, Any] | None:
    """The ``error`` object of an OpenAI error body, if there is one."""
    if isinstance(data, Mapping):
        err = data.get("error")
        if isinstance(err, Mapping):
            return err
    return None
