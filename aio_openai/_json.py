"""JSON in and out: orjson when it is installed (several times faster), else the stdlib."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

__all__ = ["dumps", "loads"]


def _std_loads(data: bytes) -> Any:
    return json.loads(data.decode("utf-8"))


def _std_dumps(value: Any, default: Callable[[Any], Any] | None = None) -> bytes:
    return json.dumps(value, separators=(",", ":"), default=default, ensure_ascii=False).encode()


#: Parse a JSON body; raises ValueError (orjson.JSONDecodeError is one) when it is not JSON.
loads: Callable[[bytes], Any] = _std_loads
#: Serialize compactly to UTF-8 bytes, calling ``default`` for types JSON lacks.
dumps: Callable[..., bytes] = _std_dumps

try:
    import orjson
except ImportError:  # pragma: no cover - orjson is a dependency; the stdlib is the fallback
    pass
else:

    def _orjson_dumps(value: Any, default: Callable[[Any], Any] | None = None) -> bytes:
        return orjson.dumps(value, default=default)

    loads = orjson.loads
    dumps = _orjson_dumps
