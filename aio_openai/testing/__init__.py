"""A fake OpenAI server for tests and demos: a real aiohttp.web server on localhost.

``import aio_openai`` does not import this package; import it explicitly::

    from aio_openai.testing import FakeOpenAI

    async with FakeOpenAI() as fake:
        ...  # point a client at fake.url with any API key

With pytest, the ``fake_openai`` fixture (from the plugin :mod:`aio_openai.testing.pytest_plugin`,
registered automatically when aio_openai is installed) yields a running server.

``sign_webhook(payload, secret)`` gives the headers OpenAI signs a webhook with, to test a
handler that calls ``client.webhooks.unwrap``; the fake's webhook endpoints
(``/v1/webhook_endpoints``) also send signed events themselves (batches ending, tests).

``fake.faults`` injects errors, cut connections and delays, scripted or at random::

    fake.faults.push("GET /v1/models/{model}", status=503, times=2)
    fake.faults.random(0.2, {"status_503": 1, "reset": 1}, seed=1234)

Inside (for maintainers): :class:`FakeOpenAI` serves an aiohttp application
(``_app.build_app``): the checks every request passes (``_middlewares``, ``_faults``,
``_limits``), the ``/v1/models`` routes (``_models``) and one package per fake API
(``_chat``, ``_assistants``, ``_responses``, ``_moderations``, ``_files``, ``_batches``,
``_containers``, ``_webhooks``). Each such package is its state (``state.py``:
the API's data and the operations on it, under its lock; what tests reach as
``fake.state.<api>``) and thin routes (``routes.py``: parse the request, check it with the
shared ``_checks``, call state operations, render; ``_http.api_route`` sends the JSON or the
error, ``_sse`` the streams). A new fake API is such a package, registered in ``_apis``. Every other
operation of OpenAI's spec is answered by the generic mode (``_generic``: one catch-all route
after the others, the spec shipped in the package and read on first use; off with
``FakeOpenAI(generic=False)``).
"""

from __future__ import annotations

from aio_openai.testing._faults import Fault, FaultKind, Faults, InjectedFault
from aio_openai.testing._middlewares import RecordedRequest
from aio_openai.testing._seed import SEED_MODELS, SeedModel
from aio_openai.testing._server import FakeOpenAI
from aio_openai.testing._signing import sign_webhook
from aio_openai.testing._state import FakeState, ModelObject, ProtectedModelError

__all__ = [
    "SEED_MODELS",
    "FakeOpenAI",
    "FakeState",
    "Fault",
    "FaultKind",
    "Faults",
    "InjectedFault",
    "ModelObject",
    "ProtectedModelError",
    "RecordedRequest",
    "SeedModel",
    "sign_webhook",
]
