"""The state of the fake videos: the videos (their progress by looks), their sources and
characters."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any, Final

import attrs

from aio_openai.testing._checks import APIError
from aio_openai.testing._files.state import FilesState
from aio_openai.testing._images.png import png
from aio_openai.testing._provenance import mark_png
from aio_openai.testing._shapes import ListQuery, new_id, page
from aio_openai.testing._videos.mp4 import mp4

__all__ = ["DEFAULT_LOOKS", "EXPIRY_SECONDS", "Source", "VideosState"]

#: Looks (retrieves) a video takes to complete by default: queued, then in progress at
#: 25, 50 and 75 %, then completed.
DEFAULT_LOOKS: Final = 4
#: How long a completed video's files are kept.
EXPIRY_SECONDS: Final = 24 * 3600
#: A sprite sheet's frames: one per second, this many a row, each this share of the size.
_SPRITE_COLUMNS: Final = 4
_SPRITE_SCALE: Final = 8


@attrs.frozen
class Source:
    """What a video was made from: ``kind`` is ``"prompt"``, ``"remix"``, ``"edit"`` or
    ``"extension"``; ``video_id`` the source video of the API (None for a prompt or an
    uploaded file), ``filename`` the uploaded file's (or the reference image's)."""

    kind: str
    video_id: str | None = None
    filename: str | None = None


@attrs.define
class _Video:
    record: dict[str, Any]
    source: Source
    looks: int = 0


def _size(record: Mapping[str, Any]) -> tuple[int, int]:
    width, height = record["size"].split("x")
    return int(width), int(height)


class VideosState:
    """The videos of a fake server (``fake.state.videos``).

    ``files`` is the server's files store, where a reference image's ``file_id`` is looked
    up. A video is created ``queued`` with ``progress`` 0; each retrieve (one look) moves it one
    step: ``in_progress`` with its progress rising, then ``completed`` after :attr:`looks`
    looks (no time passes: the same looks give the same answers). :meth:`finish` completes a
    video at once, :meth:`fail` fails it. Every operation takes the state's lock; an unknown
    video or character raises :class:`APIError` (404).
    """

    def __init__(self, files: FilesState) -> None:
        self._lock = threading.Lock()
        self._files = files
        self._videos: dict[str, _Video] = {}
        self._characters: dict[str, dict[str, Any]] = {}
        #: Looks a new video takes to complete (at least 1).
        self.looks = DEFAULT_LOOKS

    def _get(self, video_id: str) -> _Video:
        video = self._videos.get(video_id)
        if video is None:
            raise APIError(404, f"Video with id '{video_id}' not found.", param="video_id")
        return video

    def _completed(self, video_id: str, param: str) -> _Video:
        """A video that is completed (400 naming ``param`` otherwise)."""
        video = self._get(video_id)
        status = video.record["status"]
        if status != "completed":
            raise APIError(
                400,
                f"Video '{video_id}' is not completed (its status is '{status}').",
                param=param,
            )
        return video

    def _complete(self, video: _Video) -> None:
        now = int(time.time())
        video.record.update(
            status="completed", progress=100, completed_at=now, expires_at=now + EXPIRY_SECONDS
        )

    # -- videos ------------------------------------------------------------------------------

    def create(self, body: Mapping[str, Any], source: Source = Source("prompt")) -> dict[str, Any]:
        """A new ``queued`` video from a checked body (``prompt``; ``model``, ``seconds``,
        ``size`` defaulted), made from ``source``."""
        record: dict[str, Any] = {
            "id": new_id("video_"),
            "object": "video",
            "model": body.get("model") or "sora-2",
            "status": "queued",
            "progress": 0,
            "created_at": int(time.time()),
            "completed_at": None,
            "expires_at": None,
            "prompt": body["prompt"],
            "size": body.get("size") or "720x1280",
            "seconds": str(body.get("seconds") or "4"),
            "remixed_from_video_id": source.video_id if source.kind == "remix" else None,
            "error": None,
        }
        with self._lock:
            self._videos[record["id"]] = _Video(record, source)
        return dict(record)

    def derive(
        self, video_id: str, kind: str, prompt: str, seconds: int = 0, *, param: str = "video_id"
    ) -> dict[str, Any]:
        """A new video made from the completed video ``video_id`` (``kind``: ``"remix"``,
        ``"edit"``, ``"extension"``, ``seconds`` longer); 400 naming ``param`` for a source
        that is not completed."""
        with self._lock:
            source = dict(self._completed(video_id, param).record)
        body = {
            "prompt": prompt,
            "model": source["model"],
            "size": source["size"],
            "seconds": int(source["seconds"]) + seconds,
        }
        return self.create(body, Source(kind, video_id=video_id))

    def reference_file(self, file_id: str) -> str:
        """The filename of a stored file a video starts from (400 for an unknown one)."""
        try:
            return str(self._files.get(file_id)["filename"])
        except APIError:
            raise APIError(
                400, f"File '{file_id}' not found.", param="input_reference.file_id"
            ) from None

    def retrieve(self, video_id: str) -> dict[str, Any]:
        """A video, one look later: it moves one step towards ``completed``."""
        with self._lock:
            video = self._get(video_id)
            if video.record["status"] in ("queued", "in_progress"):
                video.looks += 1
                if video.looks >= max(1, self.looks):
                    self._complete(video)
                else:
                    progress = 100 * video.looks // max(1, self.looks)
                    video.record.update(status="in_progress", progress=progress)
            return dict(video.record)

    def get(self, video_id: str) -> dict[str, Any]:
        """A video as it is, without a look (for tests)."""
        with self._lock:
            return dict(self._get(video_id).record)

    def source_of(self, video_id: str) -> Source:
        """What a video was made from."""
        with self._lock:
            return self._get(video_id).source

    def finish(self, video_id: str) -> dict[str, Any]:
        """Complete a video now (what the next looks would do)."""
        with self._lock:
            video = self._get(video_id)
            if video.record["status"] != "completed":
                self._complete(video)
            return dict(video.record)

    def fail(
        self,
        video_id: str,
        message: str = "The video could not be generated.",
        *,
        code: str = "internal_error",
    ) -> dict[str, Any]:
        """Fail a video now, with an ``error`` of ``code`` and ``message``."""
        with self._lock:
            video = self._get(video_id)
            video.record.update(
                status="failed", error={"code": code, "message": message}, completed_at=None
            )
            return dict(video.record)

    def list_videos(self, query: ListQuery) -> dict[str, Any]:
        """One page of the videos, as they are (listing is no look)."""
        with self._lock:
            records = [dict(v.record) for v in self._videos.values()]
        return page(records, query)

    def delete(self, video_id: str) -> None:
        """Remove a completed or failed video (400 for one still being made)."""
        with self._lock:
            status = self._get(video_id).record["status"]
            if status not in ("completed", "failed"):
                raise APIError(
                    400,
                    f"Video '{video_id}' cannot be deleted while it is {status}.",
                    param="video_id",
                )
            del self._videos[video_id]

    def content(self, video_id: str, variant: str) -> bytes:
        """A completed video's file: ``"video"`` (an MP4 whose duration is its ``seconds``),
        ``"thumbnail"`` (a PNG of its size) or ``"spritesheet"`` (a PNG of one small frame a
        second); the pictures carry the fake's provenance mark."""
        with self._lock:
            record = dict(self._completed(video_id, "video_id").record)
        width, height = _size(record)
        seconds = int(record["seconds"])
        seed = f"{record['id']}:{record['prompt']}"
        if variant == "video":
            return mp4(seconds, width, height, seed)
        if variant == "thumbnail":
            picture = png(width, height, seed)
        else:
            rows = -(-seconds // _SPRITE_COLUMNS)
            frame_w, frame_h = width // _SPRITE_SCALE, height // _SPRITE_SCALE
            picture = png(frame_w * _SPRITE_COLUMNS, frame_h * rows, seed)
        return mark_png(picture, model=record["model"], generated_at=record["completed_at"])

    # -- characters --------------------------------------------------------------------------

    def create_character(self, name: str) -> dict[str, Any]:
        """A new character called ``name``."""
        record: dict[str, Any] = {
            "id": new_id("char_"),
            "name": name,
            "created_at": int(time.time()),
        }
        with self._lock:
            self._characters[record["id"]] = record
        return dict(record)

    def character(self, character_id: str) -> dict[str, Any]:
        """A character."""
        with self._lock:
            record = self._characters.get(character_id)
            if record is None:
                raise APIError(
                    404, f"Character with id '{character_id}' not found.", param="character_id"
                )
            return dict(record)
