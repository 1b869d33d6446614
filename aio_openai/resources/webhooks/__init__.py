"""Webhooks: the events OpenAI sends a web backend (``unwrap``, ``verify_signature``) and the
endpoints that receive them (``/webhook_endpoints``).

OpenAI signs each webhook request the Standard Webhooks way (see :mod:`aio_openai._webhooks`)
with the endpoint's secret: ``AsyncOpenAI(webhook_secret=...)``, ``OPENAI_WEBHOOK_SECRET``, or
the ``secret`` argument. ``unwrap`` checks the signature and returns the typed event.
"""

from __future__ import annotations

from typing import Final, Unpack

from ..._convert import converter
from ..._endpoints import endpoint
from ..._json import loads as json_loads
from ..._pagination import AsyncCursorPage, AsyncPaginator
from ..._resource import APIResource
from ..._types import RequestOptions
from ..._webhooks import DEFAULT_TOLERANCE, HeadersLike, verify
from ...types.webhooks.deleted_webhook_endpoint import DeletedWebhookEndpoint
from ...types.webhooks.unwrap_webhook_event import UnwrapWebhookEvent
from ...types.webhooks.webhook_create_params import WebhookCreateParams
from ...types.webhooks.webhook_endpoint import WebhookEndpoint
from ...types.webhooks.webhook_endpoint_test_result import WebhookEndpointTestResult
from ...types.webhooks.webhook_endpoint_with_secret import WebhookEndpointWithSecret
from ...types.webhooks.webhook_list_params import WebhookListParams
from ...types.webhooks.webhook_rotate_secret_params import WebhookRotateSecretParams
from ...types.webhooks.webhook_test_params import WebhookTestParams
from ...types.webhooks.webhook_update_params import WebhookUpdateParams
from .event_types import EventTypes

__all__ = ["EventTypes", "Webhooks"]

_structure_event = converter.get_structure_hook(UnwrapWebhookEvent)
_NO_SECRET: Final = (
    "The webhook secret must either be set using the env var, OPENAI_WEBHOOK_SECRET, on the"
    " client class, AsyncOpenAI(webhook_secret='123'), or passed to this function"
)


class _CreateArgs(WebhookCreateParams, RequestOptions, total=False): ...


class _UpdateArgs(WebhookUpdateParams, RequestOptions, total=False): ...


class _ListArgs(WebhookListParams, RequestOptions, total=False): ...


class _RotateArgs(WebhookRotateSecretParams, RequestOptions, total=False): ...


class _TestArgs(WebhookTestParams, RequestOptions, total=False): ...


