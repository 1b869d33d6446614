"""Parsed answers: a chat completion or a response with its structured output made into T.

:func:`parse_chat_completion` and :func:`parse_response` take an answer as JSON data (a
whole answer, or one a stream accumulated) and return the ParsedChatCompletion or
ParsedResponse: each message's content (each final ``output_text``) made into the format's
type (``_structured.load``), each function call's arguments into its tool's type
(``function_tool(T)``), or decoded JSON for another strict function tool. They copy the data
they add to; the answer's own JSON is left as it came.

Failures: a chat choice that ended at the token limit raises LengthFinishReasonError, one the
content filter stopped ContentFilterFinishReasonError (with the completion); output that does
not make its type ContentParseError, holding the text. A refusal is no failure: the message's
``refusal`` says it and ``parsed`` is None.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from ._convert import converter
from ._exceptions import (
    APIResponseValidationError,
    ContentFilterFinishReasonError,
    ContentParseError,
    LengthFinishReasonError,
)
from ._http import HTTPResponse
from ._json import loads
from ._response import set_request_id
from ._structured import LoadError, check_output_type, load
from .types.chat.chat_completion import ChatCompletion
from .types.chat.parsed_chat_completion import ParsedChatCompletion
from .types.responses.parsed_response import ParsedResponse

__all__ = [
    "chat_tool",
    "check_finish",
    "check_parse_tools",
    "is_output_type",
    "parse_chat_completion",
    "parse_content",
    "parse_function_arguments",
    "parse_response",
    "parse_response_text",
    "response_tool",
    "structure_answer",
]

T = TypeVar("T")


def is_output_type(response_format: Any) -> bool:
    """Whether a ``response_format``/``text_format`` is a type to parse into (not a dict
    written by hand, and not absent); TypeError for a type no strict schema describes."""
    if response_format is None or isinstance(response_format, Mapping):
        return False
    check_output_type(response_format)
    return True


def structure_answer(data: Any, cls: type[T], response: HTTPResponse) -> T:
    """``data`` as ``cls``, with the response's request id; APIResponseValidationError if it
    does not fit."""
    try:
        obj: T = converter.structure(data, cls)
    except Exception as exc:
        reason = repr(exc)
    else:
        set_request_id(obj, response.request_id)
        return obj
    raise APIResponseValidationError(  # outside the except block: no __context__ with the body
        response, data, message=f"Invalid {cls.__name__} in the response: {reason}"
    )


def parse_content(output_type: Any, text: str, response: HTTPResponse) -> Any:
    """``text`` made into ``output_type``; ContentParseError (holding the text) if it does not."""
    try:
        return load(output_type, text)
    except LoadError as exc:
        raise ContentParseError(
            response, text, output_type=output_type, reason=exc.reason
        ) from exc.__cause__


# -- Chat Completions ------------------------------------------------------------------------------


def check_parse_tools(tools: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The ``tools`` of ``chat.completions.parse``: strict function tools only (ValueError for
    another), so that every call the model makes can be parsed."""
    checked = list(tools)
    for tool in checked:
        if tool.get("type") != "function":
            raise ValueError(
                f"parse() can only parse the calls of function tools, got a {tool.get('type')!r}"
                " tool; use create() or stream() for other tools"
            )
        function = tool.get("function") or {}
        if function.get("strict") is not True:
            raise ValueError(
                f"the function tool {function.get('name')!r} is not strict; parse() parses the"
                " calls of strict tools only: make it with function_tool(T), or add"
                " 'strict': True to its function"
            )
    return checked


def chat_tool(tools: Iterable[Mapping[str, Any]], name: Any) -> Mapping[str, Any] | None:
    """The ``function`` of the function tool named ``name`` among a chat request's ``tools``."""
    for tool in tools:
        if tool.get("type") == "function":
            function = tool.get("function")
            if isinstance(function, Mapping) and function.get("name") == name:
                return function
    return None


def parse_function_arguments(
    function: Mapping[str, Any] | None, arguments: str, response: HTTPResponse
) -> Any:
    """A call's ``arguments`` for its tool's ``function`` (or Responses tool): a T for a
    ``function_tool(T)``, the decoded JSON for another strict tool, else None."""
    if function is None:
        return None
    model = getattr(function, "model", None)
    if model is not None:
        return parse_content(model, arguments, response)
    if function.get("strict") is not True:
        return None
    try:
        return loads(arguments.encode())
    except ValueError as exc:
        reason = f"the arguments are not valid JSON: {exc}"
    raise ContentParseError(response, arguments, output_type=dict, reason=reason)


