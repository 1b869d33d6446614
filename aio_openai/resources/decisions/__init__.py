"""The Decisions API: ``/decisions``, questions about an input answered by a model.

Each question is a ``predicate`` (how likely a statement about the input is true), a
``choice`` (which of the given values fits) or a ``score`` (which of the ordered levels);
the answers come back in the questions' order, any of them possibly a ``refusal``.
"""

from __future__ import annotations

from typing import Unpack

from ..._endpoints import endpoint
from ..._resource import APIResource
from ..._types import RequestOptions
from ...types.decision import Decision
from ...types.decision_create_params import DecisionCreateParams

__all__ = ["Decisions"]


class _CreateArgs(DecisionCreateParams, RequestOptions, total=False): ...


class Decisions(APIResource):
    """``client.decisions``: create."""

    __slots__ = ()

    @endpoint("POST", "/decisions", _CreateArgs, metered=True)
    async def create(self, **params: Unpack[_CreateArgs]) -> Decision:
        """Ask ``questions`` (1 to 400) about ``input`` (a string or a list of messages and
        tool calls) with ``model``. Returns the Decision: one answer per question, in order,
        and the token usage. Raises BadRequestError for a bad question or input."""
        return await self._call(Decisions.create, Decision, params)
