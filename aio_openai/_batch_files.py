"""OpenAI's Batch API file format: the requests file read and checked, the output file written
and resumed (``aio-openai batch`` runs the requests through :func:`fan_out`, see
:mod:`aio_openai._batch_runner`).

::

    aio-openai batch requests.jsonl -o results.jsonl [--concurrency N] [--retry-failed]

The input is the JSONL file OpenAI's Batch API takes, one request a line::

    {"custom_id": "req-1", "method": "POST", "url": "/v1/chat/completions", "body": {...}}

``url`` is any endpoint this client speaks (the table the resource methods declare, see
``aio_openai.resources.endpoints``), relative to the base URL after its ``/v1`` prefix; ``method``
must be one that endpoint takes. The body is sent as it is, as OpenAI's Batch API does. The
output gets one line per answered request, in the Batch API's output format::

    {"id": "batch_req_...", "custom_id": "req-1",
     "response": {"status_code": 200, "request_id": "req_...", "body": {...}}, "error": null}

A request the server answered with an error status is an answer like any other (its status
and error body in ``response``, ``error`` null), as in OpenAI's error file; one that got no
answer (connection refused or reset, timed out) has ``response`` null and ``error``
``{"code", "message"}``. Successes and failures share the one output file, in the order they
completed.

Each line is written (one ``write``, unbuffered) as soon as its call completes, so a killed run
loses no finished line. Re-running with the same output resumes: custom_ids already in it are
skipped (``--retry-failed`` first drops the lines without a 2xx answer, atomically, and sends
those again). An incomplete last line, left by a crash mid-write, is dropped. Bad input lines
(not JSON, no custom_id, unknown url or method, a custom_id seen before) are reported on
stderr with their line number and skipped. An error that dooms every later call (a refused API
key, insufficient_quota) stops the run; its calls are not written, so a re-run sends them.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Collection, Generator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Final
from urllib.parse import unquote

import attrs
from yarl import URL

from ._endpoints import Endpoint
from ._exceptions import APIConnectionError, APIStatusError, APITimeoutError, OpenAIError
from ._fanout import Result
from ._request import quote_segment
from ._response import APIResponse
from .ratelimit import TokenLimitExceededError
from .resources import lookup

if TYPE_CHECKING:
    from ._http import HTTPResponse

__all__ = [
    "BadLine",
    "BatchRequest",
    "OutputFile",
    "OutputFileError",
    "ScanCount",
    "output_record",
    "parse_request",
    "read_answered",
    "scan_requests",
]


# -- the input ----------------------------------------------------------------------------------


class BadLine(ValueError):
    """A line of the requests file that cannot be sent; ``message`` says why."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@attrs.frozen(kw_only=True)
class BatchRequest:
    """One request line, checked: what to send, and where it came from."""

    line: int
    custom_id: str
    method: str
    path: str
    query: Mapping[str, str | list[str]] | None = None
    body: Mapping[str, Any] | None = None
    endpoint: Endpoint


def _resolve(method: str, url: str, line: int) -> tuple[Endpoint, str, dict[str, Any] | None]:
    """The endpoint, the path relative to the base URL (ids re-quoted) and the query of a url."""
    try:
        parsed = URL(url)
    except ValueError:
        raise BadLine(line, f"unknown url {url!r}") from None
    raw = parsed.raw_path
    if parsed.absolute or parsed.fragment or not raw.startswith("/v1/"):
        raise BadLine(line, f"unknown url {url!r}: expected a path like /v1/chat/completions")
    segments = [unquote(s) for s in raw.removeprefix("/v1/").split("/")]
    if any(s in ("", ".", "..") for s in segments):
        raise BadLine(line, f"unknown url {url!r}")
    candidates = lookup(segments)
    if not candidates:
        raise BadLine(line, f"unknown url {url!r}: not an endpoint this client speaks")
    endpoint = next((e for e in candidates if e.method == method), None)
    if endpoint is None:
        allowed = ", ".join(e.method for e in candidates)
        raise BadLine(
            line, f"method {method} not supported for {candidates[0].describe()} (use {allowed})"
        )
    path = "/" + "/".join(quote_segment(s) for s in segments)
    query: dict[str, Any] | None = None
    if parsed.query:
        query = {}
        for key in parsed.query:
            values = parsed.query.getall(key)
            query[key] = values[0] if len(values) == 1 else list(values)
    return endpoint, path, query


