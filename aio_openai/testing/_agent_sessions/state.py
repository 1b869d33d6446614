"""The state of the fake agent sessions: sessions, their items, turns, traces, artifacts and
subagents, and the hub that sends each session's events to its subscribers."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Mapping
from typing import Any

import attrs

from aio_openai.testing._agent_sessions.checks import input_messages
from aio_openai.testing._agents.state import AgentsState
from aio_openai.testing._arguments import fill, json_reply
from aio_openai.testing._checks import APIError
from aio_openai.testing._fake_model import DEFAULT_REPLY, call_id, tokens
from aio_openai.testing._shapes import ListQuery, new_id, page

__all__ = ["AgentSessionsState", "Subscription"]

#: The statuses after which a subscriber's stream ends (once a turn has run).
SETTLED = frozenset({"agent.session.idle", "agent.session.failed", "agent.session.budget_reached"})
#: The settings a session takes from a saved agent.
_SAVED = (
    "name",
    "model",
    "instructions",
    "multi_agent",
    "reasoning",
    "service_tier",
    "text",
    "tools",
    "compaction",
)


@attrs.define
class Subscription:
    """One subscriber's queue of events (JSON objects) on the server's loop."""

    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[dict[str, Any]] = attrs.field(factory=asyncio.Queue)

    def put(self, event: dict[str, Any]) -> None:
        self.loop.call_soon_threadsafe(self.queue.put_nowait, event)


@attrs.define
class _Session:
    record: dict[str, Any]
    items: list[dict[str, Any]] = attrs.field(factory=list)
    turns: list[dict[str, Any]] = attrs.field(factory=list)
    traces: list[dict[str, Any]] = attrs.field(factory=list)
    artifacts: dict[str, tuple[dict[str, Any], bytes]] = attrs.field(factory=dict)
    subagents: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    subscribers: list[Subscription] = attrs.field(factory=list)
    #: inputs held until the next subscriber comes (:meth:`AgentSessionsState.hold_input`)
    held: list[list[dict[str, Any]]] = attrs.field(factory=list)
    #: the turn waiting for a function call's result: (turn, the call item, the input's text)
    waiting: tuple[dict[str, Any], dict[str, Any], str] | None = None


def _usage(input_tokens: int, output_tokens: int) -> dict[str, Any]:
    return {
        "input_tokens": input_tokens,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": output_tokens,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": input_tokens + output_tokens,
    }


def _tool(tool: Any) -> Any:
    """An agent's tool as the API shows it: a function's optional fields filled in."""
    if not isinstance(tool, dict) or tool.get("type") != "function":
        return tool
    return {"description": "", "defer_loading": False, "parameters": {}, **tool}


def _cache_options(value: Any) -> dict[str, Any] | None:
    """The prompt cache options a session keeps: the given ``ttl``, else the model's 30m."""
    return None if value is None else {"ttl": value.get("ttl", "30m")}


def _text_of(messages: list[dict[str, Any]]) -> str:
    parts = []
    for message in messages:
        content = message.get("content")
        if isinstance(content, str):
            parts.append(content)
        else:
            parts += [p.get("text", "") for p in content or () if isinstance(p, dict)]
    return " ".join(parts)


