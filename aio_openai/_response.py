"""APIResponse (the raw answer users reach with ``with_raw_response``) and body parsing:
:func:`object_parser` turns an answer into its type (one parser per type, made once)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from typing import Any, Final, Generic, TypeVar

from multidict import CIMultiDictProxy

from ._convert import converter
from ._exceptions import APIResponseValidationError, status_error
from ._http import HTTPResponse
from ._models import BaseObject

__all__ = [
    "PARSERS",
    "APIResponse",
    "ResponseInfo",
    "answer",
    "error_body",
    "object_parser",
    "parse_json",
    "set_request_id",
]

T = TypeVar("T")

#: The slot setter of BaseObject._request_id (frozen classes refuse plain assignment).
_set_base_request_id = BaseObject.__dict__["_request_id"].__set__


def parse_json(response: HTTPResponse) -> Any:
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


class ResponseInfo:
    """What an answer says besides its body: status, headers, request id, timing; the base
    of APIResponse and of ``_binary.StreamedAPIResponse`` (both hold ``_response``)."""

    __slots__ = ("_response",)

    def __init__(self, response: HTTPResponse) -> None:
        self._response = response

    @property
    def http_response(self) -> HTTPResponse:
        """The answer as the chain returned it."""
        return self._response

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
    def elapsed(self) -> float:
        """Seconds the last attempt took (until its headers, for a streamed body)."""
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


class APIResponse(ResponseInfo, Generic[T]):
    """The raw answer to one call: status, headers and request id; ``parse()`` gives the result."""

    __slots__ = ("_parsed", "_parser")

    def __init__(self, response: HTTPResponse, parser: Callable[[HTTPResponse], T]) -> None:
        super().__init__(response)
        self._parser = parser
        self._parsed: list[T] = []

    @property
    def content(self) -> bytes:
        """The body as bytes."""
        return self._response.content

    @property
    def text(self) -> str:
        """The body as text."""
        return self._response.content.decode("utf-8", "replace")

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


def answer(
    response: HTTPResponse, parser: Callable[[HTTPResponse], T], raw: bool
) -> T | APIResponse[T]:
    """The result of a call: its typed error for a non-2xx answer, else the parsed answer
    (or, with ``raw``, the APIResponse whose ``parse()`` gives it)."""
    if not 200 <= response.status < 300:
        raise status_error(response)
    if raw:
        return APIResponse(response, parser)
    return parser(response)


class _Parsers(dict[Any, Callable[[HTTPResponse], Any]]):
    """The parser of each class, made on first use (a plain dict lookup after that)."""

    def __missing__(self, cl: Any) -> Callable[[HTTPResponse], Any]:
        parser = self[cl] = _no_body if cl is type(None) else _make_parser(cl)
        return parser


#: ``PARSERS[cl]``: the function turning a response into ``cl`` (see :func:`object_parser`).
PARSERS: Final = _Parsers()


def object_parser(cl: type[T]) -> Callable[[HTTPResponse], T]:
    """A function turning a response into ``cl`` (a class, or a union of classes), made once
    per ``cl``; ``type(None)`` gives None without reading the body."""
    parser: Callable[[HTTPResponse], T] = PARSERS[cl]
    return parser


def _no_body(response: HTTPResponse) -> Any:
    return None


def _make_parser(cl: type[T]) -> Callable[[HTTPResponse], T]:
    hook = converter.get_structure_hook(cl)

    def parse(response: HTTPResponse) -> T:
        data = parse_json(response)
        try:
            obj: T = hook(data, cl)
        except Exception as exc:
            reason = repr(exc)
        else:
            set_request_id(obj, response.request_id)
            return obj
        # raised outside the except block: no __context__ holding parts of the body
        name = getattr(cl, "__name__", cl)
        raise APIResponseValidationError(
            response, data, message=f"Invalid {name} in the response: {reason}"
        )

    return parse


def error_body(data: Any) -> Mapping[str, Any] | None:
    """The ``error`` object of an OpenAI error body, if there is one."""
    if isinstance(data, Mapping):
        err = data.get("error")
        if isinstance(err, Mapping):
            return err
    return None
