"""The Assistants API types: v1 and v2 shapes, tagged unions with fallbacks, inputs as params."""

from __future__ import annotations

from typing import Any

import pytest

import aio_openai.types as types_pkg
from aio_openai._convert import converter
from aio_openai._request import to_param
from aio_openai.types.beta import (
    Assistant,
    AssistantToolChoice,
    CodeInterpreterTool,
    FileSearch,
    FileSearchTool,
    FunctionDefinition,
    FunctionTool,
    ResponseFormatJSONObject,
    ResponseFormatJSONSchema,
    ResponseFormatText,
    RetrievalTool,
    Thread,
    ToolResources,
    ToolResourcesCodeInterpreter,
    UnknownResponseFormat,
    UnknownTool,
)
from aio_openai.types.beta.threads import (
    FileCitationAnnotation,
    FilePathAnnotation,
    FileSearchAttachmentTool,
    ImageFileContentBlock,
    ImageURLContentBlock,
    Message,
    RefusalContentBlock,
    Run,
    TextContentBlock,
    UnknownAnnotation,
    UnknownContentBlock,
)
from aio_openai.types.beta.threads.run import TERMINAL_RUN_STATUSES
from aio_openai.types.beta.threads.runs import (
    CodeInterpreterOutputImage,
    CodeInterpreterOutputLogs,
    CodeInterpreterToolCall,
    FileSearchToolCall,
    FunctionToolCall,
    MessageCreationStepDetails,
    RetrievalToolCall,
    RunStep,
    ToolCallsStepDetails,
    UnknownCodeInterpreterOutput,
    UnknownStepDetails,
    UnknownToolCall,
)

ASSISTANT_V1: dict[str, Any] = {
    "id": "asst_abc123",
    "object": "assistant",
    "created_at": 1698984975,
    "name": "Math Tutor",
    "description": None,
    "model": "gpt-4",
    "instructions": "You are a personal math tutor.",
    "tools": [{"type": "retrieval"}],
    "file_ids": ["file-abc123"],
    "metadata": {},
}

ASSISTANT_V2: dict[str, Any] = {
    **{k: v for k, v in ASSISTANT_V1.items() if k != "file_ids"},
    "tools": [{"type": "file_search", "file_search": {"max_num_results": 5}}],
    "tool_resources": {"file_search": {"vector_store_ids": ["vs_1"]}},
    "temperature": 1.0,
    "top_p": 1.0,
    "response_format": "auto",
}


def test_v1_assistant_has_file_ids_and_retrieval() -> None:
    a = converter.structure(ASSISTANT_V1, Assistant)
    assert a.file_ids == ["file-abc123"]
    assert a.tool_resources is None
    assert a.tools == [RetrievalTool()]
    assert a.model_extra == {}


def test_v2_assistant_has_tool_resources_and_file_search() -> None:
    a = converter.structure(ASSISTANT_V2, Assistant)
    assert a.file_ids is None
    assert a.tool_resources is not None
    assert a.tool_resources.file_search is not None
    assert a.tool_resources.file_search.vector_store_ids == ["vs_1"]
    assert a.tools == [FileSearchTool(file_search=FileSearch(max_num_results=5))]
    assert a.response_format == "auto"


@pytest.mark.parametrize("data", [ASSISTANT_V1, ASSISTANT_V2])
def test_assistant_round_trips(data: dict[str, Any]) -> None:
    assistant = converter.structure(data, Assistant)
    produced = assistant.to_dict()
    assert produced["description"] is None
    assert all(produced[k] is None for k in produced.keys() - data.keys())
    assert to_param(assistant) == {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize(
    ("data", "cls"),
    [
        ({"type": "code_interpreter"}, CodeInterpreterTool),
        ({"type": "file_search"}, FileSearchTool),
        ({"type": "retrieval"}, RetrievalTool),
        ({"type": "function", "function": {"name": "f"}}, FunctionTool),
        ({"type": "web_search_preview", "size": 3}, UnknownTool),
    ],
)
def test_tools_are_tagged_on_type(data: dict[str, Any], cls: type) -> None:
    a = converter.structure({"id": "a", "tools": [data]}, Assistant)
    assert type(a.tools[0]) is cls
    assert to_param(a.tools[0]) == data


def test_unknown_tool_keeps_every_key() -> None:
    tool = converter.structure({"id": "a", "tools": [{"type": "x", "n": 1}]}, Assistant).tools[0]
    assert isinstance(tool, UnknownTool)
    assert tool.type == "x"
    assert tool.model_extra == {"n": 1}
    assert tool.n == 1
    assert tool.to_dict() == {"type": "x", "n": 1}


def test_function_tool_parses_its_definition() -> None:
    data = {
        "type": "function",
        "function": {"name": "f", "description": "d", "parameters": {"type": "object"}},
    }
    tool = converter.structure({"id": "a", "tools": [data]}, Assistant).tools[0]
    assert tool == FunctionTool(
        function=FunctionDefinition(name="f", description="d", parameters={"type": "object"})
    )


def test_a_tool_that_is_not_an_object_fails() -> None:
    with pytest.raises(Exception, match="expected a JSON object"):
        converter.structure({"id": "a", "tools": ["retrieval"]}, Assistant)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("auto", "auto"),
        ("none", "none"),
        (None, None),
        ({"type": "text"}, ResponseFormatText()),
        ({"type": "json_object"}, ResponseFormatJSONObject()),
    ],
)
def test_response_format_is_a_string_or_an_object(value: Any, expected: Any) -> None:
    a = converter.structure({"id": "a", "response_format": value}, Assistant)
    assert a.response_format == expected


