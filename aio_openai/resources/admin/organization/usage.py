"""``client.admin.organization.usage``: ``/organization/costs``."""

from __future__ import annotations

from typing import Unpack

from ...._endpoints import endpoint
from ...._resource import AdminResource
from ...._types import RequestOptions
from ....types.admin.organization.usage_audio_speeches_params import UsageAudioSpeechesParams
from ....types.admin.organization.usage_audio_speeches_response import UsageAudioSpeechesResponse
from ....types.admin.organization.usage_audio_transcriptions_params import (
    UsageAudioTranscriptionsParams,
)
from ....types.admin.organization.usage_audio_transcriptions_response import (
    UsageAudioTranscriptionsResponse,
)
from ....types.admin.organization.usage_code_interpreter_sessions_params import (
    UsageCodeInterpreterSessionsParams,
)
from ....types.admin.organization.usage_code_interpreter_sessions_response import (
    UsageCodeInterpreterSessionsResponse,
)
from ....types.admin.organization.usage_completions_params import UsageCompletionsParams
from ....types.admin.organization.usage_completions_response import UsageCompletionsResponse
from ....types.admin.organization.usage_costs_params import UsageCostsParams
from ....types.admin.organization.usage_costs_response import UsageCostsResponse
from ....types.admin.organization.usage_decisions_params import UsageDecisionsParams
from ....types.admin.organization.usage_decisions_response import UsageDecisionsResponse
from ....types.admin.organization.usage_embeddings_params import UsageEmbeddingsParams
from ....types.admin.organization.usage_embeddings_response import UsageEmbeddingsResponse
from ....types.admin.organization.usage_file_search_calls_params import UsageFileSearchCallsParams
from ....types.admin.organization.usage_file_search_calls_response import (
    UsageFileSearchCallsResponse,
)
from ....types.admin.organization.usage_images_params import UsageImagesParams
from ....types.admin.organization.usage_images_response import UsageImagesResponse
from ....types.admin.organization.usage_moderations_params import UsageModerationsParams
from ....types.admin.organization.usage_moderations_response import UsageModerationsResponse
from ....types.admin.organization.usage_vector_stores_params import UsageVectorStoresParams
from ....types.admin.organization.usage_vector_stores_response import UsageVectorStoresResponse
from ....types.admin.organization.usage_web_search_calls_params import UsageWebSearchCallsParams
from ....types.admin.organization.usage_web_search_calls_response import UsageWebSearchCallsResponse

__all__ = ["Usage"]


class _AudioSpeechesArgs(UsageAudioSpeechesParams, RequestOptions, total=False): ...


class _AudioTranscriptionsArgs(UsageAudioTranscriptionsParams, RequestOptions, total=False): ...


class _CodeInterpreterSessionsArgs(
    UsageCodeInterpreterSessionsParams, RequestOptions, total=False
): ...


class _CompletionsArgs(UsageCompletionsParams, RequestOptions, total=False): ...


class _CostsArgs(UsageCostsParams, RequestOptions, total=False): ...


class _DecisionsArgs(UsageDecisionsParams, RequestOptions, total=False): ...


class _EmbeddingsArgs(UsageEmbeddingsParams, RequestOptions, total=False): ...


class _FileSearchCallsArgs(UsageFileSearchCallsParams, RequestOptions, total=False): ...


class _ImagesArgs(UsageImagesParams, RequestOptions, total=False): ...


class _ModerationsArgs(UsageModerationsParams, RequestOptions, total=False): ...


class _VectorStoresArgs(UsageVectorStoresParams, RequestOptions, total=False): ...


class _WebSearchCallsArgs(UsageWebSearchCallsParams, RequestOptions, total=False): ...


