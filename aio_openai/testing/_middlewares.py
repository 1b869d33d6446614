"""The fake server's checks of every request, as aiohttp middlewares, and the request log.

- :data:`errors` turns any exception into an OpenAI-shaped JSON error (unknown routes into
  ``404 Invalid URL (...)``) and gives each request its ``x-request-id``;
  :func:`add_openai_headers` puts the headers the real service sends on every response;
- :func:`recorder` appends every request to a log, as a :class:`RecordedRequest`;
- :func:`api_key_check`: ``Authorization: Bearer <key>`` on every ``/v1`` path (401s);
- :func:`model_check`: a POST whose body names a model the state does not serve gets
  OpenAI's ``404 model_not_found``.

:func:`._app.build_app` installs them, in its documented order.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import time
from collections.abc import Callable
from typing import Any, Final
from urllib.parse import unquote

import attrs
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from multidict import CIMultiDictProxy, MultiDictProxy

from aio_openai.testing._forms import FORM_RECORD_KEY
from aio_openai.testing._http import bearer_key, json_error
from aio_openai.testing._state import FakeState

__all__ = [
    "REQUEST_ID_KEY",
    "RecordedRequest",
    "add_openai_headers",
    "api_key_check",
    "bearer_key",
    "errors",
    "model_check",
    "recorder",
]

_logger = logging.getLogger(__name__)

#: Where a request keeps the ``x-request-id`` its response gets.
REQUEST_ID_KEY: Final = web.RequestKey("aio_openai_fake_request_id", str)
_STARTED_KEY: Final = web.RequestKey("aio_openai_fake_started", float)

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


@attrs.frozen(slots=True)
class RecordedRequest:
    """One request as the fake server received it.

    ``raw_path`` is the request target exactly as sent (still percent-encoded, with the query
    string); ``path`` is the path alone, percent-decoded exactly once. ``headers`` include
    ``Authorization`` as sent, but the ``repr`` of a record hides its value. The ``body`` of
    a ``multipart/form-data`` request (an upload, which may be large) is not kept: it is
    ``b""``, and the route reads the form as it arrives; ``form`` then holds the form's plain
    fields (nested as JSON would be) and ``files`` the filenames of its file parts by field
    name, once the route has read them (both empty for other requests).
    """

    method: str
    raw_path: str
    path: str
    query: MultiDictProxy[str]
    headers: CIMultiDictProxy[str] = attrs.field(repr=lambda h: _redacted_headers_repr(h))
    body: bytes
    request_id: str
    form: dict[str, Any] = attrs.field(factory=dict, repr=False)
    files: dict[str, list[str]] = attrs.field(factory=dict, repr=False)

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


def _invalid_url(request: web.Request) -> web.Response:
    """Return OpenAI's 404 for a path or method it does not serve."""
    message = f"Invalid URL ({request.method} {request.rel_url.raw_path})"
    return json_error(404, message)


def _is_form(request: web.Request) -> bool:
    """Whether the body is a multipart form (read by its route, part by part)."""
    return request.content_type == "multipart/form-data"


def _new_request_id() -> str:
    """Return a fresh ``req_<32 hex digits>`` request id."""
    return "req_" + os.urandom(16).hex()


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Give the request an id and turn every exception into an OpenAI-shaped error."""
    request[_STARTED_KEY] = time.perf_counter()
    request[REQUEST_ID_KEY] = _new_request_id()
    try:
        return await handler(request)
    except (web.HTTPNotFound, web.HTTPMethodNotAllowed):
        return _invalid_url(request)
    except web.HTTPException as exc:
        return json_error(exc.status, exc.reason)
    except Exception:
        _logger.exception("FakeOpenAI: handler for %s %s failed", request.method, request.path)
        return json_error(500, _SERVER_ERROR_MESSAGE, type="server_error")


async def add_openai_headers(request: web.Request, response: web.StreamResponse) -> None:
    """``on_response_prepare`` hook: the headers the real service puts on every response."""
    started = request.get(_STARTED_KEY)
    elapsed_ms = 0 if started is None else int((time.perf_counter() - started) * 1000)
    headers = response.headers
    headers["x-request-id"] = request.get(REQUEST_ID_KEY) or _new_request_id()
    headers["openai-processing-ms"] = str(elapsed_ms)
    headers["openai-version"] = _OPENAI_VERSION


def recorder(log: list[RecordedRequest]) -> Middleware:
    """Return a middleware appending every request to ``log``."""

    @web.middleware
    async def record(request: web.Request, handler: Handler) -> web.StreamResponse:
        """Append the request to the log, then handle it."""
        url = request.rel_url
        form: dict[str, Any] = {}
        files: dict[str, list[str]] = {}
        is_form = _is_form(request)
        if is_form:
            request[FORM_RECORD_KEY] = (form, files)  # filled by read_form
        log.append(
            RecordedRequest(
                method=request.method,
                raw_path=request.raw_path,
                path=unquote(url.raw_path),
                query=url.query,
                headers=request.headers,
                body=b"" if is_form else await request.read(),
                request_id=request[REQUEST_ID_KEY],
                form=form,
                files=files,
            )
        )
        return await handler(request)

    return record


def api_key_check(
    api_keys: frozenset[str] | None, also: Callable[[str, str], bool] | None = None
) -> Middleware:
    """Return a middleware requiring ``Authorization: Bearer <key>`` on every ``/v1`` path.

    With ``api_keys`` None any non-empty key is accepted, otherwise only those keys, and
    those ``also(key, path)`` accepts (a Realtime client secret on a Realtime path, a project
    or admin key the fake's admin API made).
    """

    @web.middleware
    async def check_api_key(request: web.Request, handler: Handler) -> web.StreamResponse:
        """Answer 401 unless the request carries an accepted API key."""
        raw_path = request.rel_url.raw_path
        if raw_path == "/v1" or raw_path.startswith("/v1/"):
            scheme, _, key = request.headers.get("Authorization", "").partition(" ")
            key = key.strip()
            if scheme.lower() != "bearer" or not key:
                return json_error(401, _MISSING_KEY_MESSAGE)
            if api_keys is not None and key not in api_keys and not (also and also(key, raw_path)):
                return json_error(401, _INCORRECT_KEY_MESSAGE, code="invalid_api_key")
        return await handler(request)

    return check_api_key


def _unknown_model(model_id: str) -> web.Response:
    """Return OpenAI's 404 for a request naming a model it does not serve."""
    return json_error(
        404,
        f"The model `{model_id}` does not exist or you do not have access to it.",
        code="model_not_found",
    )


def model_check(state: FakeState) -> Middleware:
    """Return a middleware answering 404 ``model_not_found`` to a POST naming an unknown model.

    Every ``/v1`` endpoint whose body has a ``model`` (chat completions, embeddings, responses,
    assistants, runs) is covered at once. Bodies that are not JSON, or have no or an empty
    ``model``, are left to the route, which says what is wrong with them.
    """

    @web.middleware
    async def check_model(request: web.Request, handler: Handler) -> web.StreamResponse:
        """Answer 404 if the request's body names a model the state does not serve."""
        if (
            request.method == "POST"
            and not state.accept_any_model
            and request.body_exists
            and not _is_form(request)
            and not request.path.startswith("/v1/realtime/")  # its routes check their models
        ):
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
