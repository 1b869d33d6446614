"""The Images API of the fake server: generations, edits and variations.

Reached as ``fake.state.images`` (an :class:`ImagesState`). Every picture is a valid PNG
(:mod:`.png`, written with zlib and struct) of the size asked for, coloured from the prompt
(the same request gives the same bytes); whatever ``output_format`` says, the fake writes
PNG. ``response_format="url"`` answers a URL on the fake server itself
(``/fake-images/<name>``); the GPT image models answer ``b64_json`` and stream
``partial_images`` partial images before each one. Sizes, counts, formats and files are
checked per model as OpenAI checks them (:mod:`.checks`).

Modules: :mod:`.png`, :mod:`.state`, :mod:`.checks`, :mod:`.routes`.
"""

from __future__ import annotations

from aio_openai.testing._images.routes import add_images_routes
from aio_openai.testing._images.state import ImagesState

__all__ = ["ImagesState", "add_images_routes"]
