"""Answer shapes the fake APIs share: ids, cursor-paged lists and deletion confirmations.

Ids are OpenAI's prefix and 24 random letters and digits (:func:`new_id`).

A list endpoint reads its query with :func:`list_query` (``limit`` 1..100, default 20;
``order`` ``asc``/``desc``, default ``desc``; ``after``; ``before``), checked as OpenAI checks
it, and answers with :func:`page`: ``{"object": "list", "data", "first_id", "last_id",
"has_more"}``.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import attrs

from aio_openai.testing._checks import APIError, invalid_value, wrong_type

__all__ = ["ListQuery", "deleted", "list_query", "new_id", "page"]

_ID_ALPHABET: Final = string.ascii_letters + string.digits
_DEFAULT_LIMIT: Final = 20
_MAX_LIMIT: Final = 100


def new_id(prefix: str) -> str:
    """A fresh id: ``prefix`` and 24 random letters and digits."""
    return prefix + "".join(secrets.choice(_ID_ALPHABET) for _ in range(24))


@attrs.frozen
class ListQuery:
    """The paging arguments of a list request."""

    limit: int = _DEFAULT_LIMIT
    order: str = "desc"
    after: str | None = None
    before: str | None = None


def list_query(query: Mapping[str, str], *, before: bool = True) -> ListQuery:
    """The paging arguments of a list request's query string; :class:`APIError` if bad.

    ``before``: whether the endpoint pages backwards too (else ``before`` is ignored).
    """
    raw_limit = query.get("limit")
    limit = _DEFAULT_LIMIT
    if raw_limit is not None:
        try:
            limit = int(raw_limit)
        except ValueError:
            raise wrong_type("limit", "an integer", raw_limit) from None
        if limit < 1:
            raise APIError(
                400,
                f"Invalid 'limit': integer below minimum value. Expected a value >= 1, but got "
                f"{limit} instead.",
                param="limit",
                code="integer_below_min_value",
            )
        if limit > _MAX_LIMIT:
            raise APIError(
                400,
                f"Invalid 'limit': integer above maximum value. Expected a value <= "
                f"{_MAX_LIMIT}, but got {limit} instead.",
                param="limit",
                code="integer_above_max_value",
            )
    order = query.get("order", "desc")
    if order not in ("asc", "desc"):
        raise invalid_value("order", order, ("asc", "desc"))
    return ListQuery(limit, order, query.get("after"), query.get("before") if before else None)


def page(
    items: Sequence[Mapping[str, Any]],
    query: ListQuery,
    render: Callable[[Any], Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """One page of ``items`` (oldest first, each with an ``id``) as ``query`` asks.

    ``after`` and ``before`` are ids; an unknown one gives an empty page. ``render`` (if
    given) makes each item of the page its answer's shape.
    """
    limit = query.limit
    seq = items if query.order == "asc" else items[::-1]
    if query.after is not None:
        ids = [item["id"] for item in seq]
        seq = seq[ids.index(query.after) + 1 :] if query.after in ids else []
    if query.before is not None:
        ids = [item["id"] for item in seq]
        seq = seq[: ids.index(query.before)] if query.before in ids else []
        data = seq[-limit:]
    else:
        data = seq[:limit]
    rendered = list(data) if render is None else [render(item) for item in data]
    return {
        "object": "list",
        "data": rendered,
        "first_id": rendered[0]["id"] if rendered else None,
        "last_id": rendered[-1]["id"] if rendered else None,
        "has_more": len(seq) > limit,
    }


def deleted(object_id: str, kind: str) -> dict[str, Any]:
    """OpenAI's answer to a delete: ``{"id", "object": kind, "deleted": true}``."""
    return {"id": object_id, "object": kind, "deleted": True}
