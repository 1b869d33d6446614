"""The filters of the Assistants API's DeprecationWarning, for the test modules that call it.

Every public method of the Assistants API (``client.beta.assistants``, ``threads``,
``messages``, ``runs``, ``steps``) warns that the API is deprecated, as the official SDK's do;
``filterwarnings = error`` makes that an error. A test module calling the API says so with
``pytestmark = ASSISTANTS_API_DEPRECATED``: only these two messages are ignored there.
"""

from __future__ import annotations

import re

import pytest

from aio_openai._resource import ASSISTANTS_DEPRECATED, DEPRECATED

__all__ = ["ASSISTANTS_API_DEPRECATED"]

ASSISTANTS_API_DEPRECATED = [
    pytest.mark.filterwarnings(f"ignore:{re.escape(message)}$:DeprecationWarning")
    for message in (DEPRECATED, ASSISTANTS_DEPRECATED)
]
