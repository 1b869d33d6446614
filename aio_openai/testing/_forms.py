"""Multipart form bodies as OpenAI reads them: the fields (``a[b]`` and ``a[]`` names made
into objects and lists, as the SDKs write them) and the uploaded files, read part by part
(no request size limit applies; a file's bytes are kept).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any, Final

import attrs
from aiohttp import BodyPartReader, web

from aio_openai.testing._checks import APIError

__all__ = ["FORM_RECORD_KEY", "Form", "Upload", "read_form"]

_NAME: Final = re.compile(r"([^\[\]]+)((?:\[[^\[\]]*\])*)")
#: Where the request log's record of a form request wants its plain fields (``form``) and
#: the filenames of its file parts by field name (``files``).
FORM_RECORD_KEY: Final = web.RequestKey(
    "aio_openai_fake_form_record", tuple[dict[str, Any], dict[str, list[str]]]
)


@attrs.frozen
class Upload:
    """A file part of a form: its filename, content type and bytes."""

    filename: str
    content_type: str
    data: bytes


@attrs.frozen
class Form:
    """A form's plain fields (nested as JSON would be) and its files by field name (a
    ``name[]`` field's files listed under ``name``)."""

    fields: dict[str, Any]
    files: dict[str, list[Upload]]


def _put(fields: dict[str, Any], name: str, value: str) -> None:
    match = _NAME.fullmatch(name)
    if match is None:
        raise APIError(400, f"Invalid form field name: {name!r}.")
    keys = [match.group(1), *re.findall(r"\[([^\[\]]*)\]", match.group(2))]
    target: Any = fields
    for key, following in zip(keys, [*keys[1:], None], strict=True):
        if following is None:
            if key == "":
                target.append(value)
            else:
                target[key] = value
            return
        empty: Any = [] if following == "" else {}
        if key == "":
            target.append(empty)
            target = empty
        else:
            target = target.setdefault(key, empty)
            if not isinstance(target, list | dict):
                raise APIError(400, f"Invalid form field name: {name!r}.")


async def read_form(request: web.Request, files: Collection[str]) -> Form:
    """The request's ``multipart/form-data`` body; :class:`APIError` (400) when it is not one,
    or when a part named in ``files`` is not a file or another part is one."""
    if request.content_type != "multipart/form-data":
        raise APIError(
            400,
            f"Invalid Content-Type header ({request.content_type or 'none'}), expected"
            " multipart/form-data.",
        )
    try:
        reader = await request.multipart()
    except (AssertionError, ValueError):
        raise APIError(400, "The multipart body could not be read.") from None
    fields: dict[str, Any] = {}
    uploads: dict[str, list[Upload]] = {}
    while True:
        part = await reader.next()
        if part is None:
            break
        if not isinstance(part, BodyPartReader) or not part.name:
            raise APIError(400, "Every part of a multipart body needs a name.")
        name = part.name.removesuffix("[]")
        if part.filename is not None:
            if name not in files:
                raise APIError(400, f"Unexpected file in field {part.name!r}.", param=name)
            data = bytearray()
            while chunk := await part.read_chunk(1 << 20):
                data += chunk
            content_type = part.headers.get("Content-Type", "application/octet-stream")
            uploads.setdefault(name, []).append(Upload(part.filename, content_type, bytes(data)))
        else:
            if name in files:
                raise APIError(400, f"'{name}' must be a file, not a text field.", param=name)
            _put(fields, part.name, await part.text())
    recorded = request.get(FORM_RECORD_KEY)
    if recorded is not None:
        recorded[0].update(fields)
        recorded[1].update((k, [u.filename for u in v]) for k, v in uploads.items())
    return Form(fields, uploads)
