"""The Responses and Conversations APIs of the fake server.

Everything lives in memory in a :class:`ResponsesState` (``fake.state.responses``), with ids in
OpenAI's forms (``resp_``, ``conv_``, ``msg_``, ``fc_``, ``fco_``, ``call_``). Requests are
checked as OpenAI checks them: unknown arguments, missing ``model``/``input`` and wrong types
are 400s naming the ``param``; unknown ids are 404s.

The model is deterministic. Its context is the new ``input`` after the history it continues:
the stored response named by ``previous_response_id`` (that response's input and output), or
the items of the ``conversation``. Then:

- after ``function_call_output`` input items, it answers in text with their outputs;
- else, with function ``tools`` (and ``tool_choice`` not ``"none"``), it calls them: the named
  one, else every function (the first only with ``parallel_tool_calls=False``), with arguments
  made from each function's JSON schema and the last user text (see :mod:`._arguments`) and
  ``call_id`` derived from them;
- else its reply is scripted (``replies[last user text]``) or an echo of the last user text.

``max_output_tokens`` cuts a reply short (``incomplete``, reason ``max_output_tokens``).
``usage`` counts the context and the output at characters / 4. A response with a
``conversation`` appends its input and output items to the conversation when it completes.

``store`` (default true) keeps a response for ``retrieve``, ``input_items``, ``cancel`` and
``previous_response_id``; an unstored one is 404 afterwards. ``background=True`` (which needs
``store``) answers ``queued``; each retrieve shows a passing status (``queued``,
``in_progress``) ``polls`` times (``configure(polls=N)``, 1 by default; 0 settles at once)
before it moves on to ``completed``. Only background responses can be cancelled (400
otherwise, and once they finished). Retrieve answers carry ``openai-poll-after-ms``
(``poll_after_ms``, 0 by default; None leaves the header out).

``stream=True`` answers with the events OpenAI sends, each with its ``sequence_number``:
``response.created``, (``response.queued``,) ``response.in_progress``, then per output item
``response.output_item.added``, for a message ``response.content_part.added``,
``response.output_text.delta`` (``chunk_size`` characters each), ``response.output_text.done``,
``response.content_part.done``; for a function call ``response.function_call_arguments.delta``
and ``.done``; ``response.output_item.done``; and ``response.completed`` (or
``response.incomplete``). A background response can be streamed again with
``GET /v1/responses/{id}?stream=true`` (``starting_after=N`` leaves out the events up to
number N); the stream settles it. A cancelled one is refused (400): the spec has no event to
end its stream with.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, Final

import attrs
from aiohttp import web

from aio_openai._types import NOT_GIVEN, NotGiven
from aio_openai.testing._arguments import fill
from aio_openai.testing._assistants import (
    _APIError,
    _boolean,
    _integer,
    _list_query,
    _metadata,
    _missing,
    _number,
    _string,
    _wrong_type,
)
from aio_openai.testing._chat import _call_id

__all__ = ["POLL_AFTER_HEADER", "ResponsesState", "add_responses_routes"]

#: The header telling pollers how long to wait before the next look, in milliseconds.
POLL_AFTER_HEADER: Final = "openai-poll-after-ms"

_DEFAULT_REPLY: Final = "How can I help you today?"
_PASSING: Final = frozenset({"queued", "in_progress"})
_MAX_ITEMS: Final = 20
_CREATE_KEYS: Final = frozenset(
    {
        "model", "input", "instructions", "tools", "tool_choice", "previous_response_id",
        "conversation", "store", "background", "max_output_tokens", "max_tool_calls",
        "metadata", "parallel_tool_calls", "include", "prompt", "prompt_cache_key",
        "prompt_cache_retention", "reasoning", "safety_identifier", "service_tier", "stream",
        "stream_options", "temperature", "text", "top_logprobs", "top_p", "truncation", "user",
        "context_management", "moderation", "prompt_cache_options",
    }
)  # fmt: skip
_ITEM_PREFIXES: Final = {
    "message": "msg_",
    "function_call": "fc_",
    "function_call_output": "fco_",
    "reasoning": "rs_",
}


_Handler = Callable[[web.Request], Awaitable[Any]]


def _new_id(prefix: str) -> str:
    return prefix + secrets.token_hex(24)


def _tokens(text: str) -> int:
    return max(1, (len(text) + 3) // 4)


def _dumps(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def _not_found(what: str, ident: str, param: str | None = None) -> _APIError:
    return _APIError(404, f"{what} with id '{ident}' not found.", param=param)


# -- items --------------------------------------------------------------------------------------


def _part_text(part: Any) -> str:
    if isinstance(part, str):
        return part
    if isinstance(part, Mapping):
        for key in ("text", "refusal"):
            value = part.get(key)
            if isinstance(value, str):
                return value
    return ""


def item_text(item: Mapping[str, Any]) -> str:
    """The text an item carries (a message's parts, a call's arguments, an output)."""
    kind = item.get("type")
    if kind == "function_call":
        return str(item.get("name", "")) + str(item.get("arguments", ""))
    if kind == "function_call_output":
        output = item.get("output")
        return output if isinstance(output, str) else "".join(map(_part_text, output or ()))
    content = item.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(_part_text(p) for p in content)
    return ""


def _message_item(role: str, content: Any) -> dict[str, Any]:
    """A stored message: a string content becomes one ``input_text`` (or ``output_text``)."""
    if isinstance(content, str):
        kind = "output_text" if role == "assistant" else "input_text"
        part: dict[str, Any] = {"type": kind, "text": content}
        if kind == "output_text":
            part.update(annotations=[], logprobs=[])
        content = [part]
    return {
        "id": _new_id("msg_"),
        "type": "message",
        "status": "completed",
        "role": role,
        "content": list(content),
    }


def _stored_item(item: Mapping[str, Any]) -> dict[str, Any]:
    """An input item as it is stored: with an id and a status."""
    kind = item.get("type")
    if kind in (None, "message") and "role" in item:
        stored = _message_item(item["role"], item.get("content", ""))
        if item.get("id"):
            stored["id"] = item["id"]
        return stored
    stored = dict(item)
    stored.setdefault("id", _new_id(_ITEM_PREFIXES.get(str(kind), "item_")))
    if kind in ("function_call", "function_call_output"):
        stored.setdefault("status", "completed")
    return stored


def _check_item(item: Any, where: str) -> None:
    if not isinstance(item, dict):
        raise _wrong_type(where, "an object", item)
    kind = item.get("type")
    if kind is None or kind == "message":
        if "role" not in item:
            raise _missing(f"{where}.role")
        if item["role"] not in ("user", "assistant", "system", "developer"):
            raise _APIError(
                400,
                f"Invalid value: '{item['role']}'. Supported values are: 'user', 'assistant', "
                "'system', and 'developer'.",
                param=f"{where}.role",
                code="invalid_value",
            )
        if "content" not in item:
            raise _missing(f"{where}.content")
        if not isinstance(item["content"], str | list):
            raise _wrong_type(f"{where}.content", "a string or an array", item["content"])
    elif kind == "function_call_output":
        _string(item, "call_id", param=f"{where}.call_id", required=True, nullable=False)
        if "output" not in item:
            raise _missing(f"{where}.output")
    elif kind == "function_call":
        for key in ("call_id", "name", "arguments"):
            _string(item, key, param=f"{where}.{key}", required=True, nullable=False)
    elif not isinstance(kind, str):
        raise _wrong_type(f"{where}.type", "a string", kind)


def _check_items(items: Any, param: str) -> list[dict[str, Any]]:
    if not isinstance(items, list):
        raise _wrong_type(param, "an array", items)
    if len(items) > _MAX_ITEMS:
        raise _APIError(
            400,
            f"Invalid '{param}': array too long. Expected an array with maximum length "
            f"{_MAX_ITEMS}, but got an array with length {len(items)} instead.",
            param=param,
            code="array_above_max_length",
        )
    for i, item in enumerate(items):
        _check_item(item, f"{param}[{i}]")
    return items


# -- request checks -----------------------------------------------------------------------------


def _check_create(body: Mapping[str, Any]) -> None:
    for key in body:
        if key not in _CREATE_KEYS:
            raise _APIError(
                400, f"Unknown parameter: '{key}'.", param=key, code="unknown_parameter"
            )
    _string(body, "model", required=True, nullable=False)
    has_history = body.get("conversation") is not None
    if body.get("input") is None:
        if not has_history:
            raise _missing("input")
    elif isinstance(body["input"], list):
        for i, item in enumerate(body["input"]):
            _check_item(item, f"input[{i}]")
    elif not isinstance(body["input"], str):
        raise _wrong_type("input", "a string or an array", body["input"])
    for key in ("instructions", "previous_response_id"):
        _string(body, key)
    for key in ("store", "background", "stream", "parallel_tool_calls"):
        _boolean(body, key)
    _integer(body, "max_output_tokens", 16)
    _number(body, "temperature", 0, 2)
    _number(body, "top_p", 0, 1)
    _metadata(body)
    conversation = body.get("conversation")
    if conversation is not None:
        if isinstance(conversation, dict):
            _string(conversation, "id", param="conversation.id", required=True, nullable=False)
        elif not isinstance(conversation, str):
            raise _wrong_type("conversation", "a string or an object", conversation)
        if body.get("previous_response_id") is not None:
            raise _APIError(
                400,
                "Mutually exclusive parameters: Ensure you are only providing one of: "
                "'previous_response_id' or 'conversation'.",
                param="conversation",
                code="mutually_exclusive_parameters",
            )
    if body.get("background") and body.get("store") is False:
        raise _APIError(400, "Background mode requires store=true.", param="background")
    tools = body.get("tools")
    if tools is not None:
        if not isinstance(tools, list):
            raise _wrong_type("tools", "an array", tools)
        for i, tool in enumerate(tools):
            if not isinstance(tool, dict):
                raise _wrong_type(f"tools[{i}]", "an object", tool)
            if not isinstance(tool.get("type"), str):
                raise _missing(f"tools[{i}].type")
            if tool["type"] == "function":
                _string(tool, "name", param=f"tools[{i}].name", required=True, nullable=False)


def _conversation_id(body: Mapping[str, Any]) -> str | None:
    conversation = body.get("conversation")
    if isinstance(conversation, dict):
        return str(conversation["id"])
    return conversation if isinstance(conversation, str) else None


def _render_tool(tool: Mapping[str, Any]) -> dict[str, Any]:
    if tool.get("type") != "function":
        return dict(tool)
    return {
        "type": "function",
        "name": tool["name"],
        "description": tool.get("description"),
        "parameters": tool.get("parameters"),
        "strict": True if tool.get("strict") is None else tool["strict"],
    }


def _unfinished(final: Mapping[str, Any], status: str) -> dict[str, Any]:
    """A response as it is before it is done: no output, no usage yet."""
    record = {**final, "status": status, "completed_at": None, "incomplete_details": None}
    record["output"] = []
    record.pop("usage", None)
    return record


# -- state --------------------------------------------------------------------------------------


@attrs.define
class _Stored:
    """A response's record, what it will be once done, and where it stands in its pacing."""

    record: dict[str, Any]
    final: dict[str, Any]
    inputs: list[dict[str, Any]]
    history: list[dict[str, Any]]
    conversation: str | None
    views: int = 1


