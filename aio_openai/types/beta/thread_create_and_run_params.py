"""The parameters of ``beta.threads.create_and_run`` (declared beside ``runs.create``'s, with
which they share most of their keys)."""

from __future__ import annotations

from .threads.run_create_params import ThreadCreateAndRunParams

__all__ = ["ThreadCreateAndRunParams"]