class Webhooks(APIResource):
    """``client.webhooks``: unwrap, verify_signature; create, retrieve, update, list,
    delete, rotate_secret, test; ``event_types``."""

    __slots__ = ()

    @property
    def event_types(self) -> EventTypes:
        """The event types a webhook endpoint can subscribe to: list."""
        return EventTypes(self._client, raw=self._raw)

    # -- receiving ---------------------------------------------------------------------------

    def unwrap(
        self, payload: str | bytes, headers: HeadersLike, *, secret: str | None = None
    ) -> UnwrapWebhookEvent:
        """Check that a webhook request came from OpenAI and return its event.

        ``payload`` is the request's raw body (bytes as received, or str), ``headers`` its
        headers (any mapping: aiohttp's ``request.headers``, a dict). Returns the typed event
        (``BatchCompletedWebhookEvent``, ``ResponseCompletedWebhookEvent``, ...; an event
        type this version does not know is an ``UnknownVariant`` holding every key). Raises
        InvalidWebhookSignatureError as :meth:`verify_signature` does, ValueError when no
        secret is set or the verified body is not JSON.
        """
        self.verify_signature(payload, headers, secret=secret)
        body = payload.encode() if isinstance(payload, str) else payload
        event: UnwrapWebhookEvent = _structure_event(json_loads(body), UnwrapWebhookEvent)
        return event

    def verify_signature(
        self,
        payload: str | bytes,
        headers: HeadersLike,
        *,
        secret: str | None = None,
        tolerance: int = DEFAULT_TOLERANCE,
    ) -> None:
        """Check that a webhook request came from OpenAI; return None if it did.

        ``secret`` defaults to the client's ``webhook_secret`` (``OPENAI_WEBHOOK_SECRET``).
        Raises InvalidWebhookSignatureError for a missing ``webhook-id``,
        ``webhook-timestamp`` or ``webhook-signature`` header, a timestamp more than
        ``tolerance`` seconds old or ahead (a replay), or no signature matching the payload
        (compared in constant time); ValueError when no secret is set at all.
        """
        if secret is None:
            secret = self._client.webhook_secret
        if secret is None:
            raise ValueError(_NO_SECRET)
        verify(payload, headers, secret=secret, tolerance=tolerance)

    # -- the endpoints -----------------------------------------------------------------------

    @endpoint("POST", "/webhook_endpoints", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> WebhookEndpointWithSecret:
        """Register ``url`` (named ``name``) to receive the ``event_types`` events.

        Returns the endpoint with its ``signing_secret``, shown this once: keep it to verify
        the webhooks. Raises BadRequestError for a bad url or an unknown event type.
        """
        return await self._call(Webhooks.create, WebhookEndpointWithSecret, params)

    @endpoint("GET", "/webhook_endpoints/{webhook_endpoint_id}")
    async def retrieve(
        self, webhook_endpoint_id: str, **options: Unpack[RequestOptions]
    ) -> WebhookEndpoint:
        """Retrieve a webhook endpoint (its secret's hint only). Raises NotFoundError when
        there is no such endpoint."""
        return await self._call(
            Webhooks.retrieve, WebhookEndpoint, options, webhook_endpoint_id=webhook_endpoint_id
        )

    @endpoint("POST", "/webhook_endpoints/{webhook_endpoint_id}", _UpdateArgs)
    async def update(
        self, webhook_endpoint_id: str, **params: Unpack[_UpdateArgs]
    ) -> WebhookEndpoint:
        """Change the ``name``, ``url`` or ``event_types`` of a webhook endpoint; returns it."""
        return await self._call(
            Webhooks.update, WebhookEndpoint, params, webhook_endpoint_id=webhook_endpoint_id
        )

    @endpoint("GET", "/webhook_endpoints", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[WebhookEndpoint, AsyncCursorPage[WebhookEndpoint]]:
        """The webhook endpoints: ``await`` it for the first page, ``async for`` every one."""
        return self._list(Webhooks.list, WebhookEndpoint, params)

    @endpoint("DELETE", "/webhook_endpoints/{webhook_endpoint_id}")
    async def delete(
        self, webhook_endpoint_id: str, **options: Unpack[RequestOptions]
    ) -> DeletedWebhookEndpoint:
        """Delete a webhook endpoint. Raises NotFoundError when there is no such endpoint."""
        return await self._call(
            Webhooks.delete,
            DeletedWebhookEndpoint,
            options,
            webhook_endpoint_id=webhook_endpoint_id,
        )

    @endpoint("POST", "/webhook_endpoints/{webhook_endpoint_id}/rotate_secret", _RotateArgs)
    async def rotate_secret(
        self, webhook_endpoint_id: str, **params: Unpack[_RotateArgs]
    ) -> WebhookEndpointWithSecret:
        """Give a webhook endpoint a new signing secret; returns it with the new secret.

        With ``keep_old_secret_active_for_24_hours=True`` webhooks carry a signature by each
        secret meanwhile, so receivers can switch without losing one.
        """
        return await self._call(
            Webhooks.rotate_secret,
            WebhookEndpointWithSecret,
            params,
            webhook_endpoint_id=webhook_endpoint_id,
        )

    @endpoint("POST", "/webhook_endpoints/{webhook_endpoint_id}/test", _TestArgs)
    async def test(
        self, webhook_endpoint_id: str, **params: Unpack[_TestArgs]
    ) -> WebhookEndpointTestResult:
        """Send the endpoint a signed test event of ``event_type``; returns the status code
        its url answered and whether that was a success."""
        return await self._call(
            Webhooks.test,
            WebhookEndpointTestResult,
            params,
            webhook_endpoint_id=webhook_endpoint_id,
        )