class ResponsesState:
    """The responses, conversations and conversation items of a fake server.

    Reached as ``fake.state.responses``. ``replies`` maps a last user text to the model's
    reply (the default echoes it); ``configure()`` sets the pace of background responses, the
    ``openai-poll-after-ms`` header and the characters of a streamed delta. Safe to use from
    any thread.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.replies: dict[str, str] = {}
        self.polls = 1
        self.poll_after_ms: int | None = 0
        self.chunk_size = 4
        self.responses: dict[str, _Stored] = {}
        self.conversations: dict[str, dict[str, Any]] = {}
        self.items: dict[str, dict[str, dict[str, Any]]] = {}

    def configure(
        self,
        *,
        polls: int | None = None,
        poll_after_ms: int | NotGiven | None = NOT_GIVEN,
        chunk_size: int | None = None,
    ) -> None:
        """Set the retrieves each passing status of a background response lasts (0: settle at
        once), the ``openai-poll-after-ms`` header (None: none), the streamed delta size."""
        if polls is not None and (not isinstance(polls, int) or polls < 0):
            raise ValueError(f"polls must be an int >= 0, got {polls!r}")
        if chunk_size is not None and (not isinstance(chunk_size, int) or chunk_size < 1):
            raise ValueError(f"chunk_size must be an int >= 1, got {chunk_size!r}")
        if (
            not isinstance(poll_after_ms, NotGiven)
            and poll_after_ms is not None
            and (not isinstance(poll_after_ms, int) or poll_after_ms < 0)
        ):
            raise ValueError(f"poll_after_ms must be an int >= 0 or None, got {poll_after_ms!r}")
        with self._lock:
            if polls is not None:
                self.polls = polls
            if chunk_size is not None:
                self.chunk_size = chunk_size
            if not isinstance(poll_after_ms, NotGiven):
                self.poll_after_ms = poll_after_ms

    def clear(self) -> None:
        """Forget every response, conversation and item."""
        with self._lock:
            self.responses.clear()
            self.conversations.clear()
            self.items.clear()

    # -- lookups ---------------------------------------------------------------------------

    def _stored(self, response_id: str) -> _Stored:
        found = self.responses.get(response_id)
        if found is None:
            raise _not_found("Response", response_id)
        return found

    def _conversation(self, conversation_id: str, param: str | None = None) -> dict[str, Any]:
        found = self.conversations.get(conversation_id)
        if found is None:
            raise _not_found("Conversation", conversation_id, param)
        return found

    def _item(self, conversation_id: str, item_id: str) -> dict[str, Any]:
        self._conversation(conversation_id)
        found = self.items[conversation_id].get(item_id)
        if found is None:
            raise _not_found("Item", item_id)
        return found

    # -- the model -------------------------------------------------------------------------

    def _output(
        self, body: Mapping[str, Any], context: list[dict[str, Any]], new: list[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], str | None]:
        """The output items for a context, and the incomplete reason if cut short."""
        last_user = next(
            (
                item_text(i)
                for i in reversed(context)
                if i.get("type") == "message" and i.get("role") == "user"
            ),
            "",
        )
        outputs = [i for i in new if i.get("type") == "function_call_output"]
        tools = [t for t in body.get("tools") or () if t.get("type") == "function"]
        choice = body.get("tool_choice")
        if outputs:
            reply = " ".join(item_text(i) for i in outputs)
        elif tools and choice != "none":
            if isinstance(choice, dict) and choice.get("type") == "function":
                tools = [t for t in tools if t["name"] == choice.get("name")] or tools[:1]
            elif body.get("parallel_tool_calls") is False:
                tools = tools[:1]
            calls = []
            for index, tool in enumerate(tools):
                parameters = tool.get("parameters")
                arguments = json.dumps(
                    fill(parameters, last_user) if parameters else {},
                    separators=(",", ":"),
                    ensure_ascii=False,
                )
                call_id = _call_id(tool["name"], arguments, index)
                calls.append(
                    {
                        "id": _new_id("fc_"),
                        "type": "function_call",
                        "status": "completed",
                        "call_id": call_id,
                        "name": tool["name"],
                        "arguments": arguments,
                    }
                )
            return calls, None
        else:
            reply = self.replies.get(last_user, last_user or _DEFAULT_REPLY)
        reason = None
        limit = body.get("max_output_tokens")
        if limit is not None and _tokens(reply) > limit:
            reply, reason = reply[: limit * 4], "max_output_tokens"
        message = _message_item("assistant", reply)
        if reason is not None:
            message["status"] = "incomplete"
        return [message], reason

    # -- responses -------------------------------------------------------------------------

    def create_response(self, body: Mapping[str, Any]) -> _Stored:
        """Make a response from a checked body; store it unless ``store`` is false."""
        with self._lock:
            history: list[dict[str, Any]] = []
            previous_id = body.get("previous_response_id")
            if previous_id is not None:
                previous = self.responses.get(previous_id)
                if previous is None:
                    raise _APIError(
                        404,
                        f"Previous response with id '{previous_id}' not found.",
                        param="previous_response_id",
                    )
                history = [*previous.history, *previous.final["output"]]
            conversation_id = _conversation_id(body)
            if conversation_id is not None:
                self._conversation(conversation_id, "conversation")
                history = list(self.items[conversation_id].values())
            raw = body.get("input")
            if raw is None:
                raw = []
            elif isinstance(raw, str):
                raw = [{"role": "user", "content": raw}]
            new = [_stored_item(item) for item in raw]
            seen = {i["id"] for i in history}
            for item in new:
                if item["id"] in seen:
                    raise _APIError(
                        400, f"Duplicate item found with id {item['id']}.", param="input"
                    )
                seen.add(item["id"])
            context = [*history, *new]
            output, reason = self._output(body, context, new)
            instructions = body.get("instructions")
            input_tokens = _tokens((instructions or "") + "".join(item_text(i) for i in context))
            output_tokens = _tokens("".join(item_text(i) for i in output))
            now = int(time.time())
            background = bool(body.get("background"))
            final: dict[str, Any] = {
                "id": _new_id("resp_"),
                "object": "response",
                "created_at": now,
                "status": "incomplete" if reason else "completed",
                "background": background,
                "completed_at": None if reason else now,
                "conversation": None if conversation_id is None else {"id": conversation_id},
                "error": None,
                "incomplete_details": None if reason is None else {"reason": reason},
                "instructions": instructions,
                "max_output_tokens": body.get("max_output_tokens"),
                "max_tool_calls": body.get("max_tool_calls"),
                "metadata": body.get("metadata") or {},
                "model": body["model"],
                "output": output,
                "parallel_tool_calls": body.get("parallel_tool_calls") is not False,
                "previous_response_id": previous_id,
                "reasoning": {"effort": None, "summary": None},
                "service_tier": "default",
                "store": body.get("store") is not False,
                "temperature": 1.0 if body.get("temperature") is None else body["temperature"],
                "text": body.get("text") or {"format": {"type": "text"}},
                "tool_choice": body.get("tool_choice") or "auto",
                "tools": [_render_tool(t) for t in body.get("tools") or ()],
                "top_p": 1.0 if body.get("top_p") is None else body["top_p"],
                "truncation": body.get("truncation") or "disabled",
                "usage": {
                    "input_tokens": input_tokens,
                    "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
                    "output_tokens": output_tokens,
                    "output_tokens_details": {"reasoning_tokens": 0},
                    "total_tokens": input_tokens + output_tokens,
                },
            }
            if body.get("user") is not None:
                final["user"] = body["user"]
            stored = _Stored(
                record=final,
                final=final,
                inputs=[*(history if conversation_id is None else []), *new],
                history=context,
                conversation=conversation_id,
            )
            if background and self.polls > 0 and not body.get("stream"):
                stored.record = _unfinished(final, "queued")
            else:
                self._finish(stored)
            if final["store"]:
                self.responses[final["id"]] = stored
            return stored

    def _finish(self, stored: _Stored) -> None:
        """Show the final record; append the turn to its conversation."""
        stored.record = stored.final
        if stored.conversation is not None and stored.conversation in self.items:
            items = self.items[stored.conversation]
            for item in (*stored.inputs, *stored.final["output"]):
                items[item["id"]] = item

    def retrieve_response(self, response_id: str) -> dict[str, Any]:
        """A response, as one more poll of it sees it (the pace counts retrieves)."""
        with self._lock:
            stored = self._stored(response_id)
            if stored.record["status"] in _PASSING:
                if stored.views >= self.polls:
                    stored.views = 1
                    if stored.record["status"] == "queued":
                        stored.record = {**stored.record, "status": "in_progress"}
                    else:
                        self._finish(stored)
                else:
                    stored.views += 1
            return stored.record

    def cancel_response(self, response_id: str) -> dict[str, Any]:
        """Cancel a background response; 400 for others and for finished ones."""
        with self._lock:
            stored = self._stored(response_id)
            record = stored.record
            if not record["background"]:
                raise _APIError(
                    400, "Only responses created with background=true can be cancelled."
                )
            if record["status"] == "cancelled":
                return record
            if record["status"] not in _PASSING:
                raise _APIError(400, f"Cannot cancel a response with status '{record['status']}'.")
            stored.record = {**record, "status": "cancelled"}
            return stored.record

    def delete_response(self, response_id: str) -> None:
        """Forget a stored response."""
        with self._lock:
            self._stored(response_id)
            del self.responses[response_id]

    def input_items(self, response_id: str) -> list[dict[str, Any]]:
        """The input items of a stored response (what it was given, with what it inherited)."""
        with self._lock:
            return list(self._stored(response_id).inputs)

    # -- conversations ---------------------------------------------------------------------

    def create_conversation(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """A new conversation, with its first items, from a checked body."""
        record: dict[str, Any] = {
            "id": _new_id("conv_"),
            "object": "conversation",
            "created_at": int(time.time()),
            "metadata": body.get("metadata") or {},
        }
        with self._lock:
            self.conversations[record["id"]] = record
            self.items[record["id"]] = {}
            self.add_items(record["id"], body.get("items") or ())
        return record

    def add_items(self, conversation_id: str, items: Iterable[Mapping[str, Any]]) -> list[Any]:
        """Append checked input items to a conversation; return them as stored."""
        with self._lock:
            self._conversation(conversation_id)
            table = self.items[conversation_id]
            added = [_stored_item(item) for item in items]
            for item in added:
                table[item["id"]] = item
            return added

    def delete_conversation(self, conversation_id: str) -> None:
        """Forget a conversation and its items."""
        with self._lock:
            self._conversation(conversation_id)
            del self.conversations[conversation_id]
            del self.items[conversation_id]

    # -- lists -----------------------------------------------------------------------------

    def page(self, items: list[dict[str, Any]], query: Mapping[str, str]) -> dict[str, Any]:
        """One page of ``items`` (oldest first) as the query asks: limit, order, after."""
        limit, order, after, _ = _list_query(query)
        seq = items if order == "asc" else items[::-1]
        if after is not None:
            ids = [item["id"] for item in seq]
            seq = seq[ids.index(after) + 1 :] if after in ids else []
        data = seq[:limit]
        return {
            "object": "list",
            "data": data,
            "first_id": data[0]["id"] if data else None,
            "last_id": data[-1]["id"] if data else None,
            "has_more": len(seq) > limit,
        }


# -- streaming ------------------------------------------------------------------------------------


def stream_events(state: ResponsesState, stored: _Stored) -> list[dict[str, Any]]:
    """The events of a streamed response (settled at once), as OpenAI sends them."""
    final = stored.final
    size = state.chunk_size
    events: list[dict[str, Any]] = []

    def emit(kind: str, **data: Any) -> None:
        events.append({"type": kind, "sequence_number": len(events), **data})

    early = _unfinished(final, "in_progress")
    emit("response.created", response={**early, "status": "queued"} if final["background"]
         else early)  # fmt: skip
    if final["background"]:
        emit("response.queued", response={**early, "status": "queued"})
    emit("response.in_progress", response=early)
    for index, item in enumerate(final["output"]):
        where = {"item_id": item["id"], "output_index": index}
        if item["type"] == "message":
            emit(
                "response.output_item.added",
                output_index=index,
                item={**item, "status": "in_progress", "content": []},
            )
            for k, part in enumerate(item["content"]):
                text = part.get("text", "")
                emit(
                    "response.content_part.added",
                    **where,
                    content_index=k,
                    part={**part, "text": ""},
                )
                for start in range(0, len(text), size):
                    emit(
                        "response.output_text.delta",
                        **where,
                        content_index=k,
                        delta=text[start : start + size],
                        logprobs=[],
                    )
                emit("response.output_text.done", **where, content_index=k, text=text, logprobs=[])
                emit("response.content_part.done", **where, content_index=k, part=part)
        else:
            arguments = item["arguments"]
            emit(
                "response.output_item.added",
                output_index=index,
                item={**item, "status": "in_progress", "arguments": ""},
            )
            for start in range(0, len(arguments), size):
                emit(
                    "response.function_call_arguments.delta",
                    **where,
                    delta=arguments[start : start + size],
                )
            emit(
                "response.function_call_arguments.done",
                **where,
                name=item["name"],
                arguments=arguments,
            )
        emit("response.output_item.done", output_index=index, item=item)
    emit(f"response.{final['status']}", response=final)
    return events


# -- the routes ---------------------------------------------------------------------------------


async def _json_body(request: web.Request) -> dict[str, Any]:
    raw = await request.read()
    try:
        body = json.loads(raw) if raw else {}
    except ValueError:
        raise _APIError(
            400,
            "We could not parse the JSON body of your request. (HINT: This likely means you "
            "aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, "
            "but what was sent was not valid JSON.)",
        ) from None
    if not isinstance(body, dict):
        raise _APIError(400, "The request body must be a JSON object.")
    return body


def add_responses_routes(router: web.UrlDispatcher, state: ResponsesState) -> None:
    """Register the ``/v1/responses`` and ``/v1/conversations`` routes, serving ``state``."""
    from aio_openai.testing._routes import error_response
    from aio_openai.testing._sse import frame, send_events

    def route(handler: _Handler, *, poll: bool = False) -> _Handler:
        async def handle(request: web.Request) -> web.StreamResponse:
            try:
                result = await handler(request)
            except _APIError as exc:
                return error_response(exc.status, exc.message, param=exc.param, code=exc.code)
            if isinstance(result, web.StreamResponse):
                return result
            response = web.Response(body=_dumps(result), content_type="application/json")
            if poll and state.poll_after_ms is not None:
                response.headers[POLL_AFTER_HEADER] = str(state.poll_after_ms)
            return response

        return handle

    async def send_stream(request: web.Request, events: list[dict[str, Any]]) -> Any:
        """Answer with ``events`` as server-sent events named by their type."""
        frames = [frame(e, event=e["type"]) for e in events]
        return await send_events(request, frames, error_event="error")

    def match(request: web.Request, name: str) -> str:
        return request.match_info[name]

    # responses

    async def create_response(request: web.Request) -> Any:
        body = await _json_body(request)
        _check_create(body)
        stored = state.create_response(body)
        if not body.get("stream"):
            return stored.record
        with state._lock:
            events = stream_events(state, stored)
        return await send_stream(request, events)

    async def get_response(request: web.Request) -> Any:
        response_id = match(request, "response_id")
        if request.query.get("stream") not in ("true", "1"):
            return state.retrieve_response(response_id)
        after = request.query.get("starting_after")
        try:
            start = -1 if after is None else int(after)
        except ValueError:
            raise _APIError(
                400, "Invalid 'starting_after': expected an integer.", param="starting_after"
            ) from None
        with state._lock:
            stored = state._stored(response_id)
            if not stored.record["background"]:
                raise _APIError(
                    400,
                    "Only responses created with background=true can be streamed when retrieved.",
                    param="stream",
                )
            if stored.record["status"] == "cancelled":  # the spec has no event to end it with
                raise _APIError(
                    400, "This response was cancelled; retrieve it without stream.", param="stream"
                )
            if stored.record["status"] in _PASSING:
                state._finish(stored)  # the stream runs to the end, as the response does
            events = [e for e in stream_events(state, stored) if e["sequence_number"] > start]
        return await send_stream(request, events)

    async def delete_response(request: web.Request) -> Any:
        response_id = match(request, "response_id")
        state.delete_response(response_id)
        return {"id": response_id, "object": "response", "deleted": True}

    async def cancel_response(request: web.Request) -> Any:
        return state.cancel_response(match(request, "response_id"))

    async def list_input_items(request: web.Request) -> Any:
        items = state.input_items(match(request, "response_id"))
        return state.page(items, request.query)

    # conversations

    async def create_conversation(request: web.Request) -> Any:
        body = await _json_body(request)
        for key in body:
            if key not in ("items", "metadata"):
                raise _APIError(400, f"Unknown parameter: '{key}'.", param=key)
        if body.get("items") is not None:
            _check_items(body["items"], "items")
        _metadata(body)
        return state.create_conversation(body)

    async def get_conversation(request: web.Request) -> Any:
        with state._lock:
            return state._conversation(match(request, "conversation_id"))

    async def update_conversation(request: web.Request) -> Any:
        conversation_id = match(request, "conversation_id")
        body = await _json_body(request)
        with state._lock:
            record = state._conversation(conversation_id)
            for key in body:
                if key != "metadata":
                    raise _APIError(400, f"Unknown parameter: '{key}'.", param=key)
            if "metadata" not in body:
                raise _missing("metadata")
            _metadata(body)
            record["metadata"] = body["metadata"] or {}
            return record

    async def delete_conversation(request: web.Request) -> Any:
        conversation_id = match(request, "conversation_id")
        state.delete_conversation(conversation_id)
        return {"id": conversation_id, "object": "conversation.deleted", "deleted": True}

    async def create_items(request: web.Request) -> Any:
        conversation_id = match(request, "conversation_id")
        body = await _json_body(request)
        with state._lock:
            state._conversation(conversation_id)
            if body.get("items") is None:
                raise _missing("items")
            added = state.add_items(conversation_id, _check_items(body["items"], "items"))
        return {
            "object": "list",
            "data": added,
            "first_id": added[0]["id"] if added else None,
            "last_id": added[-1]["id"] if added else None,
            "has_more": False,
        }

    async def list_items(request: web.Request) -> Any:
        conversation_id = match(request, "conversation_id")
        with state._lock:
            state._conversation(conversation_id)
            return state.page(list(state.items[conversation_id].values()), request.query)

    async def get_item(request: web.Request) -> Any:
        with state._lock:
            return state._item(match(request, "conversation_id"), match(request, "item_id"))

    async def delete_item(request: web.Request) -> Any:
        conversation_id, item_id = match(request, "conversation_id"), match(request, "item_id")
        with state._lock:
            state._item(conversation_id, item_id)
            del state.items[conversation_id][item_id]
            return state._conversation(conversation_id)

    response = "/v1/responses/{response_id}"
    conversation = "/v1/conversations/{conversation_id}"
    router.add_post("/v1/responses", route(create_response))
    router.add_get(response, route(get_response, poll=True), allow_head=False)
    router.add_delete(response, route(delete_response))
    router.add_post(response + "/cancel", route(cancel_response, poll=True))
    router.add_get(response + "/input_items", route(list_input_items), allow_head=False)
    router.add_post("/v1/conversations", route(create_conversation))
    router.add_get(conversation, route(get_conversation), allow_head=False)
    router.add_post(conversation, route(update_conversation))
    router.add_delete(conversation, route(delete_conversation))
    router.add_post(conversation + "/items", route(create_items))
    router.add_get(conversation + "/items", route(list_items), allow_head=False)
    router.add_get(conversation + "/items/{item_id}", route(get_item), allow_head=False)
    router.add_delete(conversation + "/items/{item_id}", route(delete_item))
