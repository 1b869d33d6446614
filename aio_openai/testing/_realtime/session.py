"""One Realtime WebSocket connection of the fake: its session, conversation and audio buffer.

:class:`RealtimeSession` answers each client event with the events the service sends:

- ``session.update`` -> ``session.updated`` (the settings merged; ``audio`` one level down);
- ``conversation.item.create`` -> ``conversation.item.created`` (the item with its id,
  ``object`` and ``status``, after ``previous_item_id`` when given); ``.delete`` ->
  ``conversation.item.deleted``; ``.retrieve`` -> ``conversation.item.retrieved``;
  ``.truncate`` -> ``conversation.item.truncated``;
- ``input_audio_buffer.append`` (base64 audio, kept), ``.commit`` ->
  ``input_audio_buffer.committed`` and the user's audio message ``conversation.item.created``,
  ``.clear`` -> ``input_audio_buffer.cleared``;
- ``response.create`` -> the response's events (:mod:`.respond`); its output joins the
  conversation unless ``response.conversation`` is ``"none"``;
- anything else, or a bad event -> an ``error`` event naming the client event's id, and the
  session goes on (``response.cancel`` finds no response in progress: each is sent whole).
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

from aio_openai.testing._realtime.respond import ResponseRequest, new_id, respond
from aio_openai.testing._ws import Answer, error_event, new_event_id

__all__ = ["RealtimeSession", "ReplySettings", "SessionError"]

#: What a session asks its state for each response: the scripted replies and the chunk size.
ReplySettings = Callable[[], tuple[Mapping[str, str], int]]

_PCM: Final = {"type": "audio/pcm", "rate": 24000}
_ITEM_TYPES: Final = ("message", "function_call", "function_call_output")
_ROLES: Final = ("user", "assistant", "system")


class SessionError(Exception):
    """A client event the session refuses: the ``error`` event's message, param and code."""

    def __init__(self, message: str, *, param: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.param = param
        self.code = code


def _missing(param: str) -> SessionError:
    return SessionError(
        f"Missing required parameter: '{param}'.", param=param, code="missing_required_parameter"
    )


def _settings(model: str, beta: bool) -> dict[str, Any]:
    """A new session's settings, in the protocol's shape."""
    common: dict[str, Any] = {
        "object": "realtime.session",
        "id": new_id("sess_"),
        "model": model,
        "instructions": "You are a helpful assistant.",
        "tools": [],
        "tool_choice": "auto",
        "max_output_tokens": "inf",
        "expires_at": int(time.time()) + 3600,
    }
    turns = {
        "type": "server_vad",
        "threshold": 0.5,
        "prefix_padding_ms": 300,
        "silence_duration_ms": 200,
        "create_response": True,
        "interrupt_response": True,
    }
    if beta:
        return {
            **common,
            "modalities": ["text", "audio"],
            "voice": "alloy",
            "input_audio_format": "pcm16",
            "output_audio_format": "pcm16",
            "input_audio_transcription": None,
            "turn_detection": turns,
            "temperature": 0.8,
        }
    audio = {
        "input": {
            "format": dict(_PCM),
            "transcription": None,
            "noise_reduction": None,
            "turn_detection": turns,
        },
        "output": {"format": dict(_PCM), "voice": "alloy", "speed": 1.0},
    }
    return {
        "type": "realtime",
        **common,
        "output_modalities": ["audio"],
        "audio": audio,
        "tracing": None,
        "prompt": None,
        "truncation": "auto",
        "include": None,
    }


class RealtimeSession:
    """The protocol of one connection (see the module docstring); ``received`` lists the
    client events it was sent, parsed, in order."""

    def __init__(self, model: str, *, beta: bool, replies: ReplySettings) -> None:
        self.model = model
        self.beta = beta
        self.settings = _settings(model, beta)
        self.id: str = self.settings["id"]
        self.conversation_id = new_id("conv_")
        self.items: list[dict[str, Any]] = []
        self.audio = bytearray()
        self.received: list[Any] = []
        #: Set when the server has seen the connection end (tests wait on it: the server may
        #: run in another thread, and the client's close returns before it gets there).
        self.ended = threading.Event()
        self._replies = replies
        self._handlers: dict[str, Callable[[dict[str, Any]], list[dict[str, Any]]]] = {
            "session.update": self._session_update,
            "conversation.item.create": self._item_create,
            "conversation.item.delete": self._item_delete,
            "conversation.item.retrieve": self._item_retrieve,
            "conversation.item.truncate": self._item_truncate,
            "input_audio_buffer.append": self._audio_append,
            "input_audio_buffer.commit": self._audio_commit,
            "input_audio_buffer.clear": self._audio_clear,
            "output_audio_buffer.clear": self._no_webrtc,
            "response.cancel": self._response_cancel,
        }

    # -- the SocketSession protocol ---------------------------------------------------------

    def opening(self) -> list[dict[str, Any]]:
        return [self._event("session.created", session=self.settings)]

    def answer(self, message: str | bytes) -> Answer:
        try:
            event = json.loads(message)
        except (ValueError, UnicodeDecodeError):
            self.received.append(message)
            return Answer([error_event("The event is not valid JSON.", code="invalid_json")])
        self.received.append(event)
        event_id = event.get("event_id") if isinstance(event, dict) else None
        try:
            if not isinstance(event, dict):
                raise SessionError("An event must be a JSON object.", code="invalid_event")
            kind = event.get("type")
            if not kind:
                raise SessionError("The 'type' field is missing.", code="invalid_event")
            if kind == "response.create":
                return Answer(self._response_create(event), response=True)
            handler = self._handlers.get(kind)
            if handler is None:
                known = ", ".join(f"'{k}'" for k in sorted([*self._handlers, "response.create"]))
                raise SessionError(
                    f"Invalid value: '{kind}'. Supported values are: {known}.",
                    param="type",
                    code="invalid_value",
                )
            return Answer(handler(event))
        except SessionError as exc:
            error = error_event(
                exc.message,
                code=exc.code,
                param=exc.param,
                event_id=event_id if isinstance(event_id, str) else None,
            )
            return Answer([error])

    @property
    def open(self) -> bool:
        """Whether the connection is still being served (until :attr:`ended` is set)."""
        return not self.ended.is_set()

    def closed(self) -> None:
        self.ended.set()

    # -- events -----------------------------------------------------------------------------

    def _event(self, kind: str, **data: Any) -> dict[str, Any]:
        return {"type": kind, "event_id": new_event_id(), **data}

    def _session_update(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        update = event.get("session")
        if not isinstance(update, dict):
            raise _missing("session")
        if not self.beta:
            kind = update.get("type")
            if kind is None:
                raise _missing("session.type")
            if kind != "realtime":
                raise SessionError(
                    f"Invalid value: '{kind}'. This session's type is 'realtime'; it cannot"
                    " change.",
                    param="session.type",
                    code="invalid_value",
                )
        tools = update.get("tools")
        if tools is not None:
            self._check_tools(tools, "session.tools")
        for key, value in update.items():
            current = self.settings.get(key)
            if key == "audio" and isinstance(value, dict) and isinstance(current, dict):
                for part, fields in value.items():
                    if isinstance(fields, dict) and isinstance(current.get(part), dict):
                        current[part] = {**current[part], **fields}
                    else:
                        current[part] = fields
            elif key not in ("id", "object"):
                self.settings[key] = value
        return [self._event("session.updated", session=self.settings)]

    @staticmethod
    def _check_tools(tools: Any, param: str) -> None:
        if not isinstance(tools, list):
            raise SessionError(f"Invalid type for '{param}': expected an array.", param=param)
        for index, tool in enumerate(tools):
            if not isinstance(tool, dict) or tool.get("type") not in ("function", "mcp"):
                raise SessionError(
                    f"Invalid value for '{param}[{index}].type': expected 'function' or 'mcp'.",
                    param=f"{param}[{index}].type",
                    code="invalid_value",
                )
            if tool.get("type") == "function" and not tool.get("name"):
                raise _missing(f"{param}[{index}].name")

    def _find(self, item_id: Any) -> int:
        for index, item in enumerate(self.items):
            if item.get("id") == item_id:
                return index
        raise SessionError(
            f"Conversation item with item_id '{item_id}' does not exist.",
            param="item_id",
            code="item_not_found",
        )

    def _item_create(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        item = event.get("item")
        if not isinstance(item, dict):
            raise _missing("item")
        kind = item.get("type")
        if kind not in _ITEM_TYPES:
            raise SessionError(
                f"Invalid value: '{kind}'. Supported values are: "
                + ", ".join(f"'{t}'" for t in _ITEM_TYPES)
                + ".",
                param="item.type",
                code="invalid_value",
            )
        if kind == "message":
            if item.get("role") not in _ROLES:
                raise _missing("item.role")
            if not isinstance(item.get("content"), list):
                raise _missing("item.content")
        elif kind == "function_call_output":
            for key in ("call_id", "output"):
                if key not in item:
                    raise _missing(f"item.{key}")
        elif not item.get("name"):
            raise _missing("item.name")
        stored = {
            "id": item.get("id") or new_id("item_"),
            "object": "realtime.item",
            **{k: v for k, v in item.items() if k != "id"},
            "status": "completed",
        }
        if any(i.get("id") == stored["id"] for i in self.items):
            raise SessionError(
                f"Item with id '{stored['id']}' already exists.",
                param="item.id",
                code="duplicate_item_id",
            )
        previous = event.get("previous_item_id")
        if previous is None:
            at = len(self.items)
        elif previous == "root":
            at = 0
        else:
            at = self._find(previous) + 1
        self.items.insert(at, stored)
        before = self.items[at - 1]["id"] if at else None
        return [self._event("conversation.item.created", previous_item_id=before, item=stored)]

    def _item_delete(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        if "item_id" not in event:
            raise _missing("item_id")
        del self.items[self._find(event["item_id"])]
        return [self._event("conversation.item.deleted", item_id=event["item_id"])]

    def _item_retrieve(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        if "item_id" not in event:
            raise _missing("item_id")
        item = self.items[self._find(event["item_id"])]
        return [self._event("conversation.item.retrieved", item=item)]

    def _item_truncate(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        for key in ("item_id", "content_index", "audio_end_ms"):
            if key not in event:
                raise _missing(key)
        self._find(event["item_id"])
        return [
            self._event(
                "conversation.item.truncated",
                item_id=event["item_id"],
                content_index=event["content_index"],
                audio_end_ms=event["audio_end_ms"],
            )
        ]

    def _audio_append(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        audio = event.get("audio")
        if not isinstance(audio, str):
            raise _missing("audio")
        try:
            self.audio += base64.b64decode(audio, validate=True)
        except (binascii.Error, ValueError):
            raise SessionError(
                "Invalid 'audio'. Expected base64-encoded audio bytes.",
                param="audio",
                code="invalid_value",
            ) from None
        return []

    def _audio_commit(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        if len(self.audio) < 4800:  # 100 ms of 24 kHz 16-bit audio
            raise SessionError(
                f"Error committing input audio buffer: buffer too small. Expected at least 100ms"
                f" of audio, but buffer only has {len(self.audio) / 48:.2f}ms of audio.",
                code="input_audio_buffer_commit_empty",
            )
        self.audio.clear()
        previous = self.items[-1]["id"] if self.items else None
        item = {
            "id": new_id("item_"),
            "object": "realtime.item",
            "type": "message",
            "status": "completed",
            "role": "user",
            "content": [{"type": "input_audio", "transcript": None}],
        }
        self.items.append(item)
        return [
            self._event(
                "input_audio_buffer.committed", previous_item_id=previous, item_id=item["id"]
            ),
            self._event("conversation.item.created", previous_item_id=previous, item=item),
        ]

    def _audio_clear(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        self.audio.clear()
        return [self._event("input_audio_buffer.cleared")]

    def _no_webrtc(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        raise SessionError(
            "output_audio_buffer.clear is only supported for WebRTC connections.",
            code="invalid_value",
        )

    def _response_cancel(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        raise SessionError(
            "Cancellation failed: no active response found.", code="response_cancel_not_active"
        )

    def _response_create(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        params = event.get("response") or {}
        if not isinstance(params, dict):
            raise SessionError("Invalid type for 'response': expected an object.", param="response")
        if params.get("tools") is not None:
            self._check_tools(params["tools"], "response.tools")
        settings = {**self.settings, **{k: v for k, v in params.items() if v is not None}}
        modalities_key = "modalities" if self.beta else "output_modalities"
        modalities = settings.get(modalities_key) or ["audio"]
        if self.beta:
            modalities = ["text", "audio"] if "audio" in modalities else ["text"]
        in_conversation = params.get("conversation", "auto") != "none"
        given = params.get("input")
        if given is not None and not isinstance(given, list):
            raise SessionError(
                "Invalid type for 'response.input': expected an array.", param="response.input"
            )
        context = self.items if given is None else [i for i in given if isinstance(i, dict)]
        request = ResponseRequest(
            context=list(context),
            modalities=list(modalities),
            tools=list(settings.get("tools") or ()),
            tool_choice=settings.get("tool_choice", "auto"),
            conversation_id=self.conversation_id if in_conversation else None,
            settings=settings,
            metadata=params.get("metadata"),
            beta=self.beta,
        )
        replies, chunk_size = self._replies()
        reply = respond(request, replies, chunk_size)
        if in_conversation:
            self.items.extend(reply.items)
        return reply.events