#: What json's messages mean, said for a person reading a JSONL file.
_JSON_ERRORS: Final = {
    "Expecting value": "a value is missing",
    "Expecting property name enclosed in double quotes": "a key is not in double quotes",
    "Expecting ':' delimiter": "a ':' is missing after a key",
    "Expecting ',' delimiter": "a ',' is missing between two items",
    "Unterminated string starting at": "a string is not closed",
    "Invalid control character at": "a string holds a raw control character (escape it)",
    "Invalid \\escape": "a string holds an invalid backslash escape",
    "Invalid \\uXXXX escape": "a string holds an invalid \\u escape",
    "Extra data": "more text follows the JSON value",
}


def _json_error(exc: ValueError) -> str:
    """What is wrong with a line that is not valid JSON, in words, with its column."""
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 text (byte {exc.object[exc.start]:#04x} at byte {exc.start + 1})"
    if not isinstance(exc, json.JSONDecodeError):
        return str(exc)
    if not exc.doc.strip():
        return "empty"
    if exc.pos >= len(exc.doc.rstrip()) and exc.msg != "Extra data":
        return "the line ends before the JSON value does (cut short?)"
    words = _JSON_ERRORS.get(exc.msg, exc.msg[:1].lower() + exc.msg[1:])
    return f"{words}, at column {exc.colno}"


def _load_line(text: str | bytes) -> Any:
    """The JSON value of one line; ValueError says what is wrong, in words."""
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ValueError(f"not valid JSON: {_json_error(exc)}") from None


def parse_request(text: str | bytes, line: int) -> BatchRequest:
    """Check one line of a requests file; BadLine says what is wrong with it."""
    try:
        data = _load_line(text)
    except ValueError as exc:
        raise BadLine(line, str(exc)) from None
    if not isinstance(data, dict):
        raise BadLine(line, "not a JSON object")
    custom_id = data.get("custom_id")
    if not isinstance(custom_id, str) or not custom_id:
        raise BadLine(line, "missing custom_id (a non-empty string)")
    method, url, body = data.get("method"), data.get("url"), data.get("body")
    if not isinstance(method, str) or not method:
        raise BadLine(line, f"{custom_id!r}: missing method")
    if not isinstance(url, str) or not url:
        raise BadLine(line, f"{custom_id!r}: missing url")
    method = method.upper()
    try:
        endpoint, path, query = _resolve(method, url, line)
    except BadLine as exc:
        raise BadLine(line, f"{custom_id!r}: {exc.message}") from None
    if body is not None and not isinstance(body, dict):
        raise BadLine(line, f"{custom_id!r}: body must be a JSON object")
    if method != "POST" and body:
        raise BadLine(line, f"{custom_id!r}: a {method} request takes no body")
    if isinstance(body, dict) and body.get("stream") is True:
        raise BadLine(line, f"{custom_id!r}: streaming is not supported in a batch")
    return BatchRequest(
        line=line,
        custom_id=custom_id,
        method=method,
        path=path,
        query=query,
        body=body if method == "POST" else None,
        endpoint=endpoint,
    )


@attrs.define
class ScanCount:
    """What a pass over the requests file counted."""

    lines: int = 0
    bad: int = 0
    answered: int = 0
    to_send: int = 0


def scan_requests(
    path: Path,
    answered: Collection[str],
    tally: ScanCount,
    on_bad: Callable[[BadLine], None] | None,
) -> Generator[BatchRequest, None, None]:
    """The requests of ``path`` to send, lazily: valid, first of their custom_id, unanswered."""
    first_line: dict[str, int] = {}
    with path.open("rb") as lines:
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            tally.lines += 1
            try:
                request = parse_request(text, number)
                first = first_line.setdefault(request.custom_id, number)
                if first != number:
                    raise BadLine(
                        number, f"duplicate custom_id {request.custom_id!r} (first on line {first})"
                    )
            except BadLine as exc:
                tally.bad += 1
                if on_bad is not None:
                    on_bad(exc)
                continue
            if request.custom_id in answered:
                tally.answered += 1
                continue
            tally.to_send += 1
            yield request


# -- the output ---------------------------------------------------------------------------------


class OutputFileError(ValueError):
    """The output file is not a batch output file this command can resume."""


def _read_output(path: Path, on_record: Callable[[int, int, bytes, dict[str, Any]], None]) -> int:
    """Call ``on_record(offset, line, raw, record)`` for each line; return the clean length.

    A last line without its newline that is not valid JSON was cut short by a crash: it is
    not reported, and the length returned ends before it.
    """
    offset = 0
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                offset += len(raw)
                continue
            try:
                record = _load_line(raw)
            except ValueError as exc:
                if not raw.endswith(b"\n"):
                    return offset  # the torn last line of an interrupted write
                raise OutputFileError(f"{path}:{number}: {exc}") from None
            if not isinstance(record, dict) or not isinstance(record.get("custom_id"), str):
                raise OutputFileError(f"{path}:{number}: not a batch output line (no custom_id)")
            on_record(offset, number, raw, record)
            offset += len(raw)
    return offset


def _succeeded(record: Mapping[str, Any]) -> bool:
    response = record.get("response")
    status = response.get("status_code") if isinstance(response, Mapping) else None
    return isinstance(status, int) and 200 <= status < 300 and record.get("error") is None


def read_answered(path: Path, *, retry_failed: bool = False) -> tuple[set[str], list[str]]:
    """The custom_ids the output file ``path`` answers, made ready to append to.

    Returns the ids and notes about what was repaired. An incomplete last line is cut off; a
    last line without its newline gets one. With ``retry_failed``, lines without a 2xx answer
    are removed (the file is rewritten, then atomically replaced) and their ids not returned.
    Raises OutputFileError for a file that is not a batch output file.
    """
    answered: set[str] = set()
    notes: list[str] = []
    if not path.exists():
        return answered, notes
    failed: list[int] = []

    def record(offset: int, number: int, raw: bytes, data: dict[str, Any]) -> None:
        if retry_failed and not _succeeded(data):
            failed.append(number)
        else:
            answered.add(data["custom_id"])

    clean = _read_output(path, record)
    size = path.stat().st_size
    if clean < size:
        with path.open("r+b") as torn:
            torn.truncate(clean)
        notes.append(f"dropped an incomplete last line ({size - clean} bytes) of {path}")
    elif size:
        with path.open("rb") as end:
            end.seek(-1, os.SEEK_END)
            last = end.read(1)
        if last != b"\n":
            with path.open("ab") as unfinished:
                unfinished.write(b"\n")
    if failed:
        _drop_lines(path, set(failed))
        notes.append(
            f"removed {len(failed):,} failed answer{'' if len(failed) == 1 else 's'} from {path} "
            f"to send {'it' if len(failed) == 1 else 'them'} again"
        )
    return answered, notes


def _drop_lines(path: Path, numbers: set[int]) -> None:
    """Rewrite ``path`` without the lines ``numbers`` (1-based), replacing it atomically."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out, path.open("rb") as lines:
            for number, raw in enumerate(lines, start=1):
                if number not in numbers:
                    out.write(raw)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _body(response: HTTPResponse) -> Any:
    """The body of a response as JSON, else as text (None when empty)."""
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.content.decode("utf-8", "replace")


def output_record(
    request: BatchRequest,
    result: Result[BatchRequest, APIResponse[Any]],
    describe: Callable[[OpenAIError], str],
) -> dict[str, Any]:
    """The output line for one request's result, in the Batch API's output format; a request
    without an answer gets ``describe(error)`` as its error message."""
    response: dict[str, Any] | None = None
    error: dict[str, str] | None = None
    value, exc = result.value, result.error
    if value is not None:
        response = {"status_code": value.status_code, "request_id": value.request_id}
        try:
            response["body"] = value.json()
        except OpenAIError as invalid:  # a 2xx whose body is not JSON
            response["body"] = value.text
            error = {"code": "invalid_response", "message": invalid.args[0]}
    elif isinstance(exc, APIStatusError):
        response = {
            "status_code": exc.status_code,
            "request_id": exc.request_id,
            "body": _body(exc.response),
        }
    elif isinstance(exc, APITimeoutError):
        error = {"code": "timeout", "message": describe(exc)}
    elif isinstance(exc, APIConnectionError):
        error = {"code": "connection_error", "message": describe(exc)}
    elif isinstance(exc, TokenLimitExceededError):
        error = {"code": "token_limit_exceeded", "message": str(exc)}
    elif isinstance(exc, OpenAIError):
        error = {"code": "client_error", "message": str(exc)}
    else:  # not an API failure: a bug, never hidden in the output
        assert exc is not None
        raise exc
    return {
        "id": f"batch_req_{os.urandom(16).hex()}",
        "custom_id": request.custom_id,
        "response": response,
        "error": error,
    }


class OutputFile:
    """The output file, appended to one whole line per ``write`` (unbuffered, no loss)."""

    def __init__(self, path: Path, redact: Callable[[str], str]) -> None:
        self._file: BinaryIO = open(path, "ab", buffering=0)  # noqa: SIM115
        self._redact = redact

    def write(self, record: Mapping[str, Any]) -> None:
        data = (self._redact(json.dumps(record, ensure_ascii=False)) + "\n").encode()
        view = memoryview(data)
        while view:  # a regular file takes it whole; loop for the odd partial write
            written = self._file.write(view)
            view = view[written or 0 :]

    def close(self) -> None:
        self._file.close()
