"""The endpoints the client speaks, declared on the resource methods that call them.

::

    class Models(APIResource):
        @endpoint("GET", "/models/{model}")
        async def retrieve(self, model: str, **options: Unpack[RequestOptions]) -> Model: ...

:func:`endpoint` only marks the method: nothing runs per call and nothing is registered at
import, so ``import aio_openai`` loads no resource. :func:`endpoints` builds the table the first
time something needs it (``aio-openai batch``): it imports every module under
``aio_openai.resources`` and collects the marked methods with the resource class each one is
defined on. A method added with its ``@endpoint`` line is in the table with no other change.

Path templates are relative to the base URL (after ``/v1``); each ``{name}`` is an id, named
as the method's parameter that fills it.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs

if TYPE_CHECKING:
    from ._client import AsyncOpenAI
    from .resources._base import APIResource

__all__ = ["Endpoint", "endpoint", "endpoints", "lookup"]

F = TypeVar("F", bound=Callable[..., Any])

#: The attribute a declared method carries: (method, path template, metered).
_MARK: Final = "_aio_openai_endpoint"
_ID: Final = re.compile(r"\{[^{}/]+\}")


def endpoint(method: str, path: str, *, metered: bool = False) -> Callable[[F], F]:
    """Declare the HTTP ``method`` and ``path`` template a resource method calls.

    ``metered``: the request spends tokens of its body's ``model`` (the rate limiter counts
    them). Returns the method unchanged.
    """

    def mark(fn: F) -> F:
        setattr(fn, _MARK, (method, path, metered))
        return fn

    return mark


@attrs.frozen(kw_only=True)
class Endpoint:
    """One endpoint: ``method`` and ``path`` (a template), and the resource method calling it."""

    method: str
    path: str
    metered: bool
    resource: type[APIResource]
    name: str

    @property
    def segments(self) -> tuple[str | None, ...]:
        """The path's segments: literal ones, and None for an id."""
        return tuple(None if _ID.fullmatch(s) else s for s in self.path.strip("/").split("/"))

    def matches(self, segments: Sequence[str]) -> bool:
        """Whether the path ``segments`` (after ``/v1``, unquoted) fit the template."""
        pattern = self.segments
        return len(segments) == len(pattern) and all(
            want is None or want == got for want, got in zip(pattern, segments, strict=True)
        )

    def describe(self, id_name: str = "{id}") -> str:
        """The path as a URL with every id written ``id_name``, e.g. ``/v1/models/{id}``."""
        return "/v1" + _ID.sub(lambda _: id_name, self.path)

    def headers(self, client: AsyncOpenAI) -> Mapping[str, str] | None:
        """The headers the resource adds to its calls (the Assistants API's ``OpenAI-Beta``)."""
        return self.resource(client)._endpoint_headers()


@cache
def endpoints() -> tuple[Endpoint, ...]:
    """Every declared endpoint, by path. Imports every resource module, once."""
    from . import resources
    from .resources._base import APIResource

    found: dict[tuple[str, str], Endpoint] = {}
    for info in pkgutil.walk_packages(resources.__path__, resources.__name__ + "."):
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if not (
                isinstance(cls, type)
                and issubclass(cls, APIResource)
                and cls.__module__ == module.__name__
            ):
                continue
            for name, attr in vars(cls).items():
                mark = getattr(attr, _MARK, None)
                if mark is None:
                    continue
                method, path, metered = mark
                entry = Endpoint(method=method, path=path, metered=metered, resource=cls, name=name)
                other = found.setdefault((method, path), entry)
                if other is not entry:
                    raise RuntimeError(
                        f"{method} {path} is declared twice: by {other.resource.__name__}."
                        f"{other.name} and {cls.__name__}.{name}"
                    )
    return tuple(sorted(found.values(), key=lambda e: (e.path, e.method)))


def lookup(segments: Sequence[str]) -> tuple[Endpoint, ...]:
    """The endpoints of the most literal template the path ``segments`` fit (one per method),
    or none: ``threads/runs`` is create-and-run, not a thread called "runs"."""
    fits = [e for e in endpoints() if e.matches(segments)]
    if not fits:
        return ()
    best = min(fits, key=lambda e: [s is None for s in e.segments]).path
    return tuple(e for e in fits if e.path == best)
