"""Helpers of the official SDK's ``openai.lib``: the stream helpers (:mod:`.streaming`), the
strict JSON schema of a type, and the formats that ask for one (to write a Batch API file of
structured-output requests, say).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from .._schema import to_strict_json_schema
from .._structured import response_format_param, text_format_param
from .._types import NotGiven

__all__ = [
    "to_strict_json_schema",
    "type_to_response_format_param",
    "type_to_text_format_param",
]


def type_to_response_format_param(response_format: Any) -> Any:
    """The Chat Completions ``response_format`` asking for ``response_format`` (a class: an
    attrs class, a dataclass, a TypedDict or a pydantic model); a dict, or NOT_GIVEN, is
    returned as it is."""
    if isinstance(response_format, Mapping | NotGiven):
        return response_format
    return copy.deepcopy(response_format_param(response_format))


def type_to_text_format_param(text_format: Any) -> dict[str, Any]:
    """The Responses API's ``text.format`` asking for ``text_format`` (a class, as above)."""
    return copy.deepcopy(text_format_param(text_format))
