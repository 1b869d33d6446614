"""The routes of the fake Realtime and Live REST calls: ``/v1/realtime/client_secrets``,
``/v1/realtime/translations/client_secrets``, ``/v1/realtime/sessions`` and
``/v1/realtime/transcription_sessions`` (beta), ``/v1/realtime/calls/...`` and
``/v1/live/sessions/...``."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from aiohttp import web

from aio_openai.testing._checks import APIError, wrong_type
from aio_openai.testing._forms import read_form
from aio_openai.testing._http import Answer, api_route, read_json_object
from aio_openai.testing._realtime.routes import serves_realtime
from aio_openai.testing._realtime_calls.checks import (
    check_accept,
    check_live_session,
    check_refer,
    check_reject,
    check_transport,
    secret_seconds,
    session_of,
)
from aio_openai.testing._realtime_calls.state import Calls, RealtimeCallsState, sdp_answer
from aio_openai.testing._shapes import new_id

__all__ = ["add_realtime_calls_routes"]

#: The model of a session that names none.
DEFAULT_MODEL = "gpt-realtime"


def render_session(session: Mapping[str, Any], expires_at: int) -> dict[str, Any]:
    """The effective session of a client secret: what was asked, over the defaults."""
    if session.get("type") == "transcription":
        base: dict[str, Any] = {"object": "realtime.transcription_session"}
    else:
        base = {
            "object": "realtime.session",
            "type": "realtime",
            "model": DEFAULT_MODEL,
            "output_modalities": ["audio"],
            "instructions": "",
            "tools": [],
            "tool_choice": "auto",
            "max_output_tokens": "inf",
            "tracing": None,
            "truncation": "auto",
            "prompt": None,
        }
    return {**base, **session, "id": new_id("sess_"), "expires_at": expires_at}


def _empty() -> web.Response:
    return web.Response(status=200)


def add_realtime_calls_routes(
    router: web.UrlDispatcher, state: RealtimeCallsState, knows_model: Callable[[str], bool]
) -> None:
    """Register the Realtime and Live REST routes, serving ``state``; a Realtime session's
    model is a realtime model or one ``knows_model`` accepts (else 404 ``model_not_found``)."""

    def check_model(session: Mapping[str, Any]) -> None:
        model = session.get("model")
        if isinstance(model, str) and model and not serves_realtime(model, knows_model):
            raise APIError(
                404,
                f"The model `{model}` does not exist or you do not have access to it.",
                code="model_not_found",
            )

    async def client_secret(request: web.Request) -> Answer:
        body = await read_json_object(request)
        seconds = secret_seconds(body)
        session = session_of(body)
        check_model(session)
        secret = state.mint(session, seconds)
        secret["session"] = render_session(session, secret["expires_at"])
        return secret

    async def translation_secret(request: web.Request) -> Answer:
        body = await read_json_object(request)
        seconds = secret_seconds(body)
        session = check_live_session(body, required=True)
        secret = state.mint(session, seconds)
        audio = session.get("audio") or {}
        secret["session"] = {
            "id": new_id("sess_"),
            "type": "translation",
            "model": session["model"],
            "audio": audio,
            "expires_at": secret["expires_at"],
        }
        return secret

    def beta_session(kind: str) -> Any:
        async def create(request: web.Request) -> Answer:
            body = await read_json_object(request)
            secret_config = body.get("client_secret") or {}
            if not isinstance(secret_config, dict):
                raise wrong_type("client_secret", "an object", secret_config)
            seconds = secret_seconds(secret_config)
            check_model(body)
            secret = state.mint({**body, "type": kind}, seconds)
            answer = {k: v for k, v in body.items() if k != "client_secret"}
            answer.update(id=new_id("sess_"), object=f"realtime.{kind}_session")
            if kind == "realtime":
                answer.update(object="realtime.session", model=body.get("model", DEFAULT_MODEL))
            answer["client_secret"] = {"value": secret["value"], "expires_at": secret["expires_at"]}
            return answer

        return create

    async def create_call(request: web.Request) -> web.StreamResponse:
        session: dict[str, Any] = {}
        if request.content_type == "application/sdp":
            offer = await request.text()
        else:
            form = await read_form(request, ())
            sent = form.fields.get("sdp")
            if not isinstance(sent, str) or not sent:
                raise APIError(400, "Missing required parameter: 'sdp'.", param="sdp")
            offer = sent
            raw = form.fields.get("session")
            try:
                session = {} if raw is None else json.loads(raw)
            except ValueError:
                raise APIError(400, "'session' must be a JSON object.", param="session") from None
            session = session_of({"session": session})
        call = state.calls.start(session)
        return web.Response(
            status=201,
            text=sdp_answer(offer),
            content_type="application/sdp",
            headers={"Location": f"/v1/realtime/calls/{call.id}"},
        )

    def sip(calls: Calls, name: str, *, reject_required: bool) -> dict[str, Any]:
        """The accept, reject, refer and hangup routes of ``calls`` (path id ``name``)."""

        async def accept(request: web.Request) -> web.StreamResponse:
            body = await read_json_object(request)
            if calls is state.calls:
                check_accept(body)
                check_model(body)
                session = body
            else:
                session = check_live_session(body, required=True, kind="live")
            calls.accept(request.match_info[name], session)
            return _empty()

        async def reject(request: web.Request) -> web.StreamResponse:
            code = check_reject(await read_json_object(request), required=reject_required)
            calls.reject(request.match_info[name], code)
            return _empty()

        async def refer(request: web.Request) -> web.StreamResponse:
            target = check_refer(await read_json_object(request))
            calls.refer(request.match_info[name], target)
            return _empty()

        async def hangup(request: web.Request) -> web.StreamResponse:
            calls.hangup(request.match_info[name])
            return _empty()

        return {"accept": accept, "reject": reject, "refer": refer, "hangup": hangup}

    async def create_live(request: web.Request) -> Answer:
        body = await read_json_object(request)
        session = check_live_session(body, required=True)
        offer = check_transport(body)
        created = state.live.start(session)
        return {
            "session": {"id": created.id},
            "transport": {"type": "webrtc", "sdp": sdp_answer(offer)},
        }

    async def fork_live(request: web.Request) -> Answer:
        body = await read_json_object(request)
        offer = check_transport(body)
        check_live_session(body, required=False)
        fork_id = state.live.fork(request.match_info["session_id"])
        return {
            "session": {"id": fork_id},
            "transport": {"type": "webrtc", "sdp": sdp_answer(offer)},
        }

    async def recording(request: web.Request) -> web.StreamResponse:
        data = state.recording(request.match_info["session_id"])
        return web.Response(body=data, content_type="audio/wav")

    router.add_post("/v1/realtime/client_secrets", api_route(client_secret))
    router.add_post("/v1/realtime/translations/client_secrets", api_route(translation_secret))
    router.add_post("/v1/realtime/sessions", api_route(beta_session("realtime")))
    router.add_post("/v1/realtime/transcription_sessions", api_route(beta_session("transcription")))
    router.add_post("/v1/realtime/calls", api_route(create_call))
    router.add_post("/v1/live/sessions", api_route(create_live))
    router.add_post("/v1/live/sessions/{session_id}/fork", api_route(fork_live))
    router.add_get("/v1/live/sessions/{session_id}/content", api_route(recording), allow_head=False)
    for calls, prefix, name, required in (
        (state.calls, "/v1/realtime/calls/{call_id}", "call_id", False),
        (state.live, "/v1/live/sessions/{session_id}", "session_id", True),
    ):
        for verb, route in sip(calls, name, reject_required=required).items():
            router.add_post(f"{prefix}/{verb}", api_route(route))
