"""The public surface: ``__all__``, the SDK's error names, and what ``import aio_openai`` loads."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

import aio_openai

#: The error classes the official ``openai`` package exports for HTTP calls.
SDK_ERROR_NAMES = (
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "NotFoundError",
    "OpenAIError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
)

#: Other names a drop-in user imports from the package.
SDK_OTHER_NAMES = (
    "AsyncAssistantEventHandler",
    "AsyncOpenAI",
    "NOT_GIVEN",
    "NotGiven",
    "types",
    "__version__",
)


def _isort_style_key(name: str) -> tuple[int, str]:
    """Ruff's RUF022 order: SCREAMING_CASE, then CamelCase, then everything else."""
    if len(name) > 1 and name.isupper():
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


def test_all_is_sorted() -> None:
    names = list(aio_openai.__all__)
    assert names == sorted(names, key=_isort_style_key)
    assert len(names) == len(set(names))


def test_every_name_in_all_exists() -> None:
    missing = [name for name in aio_openai.__all__ if not hasattr(aio_openai, name)]
    assert missing == []


def test_star_import_gives_exactly_all() -> None:
    namespace: dict[str, object] = {}
    exec("from aio_openai import *", namespace)
    namespace.pop("__builtins__")
    assert sorted(namespace) == sorted(aio_openai.__all__)


@pytest.mark.parametrize("name", SDK_ERROR_NAMES + SDK_OTHER_NAMES)
def test_sdk_names_are_exported(name: str) -> None:
    assert name in aio_openai.__all__
    obj = getattr(aio_openai, name)
    if name.endswith("Error"):
        assert isinstance(obj, type)
        assert issubclass(obj, Exception)
        assert obj.__name__ == name


def test_public_classes_live_in_private_modules_but_are_reexported() -> None:
    for name in aio_openai.__all__:
        obj = getattr(aio_openai, name)
        module = getattr(obj, "__module__", "")
        if isinstance(obj, type):
            assert module.startswith("aio_openai."), (name, module)


def test_version_is_a_string() -> None:
    assert isinstance(aio_openai.__version__, str)
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", aio_openai.__version__)


def test_import_is_lazy_about_testing_and_resources() -> None:
    code = (
        "import json, sys, aio_openai; "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('aio_openai'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    loaded = json.loads(out)
    assert "aio_openai" in loaded
    assert "aio_openai._client" in loaded
    assert [m for m in loaded if m.startswith("aio_openai.testing")] == []
    assert [m for m in loaded if m.startswith("aio_openai.resources")] == []
    assert "aio_openai.cli" not in loaded


def test_resources_load_on_first_use() -> None:
    code = (
        "import sys, aio_openai; "
        "c = aio_openai.AsyncOpenAI(api_key='sk-x'); "
        "assert 'aio_openai.resources.models' not in sys.modules; "
        "m = c.models; "
        "assert 'aio_openai.resources.models' in sys.modules; "
        "assert c.models is m; "
        "assert 'aio_openai.testing' not in sys.modules; "
        "print('ok')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "ok", out.stderr
