"""Signed webhook requests for tests of a webhook handler: :func:`sign_webhook`."""

from __future__ import annotations

import time
from collections.abc import Iterable

from aio_openai._webhooks import ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signature
from aio_openai.testing._shapes import new_id

__all__ = ["sign_webhook"]


def sign_webhook(
    payload: str | bytes,
    secret: str | Iterable[str],
    *,
    webhook_id: str | None = None,
    timestamp: int | None = None,
) -> dict[str, str]:
    """The headers OpenAI would send with ``payload``, signed with ``secret``.

    Returns ``webhook-id`` (``webhook_id``, default a fresh ``wh_...``), ``webhook-timestamp``
    (``timestamp`` in unix seconds, default now) and ``webhook-signature`` (``v1,<base64>``;
    one per secret, space-separated, when ``secret`` is several, as during a rotation). Send
    them with the payload, byte for byte, to test a handler that calls
    ``client.webhooks.unwrap``; an old ``timestamp`` tests its replay check::

        headers = sign_webhook(body, "whsec_...")
        async with session.post(url, data=body, headers=headers) as response: ...

    ValueError for an empty secret or one whose base64 after ``whsec_`` is bad.
    """
    secrets = [secret] if isinstance(secret, str) else list(secret)
    if not secrets:
        raise ValueError("sign_webhook needs at least one secret")
    webhook_id = new_id("wh_") if webhook_id is None else webhook_id
    timestamp = int(time.time()) if timestamp is None else timestamp
    signatures = " ".join(
        "v1," + signature(payload, secret=s, webhook_id=webhook_id, timestamp=timestamp)
        for s in secrets
    )
    return {ID_HEADER: webhook_id, TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: signatures}
