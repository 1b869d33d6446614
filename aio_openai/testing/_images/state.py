"""The state of the fake Images API: the pictures it made, kept for their URLs."""

from __future__ import annotations

import threading
from collections.abc import Callable

from aio_openai.testing._checks import APIError
from aio_openai.testing._shapes import new_id

__all__ = ["ImagesState"]


class ImagesState:
    """``fake.state.images``: every picture answered as a ``url``, by its name, served at
    ``/fake-images/<name>`` (``images`` holds them; tests may read or clear it)."""

    def __init__(self, knows_model: Callable[[str], bool]) -> None:
        self._lock = threading.Lock()
        #: The pictures answered as URLs, by file name.
        self.images: dict[str, bytes] = {}
        #: Whether requests may name a model (the server's model list).
        self.knows_model = knows_model

    def keep(self, data: bytes) -> str:
        """Keep a picture; the name it is served under."""
        name = new_id("img-") + ".png"
        with self._lock:
            self.images[name] = data
        return name

    def picture(self, name: str) -> bytes:
        with self._lock:
            data = self.images.get(name)
        if data is None:
            raise APIError(404, f"No image called '{name}'.")
        return data
