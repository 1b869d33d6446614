"""Request checks of the fake Assistants API: the ``OpenAI-Beta`` version and the bodies.

Unknown or misplaced arguments, missing required ones and wrong types are 400s naming the
``param``, as OpenAI answers them; what a version accepts differs (v1: ``file_ids`` and the
``retrieval`` tool; v2: ``tool_resources``, ``attachments`` and ``file_search``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Final

from aio_openai.testing._checks import (
    APIError,
    check_boolean,
    check_integer,
    check_metadata,
    check_number,
    check_object,
    check_option,
    check_string,
    check_string_list,
    check_unrecognized,
    invalid_value,
    missing,
    wrong_type,
)

__all__ = [
    "beta_version",
    "check_assistant",
    "check_message",
    "check_metadata_update",
    "check_run",
    "check_thread",
    "check_tool_outputs_body",
    "tool_outputs",
]

_ASSISTANT_KEYS: Final = (
    "model",
    "name",
    "description",
    "instructions",
    "tools",
    "metadata",
    "temperature",
    "top_p",
    "response_format",
)
_RUN_KEYS: Final = (
    "assistant_id",
    "model",
    "instructions",
    "tools",
    "metadata",
    "temperature",
    "top_p",
    "stream",
    "max_prompt_tokens",
    "max_completion_tokens",
    "truncation_strategy",
    "tool_choice",
    "response_format",
)
_NO_BETA_HEADER: Final = (
    "You must provide the 'OpenAI-Beta' header to access the Assistants API. "
    "Please try again by setting the header 'OpenAI-Beta: assistants=v2'."
)


def beta_version(header: str | None, versions: Collection[str]) -> str:
    """The version an ``OpenAI-Beta`` header asks for (``assistants=v2``), one of ``versions``."""
    if header is None:
        raise APIError(400, _NO_BETA_HEADER)
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name.strip() == "assistants":
            version = value.strip()
            if version in versions:
                return version
            if version == "v1":
                raise APIError(
                    400,
                    "The v1 Assistants API has been deprecated. Please try again by setting "
                    "the header 'OpenAI-Beta: assistants=v2'.",
                    code="invalid_beta",
                )
            supported = " or ".join(f"'assistants={v}'" for v in sorted(versions))
            raise APIError(
                400,
                f"Invalid value for the 'OpenAI-Beta' header: '{header}'. Use {supported}.",
                code="invalid_beta",
            )
    raise APIError(400, _NO_BETA_HEADER)


def _tool_types(version: str) -> tuple[str, ...]:
    if version == "v1":
        return ("code_interpreter", "function", "retrieval")
    return ("code_interpreter", "function", "file_search")


def _check_tools(body: Mapping[str, Any], version: str, param: str = "tools") -> None:
    tools = body.get("tools")
    if tools is None:
        return
    if not isinstance(tools, list):
        raise wrong_type(param, "an array", tools)
    for i, tool in enumerate(tools):
        where = f"{param}[{i}]"
        if not isinstance(tool, dict):
            raise wrong_type(where, "an object", tool)
        kind = tool.get("type")
        if kind is None:
            raise missing(f"{where}.type")
        if kind not in _tool_types(version):
            raise invalid_value(f"{where}.type", kind, _tool_types(version))
        if kind == "function":
            function = tool.get("function")
            if function is None:
                raise missing(f"{where}.function")
            if not isinstance(function, dict):
                raise wrong_type(f"{where}.function", "an object", function)
            check_string(function, "name", param=f"{where}.function.name", required=True)


def _check_settings(body: Mapping[str, Any], version: str) -> None:
    """What an assistant sets and a run may override: tools, metadata, sampling."""
    _check_tools(body, version)
    check_metadata(body)
    check_number(body, "temperature", 0, 2)
    check_number(body, "top_p", 0, 1)


def check_assistant(body: Mapping[str, Any], version: str, *, create: bool) -> None:
    """An assistant's create (``create``) or update body."""
    extra = ("file_ids",) if version == "v1" else ("tool_resources", "reasoning_effort")
    check_unrecognized(body, (*_ASSISTANT_KEYS, *extra))
    check_string(body, "model", required=create, nullable=False)
    for key in ("name", "description", "instructions", "reasoning_effort"):
        check_string(body, key)
    _check_settings(body, version)
    check_option(body, "response_format", ("auto", "none") if version == "v1" else ("auto",))
    check_object(body, "tool_resources")
    check_string_list(body, "file_ids")