class Usage(AdminResource):
    """``client.admin.organization.usage``: audio_speeches, audio_transcriptions,
    code_interpreter_sessions, completions, costs, decisions, embeddings, file_search_calls,
    images, moderations, vector_stores, web_search_calls.
    """

    __slots__ = ()

    @endpoint("GET", "/organization/usage/audio_speeches", _AudioSpeechesArgs)
    async def audio_speeches(
        self, **params: Unpack[_AudioSpeechesArgs]
    ) -> UsageAudioSpeechesResponse:
        """Audio speeches: ``GET /organization/usage/audio_speeches``; returns the answer."""
        return await self._call(Usage.audio_speeches, UsageAudioSpeechesResponse, params)

    @endpoint("GET", "/organization/usage/audio_transcriptions", _AudioTranscriptionsArgs)
    async def audio_transcriptions(
        self, **params: Unpack[_AudioTranscriptionsArgs]
    ) -> UsageAudioTranscriptionsResponse:
        """Audio transcriptions: ``GET /organization/usage/audio_transcriptions``; returns the
        answer.
        """
        return await self._call(
            Usage.audio_transcriptions, UsageAudioTranscriptionsResponse, params
        )

    @endpoint("GET", "/organization/usage/code_interpreter_sessions", _CodeInterpreterSessionsArgs)
    async def code_interpreter_sessions(
        self, **params: Unpack[_CodeInterpreterSessionsArgs]
    ) -> UsageCodeInterpreterSessionsResponse:
        """Code interpreter sessions: ``GET /organization/usage/code_interpreter_sessions``;
        returns the answer.
        """
        return await self._call(
            Usage.code_interpreter_sessions, UsageCodeInterpreterSessionsResponse, params
        )

    @endpoint("GET", "/organization/usage/completions", _CompletionsArgs)
    async def completions(self, **params: Unpack[_CompletionsArgs]) -> UsageCompletionsResponse:
        """Completions: ``GET /organization/usage/completions``; returns the answer."""
        return await self._call(Usage.completions, UsageCompletionsResponse, params)

    @endpoint("GET", "/organization/costs", _CostsArgs)
    async def costs(self, **params: Unpack[_CostsArgs]) -> UsageCostsResponse:
        """Costs: ``GET /organization/costs``; returns the answer."""
        return await self._call(Usage.costs, UsageCostsResponse, params)

    @endpoint("GET", "/organization/usage/decisions", _DecisionsArgs)
    async def decisions(self, **params: Unpack[_DecisionsArgs]) -> UsageDecisionsResponse:
        """Decisions: ``GET /organization/usage/decisions``; returns the answer."""
        return await self._call(Usage.decisions, UsageDecisionsResponse, params)

    @endpoint("GET", "/organization/usage/embeddings", _EmbeddingsArgs)
    async def embeddings(self, **params: Unpack[_EmbeddingsArgs]) -> UsageEmbeddingsResponse:
        """Embeddings: ``GET /organization/usage/embeddings``; returns the answer."""
        return await self._call(Usage.embeddings, UsageEmbeddingsResponse, params)

    @endpoint("GET", "/organization/usage/file_search_calls", _FileSearchCallsArgs)
    async def file_search_calls(
        self, **params: Unpack[_FileSearchCallsArgs]
    ) -> UsageFileSearchCallsResponse:
        """File search calls: ``GET /organization/usage/file_search_calls``; returns the
        answer.
        """
        return await self._call(Usage.file_search_calls, UsageFileSearchCallsResponse, params)

    @endpoint("GET", "/organization/usage/images", _ImagesArgs)
    async def images(self, **params: Unpack[_ImagesArgs]) -> UsageImagesResponse:
        """Images: ``GET /organization/usage/images``; returns the answer."""
        return await self._call(Usage.images, UsageImagesResponse, params)

    @endpoint("GET", "/organization/usage/moderations", _ModerationsArgs)
    async def moderations(self, **params: Unpack[_ModerationsArgs]) -> UsageModerationsResponse:
        """Moderations: ``GET /organization/usage/moderations``; returns the answer."""
        return await self._call(Usage.moderations, UsageModerationsResponse, params)

    @endpoint("GET", "/organization/usage/vector_stores", _VectorStoresArgs)
    async def vector_stores(self, **params: Unpack[_VectorStoresArgs]) -> UsageVectorStoresResponse:
        """Vector stores: ``GET /organization/usage/vector_stores``; returns the answer."""
        return await self._call(Usage.vector_stores, UsageVectorStoresResponse, params)

    @endpoint("GET", "/organization/usage/web_search_calls", _WebSearchCallsArgs)
    async def web_search_calls(
        self, **params: Unpack[_WebSearchCallsArgs]
    ) -> UsageWebSearchCallsResponse:
        """Web search calls: ``GET /organization/usage/web_search_calls``; returns the answer."""
        return await self._call(Usage.web_search_calls, UsageWebSearchCallsResponse, params)
