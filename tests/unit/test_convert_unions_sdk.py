"""The member an object becomes in a union that is not (only) told apart by a tag: ours against
the SDK's (its pydantic models' smart unions), for tricky values and for a sample of every
member of every such union in ``aio_openai.types``."""

from __future__ import annotations

import importlib
import pkgutil
import typing
from collections.abc import Iterator
from functools import cache
from typing import Annotated, Any, Literal, get_args, get_origin

import attrs
import pydantic
import pytest

import aio_openai.types
from aio_openai._convert import converter
from aio_openai._fit import (
    discriminator_of,
    fit_check,
    is_open_enum,
    tagged_members,
    union_members,
)
from aio_openai._models import BaseObject
from aio_openai.types.unknown_variant import UnknownVariant

_UNIONS = (typing.Union, type(int | str))
SDK_PREFIX = "openai.types."
OUR_PREFIX = "aio_openai.types."
STRUCTURAL = ("model_extra", "_request_id", "_unset")


@cache
def our_classes() -> list[type[BaseObject]]:
    """Every response class of ``aio_openai.types`` (every module imported)."""
    for info in pkgutil.walk_packages(aio_openai.types.__path__, OUR_PREFIX):
        importlib.import_module(info.name)
    seen: dict[type, None] = {}
    stack = list(BaseObject.__subclasses__())
    while stack:
        cl = stack.pop()
        if cl not in seen:
            seen[cl] = None
            stack.extend(cl.__subclasses__())
    return [c for c in seen if c.__module__.startswith(OUR_PREFIX) and c is not UnknownVariant]


def object_members(tp: Any) -> list[Any]:
    """The object classes of a union the tag does not settle: a plain union's, or the members
    of a tagged union sharing one tag."""
    if discriminator_of(tp) is not None:
        sharing, _ = tagged_members(tp)
        return next((ms for ms in sharing.values() if len(ms) > 1), [])
    if get_origin(tp) in _UNIONS and not is_open_enum(tp):
        hook = converter.get_structure_hook(tp)
        if hook.__qualname__.startswith("_union_factory"):  # not a tagged one of types/beta
            return [m for m in union_members(tp) if attrs.has(m)]
    return []


def inner_types(tp: Any) -> Iterator[Any]:
    """``tp`` and the types inside it (a list's items, a union's members), classes excluded."""
    yield tp
    if get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    for arg in get_args(tp) if get_origin(tp) is not Literal else ():
        if not attrs.has(arg):
            yield from inner_types(arg)


@cache
def ambiguous_unions() -> list[tuple[type, str, Any]]:
    """(class, field, union) for each union type in a field of a class (first place found)
    with two or more object members the tag does not settle."""
    found: dict[Any, tuple[type, str, Any]] = {}
    for cl in our_classes():
        attrs.resolve_types(cl)
        for f in attrs.fields(cl):
            for tp in inner_types(f.type):
                if len(object_members(tp)) > 1 and tp not in found:
                    found[tp] = (cl, f.name, tp)
    return list(found.values())


def sent_always(f: attrs.Attribute[Any]) -> bool:
    """Whether the API sends the field always: a required one, a tag, a list (ours default
    to their one value and ``[]``: the SDK requires them)."""
    tag = get_origin(f.type) is Literal or (is_open_enum(f.type) and f.default is not None)
    return f.default is attrs.NOTHING or tag or get_origin(f.type) is list


def sample(tp: Any, full: bool, depth: int = 0) -> Any:
    """A JSON value of type ``tp``: an object with its required keys (every key if ``full``)."""
    if get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    if get_origin(tp) is Literal:
        return get_args(tp)[0]
    if is_open_enum(tp):
        literals = [a for a in get_args(tp) if get_origin(a) is Literal]
        return get_args(literals[0])[0] if literals else "s"
    if get_origin(tp) in _UNIONS:
        return sample(union_members(tp)[0], full, depth)
    plain = {str: "s", int: 1, float: 1.5, bool: True, object: {}, Any: {}}
    if tp in plain:
        return plain[tp]
    origin = get_origin(tp) or tp
    if origin in (list, tuple):
        return [sample(get_args(tp)[0], full, depth + 1)] if depth < 4 else []
    if origin is dict:
        return {"k": sample(get_args(tp)[-1], full, depth + 1)} if depth < 4 else {}
    if attrs.has(origin):
        fields = [f for f in attrs.fields(attrs.resolve_types(origin)) if f.name not in STRUCTURAL]
        keep = [f for f in fields if sent_always(f) or (full and depth < 2)]
        return {f.metadata.get("json_key", f.name): sample(f.type, full, depth + 1) for f in keep}
    return None


def samples(member: type) -> Iterator[Any]:
    """Samples of ``member``: its required keys, every key, and each of those with one field
    holding each kind its type admits (each member of a union, a list's too)."""
    for full in (False, True):
        base = sample(member, full)
        yield base
        for f in attrs.fields(member):
            key = f.metadata.get("json_key", f.name)
            tp, listed = f.type, False
            if get_origin(tp) is list:
                tp, listed = get_args(tp)[0], True
            if key in base and get_origin(tp) in _UNIONS and not is_open_enum(tp):
                for alt in union_members(tp)[1:]:
                    value = sample(alt, full, 1)
                    yield {**base, key: [value] if listed else value}