def test_response_format_json_schema_and_unknown() -> None:
    schema = {"type": "json_schema", "json_schema": {"name": "n", "schema": {"type": "object"}}}
    a = converter.structure({"id": "a", "response_format": schema}, Assistant)
    assert isinstance(a.response_format, ResponseFormatJSONSchema)
    assert a.response_format.json_schema.schema == {"type": "object"}
    b = converter.structure({"id": "a", "response_format": {"type": "xml", "v": 1}}, Assistant)
    assert isinstance(b.response_format, UnknownResponseFormat)
    assert b.response_format.to_dict() == {"type": "xml", "v": 1}


def test_tool_choice_is_a_string_or_a_named_tool() -> None:
    r = converter.structure({"id": "r", "tool_choice": "required"}, Run)
    assert r.tool_choice == "required"
    named = {"type": "function", "function": {"name": "get_weather"}}
    r = converter.structure({"id": "r", "tool_choice": named}, Run)
    assert isinstance(r.tool_choice, AssistantToolChoice)
    assert r.tool_choice.function is not None
    assert r.tool_choice.function.name == "get_weather"


def test_run_statuses_are_an_open_enum() -> None:
    assert converter.structure({"id": "r", "status": "incomplete"}, Run).status == "incomplete"
    assert converter.structure({"id": "r", "status": "paused"}, Run).status == "paused"
    assert {
        "requires_action",
        "cancelled",
        "completed",
        "failed",
        "expired",
        "incomplete",
    } == TERMINAL_RUN_STATUSES


def test_run_required_action_and_usage() -> None:
    data = {
        "id": "run_1",
        "status": "requires_action",
        "required_action": {
            "type": "submit_tool_outputs",
            "submit_tool_outputs": {
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "f", "arguments": "{}"},
                    }
                ]
            },
        },
        "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3},
        "file_ids": [],
        "parallel_tool_calls": True,
    }
    run = converter.structure(data, Run)
    assert run.required_action is not None
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    assert (call.id, call.function.name, call.function.arguments) == ("call_1", "f", "{}")
    assert run.usage is not None and run.usage.total_tokens == 3
    assert run.file_ids == [] and run.parallel_tool_calls is True


