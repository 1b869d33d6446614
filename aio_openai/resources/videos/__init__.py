"""The Videos API: ``/videos``, clips generated from a prompt (Sora).

``create`` queues a video (``queued``, then ``in_progress`` with a rising ``progress``, then
``completed`` or ``failed``); ``poll`` waits for it and ``create_and_poll`` does both.
``remix`` makes a new video from a completed one and a new prompt, ``extend`` continues one,
``edit`` changes one (a video of the API by ``{"id": ...}``, or an uploaded file);
``download_content`` gives the MP4 (or its ``thumbnail`` or ``spritesheet``). Characters
(``create_character``, ``get_character``) are made from an uploaded video.
"""

from __future__ import annotations

from typing import Final, Unpack

from ..._binary import BinaryResponseContent
from ..._endpoints import endpoint, takes
from ..._pagination import AsyncConversationCursorPage, AsyncPaginator
from ..._resource import APIResource, PollTarget
from ..._types import RequestOptions
from ...types.video import Video
from ...types.video_create_character_params import VideoCreateCharacterParams
from ...types.video_create_character_response import VideoCreateCharacterResponse
from ...types.video_create_params import VideoCreateParams
from ...types.video_delete_response import VideoDeleteResponse
from ...types.video_download_content_params import VideoDownloadContentParams
from ...types.video_edit_params import VideoEditParams
from ...types.video_extend_params import VideoExtendParams
from ...types.video_get_character_response import VideoGetCharacterResponse
from ...types.video_list_params import VideoListParams
from ...types.video_remix_params import VideoRemixParams

__all__ = ["DEFAULT_VIDEO_MODEL", "TERMINAL_VIDEO_STATUSES", "Videos"]

#: The model OpenAI uses when a video's body names none (what the rate limiter counts).
DEFAULT_VIDEO_MODEL: Final = "sora-2"
#: The statuses a video ends in.
TERMINAL_VIDEO_STATUSES: Final = frozenset({"completed", "failed"})


class _CreateArgs(VideoCreateParams, RequestOptions, total=False): ...


class _ListArgs(VideoListParams, RequestOptions, total=False): ...


class _RemixArgs(VideoRemixParams, RequestOptions, total=False): ...


class _EditArgs(VideoEditParams, RequestOptions, total=False): ...


class _ExtendArgs(VideoExtendParams, RequestOptions, total=False): ...


class _CharacterArgs(VideoCreateCharacterParams, RequestOptions, total=False): ...


class _DownloadArgs(VideoDownloadContentParams, RequestOptions, total=False): ...


