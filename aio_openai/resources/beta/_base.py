"""BetaResource: an APIResource whose every call carries ``OpenAI-Beta: assistants=vN``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from ..._chain import Response
from ..._pagination import AsyncCursorPage, AsyncPaginator
from ..._types import RequestOptions
from ...types.beta._unions import body_params
from .._base import APIResource

__all__ = ["BetaResource"]

T = TypeVar("T")


class BetaResource(APIResource):
    """A resource of the Assistants API: adds the ``OpenAI-Beta`` header to every call.

    The version comes from ``AsyncOpenAI(assistants_version=...)``; a call's ``extra_headers``
    can still override it.
    """

    __slots__ = ()

    def _endpoint_headers(self) -> dict[str, str]:
        return {"OpenAI-Beta": f"assistants={self._client.assistants_version}"}

    def _call(
        self,
        method: str,
        path: str,
        parser: Callable[[Response], T],
        options: RequestOptions,
        *,
        body: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        raw: bool | None = None,
    ) -> Awaitable[Any]:
        """Send one call; attrs objects in ``body`` become JSON without their unset fields."""
        return self._client.request(
            method,
            path,
            parser,
            body=None if body is None else body_params(body),
            query=query,
            options=options,
            raw=self._raw if raw is None else raw,
            endpoint_headers=self._endpoint_headers(),
        )

    def _list(
        self,
        path: str,
        item: type[T],
        options: RequestOptions,
        query: Mapping[str, Any],
    ) -> AsyncPaginator[T, AsyncCursorPage[T]]:
        """A cursor-paginated list of ``item``."""
        return self._client.page(
            path,
            item,
            cursor=True,
            query=query,
            options=options,
            raw=self._raw,
            endpoint_headers=self._endpoint_headers(),
        )
