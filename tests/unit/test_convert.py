"""Lenient parsing: cattrs structuring of responses, unknown keys, open enums, bad bodies."""

from __future__ import annotations

import copy
import json
import pickle
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import attrs
import pytest
from aioresponses import aioresponses as Aioresponses
from hypothesis import given, settings
from hypothesis import strategies as st
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from aio_openai import APIResponseValidationError, AsyncOpenAI, Request, Response
from aio_openai._convert import (
    _cattrs_structure,
    _generated_structure,
    _plain,
    converter,
    structure,
)
from aio_openai._models import BaseObject
from aio_openai._response import object_parser
from aio_openai.testing import SEED_MODELS, FakeState
from aio_openai.types import Model, ModelDeleted
from aio_openai.types.beta import Assistant
from aio_openai.types.beta.threads import Run
from aio_openai.types.chat import ChatCompletion

pytestmark = pytest.mark.usefixtures("clean_env")

BASE = "https://api.openai.com/v1"
FULL = {
    "id": "gpt-4",
    "object": "model",
    "created": 1687882411,
    "owned_by": "openai",
    "shutdown_date": None,
}


@pytest.fixture
async def api() -> AsyncIterator[AsyncOpenAI]:
    c = AsyncOpenAI(api_key="sk-unit-0123456789abcdef", max_retries=0)
    try:
        yield c
    finally:
        await c.aclose()


def response(content: bytes, *, status: int = 200, request_id: str = "req_conv") -> Response:
    request = Request(
        method="GET",
        url=URL(f"{BASE}/models/gpt-4"),
        headers={},
        timeout=aiohttp.ClientTimeout(total=1),
    )
    headers = CIMultiDictProxy(CIMultiDict({"x-request-id": request_id}))
    return Response(status=status, headers=headers, content=content, request=request)


def as_json(data: Any) -> bytes:
    return json.dumps(data).encode()


# -- lenient structuring -------------------------------------------------------------------------


def test_full_object_structures_to_attributes() -> None:
    m = structure(FULL, Model)
    assert (m.id, m.object, m.created, m.owned_by) == ("gpt-4", "model", 1687882411, "openai")
    assert m.model_extra == {}


def test_missing_optional_fields_are_none() -> None:
    m = structure({"id": "gpt-4"}, Model)
    assert m.created is None
    assert m.owned_by is None
    assert m.object == "model"


def test_unknown_fields_kept_and_reachable_as_attributes() -> None:
    m = structure({**FULL, "new_field": {"nested": [1, 2]}, "flag": False}, Model)
    assert m.model_extra == {"new_field": {"nested": [1, 2]}, "flag": False}
    assert m.new_field == {"nested": [1, 2]}
    assert m.flag is False
    assert m.id == "gpt-4"


def test_absent_names_raise_attribute_error() -> None:
    m = structure({**FULL, "new_field": 1}, Model)
    with pytest.raises(AttributeError, match="no_such_thing"):
        _ = m.no_such_thing
    assert not hasattr(m, "no_such_thing")
    assert getattr(m, "no_such_thing", "default") == "default"


def test_objects_are_frozen() -> None:
    m = structure(FULL, Model)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        m.id = "other"  # type: ignore[misc]


def test_unknown_enum_value_passes_as_a_string() -> None:
    m = structure({**FULL, "object": "something_new"}, Model)
    assert m.object == "something_new"
    assert type(m.object) is str


def test_extra_keys_do_not_affect_equality() -> None:
    assert structure({**FULL, "x": 1}, Model) == structure(FULL, Model)


@pytest.mark.parametrize(
    "data",
    [
        {**FULL, "brand_new": {"a": [1, {"b": None}]}, "n": 3},
        FULL,
        {"id": "ft:x", "object": "model", "created": None, "owned_by": None, "shutdown_date": None}
        | {"z": "y"},
    ],
)
def test_to_dict_round_trip_keeps_unknown_keys(data: dict[str, Any]) -> None:
    m = structure(data, Model)
    assert m.to_dict() == data
    assert structure(m.to_dict(), Model) == m
    assert structure(m.to_dict(), Model).model_extra == m.model_extra


