"""The converter's general rules: tagged unions, other unions, renamed JSON keys, ``object``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import attrs
import pytest

from aio_openai._convert import Discriminator, converter, structure
from aio_openai._models import BaseObject
from aio_openai.types.unknown_variant import UnknownVariant


@attrs.frozen(kw_only=True)
class Text(BaseObject):
    text: str
    type: Literal["text"] = "text"


@attrs.frozen(kw_only=True)
class Image(BaseObject):
    url: str
    detail: str | None = None
    type: Literal["image", "picture"] = "image"


@attrs.frozen(kw_only=True)
class Audio(BaseObject):
    data: str
    type: Literal["audio"] | str = "audio"


Media = Annotated[Image | Audio, Discriminator("type")]
Part = Annotated[Text | Media | UnknownVariant, Discriminator("type")]


@attrs.frozen(kw_only=True)
class Message(BaseObject):
    parts: list[Part] = attrs.field(factory=list)
    first: Part | None = None
    choice: Literal["auto", "none"] | Text | None = None


def test_a_tagged_union_picks_the_member_its_tag_names() -> None:
    m = structure(
        {
            "parts": [
                {"type": "text", "text": "hi"},
                {"type": "picture", "url": "u"},  # a second value of the member's Literal
                {"type": "audio", "data": "d"},  # the open tag of a nested tagged union
            ]
        },
        Message,
    )
    assert m.parts == [Text(text="hi"), Image(url="u", type="picture"), Audio(data="d")]


def test_an_unknown_tag_keeps_every_key_in_the_fallback() -> None:
    data = {"type": "video", "frames": [1, 2], "fps": None}
    m = structure({"parts": [data], "first": data}, Message)
    assert isinstance(m.parts[0], UnknownVariant) and isinstance(m.first, UnknownVariant)
    assert m.parts[0].to_dict() == data and m.parts[0].frames == [1, 2]
    assert m.to_dict()["parts"] == [data]


def test_an_optional_tagged_union_takes_null_and_refuses_other_json() -> None:
    assert structure({"first": None}, Message).first is None
    with pytest.raises(TypeError, match="expected a JSON object"):
        structure({"first": [1]}, Message)


def test_a_tagged_union_without_a_fallback_refuses_an_unknown_tag() -> None:
    with pytest.raises(TypeError, match="unknown type 'video'"):
        converter.structure({"type": "video"}, Annotated[Text | Image, Discriminator("type")])


def test_a_tagged_union_passes_strings_when_it_admits_them() -> None:
    union = Annotated[Literal["auto"] | Text | UnknownVariant, Discriminator("type")]
    assert converter.structure("auto", union) == "auto"


@attrs.frozen(kw_only=True)
class InputMessage(BaseObject):
    content: str
    role: str
    type: Literal["message"] = "message"


@attrs.frozen(kw_only=True)
class OutputMessage(BaseObject):
    id: str
    content: list[str]
    status: str | None = None
    type: Literal["message"] = "message"


def test_members_sharing_a_tag_are_told_apart_by_their_keys() -> None:
    union = Annotated[InputMessage | OutputMessage | UnknownVariant, Discriminator("type")]
    output = {"type": "message", "id": "m", "content": ["a"], "status": "done"}
    assert type(converter.structure(output, union)) is OutputMessage
    given = {"type": "message", "content": "hi", "role": "user"}
    assert type(converter.structure(given, union)) is InputMessage
    # neither fits: the first member, whose missing key then fails as a missing key does
    with pytest.raises(KeyError):
        converter.structure({"type": "message"}, union)


@attrs.frozen(kw_only=True)
class SystemMessage(BaseObject):
    content: str
    role: Literal["system"] | str = "system"
    type: Literal["message"] = "message"


@attrs.frozen(kw_only=True)
class DeveloperMessage(BaseObject):
    content: str
    role: Literal["developer"] | str = "developer"
    type: Literal["message"] = "message"


def test_members_with_the_same_keys_are_told_apart_by_their_literal_fields() -> None:
    union = Annotated[SystemMessage | DeveloperMessage | UnknownVariant, Discriminator("type")]
    developer = {"type": "message", "content": "x", "role": "developer"}
    assert type(converter.structure(developer, union)) is DeveloperMessage
    system = {"type": "message", "content": "x", "role": "system"}
    assert type(converter.structure(system, union)) is SystemMessage
    with pytest.raises(TypeError, match="expected a string"):  # not "unhashable" from the fit
        converter.structure({**system, "role": {"x": 1}}, union)


def test_two_members_without_a_tag_are_refused() -> None:
    @attrs.frozen(kw_only=True)
    class Other(BaseObject):
        x: int = 0

    with pytest.raises(TypeError, match="two members without"):
        converter.structure({}, Annotated[Other | UnknownVariant, Discriminator("type")])


# -- other unions ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Short(BaseObject):
    text: str


@attrs.frozen(kw_only=True)
class Verbose(BaseObject):
    text: str
    duration: float
    words: list[str] | None = None


@attrs.frozen(kw_only=True)
class Diarized(BaseObject):
    text: str
    duration: float
    segments: list[str]


Result = Short | Verbose | Diarized


def test_an_object_goes_to_the_member_that_fits_best() -> None:
    assert type(converter.structure({"text": "a"}, Result)) is Short
    verbose = converter.structure({"text": "a", "duration": 1, "words": ["a"]}, Result)
    assert verbose == Verbose(text="a", duration=1.0, words=["a"])
    diarized = converter.structure({"text": "a", "duration": 1, "segments": []}, Result)
    assert type(diarized) is Diarized
    # required keys of two members present, as many known keys of each: the earlier one
    assert type(converter.structure({"text": "a", "duration": 1}, Result)) is Verbose
    extra = converter.structure({"text": "a", "new": 1}, Result)
    assert type(extra) is Short and extra.model_extra == {"new": 1}


def test_an_object_no_member_fits_fails_unless_a_mapping_member_takes_it() -> None:
    with pytest.raises(TypeError, match="fits no member"):
        converter.structure({"duration": 1}, Result)
    assert converter.structure({"duration": 1}, Short | dict[str, int]) == {"duration": 1}
    assert converter.structure({"duration": 1}, Short | object) == {"duration": 1}


def test_scalars_pass_when_the_union_admits_their_kind() -> None:
    union = Literal["auto"] | Short | list[Short] | None
    assert converter.structure("other", union) == "other"  # a new value of the Literal
    assert converter.structure(None, union) is None
    assert converter.structure([{"text": "a"}], union) == [Short(text="a")]
    assert converter.structure(True, Literal[True] | bool) is True
    assert converter.structure(False, Literal[True] | bool) is False
    assert converter.structure(3, str | float) == 3.0
    assert type(converter.structure(3, str | float)) is float
    assert converter.structure(3, int | str) == 3
    for value, union in [(1, Short | str), ("a", Short | int), (True, int | Short), (None, Result)]:
        with pytest.raises(TypeError, match="fits no member"):
            converter.structure(value, union)


def test_an_array_goes_to_the_first_list_member_that_takes_it() -> None:
    union = list[Short] | list[int] | str
    assert converter.structure([1, 2], union) == [1, 2]
    assert converter.structure([{"text": "a"}], union) == [Short(text="a")]


def test_object_passes_any_json_unchanged() -> None:
    value: dict[str, Any] = {"a": [1, {"b": None}]}
    assert converter.structure(value, object) is value
    assert converter.structure({"k": value}, dict[str, object]) == {"k": value}


# -- renamed JSON keys -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Categories(BaseObject):
    hate: bool
    self_harm: bool = attrs.field(metadata={"json_key": "self-harm"})
    sexual_minors: bool | None = attrs.field(default=None, metadata={"json_key": "sexual/minors"})


@attrs.frozen(kw_only=True)
class CheckedCategories(BaseObject):
    """A class with a validator: structured by cattrs' own generated function."""

    self_harm: bool = attrs.field(
        metadata={"json_key": "self-harm"}, validator=attrs.validators.instance_of(bool)
    )


