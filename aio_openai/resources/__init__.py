"""API resources; the tree mirrors the URL tree.

:func:`endpoints` is the table of every endpoint the resource methods declare (with
``@endpoint``): built the first time something needs it (``aio-openai batch``), it imports
every module of this package, so ``import aio_openai`` loads no resource.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence
from functools import cache

from .._endpoints import Endpoint, is_endpoint, spec_of

__all__ = ["endpoints", "lookup"]


@cache
def endpoints() -> tuple[Endpoint, ...]:
    """Every declared endpoint, by path. Imports every resource module, once."""
    from .._resource import APIResource

    found: dict[tuple[str, str], Endpoint] = {}
    for info in pkgutil.walk_packages(__path__, __name__ + "."):
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if not (
                isinstance(cls, type)
                and issubclass(cls, APIResource)
                and cls.__module__ == module.__name__
            ):
                continue
            for name, attr in vars(cls).items():
                if not is_endpoint(attr):
                    continue
                spec = spec_of(attr)
                entry = Endpoint(
                    method=spec.method,
                    path=spec.path,
                    metered=spec.metered,
                    resource=cls,
                    name=name,
                )
                other = found.setdefault((spec.method, spec.path), entry)
                if other is not entry:
                    raise RuntimeError(
                        f"{spec.method} {spec.path} is declared twice: by "
                        f"{other.resource.__name__}.{other.name} and {cls.__name__}.{name}"
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
