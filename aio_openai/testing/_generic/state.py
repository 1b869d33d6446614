"""GenericState: the answers of the generic mode, and the little state they keep.

An answer starts from the operation's success schema: the spec's published example when it
conforms, else a value made from the schema (:mod:`.synth`). Then, with one rule for every
operation:

- the path's ids go where the answer names them (a field of the parameter's name; ``id``
  takes the last path id);
- the request's fields go into the answer's fields of the same name (when they conform);
- ``created_at``/``created`` read the state's clock;
- a ``POST`` on a collection (a path whose ``/{id}`` child is in the spec) creates: the object
  gets a fresh id and is kept; ``GET`` on its item path returns it, ``POST`` there updates it,
  ``DELETE`` removes it, and afterwards every path under it answers 404;
- a list (an answer with a ``data`` array) of a collection that creates holds the objects kept
  there (else the example's), paged by ``limit``, ``after`` (or a token page's ``page``),
  ``before`` and ``order`` with ``first_id``, ``last_id``, ``has_more`` and ``next`` set;
- an object kept by one operation and read by another (a list's item, a retrieve) is given
  as the reader's schema describes it: its fields that fit, the others made from the schema.

The operations are the spec's and, for what the spec lacks, the SDK's (see
``tools/gen_fake_spec.py``): the same rules serve both.

Ids are the prefix of the answer's id (``proj_``) and a counter: the same requests give the
same answers.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

from aio_openai.testing._checks import APIError
from aio_openai.testing._generic.schema import conforms
from aio_openai.testing._generic.spec import Operation, Spec, load_spec
from aio_openai.testing._generic.synth import synthesize

__all__ = ["GenericState"]

_PREFIX: Final = re.compile(r"^[A-Za-z]+[_-]")
_TIMESTAMPS: Final = ("created_at", "created")
#: The prefix of the id :mod:`.synth` makes for an ``id`` field: no kind of object.
_MADE_UP_ID: Final = "id_"
#: The bytes of a binary answer (a download, audio, video, an SDP answer).
BINARY_BODY: Final = b"FakeOpenAI generic answer\n"


class GenericState:
    """The objects created through the generic mode, by collection path, and the deleted ones.

    ``clock`` gives the time (seconds since the epoch) of ``created_at`` and the other
    timestamps; tests may set :attr:`clock` at any time.
    """

    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self._lock = threading.Lock()
        #: The time source of the answers' timestamps (seconds since the epoch).
        self.clock = clock
        self._kept: dict[str, dict[str, dict[str, Any]]] = {}
        self._gone: set[str] = set()
        self._count = 0

    @property
    def spec(self) -> Spec:
        """The served spec (read on first use)."""
        return load_spec()

    def objects(self, collection: str) -> list[dict[str, Any]]:
        """The objects kept at a collection path (``/organization/projects``), oldest first."""
        with self._lock:
            return [dict(o) for o in self._kept.get(collection, {}).values()]

    def answer(
        self, op: Operation, path: str, ids: Mapping[str, str], query: Mapping[str, Any], body: Any
    ) -> Any:
        """The answer's JSON value (bytes for a binary answer, None for none) to ``op`` on
        ``path`` (without ``/v1``), or :class:`APIError` (404) under a deleted object."""
        spec = self.spec
        with self._lock:
            self._check_not_gone(path, ids)
            if op.answer_schema is None:
                return None if op.answer_type is None else _binary(op.answer_type)
            now = int(self.clock())
            answer = self._base(spec, op, now)
            if not isinstance(answer, dict):
                return answer
            collection = spec.collection_of(op.template)
            creates = spec.item_template(op.template) is not None
            if op.method == "post" and creates and isinstance(answer.get("id"), str):
                return self._create(spec, op, path, answer, body, now)
            if isinstance(answer.get("data"), list):
                return self._list(spec, op, path, answer, query)
            if ids and isinstance(answer.get("id"), str):
                answer["id"] = list(ids.values())[-1]
            for name, value in ids.items():
                if isinstance(answer.get(name), str):
                    answer[name] = value
            if collection is None:
                _echo(spec, op, answer, body)
                return answer
            parent, _, item_id = path.rpartition("/")
            kept = self._kept.get(parent, {})
            if op.method == "delete":
                kept.pop(item_id, None)
                self._gone.add(path)
                return answer
            stored = kept.get(item_id)
            if stored is not None:
                answer = _fit(spec, op.answer_schema, stored, now)
            _echo(spec, op, answer, body)
            if stored is not None and op.method == "post":
                kept[item_id] = answer
            return answer

    def _check_not_gone(self, path: str, ids: Mapping[str, str]) -> None:
        prefix = ""
        for segment in path.strip("/").split("/"):
            prefix += "/" + segment
            if prefix in self._gone:
                raise APIError(404, f"No such object: '{segment}'.", code="not_found")

    def _base(self, spec: Spec, op: Operation, now: int) -> Any:
        schema = op.answer_schema
        assert schema is not None
        example = op.example
        if example is not None and conforms(schema, example, spec.resolve):
            value = _copy(example)
        else:
            value = synthesize(schema, spec.resolve, now)
        if isinstance(value, dict):
            for key in _TIMESTAMPS:
                if isinstance(value.get(key), int) and not isinstance(value[key], bool):
                    value[key] = now
        return value

    def _create(
        self, spec: Spec, op: Operation, path: str, answer: dict[str, Any], body: Any, now: int
    ) -> dict[str, Any]:
        _echo(spec, op, answer, body)
        self._count += 1
        answer["id"] = f"{_id_prefix(spec, op, answer['id'])}{self._count:024x}"
        self._kept.setdefault(path, {})[answer["id"]] = answer
        return dict(answer)

    def _list(
        self, spec: Spec, op: Operation, path: str, answer: dict[str, Any], query: Mapping[str, Any]
    ) -> dict[str, Any]:
        collection_ops = spec.operations[op.template]
        if "post" in collection_ops and spec.item_template(op.template) is not None:
            schema = spec.resolve(op.answer_schema or {})
            item_schema = _properties(spec, schema).get("data", {}).get("items", {})
            now = int(self.clock())
            kept = self._kept.get(path, {}).values()
            items: list[Any] = [_fit(spec, item_schema, o, now) for o in kept]
        else:
            items = answer["data"]
        order = query.get("order") or _default(op, "order") or "asc"
        if order == "desc":
            items = items[::-1]
        ids = [item.get("id") if isinstance(item, dict) else None for item in items]
        # a token page sends its `next` back as `page`
        after, before = query.get("after") or query.get("page"), query.get("before")
        if after is not None and after in ids:
            items = items[ids.index(after) + 1 :]
        elif before is not None and before in ids:
            items = items[: ids.index(before)]
        limit = query.get("limit") or _default(op, "limit") or 20
        data = items[:limit] if isinstance(limit, int) else items
        answer["data"] = data
        schema = spec.resolve(op.answer_schema or {})
        properties: Mapping[str, Any] = schema.get("properties", {})
        last_id = data[-1].get("id") if data and isinstance(data[-1], dict) else None
        more = len(items) > len(data)
        cursors = {
            "first_id": data[0].get("id") if data and isinstance(data[0], dict) else None,
            "last_id": last_id,
            "has_more": more,
            "next": last_id if more else None,  # a token page's cursor (sent back as ``after``)
        }
        for key, value in cursors.items():
            if key not in properties:
                continue
            if conforms(properties[key], value, spec.resolve):
                answer[key] = value
            elif key not in schema.get("required", ()):
                answer.pop(key, None)
        return answer


def _id_prefix(spec: Spec, op: Operation, made: str) -> str:
    """The prefix of a created object's ids: the example's (``proj_``), else the item path's
    parameter's (``{group_id}``: ``group_``; a made-up id is ``id_...``), else ``obj_``."""
    match = _PREFIX.match(made)
    if match and match.group(0) != _MADE_UP_ID:
        return match.group(0)
    item = spec.item_template(op.template) or ""
    name = item.rpartition("/")[2].strip("{}")
    return name.removesuffix("id") if name.endswith("_id") else "obj_"


