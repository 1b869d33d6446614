"""BaseObject: the base of every response type (attrs, frozen, slotted, keyword-only)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

import attrs

from ._convert import converter, register_object_base

__all__ = ["BaseObject"]


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


@attrs.frozen(kw_only=True)
class BaseObject:
    """An API object: known fields as attributes, unknown keys kept in ``model_extra``.

    Unknown keys are also reachable as attributes (``obj.new_field``), as on the official
    SDK's models, and ``_request_id`` holds the ``x-request-id`` of the response it came in.
    """

    model_extra: Mapping[str, Any] = attrs.field(default=_NO_EXTRA, repr=False, eq=False)
    _request_id: str | None = attrs.field(default=None, init=False, repr=False, eq=False)

    __known_keys__: ClassVar[frozenset[str]] = frozenset()

    def __getattr__(self, name: str) -> Any:
        # Structuring leaves these two slots unset when they hold their defaults (two slot
        # writes less per object); reading one then comes here.
        if name == "model_extra":
            return _NO_EXTRA
        if name == "_request_id":
            return None
        extra = self.model_extra
        try:
            return extra[name]
        except KeyError:
            raise AttributeError(
                f"{type(self).__name__!r} object has no attribute {name!r}"
            ) from None

    def to_dict(self) -> dict[str, Any]:
        """The object as JSON-ready data, unknown keys included, as the API sent it."""
        data: dict[str, Any] = converter.unstructure(self)
        return data


register_object_base(BaseObject)