def sdk_union(cl: type, field: str) -> Any:
    """The SDK's type of ``cl.field`` (the class at the same module path and name)."""
    module = importlib.import_module(SDK_PREFIX + cl.__module__.removeprefix(OUR_PREFIX))
    return getattr(module, cl.__qualname__).model_fields[field].annotation


def our_name(obj: Any) -> str:
    return f"{type(obj).__module__.removeprefix(OUR_PREFIX)}.{type(obj).__qualname__}"


def sdk_name(obj: Any) -> str:
    return f"{type(obj).__module__.removeprefix(SDK_PREFIX)}.{type(obj).__qualname__}"


def sdk_pick(tp: Any, value: Any) -> str | None:
    """The class the SDK's pydantic union makes of ``value``, None if it refuses the value."""
    try:
        return sdk_name(pydantic.TypeAdapter(tp).validate_python(value))
    except pydantic.ValidationError:
        return None


def union_of(cl: type, field: str) -> Any:
    """Our type of ``cl.field`` with its list and None layers taken off."""
    tp = attrs.fields_dict(attrs.resolve_types(cl))[field].type
    while True:
        if get_origin(tp) is list:
            tp = get_args(tp)[0]
        elif get_origin(tp) in _UNIONS and type(None) in get_args(tp):
            tp = typing.Union[tuple(a for a in get_args(tp) if a is not type(None))]  # noqa: UP007
        else:
            return tp


def sdk_union_of(cl: type, field: str) -> Any:
    tp = sdk_union(cl, field)
    while True:
        args = get_args(tp)
        if get_origin(tp) in (list, typing.List):  # noqa: UP006
            tp = args[0]
        elif get_origin(tp) in _UNIONS and type(None) in args:
            tp = typing.Union[tuple(a for a in args if a is not type(None))]  # noqa: UP007
        else:
            return tp


TEMPLATE = ("evals.create_eval_completions_run_data_source", "InputMessagesTemplate", "template")
GRADER = ("graders.label_model_grader", "LabelModelGrader", "input")


def place(module: str, name: str, field: str) -> tuple[type, str]:
    return getattr(importlib.import_module(OUR_PREFIX + module), name), field


TRICKY = [
    # the evals report: a template message whose content is one content part
    (TEMPLATE, {"role": "user", "content": {"type": "input_text", "text": "hi"}}),
    (TEMPLATE, {"role": "user", "content": {"type": "output_text", "text": "hi"}}),
    (TEMPLATE, {"role": "user", "content": {"type": "input_image", "image_url": "u"}}),
    (TEMPLATE, {"role": "user", "content": [{"type": "input_text", "text": "hi"}]}),
    (TEMPLATE, {"role": "user", "content": "hi"}),
    (TEMPLATE, {"role": "user", "content": "hi", "type": "message"}),
    (TEMPLATE, {"role": "user", "content": "hi", "phase": "commentary"}),
    (GRADER, {"role": "user", "content": {"type": "input_text", "text": "hi"}}),
    (GRADER, {"role": "assistant", "content": "hi", "type": "message"}),
    (
        GRADER,
        {
            "role": "developer",
            "content": {"type": "input_audio", "input_audio": {"data": "d", "format": "mp3"}},
        },
    ),
]


@pytest.mark.parametrize(("where", "value"), TRICKY)
def test_tricky_objects_become_the_member_the_sdk_makes_of_them(
    where: tuple[str, str, str], value: Any
) -> None:
    cl, field = place(*where)
    ours = converter.structure(value, union_of(cl, field))
    expected = sdk_pick(sdk_union_of(cl, field), value)
    assert expected is not None, "a value the SDK takes"
    assert our_name(ours) == expected


def test_a_sample_of_each_member_of_every_ambiguous_union_becomes_what_the_sdk_makes() -> None:
    """For every union of our types with object members the tag does not settle, a sample of
    each member (its required keys; every key) becomes the member the SDK's union makes of it,
    and always a member it fits."""
    unions = ambiguous_unions()
    assert len(unions) > 20  # the walk found the generated unions
    compared = misfits = 0
    wrong = []
    for cl, field, tp in unions:
        sdk_tp = sdk_union_of(cl, field) if union_of(cl, field) == tp else None
        for member in object_members(tp):
            for value in samples(member):
                ours = converter.structure(value, tp)
                misfits += fit_check(type(ours))(value)[0] > 0 and fit_check(member)(value)[0] == 0
                expected = sdk_pick(sdk_tp, value) if sdk_tp is not None else None
                if expected is not None:
                    compared += 1
                    if our_name(ours) != expected:
                        wrong.append((cl.__qualname__, field, value, our_name(ours), expected))
    assert misfits == 0
    assert compared > 50
    assert wrong == []
