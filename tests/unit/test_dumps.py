"""``to_dict``/``to_json``/``model_dump``/``model_dump_json`` on results and pages give what the
official SDK's models give for the same JSON (the ``openai`` package is a dev dependency):
the keys the API sent by default in ``to_dict``, every field in ``model_dump``, the API's key
names or Python's, ``include``/``exclude``, and the JSON text itself."""

from __future__ import annotations

import json
from typing import Any, Final

import attrs
import openai.types
import openai.types.chat
import pytest
from openai.pagination import AsyncCursorPage as SDKCursorPage
from openai.pagination import AsyncPage as SDKPage

from aio_openai import AsyncCursorPage, AsyncPage
from aio_openai._convert import structure
from aio_openai._models import BaseObject
from aio_openai.types import CreateEmbeddingResponse, Model, Moderation
from aio_openai.types.chat import ChatCompletion

CATEGORIES: Final = (
    "harassment", "harassment/threatening", "hate", "hate/threatening", "illicit",
    "illicit/violent", "self-harm", "self-harm/instructions", "self-harm/intent", "sexual",
    "sexual/minors", "violence", "violence/graphic",
)  # fmt: skip
#: A moderation result: keys that are not Python names (``self-harm``), nested objects.
MODERATION: Final = {
    "categories": {name: name == "violence" for name in CATEGORIES},
    "category_applied_input_types": {name: ["text"] for name in CATEGORIES},
    "category_scores": {name: 0.5 if name == "violence" else 0.0 for name in CATEGORIES},
    "flagged": True,
}
EMBEDDINGS: Final = {
    "object": "list",
    "data": [{"object": "embedding", "index": 0, "embedding": [0.5, -1.25]}],
    "model": "text-embedding-3-small",
    "usage": {"prompt_tokens": 2, "total_tokens": 2},
}
#: Fields sent as null, fields not sent at all, an unknown key, a non-ASCII text.
COMPLETION: Final = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1,
    "model": "gpt-4",
    "choices": [
        {
            "index": 0,
            "finish_reason": "stop",
            "logprobs": None,
            "message": {"role": "assistant", "content": "héllo", "refusal": None},
        }
    ],
    "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
    "brand_new": {"nested": [1, None]},
}
MODEL: Final = {"id": "gpt-4", "object": "model", "created": 1, "owned_by": "openai"}

#: (our class, the SDK's, a JSON object): the classes have the same fields.
SAME_FIELDS: Final = [
    (Moderation, openai.types.Moderation, MODERATION),
    (CreateEmbeddingResponse, openai.types.CreateEmbeddingResponse, EMBEDDINGS),
]
#: ... and the SDK's may have fields ours has not yet: compared on the keys that were sent.
SENT_KEYS: Final = [
    *SAME_FIELDS,
    (ChatCompletion, openai.types.chat.ChatCompletion, COMPLETION),
    (Model, openai.types.Model, MODEL),
]

DUMP_ARGS: Final[list[dict[str, Any]]] = [
    {},
    {"by_alias": True},
    {"exclude_none": True},
    {"exclude_defaults": True},
    {"mode": "json"},
    {"include": {"categories", "flagged"}},
    {"exclude": {"categories": {"self_harm", "violence"}, "flagged": True}},
    {"include": {"data": {"__all__": {"embedding"}}, "model": True}},
    {"exclude": {"data": {0: {"index"}}}},
]


def ids(cases: list[Any]) -> list[str]:
    return [case[0].__name__ for case in cases]


@pytest.mark.parametrize(("ours", "sdks", "data"), SAME_FIELDS, ids=ids(SAME_FIELDS))
@pytest.mark.parametrize("kwargs", DUMP_ARGS, ids=str)
def test_model_dump_is_the_sdks(
    ours: type[BaseObject], sdks: Any, data: dict[str, Any], kwargs: dict[str, Any]
) -> None:
    mine, theirs = structure(data, ours), sdks.model_validate(data)
    assert mine.model_dump(**kwargs) == theirs.model_dump(**kwargs)
    kwargs.pop("mode", None)  # model_dump_json has none
    assert mine.model_dump_json(**kwargs) == theirs.model_dump_json(**kwargs)


@pytest.mark.parametrize(("ours", "sdks", "data"), SENT_KEYS, ids=ids(SENT_KEYS))
def test_to_dict_and_to_json_are_the_sdks(
    ours: type[BaseObject], sdks: Any, data: dict[str, Any]
) -> None:
    mine, theirs = structure(data, ours), sdks.model_validate(data)
    assert mine.to_dict() == theirs.to_dict() == data  # the keys sent, nulls included
    for kwargs in ({}, {"use_api_names": False}, {"exclude_none": True}, {"mode": "json"}):
        assert mine.to_dict(**kwargs) == theirs.to_dict(**kwargs), kwargs
    for kwargs in ({}, {"indent": None}, {"indent": 4}, {"exclude_none": True}):
        assert json.loads(mine.to_json(**kwargs)) == json.loads(theirs.to_json(**kwargs))
        if same_order(mine, theirs):  # the same text, but for the order of the fields
            assert mine.to_json(**kwargs) == theirs.to_json(**kwargs), kwargs
    for kwargs in ({"exclude_unset": True}, {"exclude_unset": True, "by_alias": True}):
        assert mine.model_dump(**kwargs) == theirs.model_dump(**kwargs), kwargs
        assert json.loads(mine.model_dump_json(**kwargs)) == json.loads(
            theirs.model_dump_json(**kwargs)
        )


