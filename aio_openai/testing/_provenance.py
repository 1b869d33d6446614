"""The fake's provenance mark: what the fake writes into the pictures it generates (images,
video thumbnails and sprite sheets), and reads back when asked for a content provenance
check.

Real OpenAI images carry a C2PA manifest (in a PNG, the ``caBX`` chunk) and a SynthID
watermark. The fake writes a ``caBX`` chunk holding a small JSON manifest (issuer, model,
generation time) in place of a signed C2PA one; :func:`read_mark` finds it, so a check of
bytes the fake made says ``detected``, and of any other file ``not_detected``.
"""

from __future__ import annotations

import datetime
import json
import struct
import zlib
from typing import Any, Final

__all__ = ["ISSUER", "MarkInfo", "mark_png", "read_mark"]

#: The issuer the fake's manifests name.
ISSUER: Final = "OpenAI"
_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
_KIND: Final = b"caBX"
_FORMAT: Final = "aio_openai.fake-c2pa/1"

#: What a mark says: the manifest's keys (``issuer``, ``model``, ``generated_at``).
MarkInfo = dict[str, Any]


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def mark_png(picture: bytes, *, model: str, generated_at: int) -> bytes:
    """``picture`` (a PNG) with the fake's manifest chunk after its header chunk."""
    if picture[:8] != _PNG_SIGNATURE:
        raise ValueError("not a PNG")
    stamp = datetime.datetime.fromtimestamp(generated_at, datetime.UTC)
    manifest = {
        "format": _FORMAT,
        "issuer": ISSUER,
        "model": model,
        "generated_at": stamp.isoformat().replace("+00:00", "Z"),
    }
    header_end = 8 + 8 + struct.unpack(">I", picture[8:12])[0] + 4
    chunk = _chunk(_KIND, json.dumps(manifest, sort_keys=True).encode())
    return picture[:header_end] + chunk + picture[header_end:]


def read_mark(data: bytes) -> MarkInfo | None:
    """The manifest of a PNG the fake marked (its CRC intact), or None."""
    if data[:8] != _PNG_SIGNATURE:
        return None
    at = 8
    while at + 12 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        body = data[at + 8 : at + 8 + length]
        crc = data[at + 8 + length : at + 12 + length]
        if len(body) != length or len(crc) != 4:
            return None
        if kind == _KIND:
            if struct.unpack(">I", crc)[0] != zlib.crc32(kind + body):
                return None  # tampered with
            try:
                manifest = json.loads(body)
            except ValueError:
                return None
            ok = isinstance(manifest, dict) and manifest.get("format") == _FORMAT
            return manifest if ok else None
        if kind == b"IEND":
            return None
        at += 12 + length
    return None
