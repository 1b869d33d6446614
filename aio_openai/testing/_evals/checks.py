"""Request checks of evals and their runs: OpenAI's 400s for the bodies, as APIError."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from aio_openai.testing._checks import (
    check_metadata,
    check_string,
    invalid_value,
    missing,
    wrong_type,
)
from aio_openai.testing._evals.graders import check_criteria

__all__ = ["check_create", "check_run_create", "check_update"]

_CONFIGS: Final = ("custom", "logs", "stored_completions")
_DATA_SOURCES: Final = ("jsonl", "completions", "responses")
_SOURCES: Final = {
    "jsonl": ("file_content", "file_id"),
    "completions": ("file_content", "file_id", "stored_completions"),
    "responses": ("file_content", "file_id", "responses"),
}
_INPUT_MESSAGES: Final = ("template", "item_reference")


def _object(body: Mapping[str, Any], key: str, param: str) -> dict[str, Any]:
    value = body.get(key)
    if value is None:
        raise missing(param)
    if not isinstance(value, dict):
        raise wrong_type(param, "an object", value)
    return value


def check_create(body: Mapping[str, Any]) -> None:
    """An eval's create body: its data source config, testing criteria, name, metadata."""
    config = _object(body, "data_source_config", "data_source_config")
    if config.get("type") not in _CONFIGS:
        raise invalid_value("data_source_config.type", config.get("type"), _CONFIGS)
    if config["type"] == "custom":
        _object(config, "item_schema", "data_source_config.item_schema")
    elif config.get("metadata") is not None and not isinstance(config["metadata"], dict):
        raise wrong_type("data_source_config.metadata", "an object", config["metadata"])
    check_criteria(body.get("testing_criteria"))
    check_update(body)


def check_update(body: Mapping[str, Any]) -> None:
    """An eval's ``name`` and ``metadata``."""
    check_string(body, "name")
    check_metadata(body)


def check_run_create(body: Mapping[str, Any]) -> None:
    """A run's create body: its data source (rows, and how they are sampled), name,
    metadata."""
    check_update(body)
    data_source = _object(body, "data_source", "data_source")
    kind = data_source.get("type")
    if kind not in _DATA_SOURCES:
        raise invalid_value("data_source.type", kind, _DATA_SOURCES)
    source = _object(data_source, "source", "data_source.source")
    if source.get("type") not in _SOURCES[kind]:
        raise invalid_value("data_source.source.type", source.get("type"), _SOURCES[kind])
    messages = data_source.get("input_messages")
    if kind == "jsonl" or messages is None:
        return
    if not isinstance(messages, dict):
        raise wrong_type("data_source.input_messages", "an object", messages)
    if messages.get("type") not in _INPUT_MESSAGES:
        param = "data_source.input_messages.type"
        raise invalid_value(param, messages.get("type"), _INPUT_MESSAGES)
    if messages["type"] == "template" and not isinstance(messages.get("template"), list):
        param = "data_source.input_messages.template"
        raise wrong_type(param, "an array", messages.get("template"))
    if messages["type"] == "item_reference":
        check_string(
            messages,
            "item_reference",
            param="data_source.input_messages.item_reference",
            required=True,
        )
    check_string(data_source, "model", param="data_source.model", required=True)
    params = data_source.get("sampling_params")
    if params is not None and not isinstance(params, dict):
        raise wrong_type("data_source.sampling_params", "an object", params)