class Videos(APIResource):
    """``client.videos``: create, retrieve, list, delete, remix, extend, edit,
    create_character, get_character, download_content, and the helpers poll and
    create_and_poll."""

    __slots__ = ()

    @endpoint(
        "POST",
        "/videos",
        _CreateArgs,
        metered=DEFAULT_VIDEO_MODEL,
        counts_tokens=False,
        files=("input_reference",),
    )
    async def create(self, **params: Unpack[_CreateArgs]) -> Video:
        """Queue a video of ``prompt`` (``model``, ``seconds`` and ``size`` optional), starting
        from ``input_reference`` if given (an image file, streamed as multipart, or
        ``{"file_id": ...}`` / ``{"image_url": ...}``). Returns the Video, ``queued``: see
        ``poll``. The rate limiter counts the call as one request of ``model``. Raises
        BadRequestError for a bad prompt, size, length or reference image."""
        return await self._call(Videos.create, Video, params)

    @endpoint("GET", "/videos/{video_id}")
    async def retrieve(self, video_id: str, **options: Unpack[RequestOptions]) -> Video:
        """A video as it is now (its ``status`` and ``progress``). Raises NotFoundError for
        an unknown id."""
        return await self._call(Videos.retrieve, Video, options, video_id=video_id)

    @endpoint("GET", "/videos", _ListArgs)
    def list(
        self, **params: Unpack[_ListArgs]
    ) -> AsyncPaginator[Video, AsyncConversationCursorPage[Video]]:
        """The project's videos, newest first (``order="asc"`` for oldest first): ``await``
        it for the first page, ``async for`` every video."""
        return self._pages(Videos.list, Video, params, {}, page=AsyncConversationCursorPage)

    @endpoint("DELETE", "/videos/{video_id}")
    async def delete(self, video_id: str, **options: Unpack[RequestOptions]) -> VideoDeleteResponse:
        """Delete a completed or failed video and its files. Raises NotFoundError for an
        unknown id, BadRequestError for a video still being made."""
        return await self._call(Videos.delete, VideoDeleteResponse, options, video_id=video_id)

    @endpoint("POST", "/videos/{video_id}/remix", _RemixArgs)
    async def remix(self, video_id: str, **params: Unpack[_RemixArgs]) -> Video:
        """Queue a new video made from the completed video ``video_id`` as ``prompt`` says
        (its ``remixed_from_video_id`` names the source). Raises NotFoundError for an unknown
        id, BadRequestError for a source that is not completed."""
        return await self._call(Videos.remix, Video, params, video_id=video_id)

    @endpoint("POST", "/videos/edits", _EditArgs, files=("video",))
    async def edit(self, **params: Unpack[_EditArgs]) -> Video:
        """Queue a new video: ``video`` (``{"id": ...}`` of a completed video, or an MP4
        file, streamed as multipart) changed as ``prompt`` says. Raises NotFoundError for an
        unknown id, BadRequestError for a source that is not a completed video or an MP4."""
        return await self._call(Videos.edit, Video, params)

    @endpoint("POST", "/videos/extensions", _ExtendArgs, files=("video",))
    async def extend(self, **params: Unpack[_ExtendArgs]) -> Video:
        """Queue a new video: ``video`` (``{"id": ...}`` or an MP4 file) continued for
        ``seconds`` more as ``prompt`` says. Raises as ``edit``."""
        return await self._call(Videos.extend, Video, params)

    @endpoint("POST", "/videos/characters", _CharacterArgs, files=("video",))
    async def create_character(
        self, **params: Unpack[_CharacterArgs]
    ) -> VideoCreateCharacterResponse:
        """Make a character called ``name`` from ``video`` (an MP4 file, streamed as
        multipart), for later prompts. Raises BadRequestError for a bad name or file."""
        return await self._call(Videos.create_character, VideoCreateCharacterResponse, params)

    @endpoint("GET", "/videos/characters/{character_id}")
    async def get_character(
        self, character_id: str, **options: Unpack[RequestOptions]
    ) -> VideoGetCharacterResponse:
        """A character. Raises NotFoundError for an unknown id."""
        return await self._call(
            Videos.get_character, VideoGetCharacterResponse, options, character_id=character_id
        )

    @endpoint("GET", "/videos/{video_id}/content", _DownloadArgs)
    async def download_content(
        self, video_id: str, **params: Unpack[_DownloadArgs]
    ) -> BinaryResponseContent:
        """A completed video's bytes: the MP4 (``variant="video"``, the default), or its
        ``thumbnail`` or ``spritesheet`` image; read in full within the client's
        ``max_response_bytes`` (``async with client.videos.with_streaming_response
        .download_content(id) as r: await r.stream_to_file(path)`` writes it as it arrives).
        Raises NotFoundError for an unknown id, BadRequestError for a video not completed."""
        return await self._call_binary(Videos.download_content, params, video_id=video_id)

    # -- polling helpers --------------------------------------------------------------------

    @takes(None)
    async def poll(
        self,
        video_id: str,
        *,
        poll_interval_ms: int | None = None,
        **options: Unpack[RequestOptions],
    ) -> Video:
        """Wait until a video is ``completed`` or ``failed`` and return it (a failed one is
        returned too: read its ``status`` and ``error``).

        Waits between looks as the server's ``openai-poll-after-ms`` header asks, else
        ``poll_interval_ms``, else 1 s. ``deadline`` (seconds) bounds the whole wait and
        raises PollTimeoutError (an APITimeoutError) carrying the last Video seen as
        ``.last``.
        """
        ids = {"video_id": video_id}
        return await self._poll(_POLL, options, ids, poll_interval_ms=poll_interval_ms)

    @takes(_CreateArgs)
    async def create_and_poll(
        self, *, poll_interval_ms: int | None = None, **params: Unpack[_CreateArgs]
    ) -> Video:
        """Create a video (see ``create``) and wait until it is completed or failed (see
        ``poll``). ``deadline`` covers both."""
        return await self._poll(
            _POLL, params, {}, first=Videos.create, poll_interval_ms=poll_interval_ms
        )


#: A video, as the poll helpers look at it.
_POLL: Final = PollTarget(
    Videos.retrieve, Video, lambda video: {"video_id": video.id}, TERMINAL_VIDEO_STATUSES
)
