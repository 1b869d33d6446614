"""Videos end to end against FakeOpenAI: create (plain, every parameter, a reference image
uploaded or named), progress by looks, poll and create_and_poll, list, delete, downloads of
every variant (an MP4 whose boxes say the length and size, PNG previews), remix, edit and
extend (of a video by id or an uploaded MP4), characters, and OpenAI's errors."""

from __future__ import annotations

import struct
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Final

import pytest
from support import FakeClock as Clock

from aio_openai import (
    APIResponse,
    APITimeoutError,
    AsyncOpenAI,
    BadRequestError,
    NotFoundError,
    PollTimeoutError,
    RetryPolicy,
)
from aio_openai._response import object_parser
from aio_openai.testing import FakeOpenAI
from aio_openai.testing._images.png import png, png_size
from aio_openai.testing._provenance import read_mark
from aio_openai.testing._videos import Source
from aio_openai.testing._videos.mp4 import mp4, mp4_info
from aio_openai.types import Video, VideoCreateCharacterResponse, VideoDeleteResponse

KEY: Final = "sk-videos-0123456789"
MP4: Final = ("clip.mp4", mp4(8, 1280, 720, "source"), "video/mp4")


@pytest.fixture
def clock() -> Clock:
    """Starts at the real monotonic time: the client stamps its requests with that."""
    return Clock(time.monotonic())


@pytest.fixture
async def api(fake: FakeOpenAI, clock: Clock, clean_env: None) -> AsyncIterator[AsyncOpenAI]:
    """A client on ``fake`` that never retries and whose polls sleep on ``clock``."""
    client = AsyncOpenAI(
        api_key=KEY,
        base_url=fake.url,
        max_retries=0,
        retry_policy=RetryPolicy(sleep=clock.sleep, clock=clock),
    )
    try:
        yield client
    finally:
        await client.aclose()


async def completed(api: AsyncOpenAI, fake: FakeOpenAI, **params: Any) -> Video:
    video = await api.videos.create(prompt=params.pop("prompt", "A cat on a piano"), **params)
    fake.state.videos.finish(video.id)
    return await api.videos.retrieve(video.id)


def boxes(data: bytes) -> list[tuple[bytes, int]]:
    """The top-level boxes of an ISO base media file, read here on their own."""
    found, at = [], 0
    while at < len(data):
        size, kind = struct.unpack(">I4s", data[at : at + 8])
        assert size >= 8, (kind, size)
        found.append((kind, size))
        at += size
    assert at == len(data)  # the boxes tile the file exactly
    return found


async def test_a_video_progresses_one_step_per_look(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    video = await api.videos.create(prompt="A calico cat playing a piano on stage")
    assert isinstance(video, Video)
    assert fake.requests[-1].form == {"prompt": "A calico cat playing a piano on stage"}
    assert fake.requests[-1].headers["Content-Type"].startswith("multipart/form-data")
    assert (video.status, video.progress, video.model, video.size, video.seconds) == (
        "queued",
        0,
        "sora-2",
        "720x1280",
        "4",
    )
    assert video.id.startswith("video_") and video.completed_at is None
    seen = [await api.videos.retrieve(video.id) for _ in range(5)]
    assert [(v.status, v.progress) for v in seen] == [
        ("in_progress", 25),
        ("in_progress", 50),
        ("in_progress", 75),
        ("completed", 100),
        ("completed", 100),
    ]
    done = seen[-1]
    assert done.completed_at is not None and done.expires_at is not None
    assert done.expires_at > done.completed_at
    fake.state.videos.looks = 1
    quick = await api.videos.create(prompt="x")
    assert (await api.videos.retrieve(quick.id)).status == "completed"


async def test_every_create_parameter(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    reference = ("ref.png", png(1280, 720, "ref"), "image/png")
    video = await api.videos.create(
        prompt="A fox", model="sora-2-pro", seconds="12", size="1280x720", input_reference=reference
    )
    request = fake.requests[-1]
    assert request.form == {
        "prompt": "A fox",
        "model": "sora-2-pro",
        "seconds": "12",
        "size": "1280x720",
    }
    assert request.files == {"input_reference": ["ref.png"]}
    assert (video.model, video.seconds, video.size) == ("sora-2-pro", "12", "1280x720")
    assert fake.state.videos.source_of(video.id) == Source("prompt", filename="ref.png")
    stored = fake.state.files.add_file(png(720, 1280, "s"), purpose="vision", filename="s.png")
    named = await api.videos.create(prompt="x", input_reference={"file_id": stored["id"]})
    assert fake.requests[-1].form["input_reference"] == {"file_id": stored["id"]}
    assert fake.state.videos.source_of(named.id).filename == "s.png"
    await api.videos.create(prompt="x", input_reference={"image_url": "https://example.com/a.png"})


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"seconds": "5"}, "seconds"),
        ({"size": "100x100"}, "size"),
        ({"model": "gpt-4o"}, "model"),
        ({"prompt": ""}, "prompt"),
        ({"prompt": "x" * 32001}, "prompt"),
        ({"input_reference": ("r.png", png(64, 64, "r"), "image/png")}, "input_reference"),
        ({"input_reference": ("r.txt", b"text", "text/plain")}, "input_reference"),
        ({"input_reference": {"file_id": "file-missing"}}, "input_reference.file_id"),
        ({"input_reference": {"file_id": "f", "image_url": "u"}}, "input_reference"),
    ],
)
async def test_a_bad_create_is_refused_naming_the_parameter(
    api: AsyncOpenAI, fake: FakeOpenAI, params: dict[str, Any], param: str
) -> None:
    params = {"prompt": "x", **params}
    with pytest.raises(BadRequestError) as info:
        await api.videos.create(**params)
    assert info.value.param == param
    assert (await api.videos.list()).data == []  # nothing was made