@pytest.mark.parametrize("cls", [Categories, CheckedCategories])
def test_a_field_reads_and_writes_its_json_key(cls: type[BaseObject]) -> None:
    data = {"hate": False, "self-harm": True, "sexual/minors": None, "self_harm": "x"}
    if cls is CheckedCategories:
        del data["hate"], data["sexual/minors"]
    obj = structure(data, cls)
    assert obj.self_harm is True  # type: ignore[attr-defined]
    assert obj.model_extra == {"self_harm": "x"}  # the attribute's name is not its key
    assert obj.to_dict() == data


# -- the fit of an object's values -------------------------------------------------------------


@attrs.frozen(kw_only=True)
class EasyMessage(BaseObject):
    content: str | list[Text]
    role: Literal["user", "assistant"] | str
    phase: str | None = None


@attrs.frozen(kw_only=True)
class ItemMessage(BaseObject):
    content: str | Text | Image
    role: Literal["user", "assistant"] | str


@attrs.frozen(kw_only=True)
class Wrapper(BaseObject):
    message: EasyMessage | ItemMessage | None = None


def test_an_object_goes_to_the_member_whose_values_fit_their_types() -> None:
    """The evals report: both members have the keys, only the second takes a content part."""
    union = EasyMessage | ItemMessage
    part = {"role": "user", "content": {"type": "text", "text": "hi"}}
    item = converter.structure(part, union)
    assert item == ItemMessage(role="user", content=Text(text="hi"))
    assert structure({"message": part}, Wrapper).message == item  # as an optional field too
    picture = converter.structure({"role": "user", "content": {"url": "u"}}, union)
    assert picture == ItemMessage(role="user", content=Image(url="u"))  # a nested untagged fit
    # values both fit: the most declared keys, then the earlier member
    assert type(converter.structure({"role": "user", "content": "hi"}, union)) is EasyMessage
    listed = {"role": "user", "content": [{"type": "text", "text": "a"}]}
    assert converter.structure(listed, union) == EasyMessage(role="user", content=[Text(text="a")])