def same_order(mine: Any, theirs: Any) -> bool:
    """Whether two objects (and the objects in them) declare their fields in one order."""
    if isinstance(mine, BaseObject):
        names = [f.name for f in attrs.fields(type(mine)) if not f.name.startswith("_")]
        if names[1:] != list(type(theirs).model_fields)[: len(names) - 1]:
            return False
        return all(same_order(getattr(mine, n), getattr(theirs, n)) for n in names[1:])
    if isinstance(mine, list) and isinstance(theirs, list):
        return all(same_order(a, b) for a, b in zip(mine, theirs, strict=False))
    return True


def test_exclude_unset_means_the_keys_the_api_did_not_send() -> None:
    completion = structure(COMPLETION, ChatCompletion)
    message = completion.choices[0].message
    assert message.tool_calls is None and message.refusal is None  # both None ...
    assert "refusal" in message.to_dict() and "tool_calls" not in message.to_dict()  # ... one sent
    everything = completion.to_dict(exclude_unset=False)
    assert everything["choices"][0]["message"]["tool_calls"] is None
    assert everything["system_fingerprint"] is None and everything["brand_new"] == {
        "nested": [1, None]
    }
    assert completion.model_dump(exclude_unset=True) == COMPLETION
    assert json.loads(completion.to_json()) == COMPLETION
    assert "héllo" in completion.to_json()  # not escaped, as the SDK
    assert "h\\u00e9llo" in completion.model_dump_json(ensure_ascii=True)


def test_an_object_made_in_code_counts_every_field_as_set() -> None:
    model = Model(id="m", created=1, object="model", owned_by="me")
    assert model.to_dict() == MODEL | {"id": "m", "owned_by": "me", "shutdown_date": None}
    assert model.model_dump(exclude_unset=True) == model.model_dump()


@attrs.frozen(kw_only=True)
class Node(BaseObject):
    name: str
    children: list[Node] = attrs.field(factory=list)


def test_a_class_with_a_list_default_dumps_like_the_others() -> None:
    node = structure({"name": "a", "children": [{"name": "b"}]}, Node)
    assert node.to_dict() == {"name": "a", "children": [{"name": "b"}]}
    assert node.model_dump() == {"name": "a", "children": [{"name": "b", "children": []}]}
    # a default other than None stands for a field the API always sends: never left out
    assert node.model_dump(exclude_defaults=True) == node.model_dump()


PAGE: Final = {
    "object": "list",
    "data": [MODEL, {**MODEL, "id": "gpt-4o"}],
    "first_id": "gpt-4",
    "last_id": "gpt-4o",
    "has_more": False,
}


def page_of(cls: type[AsyncPage[Any]], data: dict[str, Any]) -> AsyncPage[Any]:
    """A page as the list calls make them: the items structured, the body's keys kept."""
    items = [structure(item, Model) for item in data["data"]]
    fields = {k: v for k, v in data.items() if k not in ("data", "object")}
    known = ("first_id", "last_id", "has_more") if cls is AsyncCursorPage else ()
    page = cls(data=items, object=data["object"], **{k: fields[k] for k in known})
    page._sent = {k: v for k, v in data.items() if k != "data"}
    return page


@pytest.mark.parametrize(
    ("ours", "sdks", "data"),
    [
        (AsyncPage, SDKPage, {"object": "list", "data": [MODEL]}),
        (AsyncCursorPage, SDKCursorPage, PAGE),
        (AsyncCursorPage, SDKCursorPage, {**PAGE, "first_id": None, "extra": 1}),
    ],
    ids=["page", "cursor page", "cursor page with nulls and more"],
)
def test_pages_dump_as_the_sdks(ours: Any, sdks: Any, data: dict[str, Any]) -> None:
    mine, theirs = page_of(ours, data), sdks[openai.types.Model].model_validate(data)
    for kwargs in ({}, {"exclude_none": True}):
        assert mine.to_dict(**kwargs) == theirs.to_dict(**kwargs), kwargs
    everything, theirs_too = mine.to_dict(exclude_unset=False), theirs.to_dict(exclude_unset=False)
    assert everything.keys() == theirs_too.keys()  # (their Model has a field ours has not)
    for kwargs in ({}, {"indent": None}):
        assert mine.to_json(**kwargs) == theirs.to_json(**kwargs), kwargs


def test_a_page_made_in_code_dumps_its_fields() -> None:
    page = AsyncCursorPage(data=[structure(MODEL, Model)], first_id="gpt-4", has_more=True)
    assert page.to_dict() == {
        "data": [MODEL],
        "has_more": True,
        "object": "list",
        "first_id": "gpt-4",
        "last_id": None,
    }
    assert json.loads(AsyncPage(data=[]).to_json()) == {"data": [], "object": "list"}
