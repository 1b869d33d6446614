"""BaseObject: the base of every response type (attrs, frozen, slotted, keyword-only), and its
dumps: ``to_dict()``/``to_json()`` and the pydantic names ``model_dump()``/``model_dump_json()``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, ClassVar, Final, Literal

import attrs

from ._convert import JSON_KEY, converter, register_object_base

__all__ = ["BaseObject", "DictDumps", "Dump", "dump_json"]


class _NoExtra(Mapping[str, Any]):
    """The empty, read-only ``model_extra`` of objects without unknown keys; it pickles."""

    __slots__ = ()

    def __getitem__(self, key: str) -> Any:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "{}"

    def __reduce__(self) -> str:
        return "_NO_EXTRA"  # pickled as a reference to the one instance


_NO_EXTRA: Mapping[str, Any] = _NoExtra()
_ALL_SET: frozenset[str] = frozenset()


class DictDumps:
    """``to_json()`` made from a class's ``to_dict()`` (results and pages), with the SDK's
    arguments."""

    __slots__ = ()

    def to_dict(
        self,
        *,
        mode: Literal["json", "python"] = "python",
        use_api_names: bool = True,
        exclude_unset: bool = True,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        warnings: bool = True,
    ) -> dict[str, object]:
        raise NotImplementedError

    def to_json(
        self,
        *,
        indent: int | None = 2,
        use_api_names: bool = True,
        exclude_unset: bool = True,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        warnings: bool = True,
    ) -> str:
        """:meth:`to_dict`'s data as a JSON string, indented by ``indent`` spaces (compact
        when None)."""
        data = self.to_dict(
            use_api_names=use_api_names,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
        )
        return dump_json(data, indent=indent)


@attrs.frozen(kw_only=True)
class BaseObject(DictDumps):
    """An API object: known fields as attributes, unknown keys kept in ``model_extra``.

    Unknown keys are also reachable as attributes (``obj.new_field``), as on the official
    SDK's models, and ``_request_id`` holds the ``x-request-id`` of the response it came in.
    An object made from JSON knows which of its fields the JSON lacked (``exclude_unset``
    leaves them out of a dump); one made in code counts every field as set.
    """

    model_extra: Mapping[str, Any] = attrs.field(default=_NO_EXTRA, repr=False, eq=False)
    _request_id: str | None = attrs.field(default=None, init=False, repr=False, eq=False)
    #: The JSON keys of the fields the JSON this object came from lacked.
    _unset: frozenset[str] = attrs.field(default=_ALL_SET, init=False, repr=False, eq=False)

    __known_keys__: ClassVar[frozenset[str]] = frozenset()

    def __getattr__(self, name: str) -> Any:
        # Structuring leaves these slots unset when they hold their defaults (slot writes
        # less per object); reading one then comes here.
        if name == "model_extra":
            return _NO_EXTRA
        if name == "_request_id":
            return None
        if name == "_unset":
            return _ALL_SET
        extra = self.model_extra
        try:
            return extra[name]
        except KeyError:
            raise AttributeError(
                f"{type(self).__name__!r} object has no attribute {name!r}"
            ) from None

    def to_dict(
        self,
        *,
        mode: Literal["json", "python"] = "python",
        use_api_names: bool = True,
        exclude_unset: bool = True,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        warnings: bool = True,
    ) -> dict[str, object]:
        """The object as JSON-ready data: by default the keys the API sent, as it named them
        (unknown keys included), as the SDK's ``to_dict()``.

        ``use_api_names=False`` names fields as Python does (``self_harm`` for
        ``self-harm``); ``exclude_unset=False`` adds the fields the API did not send (as
        None); ``exclude_none`` leaves out the fields that are None, ``exclude_defaults``
        those at their default (None: an optional field). ``mode`` and ``warnings`` are the
        SDK's: the data is the same in both modes (these types hold JSON values only).
        """
        return Dump.of(
            mode,
            by_alias=use_api_names,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
        ).object(self)

    def model_dump(
        self,
        *,
        mode: Literal["json", "python"] | str = "python",
        include: Any = None,
        exclude: Any = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        exclude_computed_fields: bool = False,
        round_trip: bool = False,
        warnings: bool | Literal["none", "warn", "error"] = True,
        fallback: Callable[[Any], Any] | None = None,
        serialize_as_any: bool = False,
    ) -> dict[str, Any]:
        """The object as data, as pydantic's ``model_dump()`` on the SDK's models: every field
        by its Python name (``by_alias=True``: as the API names it), unknown keys included.

        ``include``/``exclude`` pick fields: a set of names, or a dict of names to what to
        pick inside them (``{"usage": {"total_tokens"}}``; ``"__all__"`` or an index for the
        items of a list). ``exclude_unset`` leaves out the fields the API did not send,
        ``exclude_none`` those that are None, ``exclude_defaults`` those at their default
        (None: an optional field; the other defaults of these types stand for what the API
        always sends, fields the SDK's types require).
        ``context``, ``exclude_computed_fields``, ``round_trip``, ``warnings``, ``fallback``
        and ``serialize_as_any`` are accepted as pydantic's and change nothing here (these
        types hold JSON values only).
        """
        return Dump.of(
            mode,
            by_alias=bool(by_alias),
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
        ).object(self, include, exclude)

    def model_dump_json(
        self,
        *,
        indent: int | None = None,
        ensure_ascii: bool = False,
        include: Any = None,
        exclude: Any = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        exclude_unset: bool = False,
        exclude_defaults: bool = False,
        exclude_none: bool = False,
        exclude_computed_fields: bool = False,
        round_trip: bool = False,
        warnings: bool | Literal["none", "warn", "error"] = True,
        fallback: Callable[[Any], Any] | None = None,
        serialize_as_any: bool = False,
    ) -> str:
        """:meth:`model_dump`'s data as a JSON string: compact, or indented by ``indent``
        spaces; non-ASCII characters as they are unless ``ensure_ascii``."""
        data = self.model_dump(
            include=include,
            exclude=exclude,
            by_alias=by_alias,
            exclude_unset=exclude_unset,
            exclude_defaults=exclude_defaults,
            exclude_none=exclude_none,
        )
        return dump_json(data, indent=indent, ensure_ascii=ensure_ascii)


register_object_base(BaseObject)


# -- dumps ------------------------------------------------------------------------------------

#: Fields every object has that are not data.
_STRUCTURAL: Final = frozenset({"model_extra", "_request_id", "_unset"})
#: A field's Python name, JSON key and default (attrs.NOTHING for a required one).
_Field = tuple[str, str, Any]
_FIELDS: dict[type, tuple[_Field, ...]] = {}
_SCALARS: Final = frozenset({str, int, float, bool, type(None)})


def _fields(cls: type) -> tuple[_Field, ...]:
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = _FIELDS[cls] = tuple(
            (f.name, f.metadata.get(JSON_KEY, f.name), f.default)
            for f in attrs.fields(cls)
            if f.name not in _STRUCTURAL
        )
    return fields


def _pick(key: Any, include: Any, exclude: Any, *, items: bool = False) -> Any:
    """Whether ``key`` is dumped under ``include``/``exclude`` (pydantic's: a set of keys, or
    a dict of keys to what to pick inside; ``"__all__"`` stands for every item of a list):
    None when left out, else the (include, exclude) to apply inside it."""
    inner_include = inner_exclude = None
    if include is not None:
        if key in include:
            found = include[key] if isinstance(include, Mapping) else True
        elif items and "__all__" in include:
            found = include["__all__"] if isinstance(include, Mapping) else True
        else:
            return None
        inner_include = None if found is True or found is ... else found
    if exclude is not None:
        if key in exclude:
            found = exclude[key] if isinstance(exclude, Mapping) else True
        elif items and "__all__" in exclude:
            found = exclude["__all__"] if isinstance(exclude, Mapping) else True
        else:
            found = None
        if found is True or found is ...:
            return None
        inner_exclude = found
    return inner_include, inner_exclude


@attrs.frozen
class Dump:
    """One way of dumping objects to data: by JSON keys or Python names (``by_alias``),
    leaving out fields the JSON lacked, at their default or None; ``object()`` dumps one."""

    by_alias: bool
    exclude_unset: bool
    exclude_defaults: bool
    exclude_none: bool

    @classmethod
    def of(
        cls,
        mode: str,
        *,
        by_alias: bool,
        exclude_unset: bool,
        exclude_defaults: bool,
        exclude_none: bool,
    ) -> Dump:
        # every mode gives the same data: these types hold JSON values only (pydantic, too,
        # takes any other string as "python")
        return cls(by_alias, exclude_unset, exclude_defaults, exclude_none)

    def object(self, obj: BaseObject, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        """``obj`` as a dict (its unknown keys last)."""
        out: dict[str, Any] = {}
        unset = obj._unset if self.exclude_unset else _ALL_SET
        for name, key, default in _fields(type(obj)):
            if key in unset:
                continue
            value = getattr(obj, name)
            if self._left_out(value, default):
                continue
            if include is None and exclude is None:
                out[key if self.by_alias else name] = self.value(value)
                continue
            picked = _pick(name, include, exclude)
            if picked is not None:
                out[key if self.by_alias else name] = self.value(value, *picked)
        extra = obj.model_extra
        if extra:
            out.update(self.mapping(extra, include, exclude))
        return out

    def _left_out(self, value: Any, default: Any) -> bool:
        # The defaults that count are None: a field the SDK's type declares optional. Other
        # defaults of these types (``[]``, a single-valued Literal's value, ``0``) stand in
        # for what the API always sends, fields the SDK's types require (never left out).
        return value is None and (self.exclude_none or (self.exclude_defaults and default is None))

    def mapping(
        self, data: Mapping[Any, Any], include: Any = None, exclude: Any = None
    ) -> dict[Any, Any]:
        out = {}
        for key, value in data.items():
            if value is None and self.exclude_none:
                continue
            if include is None and exclude is None:
                out[key] = self.value(value)
                continue
            picked = _pick(key, include, exclude)
            if picked is not None:
                out[key] = self.value(value, *picked)
        return out

    def value(self, value: Any, include: Any = None, exclude: Any = None) -> Any:
        """Any value of an object as data."""
        cls = value.__class__
        if cls in _SCALARS:
            return value
        if isinstance(value, BaseObject):
            return self.object(value, include, exclude)
        if isinstance(value, Mapping):
            return self.mapping(value, include, exclude)
        if isinstance(value, Sequence) and not isinstance(value, str | bytes | bytearray):
            if include is None and exclude is None:
                return [self.value(item) for item in value]
            out = []
            for i, item in enumerate(value):
                picked = _pick(i, include, exclude, items=True)
                if picked is not None:
                    out.append(self.value(item, *picked))
            return out
        if attrs.has(cls):
            return converter.unstructure(value)
        return value


def dump_json(data: Any, *, indent: int | None, ensure_ascii: bool = False) -> str:
    """``data`` as JSON text: compact, or indented by ``indent`` spaces."""
    if indent is None:
        return json.dumps(data, ensure_ascii=ensure_ascii, separators=(",", ":"))
    return json.dumps(data, ensure_ascii=ensure_ascii, indent=indent)
