"""Webhook signatures as OpenAI makes them: the Standard Webhooks scheme.

A webhook request carries three headers::

    webhook-id: wh_...                      the event's delivery id (the same on retries)
    webhook-timestamp: 1723500000           unix seconds when it was signed
    webhook-signature: v1,<base64> [v1,<base64> ...]

Each signature is the base64 HMAC-SHA256, keyed by the secret, of ``"{id}.{timestamp}."``
followed by the raw body. A secret written ``whsec_<base64>`` is keyed by the bytes the base64
stands for; any other secret by its UTF-8 bytes. Several signatures (space-separated) are sent
while a rotated secret's predecessor is still active: one match is enough.

:func:`signature` signs (the FakeOpenAI deliveries and ``aio_openai.testing.sign_webhook`` use
it); :func:`verify` checks a request (``client.webhooks.verify_signature`` and ``unwrap``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Mapping
from typing import Final

from ._exceptions import InvalidWebhookSignatureError

__all__ = [
    "DEFAULT_TOLERANCE",
    "ID_HEADER",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "HeadersLike",
    "secret_key",
    "signature",
    "verify",
]

ID_HEADER: Final = "webhook-id"
TIMESTAMP_HEADER: Final = "webhook-timestamp"
SIGNATURE_HEADER: Final = "webhook-signature"
#: Seconds a webhook's timestamp may be away from now, either way (a replay window).
DEFAULT_TOLERANCE: Final = 300
_SECRET_PREFIX: Final = "whsec_"
_VERSION: Final = "v1"

#: Headers as a web framework gives them: a dict (any case of names) or a case-insensitive
#: mapping such as aiohttp's ``request.headers``.
HeadersLike = Mapping[str, str]


def secret_key(secret: str) -> bytes:
    """The HMAC key of ``secret``; ValueError for an empty one or bad base64 after whsec_."""
    if not isinstance(secret, str):
        raise TypeError(f"The webhook secret must be a str, got {type(secret).__name__}")
    if secret.startswith(_SECRET_PREFIX):
        try:
            key = base64.b64decode(secret[len(_SECRET_PREFIX) :], validate=True)
        except binascii.Error:
            raise ValueError("The webhook secret is not valid base64 after 'whsec_'") from None
    else:
        key = secret.encode()
    if not key:
        raise ValueError("The webhook secret must not be empty")
    return key


def _bytes(payload: str | bytes) -> bytes:
    return payload.encode() if isinstance(payload, str) else bytes(payload)


def _sign(key: bytes, payload: str | bytes, webhook_id: str, timestamp: int | str) -> bytes:
    mac = hmac.new(key, f"{webhook_id}.{timestamp}.".encode(), hashlib.sha256)
    mac.update(_bytes(payload))
    return base64.b64encode(mac.digest())


def signature(payload: str | bytes, *, secret: str, webhook_id: str, timestamp: int) -> str:
    """The base64 HMAC-SHA256 of ``"{webhook_id}.{timestamp}.{payload}"`` under ``secret``
    (without the ``v1,`` prefix)."""
    return _sign(secret_key(secret), payload, webhook_id, timestamp).decode("ascii")


def _header(headers: HeadersLike, name: str) -> str:
    """The value of header ``name`` whatever the case of its key; the typed error if absent."""
    value = headers.get(name)
    if value is None:
        value = next((v for k, v in headers.items() if k.lower() == name), None)
    if not isinstance(value, str) or not value:
        raise InvalidWebhookSignatureError(f"Could not find the {name} header")
    return value


def verify(
    payload: str | bytes,
    headers: HeadersLike,
    *,
    secret: str,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> None:
    """Return if one of the request's ``v1`` signatures is the payload's under ``secret``
    and its timestamp is within ``tolerance`` seconds of ``now`` (default: the clock).

    Raises InvalidWebhookSignatureError otherwise (a missing header, a timestamp that is not
    an integer, too old or too new, no matching signature); ValueError for a bad secret.
    Signatures are compared in constant time.
    """
    key = secret_key(secret)  # a bad secret is the caller's error, said first
    signatures = _header(headers, SIGNATURE_HEADER)
    raw_timestamp = _header(headers, TIMESTAMP_HEADER)
    webhook_id = _header(headers, ID_HEADER)
    try:
        timestamp = int(raw_timestamp)
    except ValueError:
        raise InvalidWebhookSignatureError("Invalid webhook timestamp format") from None
    current = int(time.time() if now is None else now)
    if current - timestamp > tolerance:
        raise InvalidWebhookSignatureError("Webhook timestamp is too old")
    if timestamp - current > tolerance:
        raise InvalidWebhookSignatureError("Webhook timestamp is too new")
    # signed as the header wrote it: a timestamp of "+17..." or "017..." signs those bytes
    wanted = _sign(key, payload, webhook_id, raw_timestamp)
    matched = False
    for part in signatures.split():
        version, comma, value = part.partition(",")
        if not comma:
            value = part  # a bare signature, as the official SDK accepts
        elif version != _VERSION:
            continue  # a scheme this side does not know (Standard Webhooks' v1a, ...)
        # every candidate is compared, so the time taken says nothing of which one matched
        matched |= hmac.compare_digest(wanted, value.encode("utf-8", "replace"))
    if not matched:
        raise InvalidWebhookSignatureError(
            "The given webhook signature does not match the expected signature"
        )
