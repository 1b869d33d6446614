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
    ContentFilterFinishReasonError,
    ContentParseError,
    InternalServerError,
    InvalidWebhookSignatureError,
    LengthFinishReasonError,
    NotFoundError,
    OpenAIError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    UnprocessableEntityError,
    WebSocketConnectionClosedError,
    WebSocketQueueFullError,
)
from ._fanout import FanOut, FanOutAborted, Result, fan_out
from ._http import HTTPResponse as Response
from ._http import Middleware, Request
from ._pagination import (
    AsyncConversationCursorPage,
    AsyncCursorPage,
    AsyncNextCursorPage,
    AsyncPage,
    AsyncPaginator,
    AsyncTokenPage,
    PaginationError,
)
from ._polling import PollTimeoutError
from ._response import APIResponse, AsyncAPIResponse
from ._retry import RetryBudget, RetryPolicy, RetryStats
from ._streaming import AsyncStream
from ._types import NOT_GIVEN, NotGiven, RequestOptions
from ._version import __version__
from .ratelimit import RateLimiter, RateLimiterProtocol, RedisRateLimiter, TokenLimitExceededError

if TYPE_CHECKING:
    from . import types
    from ._tools import (
        function_tool,
        pydantic_function_tool,
        pydantic_responses_function_tool,
        responses_function_tool,
    )
    from .lib.streaming import AsyncAssistantEventHandler

#: The names that load on first use (importing the package stays cheap): name -> module.
_LAZY = {
    "types": ".types",
    "AsyncAssistantEventHandler": ".lib.streaming",
    "function_tool": "._tools",
    "pydantic_function_tool": "._tools",
    "pydantic_responses_function_tool": "._tools",
    "responses_function_tool": "._tools",
}


def __getattr__(name: str) -> Any:
    """``aio_openai.types``, the structured-output and the streaming helpers load on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    loaded = importlib.import_module(module, __name__)
    value = loaded if name == "types" else getattr(loaded, name)
    globals()[name] = value
    return value


__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncAPIResponse",
    "AsyncAssistantEventHandler",
    "AsyncConversationCursorPage",
    "AsyncCursorPage",
    "AsyncNextCursorPage",
    "AsyncOpenAI",
    "AsyncPage",
    "AsyncPaginator",
    "AsyncStream",
    "AsyncTokenPage",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ContentFilterFinishReasonError",
    "ContentParseError",
    "FanOut",
    "FanOutAborted",
    "InsecureTransportWarning",
    "InternalServerError",
    "InvalidWebhookSignatureError",
    "LengthFinishReasonError",
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
    "WebSocketConnectionClosedError",
    "WebSocketQueueFullError",
    "__version__",
    "fan_out",
    "function_tool",
    "pydantic_function_tool",
    "pydantic_responses_function_tool",
    "responses_function_tool",
    "types",
]
