"""Types of the Responses and Conversations APIs: tagged unions, ``output_text``, stream events,
inputs as attrs objects, and the token estimate of a Responses body."""

from __future__ import annotations

import json
from typing import Any, Final

import pytest
from aioresponses import aioresponses as Aioresponses

from aio_openai import APIError, AsyncOpenAI, PollTimeoutError
from aio_openai._convert import converter
from aio_openai._cost import charged_tokens, estimate_tokens
from aio_openai._request import to_param
from aio_openai.types.conversations import (
    Conversation,
    ConversationItem,
    ConversationItemList,
    Message,
)
from aio_openai.types.responses import (
    EasyInputMessage,
    FunctionTool,
    Response,
    ResponseCompactionItem,
    ResponseCompletedEvent,
    ResponseErrorEvent,
    ResponseFileSearchToolCall,
    ResponseFunctionCallArgumentsDoneEvent,
    ResponseFunctionToolCall,
    ResponseFunctionWebSearch,
    ResponseInputText,
    ResponseOutputItemAddedEvent,
    ResponseOutputMessage,
    ResponseOutputRefusal,
    ResponseOutputText,
    ResponseReasoningItem,
    ResponseTextDeltaEvent,
    ToolChoiceFunction,
    UnknownContent,
    UnknownOutputItem,
    UnknownResponseStreamEvent,
    UnknownTool,
    parse_response_stream_event,
)
from aio_openai.types.responses.response_output_item import McpCall

BASE: Final = "https://fake.test/v1"


def message(*parts: dict[str, Any], id: str = "msg_1") -> dict[str, Any]:
    return {"type": "message", "id": id, "role": "assistant", "status": "completed",
            "content": list(parts)}  # fmt: skip


def text(value: str) -> dict[str, Any]:
    return {"type": "output_text", "text": value, "annotations": [], "logprobs": []}


#: The keys a Response always has (the SDK's required fields).
REQUIRED: Final = {"created_at": 1741476777, "model": "gpt-4o", "parallel_tool_calls": True,
                   "tool_choice": "auto"}  # fmt: skip

RESPONSE: Final = {
    **REQUIRED,
    "id": "resp_1",
    "object": "response",
    "status": "completed",
    "output": [
        {"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": "hm"}]},
        message(text("Hello, "), {"type": "refusal", "refusal": "no"}, text("world")),
        {"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "f",
         "arguments": "{}", "status": "completed"},
        {"type": "file_search_call", "id": "fs_1", "queries": ["q"], "status": "completed"},
        {"type": "web_search_call", "id": "ws_1", "status": "completed",
         "action": {"type": "search", "query": "q"}},
        message(text("!"), {"type": "zz_audio", "data": "..."}, id="msg_2"),
        {"type": "mcp_call", "id": "mcp_1", "server_label": "s", "name": "n",
         "arguments": "{}", "output": "x"},
        {"type": "zz_future_call", "id": "zz_1", "server_label": "s", "output": "x"},
    ],
    "tools": [
        {"type": "function", "name": "f", "parameters": {}, "strict": True},
        {"type": "zz_future_tool", "display_width": 1024},
    ],
    "tool_choice": {"type": "function", "name": "f"},
    "usage": {"input_tokens": 5, "output_tokens": 3, "total_tokens": 8,
              "input_tokens_details": {"cached_tokens": 0, "cache_write_tokens": 0},
              "output_tokens_details": {"reasoning_tokens": 1}},
    "brand_new_field": {"a": 1},
}  # fmt: skip


def test_a_response_parses_every_output_item_type() -> None:
    response = converter.structure(RESPONSE, Response)
    kinds = [type(item) for item in response.output]
    assert kinds == [
        ResponseReasoningItem,
        ResponseOutputMessage,
        ResponseFunctionToolCall,
        ResponseFileSearchToolCall,
        ResponseFunctionWebSearch,
        ResponseOutputMessage,
        McpCall,
        UnknownOutputItem,
    ]
    first = response.output[1]
    assert isinstance(first, ResponseOutputMessage)
    assert [type(p) for p in first.content] == [
        ResponseOutputText,
        ResponseOutputRefusal,
        ResponseOutputText,
    ]
    second = response.output[5]
    assert isinstance(second, ResponseOutputMessage)
    assert isinstance(second.content[1], UnknownContent)
    unknown = response.output[7]
    assert unknown.type == "zz_future_call" and unknown.server_label == "s"
    assert unknown.to_dict() == RESPONSE["output"][7]
    assert isinstance(response.tools[1], UnknownTool) and response.tools[1].display_width == 1024
    assert response.tool_choice == ToolChoiceFunction(name="f")
    assert response.usage is not None and response.usage.total_tokens == 8
    assert response.brand_new_field == {"a": 1}
    assert to_param(response.output) == RESPONSE["output"]


def test_output_text_joins_the_output_text_parts_only() -> None:
    response = converter.structure(RESPONSE, Response)
    assert response.output_text == "Hello, world!"
    assert converter.structure({**REQUIRED, "id": "r", "output": []}, Response).output_text == ""
    calls = response.function_calls
    assert [c.call_id for c in calls] == ["call_1"]


