"""Validate HTTP requests and responses against OpenAI's spec (checked-in fixtures).

The fixtures in ``fixtures/`` are subsets of OpenAI's OpenAPI documents made by
``derive_fixtures.py``: ``"v1"`` is the last Assistants-v1 spec (OpenAPI 3.0.0), ``"v2"`` the
newest upstream spec (OpenAPI 3.1.0, Assistants v2, Responses, Conversations). Nothing outside
the repository is read.

Typical use, with a request captured by a local test server::

    validate_request("v1", "POST", "/v1/assistants", captured.headers, captured.body)
    validate_response("v1", "GET", "/v1/models/gpt-4", 200, headers, body)

The spec's only server is ``https://api.openai.com/v1``. Captured URLs (``/v1/models``,
``http://127.0.0.1:PORT/v1/models?limit=2``) are rebuilt on ``https://api.openai.com`` with the
same path and query, so openapi-core matches them to the spec's operations. Paths must therefore
start with ``/v1``.

Two policies beyond the spec itself:

* The spec declares few error responses, but every OpenAI error body is an ``ErrorResponse``
  (``{"error": {"message", "type", "param", "code"}}``). When the documents are loaded, each
  operation gets ``4XX`` and ``5XX`` responses with that schema unless it declares its own; codes
  the spec declares (e.g. ``429`` in v2) keep their definition. So a 404 error body validates, and
  a 2xx status the operation does not declare is reported as an error.
* openapi-core warns (``DeprecationWarning``) when a request uses a parameter the spec marks as
  deprecated. Those warnings describe the spec, not a library problem, and are ignored here.

Spec validity of the fixtures is checked once by ``test_spec_fixtures.py``; loading skips it
(openapi-spec-validator needs about 5 s for the v2 fixture).
"""

from __future__ import annotations

import copy
import json
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final
from urllib.parse import parse_qsl, urlsplit

from jsonschema.exceptions import ValidationError as SchemaValidationError
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_schema_validator import OAS30Validator, OAS31Validator
from werkzeug.datastructures import Headers, ImmutableMultiDict

__all__ = [
    "FIXTURES_DIR",
    "SPEC_HOST_URL",
    "SPEC_PATH_PREFIX",
    "VERSIONS",
    "SpecRequest",
    "SpecResponse",
    "build_request",
    "build_response",
    "format_errors",
    "get_openapi",
    "load_examples",
    "load_fixture",
    "openapi_of",
    "request_errors",
    "request_errors_in",
    "response_errors",
    "response_errors_in",
    "validate_request",
    "validate_response",
    "validate_schema",
]

FIXTURES_DIR: Final = Path(__file__).resolve().parent / "fixtures"
VERSIONS: Final = ("v1", "v2")
#: Scheme and host of the spec's server (``https://api.openai.com/v1``).
SPEC_HOST_URL: Final = "https://api.openai.com"
#: Path of the spec's server: every request path starts with it.
SPEC_PATH_PREFIX: Final = "/v1"

_ERROR_SCHEMA_REF: Final = "#/components/schemas/ErrorResponse"
_HTTP_METHODS: Final = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Messages of the warnings openapi-core emits about deprecated parts of the *spec*.
_SPEC_DEPRECATION_MESSAGES: Final = (
    r".* parameter is deprecated",
    r".* header is deprecated",
)
_MAX_VALUE_CHARS: Final = 300
_MAX_ALTERNATIVES: Final = 3


# --------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------


def _check_version(version: str) -> None:
    if version not in VERSIONS:
        raise ValueError(f"unknown spec version {version!r}; expected one of {VERSIONS}")


@cache
def load_fixture(version: str) -> Mapping[str, Any]:
    """The OpenAPI fixture for ``version`` as parsed JSON (cached; do not modify it)."""
    _check_version(version)
    data: dict[str, Any] = json.loads(
        (FIXTURES_DIR / f"openapi-{version}.json").read_text(encoding="utf-8")
    )
    return data


@cache
def load_examples(version: str) -> Mapping[str, Any]:
    """The spec's own example responses for ``version`` (``operations`` and ``schemas``)."""
    _check_version(version)
    data: dict[str, Any] = json.loads(
        (FIXTURES_DIR / f"openapi-{version}.examples.json").read_text(encoding="utf-8")
    )
    return data


