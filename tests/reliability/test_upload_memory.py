"""Large files go through with bounded memory: uploading a 200 MB file (multipart
``files.create`` and ``uploads.upload_file_chunked``) and downloading one
(``files.with_streaming_response.content`` streamed to a file) each grow the client process
by under 30 MB.

The client runs in a subprocess (so its memory is its own, and the fake's copies of the file
are not counted); FakeOpenAI runs in this test's loop. The subprocess measures as
benchmarks/fanout.py does: after a small warm-up of each call, the RSS high-water mark is
reset (``/proc/self/clear_refs``) and the RSS read; growth = VmHWM after the call - VmRSS
before it. A control run reads the same file whole into memory first (``Path.read_bytes``),
which the measure must see, so the test can fail.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Final

import pytest

from aio_openai.testing import FakeOpenAI

SIZE: Final = 200 * 1024 * 1024
#: The most a 200 MB transfer may grow the process.
LIMIT_KB: Final = 30 * 1024

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/clear_refs").exists(), reason="needs Linux's /proc/self/clear_refs"
)

CLIENT: Final = r"""
import asyncio, json, sys
from pathlib import Path

from aio_openai import AsyncOpenAI


def kb(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])


def reset():
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")


async def main(url, path, small, out, control):
    growth = {}
    async with AsyncOpenAI(api_key="sk-memory-0123456789", base_url=url) as client:

        async def create(file):
            if control:
                file = Path(file).read_bytes()
            return await client.files.create(file=file, purpose="user_data")

        async def chunked(file):
            return await client.uploads.upload_file_chunked(
                file=Path(file), mime_type="application/octet-stream", purpose="user_data"
            )

        async def download(file_id):
            async with client.files.with_streaming_response.content(file_id) as response:
                await response.stream_to_file(out)

        warm = await create(small)
        await chunked(small)
        await download(warm.id)
        for name, run in (("files.create", create), ("upload_file_chunked", chunked)):
            reset()
            before = kb("VmRSS")
            done = await run(path)
            growth[name] = kb("VmHWM") - before
            file_id = done.id if name == "files.create" else done.file.id
        reset()
        before = kb("VmRSS")
        await download(file_id)
        growth["files.content streamed"] = kb("VmHWM") - before
    print(json.dumps(growth))


asyncio.run(main(*sys.argv[1:5], sys.argv[5] == "control"))
"""


def big_file(path: Path) -> Path:
    block = os.urandom(1024 * 1024)
    with path.open("wb") as out:
        for _ in range(SIZE // len(block)):
            out.write(block)
    return path


async def measure(fake: FakeOpenAI, tmp_path: Path, mode: str) -> dict[str, int]:
    path = tmp_path / "big.bin"
    if not path.exists():
        big_file(path)
    small = tmp_path / "small.bin"
    small.write_bytes(os.urandom(100_000))
    out = tmp_path / "out.bin"
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        CLIENT,
        fake.url,
        str(path),
        str(small),
        str(out),
        mode,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(proc.communicate(), timeout=300)
    assert proc.returncode == 0, stderr.decode()
    assert out.stat().st_size == SIZE
    for file in fake.state.files.ids():
        fake.state.files.delete(file)
    growth: dict[str, int] = json.loads(stdout)
    return growth


async def test_200_mb_up_and_down_grow_the_client_by_under_30_mb(
    fake: FakeOpenAI, tmp_path: Path
) -> None:
    growth = await measure(fake, tmp_path, "plain")
    assert set(growth) == {"files.create", "upload_file_chunked", "files.content streamed"}
    assert all(kb < LIMIT_KB for kb in growth.values()), growth
    print("growth (kB):", growth)
    control = await measure(fake, tmp_path, "control")
    print("control (kB):", control)
    assert control["files.create"] > SIZE // 1024, control  # the measure sees a whole file
