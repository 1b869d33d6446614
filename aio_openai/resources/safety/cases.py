"""Safety cases: ``/safety/cases/{id}``."""

from __future__ import annotations

from typing import Unpack

from ..._endpoints import endpoint
from ..._resource import APIResource
from ..._types import RequestOptions
from ...types.safety.safety_case import SafetyCase

__all__ = ["Cases"]


class Cases(APIResource):
    """``client.safety.cases``: retrieve."""

    __slots__ = ()

    @endpoint("GET", "/safety/cases/{id}")
    async def retrieve(self, id: str, **options: Unpack[RequestOptions]) -> SafetyCase:
        """A safety case: the entity it is about, its notice (a warning or a deactivation)
        and why. Raises NotFoundError for an unknown id."""
        return await self._call(Cases.retrieve, SafetyCase, options, id=id)
