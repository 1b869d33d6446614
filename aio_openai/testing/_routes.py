"""The aiohttp.web application of the fake server: middlewares, error bodies and routes.

:func:`build_app` assembles everything. Requests pass the middlewares in this order:

1. ``_errors`` turns any exception into an OpenAI-shaped JSON error (unknown routes into
   ``404 Invalid URL (...)``) and gives each request its ``x-request-id``;
2. the request recorder (only when a request log is given);
3. the API key check;
4. the scripted and random faults (when a :class:`Faults` is given);
5. the model check: a POST whose body names a model the state does not serve gets OpenAI's
   ``404 model_not_found`` (unless ``state.accept_any_model``);
6. the rate limits (when a :class:`Limits` is given);
7. the route handler.

Headers every response carries (``x-request-id``, ``openai-version``, ...) are added in an
``on_response_prepare`` hook so that streamed responses get them too (fault answers included).
Faults and rate limits are middlewares of their own, appended after the API key check in
:func:`build_app`.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import time
from collections.abc import Collection
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import unquote

import attrs
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from multidict import CIMultiDictProxy, MultiDictProxy

from aio_openai.testing._assistants import add_assistants_routes
from aio_openai.testing._chat import add_chat_routes
from aio_openai.testing._responses import add_responses_routes
from aio_openai.testing._state import FakeState, ProtectedModelError

if TYPE_CHECKING:
    from aio_openai.testing._faults import Faults
from aio_openai.testing._limits import Limits

__all__ = ["REQUEST_ID_KEY", "STATE_KEY", "RecordedRequest", "build_app", "error_response"]

_logger = logging.getLogger(__name__)

#: Where the application keeps its :class:`FakeState`.
STATE_KEY: Final = web.AppKey("aio_openai_fake_state", FakeState)

#: Where a request keeps the ``x-request-id`` its response gets.
REQUEST_ID_KEY: Final = web.RequestKey("aio_openai_fake_request_id", str)
_STARTED_KEY: Final = web.RequestKey("aio_openai_fake_started", float)

#: The largest request body accepted (aiohttp's default of 1 MiB is too small for uploads).
_CLIENT_MAX_SIZE: Final = 100 * 1024 * 1024

_JSON: Final = "application/json"
_OPENAI_VERSION: Final = "2020-10-01"

_MISSING_KEY_MESSAGE: Final = (
    "You didn't provide an API key. You need to provide your API key in an Authorization "
    "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field "
    "(with blank username) if you're accessing the API from your browser and are prompted for "
    "a username. You can obtain an API key from https://platform.openai.com/account/api-keys."
)
_INCORRECT_KEY_MESSAGE: Final = (
    "Incorrect API key provided. "
    "You can find your API key at https://platform.openai.com/account/api-keys."
)
_SERVER_ERROR_MESSAGE: Final = (
    "The server had an error while processing your request. Sorry about that!"
)

#: Number of leading ``rel_url.raw_parts`` (``"/"``, ``"v1"``, ``"models"``) before a model id.
_MODEL_ID_PART: Final = 3


@attrs.frozen(slots=True)
class RecordedRequest:
    """One request as the fake server received it.

    ``raw_path`` is the request target exactly as sent (still percent-encoded, with the query
    string); ``path`` is the path alone, percent-decoded exactly once. ``headers`` include
    ``Authorization`` as sent, but the ``repr`` of a record hides its value.
    """

    method: str
    raw_path: str
    path: str
    query: MultiDictProxy[str]
    headers: CIMultiDictProxy[str] = attrs.field(repr=lambda h: _redacted_headers_repr(h))
    body: bytes
    request_id: str

    @functools.cached_property
    def json(self) -> Any:
        """The body parsed as JSON, or None if it is empty or not JSON."""
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return None


def _redacted_headers_repr(headers: CIMultiDictProxy[str]) -> str:
    """Return a repr of ``headers`` with the value of ``Authorization`` hidden."""
    items = [(k, "<redacted>" if k.lower() == "authorization" else v) for k, v in headers.items()]
    return f"<CIMultiDictProxy({items!r})>"


def error_response(
    status: int,
    message: str,
    *,
    type: str = "invalid_request_error",
    param: str | None = None,
    code: str | None = None,
) -> web.Response:
    """Build an error response with OpenAI's body: ``{"error": {message, type, param, code}}``."""
    error = {"message": message, "type": type, "param": param, "code": code}
    body = json.dumps({"error": error}, ensure_ascii=False).encode()
    return web.Response(status=status, body=body, content_type=_JSON)


