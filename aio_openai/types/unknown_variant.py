"""UnknownVariant: an object of a tagged union whose tag this package does not know."""

from __future__ import annotations

import attrs

from .._models import BaseObject

__all__ = ["UnknownVariant"]


@attrs.frozen(kw_only=True)
class UnknownVariant(BaseObject):
    """An object whose tag no member of its union names (a type newer than this package).

    Every key is kept in ``model_extra`` and reachable as an attribute (``event.type``), and
    ``to_dict()`` gives the object back as it came. Every tagged union of the generated types
    ends with this class, so a new kind of object never fails a call.
    """

    def __repr__(self) -> str:
        keys = ", ".join(f"{key}={value!r}" for key, value in self.model_extra.items())
        return f"UnknownVariant({keys})"