def check_finish(
    data: Mapping[str, Any], choice: Mapping[str, Any], response: HTTPResponse
) -> None:
    """LengthFinishReasonError or ContentFilterFinishReasonError for a choice whose output was
    cut: what it holds cannot be parsed."""
    finish = choice.get("finish_reason")
    if finish == "length":
        raise LengthFinishReasonError(completion=structure_answer(data, ChatCompletion, response))
    if finish == "content_filter":
        completion = structure_answer(data, ChatCompletion, response)
        raise ContentFilterFinishReasonError(completion=completion)


def parse_chat_completion(
    data: Any,
    *,
    response_format: Any,
    tools: Iterable[Mapping[str, Any]],
    response: HTTPResponse,
) -> ParsedChatCompletion[Any]:
    """The ParsedChatCompletion of a chat completion's JSON ``data``: see the module."""
    if not isinstance(data, Mapping) or not isinstance(data.get("choices"), list):
        return structure_answer(data, ParsedChatCompletion, response)  # fails with its reason
    tools = list(tools)
    choices = []
    for choice in data["choices"]:
        if not isinstance(choice, Mapping):
            choices.append(choice)
            continue
        check_finish(data, choice, response)
        message = choice.get("message")
        if isinstance(message, Mapping):
            choice = {
                **choice,
                "message": _parsed_message(message, response_format, tools, response),
            }
        choices.append(choice)
    return structure_answer({**data, "choices": choices}, ParsedChatCompletion, response)


def _parsed_message(
    message: Mapping[str, Any],
    response_format: Any,
    tools: list[Mapping[str, Any]],
    response: HTTPResponse,
) -> dict[str, Any]:
    content = message.get("content")
    parsed = None
    if response_format is not None and content and not message.get("refusal"):
        parsed = parse_content(response_format, content, response)
    calls = message.get("tool_calls")
    if calls:
        calls = [_parsed_call(call, tools, response) for call in calls]
    return {**message, "parsed": parsed, "tool_calls": calls or None}


def _parsed_call(call: Any, tools: list[Mapping[str, Any]], response: HTTPResponse) -> Any:
    if not isinstance(call, Mapping) or call.get("type") != "function":
        return call
    function = call.get("function")
    if not isinstance(function, Mapping):
        return call
    arguments = function.get("arguments") or ""
    parsed = parse_function_arguments(chat_tool(tools, function.get("name")), arguments, response)
    return {**call, "function": {**function, "parsed_arguments": parsed}}


# -- Responses -------------------------------------------------------------------------------------


def response_tool(tools: Iterable[Mapping[str, Any]], name: str) -> Mapping[str, Any] | None:
    """The function tool named ``name`` among a Responses request's ``tools``."""
    for tool in tools:
        if tool.get("type") == "function" and tool.get("name") == name:
            return tool
    return None


def parse_response_text(text_format: Any, text: str, phase: Any, response: HTTPResponse) -> Any:
    """An ``output_text``'s text as a ``text_format`` (None without one): only a message of
    the final answer is parsed (``phase`` absent or ``"final_answer"``), as the SDK does."""
    if text_format is None or (phase is not None and phase != "final_answer"):
        return None
    return parse_content(text_format, text, response)


def parse_response(
    data: Any,
    *,
    text_format: Any,
    tools: Iterable[Mapping[str, Any]],
    response: HTTPResponse,
) -> ParsedResponse[Any]:
    """The ParsedResponse of a response's JSON ``data``: see the module."""
    if not isinstance(data, Mapping) or not isinstance(data.get("output"), list):
        return structure_answer(data, ParsedResponse, response)
    tools = list(tools)
    output = []
    for item in data["output"]:
        kind = item.get("type") if isinstance(item, Mapping) else None
        if kind == "message" and isinstance(item.get("content"), list):
            phase = item.get("phase")
            item = {
                **item,
                "content": [_parsed_part(p, text_format, phase, response) for p in item["content"]],
            }
        elif kind == "function_call":
            tool = response_tool(tools, item.get("name"))
            parsed = parse_function_arguments(tool, item.get("arguments") or "", response)
            item = {**item, "parsed_arguments": parsed}
        output.append(item)
    return structure_answer({**data, "output": output}, ParsedResponse, response)


def _parsed_part(part: Any, text_format: Any, phase: Any, response: HTTPResponse) -> Any:
    if not isinstance(part, Mapping) or part.get("type") != "output_text":
        return part
    text = part.get("text")
    if not isinstance(text, str):
        return part
    return {**part, "parsed": parse_response_text(text_format, text, phase, response)}


# A parsed output that is a pydantic model is unstructured (``to_dict``) as pydantic dumps it.
converter.register_unstructure_hook_func(
    lambda cl: isinstance(cl, type) and hasattr(cl, "model_dump") and hasattr(cl, "model_fields"),
    lambda value: value.model_dump(mode="json"),
)
