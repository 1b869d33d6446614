"""Request checks of vector stores: OpenAI's 400s for the bodies, as :class:`APIError`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from aio_openai.testing._checks import (
    APIError,
    check_boolean,
    check_expiry,
    check_metadata,
    check_object,
    check_small_object,
    check_string,
    check_string_list,
    check_unrecognized,
    invalid_value,
    missing,
    wrong_type,
)

__all__ = [
    "check_add_file",
    "check_create",
    "check_create_batch",
    "check_search",
    "check_update",
    "check_update_file",
]

_MAX_ATTRIBUTES: Final = 16
_COMPARISONS: Final = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "nin")
_COMPOUNDS: Final = ("and", "or")
_RANKERS: Final = ("none", "auto", "default-2024-11-15")
_CHUNK_MIN, _CHUNK_MAX = 100, 4096


def _out_of_range(param: str, value: Any, low: float, high: float) -> APIError:
    return APIError(
        400,
        f"Invalid '{param}': expected a value between {low} and {high}, got {value}.",
        param=param,
    )


def _check_int(value: Any, param: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise wrong_type(param, "an integer", value)
    if not low <= value <= high:
        raise _out_of_range(param, value, low, high)
    return value


def check_chunking(value: Any, param: str = "chunking_strategy") -> None:
    """A chunking strategy: ``{"type": "auto"}`` or ``{"type": "static", "static":
    {"max_chunk_size_tokens": 100..4096, "chunk_overlap_tokens": <= half of it}}``."""
    if value is None:
        return
    if not isinstance(value, dict):
        raise wrong_type(param, "an object", value)
    kind = value.get("type")
    if kind == "auto":
        return
    if kind != "static":
        raise invalid_value(f"{param}.type", kind, ("auto", "static"))
    static = value.get("static")
    if not isinstance(static, dict):
        raise missing(f"{param}.static")
    size = _check_int(
        static.get("max_chunk_size_tokens"),
        f"{param}.static.max_chunk_size_tokens",
        _CHUNK_MIN,
        _CHUNK_MAX,
    )
    _check_int(
        static.get("chunk_overlap_tokens"), f"{param}.static.chunk_overlap_tokens", 0, size // 2
    )


def check_attributes(value: Any, param: str = "attributes") -> None:
    """File attributes: at most 16 keys (64 characters) to strings (512), numbers or
    booleans; null allowed."""
    if value is None:
        return
    for key, item in check_small_object(value, param, _MAX_ATTRIBUTES).items():
        if len(key) > 64:
            raise APIError(400, f"Invalid '{param}': key {key[:20]!r}... is too long.", param=param)
        if isinstance(item, str):
            if len(item) > 512:
                raise APIError(400, f"Invalid '{param}.{key}': string too long.", param=param)
        elif not isinstance(item, int | float | bool):
            raise wrong_type(f"{param}.{key}", "a string, number or boolean", item)


def _check_filter(value: Any, param: str) -> None:
    if not isinstance(value, dict):
        raise wrong_type(param, "an object", value)
    kind = value.get("type")
    if kind in _COMPOUNDS:
        filters = value.get("filters")
        if not isinstance(filters, list):
            raise wrong_type(f"{param}.filters", "an array", filters)
        for index, item in enumerate(filters):
            _check_filter(item, f"{param}.filters[{index}]")
        return
    if kind not in _COMPARISONS:
        raise invalid_value(f"{param}.type", kind, _COMPARISONS + _COMPOUNDS)
    if not isinstance(value.get("key"), str):
        raise missing(f"{param}.key")
    if "value" not in value:
        raise missing(f"{param}.value")


def _check_expires_after(body: Mapping[str, Any]) -> None:
    check_expiry(body, "expires_after", anchor="last_active_at", unit="days", low=1, high=365)


def check_create(body: Mapping[str, Any]) -> None:
    """A create body: every key optional."""
    check_unrecognized(
        body,
        ("file_ids", "name", "description", "expires_after", "chunking_strategy", "metadata"),
    )
    check_string(body, "name")
    check_string(body, "description")
    check_string_list(body, "file_ids")
    _check_expires_after(body)
    check_chunking(body.get("chunking_strategy"))
    check_metadata(body)


def check_update(body: Mapping[str, Any]) -> None:
    """An update body: name, metadata, expires_after (each may be null)."""
    check_unrecognized(body, ("name", "metadata", "expires_after"))
    check_string(body, "name")
    _check_expires_after(body)
    check_metadata(body)


def check_add_file(body: Mapping[str, Any], param: str = "") -> None:
    """A file to add: ``file_id``, ``attributes``, ``chunking_strategy``."""
    check_unrecognized(body, ("file_id", "attributes", "chunking_strategy"))
    if not isinstance(body.get("file_id"), str):
        raise missing(param + "file_id")
    check_attributes(body.get("attributes"), param + "attributes")
    check_chunking(body.get("chunking_strategy"), param + "chunking_strategy")


def check_update_file(body: Mapping[str, Any]) -> None:
    """An update of a file: ``attributes`` (required, may be null)."""
    check_unrecognized(body, ("attributes",))
    if "attributes" not in body:
        raise missing("attributes")
    check_attributes(body["attributes"])


def check_create_batch(body: Mapping[str, Any]) -> None:
    """A batch: ``file_ids`` or ``files`` (one of them, 1 to 2000 entries)."""
    check_unrecognized(body, ("file_ids", "files", "attributes", "chunking_strategy"))
    if (body.get("file_ids") is None) == (body.get("files") is None):
        raise APIError(400, "Exactly one of 'file_ids' or 'files' must be given.", param="file_ids")
    if body.get("file_ids") is not None:
        check_string_list(body, "file_ids")
        count = len(body["file_ids"])
    else:
        files = body["files"]
        if not isinstance(files, list):
            raise wrong_type("files", "an array", files)
        for index, item in enumerate(files):
            if not isinstance(item, dict):
                raise wrong_type(f"files[{index}]", "an object", item)
            check_add_file(item, f"files[{index}].")
        count = len(files)
    if not 1 <= count <= 2000:
        raise _out_of_range("file_ids", count, 1, 2000)
    check_attributes(body.get("attributes"))
    check_chunking(body.get("chunking_strategy"))


def check_search(body: Mapping[str, Any]) -> None:
    """A search: ``query`` (a string or strings), ``max_num_results`` 1..50, ``filters``,
    ``ranking_options``, ``rewrite_query``."""
    check_unrecognized(
        body, ("query", "rewrite_query", "max_num_results", "filters", "ranking_options")
    )
    query = body.get("query")
    if query is None:
        raise missing("query")
    if not isinstance(query, str):
        if not isinstance(query, list) or not query:
            raise wrong_type("query", "a string or a non-empty array of strings", query)
        check_string_list(body, "query")
    if body.get("max_num_results") is not None:
        _check_int(body["max_num_results"], "max_num_results", 1, 50)
    if body.get("filters") is not None:
        _check_filter(body["filters"], "filters")
    check_boolean(body, "rewrite_query")
    check_object(body, "ranking_options")
    options = body.get("ranking_options") or {}
    check_unrecognized(options, ("ranker", "score_threshold"))
    ranker = options.get("ranker")
    if ranker is not None and ranker not in _RANKERS:
        raise invalid_value("ranking_options.ranker", ranker, _RANKERS)
    threshold = options.get("score_threshold")
    if threshold is not None:
        if isinstance(threshold, bool) or not isinstance(threshold, int | float):
            raise wrong_type("ranking_options.score_threshold", "a number", threshold)
        if not 0 <= threshold <= 1:
            raise _out_of_range("ranking_options.score_threshold", threshold, 0, 1)
