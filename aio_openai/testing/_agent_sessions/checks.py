"""OpenAI's 400s for the bodies of the agent-session endpoints."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from aio_openai.testing._checks import (
    APIError,
    check_metadata,
    check_object,
    check_option,
    check_string,
    check_string_list,
    check_unrecognized,
    missing,
    wrong_type,
)

__all__ = ["check_create", "check_events", "check_update", "input_messages"]

_CREATE_KEYS: Final = (
    "environment",
    "agent",
    "agent_id",
    "input",
    "metadata",
    "prompt_cache_options",
    "review",
    "spend_control",
    "stream",
    "stream_options",
    "vault_ids",
)
_UPDATE_KEYS: Final = (
    "agent",
    "metadata",
    "prompt_cache_options",
    "review",
    "spend_control",
    "vault_ids",
)
_ENVIRONMENTS: Final = ("none", "openai_hosted", "self_hosted")
_INPUT_TYPES: Final = (
    "agent.session.input.message",
    "agent.session.input.cancel",
    "agent.session.input.tool_result",
    "agent.session.input.mcp_approval_request_result",
    "agent.session.input.computer_use_approval_request_result",
)


def _check_common(body: Mapping[str, Any]) -> None:
    check_metadata(body)
    check_option(body, "review", ("none", "auto_review"))
    if body.get("vault_ids") is not None:
        check_string_list(body, "vault_ids")
    for key in ("agent", "spend_control", "prompt_cache_options"):
        if body.get(key) is not None:
            check_object(body, key)


def check_create(body: Mapping[str, Any]) -> None:
    """A session's creation body as OpenAI checks it; APIError (400) naming the parameter."""
    check_unrecognized(body, _CREATE_KEYS)
    if "environment" not in body:
        raise missing("environment")
    check_object(body, "environment")
    check_option(body["environment"], "type", _ENVIRONMENTS)
    _check_common(body)
    if "agent_id" in body:
        check_string(body, "agent_id")
        if not body["agent_id"].startswith("agent_"):
            raise APIError(400, f"Invalid 'agent_id': '{body['agent_id']}'.", param="agent_id")
    agent = body.get("agent") or {}
    if "agent_id" not in body and not agent.get("model"):
        raise missing("agent.model")
    if body.get("input") is not None:
        input_messages(body["input"], "input")


def check_update(body: Mapping[str, Any]) -> None:
    """A session's update body; APIError (400) naming the parameter."""
    check_unrecognized(body, _UPDATE_KEYS)
    _check_common(body)


def input_messages(value: Any, param: str) -> list[dict[str, Any]]:
    """The messages of an ``input`` (a string or a list of messages), as a list of messages."""
    if isinstance(value, str):
        return [{"role": "user", "content": [{"type": "input_text", "text": value}]}]
    if not isinstance(value, list) or not value:
        raise wrong_type(param, "a string or a non-empty array of messages", value)
    for index, message in enumerate(value):
        if not isinstance(message, dict) or not isinstance(message.get("content"), list | str):
            raise wrong_type(f"{param}[{index}]", "a message object", message)
    return value


def check_events(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The ``events`` of an events body; APIError (400) naming the bad one."""
    check_unrecognized(body, ("events",))
    events = body.get("events")
    if events is None:
        raise missing("events")
    if not isinstance(events, list) or not events:
        raise wrong_type("events", "a non-empty array", events)
    for index, event in enumerate(events):
        if not isinstance(event, dict):
            raise wrong_type(f"events[{index}]", "an object", event)
        check_option(event, "type", _INPUT_TYPES)
        if "type" not in event:
            raise missing(f"events[{index}].type")
        if event["type"] == "agent.session.input.message":
            input_messages(event.get("input"), f"events[{index}].input")
    return events
