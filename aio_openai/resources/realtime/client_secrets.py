"""Ephemeral keys for the Realtime API: ``client.realtime.client_secrets.create`` and
``client.realtime.translations.client_secrets.create``.

A client secret (``ek_...``) is a short-lived key a browser or phone uses in place of the API
key to open a Realtime session (``Authorization: Bearer ek_...``); it carries the session's
configuration and expires after ``expires_after`` (10 minutes by default).
"""

from __future__ import annotations

from typing import Unpack

from ..._endpoints import endpoint
from ..._resource import APIResource
from ..._types import RequestOptions
from ...types.realtime.client_secret_create_params import ClientSecretCreateParams
from ...types.realtime.client_secret_create_response import ClientSecretCreateResponse
from ...types.realtime.realtime_translation_client_secret_create_response import (
    RealtimeTranslationClientSecretCreateResponse,
)
from ...types.realtime.translations.client_secret_create_params import (
    ClientSecretCreateParams as TranslationClientSecretCreateParams,
)

__all__ = ["ClientSecrets", "TranslationClientSecrets"]


class _CreateArgs(ClientSecretCreateParams, RequestOptions, total=False): ...


class _TranslationCreateArgs(TranslationClientSecretCreateParams, RequestOptions, total=False): ...


class ClientSecrets(APIResource):
    """``client.realtime.client_secrets``: create."""

    __slots__ = ()

    @endpoint("POST", "/realtime/client_secrets", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> ClientSecretCreateResponse:
        """Mint a client secret for a Realtime session configured by ``session`` (a
        ``realtime`` or ``transcription`` session), valid for ``expires_after`` (``anchor``
        ``"created_at"``, ``seconds`` from 10 to 7200; 600 by default). Returns its ``value``
        (``ek_...``), ``expires_at`` and the ``session``. Raises BadRequestError for a bad
        parameter."""
        return await self._call(ClientSecrets.create, ClientSecretCreateResponse, params)


class TranslationClientSecrets(APIResource):
    """``client.realtime.translations.client_secrets``: create."""

    __slots__ = ()

    @endpoint("POST", "/realtime/translations/client_secrets", _TranslationCreateArgs)
    async def create(
        self, **params: Unpack[_TranslationCreateArgs]
    ) -> RealtimeTranslationClientSecretCreateResponse:
        """Mint a client secret for a translation session configured by ``session``, valid
        for ``expires_after``. Returns its ``value``, ``expires_at`` and the ``session``."""
        return await self._call(
            TranslationClientSecrets.create, RealtimeTranslationClientSecretCreateResponse, params
        )
