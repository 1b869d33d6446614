"""Request checks of webhook endpoints: OpenAI's 400s, as :class:`APIError`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, get_type_hints

from aio_openai.testing._checks import (
    APIError,
    invalid_value,
    literal_values,
    missing,
    wrong_type,
)
from aio_openai.types.webhooks.webhook_create_params import WebhookCreateParams

__all__ = ["EVENT_TYPES", "check_endpoint"]

#: The event types a webhook endpoint can subscribe to, as OpenAI lists them.
EVENT_TYPES: Final = literal_values(get_type_hints(WebhookCreateParams)["event_types"])


def _check_url(body: Mapping[str, Any], required: bool) -> None:
    url = body.get("url")
    if url is None:
        if required:
            raise missing("url")
        return
    if not isinstance(url, str):
        raise wrong_type("url", "a string", url)
    if not url.startswith(("https://", "http://")):
        raise APIError(400, "Invalid 'url': expected an http(s) URL.", param="url")


def _check_event_types(body: Mapping[str, Any], required: bool) -> None:
    types = body.get("event_types")
    if types is None:
        if required:
            raise missing("event_types")
        return
    if not isinstance(types, list) or not types:
        raise wrong_type("event_types", "a non-empty array", types)
    for i, name in enumerate(types):
        if name not in EVENT_TYPES:
            raise invalid_value(f"event_types[{i}]", name, EVENT_TYPES)


def _check_name(body: Mapping[str, Any], required: bool) -> None:
    name = body.get("name")
    if name is None:
        if required:
            raise missing("name")
    elif not isinstance(name, str):
        raise wrong_type("name", "a string", name)


def check_endpoint(body: Mapping[str, Any], *, create: bool) -> None:
    """A create (all of ``name``, ``url``, ``event_types``) or update body."""
    _check_name(body, create)
    _check_url(body, create)
    _check_event_types(body, create)