async def test_poll_and_create_and_poll(api: AsyncOpenAI, fake: FakeOpenAI, clock: Clock) -> None:
    video = await api.videos.create(prompt="x")
    done = await api.videos.poll(video.id, poll_interval_ms=10)
    assert (done.status, done.progress) == ("completed", 100)
    assert clock.sleeps == [0.01] * 3  # four looks: three waits
    made = await api.videos.create_and_poll(prompt="y", seconds="8", poll_interval_ms=0)
    assert made.status == "completed" and made.seconds == "8"
    assert fake.requests[-5].form == {"prompt": "y", "seconds": "8"}
    raw = await api.videos.with_raw_response.create_and_poll(prompt="z", poll_interval_ms=0)
    assert isinstance(raw, APIResponse) and raw.parse().status == "completed"


async def test_poll_returns_a_failed_video_with_its_error(
    api: AsyncOpenAI, fake: FakeOpenAI
) -> None:
    video = await api.videos.create(prompt="x")
    fake.state.videos.fail(video.id, "Your prompt was blocked.", code="moderation_blocked")
    failed = await api.videos.poll(video.id, poll_interval_ms=0)
    assert failed.status == "failed" and failed.error is not None
    assert (failed.error.code, failed.error.message) == (
        "moderation_blocked",
        "Your prompt was blocked.",
    )


async def test_poll_deadline_raises_with_the_last_video(
    api: AsyncOpenAI, fake: FakeOpenAI, clock: Clock
) -> None:
    fake.state.videos.looks = 100
    video = await api.videos.create(prompt="slow")
    with pytest.raises(PollTimeoutError) as info:
        await api.videos.poll(video.id, poll_interval_ms=1000, deadline=2.5)
    assert isinstance(info.value, APITimeoutError)
    last = info.value.last
    assert isinstance(last, Video) and (last.id, last.status) == (video.id, "in_progress")
    assert clock.sleeps == [1.0, 1.0]


async def test_downloads_of_every_variant(
    api: AsyncOpenAI, fake: FakeOpenAI, tmp_path: Path
) -> None:
    video = await completed(api, fake, seconds="8", size="1280x720")
    content = await api.videos.download_content(video.id)
    assert fake.requests[-1].query == {}
    assert [kind for kind, _ in boxes(content.content)] == [b"ftyp", b"moov", b"mdat"]
    assert content.response.headers["Content-Type"] == "video/mp4"
    info = mp4_info(content.content)
    assert info is not None and (info.seconds, info.width, info.height) == (8.0, 1280, 720)
    same = await api.videos.download_content(video.id, variant="video")
    assert same.content == content.content  # deterministic
    assert fake.requests[-1].query == {"variant": "video"}
    thumbnail = await api.videos.download_content(video.id, variant="thumbnail")
    assert thumbnail.response.headers["Content-Type"] == "image/png"
    assert png_size(thumbnail.content) == (1280, 720)
    mark = read_mark(thumbnail.content)
    assert mark is not None and mark["model"] == "sora-2"
    sheet = await api.videos.download_content(video.id, variant="spritesheet")
    assert png_size(sheet.content) == (4 * 160, 2 * 90)  # 8 frames of 1/8 size, 4 a row
    async with api.videos.with_streaming_response.download_content(video.id) as response:
        await response.stream_to_file(tmp_path / "video.mp4")
    assert (tmp_path / "video.mp4").read_bytes() == content.content
    longer = await completed(api, fake, seconds="12")
    info = mp4_info((await api.videos.download_content(longer.id)).content)
    assert info is not None and (info.seconds, info.width, info.height) == (12.0, 720, 1280)


