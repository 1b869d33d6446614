"""A Batch API requests file run through OpenAI's Batch API (``aio-openai batch --submit``).

Where :mod:`aio_openai._batch_runner` sends each request now, this hands the file to OpenAI:

1. the requests file is checked (:func:`~aio_openai._batch_files.scan_requests`, plus what the
   Batch API adds: POST only, one of its endpoints, no query) and split into parts, one per
   endpoint and model (a batch runs one of each), each at most ``max_requests`` lines and
   ``max_bytes`` bytes (50,000 and 200 MB, OpenAI's limits);
2. each part is uploaded (``files.create(purpose="batch")``) and becomes a batch;
3. every batch is polled (the package's poll loop) until it ends, its request counts moving
   the progress bar;
4. a batch that ended has its output and error files downloaded and its requests written to
   the output in the order of its part, in the online runner's output format. A request
   neither file answers (its batch failed, expired or was cancelled) gets ``response`` null
   and ``error`` ``{"code", "message"}`` saying why, so ``--retry-failed`` sends it again.

The run's state (its parts, their file and batch ids) is kept in ``OUTPUT.batches.json`` and
the part files in ``OUTPUT.batches/``, both removed when every part is written: a run that
crashed is resumed by running it again (its batches are not submitted twice), or from the
batch ids alone (``batch_ids``). Cancelling the run (Ctrl-C, or cancelling its task)
cancels the batches it submitted and forgets them; an error (a network outage while
polling) leaves them running, for a resume.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, TextIO, cast, get_args, get_type_hints

import attrs

from ._batch_files import (
    BadLine,
    BatchRequest,
    OutputFile,
    OutputFileError,
    ScanCount,
    read_answered,
    scan_requests,
)
from ._batch_runner import BatchSummary
from ._describe import plural
from ._polling import poll_until
from ._progress import Progress, write_line
from .types.batch_create_params import BatchCreateParams

if TYPE_CHECKING:
    from ._client import AsyncOpenAI
    from ._response import APIResponse
    from .types.batch import Batch

__all__ = [
    "DEFAULT_SUBMIT_POLL_INTERVAL_MS",
    "TERMINAL",
    "SubmitLimits",
    "state_paths",
    "submit_batch",
]

#: The wait between looks at the batches when the server names none.
DEFAULT_SUBMIT_POLL_INTERVAL_MS: Final = 15_000
#: The statuses a batch does not leave.
TERMINAL: Final = frozenset({"completed", "failed", "expired", "cancelled"})
#: The endpoints a batch may run (the API's list, as ``batches.create`` types its ``endpoint``).
_ENDPOINTS: Final[frozenset[str]] = frozenset(
    get_args(get_type_hints(BatchCreateParams)["endpoint"])
)
#: What a request neither file answers gets, by its batch's final status.
_UNANSWERED: Final = {
    "failed": "batch_failed",
    "expired": "batch_expired",
    "cancelled": "batch_cancelled",
    "completed": "batch_no_answer",
}


@attrs.frozen(kw_only=True)
class SubmitLimits:
    """The most requests and bytes one batch's input file may hold (OpenAI's limits)."""

    max_requests: int = 50_000
    max_bytes: int = 200 * 1024 * 1024

    def __attrs_post_init__(self) -> None:
        if self.max_requests < 1 or self.max_bytes < 1:
            raise ValueError(f"limits must be at least 1, got {self}")


def state_paths(output: Path) -> tuple[Path, Path]:
    """The state file and the parts directory of a submitted run writing ``output``."""
    return output.with_name(output.name + ".batches.json"), output.with_name(
        output.name + ".batches"
    )


# -- the parts and their state -------------------------------------------------------------------


@attrs.define(kw_only=True)
class _Part:
    """One batch of the run: its input file here and its ids at OpenAI."""

    number: int
    url: str | None = None
    requests: int | None = None
    input_file_id: str | None = None
    batch_id: str | None = None
    submitted_here: bool = True
    written: bool = False


class _State:
    """The run's parts, saved (atomically) to the state file at every change."""

    def __init__(self, output: Path, parts: list[_Part]) -> None:
        self.file, self.directory = state_paths(output)
        self.parts = parts

    def part_file(self, part: _Part, kind: str = "input") -> Path:
        return self.directory / f"part-{part.number}.{kind}.jsonl"

    @classmethod
    def load(cls, output: Path) -> _State | None:
        file, _ = state_paths(output)
        if not file.exists():
            return None
        try:
            data = json.loads(file.read_bytes())
            parts = [_Part(**p) for p in data["parts"]]
        except (ValueError, KeyError, TypeError) as exc:
            raise OutputFileError(f"{file}: not the state of a submitted run ({exc})") from None
        return cls(output, parts)

    def save(self) -> None:
        data = json.dumps({"parts": [attrs.asdict(p) for p in self.parts]}, indent=1).encode()
        tmp = self.file.with_name(self.file.name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, self.file)

    def remove(self) -> None:
        self.file.unlink(missing_ok=True)
        shutil.rmtree(self.directory, ignore_errors=True)


