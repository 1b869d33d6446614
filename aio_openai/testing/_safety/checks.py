"""Request checks of decisions: OpenAI's 400s for a create body, as :class:`APIError`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from aio_openai.testing._checks import (
    APIError,
    check_string,
    invalid_value,
    missing,
    wrong_type,
)

__all__ = ["MAX_QUESTIONS", "check_decision"]

MAX_QUESTIONS: Final = 400
_QUESTION_TYPES: Final = ("predicate", "choice", "score")
_ITEM_TYPES: Final = (
    "message",
    "function_call",
    "function_call_output",
    "custom_tool_call",
    "custom_tool_call_output",
)
_ROLES: Final = ("user", "developer", "system", "assistant")
_MIN_CHOICES: Final = 2
_MAX_CHOICES: Final = 255


def _check_text_or_parts(value: Any, param: str) -> None:
    if isinstance(value, str):
        return
    if not isinstance(value, list):
        raise wrong_type(param, "a string or an array", value)
    for i, part in enumerate(value):
        if not isinstance(part, dict):
            raise wrong_type(f"{param}[{i}]", "an object", part)
        if not isinstance(part.get("type"), str):
            raise missing(f"{param}[{i}].type")


def _check_input(body: Mapping[str, Any]) -> None:
    value = body.get("input")
    if value is None:
        raise missing("input")
    if isinstance(value, str):
        check_string(body, "input", required=True, nullable=False, min_length=1)
        return
    if not isinstance(value, list):
        raise wrong_type("input", "a string or an array", value)
    if not value:
        raise APIError(400, "Invalid 'input': empty array.", param="input", code="empty_array")
    calls: set[str] = set()
    for i, item in enumerate(value):
        param = f"input[{i}]"
        if not isinstance(item, dict):
            raise wrong_type(param, "an object", item)
        kind = item.get("type", "message")
        if kind not in _ITEM_TYPES:
            raise invalid_value(f"{param}.type", kind, _ITEM_TYPES)
        if kind == "message":
            if item.get("role") not in _ROLES:
                raise invalid_value(f"{param}.role", item.get("role"), _ROLES)
            _check_text_or_parts(item.get("content"), f"{param}.content")
        elif kind.endswith("_output"):
            call_id = item.get("call_id")
            if call_id not in calls:
                raise APIError(
                    400,
                    f"No tool call found for output with call_id {call_id!r}.",
                    param=f"{param}.call_id",
                )
            _check_text_or_parts(item.get("output"), f"{param}.output")
        else:
            check_string(item, "call_id", param=f"{param}.call_id", required=True, nullable=False)
            check_string(item, "name", param=f"{param}.name", required=True, nullable=False)
            calls.add(item["call_id"])


def _check_question(question: Any, param: str) -> None:
    if not isinstance(question, dict):
        raise wrong_type(param, "an object", question)
    kind = question.get("type")
    if kind not in _QUESTION_TYPES:
        raise invalid_value(f"{param}.type", kind, _QUESTION_TYPES)
    if question.get("instructions") is None:
        raise missing(f"{param}.instructions")
    _check_text_or_parts(question["instructions"], f"{param}.instructions")
    if kind == "choice":
        choices = question.get("choices")
        if not isinstance(choices, list):
            raise missing(f"{param}.choices")
        if not _MIN_CHOICES <= len(choices) <= _MAX_CHOICES:
            raise APIError(
                400,
                f"Invalid '{param}.choices': expected {_MIN_CHOICES} to {_MAX_CHOICES} choices,"
                f" got {len(choices)}.",
                param=f"{param}.choices",
            )
        seen: set[tuple[type, Any]] = set()
        for j, choice in enumerate(choices):
            value = choice.get("value") if isinstance(choice, dict) else None
            if not isinstance(value, str | bool):
                raise wrong_type(f"{param}.choices[{j}].value", "a string or a boolean", value)
            if (type(value), value) in seen:
                raise APIError(
                    400, f"Duplicate choice value {value!r}.", param=f"{param}.choices[{j}].value"
                )
            seen.add((type(value), value))
    elif kind == "score":
        levels = question.get("levels")
        if not isinstance(levels, list) or len(levels) < _MIN_CHOICES:
            raise APIError(
                400,
                f"Invalid '{param}.levels': expected at least 2 levels.",
                param=f"{param}.levels",
            )
        for j, level in enumerate(levels):
            if not isinstance(level, dict):
                raise wrong_type(f"{param}.levels[{j}]", "an object", level)
            check_string(level, "label", param=f"{param}.levels[{j}].label", required=True)


def check_decision(body: Mapping[str, Any]) -> None:
    """A decision body: ``model``, ``input`` and 1 to 400 ``questions``."""
    check_string(body, "model", required=True, nullable=False, min_length=1)
    _check_input(body)
    questions = body.get("questions")
    if questions is None:
        raise missing("questions")
    if not isinstance(questions, list):
        raise wrong_type("questions", "an array", questions)
    if not 1 <= len(questions) <= MAX_QUESTIONS:
        raise APIError(
            400,
            f"Invalid 'questions': expected 1 to {MAX_QUESTIONS} questions, got {len(questions)}.",
            param="questions",
        )
    for i, question in enumerate(questions):
        _check_question(question, f"questions[{i}]")
    for key in ("prompt_cache_key", "safety_identifier"):
        check_string(body, key)
    options = body.get("prompt_cache_options")
    if options is not None and not isinstance(options, dict):
        raise wrong_type("prompt_cache_options", "an object", options)