def _default(op: Operation, name: str) -> Any:
    for parameter in op.parameters:
        if parameter.name == name and parameter.location == "query":
            return parameter.schema.get("default")
    return None


def _fit(
    spec: Spec, schema: Mapping[str, Any], stored: Mapping[str, Any], now: int
) -> dict[str, Any]:
    """A kept object as ``schema`` (another operation's answer) describes it: its fields that
    fit, the rest made from the schema. The object a create answered may lack a field the
    list's items require, or name its ``object`` otherwise."""
    made = synthesize(schema, spec.resolve, now) if schema else None
    if not isinstance(made, dict):
        return {k: _copy(v) for k, v in stored.items()}
    properties = _properties(spec, schema)
    open_ended = spec.resolve(schema).get("additionalProperties", True) is not False
    for key, value in stored.items():
        if key in properties:
            if conforms(properties[key], value, spec.resolve):
                made[key] = _copy(value)
        elif open_ended:
            made[key] = _copy(value)
    return made


def _echo(spec: Spec, op: Operation, answer: dict[str, Any], body: Any) -> None:
    """Put the request's fields into the answer's fields of the same name, where they fit."""
    if not isinstance(body, dict) or op.answer_schema is None:
        return
    properties = _properties(spec, op.answer_schema)
    for key, value in body.items():
        if key in properties and key != "id" and conforms(properties[key], value, spec.resolve):
            answer[key] = _copy(value)


def _properties(spec: Spec, schema: Mapping[str, Any]) -> dict[str, Any]:
    schema = spec.resolve(schema)
    out: dict[str, Any] = {}
    for branch in schema.get("allOf", ()):
        out.update(_properties(spec, branch))
    out.update(schema.get("properties", {}))
    return out


def _binary(media_type: str) -> bytes:
    return b"data: [DONE]\n\n" if media_type == "text/event-stream" else BINARY_BODY


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value