def _submittable(request: BatchRequest) -> str:
    """The url of a request the Batch API can run; BadLine says why it cannot."""
    url = "/v1" + request.path
    if request.method != "POST" or url not in _ENDPOINTS or request.query:
        raise BadLine(
            request.line,
            f"{request.custom_id!r}: the Batch API runs POSTs to "
            f"{', '.join(sorted(_ENDPOINTS))} only, not {request.method} {url}"
            + ("?..." if request.query else ""),
        )
    return url


def _split(
    requests: Iterator[BatchRequest],
    state: _State,
    limits: SubmitLimits,
    tally: ScanCount,
    on_bad: Callable[[BadLine], None],
) -> None:
    """Write the requests into part files, one run of parts per endpoint and model."""
    state.directory.mkdir(exist_ok=True)
    open_parts: dict[tuple[str, str], tuple[_Part, IO[bytes], list[int]]] = {}

    def close(key: tuple[str, str]) -> None:
        part, file, (count, _) = open_parts.pop(key)
        file.close()
        part.requests = count

    try:
        for request in requests:
            try:
                url = _submittable(request)
            except BadLine as exc:
                tally.bad += 1
                tally.to_send -= 1
                on_bad(exc)
                continue
            model = (request.body or {}).get("model")
            key = (url, model if isinstance(model, str) else "")
            data = {"custom_id": request.custom_id, "method": "POST", "url": url}
            line = (json.dumps({**data, "body": request.body or {}}) + "\n").encode()
            current = open_parts.get(key)
            if current is not None:
                _, _, (count, size) = current
                if count >= limits.max_requests or size + len(line) > limits.max_bytes:
                    close(key)
                    current = None
            if current is None:
                part = _Part(number=len(state.parts) + 1, url=url)
                state.parts.append(part)
                current = open_parts[key] = (part, state.part_file(part).open("wb"), [0, 0])
            _, file, counts = current
            file.write(line)
            counts[0] += 1
            counts[1] += len(line)
    finally:
        for key in list(open_parts):
            close(key)


# -- the run ---------------------------------------------------------------------------------------