def _with_error_responses(spec: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``spec`` where each operation also answers 4XX/5XX with ErrorResponse."""
    doc = copy.deepcopy(dict(spec))
    for item in doc["paths"].values():
        for method in _HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for status_range in ("4XX", "5XX"):
                responses.setdefault(
                    status_range,
                    {
                        "description": "OpenAI error envelope (added by _spec.py)",
                        "content": {"application/json": {"schema": {"$ref": _ERROR_SCHEMA_REF}}},
                    },
                )
    return doc


@cache
def get_openapi(version: str) -> OpenAPI:
    """The openapi-core ``OpenAPI`` object for ``version`` (built once, then cached)."""
    spec = _with_error_responses(load_fixture(version))
    # The fixture's validity is tested separately; checking it here costs seconds per load.
    return OpenAPI.from_dict(spec, config=Config(spec_validator_cls=None))


def openapi_of(document: Mapping[str, Any]) -> OpenAPI:
    """An openapi-core ``OpenAPI`` for another document of OpenAI's (e.g. the whole spec that
    FakeOpenAI's generic mode serves), with the same error-response policy as the fixtures'."""
    return OpenAPI.from_dict(
        _with_error_responses(document), config=Config(spec_validator_cls=None)
    )


# --------------------------------------------------------------------------------------------
# Request and response objects (openapi_core.protocols.Request / Response)
# --------------------------------------------------------------------------------------------


@dataclass
class SpecRequest:
    """A request mapped onto the spec's server; implements ``openapi_core.protocols.Request``."""

    method: str
    """Lower-case HTTP method."""
    path: str
    """Path on the spec's host, starting with ``/v1``."""
    parameters: RequestParameters
    body: bytes | None = None
    content_type: str = ""
    host_url: str = SPEC_HOST_URL

    @property
    def full_url(self) -> str:
        return self.host_url + self.path


@dataclass
class SpecResponse:
    """A response; implements ``openapi_core.protocols.Response``."""

    status_code: int
    data: bytes | None = None
    content_type: str = "application/json"
    headers: Headers = field(default_factory=Headers)


def _as_bytes(body: bytes | str | None) -> bytes | None:
    if body is None:
        return None
    return body.encode("utf-8") if isinstance(body, str) else bytes(body)


def _headers(headers: Mapping[str, str] | Iterable[tuple[str, str]] | None) -> Headers:
    if headers is None:
        return Headers()
    items = list(headers.items()) if isinstance(headers, Mapping) else list(headers)
    return Headers(items)


def build_request(
    method: str,
    url: str,
    headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    body: bytes | str | None = None,
    *,
    content_type: str | None = None,
) -> SpecRequest:
    """Map a captured request onto the spec's server.

    ``url`` is a path with optional query (``/v1/models?limit=2``) or a full URL on any host
    (``http://127.0.0.1:8080/v1/models``); its path must start with ``/v1``. Headers are
    case-insensitive and may repeat (pass pairs). ``content_type`` defaults to the request's
    ``Content-Type`` header.
    """
    parts = urlsplit(url)
    path = parts.path or "/"
    if path != SPEC_PATH_PREFIX and not path.startswith(SPEC_PATH_PREFIX + "/"):
        raise AssertionError(
            f"request path {path!r} does not start with {SPEC_PATH_PREFIX!r}: the spec's server "
            f"is {SPEC_HOST_URL}{SPEC_PATH_PREFIX}, so the base URL must end in "
            f"{SPEC_PATH_PREFIX}"
        )
    header_map = _headers(headers)
    if content_type is None:
        content_type = header_map.get("Content-Type", "")
    query = ImmutableMultiDict(parse_qsl(parts.query, keep_blank_values=True))
    return SpecRequest(
        method=method.lower(),
        path=path,
        parameters=RequestParameters(query=query, header=header_map),
        body=_as_bytes(body),
        content_type=content_type.lower(),
    )


def build_response(
    status: int,
    headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    body: bytes | str | None = None,
    content_type: str = "application/json",
) -> SpecResponse:
    """A response object for :func:`response_errors`."""
    return SpecResponse(
        status_code=status,
        data=_as_bytes(body),
        content_type=content_type.lower(),
        headers=_headers(headers),
    )


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


def _collect(errors: Iterable[Exception]) -> list[Exception]:
    with warnings.catch_warnings():
        for message in _SPEC_DEPRECATION_MESSAGES:
            warnings.filterwarnings("ignore", message=message, category=DeprecationWarning)
        return list(errors)


def request_errors(version: str, request: SpecRequest) -> list[Exception]:
    """All openapi-core errors for ``request`` (empty when it conforms)."""
    return request_errors_in(get_openapi(version), request)


def request_errors_in(openapi: OpenAPI, request: SpecRequest) -> list[Exception]:
    """All errors for ``request`` in the document ``openapi`` (see :func:`openapi_of`)."""
    return _collect(openapi.iter_request_errors(request))


def response_errors(version: str, request: SpecRequest, response: SpecResponse) -> list[Exception]:
    """All openapi-core errors for ``response`` to ``request`` (empty when it conforms)."""
    return response_errors_in(get_openapi(version), request, response)


def response_errors_in(
    openapi: OpenAPI, request: SpecRequest, response: SpecResponse
) -> list[Exception]:
    """All errors for ``response`` to ``request`` in the document ``openapi``."""
    return _collect(openapi.iter_response_errors(request, response))


def _leaves(error: SchemaValidationError) -> list[SchemaValidationError]:
    """The innermost errors under an anyOf/oneOf failure."""
    if not error.context:
        return [error]
    return [leaf for sub in error.context for leaf in _leaves(sub)]


def _clip(text: str) -> str:
    return text if len(text) <= _MAX_VALUE_CHARS else text[: _MAX_VALUE_CHARS - 3] + "..."


def _schema_error_lines(error: SchemaValidationError, indent: str) -> list[str]:
    lines = [f"{indent}{error.json_path}: {_clip(error.message)}"]
    if error.context:
        # anyOf/oneOf: the deepest failures show how far the closest alternatives matched.
        leaves = sorted(_leaves(error), key=lambda e: len(e.absolute_path), reverse=True)
        seen: set[tuple[str, str]] = set()
        for leaf in leaves:
            key = (leaf.json_path, leaf.message)
            if key in seen:
                continue
            seen.add(key)
            lines.append(
                f"{indent}  deepest alternative error: {leaf.json_path}: {_clip(leaf.message)}"
            )
            if len(seen) == _MAX_ALTERNATIVES:
                break
    return lines


def _label(error: Exception) -> str:
    """The error's class, with the parameter or header it is about."""
    name = getattr(error, "name", None)
    if not isinstance(name, str):
        return type(error).__name__
    location = getattr(error, "location", "response header")
    return f"{type(error).__name__} ({location} {name!r})"


def format_errors(title: str, errors: Iterable[Exception]) -> str:
    """One readable message for a list of openapi-core (or jsonschema) errors."""
    lines = [title]
    for error in errors:
        if isinstance(error, SchemaValidationError):
            lines.extend(_schema_error_lines(error, "  "))
            continue
        cause = error.__cause__
        schema_errors = list(getattr(cause, "schema_errors", None) or ())
        if schema_errors:
            lines.append(f"- {_label(error)}: {len(schema_errors)} schema error(s)")
            for schema_error in schema_errors:
                if isinstance(schema_error, SchemaValidationError):
                    lines.extend(_schema_error_lines(schema_error, "    "))
                else:
                    lines.append(f"    {schema_error}")
        elif cause is not None:
            lines.append(f"- {_label(error)}: {type(cause).__name__}: {cause}")
        else:
            lines.append(f"- {_label(error)}: {error}")
    return "\n".join(lines)


def validate_request(
    version: str,
    method: str,
    url: str,
    headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
    body: bytes | str | None = None,
    *,
    content_type: str | None = None,
) -> None:
    """Assert that a request conforms to the spec ``version`` (``"v1"`` or ``"v2"``).

    Checks the operation exists, security (``Authorization: Bearer ...``), path, query and header
    parameters and the body. See :func:`build_request` for ``url``, ``headers``, ``content_type``.
    Raises ``AssertionError`` listing every error.
    """
    request = build_request(method, url, headers, body, content_type=content_type)
    errors = request_errors(version, request)
    if errors:
        raise AssertionError(
            format_errors(
                f"{method.upper()} {request.path} does not conform to the {version} spec:",
                errors,
            )
        )


def validate_response(
    version: str,
    method: str,
    path: str,
    status: int,
    headers: Mapping[str, str] | Iterable[tuple[str, str]] | None,
    body: bytes | str | None,
    content_type: str = "application/json",
) -> None:
    """Assert that a response to ``method path`` conforms to the spec ``version``.

    ``path`` is the request's path or URL, as for :func:`build_request` (``/v1/models/gpt-4``).
    4xx/5xx bodies are checked against ``ErrorResponse`` unless the operation declares that
    status itself. Raises ``AssertionError`` listing every error.
    """
    request = build_request(method, path)
    response = build_response(status, headers, body, content_type)
    errors = response_errors(version, request, response)
    if errors:
        raise AssertionError(
            format_errors(
                f"response {status} to {method.upper()} {request.path} does not conform to the "
                f"{version} spec:",
                errors,
            )
        )


@cache
def _schema_validator(version: str, schema_name: str) -> Any:
    spec = load_fixture(version)
    if schema_name not in spec["components"]["schemas"]:
        raise KeyError(f"schema {schema_name!r} is not in the {version} fixture")
    root = {"$ref": f"#/components/schemas/{schema_name}", "components": spec["components"]}
    cls = OAS31Validator if str(spec["openapi"]).startswith("3.1") else OAS30Validator
    return cls(root, format_checker=cls.FORMAT_CHECKER)


def validate_schema(version: str, schema_name: str, instance: Any) -> None:
    """Assert that ``instance`` (parsed JSON) matches ``components.schemas[schema_name]``.

    For bodies that are not a whole HTTP body, e.g. one server-sent event of a stream or an
    example from ``load_examples``. Raises ``AssertionError`` listing every error.
    """
    errors = sorted(
        _schema_validator(version, schema_name).iter_errors(instance), key=lambda e: e.json_path
    )
    if errors:
        raise AssertionError(
            format_errors(
                f"{_clip(repr(instance))} does not match {schema_name} in the {version} spec:",
                errors,
            )
        )
