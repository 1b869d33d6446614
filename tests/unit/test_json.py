"""The JSON helpers: orjson and the stdlib fallback agree."""

from __future__ import annotations

import pytest

from aio_openai import _json


@pytest.mark.parametrize(
    ("loads", "dumps"),
    [(_json.loads, _json.dumps), (_json._std_loads, _json._std_dumps)],
    ids=["active", "stdlib"],
)
def test_round_trip_and_errors(loads: object, dumps: object) -> None:
    value = {"a": [1, 2.5, None, True], "é": "ü 模型", "n": {"x": ""}}
    data = dumps(value)  # type: ignore[operator]
    assert isinstance(data, bytes)
    assert b" " not in data.replace(b"\xc3\xbc \xe6", b"")  # compact separators
    assert loads(data) == value  # type: ignore[operator]
    with pytest.raises(ValueError):
        loads(b'{"id": "gpt-4", "obj')  # type: ignore[operator]

    class Thing:
        pass

    assert loads(dumps({"t": Thing()}, default=lambda o: "thing")) == {"t": "thing"}  # type: ignore[operator]
    with pytest.raises(TypeError):
        dumps({"t": Thing()})  # type: ignore[operator]


def test_orjson_is_used_when_installed() -> None:
    pytest.importorskip("orjson")
    import orjson

    assert _json.loads is orjson.loads
