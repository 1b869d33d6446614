"""A skill's bundle as OpenAI reads an upload: one zip file, or the files of the skill's
directory; its ``SKILL.md`` front matter (``name``, ``description``); the zip it is kept as.

A directory upload is zipped with its files' names as given (entry times fixed, so the same
files make the same bytes). The ``SKILL.md`` is the one at the top of the bundle, or in its
one top-level directory.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from typing import Final

import attrs

from aio_openai.testing._checks import APIError, missing
from aio_openai.testing._forms import Upload

__all__ = ["Bundle", "read_bundle", "zip_files"]

#: The most files a directory upload may hold.
MAX_FILES: Final = 500
_FRONT_MATTER: Final = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)
_ENTRY_TIME: Final = (1980, 1, 1, 0, 0, 0)


@attrs.frozen
class Bundle:
    """A checked upload: the skill's name and description, and the zip kept for it."""

    name: str
    description: str
    zip: bytes


def zip_files(files: Sequence[tuple[str, bytes]]) -> bytes:
    """A zip of ``(name, bytes)`` entries, the same bytes for the same files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(zipfile.ZipInfo(name, _ENTRY_TIME), data)
    return buffer.getvalue()


def _unzip(data: bytes) -> list[tuple[str, bytes]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [(i.filename, archive.read(i)) for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError):
        raise APIError(400, "The uploaded file is not a valid zip file.", param="files") from None


def _skill_md(files: Sequence[tuple[str, bytes]]) -> bytes:
    names = {name.lstrip("./"): data for name, data in files}
    if "SKILL.md" in names:
        return names["SKILL.md"]
    tops = {name.split("/", 1)[0] for name in names}
    if len(tops) == 1:
        top = tops.pop()
        if f"{top}/SKILL.md" in names:
            return names[f"{top}/SKILL.md"]
    raise APIError(400, "A skill needs a SKILL.md file at its top level.", param="files")


def _front_matter(text: str) -> dict[str, str]:
    match = _FRONT_MATTER.match(text)
    if match is None:
        raise APIError(
            400, "SKILL.md must begin with front matter between '---' lines.", param="files"
        )
    fields = {}
    for line in match.group(1).splitlines():
        key, colon, value = line.partition(":")
        if colon and not line.startswith((" ", "\t")):
            fields[key.strip()] = value.strip().strip("\"'")
    return fields


def read_bundle(uploads: Sequence[Upload]) -> Bundle:
    """The bundle of a create request's ``files``: one zip, or a directory's files."""
    if not uploads:
        raise missing("files")
    if len(uploads) > MAX_FILES:
        raise APIError(
            400, f"A skill may hold at most {MAX_FILES} files, got {len(uploads)}.", param="files"
        )
    one = uploads[0]
    if len(uploads) == 1 and (one.filename.endswith(".zip") or one.data[:4] == b"PK\x03\x04"):
        files, kept = _unzip(one.data), one.data
    else:
        files = [(u.filename, u.data) for u in uploads]
        kept = zip_files(files)
    try:
        text = _skill_md(files).decode("utf-8")
    except UnicodeDecodeError:
        raise APIError(400, "SKILL.md must be UTF-8 text.", param="files") from None
    fields = _front_matter(text)
    for key in ("name", "description"):
        if not fields.get(key):
            raise APIError(
                400, f"SKILL.md front matter needs a '{key}'.", param="files", code="invalid_value"
            )
    return Bundle(fields["name"], fields["description"], kept)
