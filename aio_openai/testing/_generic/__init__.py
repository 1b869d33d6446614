"""FakeOpenAI's generic mode: any operation of OpenAI's spec that no fake API serves.

The spec (``openapi.json.gz``, derived from OpenAI's by ``tools/gen_fake_spec.py``; MIT
License, ``OPENAPI_LICENSE``) is read on the first request that reaches the mode
(:mod:`.spec`). Requests are checked against it (:mod:`.schema`), answers are made from its
examples and schemas (:mod:`.synth`) and kept where they create something (:mod:`.state`);
one catch-all route, registered after every other, serves them (:mod:`.routes`).
"""

from __future__ import annotations

from aio_openai.testing._generic.routes import add_generic_routes
from aio_openai.testing._generic.state import GenericState

__all__ = ["GenericState", "add_generic_routes"]