def _json_response(body: bytes) -> web.Response:
    """Return a 200 response carrying the already serialized JSON ``body``."""
    return web.Response(body=body, content_type=_JSON)


def _invalid_url(request: web.Request) -> web.Response:
    """Return OpenAI's 404 for a path or method it does not serve."""
    message = f"Invalid URL ({request.method} {request.rel_url.raw_path})"
    return error_response(404, message)


def _new_request_id() -> str:
    """Return a fresh ``req_<32 hex digits>`` request id."""
    return "req_" + os.urandom(16).hex()


@web.middleware
async def _errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Give the request an id and turn every exception into an OpenAI-shaped error."""
    request[_STARTED_KEY] = time.perf_counter()
    request[REQUEST_ID_KEY] = _new_request_id()
    try:
        return await handler(request)
    except (web.HTTPNotFound, web.HTTPMethodNotAllowed):
        return _invalid_url(request)
    except web.HTTPException as exc:
        return error_response(exc.status, exc.reason)
    except Exception:
        _logger.exception("FakeOpenAI: handler for %s %s failed", request.method, request.path)
        return error_response(500, _SERVER_ERROR_MESSAGE, type="server_error")


async def _add_openai_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Add the headers the real service puts on every response."""
    started = request.get(_STARTED_KEY)
    elapsed_ms = 0 if started is None else int((time.perf_counter() - started) * 1000)
    headers = response.headers
    headers["x-request-id"] = request.get(REQUEST_ID_KEY) or _new_request_id()
    headers["openai-processing-ms"] = str(elapsed_ms)
    headers["openai-version"] = _OPENAI_VERSION


def _recorder(log: list[RecordedRequest]) -> Middleware:
    """Return a middleware appending every request to ``log``."""

    @web.middleware
    async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
        """Append the request to the log, then handle it."""
        url = request.rel_url
        log.append(
            RecordedRequest(
                method=request.method,
                raw_path=request.raw_path,
                path=unquote(url.raw_path),
                query=url.query,
                headers=request.headers,
                body=await request.read(),
                request_id=request[REQUEST_ID_KEY],
            )
        )
        return await handler(request)

    return record


def _api_key_check(api_keys: frozenset[str] | None) -> Middleware:
    """Return a middleware requiring ``Authorization: Bearer <key>`` on every ``/v1`` path.

    With ``api_keys`` None any non-empty key is accepted, otherwise only those keys.
    """

    @web.middleware
    async def check_api_key(request: web.Request, handler: Handler) -> web.StreamResponse:
        """Answer 401 unless the request carries an accepted API key."""
        raw_path = request.rel_url.raw_path
        if raw_path == "/v1" or raw_path.startswith("/v1/"):
            scheme, _, key = request.headers.get("Authorization", "").partition(" ")
            key = key.strip()
            if scheme.lower() != "bearer" or not key:
                return error_response(401, _MISSING_KEY_MESSAGE)
            if api_keys is not None and key not in api_keys:
                return error_response(401, _INCORRECT_KEY_MESSAGE, code="invalid_api_key")
        return await handler(request)

    return check_api_key


def _model_id(request: web.Request) -> str:
    """Return the model id of a ``/v1/models/{model}`` request, percent-decoded exactly once.

    aiohttp's ``match_info`` decodes in two passes; the raw path is the unambiguous source.
    """
    return unquote("/".join(request.rel_url.raw_parts[_MODEL_ID_PART:]))


def _model_not_found(model_id: str) -> web.Response:
    """Return OpenAI's 404 for an unknown model."""
    return error_response(
        404,
        f"The model '{model_id}' does not exist",
        param="model",
        code="model_not_found",
    )


