"""The Assistants API of the fake server: assistants, threads, messages, runs and run steps.

Everything lives in memory in an :class:`AssistantsState` (``fake.state.assistants``), with ids
in OpenAI's forms (``asst_``, ``thread_``, ``msg_``, ``run_``, ``step_``, ``call_``). Each request
must say which version it speaks (``OpenAI-Beta: assistants=v1`` or ``assistants=v2``) and gets
answers in that version's shape: v1 objects carry ``file_ids`` and the ``retrieval`` tool, v2
objects ``tool_resources``/``attachments`` and ``file_search``. Request bodies are checked as
OpenAI checks them: unknown or misplaced arguments, missing required ones and wrong types are
400s naming the ``param``; unknown ids are 404s.

Runs move on without background tasks, when they are looked at. By default each status lasts
``seconds`` (0.4 s: a run is ``completed`` about 0.8 s after it was created); with
``configure(polls=N)`` each status is shown by N retrieves instead (deterministic, for tests;
``polls=0`` settles a run at once). A run goes ``queued`` -> ``in_progress`` -> ``completed``,
adding the assistant's reply (scripted in ``replies``, else an echo of the last user message),
a ``message_creation`` step and usage. A run whose tools include functions stops in
``requires_action`` with one call per function (``parallel_tool_calls=False``: one call), with
arguments made from the function's JSON schema and the last user message (see
:mod:`._arguments`), and goes on after ``submit_tool_outputs``. ``cancel`` goes through
``cancelling`` to ``cancelled``. Run answers carry the ``openai-poll-after-ms`` header
(``poll_after_ms``, 100 by default).

``stream=True`` on ``runs.create`` and ``create_and_run`` carries the run through at once and
answers with the server-sent events OpenAI sends: (``thread.created``,) ``thread.run.created``,
``thread.run.queued``, ``thread.run.in_progress``, ``thread.run.step.created``,
``thread.run.step.in_progress``, then ``thread.message.created``,
``thread.message.in_progress``, ``thread.message.delta`` (``chunk_size`` characters each),
``thread.message.completed``, ``thread.run.step.completed``, ``thread.run.completed`` (or, with
function tools, ``thread.run.step.delta`` and ``thread.run.requires_action``), and ``done``.
``submit_tool_outputs`` with ``stream=True`` answers with the events of the run's
continuation: ``thread.run.step.completed`` of the tool step, ``thread.run.queued``,
``thread.run.in_progress``, the steps after it, the run's final event and ``done``.
"""

from __future__ import annotations

import json
import secrets
import string
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, Final

import attrs
from aiohttp import web

from aio_openai.testing._arguments import fill

__all__ = ["POLL_AFTER_HEADER", "AssistantsState", "RunPacing", "add_assistants_routes"]

#: The header telling pollers how long to wait before the next look, in milliseconds.
POLL_AFTER_HEADER: Final = "openai-poll-after-ms"

_VERSIONS: Final = ("v1", "v2")
_ID_ALPHABET: Final = string.ascii_letters + string.digits
_ADVANCING: Final = frozenset({"queued", "in_progress", "cancelling"})
_ACTIVE: Final = frozenset({"queued", "in_progress", "requires_action", "cancelling"})
_RUN_EXPIRES_AFTER: Final = 600
_DEFAULT_REPLY: Final = "How can I help you today?"

_JSON_TYPES: Final = (
    (bool, "a boolean"),
    (int, "an integer"),
    (float, "a number"),
    (str, "a string"),
    (list, "an array"),
    (dict, "an object"),
)


# -- configuration ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class RunPacing:
    """How fast fake runs move on.

    - ``polls``: retrieves of a run that show each of its passing statuses (``queued``,
      ``in_progress``, ``cancelling``) before it moves on; 0 settles a run at once; None paces
      by time instead.
    - ``seconds``: how long each passing status lasts when ``polls`` is None.
    - ``poll_after_ms``: the ``openai-poll-after-ms`` header of run answers.
    """

    polls: int | None = None
    seconds: float = 0.4
    poll_after_ms: int = 100

    def __attrs_post_init__(self) -> None:
        if self.polls is not None and self.polls < 0:
            raise ValueError(f"polls must be >= 0 or None, got {self.polls}")
        if not self.seconds >= 0:
            raise ValueError(f"seconds must be >= 0, got {self.seconds}")
        if self.poll_after_ms < 0:
            raise ValueError(f"poll_after_ms must be >= 0, got {self.poll_after_ms}")


