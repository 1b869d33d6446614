"""The per-area helpers of a WebSocket connection: ``connection.session.update(...)``.

Each helper sends one client event, ``{"type": <its type>, **keywords}`` (NOT_GIVEN left
out), through the connection's ``send``. A helper is declared in one line on its area::

    class SessionArea(ConnectionArea):
        update = client_event("session.update", SessionUpdateEventParam)

    class AsyncRealtimeConnection(AsyncWebSocketConnection[RealtimeServerEvent]):
        session = area(SessionArea)

:func:`client_event` takes the helper's keywords from the event's params TypedDict (every key
but ``type``, required as the TypedDict says), or from ``required`` and ``optional`` names
where there is no such TypedDict; the helper gets the signature they make (for ``help()``,
``inspect`` and editors) and raises TypeError for an unknown or a missing keyword, as Python
does.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, Generic, TypeVar, overload

from ._endpoints import keyword_parameters
from ._types import NOT_GIVEN

__all__ = ["ConnectionArea", "EventHelper", "area", "client_event"]

A = TypeVar("A", bound="ConnectionArea")

#: A helper: an async method sending one event.
EventHelper = Callable[..., Coroutine[Any, Any, None]]


class ConnectionArea:
    """A group of a connection's helpers (``connection.session``, ``connection.conversation.
    item``); it sends through its connection."""

    __slots__ = ("_connection",)

    def __init__(self, connection: Any) -> None:
        self._connection = connection


class area(Generic[A]):  # used as a field declaration (lower case, like attrs.field)
    """A connection's (or an area's) sub-area: ``session = area(SessionArea)``."""

    __slots__ = ("_cls",)

    def __init__(self, cls: type[A]) -> None:
        self._cls = cls

    @overload
    def __get__(self, owner: None, owner_type: type) -> area[A]: ...

    @overload
    def __get__(self, owner: object, owner_type: type) -> A: ...

    def __get__(self, owner: object, owner_type: type) -> area[A] | A:
        if owner is None:
            return self
        connection = owner._connection if isinstance(owner, ConnectionArea) else owner
        return self._cls(connection)


def client_event(
    event_type: str,
    params: type | None = None,
    *,
    required: Sequence[str] = (),
    optional: Sequence[str] = ("event_id",),
) -> EventHelper:
    """The helper sending ``event_type`` events (see the module docstring)."""
    if params is not None:
        keywords = keyword_parameters(params, skip={"type"})
    else:
        keywords = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation="Any")
            for name in required
        ] + [
            inspect.Parameter(
                name, inspect.Parameter.KEYWORD_ONLY, default=NOT_GIVEN, annotation="Any"
            )
            for name in optional
        ]
    known = frozenset(p.name for p in keywords)
    needed = tuple(p.name for p in keywords if p.default is inspect.Parameter.empty)
    name = event_type.rsplit(".", 1)[-1]

    async def send_event(self: ConnectionArea, **values: Any) -> None:
        unknown = [key for key in values if key not in known]
        if unknown:
            raise TypeError(f"{event_type}() got an unexpected keyword argument {unknown[0]!r}")
        missing = [repr(key) for key in needed if key not in values]
        if missing:
            raise TypeError(
                f"{event_type}() missing required keyword-only argument(s): {', '.join(missing)}"
            )
        event: dict[str, Any] = {"type": event_type}
        event.update((key, value) for key, value in values.items() if value is not NOT_GIVEN)
        await self._connection.send(event)

    self_parameter = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    signature = inspect.Signature([self_parameter, *keywords], return_annotation="None")
    vars(send_event).update({"__signature__": signature, "event_type": event_type})
    send_event.__name__ = name
    send_event.__qualname__ = event_type
    send_event.__doc__ = f"Send a ``{event_type}`` event with these fields."
    return send_event