async def _list_models(request: web.Request) -> web.StreamResponse:
    """``GET /v1/models``: every model."""
    return _json_response(request.app[STATE_KEY].model_list_body())


async def _retrieve_model(request: web.Request) -> web.StreamResponse:
    """``GET /v1/models/{model}``: one model, or 404."""
    model_id = _model_id(request)
    body = request.app[STATE_KEY].model_body(model_id)
    if body is None:
        return _model_not_found(model_id)
    return _json_response(body)


async def _delete_model(request: web.Request) -> web.StreamResponse:
    """``DELETE /v1/models/{model}``: remove a model a test added; 403 for OpenAI's own."""
    model_id = _model_id(request)
    try:
        request.app[STATE_KEY].delete_model(model_id)
    except KeyError:
        return _model_not_found(model_id)
    except ProtectedModelError:
        return error_response(
            403,
            "You do not have permission to delete this model",
            code="insufficient_permissions",
        )
    body = json.dumps({"id": model_id, "object": "model", "deleted": True}, ensure_ascii=False)
    return _json_response(body.encode())


def _add_model_routes(router: web.UrlDispatcher) -> None:
    """Register the ``/v1/models`` routes."""
    router.add_get("/v1/models", _list_models, allow_head=False)
    router.add_get("/v1/models/{model:[\\s\\S]+}", _retrieve_model, allow_head=False)
    router.add_delete("/v1/models/{model:[\\s\\S]+}", _delete_model)


def _unknown_model(model_id: str) -> web.Response:
    """Return OpenAI's 404 for a request naming a model it does not serve."""
    return error_response(
        404,
        f"The model `{model_id}` does not exist or you do not have access to it.",
        code="model_not_found",
    )


def _model_check(state: FakeState) -> Middleware:
    """Return a middleware answering 404 ``model_not_found`` to a POST naming an unknown model.

    Every ``/v1`` endpoint whose body has a ``model`` (chat completions, embeddings, responses,
    assistants, runs) is covered at once. Bodies that are not JSON, or have no or an empty
    ``model``, are left to the route, which says what is wrong with them.
    """

    @web.middleware
    async def check_model(request: web.Request, handler: Handler) -> web.StreamResponse:
        """Answer 404 if the request's body names a model the state does not serve."""
        if request.method == "POST" and not state.accept_any_model and request.body_exists:
            raw = await request.read()
            if b'"model"' in raw:
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                model = body.get("model") if isinstance(body, dict) else None
                if isinstance(model, str) and model and not state.knows_model(model):
                    return _unknown_model(model)
        return await handler(request)

    return check_model


def _bearer_key(request: web.Request) -> str:
    """The API key a request was sent with (the rate-limit buckets are per key)."""
    return request.headers.get("Authorization", "").removeprefix("Bearer ").strip()


def build_app(
    state: FakeState,
    *,
    api_keys: Collection[str] | None = None,
    request_log: list[RecordedRequest] | None = None,
    faults: Faults | None = None,
    limits: Limits | None = None,
) -> web.Application:
    """Build the fake server's application around ``state``.

    ``api_keys`` None accepts any non-empty key; ``request_log``, if given, receives a
    :class:`RecordedRequest` per request (faulted ones too); ``faults``, if given, are served
    to requests that pass the key check.
    """
    middlewares: list[Middleware] = [_errors]
    if request_log is not None:
        middlewares.append(_recorder(request_log))
    middlewares.append(_api_key_check(None if api_keys is None else frozenset(api_keys)))
    # After the key check and before the routes: faults, unknown models, then rate limits.
    if faults is not None:
        middlewares.append(faults.middleware)
    middlewares.append(_model_check(state))
    if limits is not None:
        middlewares.append(limits.middleware(_bearer_key))
    app = web.Application(middlewares=middlewares, client_max_size=_CLIENT_MAX_SIZE)
    app[STATE_KEY] = state
    app.on_response_prepare.append(_add_openai_headers)
    if limits is not None:
        app.on_response_prepare.append(limits.add_headers)
    _add_model_routes(app.router)
    add_chat_routes(app, state.chat)
    add_assistants_routes(app.router, state.assistants)
    add_responses_routes(app.router, state.responses)
    return app