async def test_downloads_need_a_completed_video(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    video = await api.videos.create(prompt="x")
    with pytest.raises(BadRequestError, match="not completed") as info:
        await api.videos.download_content(video.id)
    assert info.value.param == "video_id"
    fake.state.videos.finish(video.id)
    with pytest.raises(BadRequestError) as info:
        await api.videos.download_content(video.id, variant="poster")  # type: ignore[arg-type]
    assert info.value.param == "variant"
    with pytest.raises(NotFoundError):
        await api.videos.download_content("video_missing")


async def test_list_and_delete(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    first = await completed(api, fake, prompt="one")
    second = await api.videos.create(prompt="two")
    page = await api.videos.list()
    assert [v.id for v in page.data] == [second.id, first.id]  # newest first
    assert page.first_id == second.id and page.last_id == first.id and not page.has_more
    assert [v.id for v in (await api.videos.list(order="asc", limit=1)).data] == [first.id]
    assert [v.id async for v in api.videos.list(limit=1)] == [second.id, first.id]
    with pytest.raises(BadRequestError, match="cannot be deleted"):
        await api.videos.delete(second.id)
    gone = await api.videos.delete(first.id)
    assert isinstance(gone, VideoDeleteResponse)
    assert (gone.id, gone.deleted, gone.object) == (first.id, True, "video.deleted")
    with pytest.raises(NotFoundError) as info:
        await api.videos.retrieve(first.id)
    assert info.value.param == "video_id" and first.id in str(info.value)
    assert [v.id for v in (await api.videos.list()).data] == [second.id]


async def test_remix_edit_and_extend_make_new_videos(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    source = await completed(api, fake, seconds="8", size="1280x720")
    remix = await api.videos.remix(source.id, prompt="At night")
    assert fake.requests[-1].json == {"prompt": "At night"}
    assert remix.remixed_from_video_id == source.id and remix.status == "queued"
    assert (remix.prompt, remix.seconds, remix.size) == ("At night", "8", "1280x720")
    edit = await api.videos.edit(prompt="Rain", video={"id": source.id})
    assert fake.requests[-1].form == {"prompt": "Rain", "video": {"id": source.id}}
    assert fake.state.videos.source_of(edit.id) == Source("edit", video_id=source.id)
    assert edit.remixed_from_video_id is None and edit.seconds == "8"
    extension = await api.videos.extend(prompt="Go on", seconds="4", video={"id": source.id})
    assert extension.seconds == "12"  # the source's 8 and 4 more
    assert fake.state.videos.source_of(extension.id).kind == "extension"
    fake.state.videos.finish(extension.id)
    info = mp4_info((await api.videos.download_content(extension.id)).content)
    assert info is not None and info.seconds == 12.0
    uploaded = await api.videos.edit(prompt="Rain", video=MP4)
    assert fake.requests[-1].files == {"video": ["clip.mp4"]}
    assert (uploaded.seconds, uploaded.size) == ("8", "1280x720")  # what the file's boxes say
    assert fake.state.videos.source_of(uploaded.id) == Source("edit", filename="clip.mp4")
    longer = await api.videos.extend(prompt="Go on", seconds="8", video=MP4)
    assert longer.seconds == "16"


async def test_remix_edit_and_extend_refusals(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    queued = await api.videos.create(prompt="x")
    with pytest.raises(BadRequestError, match="not completed") as info:
        await api.videos.remix(queued.id, prompt="y")
    assert info.value.param == "video_id"
    with pytest.raises(BadRequestError) as info:
        await api.videos.edit(prompt="y", video={"id": queued.id})
    assert info.value.param == "video.id"
    with pytest.raises(NotFoundError):
        await api.videos.remix("video_missing", prompt="y")
    with pytest.raises(NotFoundError):
        await api.videos.extend(prompt="y", seconds="4", video={"id": "video_missing"})
    with pytest.raises(BadRequestError) as info:
        await api.videos.edit(prompt="y", video=("a.mp4", b"not an mp4", "video/mp4"))
    assert info.value.param == "video"
    done = await completed(api, fake)
    with pytest.raises(BadRequestError) as info:
        await api.videos.extend(prompt="y", seconds="7", video={"id": done.id})  # type: ignore[arg-type]
    assert info.value.param == "seconds"


async def test_characters(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    character = await api.videos.create_character(name="Mochi", video=MP4)
    assert isinstance(character, VideoCreateCharacterResponse)
    assert fake.requests[-1].form == {"name": "Mochi"}
    assert fake.requests[-1].files == {"video": ["clip.mp4"]}
    assert character.id is not None and character.id.startswith("char_")
    got = await api.videos.get_character(character.id)
    assert (got.id, got.name, got.created_at) == (character.id, "Mochi", character.created_at)
    with pytest.raises(NotFoundError) as info:
        await api.videos.get_character("char_missing")
    assert info.value.param == "character_id"
    with pytest.raises(BadRequestError, match="maximum length 80") as info:
        await api.videos.create_character(name="x" * 81, video=MP4)
    assert (info.value.param, info.value.code) == ("name", "string_above_max_length")
    with pytest.raises(BadRequestError) as info:
        await api.videos.create_character(name="Mochi", video=("a.png", png(4, 4, "a")))
    assert info.value.param == "video"


async def test_json_bodies_are_taken_too(api: AsyncOpenAI, fake: FakeOpenAI) -> None:
    """OpenAI takes JSON as well as forms (the SDKs send forms): so does the fake."""
    source = await completed(api, fake)
    parse = object_parser(Video)
    made = await api.request("POST", "/videos", parse, body={"prompt": "json", "seconds": "8"})
    assert fake.requests[-1].json == {"prompt": "json", "seconds": "8"}
    assert (made.prompt, made.seconds) == ("json", "8")
    body = {"prompt": "json", "video": {"id": source.id}}
    edit = await api.request("POST", "/videos/edits", parse, body=body)
    assert fake.state.videos.source_of(edit.id).video_id == source.id
