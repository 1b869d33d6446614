"""Request checks of chat completions and embeddings: OpenAI's 400s, as :class:`APIError`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from aio_openai.testing._chat.model import native_dimensions
from aio_openai.testing._checks import APIError, check_metadata, missing
from aio_openai.testing._strict import strict_schema_problem

__all__ = [
    "PARSE_ERROR",
    "check_chat",
    "check_model",
    "check_text_completion",
    "check_update",
    "embedding_dimensions",
    "embedding_encoding",
    "embedding_inputs",
    "metadata_filter",
]

#: The 400 for a body that is not JSON (or is empty).
PARSE_ERROR: Final = "We could not parse the JSON body of your request."

_ROLES: Final = ("system", "developer", "user", "assistant", "tool", "function")
_TOOL_CHOICES: Final = ("none", "auto", "required")
_RESPONSE_FORMATS: Final = ("text", "json_object", "json_schema")
_NO_DIMENSIONS: Final = ("text-embedding-ada-002",)


def _bad(message: str, param: str | None = None, code: str | None = None) -> APIError:
    return APIError(400, message, param=param, code=code)


def check_model(body: Mapping[str, Any]) -> str:
    """The body's ``model``: a non-empty string."""
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise _bad("you must provide a model parameter", "model")
    return model


def _int_param(body: Mapping[str, Any], key: str, low: int, high: int | None = None) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad(f"Invalid type for '{key}': expected an integer.", key, "invalid_type")
    if value < low or (high is not None and value > high):
        bound = f">= {low}" if high is None else f"between {low} and {high}"
        raise _bad(f"Invalid '{key}': expected a value {bound}, got {value}.", key)
    return value


def _check_stream(body: Mapping[str, Any]) -> None:
    stream = body.get("stream")
    if stream is not None and not isinstance(stream, bool):
        raise _bad("Invalid type for 'stream': expected a boolean.", "stream")
    options = body.get("stream_options")
    if options is not None:
        if not stream:
            raise _bad(
                "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
                "stream_options",
            )
        if not isinstance(options, dict):
            raise _bad("Invalid type for 'stream_options': expected an object.")


