"""Videos of the fake server (the Videos API: Sora's clips).

Reached as ``fake.state.videos`` (a :class:`VideosState`). A video is created ``queued``;
each retrieve moves it a step (``in_progress``, ``progress`` 25, 50, 75), the fourth
completes it (:attr:`VideosState.looks` sets how many; no time passes, so a test is
deterministic): ``videos.poll`` with ``poll_interval_ms=0`` returns at once.
:meth:`VideosState.finish` completes a video now, :meth:`VideosState.fail` fails it.
A completed video downloads as an MP4 whose boxes say its length and size (:mod:`.mp4`),
a thumbnail PNG of its size and a sprite sheet PNG (one small frame a second), the PNGs
carrying the fake's provenance mark (a content provenance check says ``detected``).
Remixes, edits and extensions of a completed video are new videos
(:meth:`VideosState.source_of` says what each was made from); characters are stored.

Modules: :mod:`.state`, :mod:`.mp4`, :mod:`.checks` (OpenAI's 400s), :mod:`.routes`.
"""

from __future__ import annotations

from aio_openai.testing._videos.routes import add_videos_routes
from aio_openai.testing._videos.state import Source, VideosState

__all__ = ["Source", "VideosState", "add_videos_routes"]