def check_message(body: Mapping[str, Any], version: str, param: str = "") -> None:
    """A message's create body (``param``: where it sits in an enclosing body)."""
    extra = ("file_ids",) if version == "v1" else ("attachments",)
    check_unrecognized(body, ("role", "content", "metadata", *extra))
    role = body.get("role")
    if role is None:
        raise missing(f"{param}role")
    if role not in ("user", "assistant"):
        raise invalid_value(f"{param}role", role, ("user", "assistant"))
    if "content" not in body or body["content"] is None:
        raise missing(f"{param}content")
    content = body["content"]
    if isinstance(content, str):
        check_string(body, "content", param=f"{param}content", min_length=1)
    elif version == "v1":
        raise wrong_type(f"{param}content", "a string", content)
    elif not isinstance(content, list) or not content:
        raise wrong_type(f"{param}content", "a string or a non-empty array", content)
    else:
        for i, part in enumerate(content):
            kinds = ("text", "image_file", "image_url")
            where = f"{param}content[{i}]"
            if not isinstance(part, dict):
                raise wrong_type(where, "an object", part)
            if part.get("type") not in kinds:
                raise invalid_value(f"{where}.type", part.get("type"), kinds)
    check_metadata(body, f"{param}metadata")
    check_string_list(body, "file_ids")
    attachments = body.get("attachments")
    if attachments is not None and not isinstance(attachments, list):
        raise wrong_type(f"{param}attachments", "an array", attachments)


def _check_messages(body: Mapping[str, Any], key: str, version: str) -> None:
    messages = body.get(key)
    if messages is None:
        return
    if not isinstance(messages, list):
        raise wrong_type(key, "an array", messages)
    for i, message in enumerate(messages):
        if not isinstance(message, dict):
            raise wrong_type(f"{key}[{i}]", "an object", message)
        check_message(message, version, f"{key}[{i}].")


def check_thread(body: Mapping[str, Any], version: str, *, create: bool) -> None:
    """A thread's create (``create``: with its first ``messages``) or update body."""
    keys = ["metadata"]
    if create:
        keys.append("messages")
    if version == "v2":
        keys.append("tool_resources")
    check_unrecognized(body, keys)
    check_metadata(body)
    check_object(body, "tool_resources")
    _check_messages(body, "messages", version)


def check_run(body: Mapping[str, Any], version: str, *, with_thread: bool) -> None:
    """A run's create body; ``with_thread``: of ``create_and_run`` (``POST /threads/runs``)."""
    keys = list(_RUN_KEYS)
    if with_thread:
        keys += ["thread"] + (["tool_resources"] if version == "v2" else [])
    else:
        keys += ["additional_instructions", "additional_messages"]
    if version == "v2":
        keys += ["parallel_tool_calls"] + ([] if with_thread else ["reasoning_effort"])
    check_unrecognized(body, keys)
    check_string(body, "assistant_id", required=True, nullable=False)
    for key in ("model", "instructions", "additional_instructions", "reasoning_effort"):
        check_string(body, key)
    _check_settings(body, version)
    check_integer(body, "max_prompt_tokens", 256)
    check_integer(body, "max_completion_tokens", 256)
    check_boolean(body, "parallel_tool_calls")
    check_boolean(body, "stream")
    check_option(body, "response_format", ("auto", "none") if version == "v1" else ("auto",))
    choices = ("none", "auto") if version == "v1" else ("none", "auto", "required")
    check_option(body, "tool_choice", choices)
    check_object(body, "truncation_strategy")
    _check_messages(body, "additional_messages", version)
    thread = body.get("thread")
    if thread is not None:
        if not isinstance(thread, dict):
            raise wrong_type("thread", "an object", thread)
        check_thread(thread, version, create=True)


def check_metadata_update(body: Mapping[str, Any]) -> None:
    """The body of a message's or run's update: ``metadata`` only."""
    check_unrecognized(body, ("metadata",))
    check_metadata(body)


def check_tool_outputs_body(body: Mapping[str, Any]) -> None:
    """A ``submit_tool_outputs`` body: ``tool_outputs`` (an array) and ``stream``."""
    check_unrecognized(body, ("tool_outputs", "stream"))
    if body.get("tool_outputs") is None:
        raise missing("tool_outputs")
    if not isinstance(body["tool_outputs"], list):
        raise wrong_type("tool_outputs", "an array", body["tool_outputs"])
    check_boolean(body, "stream")


def tool_outputs(outputs: list[Any]) -> dict[str, str]:
    """The outputs of a checked ``submit_tool_outputs`` body, by tool call id."""
    given: dict[str, str] = {}
    for i, item in enumerate(outputs):
        if not isinstance(item, dict):
            raise wrong_type(f"tool_outputs[{i}]", "an object", item)
        check_string(item, "tool_call_id", param=f"tool_outputs[{i}].tool_call_id", required=True)
        check_string(item, "output", param=f"tool_outputs[{i}].output")
        given[item["tool_call_id"]] = item.get("output") or ""
    return given
