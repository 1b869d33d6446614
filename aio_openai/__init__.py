"""aio_openai: a fast, async-only client for the OpenAI REST API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._client import AsyncOpenAI, InsecureTransportWarning
from ._exceptions import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    OpenAIError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    UnprocessableEntityError,
)
from ._fanout import FanOut, FanOutAborted, Result, fan_out
from ._http import HTTPResponse as Response
from ._http import Middleware, Request
from ._pagination import AsyncCursorPage, AsyncPage, AsyncPaginator, PaginationError
from ._polling import PollTimeoutError
from ._response import APIResponse, AsyncAPIResponse
from ._retry import RetryBudget, RetryPolicy, RetryStats
from ._streaming import AsyncStream
from ._types import NOT_GIVEN, NotGiven, RequestOptions
from ._version import __version__
from .ratelimit import RateLimiter, RateLimiterProtocol, RedisRateLimiter, TokenLimitExceededError

if TYPE_CHECKING:
    from . import types


def __getattr__(name: str) -> Any:
    """``aio_openai.types`` loads on first use: importing the package stays cheap."""
    if name == "types":
        import importlib

        return importlib.import_module(".types", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncAPIResponse",
    "AsyncCursorPage",
    "AsyncOpenAI",
    "AsyncPage",
    "AsyncPaginator",
    "AsyncStream",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "FanOut",
    "FanOutAborted",
    "InsecureTransportWarning",
    "InternalServerError",
    "Middleware",
    "NotFoundError",
    "NotGiven",
    "OpenAIError",
    "PaginationError",
    "PermissionDeniedError",
    "PollTimeoutError",
    "RateLimitError",
    "RateLimiter",
    "RateLimiterProtocol",
    "RedisRateLimiter",
    "Request",
    "RequestOptions",
    "Response",
    "ResponseTooLargeError",
    "Result",
    "RetryBudget",
    "RetryPolicy",
    "RetryStats",
    "TokenLimitExceededError",
    "UnprocessableEntityError",
    "__version__",
    "fan_out",
    "types",
]