class _APIError(Exception):
    """An OpenAI error answer to send."""

    def __init__(
        self, status: int, message: str, *, param: str | None = None, code: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param
        self.code = code


def _new_id(prefix: str) -> str:
    return prefix + "".join(secrets.choice(_ID_ALPHABET) for _ in range(24))


def _tokens(text: str) -> int:
    """The documented estimate: characters / 4, at least 1."""
    return max(1, (len(text) + 3) // 4)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    for cls, name in _JSON_TYPES:
        if isinstance(value, cls):
            return name
    return type(value).__name__


def _list_words(values: Iterable[str]) -> str:
    quoted = [f"'{v}'" for v in values]
    if len(quoted) <= 2:
        return " and ".join(quoted)
    return ", ".join(quoted[:-1]) + ", and " + quoted[-1]


# -- request checks -----------------------------------------------------------------------------


def _unrecognized(body: Mapping[str, Any], allowed: Iterable[str]) -> None:
    known = set(allowed)
    for key in body:
        if key not in known:
            raise _APIError(400, f"Unrecognized request argument supplied: {key}")


def _missing(param: str) -> _APIError:
    return _APIError(
        400,
        f"Missing required parameter: '{param}'.",
        param=param,
        code="missing_required_parameter",
    )


def _wrong_type(param: str, expected: str, value: Any) -> _APIError:
    return _APIError(
        400,
        f"Invalid type for '{param}': expected {expected}, but got {_json_type(value)} instead.",
        param=param,
        code="invalid_type",
    )


def _invalid_value(param: str, value: Any, supported: Iterable[str]) -> _APIError:
    return _APIError(
        400,
        f"Invalid value: '{value}'. Supported values are: {_list_words(supported)}.",
        param=param,
        code="invalid_value",
    )


def _string(
    body: Mapping[str, Any],
    key: str,
    *,
    param: str | None = None,
    required: bool = False,
    nullable: bool = True,
    min_length: int = 0,
) -> None:
    param = param or key
    if key not in body:
        if required:
            raise _missing(param)
        return
    value = body[key]
    if value is None and nullable and not required:
        return
    if not isinstance(value, str):
        raise _wrong_type(param, "a string", value)
    if len(value) < min_length:
        raise _APIError(
            400,
            f"Invalid '{param}': empty string. Expected a string with minimum length "
            f"{min_length}, but got an empty string instead.",
            param=param,
            code="empty_string",
        )


def _number(body: Mapping[str, Any], key: str, low: float, high: float) -> None:
    value = body.get(key)
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _wrong_type(key, "a decimal", value)
    if value > high:
        raise _APIError(
            400,
            f"Invalid '{key}': decimal above maximum value. Expected a value <= {high:g}, "
            f"but got {value:g} instead.",
            param=key,
            code="decimal_above_max_value",
        )
    if value < low:
        raise _APIError(
            400,
            f"Invalid '{key}': decimal below minimum value. Expected a value >= {low:g}, "
            f"but got {value:g} instead.",
            param=key,
            code="decimal_below_min_value",
        )


def _integer(body: Mapping[str, Any], key: str, minimum: int) -> None:
    value = body.get(key)
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise _wrong_type(key, "an integer", value)
    if value < minimum:
        raise _APIError(
            400,
            f"Invalid '{key}': integer below minimum value. Expected a value >= {minimum}, "
            f"but got {value} instead.",
            param=key,
            code="integer_below_min_value",
        )


def _boolean(body: Mapping[str, Any], key: str) -> None:
    value = body.get(key)
    if value is not None and not isinstance(value, bool):
        raise _wrong_type(key, "a boolean", value)


def _metadata(body: Mapping[str, Any], param: str = "metadata") -> None:
    value = body.get("metadata")
    if value is None:
        return
    if not isinstance(value, dict):
        raise _wrong_type(param, "an object", value)
    if len(value) > 16:
        raise _APIError(
            400,
            f"Invalid '{param}': too many properties. Expected an object with at most 16 "
            f"properties, but got an object with {len(value)} properties instead.",
            param=param,
            code="object_above_max_properties",
        )
    for name, item in value.items():
        if not isinstance(item, str):
            raise _wrong_type(f"{param}.{name}", "a string", item)


def _tool_types(version: str) -> tuple[str, ...]:
    if version == "v1":
        return ("code_interpreter", "function", "retrieval")
    return ("code_interpreter", "function", "file_search")


def _tools(body: Mapping[str, Any], version: str, param: str = "tools") -> None:
    tools = body.get("tools")
    if tools is None:
        return
    if not isinstance(tools, list):
        raise _wrong_type(param, "an array", tools)
    for i, tool in enumerate(tools):
        where = f"{param}[{i}]"
        if not isinstance(tool, dict):
            raise _wrong_type(where, "an object", tool)
        kind = tool.get("type")
        if kind is None:
            raise _missing(f"{where}.type")
        if kind not in _tool_types(version):
            raise _invalid_value(f"{where}.type", kind, _tool_types(version))
        if kind == "function":
            function = tool.get("function")
            if function is None:
                raise _missing(f"{where}.function")
            if not isinstance(function, dict):
                raise _wrong_type(f"{where}.function", "an object", function)
            _string(function, "name", param=f"{where}.function.name", required=True)


def _object(body: Mapping[str, Any], key: str) -> None:
    value = body.get(key)
    if value is not None and not isinstance(value, dict):
        raise _wrong_type(key, "an object", value)


def _string_list(body: Mapping[str, Any], key: str) -> None:
    value = body.get(key)
    if value is None:
        return
    if not isinstance(value, list):
        raise _wrong_type(key, "an array", value)
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise _wrong_type(f"{key}[{i}]", "a string", item)


def _option(body: Mapping[str, Any], key: str, words: tuple[str, ...]) -> None:
    value = body.get(key)
    if value is None or isinstance(value, dict):
        return
    if not isinstance(value, str):
        raise _wrong_type(key, "an object", value)
    if value not in words:
        raise _invalid_value(key, value, words)


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


def _check_assistant(body: Mapping[str, Any], version: str, *, create: bool) -> None:
    extra = ("file_ids",) if version == "v1" else ("tool_resources", "reasoning_effort")
    _unrecognized(body, (*_ASSISTANT_KEYS, *extra))
    _string(body, "model", required=create, nullable=False)
    for key in ("name", "description", "instructions", "reasoning_effort"):
        _string(body, key)
    _tools(body, version)
    _metadata(body)
    _number(body, "temperature", 0, 2)
    _number(body, "top_p", 0, 1)
    _option(body, "response_format", ("auto", "none") if version == "v1" else ("auto",))
    _object(body, "tool_resources")
    _string_list(body, "file_ids")


def _check_message(body: Mapping[str, Any], version: str, param: str = "") -> None:
    extra = ("file_ids",) if version == "v1" else ("attachments",)
    _unrecognized(body, ("role", "content", "metadata", *extra))
    role = body.get("role")
    if role is None:
        raise _missing(f"{param}role")
    if role not in ("user", "assistant"):
        raise _invalid_value(f"{param}role", role, ("user", "assistant"))
    if "content" not in body or body["content"] is None:
        raise _missing(f"{param}content")
    content = body["content"]
    if isinstance(content, str):
        _string(body, "content", param=f"{param}content", min_length=1)
    elif version == "v1":
        raise _wrong_type(f"{param}content", "a string", content)
    elif not isinstance(content, list) or not content:
        raise _wrong_type(f"{param}content", "a string or a non-empty array", content)
    else:
        for i, part in enumerate(content):
            kinds = ("text", "image_file", "image_url")
            where = f"{param}content[{i}]"
            if not isinstance(part, dict):
                raise _wrong_type(where, "an object", part)
            if part.get("type") not in kinds:
                raise _invalid_value(f"{where}.type", part.get("type"), kinds)
    _metadata(body, f"{param}metadata")
    _string_list(body, "file_ids")
    attachments = body.get("attachments")
    if attachments is not None and not isinstance(attachments, list):
        raise _wrong_type(f"{param}attachments", "an array", attachments)


def _check_thread(body: Mapping[str, Any], version: str, *, create: bool) -> None:
    keys = ["metadata"]
    if create:
        keys.append("messages")
    if version == "v2":
        keys.append("tool_resources")
    _unrecognized(body, keys)
    _metadata(body)
    _object(body, "tool_resources")
    messages = body.get("messages")
    if messages is None:
        return
    if not isinstance(messages, list):
        raise _wrong_type("messages", "an array", messages)
    for i, message in enumerate(messages):
        if not isinstance(message, dict):
            raise _wrong_type(f"messages[{i}]", "an object", message)
        _check_message(message, version, f"messages[{i}].")


def _check_run(body: Mapping[str, Any], version: str, *, with_thread: bool) -> None:
    keys = list(_RUN_KEYS)
    if with_thread:
        keys += ["thread"] + (["tool_resources"] if version == "v2" else [])
    else:
        keys += ["additional_instructions", "additional_messages"]
    if version == "v2":
        keys += ["parallel_tool_calls"] + ([] if with_thread else ["reasoning_effort"])
    _unrecognized(body, keys)
    _string(body, "assistant_id", required=True, nullable=False)
    for key in ("model", "instructions", "additional_instructions", "reasoning_effort"):
        _string(body, key)
    _tools(body, version)
    _metadata(body)
    _number(body, "temperature", 0, 2)
    _number(body, "top_p", 0, 1)
    _integer(body, "max_prompt_tokens", 256)
    _integer(body, "max_completion_tokens", 256)
    _boolean(body, "parallel_tool_calls")
    _boolean(body, "stream")
    _option(body, "response_format", ("auto", "none") if version == "v1" else ("auto",))
    choices = ("none", "auto") if version == "v1" else ("none", "auto", "required")
    _option(body, "tool_choice", choices)
    _object(body, "truncation_strategy")
    additional = body.get("additional_messages")
    if additional is not None:
        if not isinstance(additional, list):
            raise _wrong_type("additional_messages", "an array", additional)
        for i, message in enumerate(additional):
            if not isinstance(message, dict):
                raise _wrong_type(f"additional_messages[{i}]", "an object", message)
            _check_message(message, version, f"additional_messages[{i}].")
    thread = body.get("thread")
    if thread is not None:
        if not isinstance(thread, dict):
            raise _wrong_type("thread", "an object", thread)
        _check_thread(thread, version, create=True)


def _list_query(query: Mapping[str, str]) -> tuple[int, str, str | None, str | None]:
    raw_limit = query.get("limit")
    limit = 20
    if raw_limit is not None:
        try:
            limit = int(raw_limit)
        except ValueError:
            raise _wrong_type("limit", "an integer", raw_limit) from None
        if limit < 1:
            raise _APIError(
                400,
                f"Invalid 'limit': integer below minimum value. Expected a value >= 1, but got "
                f"{limit} instead.",
                param="limit",
                code="integer_below_min_value",
            )
        if limit > 100:
            raise _APIError(
                400,
                f"Invalid 'limit': integer above maximum value. Expected a value <= 100, but got "
                f"{limit} instead.",
                param="limit",
                code="integer_above_max_value",
            )
    order = query.get("order", "desc")
    if order not in ("asc", "desc"):
        raise _invalid_value("order", order, ("asc", "desc"))
    return limit, order, query.get("after"), query.get("before")


# -- rendering ----------------------------------------------------------------------------------


def _tool_for(tool: Mapping[str, Any], version: str) -> dict[str, Any]:
    kind = tool.get("type")
    if version == "v1" and kind == "file_search":
        return {"type": "retrieval"}
    if version == "v2" and kind == "retrieval":
        return {"type": "file_search"}
    return dict(tool)


def _resources_file_ids(resources: Any) -> list[str]:
    if isinstance(resources, dict):
        code = resources.get("code_interpreter")
        if isinstance(code, dict) and isinstance(code.get("file_ids"), list):
            return list(code["file_ids"])
    return []


def _resources_for(record: Mapping[str, Any]) -> dict[str, Any]:
    resources = record.get("tool_resources")
    if resources is not None:
        return dict(resources)
    file_ids = record.get("file_ids") or []
    return {"code_interpreter": {"file_ids": list(file_ids)}} if file_ids else {}


def _render_assistant(record: Mapping[str, Any], version: str) -> dict[str, Any]:
    out = {k: v for k, v in record.items() if k not in ("file_ids", "tool_resources")}
    out["tools"] = [_tool_for(t, version) for t in record["tools"]]
    if version == "v1":
        out.pop("reasoning_effort", None)
        out["file_ids"] = list(
            record.get("file_ids") or _resources_file_ids(record["tool_resources"])
        )
    else:
        out["tool_resources"] = _resources_for(record)
    return out


def _render_thread(record: Mapping[str, Any], version: str) -> dict[str, Any]:
    out = {k: v for k, v in record.items() if k != "tool_resources"}
    if version == "v2":
        out["tool_resources"] = _resources_for(record)
    return out


def _render_message(record: Mapping[str, Any], version: str) -> dict[str, Any]:
    out = {k: v for k, v in record.items() if k not in ("file_ids", "attachments")}
    if version == "v1":
        file_ids = record.get("file_ids") or [
            a["file_id"]
            for a in record.get("attachments") or ()
            if isinstance(a, dict) and isinstance(a.get("file_id"), str)
        ]
        out["file_ids"] = list(file_ids)
    else:
        attachments = record.get("attachments")
        if attachments is None:
            attachments = [
                {"file_id": f, "tools": [{"type": "file_search"}]}
                for f in record.get("file_ids") or ()
            ]
        out["attachments"] = attachments
    return out


def _render_run(record: Mapping[str, Any], version: str) -> dict[str, Any]:
    out = {k: v for k, v in record.items() if k not in ("file_ids", "parallel_tool_calls")}
    out["tools"] = [_tool_for(t, version) for t in record["tools"]]
    if version == "v1":
        out.pop("reasoning_effort", None)
        out["file_ids"] = list(record.get("file_ids") or ())
    else:
        out["parallel_tool_calls"] = record["parallel_tool_calls"]
    return out


def _render_step(record: Mapping[str, Any], version: str) -> dict[str, Any]:
    return dict(record)


def _text_block(text: str) -> dict[str, Any]:
    return {"type": "text", "text": {"value": text, "annotations": []}}


def _content_blocks(content: Any) -> list[dict[str, Any]]:
    if isinstance(content, str):
        return [_text_block(content)]
    blocks = []
    for part in content:
        if part.get("type") == "text":
            blocks.append(_text_block(str(part.get("text", ""))))
        else:
            blocks.append(dict(part))
    return blocks


def _message_text(message: Mapping[str, Any]) -> str:
    return "".join(
        block["text"]["value"] for block in message["content"] if block.get("type") == "text"
    )


# -- the state ----------------------------------------------------------------------------------


@attrs.define
class _Run:
    """A run's record and where it stands in its pacing."""

    record: dict[str, Any]
    since: float
    views: int = 1
    outputs_submitted: bool = False
    tool_step: dict[str, Any] | None = None


class AssistantsState:
    """The assistants, threads, messages, runs and run steps of a fake server.

    Reached as ``fake.state.assistants``. ``configure()`` sets the pace of runs, ``replies``
    maps a last user message to the assistant's reply (the default echoes it), ``chunk_size``
    is the characters of a streamed message delta, and ``clock`` (``time.monotonic``) is what
    time pacing reads. Safe to use from any thread.
    """

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.RLock()
        self.clock = clock
        self.pacing = RunPacing()
        self.replies: dict[str, str] = {}
        self.chunk_size = 4  # characters of a streamed message delta
        self.versions: frozenset[str] = frozenset(_VERSIONS)
        self.assistants: dict[str, dict[str, Any]] = {}
        self.threads: dict[str, dict[str, Any]] = {}
        self.messages: dict[str, dict[str, dict[str, Any]]] = {}
        self.runs: dict[str, dict[str, _Run]] = {}
        self.steps: dict[str, dict[str, dict[str, Any]]] = {}

    def configure(
        self,
        *,
        versions: Iterable[str] | None = None,
        **pacing: Any,
    ) -> RunPacing:
        """Change the pace of runs (see :class:`RunPacing`) and the versions served.

        ``polls=1``: each status is shown once; ``polls=0``: runs settle at once; ``polls=None``
        with ``seconds``: by time. ``versions`` (default both) are the ``assistants=vN`` header
        values accepted. Returns the new pacing.
        """
        unknown = set(pacing) - {"polls", "seconds", "poll_after_ms"}
        if unknown:
            raise TypeError(f"unknown pacing options: {sorted(unknown)}")
        with self._lock:
            self.pacing = attrs.evolve(self.pacing, **pacing)
            if versions is not None:
                self.versions = frozenset(versions)
            return self.pacing

    def clear(self) -> None:
        """Forget every assistant, thread, message, run and step."""
        with self._lock:
            for table in (self.assistants, self.threads, self.messages, self.runs, self.steps):
                table.clear()

    # -- lookups ---------------------------------------------------------------------------

    def _assistant(self, assistant_id: str) -> dict[str, Any]:
        found = self.assistants.get(assistant_id)
        if found is None:
            raise _APIError(404, f"No assistant found with id '{assistant_id}'.")
        return found

    def _thread(self, thread_id: str) -> dict[str, Any]:
        found = self.threads.get(thread_id)
        if found is None:
            raise _APIError(404, f"No thread found with id '{thread_id}'.")
        self._refresh(thread_id)
        return found

    def _message(self, thread_id: str, message_id: str) -> dict[str, Any]:
        self._thread(thread_id)
        found = self.messages[thread_id].get(message_id)
        if found is None:
            raise _APIError(404, f"No message found with id '{message_id}'.")
        return found

    def _run(self, thread_id: str, run_id: str) -> _Run:
        self._thread(thread_id)
        found = self.runs[thread_id].get(run_id)
        if found is None:
            raise _APIError(404, f"No run found with id '{run_id}'.")
        return found

    def _active_run(self, thread_id: str) -> dict[str, Any] | None:
        for run in self.runs[thread_id].values():
            if run.record["status"] in _ACTIVE:
                return run.record
        return None

    # -- assistants ------------------------------------------------------------------------

    def create_assistant(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Store a new assistant from a checked create body."""
        record: dict[str, Any] = {
            "id": _new_id("asst_"),
            "object": "assistant",
            "created_at": int(time.time()),
            "name": body.get("name"),
            "description": body.get("description"),
            "model": body["model"],
            "instructions": body.get("instructions"),
            "tools": list(body.get("tools") or []),
            "metadata": body.get("metadata") or {},
            "top_p": 1.0 if body.get("top_p") is None else body["top_p"],
            "temperature": 1.0 if body.get("temperature") is None else body["temperature"],
            "response_format": body.get("response_format") or "auto",
            "tool_resources": body.get("tool_resources"),
            "file_ids": list(body.get("file_ids") or []),
        }
        if body.get("reasoning_effort") is not None:
            record["reasoning_effort"] = body["reasoning_effort"]
        with self._lock:
            self.assistants[record["id"]] = record
        return record

    def update_assistant(self, assistant_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Change the given fields of an assistant."""
        with self._lock:
            record = self._assistant(assistant_id)
            for key, value in body.items():
                if key == "tools":
                    value = list(value or [])
                elif key == "metadata":
                    value = value or {}
                record[key] = value
            return record

    # -- threads and messages --------------------------------------------------------------

    def create_thread(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Store a new thread, with its first messages, from a checked body."""
        record: dict[str, Any] = {
            "id": _new_id("thread_"),
            "object": "thread",
            "created_at": int(time.time()),
            "metadata": body.get("metadata") or {},
            "tool_resources": body.get("tool_resources"),
        }
        with self._lock:
            thread_id = record["id"]
            self.threads[thread_id] = record
            self.messages[thread_id] = {}
            self.runs[thread_id] = {}
            for message in body.get("messages") or ():
                self._add_message(thread_id, message)
        return record

    def _add_message(
        self,
        thread_id: str,
        body: Mapping[str, Any],
        *,
        run: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        now = int(time.time())
        record = {
            "id": _new_id("msg_"),
            "object": "thread.message",
            "created_at": now,
            "thread_id": thread_id,
            "status": "completed",
            "incomplete_details": None,
            "completed_at": now if run is not None else None,
            "incomplete_at": None,
            "role": body["role"],
            "content": _content_blocks(body["content"]),
            "assistant_id": None if run is None else run["assistant_id"],
            "run_id": None if run is None else run["id"],
            "attachments": body.get("attachments"),
            "file_ids": list(body.get("file_ids") or []),
            "metadata": body.get("metadata") or {},
        }
        self.messages[thread_id][record["id"]] = record
        return record

    def create_message(self, thread_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Add a message to a thread; 400 while a run of the thread is active."""
        with self._lock:
            self._thread(thread_id)
            active = self._active_run(thread_id)
            if active is not None:
                raise _APIError(
                    400,
                    f"Can't add messages to {thread_id} while a run {active['id']} is active.",
                )
            return self._add_message(thread_id, body)

    def delete_thread(self, thread_id: str) -> None:
        """Remove a thread with its messages, runs and steps."""
        with self._lock:
            self._thread(thread_id)
            del self.threads[thread_id]
            del self.messages[thread_id]
            for run_id in self.runs.pop(thread_id):
                self.steps.pop(run_id, None)

    # -- runs ------------------------------------------------------------------------------

    def create_run(self, thread_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Start a run on a thread from a checked body; 400 while another run is active."""
        with self._lock:
            self._thread(thread_id)
            assistant = self._assistant(body["assistant_id"])
            active = self._active_run(thread_id)
            if active is not None:
                raise _APIError(
                    400, f"Thread {thread_id} already has an active run {active['id']}."
                )
            for message in body.get("additional_messages") or ():
                self._add_message(thread_id, message)
            return self._start_run(thread_id, assistant, body)

    def create_thread_and_run(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Create a thread from ``body["thread"]`` and start a run on it."""
        with self._lock:
            assistant = self._assistant(body["assistant_id"])
            thread_body = dict(body.get("thread") or {})
            if body.get("tool_resources") is not None:
                thread_body.setdefault("tool_resources", body["tool_resources"])
            thread = self.create_thread(thread_body)
            return self._start_run(thread["id"], assistant, body)

    def _start_run(
        self, thread_id: str, assistant: Mapping[str, Any], body: Mapping[str, Any]
    ) -> dict[str, Any]:
        now = int(time.time())
        instructions = body.get("instructions")
        if instructions is None:
            instructions = assistant.get("instructions") or ""
        if body.get("additional_instructions"):
            instructions = f"{instructions}\n{body['additional_instructions']}".strip()

        def pick(key: str, default: Any) -> Any:
            value = body.get(key)
            if value is None:
                value = assistant.get(key)
            return default if value is None else value

        tools = body.get("tools")
        record: dict[str, Any] = {
            "id": _new_id("run_"),
            "object": "thread.run",
            "created_at": now,
            "assistant_id": assistant["id"],
            "thread_id": thread_id,
            "status": "queued",
            "started_at": None,
            "expires_at": now + _RUN_EXPIRES_AFTER,
            "cancelled_at": None,
            "failed_at": None,
            "completed_at": None,
            "required_action": None,
            "last_error": None,
            "model": body.get("model") or assistant["model"],
            "instructions": instructions,
            "tools": list(assistant["tools"] if tools is None else tools),
            "file_ids": list(assistant.get("file_ids") or []),
            "metadata": body.get("metadata") or {},
            "incomplete_details": None,
            "usage": None,
            "temperature": pick("temperature", 1.0),
            "top_p": pick("top_p", 1.0),
            "max_prompt_tokens": body.get("max_prompt_tokens"),
            "max_completion_tokens": body.get("max_completion_tokens"),
            "truncation_strategy": body.get("truncation_strategy")
            or {"type": "auto", "last_messages": None},
            "response_format": pick("response_format", "auto"),
            "tool_choice": body.get("tool_choice") or "auto",
            "parallel_tool_calls": body.get("parallel_tool_calls", True) is not False,
        }
        if body.get("reasoning_effort") is not None:
            record["reasoning_effort"] = body["reasoning_effort"]
        run = _Run(record=record, since=self.clock())
        self.runs[thread_id][record["id"]] = run
        self.steps[record["id"]] = {}
        self._settle_if_instant(run)
        return record

    def retrieve_run(self, thread_id: str, run_id: str) -> dict[str, Any]:
        """A run, as one more poll of it sees it (the pace counts retrieves)."""
        with self._lock:
            run = self._run(thread_id, run_id)
            polls = self.pacing.polls
            if polls is not None and run.record["status"] in _ADVANCING:
                if run.views >= polls:
                    self._advance(run)
                    run.views = 1
                else:
                    run.views += 1
            return run.record

    def get_run(self, thread_id: str, run_id: str) -> dict[str, Any]:
        """A run, without counting a poll."""
        with self._lock:
            return self._run(thread_id, run_id).record

    def cancel_run(self, thread_id: str, run_id: str) -> dict[str, Any]:
        """Ask a run to stop: ``cancelling``, later ``cancelled``; 400 once it finished."""
        with self._lock:
            run = self._run(thread_id, run_id)
            status = run.record["status"]
            if status not in ("queued", "in_progress", "requires_action"):
                raise _APIError(400, f"Cannot cancel run with status '{status}'.")
            run.record["status"] = "cancelling"
            run.views = 1
            run.since = self.clock()
            self._settle_if_instant(run)
            return run.record

    def submit_tool_outputs(
        self, thread_id: str, run_id: str, body: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Give a ``requires_action`` run its tool outputs; it is ``queued`` again."""
        with self._lock:
            run = self._run(thread_id, run_id)
            record = run.record
            if record["status"] != "requires_action" or run.tool_step is None:
                raise _APIError(
                    400, f'Runs in status "{record["status"]}" do not accept tool outputs.'
                )
            outputs = body["tool_outputs"]
            expected = [
                c["id"] for c in record["required_action"]["submit_tool_outputs"]["tool_calls"]
            ]
            given: dict[str, str] = {}
            for i, item in enumerate(outputs):
                if not isinstance(item, dict):
                    raise _wrong_type(f"tool_outputs[{i}]", "an object", item)
                _string(
                    item, "tool_call_id", param=f"tool_outputs[{i}].tool_call_id", required=True
                )
                _string(item, "output", param=f"tool_outputs[{i}].output")
                given[item["tool_call_id"]] = item.get("output") or ""
            if sorted(given) != sorted(expected):
                raise _APIError(
                    400,
                    f"Expected tool outputs for call_ids {expected}, got {sorted(given)}",
                    param="tool_outputs",
                )
            now = int(time.time())
            step = run.tool_step
            for call in step["step_details"]["tool_calls"]:
                call["function"]["output"] = given[call["id"]]
            arguments = "".join(
                c["function"]["arguments"] for c in step["step_details"]["tool_calls"]
            )
            step.update(
                status="completed",
                completed_at=now,
                usage=self._usage(thread_id, record, arguments),
            )
            record.update(status="queued", required_action=None)
            run.outputs_submitted = True
            run.views = 1
            run.since = self.clock()
            self._settle_if_instant(run)
            return record

    # -- pacing ----------------------------------------------------------------------------

    def _refresh(self, thread_id: str) -> None:
        """With time pacing, bring the thread's runs up to now."""
        seconds = self.pacing.seconds
        if self.pacing.polls is not None:
            return
        now = self.clock()
        for run in self.runs.get(thread_id, {}).values():
            while run.record["status"] in _ADVANCING and now - run.since >= seconds - 1e-9:
                run.since += seconds
                self._advance(run)

    def _settle_if_instant(self, run: _Run) -> None:
        if self.pacing.polls == 0:
            while run.record["status"] in _ADVANCING:
                self._advance(run)

    def _advance(self, run: _Run) -> None:
        """Move a run to its next status."""
        record = run.record
        status = record["status"]
        now = int(time.time())
        if status == "queued":
            record["status"] = "in_progress"
            if record["started_at"] is None:
                record["started_at"] = now
        elif status == "cancelling":
            record.update(
                status="cancelled", cancelled_at=now, expires_at=None, required_action=None
            )
            for step in self.steps[record["id"]].values():
                if step["status"] == "in_progress":
                    step.update(status="cancelled", cancelled_at=now)
        elif status == "in_progress":
            functions = [t for t in record["tools"] if t.get("type") == "function"]
            if functions and not run.outputs_submitted:
                self._require_action(run, functions)
            else:
                self._complete(run)

    def _require_action(self, run: _Run, functions: list[dict[str, Any]]) -> None:
        record = run.record
        if not record["parallel_tool_calls"]:
            functions = functions[:1]
        last_user = self._last_user_text(record["thread_id"])
        calls: list[dict[str, Any]] = []
        for f in functions:
            parameters = f["function"].get("parameters")
            arguments = fill(parameters, last_user) if parameters else {}
            calls.append(
                {
                    "id": _new_id("call_"),
                    "type": "function",
                    "function": {
                        "name": f["function"]["name"],
                        "arguments": json.dumps(arguments, separators=(",", ":")),
                    },
                }
            )
        record.update(
            status="requires_action",
            required_action={
                "type": "submit_tool_outputs",
                "submit_tool_outputs": {"tool_calls": calls},
            },
        )
        step_calls = [
            {"id": c["id"], "type": "function", "function": {**c["function"], "output": None}}
            for c in calls
        ]
        run.tool_step = self._add_step(
            record, {"type": "tool_calls", "tool_calls": step_calls}, status="in_progress"
        )

    def _last_user_text(self, thread_id: str) -> str:
        """The text of the thread's last user message ("" if there is none)."""
        messages = self.messages[thread_id].values()
        return next((_message_text(m) for m in reversed(messages) if m["role"] == "user"), "")

    def _complete(self, run: _Run) -> None:
        record = run.record
        thread_id = record["thread_id"]
        last_user = self._last_user_text(thread_id)
        reply = self.replies.get(last_user, last_user or _DEFAULT_REPLY)
        usage = self._usage(thread_id, record, reply)
        message = self._add_message(thread_id, {"role": "assistant", "content": reply}, run=record)
        now = int(time.time())
        self._add_step(
            record,
            {"type": "message_creation", "message_creation": {"message_id": message["id"]}},
            status="completed",
            completed_at=now,
            usage=usage,
        )
        total = dict(usage)
        if run.tool_step is not None and run.tool_step["usage"] is not None:
            for key in total:
                total[key] += run.tool_step["usage"][key]
        record.update(status="completed", completed_at=now, expires_at=None, usage=total)

    def _usage(self, thread_id: str, run: Mapping[str, Any], output: str) -> dict[str, int]:
        prompt = run["instructions"] + "".join(
            _message_text(m) for m in self.messages[thread_id].values()
        )
        prompt_tokens, completion_tokens = _tokens(prompt), _tokens(output)
        return {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        }

    def _add_step(
        self,
        run: Mapping[str, Any],
        details: dict[str, Any],
        *,
        status: str,
        completed_at: int | None = None,
        usage: dict[str, int] | None = None,
    ) -> dict[str, Any]:
        step = {
            "id": _new_id("step_"),
            "object": "thread.run.step",
            "created_at": int(time.time()),
            "run_id": run["id"],
            "assistant_id": run["assistant_id"],
            "thread_id": run["thread_id"],
            "type": details["type"],
            "status": status,
            "cancelled_at": None,
            "completed_at": completed_at,
            "expired_at": None,
            "failed_at": None,
            "last_error": None,
            "step_details": details,
            "usage": usage,
            "metadata": {},
        }
        self.steps[run["id"]][step["id"]] = step
        return step

    # -- lists -----------------------------------------------------------------------------

    def page(
        self,
        items: list[dict[str, Any]],
        query: Mapping[str, str],
        render: Callable[[dict[str, Any]], dict[str, Any]],
    ) -> dict[str, Any]:
        """One page of ``items`` (oldest first) as the query asks: limit, order, after, before."""
        limit, order, after, before = _list_query(query)
        seq = items if order == "asc" else items[::-1]
        ids = [item["id"] for item in seq]
        if after is not None:
            seq = seq[ids.index(after) + 1 :] if after in ids else []
            ids = [item["id"] for item in seq]
        if before is not None:
            seq = seq[: ids.index(before)] if before in ids else []
            data, has_more = seq[-limit:], len(seq) > limit
        else:
            data, has_more = seq[:limit], len(seq) > limit
        rendered = [render(item) for item in data]
        return {
            "object": "list",
            "data": rendered,
            "first_id": rendered[0]["id"] if rendered else None,
            "last_id": rendered[-1]["id"] if rendered else None,
            "has_more": has_more,
        }


# -- streamed runs ------------------------------------------------------------------------------


@attrs.frozen
class _EventStream:
    """A route's answer to send as server-sent events."""

    frames: list[bytes]


def _stream_run(
    state: AssistantsState,
    record: Mapping[str, Any],
    version: str,
    *,
    thread: Mapping[str, Any] | None = None,
    after_step: Mapping[str, Any] | None = None,
) -> _EventStream:
    """Carry a run through at once (call under the lock); its events, as OpenAI sends.

    A new run's events start with ``thread.run.created``; a run going on after its tool
    outputs (``after_step``: the tool step they completed) starts with that step's
    ``thread.run.step.completed`` and shows only the steps that came after it.
    """
    from aio_openai.testing._sse import frame

    run = state.runs[record["thread_id"]][record["id"]]
    while run.record["status"] in _ADVANCING:
        state._advance(run)
    final = run.record
    events: list[tuple[str, Any]] = []
    if thread is not None:
        events.append(("thread.created", _render_thread(thread, version)))
    queued = {
        **final,
        "status": "queued",
        "started_at": None,
        "completed_at": None,
        "required_action": None,
        "usage": None,
        "expires_at": final["created_at"] + _RUN_EXPIRES_AFTER,
    }
    steps = list(state.steps[final["id"]].values())
    if after_step is None:
        events.append(("thread.run.created", _render_run(queued, version)))
    else:
        events.append(("thread.run.step.completed", _render_step(after_step, version)))
        queued["started_at"] = final["started_at"]
        steps = steps[[s["id"] for s in steps].index(after_step["id"]) + 1 :]
    events.append(("thread.run.queued", _render_run(queued, version)))
    started = {**queued, "status": "in_progress", "started_at": final["started_at"]}
    events.append(("thread.run.in_progress", _render_run(started, version)))
    size = state.chunk_size
    for step in steps:
        early = {**step, "status": "in_progress", "completed_at": None, "usage": None}
        if step["type"] == "tool_calls":
            early["step_details"] = {"type": "tool_calls", "tool_calls": []}
        events.append(("thread.run.step.created", _render_step(early, version)))
        events.append(("thread.run.step.in_progress", _render_step(early, version)))
        if step["type"] == "message_creation":
            message_id = step["step_details"]["message_creation"]["message_id"]
            message = state.messages[final["thread_id"]][message_id]
            writing = {**message, "status": "in_progress", "content": [], "completed_at": None}
            events.append(("thread.message.created", _render_message(writing, version)))
            events.append(("thread.message.in_progress", _render_message(writing, version)))
            text = _message_text(message)
            for start in range(0, len(text), size):
                piece = {"value": text[start : start + size], "annotations": []}
                delta = {"content": [{"index": 0, "type": "text", "text": piece}]}
                events.append(
                    (
                        "thread.message.delta",
                        {"id": message_id, "object": "thread.message.delta", "delta": delta},
                    )
                )
            events.append(("thread.message.completed", _render_message(message, version)))
        else:
            calls = [
                {"index": k, **call} for k, call in enumerate(step["step_details"]["tool_calls"])
            ]
            step_delta = {"step_details": {"type": "tool_calls", "tool_calls": calls}}
            events.append(
                (
                    "thread.run.step.delta",
                    {"id": step["id"], "object": "thread.run.step.delta", "delta": step_delta},
                )
            )
        if step["status"] != "in_progress":
            events.append((f"thread.run.step.{step['status']}", _render_step(step, version)))
    events.append((f"thread.run.{final['status']}", _render_run(final, version)))
    frames = [frame(data, event=name) for name, data in events]
    frames.append(frame("[DONE]", event="done"))
    return _EventStream(frames)


# -- the routes ---------------------------------------------------------------------------------


def _dumps(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def add_assistants_routes(router: web.UrlDispatcher, state: AssistantsState) -> None:
    """Register the ``/v1/assistants`` and ``/v1/threads`` routes, serving ``state``."""
    from aio_openai.testing._routes import error_response
    from aio_openai.testing._sse import send_events

    def version_of(request: web.Request) -> str:
        header = request.headers.get("OpenAI-Beta")
        if header is None:
            raise _APIError(
                400,
                "You must provide the 'OpenAI-Beta' header to access the Assistants API. "
                "Please try again by setting the header 'OpenAI-Beta: assistants=v2'.",
            )
        for part in header.split(","):
            name, _, value = part.strip().partition("=")
            if name.strip() == "assistants":
                version = value.strip()
                if version in state.versions:
                    return version
                if version == "v1":
                    raise _APIError(
                        400,
                        "The v1 Assistants API has been deprecated. Please try again by setting "
                        "the header 'OpenAI-Beta: assistants=v2'.",
                        code="invalid_beta",
                    )
                supported = " or ".join(f"'assistants={v}'" for v in sorted(state.versions))
                raise _APIError(
                    400,
                    f"Invalid value for the 'OpenAI-Beta' header: '{header}'. Use {supported}.",
                    code="invalid_beta",
                )
        raise _APIError(
            400,
            "You must provide the 'OpenAI-Beta' header to access the Assistants API. "
            "Please try again by setting the header 'OpenAI-Beta: assistants=v2'.",
        )

    async def json_body(request: web.Request) -> dict[str, Any]:
        raw = await request.read()
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            raise _APIError(
                400,
                "We could not parse the JSON body of your request. (HINT: This likely means you "
                "aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, "
                "but what was sent was not valid JSON. If you have trouble figuring out how to "
                "fix this, please contact us through our help center at help.openai.com.)",
            ) from None
        if not isinstance(body, dict):
            raise _APIError(400, "The request body must be a JSON object.")
        return body

    def route(
        handler: Callable[[web.Request, str], Awaitable[Any]], *, run: bool = False
    ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def handle(request: web.Request) -> web.StreamResponse:
            try:
                version = version_of(request)
                result = await handler(request, version)
            except _APIError as exc:
                return error_response(exc.status, exc.message, param=exc.param, code=exc.code)
            if isinstance(result, _EventStream):
                return await send_events(request, result.frames, error_event="error")
            response = web.Response(body=_dumps(result), content_type="application/json")
            if run:
                response.headers[POLL_AFTER_HEADER] = str(state.pacing.poll_after_ms)
            return response

        return handle

    def ids(request: web.Request, *names: str) -> list[str]:
        return [request.match_info[name] for name in names]

    # assistants

    async def create_assistant(request: web.Request, version: str) -> Any:
        body = await json_body(request)
        _check_assistant(body, version, create=True)
        return _render_assistant(state.create_assistant(body), version)

    async def list_assistants(request: web.Request, version: str) -> Any:
        with state._lock:
            items = list(state.assistants.values())
            return state.page(items, request.query, lambda a: _render_assistant(a, version))

    async def get_assistant(request: web.Request, version: str) -> Any:
        (assistant_id,) = ids(request, "assistant_id")
        with state._lock:
            return _render_assistant(state._assistant(assistant_id), version)

    async def update_assistant(request: web.Request, version: str) -> Any:
        (assistant_id,) = ids(request, "assistant_id")
        body = await json_body(request)
        with state._lock:
            state._assistant(assistant_id)
            _check_assistant(body, version, create=False)
            return _render_assistant(state.update_assistant(assistant_id, body), version)

    async def delete_assistant(request: web.Request, version: str) -> Any:
        (assistant_id,) = ids(request, "assistant_id")
        with state._lock:
            state._assistant(assistant_id)
            del state.assistants[assistant_id]
        return {"id": assistant_id, "object": "assistant.deleted", "deleted": True}

    # threads

    async def create_thread(request: web.Request, version: str) -> Any:
        body = await json_body(request)
        _check_thread(body, version, create=True)
        return _render_thread(state.create_thread(body), version)

    async def get_thread(request: web.Request, version: str) -> Any:
        (thread_id,) = ids(request, "thread_id")
        with state._lock:
            return _render_thread(state._thread(thread_id), version)

    async def update_thread(request: web.Request, version: str) -> Any:
        (thread_id,) = ids(request, "thread_id")
        body = await json_body(request)
        with state._lock:
            record = state._thread(thread_id)
            _check_thread(body, version, create=False)
            if "metadata" in body:
                record["metadata"] = body["metadata"] or {}
            if "tool_resources" in body:
                record["tool_resources"] = body["tool_resources"]
            return _render_thread(record, version)

    async def delete_thread(request: web.Request, version: str) -> Any:
        (thread_id,) = ids(request, "thread_id")
        state.delete_thread(thread_id)
        return {"id": thread_id, "object": "thread.deleted", "deleted": True}

    # messages

    async def create_message(request: web.Request, version: str) -> Any:
        (thread_id,) = ids(request, "thread_id")
        body = await json_body(request)
        with state._lock:
            state._thread(thread_id)
            _check_message(body, version)
            return _render_message(state.create_message(thread_id, body), version)

    async def list_messages(request: web.Request, version: str) -> Any:
        (thread_id,) = ids(request, "thread_id")
        run_id = request.query.get("run_id")
        with state._lock:
            state._thread(thread_id)
            items = [
                m
                for m in state.messages[thread_id].values()
                if run_id is None or m["run_id"] == run_id
            ]
            return state.page(items, request.query, lambda m: _render_message(m, version))

    async def get_message(request: web.Request, version: str) -> Any:
        thread_id, message_id = ids(request, "thread_id", "message_id")
        with state._lock:
            return _render_message(state._message(thread_id, message_id), version)

    async def update_message(request: web.Request, version: str) -> Any:
        thread_id, message_id = ids(request, "thread_id", "message_id")
        body = await json_body(request)
        with state._lock:
            record = state._message(thread_id, message_id)
            _unrecognized(body, ("metadata",))
            _metadata(body)
            if "metadata" in body:
                record["metadata"] = body["metadata"] or {}
            return _render_message(record, version)

    async def delete_message(request: web.Request, version: str) -> Any:
        thread_id, message_id = ids(request, "thread_id", "message_id")
        if version == "v1":
            raise _APIError(404, f"Invalid URL (DELETE {request.rel_url.raw_path})")
        with state._lock:
            state._message(thread_id, message_id)
            del state.messages[thread_id][message_id]
        return {"id": message_id, "object": "thread.message.deleted", "deleted": True}

    # runs

    async def create_run(request: web.Request, version: str) -> Any:
        (thread_id,) = ids(request, "thread_id")
        body = await json_body(request)
        with state._lock:
            state._thread(thread_id)
            _check_run(body, version, with_thread=False)
            if body.get("stream"):
                return _stream_run(state, state.create_run(thread_id, body), version)
            return _render_run(state.create_run(thread_id, body), version)

    async def create_thread_and_run(request: web.Request, version: str) -> Any:
        body = await json_body(request)
        _check_run(body, version, with_thread=True)
        if body.get("stream"):
            with state._lock:
                record = state.create_thread_and_run(body)
                thread = state.threads[record["thread_id"]]
                return _stream_run(state, record, version, thread=thread)
        return _render_run(state.create_thread_and_run(body), version)

    async def list_runs(request: web.Request, version: str) -> Any:
        (thread_id,) = ids(request, "thread_id")
        with state._lock:
            state._thread(thread_id)
            items = [run.record for run in state.runs[thread_id].values()]
            return state.page(items, request.query, lambda r: _render_run(r, version))

    async def get_run(request: web.Request, version: str) -> Any:
        thread_id, run_id = ids(request, "thread_id", "run_id")
        return _render_run(state.retrieve_run(thread_id, run_id), version)

    async def update_run(request: web.Request, version: str) -> Any:
        thread_id, run_id = ids(request, "thread_id", "run_id")
        body = await json_body(request)
        with state._lock:
            record = state.get_run(thread_id, run_id)
            _unrecognized(body, ("metadata",))
            _metadata(body)
            if "metadata" in body:
                record["metadata"] = body["metadata"] or {}
            return _render_run(record, version)

    async def cancel_run(request: web.Request, version: str) -> Any:
        thread_id, run_id = ids(request, "thread_id", "run_id")
        return _render_run(state.cancel_run(thread_id, run_id), version)

    async def submit_tool_outputs(request: web.Request, version: str) -> Any:
        thread_id, run_id = ids(request, "thread_id", "run_id")
        body = await json_body(request)
        with state._lock:
            state.get_run(thread_id, run_id)
            _unrecognized(body, ("tool_outputs", "stream"))
            if body.get("tool_outputs") is None:
                raise _missing("tool_outputs")
            if not isinstance(body["tool_outputs"], list):
                raise _wrong_type("tool_outputs", "an array", body["tool_outputs"])
            _boolean(body, "stream")
            if not body.get("stream"):
                return _render_run(state.submit_tool_outputs(thread_id, run_id, body), version)
            step = state._run(thread_id, run_id).tool_step
            record = state.submit_tool_outputs(thread_id, run_id, body)
            assert step is not None  # submit_tool_outputs refused a run without one
            return _stream_run(state, record, version, after_step=step)

    # steps

    async def list_steps(request: web.Request, version: str) -> Any:
        thread_id, run_id = ids(request, "thread_id", "run_id")
        with state._lock:
            state.get_run(thread_id, run_id)
            items = list(state.steps[run_id].values())
            return state.page(items, request.query, lambda s: _render_step(s, version))

    async def get_step(request: web.Request, version: str) -> Any:
        thread_id, run_id, step_id = ids(request, "thread_id", "run_id", "step_id")
        with state._lock:
            state.get_run(thread_id, run_id)
            step = state.steps[run_id].get(step_id)
            if step is None:
                raise _APIError(404, f"No run step found with id '{step_id}'.")
            return _render_step(step, version)

    thread = "/v1/threads/{thread_id}"
    run_path = thread + "/runs/{run_id}"
    router.add_post("/v1/assistants", route(create_assistant))
    router.add_get("/v1/assistants", route(list_assistants), allow_head=False)
    router.add_get("/v1/assistants/{assistant_id}", route(get_assistant), allow_head=False)
    router.add_post("/v1/assistants/{assistant_id}", route(update_assistant))
    router.add_delete("/v1/assistants/{assistant_id}", route(delete_assistant))
    router.add_post("/v1/threads", route(create_thread))
    router.add_post("/v1/threads/runs", route(create_thread_and_run, run=True))
    router.add_get(thread, route(get_thread), allow_head=False)
    router.add_post(thread, route(update_thread))
    router.add_delete(thread, route(delete_thread))
    router.add_post(thread + "/messages", route(create_message))
    router.add_get(thread + "/messages", route(list_messages), allow_head=False)
    router.add_get(thread + "/messages/{message_id}", route(get_message), allow_head=False)
    router.add_post(thread + "/messages/{message_id}", route(update_message))
    router.add_delete(thread + "/messages/{message_id}", route(delete_message))
    router.add_post(thread + "/runs", route(create_run, run=True))
    router.add_get(thread + "/runs", route(list_runs), allow_head=False)
    router.add_get(run_path, route(get_run, run=True), allow_head=False)
    router.add_post(run_path, route(update_run, run=True))
    router.add_post(run_path + "/cancel", route(cancel_run, run=True))
    router.add_post(run_path + "/submit_tool_outputs", route(submit_tool_outputs, run=True))
    router.add_get(run_path + "/steps", route(list_steps), allow_head=False)
    router.add_get(run_path + "/steps/{step_id}", route(get_step), allow_head=False)
