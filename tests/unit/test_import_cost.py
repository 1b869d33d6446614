"""`import aio_openai` stays cheap: types, resources, the fake server, Redis, tqdm load on use."""

from __future__ import annotations

import subprocess
import sys


def printed(code: str) -> list[str]:
    """The lines ``code`` prints in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.split("\n")


def test_import_loads_no_types_resources_testing_or_redis() -> None:
    out = printed(
        "import sys, aio_openai\n"
        "heavy = [m for m in sys.modules if m.startswith(('aio_openai.types', "
        "'aio_openai.resources', 'aio_openai.testing', 'aio_openai.lib', 'redis', 'openai', "
        "'tqdm'))]\n"
        "print(heavy)\n"
        "aio_openai.types.Model\n"
        "print('aio_openai.types' in sys.modules)\n"
        "print(aio_openai.AsyncAssistantEventHandler.__module__)\n"
    )
    assert out[0] == "[]"
    assert out[1] == "True"  # and they are there when asked for
    assert out[2] == "aio_openai.lib.streaming._assistants"


def test_the_endpoint_table_loads_the_resources_only_when_asked_for() -> None:
    out = printed(
        "import sys, aio_openai, aio_openai.resources as e\n"
        "print([m for m in sys.modules if m.startswith('aio_openai.resources.')])\n"
        "print(len(e.endpoints()) > 0, 'aio_openai.resources.models' in sys.modules)\n"
    )
    assert out[0] == "[]"
    assert out[1] == "True True"
