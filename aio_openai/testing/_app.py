"""The aiohttp.web application of the fake server: its middlewares, in order, and its routes.

:func:`build_app` assembles everything. Requests pass the middlewares in this order:

1. ``errors`` turns any exception into an OpenAI-shaped JSON error (unknown routes into
   ``404 Invalid URL (...)``) and gives each request its ``x-request-id``;
2. the request recorder (only when a request log is given);
3. the API key check (the keys the admin API made are accepted too);
4. the scripted and random faults (when a :class:`Faults` is given);
5. the model check: a POST whose body names a model the state does not serve gets OpenAI's
   ``404 model_not_found`` (unless ``state.accept_any_model``);
6. the rate limits (when a :class:`Limits` is given);
7. metering: each model call answered is recorded in the admin API's usage (``_admin.meter``);
8. the route handler: the ``/v1/models`` routes, then every fake API's
   (:func:`._apis.add_api_routes`), then (unless ``generic`` is false) the generic mode's
   catch-all, answering any other operation of OpenAI's spec (:mod:`._generic`).

WebSockets still open when the server stops are closed with code 1001 (going away).

Headers every response carries (``x-request-id``, ``openai-version``, ...) are added in an
``on_response_prepare`` hook so that streamed responses get them too (fault answers included).
"""

from __future__ import annotations

import weakref
from collections.abc import Collection
from typing import Final

from aiohttp import web
from aiohttp.typedefs import Middleware

from aio_openai.testing._admin import metering
from aio_openai.testing._apis import add_api_routes
from aio_openai.testing._faults import Faults
from aio_openai.testing._generic import add_generic_routes
from aio_openai.testing._limits import Limits
from aio_openai.testing._middlewares import (
    RecordedRequest,
    add_openai_headers,
    api_key_check,
    bearer_key,
    errors,
    model_check,
    recorder,
)
from aio_openai.testing._models import add_models_routes
from aio_openai.testing._state import FakeState
from aio_openai.testing._ws import SOCKETS_KEY, close_open_sockets

__all__ = ["build_app"]

#: The largest request body accepted (aiohttp's default of 1 MiB is too small for uploads).
_CLIENT_MAX_SIZE: Final = 100 * 1024 * 1024


def build_app(
    state: FakeState,
    *,
    api_keys: Collection[str] | None = None,
    request_log: list[RecordedRequest] | None = None,
    faults: Faults | None = None,
    limits: Limits | None = None,
    generic: bool = True,
) -> web.Application:
    """Build the fake server's application around ``state``.

    ``api_keys`` None accepts any non-empty key; ``request_log``, if given, receives a
    :class:`RecordedRequest` per request (faulted ones too); ``faults``, if given, are served
    to requests that pass the key check.
    """
    middlewares: list[Middleware] = [errors]
    if request_log is not None:
        middlewares.append(recorder(request_log))
    keys = None if api_keys is None else frozenset(api_keys)

    def also(key: str, path: str) -> bool:  # keys the fake itself made
        return state.realtime_calls.accepts(key, path) or state.admin.knows_key(key)

    middlewares.append(api_key_check(keys, also))
    # After the key check and before the routes: faults, unknown models, then rate limits.
    if faults is not None:
        middlewares.append(faults.middleware)
    middlewares.append(model_check(state))
    if limits is not None:
        middlewares.append(limits.middleware(bearer_key))
    middlewares.append(metering(state.admin))
    app = web.Application(middlewares=middlewares, client_max_size=_CLIENT_MAX_SIZE)
    app[SOCKETS_KEY] = weakref.WeakSet()
    app.on_shutdown.append(close_open_sockets)
    app.on_response_prepare.append(add_openai_headers)
    if limits is not None:
        app.on_response_prepare.append(limits.add_headers)
    add_models_routes(app.router, state)
    add_api_routes(app.router, state)
    if generic:
        add_generic_routes(app.router, state.generic)
    return app