def _is_tokens(value: Any) -> bool:
    """A non-empty list of token ids."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    )


def check_text_completion(body: Mapping[str, Any]) -> None:
    """A legacy completion body: the prompt, counts, stop sequences and stream options."""
    if "prompt" not in body:
        raise _bad("Missing required parameter: 'prompt'.", "prompt", "missing_required_parameter")
    prompt = body["prompt"]
    if not (
        prompt is None
        or isinstance(prompt, str)
        or _is_tokens(prompt)
        or (
            isinstance(prompt, list)
            and prompt
            and all(isinstance(p, str) or _is_tokens(p) for p in prompt)
        )
    ):
        raise _bad("'$.prompt' is invalid. Please check the API reference.", "prompt")
    n = _int_param(body, "n", 1, 128) or 1
    best_of = _int_param(body, "best_of", 1, 20)
    if best_of is not None and best_of < n:
        raise _bad("best_of must be greater than or equal to n.", "best_of")
    _int_param(body, "max_tokens", 0)
    _int_param(body, "logprobs", 0, 5)
    stop = body.get("stop")
    if not (
        stop is None
        or isinstance(stop, str)
        or (isinstance(stop, list) and len(stop) <= 4 and all(isinstance(s, str) for s in stop))
    ):
        raise _bad("Invalid 'stop': expected a string or up to 4 strings.", "stop")
    echo = body.get("echo")
    if echo is not None and not isinstance(echo, bool):
        raise _bad("Invalid type for 'echo': expected a boolean.", "echo", "invalid_type")
    _check_stream(body)


def check_chat(body: Mapping[str, Any]) -> None:
    """A chat completion body: messages, counts, stream options, formats and tools."""
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise _bad("[] is too short - 'messages'", "messages")
    for i, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in _ROLES:
            raise _bad(
                f"Invalid value for 'messages[{i}].role': expected one of {', '.join(_ROLES)}.",
                f"messages[{i}].role",
            )
    _int_param(body, "n", 1, 128)
    _int_param(body, "max_tokens", 1)
    _int_param(body, "max_completion_tokens", 1)
    _check_stream(body)
    response_format = body.get("response_format")
    if response_format is not None and (
        not isinstance(response_format, dict)
        or response_format.get("type") not in _RESPONSE_FORMATS
    ):
        raise _bad(
            "Invalid 'response_format': its type must be text, json_object or json_schema.",
            "response_format",
        )
    if isinstance(response_format, dict) and response_format.get("type") == "json_schema":
        _check_json_schema(response_format.get("json_schema"))
    tools = body.get("tools")
    if tools is not None:
        if not isinstance(tools, list):
            raise _bad("Invalid type for 'tools': expected an array.", "tools")
        for i, tool in enumerate(tools):
            if not isinstance(tool, dict) or tool.get("type") not in ("function", "custom"):
                raise _bad(f"Invalid 'tools[{i}]': unknown tool type.", f"tools[{i}].type")
            spec = tool.get(tool["type"])
            if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
                raise _bad(
                    f"Missing required parameter: 'tools[{i}].{tool['type']}.name'.",
                    f"tools[{i}].{tool['type']}.name",
                    "missing_required_parameter",
                )
            if tool["type"] == "function" and spec.get("strict") is True:
                problem = strict_schema_problem(spec.get("parameters"), parameters=True)
                if problem:
                    raise _bad(
                        f"Invalid schema for function '{spec['name']}': {problem}",
                        f"tools[{i}].function.parameters",
                        "invalid_function_parameters",
                    )
    choice = body.get("tool_choice")
    if choice is not None and not isinstance(choice, dict) and choice not in _TOOL_CHOICES:
        raise _bad(
            f"Invalid value: '{choice}'. Supported values are: 'none', 'auto' and 'required'.",
            "tool_choice",
        )


def _check_json_schema(spec: Any) -> None:
    """A ``json_schema`` response format: a name, and a strict schema when it says strict."""
    if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
        raise _bad(
            "Missing required parameter: 'response_format.json_schema.name'.",
            "response_format.json_schema.name",
            "missing_required_parameter",
        )
    if spec.get("strict") is True:
        problem = strict_schema_problem(spec.get("schema"))
        if problem:
            raise _bad(
                f"Invalid schema for response_format '{spec['name']}': {problem}",
                "response_format",
                "invalid_json_schema",
            )


def check_update(body: Mapping[str, Any]) -> None:
    """A stored completion's update body: ``metadata`` (required; null clears it), only."""
    for key in body:
        if key != "metadata":
            raise _bad(f"Unknown parameter: '{key}'.", key, "unknown_parameter")
    if "metadata" not in body:
        raise missing("metadata")
    check_metadata(body)


def metadata_filter(query: Mapping[str, str]) -> dict[str, str]:
    """The ``metadata[key]=value`` pairs of a list query."""
    return {
        key[len("metadata[") : -1]: value
        for key, value in query.items()
        if key.startswith("metadata[") and key.endswith("]")
    }


def embedding_inputs(body: Mapping[str, Any]) -> list[str | list[int]]:
    """The inputs of an embeddings body: strings or token lists, none empty."""
    value = body.get("input")
    if value is None:
        raise _bad("Missing required parameter: 'input'.", "input", "missing_required_parameter")
    if isinstance(value, str):
        items: list[Any] = [value]
    elif isinstance(value, list) and value and all(isinstance(v, int) for v in value):
        items = [value]
    elif isinstance(value, list) and value:
        items = value
    else:
        raise _bad("'$.input' is invalid. Please check the API reference.", "input")
    for item in items:
        if isinstance(item, str) and item:
            continue
        if isinstance(item, list) and item and all(isinstance(v, int) for v in item):
            continue
        raise _bad("'$.input' is invalid. Please check the API reference.", "input")
    return items


def embedding_encoding(body: Mapping[str, Any]) -> str:
    """The body's ``encoding_format``: ``float`` (the default) or ``base64``."""
    encoding = body.get("encoding_format", "float")
    if encoding not in ("float", "base64"):
        raise _bad(
            f"Invalid value: '{encoding}'. Supported values are: 'float' and 'base64'.",
            "encoding_format",
        )
    return str(encoding)


def embedding_dimensions(body: Mapping[str, Any], model: str) -> int | None:
    """The body's ``dimensions``: 1 up to the model's own, for the models that can cut."""
    dimensions = _int_param(body, "dimensions", 1, native_dimensions(model))
    if dimensions is not None and model in _NO_DIMENSIONS:
        raise _bad("This model does not support specifying dimensions.", "dimensions")
    return dimensions