class _Run:
    """One submitted run: its client, state, output and progress."""

    def __init__(
        self,
        client: AsyncOpenAI,
        state: _State,
        output: OutputFile,
        answered: Collection[str],
        summary: BatchSummary,
        *,
        poll_interval_ms: int | None,
        say: Callable[[str], None],
    ) -> None:
        self.client = client
        self.state = state
        self.output = output
        self.answered = answered
        self.summary = summary
        self.poll_interval_ms = poll_interval_ms
        self.say = say
        self.progress: Progress | None = None
        self.counted: dict[int, int] = {}

    async def submit(self, part: _Part) -> None:
        """Upload a part's file and create its batch (each saved as soon as it exists)."""
        assert part.url is not None
        if part.input_file_id is None:
            uploaded = await self.client.files.create(
                file=self.state.part_file(part), purpose="batch"
            )
            part.input_file_id = uploaded.id
            self.state.save()
        batch = await self.client.batches.create(
            input_file_id=part.input_file_id,
            endpoint=cast(Any, part.url),  # one of _ENDPOINTS
            completion_window="24h",
        )
        part.batch_id = batch.id
        self.state.save()
        self.say(f"submitted {batch.id}: {plural(part.requests or 0, 'request')} to {part.url}")

    async def first_look(self, part: _Part) -> None:
        """Look at a resumed part's batch once: its request count (NotFoundError if none)."""
        assert part.batch_id is not None
        batch = await self.client.batches.retrieve(part.batch_id)
        if part.requests is None and batch.request_counts is not None:
            part.requests = batch.request_counts.total or None

    def _count(self, part: _Part, batch: Batch) -> None:
        counts = batch.request_counts
        if self.progress is None or counts is None:
            return
        done = counts.completed + counts.failed
        for _ in range(done - self.counted.get(part.number, 0)):
            self.progress.advance()
        self.counted[part.number] = max(done, self.counted.get(part.number, 0))

    async def wait(self, part: _Part) -> Batch:
        """Poll a part's batch until it ends; return it."""
        assert part.batch_id is not None
        batch_id = part.batch_id

        async def look() -> APIResponse[Batch]:
            answer: APIResponse[Batch] = await self.client.batches.with_raw_response.retrieve(
                batch_id
            )
            self._count(part, answer.parse())
            return answer

        response = await poll_until(
            look,
            terminal=TERMINAL,
            policy=self.client.retry_policy,
            poll_interval_ms=self.poll_interval_ms,
            noun="Batch",
        )
        return response.parse()

    async def _download(self, file_id: str | None, path: Path) -> Path | None:
        if file_id is None:
            return None
        async with self.client.files.with_streaming_response.content(file_id) as response:
            await response.stream_to_file(path)
        return path

    async def collect(self, part: _Part, batch: Batch) -> None:
        """Write the answers of an ended batch to the output, in its part's order."""
        state = self.state
        state.directory.mkdir(exist_ok=True)
        source = state.part_file(part)
        if not source.exists():  # resumed from its batch id alone
            await self._download(batch.input_file_id, source)
        found = [
            await self._download(batch.output_file_id, state.part_file(part, "output")),
            await self._download(batch.error_file_id, state.part_file(part, "errors")),
        ]
        where: dict[str, tuple[int, int]] = {}
        for index, path in enumerate(found):
            if path is not None:
                where.update((cid, (index, at)) for cid, at in _offsets(path))
        reasons = _line_errors(batch)
        files = [path.open("rb") if path is not None else None for path in found]
        try:
            with source.open("rb") as lines:
                for number, raw in enumerate(lines, start=1):
                    if not raw.strip():
                        continue
                    custom_id = _custom_id(raw)
                    if custom_id is None or custom_id in self.answered:
                        continue
                    spot = where.get(custom_id)
                    if spot is not None:
                        file = files[spot[0]]
                        assert file is not None
                        file.seek(spot[1])
                        record = _record(json.loads(file.readline()))
                    else:
                        record = _unanswered(custom_id, batch, reasons.get(number, reasons.get(0)))
                    self._write(record)
        finally:
            for file in files:
                if file is not None:
                    file.close()
        if self.progress is not None and batch.request_counts is not None:
            left = (part.requests or 0) - self.counted.get(part.number, 0)
            for _ in range(max(left, 0)):
                self.progress.advance(error=True)
        part.written = True
        self.state.save()
        for kind in ("input", "output", "errors"):
            state.part_file(part, kind).unlink(missing_ok=True)
        self.say(f"{batch.id} {batch.status}: its answers are written")

    def _write(self, record: dict[str, Any]) -> None:
        summary = self.summary
        self.output.write(record)
        summary.written += 1
        summary.sent += 1
        response, error = record["response"], record["error"]
        status = response.get("status_code") if isinstance(response, dict) else None
        if error is not None:
            summary.no_answer += 1
            summary.failures[str(error.get("code"))] += 1
        elif isinstance(status, int) and 200 <= status < 300:
            summary.ok += 1
        else:
            summary.failures[f"{status}"] += 1

    async def cancel(self) -> None:
        """Cancel the batches this run submitted that are not done; forget the run."""
        ids = [p.batch_id for p in self.state.parts if p.submitted_here and not p.written]
        for batch_id in ids:
            if batch_id is None:
                continue
            try:
                await self.client.batches.cancel(batch_id)
            except Exception as exc:  # a batch that has ended cannot be cancelled: fine
                self.say(f"could not cancel {batch_id}: {exc}")
            else:
                self.say(f"cancelled {batch_id}")
        self.state.remove()


def _custom_id(raw: bytes) -> str | None:
    """The custom_id of an input line (None for a line a failed batch refused as no JSON)."""
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    custom_id = data.get("custom_id") if isinstance(data, dict) else None
    return custom_id if isinstance(custom_id, str) else None


def _offsets(path: Path) -> Iterator[tuple[str, int]]:
    """(custom_id, offset) of each line of an output or error file."""
    at = 0
    with path.open("rb") as lines:
        for raw in lines:
            if raw.strip():
                yield json.loads(raw)["custom_id"], at
            at += len(raw)


def _record(line: dict[str, Any]) -> dict[str, Any]:
    """An output or error file's line in the output format (its keys in the runner's order)."""
    return {
        "id": line.get("id"),
        "custom_id": line["custom_id"],
        "response": line.get("response"),
        "error": line.get("error"),
    }


def _line_errors(batch: Batch) -> dict[int, str]:
    """A failed batch's error messages by line of its input (0: the whole file's)."""
    reasons: dict[int, str] = {}
    for error in (batch.errors.data or []) if batch.errors is not None else []:
        text = f"{error.code}: {error.message}" if error.code else str(error.message)
        reasons.setdefault(error.line or 0, text)
    return reasons