def test_a_response_of_its_required_keys_only_has_empty_defaults() -> None:
    response = converter.structure({**REQUIRED, "id": "resp_2"}, Response)
    assert (response.status, response.output, response.usage, response.error) == (
        None,
        [],
        None,
        None,
    )
    assert response.output_text == "" and response.tools == []
    lacking = {key: value for key, value in REQUIRED.items() if key != "model"}
    with pytest.raises(KeyError, match="model"):  # a call raises APIResponseValidationError
        converter.structure({**lacking, "id": "resp_2"}, Response)


def test_conversation_items_parse_messages_of_any_role() -> None:
    data = {
        "object": "list",
        "data": [
            {"type": "message", "id": "m1", "role": "user", "status": "completed",
             "content": [{"type": "input_text", "text": "hi"},
                         {"type": "input_image", "image_url": "https://x/y.png",
                          "detail": "auto"}]},
            message(text("hello"), id="m2"),
            {"type": "function_call_output", "id": "fco_1", "call_id": "c", "output": "42",
             "status": "completed"},
            {"type": "compaction", "id": "cmp_1", "encrypted_content": "..."},
            {"type": "zz_future_item", "id": "zz_1", "summary": "..."},
        ],
        "first_id": "m1",
        "last_id": "zz_1",
        "has_more": False,
    }  # fmt: skip
    page = converter.structure(data, ConversationItemList)
    user, assistant, output, compaction, other = page.data
    assert isinstance(user, Message) and user.role == "user"
    assert isinstance(user.content[0], ResponseInputText)
    assert isinstance(assistant, Message) and isinstance(assistant.content[0], ResponseOutputText)
    assert output.type == "function_call_output" and output.output == "42"
    assert isinstance(compaction, ResponseCompactionItem)
    assert isinstance(other, UnknownOutputItem) and other.summary == "..."
    item = converter.structure(data["data"][0], ConversationItem)  # type: ignore[arg-type]
    assert isinstance(item, Message)
    conversation = converter.structure(
        {"id": "conv_1", "object": "conversation", "created_at": 1, "metadata": {"a": "b"}},
        Conversation,
    )
    assert conversation.metadata == {"a": "b"}


def test_output_items_go_back_as_input_items() -> None:
    response = converter.structure(RESPONSE, Response)
    call = response.function_calls[0]
    assert to_param(call) == RESPONSE["output"][2]
    assert to_param(EasyInputMessage(role="user", content="hi")) == {
        "role": "user",
        "content": "hi",
    }
    tool = FunctionTool(name="f", parameters={"type": "object"}, strict=True)
    assert to_param(tool) == {
        "name": "f",
        "parameters": {"type": "object"},
        "strict": True,
        "type": "function",
    }


# -- stream events ------------------------------------------------------------------------------


def test_stream_events_are_typed_by_their_type() -> None:
    delta = parse_response_stream_event(
        "response.output_text.delta",
        {"type": "response.output_text.delta", "delta": "Hi", "item_id": "m", "output_index": 0,
         "content_index": 0, "sequence_number": 4, "logprobs": []},
    )  # fmt: skip
    assert isinstance(delta, ResponseTextDeltaEvent)
    assert (delta.delta, delta.sequence_number) == ("Hi", 4)
    done = parse_response_stream_event(
        None,
        {"type": "response.completed", "sequence_number": 9, "response": RESPONSE},
    )
    assert isinstance(done, ResponseCompletedEvent) and done.response.output_text == "Hello, world!"
    added = parse_response_stream_event(
        "response.output_item.added",
        {"type": "response.output_item.added", "output_index": 2, "sequence_number": 3,
         "item": RESPONSE["output"][2]},
    )  # fmt: skip
    assert isinstance(added, ResponseOutputItemAddedEvent)
    assert isinstance(added.item, ResponseFunctionToolCall)
    arguments = parse_response_stream_event(
        None,
        {"type": "response.function_call_arguments.done", "item_id": "fc_1", "output_index": 2,
         "name": "f", "arguments": "{}", "sequence_number": 5},
    )  # fmt: skip
    assert isinstance(arguments, ResponseFunctionCallArgumentsDoneEvent)
    assert arguments.name == "f"
    error = parse_response_stream_event(
        None, {"type": "error", "code": "x", "message": "boom", "param": None, "sequence_number": 1}
    )
    assert isinstance(error, ResponseErrorEvent) and error.message == "boom"


def test_unknown_stream_events_pass_through_with_their_data() -> None:
    data = {"type": "response.zz_future_call.partial", "sequence_number": 7,
            "partial_b64": "AAAA", "output_index": 0}  # fmt: skip
    event = parse_response_stream_event("response.zz_future_call.partial", data)
    assert isinstance(event, UnknownResponseStreamEvent)
    assert (event.type, event.sequence_number) == (data["type"], 7)
    assert event.partial_b64 == "AAAA" and event.to_dict() == data
    # the name comes from the event line when the data has no type; non-objects pass through
    named = parse_response_stream_event("response.new", {"x": 1})
    assert isinstance(named, UnknownResponseStreamEvent) and named.type == "response.new"
    odd = parse_response_stream_event("response.odd", [1, 2])
    assert isinstance(odd, UnknownResponseStreamEvent) and odd.data == [1, 2]


