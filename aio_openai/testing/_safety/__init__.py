"""Decisions, safety records and content provenance checks of the fake server.

- ``POST /v1/decisions``: each question answered from the words it shares with the input
  (:mod:`.decisions`; deterministic, never a refusal), OpenAI's 400s for the body
  (:mod:`.checks`).
- ``GET /v1/safety/alerts/{id}``, ``/v1/safety/cases/{id}``: the records a test put in
  ``fake.state.safety`` (a :class:`SafetyState`: ``add_alert``, ``add_case``).
- ``POST /v1/content_provenance_checks``: ``detected`` for the pictures the fake generated
  (its provenance mark) and its own speech, ``not_detected`` for other images and audio, 400
  for other files (:mod:`.provenance`).
"""

from __future__ import annotations

from aio_openai.testing._safety.routes import add_safety_routes
from aio_openai.testing._safety.state import SafetyState

__all__ = ["SafetyState", "add_safety_routes"]
