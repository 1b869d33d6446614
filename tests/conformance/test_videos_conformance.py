"""Videos and content provenance checks against OpenAI's spec (the newest only: the April
2024 one has neither): every request the client sends (multipart forms and JSON) and every
answer FakeOpenAI gives, errors included.

Known gaps, each pinned below:

- the spec gives a video's previews as ``image/webp``; the fake's thumbnails and sprite
  sheets are PNGs (written by the images fake's PNG writer), so a download's content type is
  checked against ``video/mp4`` and ``image/png``;
- decisions and safety (alerts, cases) are in no spec yet: their wire is checked against
  the official SDK's own models instead (``test_safety_api.py`` structures the fake's
  answers with them).
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Final

import pytest

from aio_openai import APIStatusError, AsyncOpenAI
from aio_openai.testing import FakeOpenAI
from aio_openai.testing._audio.wav import speak
from aio_openai.testing._images.png import png
from aio_openai.testing._videos.mp4 import mp4

from ._recorder import check_all, recording

KEY: Final = "sk-conformance-videos-0123456789"
MP4: Final = ("clip.mp4", mp4(4, 1280, 720, "conformance"), "video/mp4")


async def expect_error(call: Awaitable[Any], status: int) -> None:
    with pytest.raises(APIStatusError) as info:
        await call
    assert info.value.status_code == status, info.value


async def video_calls(client: AsyncOpenAI, fake: FakeOpenAI) -> None:
    plain = await client.videos.create(prompt="A calico cat playing a piano on stage")
    reference = ("ref.png", png(1280, 720, "ref"), "image/png")
    full = await client.videos.create(
        prompt="A fox in the snow",
        model="sora-2-pro",
        seconds="8",
        size="1280x720",
        input_reference=reference,
    )
    stored = fake.state.files.add_file(png(720, 1280, "f"), purpose="vision", filename="f.png")
    await client.videos.create(prompt="From a file", input_reference={"file_id": stored["id"]})
    await client.videos.create(
        prompt="From a url", input_reference={"image_url": "https://example.com/a.png"}
    )
    await client.videos.retrieve(plain.id)  # in progress
    done = await client.videos.poll(full.id, poll_interval_ms=0)
    assert done.status == "completed"
    fake.state.videos.fail(plain.id)
    await client.videos.retrieve(plain.id)  # failed, with its error
    for variant in ("video", "thumbnail", "spritesheet"):
        await client.videos.download_content(full.id, variant=variant)  # type: ignore[arg-type]
    await client.videos.download_content(full.id)
    remix = await client.videos.remix(full.id, prompt="Now at night")
    await client.videos.edit(prompt="Make it rain", video={"id": full.id})
    await client.videos.edit(prompt="Make it rain", video=MP4)
    await client.videos.extend(prompt="Keep going", seconds="4", video={"id": full.id})
    await client.videos.extend(prompt="Keep going", seconds="12", video=MP4)
    character = await client.videos.create_character(name="Mochi", video=MP4)
    await client.videos.get_character(str(character.id))
    assert (await client.videos.list()).data
    assert (await client.videos.list(limit=2, order="asc", after=full.id)).data
    await client.videos.delete(full.id)

    await expect_error(client.videos.retrieve(full.id), 404)
    await expect_error(client.videos.remix(remix.id, prompt="too soon"), 400)
    await expect_error(client.videos.download_content(remix.id), 400)
    await expect_error(client.videos.delete(remix.id), 400)
    await expect_error(client.videos.get_character("char_missing"), 404)
    await expect_error(client.videos.create(prompt="x", seconds="5"), 400)  # type: ignore[arg-type]
    bad_reference = ("ref.png", png(64, 64, "small"), "image/png")
    await expect_error(client.videos.create(prompt="x", input_reference=bad_reference), 400)
    await expect_error(client.videos.edit(prompt="x", video=("a.mp4", b"not a video")), 400)


async def provenance_calls(client: AsyncOpenAI, fake: FakeOpenAI) -> None:
    videos = fake.state.videos  # the thumbnail made in the fake's state: no video request
    video = videos.finish(videos.create({"prompt": "A lighthouse"})["id"])
    thumbnail = videos.content(video["id"], "thumbnail")
    checked = await client.content_provenance_checks.create(
        file=("thumb.png", thumbnail, "image/png")
    )
    assert {r.outcome for r in checked.results} == {"detected"}
    await client.content_provenance_checks.create(file=("plain.png", png(4, 4, "x"), "image/png"))
    await client.content_provenance_checks.create(file=("hi.wav", speak("hi"), "audio/wav"))
    await expect_error(
        client.content_provenance_checks.create(file=("a.txt", b"text", "text/plain")), 400
    )


async def test_video_calls_conform(fake: FakeOpenAI, clean_env: None) -> None:
    async with recording(fake, KEY) as (client, recorder):
        await video_calls(client, fake)
    check_all(
        "v2",
        fake,
        recorder,
        ("/videos",),
        binary=("/content",),
        binary_types=("video/mp4", "image/png"),
    )
    assert {got.status for got in recorder.exchanges} == {200, 400, 404}


async def test_provenance_calls_conform(fake: FakeOpenAI, clean_env: None) -> None:
    async with recording(fake, KEY) as (client, recorder):
        await provenance_calls(client, fake)
    check_all("v2", fake, recorder, ("/content_provenance_checks",))
    assert {got.status for got in recorder.exchanges} == {200, 400}
