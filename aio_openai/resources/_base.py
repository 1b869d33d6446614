"""APIResource: what every resource shares (the client, and raw-response mode)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self

if TYPE_CHECKING:
    from .._client import AsyncOpenAI

__all__ = ["APIResource"]


class APIResource:
    """A group of endpoints under one URL prefix."""

    __slots__ = ("_client", "_raw")

    def __init__(self, client: AsyncOpenAI, *, raw: bool = False) -> None:
        self._client = client
        self._raw = raw

    @property
    def with_raw_response(self) -> Any:
        """The same methods, each returning an APIResponse (status, headers, parse())."""
        return self._as_raw()

    def _as_raw(self) -> Self:
        return type(self)(self._client, raw=True)

    def _endpoint_headers(self) -> Mapping[str, str] | None:
        """Headers every call of this resource adds (none by default)."""
        return None