def test_message_content_blocks_are_tagged() -> None:
    data = {
        "id": "msg_1",
        "content": [
            {
                "type": "text",
                "text": {
                    "value": "see",
                    "annotations": [
                        {
                            "type": "file_citation",
                            "text": "[1]",
                            "file_citation": {"file_id": "f", "quote": "q"},
                            "start_index": 0,
                            "end_index": 3,
                        },
                        {"type": "file_path", "text": "p", "file_path": {"file_id": "g"}},
                        {"type": "url_citation", "url": "u"},
                    ],
                },
            },
            {"type": "image_file", "image_file": {"file_id": "img", "detail": "low"}},
            {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
            {"type": "refusal", "refusal": "no"},
            {"type": "audio", "audio": {"id": "a"}},
        ],
        "attachments": [{"file_id": "f", "tools": [{"type": "file_search"}]}],
    }
    m = converter.structure(data, Message)
    kinds = [type(c) for c in m.content]
    assert kinds == [
        TextContentBlock,
        ImageFileContentBlock,
        ImageURLContentBlock,
        RefusalContentBlock,
        UnknownContentBlock,
    ]
    text = m.content[0]
    assert isinstance(text, TextContentBlock)
    assert [type(a) for a in text.text.annotations] == [
        FileCitationAnnotation,
        FilePathAnnotation,
        UnknownAnnotation,
    ]
    assert m.attachments is not None
    assert m.attachments[0].tools == [FileSearchAttachmentTool()]
    assert to_param(m)["content"] == data["content"]
    # the keys the API sent (as the SDK's to_dict()); exclude_unset=False adds the others
    assert m.to_dict()["content"][2] == data["content"][2]
    assert m.to_dict(exclude_unset=False)["content"][2] == {
        "type": "image_url",
        "image_url": {"url": "https://example.com/a.png", "detail": None},
    }


def test_v1_message_file_ids() -> None:
    m = converter.structure({"id": "m", "file_ids": ["f1"], "content": []}, Message)
    assert m.file_ids == ["f1"] and m.attachments is None


def test_run_step_details_and_tool_calls_are_tagged() -> None:
    calls = [
        {
            "id": "c1",
            "type": "code_interpreter",
            "code_interpreter": {
                "input": "print(1)",
                "outputs": [
                    {"type": "logs", "logs": "1"},
                    {"type": "image", "image": {"file_id": "img"}},
                    {"type": "video", "url": "v"},
                ],
            },
        },
        {"id": "c2", "type": "file_search", "file_search": {"results": []}},
        {"id": "c3", "type": "retrieval", "retrieval": {}},
        {
            "id": "c4",
            "type": "function",
            "function": {"name": "f", "arguments": "{}", "output": "x"},
        },
        {"id": "c5", "type": "computer", "action": "click"},
    ]
    step = converter.structure(
        {
            "id": "s",
            "type": "tool_calls",
            "step_details": {"type": "tool_calls", "tool_calls": calls},
        },
        RunStep,
    )
    details = step.step_details
    assert isinstance(details, ToolCallsStepDetails)
    assert [type(c) for c in details.tool_calls] == [
        CodeInterpreterToolCall,
        FileSearchToolCall,
        RetrievalToolCall,
        FunctionToolCall,
        UnknownToolCall,
    ]
    code = details.tool_calls[0]
    assert isinstance(code, CodeInterpreterToolCall)
    assert [type(o) for o in code.code_interpreter.outputs] == [
        CodeInterpreterOutputLogs,
        CodeInterpreterOutputImage,
        UnknownCodeInterpreterOutput,
    ]
    unknown = details.tool_calls[4]
    assert unknown.to_dict() == calls[4]


def test_run_step_message_creation_and_unknown_details() -> None:
    created = converter.structure(
        {
            "id": "s",
            "step_details": {"type": "message_creation", "message_creation": {"message_id": "m"}},
        },
        RunStep,
    )
    assert isinstance(created.step_details, MessageCreationStepDetails)
    assert created.step_details.message_creation.message_id == "m"
    other = converter.structure({"id": "s", "step_details": {"type": "thinking", "n": 1}}, RunStep)
    assert isinstance(other.step_details, UnknownStepDetails)
    assert other.step_details.model_extra == {"n": 1}


def test_thread_shapes() -> None:
    v1 = converter.structure({"id": "t", "created_at": 1, "metadata": {}}, Thread)
    assert v1.tool_resources is None
    v2 = converter.structure({"id": "t", "tool_resources": {"code_interpreter": {}}}, Thread)
    assert v2.tool_resources == ToolResources(code_interpreter=ToolResourcesCodeInterpreter())


def test_types_are_reexported() -> None:
    assert types_pkg.Assistant is Assistant
    assert types_pkg.Run is Run
    assert types_pkg.RunStep is RunStep
    assert types_pkg.beta.threads.Message is Message


# -- inputs ---------------------------------------------------------------------------------------


def test_attrs_inputs_become_dicts_without_unset_fields() -> None:
    tool = FunctionTool(function=FunctionDefinition(name="f", parameters={"default": None}))
    assert to_param(tool) == {
        "function": {"name": "f", "parameters": {"default": None}},
        "type": "function",
    }
    assert to_param(FileSearchTool()) == {"type": "file_search"}
    assert to_param(ToolResources(code_interpreter=ToolResourcesCodeInterpreter(file_ids=[]))) == {
        "code_interpreter": {"file_ids": []}
    }


def test_dict_inputs_pass_through_with_explicit_nulls() -> None:
    value = {"type": "function", "function": {"name": "f", "description": None}}
    assert to_param(value) == value
    assert to_param([CodeInterpreterTool(), {"type": "retrieval"}]) == [
        {"type": "code_interpreter"},
        {"type": "retrieval"},
    ]
    assert to_param(t for t in [RetrievalTool()]) == [{"type": "retrieval"}]
    assert to_param("text") == "text"
    assert to_param(None) is None


def test_parsed_objects_can_be_sent_back_with_their_unknown_keys() -> None:
    tool = converter.structure({"id": "a", "tools": [{"type": "new", "x": 1}]}, Assistant).tools[0]
    assert to_param(tool) == {"type": "new", "x": 1}