def test_to_dict_leaves_out_structural_fields() -> None:
    m = object_parser(Model)(response(as_json(FULL)))
    assert m._request_id == "req_conv"
    assert "_request_id" not in m.to_dict()
    assert "model_extra" not in m.to_dict()


def test_model_deleted_structures() -> None:
    d = structure({"id": "ft:x", "object": "model", "deleted": True}, ModelDeleted)
    assert (d.id, d.deleted, d.object) == ("ft:x", True, "model")


# -- what the fake server sends is fully covered by the types ------------------------------------


def test_types_cover_every_field_the_fake_sends() -> None:
    body = json.loads(FakeState().model_list_body())
    models = [structure(item, Model) for item in body["data"]]
    assert len(models) == len(SEED_MODELS)
    for model, item in zip(models, body["data"], strict=True):
        assert model.model_extra == {}, model.model_extra
        # the fake announces no shutdown: shutdown_date is None, and not a key the JSON had
        assert model.shutdown_date is None
        assert model.to_dict() == item


# -- bodies that are not what the API promises ---------------------------------------------------


def test_non_json_body_is_a_validation_error_with_request_id() -> None:
    with pytest.raises(APIResponseValidationError) as info:
        object_parser(Model)(response(b"<html>not json</html>", request_id="req_html"))
    err = info.value
    assert err.request_id == "req_html"
    assert err.status_code == 200
    assert err.body == "<html>not json</html>"
    assert "not valid JSON" in err.message


@pytest.mark.parametrize(
    "data",
    [
        {"object": "model", "created": 1},  # no id
        ["not", "an", "object"],
        "a string",
        None,
    ],
)
def test_body_without_what_every_model_has_is_a_validation_error(data: Any) -> None:
    with pytest.raises(APIResponseValidationError) as info:
        object_parser(Model)(response(as_json(data), request_id="req_noid"))
    assert info.value.request_id == "req_noid"
    assert info.value.body == data
    assert "Model" in info.value.message


def test_deleted_without_deleted_flag_is_a_validation_error() -> None:
    with pytest.raises(APIResponseValidationError):
        object_parser(ModelDeleted)(response(as_json({"id": "ft:x"})))


def test_parser_sets_request_id() -> None:
    m = object_parser(Model)(response(as_json(FULL), request_id="req_ok"))
    assert m._request_id == "req_ok"


async def test_list_body_without_data_is_a_validation_error(
    mock_http: Aioresponses, api: AsyncOpenAI
) -> None:
    mock_http.get(f"{BASE}/models", payload={"object": "list"}, headers={"x-request-id": "req_l"})
    with pytest.raises(APIResponseValidationError) as info:
        await api.models.list()
    assert info.value.request_id == "req_l"


@pytest.mark.parametrize(
    "body",
    [
        {"object": "list", "data": "nope"},
        {"object": "list", "data": [{"object": "model"}]},
        {"object": "list", "data": [1, 2]},
        [FULL],
    ],
)
async def test_bad_list_bodies_are_validation_errors(
    mock_http: Aioresponses, api: AsyncOpenAI, body: Any
) -> None:
    mock_http.get(f"{BASE}/models", payload=body, headers={"x-request-id": "req_bad"})
    with pytest.raises(APIResponseValidationError) as info:
        await api.models.list()
    assert info.value.request_id == "req_bad"


async def test_non_json_list_body_is_a_validation_error(
    mock_http: Aioresponses, api: AsyncOpenAI
) -> None:
    mock_http.get(f"{BASE}/models", body="oops", headers={"x-request-id": "req_txt"})
    with pytest.raises(APIResponseValidationError) as info:
        await api.models.list()
    assert info.value.request_id == "req_txt"


async def test_list_items_are_lenient_too(mock_http: Aioresponses, api: AsyncOpenAI) -> None:
    mock_http.get(
        f"{BASE}/models",
        payload={"object": "list", "data": [{"id": "a", "extra": 1}, {"id": "b"}], "more": 2},
        headers={"x-request-id": "req_page"},
    )
    page = await api.models.list()
    assert [m.id for m in page.data] == ["a", "b"]
    assert page.data[0].extra == 1
    assert page.data[1].owned_by is None
    assert page._request_id == "req_page"


def test_converter_is_lenient_about_extra_keys() -> None:
    assert converter.forbid_extra_keys is False


