"""The parameters of ``client.beta.agents.sessions.events.create``.

Written by hand: ``idempotency_key`` is the per-call option that sends the ``Idempotency-Key``
header (the SDK renames the key to the header), never a body key.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Required, TypedDict

from ...agent_session_input_param import AgentSessionInputParam

__all__ = ["EventCreateParams"]


class EventCreateParams(TypedDict, total=False):
    """The ``EventCreateParams`` parameter object."""

    events: Required[Iterable[AgentSessionInputParam]]
    idempotency_key: str | None
