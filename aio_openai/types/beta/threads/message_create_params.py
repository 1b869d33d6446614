"""The parameters of ``beta.threads.messages.create``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, Required, TypedDict

from ...._types import NotGiven
from .message import MessageContentPartParam

__all__ = ["MessageCreateParams"]


class MessageCreateParams(TypedDict, total=False):
    """A new message: ``content`` is text, or (v2) a list of content parts; files go in
    ``attachments`` (v2) or ``file_ids`` (v1)."""

    content: Required[str | Iterable[MessageContentPartParam]]
    role: Required[Literal["user", "assistant"]]
    attachments: Iterable[Mapping[str, Any]] | NotGiven | None
    metadata: Mapping[str, str] | NotGiven | None
    file_ids: Sequence[str] | NotGiven