# -- the generated structure functions match cattrs' own -------------------------------------

_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)


def _outcome(function: Any, data: Any, cl: type) -> Any:
    try:
        obj = function(data, cl)
    except Exception:  # the parsers turn any error into a validation error
        return "invalid"
    return (obj, dict(obj.model_extra), obj._request_id)


@pytest.mark.parametrize("cl", [Model, ModelDeleted, Assistant, Run, ChatCompletion])
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_generated_structure_equals_cattrs(cl: type, data: st.DataObject) -> None:
    names = [f.name for f in attrs.fields(cl) if f.name not in ("model_extra", "_request_id")]
    body = data.draw(
        st.dictionaries(st.sampled_from([*names, "unknown_key"]), _JSON_VALUES, max_size=8)
    )
    if data.draw(st.booleans()) and "id" in names:
        body["id"] = data.draw(st.text(max_size=8) | st.integers())
    assert _plain(cl)
    assert _outcome(_generated_structure(cl), body, cl) == _outcome(_cattrs_structure(cl), body, cl)


def test_generated_structure_makes_a_fresh_default_per_object() -> None:
    a = structure({"id": "asst_1"}, Assistant)
    b = structure({"id": "asst_2"}, Assistant)
    assert a.tools == [] and a.tools is not b.tools


def test_generated_structure_coerces_like_cattrs() -> None:
    m = structure({"id": 7, "created": "12", "owned_by": None, "object": "x"}, Model)
    assert (m.id, m.created, m.owned_by, m.object) == ("7", 12, None, "x")
    with pytest.raises(TypeError, match="expected a JSON object for Model, got list"):
        structure([], Model)


def test_classes_with_their_own_init_logic_keep_the_cattrs_path() -> None:
    @attrs.frozen(kw_only=True)
    class Checked(BaseObject):
        n: int = attrs.field(validator=attrs.validators.ge(0))

    assert not _plain(Checked)
    assert structure({"n": 3, "x": 1}, Checked).model_extra == {"x": 1}
    with pytest.raises(ValueError):
        structure({"n": -1}, Checked)


def test_structured_objects_behave_like_constructed_ones() -> None:
    """model_extra and _request_id are left unset by structuring; nothing may tell."""
    plain = structure(FULL, Model)
    extra = structure({**FULL, "new": [1]}, Model)
    made = Model(id="gpt-4", object="model", created=1687882411, owned_by="openai")
    assert plain == made and hash(plain) == hash(made)
    assert (plain.model_extra, plain._request_id) == ({}, None)
    assert repr(plain) == repr(made)
    for obj in (plain, extra, made):
        assert pickle.loads(pickle.dumps(obj)) == obj
        assert pickle.loads(pickle.dumps(obj)).model_extra == obj.model_extra
        assert copy.copy(obj).model_extra == obj.model_extra
        assert copy.deepcopy(obj).to_dict() == obj.to_dict()
        assert attrs.evolve(obj, owned_by="x").model_extra == obj.model_extra
    assert extra.new == [1] and extra.to_dict() == {**FULL, "new": [1]}
    with pytest.raises(AttributeError):
        _ = plain.new


@attrs.frozen(kw_only=True)
class Node(BaseObject):
    """A type that refers to itself, as a tree of items might."""

    name: str
    children: list[Node] = attrs.field(factory=list)
    parent: Node | None = None


def test_a_type_that_refers_to_itself_structures() -> None:
    data = {
        "name": "root",
        "children": [{"name": "a", "children": [{"name": "a1"}]}, {"name": "b", "x": 1}],
        "parent": {"name": "up"},
    }
    root = structure(data, Node)
    assert [c.name for c in root.children] == ["a", "b"]
    assert root.children[0].children[0] == Node(name="a1")
    assert root.children[1].model_extra == {"x": 1}
    assert root.parent == Node(name="up")
    assert root.to_dict() == data  # the keys it came with
    assert root.to_dict(exclude_unset=False) == {
        "name": "root",
        "children": [
            {
                "name": "a",
                "children": [{"name": "a1", "children": [], "parent": None}],
                "parent": None,
            },
            {"name": "b", "children": [], "parent": None, "x": 1},
        ],
        "parent": {"name": "up", "children": [], "parent": None},
    }
