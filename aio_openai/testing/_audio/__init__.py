"""The Audio API of the fake server: speech, transcriptions, translations, custom voices.

Reached as ``fake.state.audio`` (an :class:`AudioState`). Speech is a WAV file whose length
follows the text and the speed (:mod:`.wav`: 60 ms of tones per character at speed 1), the
text kept in a comment chunk, so transcribing the fake's own speech gives back exactly the
text it spoke; other audio is heard as ``state.default_transcript``. Every speech
``response_format`` but ``pcm`` (raw samples) is answered with that WAV file (the fake
encodes no mp3, opus, aac or flac). Transcripts come in every format (:mod:`.captions`:
json, text, srt, vtt, verbose_json with segments and words, diarized_json) and streamed as
``transcript.text.*`` events; ``stream_format="sse"`` speech as ``speech.audio.*`` events.

Modules: :mod:`.wav`, :mod:`.captions`, :mod:`.state`, :mod:`.checks` (OpenAI's 400s),
:mod:`.routes`.
"""

from __future__ import annotations

from aio_openai.testing._audio.routes import add_audio_routes
from aio_openai.testing._audio.state import AudioState

__all__ = ["AudioState", "add_audio_routes"]
