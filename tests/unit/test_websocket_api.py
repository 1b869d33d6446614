"""The WebSocket APIs' surface against the official SDK's: every ``connect`` method, every
connection's helpers (by area and keyword), and the rules that need no server (close codes,
the send queue, parsing)."""

from __future__ import annotations

import inspect
from typing import Any, Final

import openai
import pytest

from aio_openai import AsyncOpenAI, WebSocketQueueFullError
from aio_openai._ws_connection import SendQueue
from aio_openai.resources.beta import realtime as beta_realtime
from aio_openai.resources.beta import responses as beta_responses
from aio_openai.resources.live import (
    AsyncForksConnection,
    AsyncLiveConnection,
    AsyncSidebandConnection,
)
from aio_openai.resources.realtime import AsyncRealtimeConnection
from aio_openai.resources.realtime.translations import AsyncTranslationsConnection
from aio_openai.resources.responses import AsyncResponsesConnection
from aio_openai.types.websocket_reconnection import is_recoverable_close

#: Our connection class and the SDK's, by the path of their ``connect``.
CONNECTIONS: Final = {
    "realtime": (AsyncRealtimeConnection, "openai.resources.realtime.realtime"),
    "realtime.translations": (
        AsyncTranslationsConnection,
        "openai.resources.realtime.translations.translations",
    ),
    "responses": (AsyncResponsesConnection, "openai.resources.responses.responses"),
    "live": (AsyncLiveConnection, "openai.resources.live.live"),
    "live.sideband": (AsyncSidebandConnection, "openai.resources.live.sideband"),
    "live.forks": (AsyncForksConnection, "openai.resources.live.forks"),
    "beta.realtime": (
        beta_realtime.AsyncRealtimeConnection,
        "openai.resources.beta.realtime.realtime",
    ),
    "beta.responses": (
        beta_responses.AsyncResponsesConnection,
        "openai.resources.beta.responses.responses",
    ),
}


def _resource(client: Any, path: str) -> Any:
    for part in path.split("."):
        client = getattr(client, part)
    return client


def _keywords(fn: Any) -> tuple[set[str], set[str]]:
    """The required and the optional keyword names of a function."""
    params = [p for p in inspect.signature(fn).parameters.values() if p.name != "self"]
    required = {p.name for p in params if p.default is inspect.Parameter.empty}
    return required, {p.name for p in params} - required


def _sdk_helpers(cls: type, module: Any, prefix: str = "") -> dict[str, Any]:
    """The SDK's helpers of a connection class (or area class), by dotted name."""
    found: dict[str, Any] = {}
    for name, kind in getattr(cls, "__annotations__", {}).items():
        if name.startswith("_"):
            continue
        area = getattr(module, kind) if isinstance(kind, str) else kind
        found.update(_area_helpers(area, module, f"{prefix}{name}."))
    return found


def _area_helpers(area: type, module: Any, prefix: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, attr in vars(area).items():
        if name.startswith("_"):
            continue
        if isinstance(attr, property) or type(attr).__name__ == "cached_property":
            getter = attr.fget if isinstance(attr, property) else attr.func
            kind = getter.__annotations__["return"]
            sub = getattr(module, kind) if isinstance(kind, str) else kind
            found.update(_area_helpers(sub, module, f"{prefix}{name}."))
        elif inspect.isfunction(attr):
            found[prefix + name] = attr
    return found


@pytest.mark.parametrize("path", sorted(CONNECTIONS))
def test_connect_takes_the_sdks_keywords_and_returns_its_manager(path: str) -> None:
    ours = _resource(AsyncOpenAI(api_key="sk-x", base_url="http://127.0.0.1:9/v1"), path).connect
    sdk = _resource(openai.AsyncOpenAI(api_key="x"), path).connect
    sdk_required, sdk_optional = _keywords(sdk)
    our_required, our_optional = _keywords(ours)
    assert sdk_required <= our_required and sdk_optional <= our_optional
    sdk_return = inspect.signature(sdk).return_annotation
    assert inspect.signature(ours).return_annotation == sdk_return


@pytest.mark.parametrize("path", sorted(CONNECTIONS))
def test_every_sdk_helper_is_here_with_its_keywords(path: str) -> None:
    ours, module_name = CONNECTIONS[path]
    module = __import__(module_name, fromlist=["_"])
    sdk_class = next(
        cls
        for name, cls in vars(module).items()
        if name.startswith("Async") and name.endswith("Connection") and isinstance(cls, type)
    )
    helpers = _sdk_helpers(sdk_class, module)
    assert helpers
    connection = object.__new__(ours)
    for dotted, sdk_fn in helpers.items():
        ours_fn = connection
        for part in dotted.split("."):
            ours_fn = getattr(ours_fn, part)
        assert _keywords(ours_fn) == _keywords(sdk_fn), dotted
        assert ours_fn.event_type.rsplit(".", 1)[-1] == dotted.rsplit(".", 1)[-1], dotted


@pytest.mark.parametrize(
    "code, recoverable",
    [
        (1000, False),
        (1001, True),
        (1002, False),
        (1003, False),
        (1005, True),
        (1006, True),
        (1007, False),
        (1008, False),
        (1009, False),
        (1010, False),
        (1011, True),
        (1012, True),
        (1013, True),
        (1014, True),
        (1015, True),
        (3000, False),
        (4000, False),
        (4999, False),
    ],
)
def test_which_close_codes_are_reconnected(code: int, recoverable: bool) -> None:
    assert is_recoverable_close(code) is recoverable


def test_the_send_queue_keeps_order_within_its_bytes() -> None:
    queue = SendQueue(10)
    queue.put("abc")
    queue.put(b"defg")
    with pytest.raises(WebSocketQueueFullError):
        queue.put("é" * 2 + "x")  # 5 bytes in UTF-8: 12 in all
    queue.put("xyz")
    assert queue.drain() == ["abc", b"defg", "xyz"]
    assert len(queue) == 0
    with pytest.raises(ValueError):
        SendQueue(0)
