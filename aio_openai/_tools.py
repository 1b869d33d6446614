"""Function tools whose arguments parse into a type: ``function_tool(T)`` and the SDK's names.

``function_tool(T)`` (the official SDK's ``pydantic_function_tool``) is a strict function tool
whose parameters are T's strict JSON schema (``_schema``), for ``chat.completions.create``,
``parse`` and ``stream``; ``responses_function_tool(T)`` (``pydantic_responses_function_tool``)
is the same tool in the Responses API's shape (``responses.parse`` and ``stream`` also take the
Chat Completions shape). T is an attrs class, a dataclass, a TypedDict or a pydantic model.
They are plain dicts, sent as they are; the parse helpers find T on them (``.model``) and make
each call's ``parsed_arguments`` a T.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ._schema import class_description, strict_schema
from ._structured import output_name
from ._types import NOT_GIVEN, NotGiven

__all__ = [
    "TypedFunction",
    "TypedResponsesFunctionTool",
    "function_tool",
    "pydantic_function_tool",
    "pydantic_responses_function_tool",
    "responses_function_tool",
    "responses_tools",
]


class TypedFunction(dict[str, Any]):
    """The ``function`` of a Chat Completions tool made by :func:`function_tool`: a dict (what
    is sent) that knows the type its arguments parse into (``model``)."""

    model: Any

    def __init__(self, definition: Mapping[str, Any], model: Any) -> None:
        super().__init__(definition)
        self.model = model


class TypedResponsesFunctionTool(dict[str, Any]):
    """A Responses API function tool made by :func:`responses_function_tool`: a dict that
    knows the type its arguments parse into (``model``)."""

    model: Any

    def __init__(self, tool: Mapping[str, Any], model: Any) -> None:
        super().__init__(tool)
        self.model = model


def _definition(model: Any, name: str | None, description: str | None) -> dict[str, Any]:
    definition: dict[str, Any] = {
        "name": name or output_name(model),
        "strict": True,
        "parameters": strict_schema(model),
    }
    if description is None:
        description = class_description(model)
    if description is not None:
        definition["description"] = description
    return definition


def function_tool(
    model: Any, *, name: str | None = None, description: str | None = None
) -> dict[str, Any]:
    """A strict function tool (Chat Completions shape) whose arguments parse into ``model``.

    ``name`` defaults to the class's name, ``description`` to its docstring. Pass it in
    ``tools=[...]``: ``parse()`` and ``stream()`` give each call of it ``parsed_arguments``, a
    ``model`` instance. Raises TypeError when ``model`` is not an attrs class, a dataclass, a
    TypedDict or a pydantic model, or has a field no strict schema describes.
    """
    return {
        "type": "function",
        "function": TypedFunction(_definition(model, name, description), model),
    }


#: The official SDK's name of :func:`function_tool` (any supported class, not only pydantic's).
pydantic_function_tool = function_tool


def responses_function_tool(
    model: Any,
    *,
    name: str | None = None,
    description: str | None = None,
    defer_loading: bool | NotGiven = NOT_GIVEN,
) -> dict[str, Any]:
    """:func:`function_tool` in the Responses API's shape (``{"type": "function", "name":
    ..., "parameters": ...}``), for ``responses.parse`` and ``responses.stream``;
    ``defer_loading`` as the API has it (with a tool-search tool)."""
    tool: dict[str, Any] = {"type": "function", **_definition(model, name, description)}
    if not isinstance(defer_loading, NotGiven):
        tool["defer_loading"] = defer_loading
    return TypedResponsesFunctionTool(tool, model)


#: The official SDK's name of :func:`responses_function_tool`.
pydantic_responses_function_tool = responses_function_tool


def responses_tools(tools: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """``tools`` for the Responses API: a Chat Completions-shaped :func:`function_tool` is
    turned into the Responses shape (keeping its type); other tools pass as they are.

    Raises TypeError for another Chat Completions-shaped function tool: only those made by
    ``function_tool`` say which type their arguments parse into.
    """
    out: list[Mapping[str, Any]] = []
    for tool in tools:
        function = tool.get("function") if tool.get("type") == "function" else None
        if function is None:
            out.append(tool)
            continue
        if not isinstance(function, TypedFunction):
            raise TypeError(
                "a Chat Completions function tool ({'type': 'function', 'function': {...}}) "
                "given to the Responses API must be made by function_tool(); write other "
                "function tools in the Responses shape ({'type': 'function', 'name': ...})"
            )
        converted = {"type": "function", **function}
        converted.setdefault("strict", False)
        out.append(TypedResponsesFunctionTool(converted, function.model))
    return out
