"""A batch's input file read as OpenAI reads it, and each request run into an output line.

:func:`read_requests` checks the file the way OpenAI's validation does, with its error codes
(``empty_file``, ``too_many_tasks``, ``invalid_json_line``, ``missing_required_parameter``,
``duplicate_custom_id``, ``invalid_method``, ``url_mismatch``, ``model_mismatch``), each
error naming its line. :func:`run_request` runs one request through the fake's own JSON
operation for its url and gives the line of the output file (a 2xx answer) or of the error
file (an error answer, or ``error`` for a request that was never run).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs

from aio_openai.testing._checks import APIError
from aio_openai.testing._http import JSONOperation
from aio_openai.testing._shapes import new_id

__all__ = ["MAX_REQUESTS", "Request", "expired_line", "read_requests", "run_request"]

#: The most requests one batch file may hold.
MAX_REQUESTS: Final = 50_000


@attrs.frozen(kw_only=True)
class Request:
    """One checked line of an input file."""

    custom_id: str
    body: Mapping[str, Any]


def _error(code: str, message: str, line: int | None, param: str | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "param": param, "line": line}


def read_requests(
    content: bytes, endpoint: str
) -> tuple[list[Request], list[dict[str, Any]], str | None]:
    """The requests of an input file for ``endpoint``, the errors that fail the batch (empty
    when none), and the model every line names."""
    lines = [(n, text) for n, text in enumerate(content.splitlines(), 1) if text.strip()]
    if not lines:
        return [], [_error("empty_file", "The input file is empty.", None)], None
    if len(lines) > MAX_REQUESTS:
        message = f"The batch input file has more than {MAX_REQUESTS} requests."
        return [], [_error("too_many_tasks", message, None)], None
    requests: list[Request] = []
    errors: list[dict[str, Any]] = []
    seen: set[str] = set()
    model: str | None = None
    for number, text in lines:
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if not isinstance(data, dict):
            errors.append(
                _error("invalid_json_line", "This line is not parseable as valid JSON.", number)
            )
            continue
        problem = None
        custom_id, body = data.get("custom_id"), data.get("body")
        if not isinstance(custom_id, str) or not custom_id:
            problem = _error(
                "missing_required_parameter", "Missing 'custom_id'.", number, "custom_id"
            )
        elif custom_id in seen:
            problem = _error(
                "duplicate_custom_id",
                f"The custom_id '{custom_id}' is used by more than one request.",
                number,
                "custom_id",
            )
        elif data.get("method") != "POST":
            problem = _error("invalid_method", "The method must be POST.", number, "method")
        elif data.get("url") != endpoint:
            problem = _error(
                "url_mismatch",
                f"The url '{data.get('url')}' does not match the batch's endpoint '{endpoint}'.",
                number,
                "url",
            )
        elif not isinstance(body, dict):
            problem = _error("missing_required_parameter", "Missing 'body'.", number, "body")
        else:
            line_model = body.get("model")
            if model is None and isinstance(line_model, str):
                model = line_model
            elif isinstance(line_model, str) and line_model != model:
                problem = _error(
                    "model_mismatch",
                    "Every request of a batch must use the same model.",
                    number,
                    "body.model",
                )
        if problem is not None or not isinstance(custom_id, str) or not isinstance(body, dict):
            errors.append(problem or _error("invalid_json_line", "Invalid request.", number))
            continue
        seen.add(custom_id)
        requests.append(Request(custom_id=custom_id, body=body))
    return requests, errors, model


def _line(custom_id: str, status: int, body: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": new_id("batch_req_"),
        "custom_id": custom_id,
        "response": {"status_code": status, "request_id": new_id("req_"), "body": body},
        "error": None,
    }


def run_request(
    request: Request,
    operation: JSONOperation | None,
    knows_model: Callable[[str], bool],
    endpoint: str,
) -> tuple[bool, dict[str, Any]]:
    """Run one request; whether it succeeded, and its line of the output or error file."""
    body = dict(request.body)
    try:
        model = body.get("model")
        if operation is None:
            raise APIError(404, f"Invalid URL (POST {endpoint})")
        if isinstance(model, str) and not knows_model(model):
            raise APIError(
                404,
                f"The model `{model}` does not exist or you do not have access to it.",
                code="model_not_found",
            )
        if body.get("stream"):
            raise APIError(400, "Streaming is not supported in a batch.", param="stream")
        answer = operation(body)
    except APIError as exc:
        error = {"message": exc.message, "type": exc.type, "param": exc.param, "code": exc.code}
        return False, _line(request.custom_id, exc.status, {"error": error})
    return True, _line(request.custom_id, 200, answer)


def expired_line(request: Request) -> dict[str, Any]:
    """The error file's line of a request the batch expired before running."""
    return {
        "id": new_id("batch_req_"),
        "custom_id": request.custom_id,
        "response": None,
        "error": {
            "code": "batch_expired",
            "message": "This request could not be executed before the completion window expired.",
        },
    }
