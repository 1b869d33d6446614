"""Evals of the fake server: evals, their runs, graded at once, and the runs' output items.

Reached as ``fake.state.evals`` (an :class:`EvalsState`). An eval keeps its data source
config (shown with its schema) and testing criteria; a run reads its data source's rows
(inline ``file_content``, a JSONL file of ``fake.state.files``, or stored chat completions),
samples each with the fake's chat model when it has ``input_messages`` (``fake.state.chat``
replies script the answers), grades it by each criterion and keeps an output item per row;
its result counts and per-criterion results add up to them. ``configure(looks=n)`` makes
runs take n retrieves to complete (0 by default: created completed).

Modules: :mod:`.state`, :mod:`.sources` (rows and samples), :mod:`.graders` (templates,
criteria checked and graded: what is exact and what is approximated), :mod:`.checks`
(OpenAI's 400s), :mod:`.routes`.
"""

from __future__ import annotations

from aio_openai.testing._evals.routes import add_evals_routes
from aio_openai.testing._evals.state import EvalsState

__all__ = ["EvalsState", "add_evals_routes"]
