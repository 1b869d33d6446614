"""``client.admin.organization.usage``: the organization's usage (``/organization/usage/<kind>``)
and costs (``/organization/costs``), in time buckets.

Each method answers one page of buckets (the SDK's ``Usage*Response``: ``data``,
``has_more``, ``next_page``). :meth:`Usage.iter_pages` and :meth:`Usage.iter_buckets` walk
every page of a period, fetching the next one only when the loop reaches it;
:meth:`Usage.summarize` sums a period into a :class:`UsageTable` (a row per model, project...).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence
from typing import Any, Literal, Unpack

from ...._endpoints import endpoint
from ...._pagination import PaginationError
from ...._resource import AdminResource
from ...._types import RequestOptions
from ...._usage_table import TimeBucket, UsageTable, sum_buckets
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

__all__ = ["Usage", "UsageKind", "UsageTable"]

#: The usage kinds (the methods of Usage), ``costs`` included.
UsageKind = Literal[
    "audio_speeches",
    "audio_transcriptions",
    "code_interpreter_sessions",
    "completions",
    "costs",
    "decisions",
    "embeddings",
    "file_search_calls",
    "images",
    "moderations",
    "vector_stores",
    "web_search_calls",
]


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
        """One page of the organization's audio speeches usage: time buckets of
        ``bucket_width`` from ``start_time``, each with a result per ``group_by`` group;
        ``next_page`` leads on (``iter_buckets("audio_speeches", ...)`` walks every page)."""
        return await self._call(Usage.audio_speeches, UsageAudioSpeechesResponse, params)

    @endpoint("GET", "/organization/usage/audio_transcriptions", _AudioTranscriptionsArgs)
    async def audio_transcriptions(
        self, **params: Unpack[_AudioTranscriptionsArgs]
    ) -> UsageAudioTranscriptionsResponse:
        """One page of the organization's audio transcriptions usage: time buckets of
        ``bucket_width`` from ``start_time``, each with a result per ``group_by`` group;
        ``next_page`` leads on (``iter_buckets("audio_transcriptions", ...)`` walks every page)."""
        return await self._call(
            Usage.audio_transcriptions, UsageAudioTranscriptionsResponse, params
        )

    @endpoint("GET", "/organization/usage/code_interpreter_sessions", _CodeInterpreterSessionsArgs)
    async def code_interpreter_sessions(
        self, **params: Unpack[_CodeInterpreterSessionsArgs]
    ) -> UsageCodeInterpreterSessionsResponse:
        """One page of the organization's code interpreter sessions usage: time buckets of
        ``bucket_width`` from ``start_time``, each with a result per ``group_by`` group;
        ``next_page`` leads on (``iter_buckets("code_interpreter_sessions", ...)`` walks
        every page)."""
        return await self._call(
            Usage.code_interpreter_sessions, UsageCodeInterpreterSessionsResponse, params
        )

    @endpoint("GET", "/organization/usage/completions", _CompletionsArgs)
    async def completions(self, **params: Unpack[_CompletionsArgs]) -> UsageCompletionsResponse:
        """One page of the organization's completions usage: time buckets of
        ``bucket_width`` from ``start_time``, each with a result per ``group_by`` group;
        ``next_page`` leads on (``iter_buckets("completions", ...)`` walks every page)."""
        return await self._call(Usage.completions, UsageCompletionsResponse, params)

    @endpoint("GET", "/organization/costs", _CostsArgs)
    async def costs(self, **params: Unpack[_CostsArgs]) -> UsageCostsResponse:
        """One page of the organization's costs in USD: time buckets of ``bucket_width`` from
        ``start_time``, each with a result per ``group_by`` group; ``next_page`` leads on
        (``iter_buckets("costs", ...)`` walks every page)."""
        return await self._call(Usage.costs, UsageCostsResponse, params)

    @endpoint("GET", "/organization/usage/decisions", _DecisionsArgs)
    async def decisions(self, **params: Unpack[_DecisionsArgs]) -> UsageDecisionsResponse:
        """One page of the organization's decisions usage: time buckets of
        ``bucket_width`` from ``start_time``, each with a result per ``group_by`` group;
        ``next_page`` leads on (``iter_buckets("decisions", ...)`` walks every page)."""
        return await self._call(Usage.decisions, UsageDecisionsResponse, params)

    @endpoint("GET", "/organization/usage/embeddings", _EmbeddingsArgs)
    async def embeddings(self, **params: Unpack[_EmbeddingsArgs]) -> UsageEmbeddingsResponse:
        """One page of the organization's embeddings usage: time buckets of
        ``bucket_width`` from ``start_time``, each with a result per ``group_by`` group;
        ``next_page`` leads on (``iter_buckets("embeddings", ...)`` walks every page)."""
        return await self._call(Usage.embeddings, UsageEmbeddingsResponse, params)

    @endpoint("GET", "/organization/usage/file_search_calls", _FileSearchCallsArgs)
    async def file_search_calls(
        self, **params: Unpack[_FileSearchCallsArgs]
    ) -> UsageFileSearchCallsResponse:
        """One page of the organization's file search calls usage: time buckets of
        ``bucket_width`` from ``start_time``, each with a result per ``group_by`` group;
        ``next_page`` leads on (``iter_buckets("file_search_calls", ...)`` walks every page)."""
        return await self._call(Usage.file_search_calls, UsageFileSearchCallsResponse, params)

    @endpoint("GET", "/organization/usage/images", _ImagesArgs)
    async def images(self, **params: Unpack[_ImagesArgs]) -> UsageImagesResponse:
        """One page of the organization's images usage: time buckets of
        ``bucket_width`` from ``start_time``, each with a result per ``group_by`` group;
        ``next_page`` leads on (``iter_buckets("images", ...)`` walks every page)."""
        return await self._call(Usage.images, UsageImagesResponse, params)

    @endpoint("GET", "/organization/usage/moderations", _ModerationsArgs)
    async def moderations(self, **params: Unpack[_ModerationsArgs]) -> UsageModerationsResponse:
        """One page of the organization's moderations usage: time buckets of
        ``bucket_width`` from ``start_time``, each with a result per ``group_by`` group;
        ``next_page`` leads on (``iter_buckets("moderations", ...)`` walks every page)."""
        return await self._call(Usage.moderations, UsageModerationsResponse, params)

    @endpoint("GET", "/organization/usage/vector_stores", _VectorStoresArgs)
    async def vector_stores(self, **params: Unpack[_VectorStoresArgs]) -> UsageVectorStoresResponse:
        """One page of the organization's vector stores usage: time buckets of
        ``bucket_width`` from ``start_time``, each with a result per ``group_by`` group;
        ``next_page`` leads on (``iter_buckets("vector_stores", ...)`` walks every page)."""
        return await self._call(Usage.vector_stores, UsageVectorStoresResponse, params)

    @endpoint("GET", "/organization/usage/web_search_calls", _WebSearchCallsArgs)
    async def web_search_calls(
        self, **params: Unpack[_WebSearchCallsArgs]
    ) -> UsageWebSearchCallsResponse:
        """One page of the organization's web search calls usage: time buckets of
        ``bucket_width`` from ``start_time``, each with a result per ``group_by`` group;
        ``next_page`` leads on (``iter_buckets("web_search_calls", ...)`` walks every page)."""
        return await self._call(Usage.web_search_calls, UsageWebSearchCallsResponse, params)

    # -- walking and summing a period ---------------------------------------------------------

    async def iter_pages(self, kind: UsageKind, **params: Any) -> AsyncIterator[Any]:
        """Every page of the usage ``kind`` (a method's name, e.g. ``"completions"``, or
        ``"costs"``) that ``params`` ask for, following ``next_page``: each page is fetched
        when the loop reaches it (the SDK's ``Usage*Response``). Raises PaginationError when
        a page gives again a cursor already followed (the pages would repeat forever)."""
        declared, answer = getattr(Usage, kind), _ANSWERS[kind]
        seen: set[str] = set()
        while True:
            response = await self._call_raw(declared, answer, params)
            page = response.parse()
            yield page
            cursor = page.next_page
            if not page.has_more or not cursor:
                return
            if cursor in seen:
                raise PaginationError(
                    response._response,
                    None,
                    message=f"usage.{kind}: next_page {cursor!r} again: the pages would repeat",
                )
            seen.add(cursor)
            params = {**params, "page": cursor}

    async def iter_buckets(self, kind: UsageKind, **params: Any) -> AsyncIterator[TimeBucket]:
        """Every time bucket of the usage ``kind`` that ``params`` ask for, oldest first,
        the pages fetched lazily (:meth:`iter_pages`)::

            async for bucket in usage.iter_buckets("completions", start_time=t0):
                print(bucket.start_time, len(bucket.results))
        """
        async for page in self.iter_pages(kind, **params):
            for bucket in page.data:
                yield bucket

    async def summarize(
        self,
        kind: UsageKind,
        *,
        start_time: int,
        end_time: int | None = None,
        group_by: Sequence[str] = ("model",),
        **params: Any,
    ) -> UsageTable:
        """The usage ``kind`` from ``start_time`` to ``end_time`` (now if None) summed into
        a table: one row per group of ``group_by`` (``"model"``, ``"project_id"``...; for
        costs ``"project_id"`` or ``"line_item"``), the kind's numbers as columns (USD for
        costs). ``params`` are the endpoint's other filters (``project_ids``, ``models``...).
        Every page of the period is fetched."""
        if end_time is None:
            end_time = int(time.time())
        query: dict[str, Any] = {"start_time": start_time, "end_time": end_time, **params}
        if group_by:
            query["group_by"] = list(group_by)
        buckets = [bucket async for bucket in self.iter_buckets(kind, **query)]
        return sum_buckets(kind, buckets, group_by, start_time, end_time)


#: The answer type of each kind.
_ANSWERS: dict[str, type[Any]] = {
    "audio_speeches": UsageAudioSpeechesResponse,
    "audio_transcriptions": UsageAudioTranscriptionsResponse,
    "code_interpreter_sessions": UsageCodeInterpreterSessionsResponse,
    "completions": UsageCompletionsResponse,
    "costs": UsageCostsResponse,
    "decisions": UsageDecisionsResponse,
    "embeddings": UsageEmbeddingsResponse,
    "file_search_calls": UsageFileSearchCallsResponse,
    "images": UsageImagesResponse,
    "moderations": UsageModerationsResponse,
    "vector_stores": UsageVectorStoresResponse,
    "web_search_calls": UsageWebSearchCallsResponse,
}