def _unanswered(custom_id: str, batch: Batch, reason: str | None) -> dict[str, Any]:
    code = _UNANSWERED.get(batch.status, f"batch_{batch.status}")
    message = f"batch {batch.id} ended {batch.status} without answering this request"
    if reason:
        message += f" ({reason})"
    return {
        "id": f"batch_req_{os.urandom(16).hex()}",
        "custom_id": custom_id,
        "response": None,
        "error": {"code": code, "message": message},
    }


async def submit_batch(
    client: AsyncOpenAI,
    input_path: Path | None,
    output_path: Path,
    *,
    batch_ids: Collection[str] = (),
    limits: SubmitLimits = SubmitLimits(),  # frozen
    poll_interval_ms: int | None = DEFAULT_SUBMIT_POLL_INTERVAL_MS,
    retry_failed: bool = False,
    err: TextIO = sys.stderr,
    redact: Callable[[str], str] = lambda text: text,
    summary: BatchSummary | None = None,
) -> BatchSummary:
    """Run the requests of ``input_path`` through OpenAI's Batch API, writing the answers to
    ``output_path`` as :func:`~aio_openai._batch_runner.run_batch` does.

    A run whose state ``output_path.batches.json`` exists is resumed (nothing is submitted
    again); ``batch_ids`` resume from the batches alone (``input_path`` may then be None).
    Requests already answered in the output are skipped (``retry_failed``: but those without
    a 2xx answer). Bad lines, and lines the Batch API cannot run, are reported on ``err`` and
    skipped; so are the batches submitted, and a progress bar. Returns the summary (kept up
    to date as the run goes). Cancelling cancels the batches the run submitted. Raises
    OSError for a file that cannot be read or written, OutputFileError for an output (or
    state) file that is not one, ValueError for neither an input nor batch ids, and the API
    errors of an upload, a batch's creation or a look at it (the run is then resumable).
    """
    if input_path is None and not batch_ids:
        raise ValueError("give a requests file, batch ids or both")
    if summary is None:
        summary = BatchSummary(input=input_path or Path("-"), output=output_path)
    if input_path is not None and output_path.exists() and output_path.samefile(input_path):
        raise OutputFileError("the output file is the requests file")
    answered, summary.notes = read_answered(output_path, retry_failed=retry_failed)

    def say(text: str) -> None:
        write_line(err, redact(text))

    def report(bad: BadLine) -> None:
        err.write(redact(f"{input_path}:{bad.line}: skipped: {bad.message}") + "\n")

    saved = _State.load(output_path)
    if batch_ids:
        known = {p.batch_id: p for p in saved.parts} if saved is not None else {}
        parts = [
            known.get(b) or _Part(number=n, batch_id=b, submitted_here=False)
            for n, b in enumerate(batch_ids, start=1)
        ]
        state = _State(output_path, parts)
    else:
        state = saved or _State(output_path, [])
    tally = ScanCount()
    if input_path is not None:
        requests = scan_requests(input_path, answered, tally, report)
        try:
            if saved is None and not batch_ids:
                _split(requests, state, limits, tally, report)
            else:
                for _ in requests:
                    pass
        finally:
            requests.close()
    err.flush()
    summary.lines, summary.bad = tally.lines, tally.bad
    summary.answered_before, summary.to_send = tally.answered, tally.to_send
    todo = [p for p in state.parts if not p.written]
    if not todo:
        state.remove()
        return summary
    output = OutputFile(output_path, redact)
    run = _Run(client, state, output, answered, summary, poll_interval_ms=poll_interval_ms, say=say)
    started = time.monotonic()
    try:
        if batch_ids:  # an unknown id fails here, before anything is saved
            for part in todo:
                await run.first_look(part)
        state.save()
        if saved is not None or batch_ids:
            summary.notes.append(f"resumed {plural(len(todo), 'batch', 'batches')}")
        for part in todo:
            if part.batch_id is None:
                await run.submit(part)
        total = sum(p.requests or 0 for p in todo) if all(p.requests for p in todo) else None
        with Progress(total, label="batches", stream=err) as run.progress:

            async def finish(part: _Part) -> None:
                await run.collect(part, await run.wait(part))

            try:
                async with asyncio.TaskGroup() as group:
                    for part in todo:
                        group.create_task(finish(part))
            except BaseExceptionGroup as failed:  # the first failure stands for them all
                raise failed.exceptions[0] from None
        state.remove()
    except (asyncio.CancelledError, KeyboardInterrupt):
        await asyncio.shield(run.cancel())
        raise
    finally:
        summary.wall_time = time.monotonic() - started
        output.close()
    return summary