class AgentSessionsState:
    """The agent sessions of a fake server (``fake.state.agent_sessions``).

    ``reply`` is what the fake model answers every input (the default reply unless set).
    A session of a saved agent (``agent_id``, one of ``agents``) runs with its settings,
    the inline ``agent``'s given fields over them. Every operation takes the state's lock;
    an unknown id raises APIError (404).
    """

    def __init__(self, agents: AgentsState) -> None:
        self._lock = threading.Lock()
        self._agents = agents
        self._sessions: dict[str, _Session] = {}
        self.reply = DEFAULT_REPLY

    def _get(self, session_id: str) -> _Session:
        session = self._sessions.get(session_id)
        if session is None:
            raise APIError(404, f"Session with id '{session_id}' not found.", param="session_id")
        return session

    # -- sessions ------------------------------------------------------------------------

    def create(
        self, body: Mapping[str, Any], subscriber: Subscription | None = None
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """A new idle session from a checked body, and the events of its creation (and of
        the first turn when the body has an ``input``, else the session idle), sent to
        ``subscriber`` too (and every later event of the session until it unsubscribes).
        A 404 for an
        ``agent_id`` no saved agent has."""
        now = int(time.time())
        agent = dict(body.get("agent") or {})
        if body.get("agent_id") is not None:
            saved = self._agents.retrieve(self._agents.agents, body["agent_id"])
            given = {k: v for k, v in agent.items() if v is not None}
            agent = {**{k: saved.get(k) for k in _SAVED}, **given}
        compaction = agent.get("compaction")
        record: dict[str, Any] = {
            "id": new_id("sess_"),
            "object": "agent.session",
            "agent": {
                "id": body.get("agent_id") or new_id("agent_"),
                "name": agent.get("name"),
                "model": agent.get("model", "gpt-5"),
                "instructions": agent.get("instructions"),
                "multi_agent": agent.get("multi_agent") or {"enabled": False},
                "reasoning": agent.get("reasoning") or {"effort": None},
                "service_tier": agent.get("service_tier") or "auto",
                "text": {
                    "format": {"type": "text"},
                    "verbosity": "medium",
                    **(agent.get("text") or {}),
                },
                "tools": [_tool(tool) for tool in agent.get("tools") or ()],
                "compaction": {"async": bool(compaction.get("async"))} if compaction else None,
            },
            "created_at": now,
            "last_active_at": now,
            "environment": body["environment"],
            "error": None,
            "metadata": body.get("metadata") or {},
            "required_actions": [],
            "spend_control": body.get("spend_control") or {"limit": None},
            "status": "idle",
            "usage": None,
            "vault_ids": body.get("vault_ids") or [],
            "review": body.get("review", "none"),
            "prompt_cache_options": _cache_options(body.get("prompt_cache_options")),
        }
        with self._lock:
            session = _Session(record)
            if subscriber is not None:
                session.subscribers.append(subscriber)
            self._sessions[record["id"]] = session
            events = [self._event(session, "agent.session.created", session=dict(record))]
            if body.get("input") is not None:
                events += self._run_turn(session, input_messages(body["input"], "input"))
            elif subscriber is not None:  # a stream of no turn ends with the session idle
                events.append(self._event(session, "agent.session.idle", session=dict(record)))
            return dict(record), events

    def retrieve(self, session_id: str) -> dict[str, Any]:
        with self._lock:
            return dict(self._get(session_id).record)

    def update(self, session_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        with self._lock:
            record = self._get(session_id).record
            for key, value in body.items():
                if key == "agent":
                    tools = value.get("tools")
                    if tools is not None:
                        value = {**value, "tools": [_tool(tool) for tool in tools]}
                    record["agent"] = {**record["agent"], **value}
                elif key == "prompt_cache_options":
                    record[key] = _cache_options(value)
                else:
                    record[key] = value
            return dict(record)

    def list_sessions(
        self, query: ListQuery, agent_id: str | None, metadata: Mapping[str, str]
    ) -> dict[str, Any]:
        with self._lock:
            records = [
                s.record
                for s in self._sessions.values()
                if (agent_id is None or s.record["agent"]["id"] == agent_id)
                and all(s.record["metadata"].get(k) == v for k, v in metadata.items())
            ]
            return page(records, query, dict)

    def delete(self, session_id: str) -> None:
        with self._lock:
            self._get(session_id)
            del self._sessions[session_id]

    # -- events --------------------------------------------------------------------------

    def subscribe(self, session_id: str, loop: asyncio.AbstractEventLoop) -> Subscription:
        """A subscription to a session's events, its current state queued first."""
        with self._lock:
            session = self._get(session_id)
            subscription = Subscription(loop)
            status = session.record["status"]
            kind = "agent.session.idle" if status == "idle" else f"agent.session.{status}"
            subscription.queue.put_nowait(self._event(session, kind, session=dict(session.record)))
            session.subscribers.append(subscription)
            while session.held:
                self._run_turn(session, session.held.pop(0))
            return subscription

    def hold_input(self, session_id: str, text: str) -> None:
        """Keep an input message for the session's next subscriber: its turn runs as that
        subscriber's stream opens (a session busy when a client subscribes, without timing)."""
        with self._lock:
            self._get(session_id).held.append(input_messages(text, "input"))

    def unsubscribe(self, session_id: str, subscription: Subscription) -> None:
        with self._lock:
            session = self._sessions.get(session_id)
            if session is not None and subscription in session.subscribers:
                session.subscribers.remove(subscription)

    def submit(self, session_id: str, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Run the checked input ``events``: each message runs a turn; the events sent."""
        with self._lock:
            session = self._get(session_id)
            sent: list[dict[str, Any]] = []
            for index, event in enumerate(events):
                if event["type"] == "agent.session.input.message":
                    if session.waiting is not None:
                        raise APIError(
                            400,
                            "The session is waiting for a tool result.",
                            param=f"events[{index}]",
                            code="session_busy",
                        )
                    sent += self._run_turn(session, input_messages(event["input"], "input"))
                elif event["type"] == "agent.session.input.tool_result":
                    sent += self._tool_result(session, event, f"events[{index}]")
            return sent

    def _tool_result(
        self, session: _Session, event: dict[str, Any], param: str
    ) -> list[dict[str, Any]]:
        """The result of the waiting function call: recorded, then the turn goes on."""
        wanted = event.get("call_id")
        if session.waiting is None or session.waiting[1]["call_id"] != wanted:
            raise APIError(400, f"Unknown pending tool call: {wanted}", param=f"{param}.call_id")
        turn, _, text = session.waiting
        session.waiting = None
        success = event.get("success", True)
        output = {
            "id": new_id("fco_"),
            "type": "function_call_output",
            "call_id": wanted,
            "status": "completed" if success else "failed",
            "output": event.get("output") if success else None,
            "error": None if success else event.get("error"),
            "turn_id": turn["id"],
        }
        session.items.append(output)
        out = [
            self._event(session, "agent.session.turn.item.added", item=output, turn_id=turn["id"])
        ]
        session.record.update(status="in_progress", required_actions=[])
        out.append(self._event(session, "agent.session.in_progress", session=dict(session.record)))
        turn["status"] = "in_progress"
        return out + self._finish_turn(session, turn, text)

    def _event(self, owner: _Session, kind: str, /, **fields: Any) -> dict[str, Any]:
        """An event of the session ``owner``, sent to its subscribers."""
        event = {"type": kind, "event_id": new_id("evt_"), **fields}
        if "session" not in fields:
            event["session_id"] = owner.record["id"]
        for subscriber in owner.subscribers:
            subscriber.put(event)
        return event

    def _run_turn(self, session: _Session, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        record = session.record
        session_id = record["id"]
        text = _text_of(messages)
        now = int(time.time())
        turn: dict[str, Any] = {
            "id": new_id("turn_"),
            "object": "agent.session.turn",
            "agent_id": record["agent"]["id"],
            "session_id": session_id,
            "created_at": now,
            "started_at": None,
            "completed_at": None,
            "status": "queued",
            "error": None,
            "subagent_id": None,
            "usage": None,
        }
        turn_id = turn["id"]

        def emit(kind: str, **fields: Any) -> dict[str, Any]:
            return self._event(session, kind, **fields)

        out = [emit("agent.session.turn.created", turn=dict(turn), turn_id=turn_id)]
        record["status"] = "in_progress"
        out.append(emit("agent.session.in_progress", session=dict(record)))
        turn.update(status="in_progress", started_at=now)
        out.append(emit("agent.session.turn.in_progress", turn=dict(turn), turn_id=turn_id))
        for message in messages:
            content = message["content"]
            if isinstance(content, str):
                content = [{"type": "input_text", "text": content}]
            item = {
                "id": new_id("msg_"),
                "type": "message",
                "role": message.get("role", "user"),
                "status": "completed",
                "content": content,
                "turn_id": turn_id,
            }
            session.items.append(item)
            out.append(emit("agent.session.turn.item.added", item=item, turn_id=turn_id))
        functions = [t for t in record["agent"]["tools"] or () if t.get("type") == "function"]
        if functions:  # the fake model calls the agent's first function, then waits
            return out + self._call_function(session, turn, functions[0], text)
        return out + self._finish_turn(session, turn, text)

    def _call_function(
        self, session: _Session, turn: dict[str, Any], tool: dict[str, Any], text: str
    ) -> list[dict[str, Any]]:
        """The turn calls ``tool`` with arguments made from its schema and the input, and
        waits (``requires_action``) for the result."""
        arguments = json.dumps(fill(tool.get("parameters") or {"type": "object"}, text))
        call = {
            "id": new_id("fc_"),
            "type": "function_call",
            "call_id": call_id(tool["name"], arguments, len(session.items)),
            "name": tool["name"],
            "arguments": arguments,
            "status": "completed",
            "turn_id": turn["id"],
        }
        session.items.append(call)
        out = [self._event(session, "agent.session.turn.item.added", item=call, turn_id=turn["id"])]
        turn["status"] = "waiting"
        action = {k: call[k] for k in ("call_id", "name", "arguments", "turn_id")}
        session.record.update(
            status="requires_action", required_actions=[{"type": "function_call", **action}]
        )
        out.append(
            self._event(session, "agent.session.requires_action", session=dict(session.record))
        )
        session.waiting = (turn, call, text)
        return out

    def _finish_turn(
        self, session: _Session, turn: dict[str, Any], text: str
    ) -> list[dict[str, Any]]:
        """The fake model's answer to ``text`` (JSON of the agent's schema when it asks for
        one), what the turn leaves behind, and the session idle again."""
        record = session.record
        session_id = record["id"]
        turn_id = turn["id"]
        now = int(time.time())

        def emit(kind: str, **fields: Any) -> dict[str, Any]:
            return self._event(session, kind, **fields)

        out: list[dict[str, Any]] = []
        reply = self.reply
        text_format = (record["agent"].get("text") or {}).get("format") or {}
        if text_format.get("type") == "json_schema":
            reply = json_reply(text_format.get("schema"), self.reply, scripted=True)
            if reply != self.reply:  # no JSON scripted: made from the input's words
                reply = json_reply(text_format.get("schema"), text, scripted=False)
        answer = {
            "id": new_id("msg_"),
            "type": "message",
            "role": "assistant",
            "status": "in_progress",
            "phase": "final_answer",
            "content": [],
            "turn_id": turn_id,
        }
        index = len(session.items)
        out.append(
            emit(
                "agent.session.turn.item.added",
                item=dict(answer),
                output_index=index,
                turn_id=turn_id,
            )
        )
        where = {
            "item_id": answer["id"],
            "output_index": index,
            "content_index": 0,
            "turn_id": turn_id,
        }
        for word in reply.split(" "):
            delta = word if word is reply.split(" ")[0] else " " + word
            out.append(emit("agent.session.turn.output_text.delta", delta=delta, **where))
        out.append(emit("agent.session.turn.output_text.done", text=reply, **where))
        answer.update(
            status="completed", content=[{"type": "output_text", "text": reply, "annotations": []}]
        )
        session.items.append(answer)
        out.append(
            emit("agent.session.turn.item.done", item=answer, output_index=index, turn_id=turn_id)
        )
        usage = _usage(tokens(text), tokens(reply))
        if "subagent" in text.lower():
            self._start_subagent(session, reply)
        if "file" in text.lower():
            artifact = {
                "id": new_id("art_"),
                "object": "agent.session.artifact",
                "created_at": now,
                "environment_id": record["environment"].get("id") or "env_none",
                "path": "answer.md",
                "session_id": session_id,
                "size_bytes": len(reply.encode()),
                "turn_id": turn_id,
            }
            session.artifacts[artifact["id"]] = (artifact, reply.encode())
        turn.update(status="completed", completed_at=int(time.time()), usage=usage)
        session.turns.append(turn)
        session.traces.append(
            {
                "id": new_id("trace_"),
                "object": "agent.session.trace",
                "created_at": now,
                "session_id": session_id,
                "otlp": {"resourceSpans": [{"turn_id": turn_id, "name": "agent.turn"}]},
            }
        )
        out.append(
            emit("agent.session.turn.completed", turn=dict(turn), turn_id=turn_id, usage=usage)
        )
        record.update(status="idle", last_active_at=int(time.time()), usage=usage)
        out.append(emit("agent.session.idle", session=dict(record)))
        return out

    def _start_subagent(self, session: _Session, reply: str) -> None:
        record = session.record
        subagent_id = new_id("subagent_")
        turn = {
            "id": new_id("turn_"),
            "object": "agent.session.turn",
            "agent_id": record["agent"]["id"],
            "session_id": record["id"],
            "created_at": int(time.time()),
            "completed_at": int(time.time()),
            "started_at": int(time.time()),
            "status": "completed",
            "error": None,
            "subagent_id": subagent_id,
            "usage": None,
        }
        item = {
            "id": new_id("msg_"),
            "type": "message",
            "role": "assistant",
            "status": "completed",
            "content": [{"type": "output_text", "text": reply, "annotations": []}],
            "turn_id": turn["id"],
        }
        session.subagents[subagent_id] = {
            "record": {
                "id": subagent_id,
                "object": "agent.session.subagent",
                "opened_at": int(time.time()),
                "parent_agent_id": record["agent"]["id"],
                "session_id": record["id"],
                "status": "closed",
            },
            "turns": [turn],
            "items": [item],
        }

    # -- what turns leave ----------------------------------------------------------------

    def items(
        self, session_id: str, query: ListQuery, turn_id: str | None = None
    ) -> dict[str, Any]:
        with self._lock:
            session = self._get(session_id)
            if turn_id is not None:
                self._turn(session.turns, turn_id)
            found = [i for i in session.items if turn_id is None or i["turn_id"] == turn_id]
            return page(found, query)

    def _turn(self, turns: list[dict[str, Any]], turn_id: str) -> dict[str, Any]:
        for turn in turns:
            if turn["id"] == turn_id:
                return dict(turn)
        raise APIError(404, f"Turn with id '{turn_id}' not found.", param="turn_id")

    def turn(self, session_id: str, turn_id: str) -> dict[str, Any]:
        with self._lock:
            return self._turn(self._get(session_id).turns, turn_id)

    def turns(self, session_id: str, query: ListQuery) -> dict[str, Any]:
        with self._lock:
            return page(self._get(session_id).turns, query)

    def traces(self, session_id: str, query: ListQuery) -> dict[str, Any]:
        with self._lock:
            return page(self._get(session_id).traces, query)

    def _artifact(self, session_id: str, artifact_id: str) -> tuple[dict[str, Any], bytes]:
        found = self._get(session_id).artifacts.get(artifact_id)
        if found is None:
            raise APIError(404, f"Artifact with id '{artifact_id}' not found.", param="artifact_id")
        return found

    def artifact(self, session_id: str, artifact_id: str) -> dict[str, Any]:
        with self._lock:
            return dict(self._artifact(session_id, artifact_id)[0])

    def artifact_content(self, session_id: str, artifact_id: str) -> bytes:
        with self._lock:
            return self._artifact(session_id, artifact_id)[1]

    def delete_artifact(self, session_id: str, artifact_id: str) -> None:
        with self._lock:
            self._artifact(session_id, artifact_id)
            del self._sessions[session_id].artifacts[artifact_id]

    def artifacts(
        self, session_id: str, query: ListQuery, environment_id: str | None
    ) -> dict[str, Any]:
        with self._lock:
            found = [
                record
                for record, _ in self._get(session_id).artifacts.values()
                if environment_id is None or record["environment_id"] == environment_id
            ]
            return page(found, query)

    def _subagent(self, session_id: str, subagent_id: str) -> dict[str, Any]:
        found = self._get(session_id).subagents.get(subagent_id)
        if found is None:
            raise APIError(404, f"Subagent with id '{subagent_id}' not found.", param="subagent_id")
        return found

    def subagent(self, session_id: str, subagent_id: str) -> dict[str, Any]:
        with self._lock:
            return dict(self._subagent(session_id, subagent_id)["record"])

    def subagents(self, session_id: str, query: ListQuery) -> dict[str, Any]:
        with self._lock:
            return page([s["record"] for s in self._get(session_id).subagents.values()], query)

    def subagent_turn(self, session_id: str, subagent_id: str, turn_id: str) -> dict[str, Any]:
        with self._lock:
            return self._turn(self._subagent(session_id, subagent_id)["turns"], turn_id)

    def subagent_turns(self, session_id: str, subagent_id: str, query: ListQuery) -> dict[str, Any]:
        with self._lock:
            return page(self._subagent(session_id, subagent_id)["turns"], query)

    def subagent_items(
        self, session_id: str, subagent_id: str, query: ListQuery, turn_id: str | None = None
    ) -> dict[str, Any]:
        with self._lock:
            subagent = self._subagent(session_id, subagent_id)
            if turn_id is not None:
                self._turn(subagent["turns"], turn_id)
            found = [i for i in subagent["items"] if turn_id is None or i["turn_id"] == turn_id]
            return page(found, query)
