"""The Uploads API: ``/uploads``, a large file (up to 8 GB) sent in parts of up to 64 MB and
assembled into one file of the Files API.

``upload_file_chunked`` does it all: it opens the upload, sends the parts concurrently (at
most ``max_concurrency`` at a time, each read from the file as it is sent and retried on its
own by the client's retry policy) and completes the upload with the parts in order.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import os
from collections.abc import Sequence
from typing import Any, Final, Unpack

from ..._endpoints import endpoint
from ..._multipart import FileSlice
from ..._resource import APIResource
from ..._types import NOT_GIVEN, NotGiven, RequestOptions
from ...types.file_purpose import FilePurpose
from ...types.upload import Upload
from ...types.upload_complete_params import UploadCompleteParams
from ...types.upload_create_params import UploadCreateParams
from .parts import Parts

__all__ = ["DEFAULT_PART_SIZE", "Parts", "Uploads"]

#: The part size of ``upload_file_chunked`` when none is given (OpenAI's largest part).
DEFAULT_PART_SIZE: Final = 64 * 1024 * 1024
#: Parts ``upload_file_chunked`` sends at once when not told.
DEFAULT_CONCURRENCY: Final = 4


class _CreateArgs(UploadCreateParams, RequestOptions, total=False): ...


class _CompleteArgs(UploadCompleteParams, RequestOptions, total=False): ...


class Uploads(APIResource):
    """``client.uploads``: create, complete, cancel, ``parts``, upload_file_chunked."""

    __slots__ = ()

    @property
    def parts(self) -> Parts:
        """The parts of an upload: create."""
        return Parts(self._client, raw=self._raw)

    @endpoint("POST", "/uploads", _CreateArgs)
    async def create(self, **params: Unpack[_CreateArgs]) -> Upload:
        """Open an upload of ``bytes`` bytes for the file ``filename`` of ``mime_type``, for
        ``purpose``; returns the Upload (``pending``, expiring an hour later unless
        ``expires_after`` says otherwise). Raises BadRequestError for a bad parameter."""
        return await self._call(Uploads.create, Upload, params)

    @endpoint("POST", "/uploads/{upload_id}/complete", _CompleteArgs)
    async def complete(self, upload_id: str, **params: Unpack[_CompleteArgs]) -> Upload:
        """Assemble the parts ``part_ids``, in that order, into a file (checked against
        ``md5`` if given); returns the completed Upload, its ``file`` the new FileObject.
        Raises BadRequestError when the parts' bytes do not add up to those declared."""
        return await self._call(Uploads.complete, Upload, params, upload_id=upload_id)

    @endpoint("POST", "/uploads/{upload_id}/cancel")
    async def cancel(self, upload_id: str, **options: Unpack[RequestOptions]) -> Upload:
        """Cancel a pending upload; no part may be added afterwards. Returns the Upload."""
        return await self._call(Uploads.cancel, Upload, options, upload_id=upload_id)

    async def upload_file_chunked(
        self,
        *,
        file: str | os.PathLike[str] | bytes,
        mime_type: str,
        purpose: FilePurpose,
        filename: str | None = None,
        bytes: int | None = None,
        part_size: int | None = None,
        md5: str | NotGiven = NOT_GIVEN,
        max_concurrency: int = DEFAULT_CONCURRENCY,
    ) -> Upload:
        """Upload ``file`` (a path, or bytes with a ``filename``) in parts of ``part_size``
        bytes (64 MB by default), ``max_concurrency`` parts at a time, and return the
        completed Upload (``upload.file`` is the FileObject).

        Each part is read from the file as it is sent (memory stays bounded whatever the
        file's size) and retried on its own. If a part fails for good, the parts still on
        their way are stopped, the upload is cancelled and the part's error raised.
        """
        if isinstance(file, str | os.PathLike):
            path = os.fspath(file)
            size = os.stat(path).st_size if bytes is None else bytes
            filename = os.path.basename(path) if filename is None else filename
            parts: Sequence[Any] = _slices(size, part_size, lambda o, n: FileSlice(path, o, n))
        elif isinstance(file, builtins.bytes | bytearray | memoryview):
            if filename is None:
                raise TypeError("upload_file_chunked() of bytes needs a `filename`")
            view = memoryview(file).cast("B")
            size = len(view) if bytes is None else bytes
            parts = _slices(size, part_size, lambda o, n: view[o : o + n])
        else:
            raise TypeError(f"`file` must be a path or bytes, got {type(file).__name__}")
        if max_concurrency < 1:
            raise ValueError(f"max_concurrency must be >= 1, got {max_concurrency}")
        upload = await Uploads(self._client).create(
            bytes=size, filename=filename, mime_type=mime_type, purpose=purpose
        )
        ids = await self._send_parts(upload.id, parts, max_concurrency)
        if isinstance(md5, NotGiven):
            return await self.complete(upload.id, part_ids=ids)
        return await self.complete(upload.id, part_ids=ids, md5=md5)

    async def _send_parts(
        self, upload_id: str, parts: Sequence[Any], max_concurrency: int
    ) -> list[str]:
        """Send ``parts`` with at most ``max_concurrency`` at once; their ids, in order. On a
        failure the others are cancelled, the upload too, and the failure raised."""
        plain = Parts(self._client)
        ids: list[str] = [""] * len(parts)
        queue = iter(enumerate(parts))

        async def worker() -> None:
            for index, data in queue:
                part = await plain.create(upload_id, data=data)
                ids[index] = part.id

        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(min(max_concurrency, len(parts))):
                    group.create_task(worker())
        except BaseExceptionGroup as failed:
            with contextlib.suppress(Exception):
                await Uploads(self._client).cancel(upload_id)
            first = failed.exceptions[0]
            raise first from None
        return ids


def _slices(size: int, part_size: int | None, make: Any) -> list[Any]:
    """The parts of ``size`` bytes: ``make(offset, length)`` for each."""
    step = DEFAULT_PART_SIZE if part_size is None else part_size
    if step < 1:
        raise ValueError(f"part_size must be >= 1, got {part_size}")
    return [make(offset, min(step, size - offset)) for offset in range(0, size, step)]