def test_a_member_whose_literal_field_names_the_value_wins() -> None:
    union = Annotated[SystemMessage | DeveloperMessage | UnknownVariant, Discriminator("type")]
    # a value of the other member's Literal: the member it fits, though an open enum takes it
    plain = SystemMessage | DeveloperMessage
    assert type(converter.structure({"content": "x", "role": "developer"}, plain)) is (
        DeveloperMessage
    )
    # a value neither names: the earlier member, leniently
    odd = converter.structure({"type": "message", "content": "x", "role": "critic"}, union)
    assert type(odd) is SystemMessage and odd.role == "critic"


@attrs.frozen(kw_only=True)
class Nested(BaseObject):
    text: str
    inner: Short | None = None


@attrs.frozen(kw_only=True)
class NestedVerbose(BaseObject):
    text: str
    inner: Verbose | None = None


def test_nested_objects_count_and_misfits_at_any_depth_lose() -> None:
    union = NestedVerbose | Nested
    # the same keys at the top; the nested object fits only Nested's field
    assert converter.structure({"text": "a", "inner": {"text": "b"}}, union) == Nested(
        text="a", inner=Short(text="b")
    )
    # both fit (Short keeps "duration" as an extra key): the nested declared keys decide
    verbose = {"text": "a", "inner": {"text": "b", "duration": 1}}
    assert type(converter.structure(verbose, union)) is NestedVerbose
    # nothing fits without a misfit: the fewest misfits, leniently structured
    assert type(converter.structure({"text": 1}, Short | Verbose)) is Short