def _sse(*events: dict[str, Any]) -> bytes:
    return b"".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n".encode() for e in events)


async def test_a_stream_yields_typed_and_unknown_events(
    mock_http: Aioresponses, clean_env: None
) -> None:
    body = _sse(
        {"type": "response.created", "sequence_number": 0, "response": {**REQUIRED, "id": "r"}},
        {"type": "response.zz_future.delta", "sequence_number": 1, "delta": "hm"},
        {"type": "response.output_text.delta", "sequence_number": 2, "delta": "Hi",
         "item_id": "m", "output_index": 0, "content_index": 0, "logprobs": []},
        {"type": "response.completed", "sequence_number": 3, "response": RESPONSE},
    )  # fmt: skip
    mock_http.post(f"{BASE}/responses", body=body, content_type="text/event-stream")
    async with AsyncOpenAI(api_key="sk-test", base_url=BASE, max_retries=0) as client:
        stream = await client.responses.create(model="gpt-4o", input="hi", stream=True)
        events = [event async for event in stream]
    assert [type(e).__name__ for e in events] == [
        "ResponseCreatedEvent",
        "UnknownVariant",
        "ResponseTextDeltaEvent",
        "ResponseCompletedEvent",
    ]
    assert events[1].delta == "hm"


async def test_an_error_event_raises_api_error(mock_http: Aioresponses, clean_env: None) -> None:
    body = _sse(
        {"type": "response.created", "sequence_number": 0, "response": {**REQUIRED, "id": "r"}},
        {"type": "error", "code": "server_error", "message": "The model broke.", "param": None,
         "sequence_number": 1},
    )  # fmt: skip
    mock_http.post(f"{BASE}/responses", body=body, content_type="text/event-stream")
    async with AsyncOpenAI(api_key="sk-test", base_url=BASE, max_retries=0) as client:
        stream = await client.responses.create(model="gpt-4o", input="hi", stream=True)
        seen = []
        with pytest.raises(APIError, match=r"The model broke\."):
            async for event in stream:
                seen.append(event)
    assert [e.type for e in seen] == ["response.created"]


# -- the token estimate -------------------------------------------------------------------------


def test_the_estimate_counts_responses_inputs() -> None:
    body = {
        "model": "gpt-4o",
        "instructions": "x" * 8,
        "input": [
            {"role": "user", "content": "y" * 16},
            {"role": "user", "content": [{"type": "input_text", "text": "z" * 20}]},
            {"type": "function_call", "call_id": "c", "name": "f", "arguments": "a" * 12},
            {"type": "function_call_output", "call_id": "c", "output": "o" * 24},
        ],
    }
    assert estimate_tokens(body) == (8 + 16 + 20 + 12 + 24) // 4
    assert estimate_tokens({**body, "max_output_tokens": 500}) == 500
    assert estimate_tokens({"model": "gpt-4o", "input": "w" * 40}) == 10


def test_the_charge_reads_input_tokens() -> None:
    body = {"model": "gpt-4o", "input": "hi", "max_output_tokens": 50}
    assert charged_tokens(body, {"input_tokens": 80, "output_tokens": 3}) == 80
    assert charged_tokens(body, {"input_tokens": 10, "output_tokens": 3}) == 50
    assert charged_tokens(body, {"output_tokens": 3}) is None
    assert charged_tokens(body, {"prompt_tokens": 70}) == 70


async def test_create_is_metered_with_the_model_and_the_estimate(
    mock_http: Aioresponses, clean_env: None
) -> None:
    seen = []

    async def spy(request: Any, call_next: Any) -> Any:
        seen.append((request.method, request.model, request.token_cost))
        return await call_next(request)

    mock_http.post(f"{BASE}/responses", payload=RESPONSE)
    mock_http.get(f"{BASE}/responses/resp_1", payload=RESPONSE)
    async with AsyncOpenAI(
        api_key="sk-test", base_url=BASE, max_retries=0, middlewares=[spy]
    ) as client:
        await client.responses.create(
            model="gpt-4o",
            input=[EasyInputMessage(role="user", content="q" * 400)],
            instructions="i" * 40,
        )
        await client.responses.retrieve("resp_1")
    assert seen == [("POST", "gpt-4o", 110), ("GET", None, 0)]


def test_poll_timeout_names_a_response() -> None:
    response = converter.structure({**REQUIRED, "id": "resp_9", "status": "queued"}, Response)
    error = PollTimeoutError(response, deadline=2.0, request=None, noun="Response")
    assert error.last is response and error.run is None
    assert "Response resp_9" in str(error) and "queued" in str(error)
    assert "No response was seen" in str(
        PollTimeoutError(None, deadline=1.0, request=None, noun="Response")
    )
