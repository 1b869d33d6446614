"""The fake OpenAI server: lifecycle (in the current event loop or in a thread), state, log."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Collection, Iterator, Mapping
from types import TracebackType
from typing import Final, Self

from aiohttp import web
from yarl import URL

from aio_openai.testing._app import build_app
from aio_openai.testing._faults import Faults
from aio_openai.testing._limits import Limits
from aio_openai.testing._middlewares import RecordedRequest
from aio_openai.testing._state import FakeState, ModelObject

__all__ = ["FakeOpenAI"]

#: Seconds :meth:`FakeOpenAI.stop` lets in-flight requests finish before cancelling them.
_SHUTDOWN_TIMEOUT: Final = 0.5


class FakeOpenAI:
    """A real HTTP server speaking the OpenAI wire format, for tests and demos.

    Run it in the current event loop::

        async with FakeOpenAI() as fake:
            ...  # point a client at fake.url

    or, for synchronous code and other event loops, in a thread of its own::

        with FakeOpenAI().running_in_thread() as fake:
            ...

    Every ``/v1`` route needs ``Authorization: Bearer <key>``: any non-empty key, or one of
    ``api_keys`` when given. The server starts with the 31 :data:`SEED_MODELS`; a request
    naming any other model (one not added with :meth:`add_model`) gets OpenAI's 404
    ``model_not_found``, unless ``accept_any_model`` is true. ``state`` holds what it serves,
    ``requests`` what it received (unless ``record_requests`` is false) and ``faults`` the
    errors, cut connections and delays it injects.

    The instance can be started again after a stop: it then binds the port it had, so
    ``url`` stays valid and ``state``, ``requests`` and ``faults`` are kept.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        api_keys: Collection[str] | None = None,
        record_requests: bool = True,
        accept_any_model: bool = False,
        generic: bool = True,
    ) -> None:
        """Create a stopped server that will listen on ``host``:``port`` (0: a free port).

        ``accept_any_model`` lets requests name models the server does not serve (see
        :attr:`FakeState.accept_any_model`). ``generic`` (the default) answers every other
        operation of OpenAI's spec from the spec (the generic mode, see the README); false
        answers them 404 ``Invalid URL``. Raises :class:`TypeError` if ``api_keys`` is a
        single string rather than a collection.
        """
        if isinstance(api_keys, str):
            raise TypeError("api_keys must be a collection of keys, not a single string")
        self._host = host
        self._port = port
        self._api_keys = None if api_keys is None else frozenset(api_keys)
        self._record_requests = record_requests
        self._generic = generic
        self._state = FakeState(accept_any_model=accept_any_model)
        self._requests: list[RecordedRequest] = []
        self._faults = Faults()
        self._limits = Limits()
        self._runner: web.AppRunner | None = None
        self._runner_loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._thread_stop: asyncio.Event | None = None
        self._thread_error: BaseException | None = None

    def __repr__(self) -> str:
        """Return e.g. ``<FakeOpenAI http://127.0.0.1:8080/v1 running>``."""
        where = f"{self._host}:{self._port}" if self._port == 0 else self.url
        return f"<FakeOpenAI {where} {'running' if self.running else 'stopped'}>"

    @property
    def host(self) -> str:
        """The address the server binds."""
        return self._host

    @property
    def port(self) -> int:
        """The port the server listens on. Raises :class:`RuntimeError` before it is known."""
        if self._port == 0:
            raise RuntimeError("FakeOpenAI has not been started yet: its port is not known")
        return self._port

    @property
    def url(self) -> str:
        """The base URL of the API, ending in ``/v1``, e.g. ``http://127.0.0.1:8080/v1``.

        Raises :class:`RuntimeError` before the port is known.
        """
        return str(URL.build(scheme="http", host=self._host, port=self.port, path="/v1"))

    @property
    def running(self) -> bool:
        """Whether the server is listening."""
        return self._runner is not None

    @property
    def state(self) -> FakeState:
        """Everything the server serves; change it to set up a test."""
        return self._state

    @property
    def models(self) -> Mapping[str, Mapping[str, object]]:
        """A live, read-only view of the served models by id."""
        return self._state.models

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, oldest first; ``clear()`` it to start afresh."""
        return self._requests

    @property
    def faults(self) -> Faults:
        """The faults to inject: ``push`` scripted ones, or set ``random`` ones (see Faults)."""
        return self._faults

    @property
    def limits(self) -> Limits:
        """The rate limits to enforce: ``fake.limits.set(rpm=..., tpm=..., model=...)``."""
        return self._limits

    def add_model(
        self, model_id: str, *, owned_by: str = "user", created: int | None = None
    ) -> ModelObject:
        """Serve one more model (replacing one with the same id) and return it.

        ``created`` defaults to now. Models owned by anyone but OpenAI (``"system"``,
        ``"openai"``, ``"openai-internal"``) can be deleted through the API.
        """
        return self._state.add_model(model_id, owned_by=owned_by, created=created)

    async def start(self) -> None:
        """Start listening in the running event loop.

        Raises :class:`RuntimeError` if already running and :class:`OSError` if the port
        cannot be bound.
        """
        if self._runner is not None:
            raise RuntimeError("FakeOpenAI is already running")
        app = build_app(
            self._state,
            api_keys=self._api_keys,
            request_log=self._requests if self._record_requests else None,
            faults=self._faults,
            limits=self._limits,
            generic=self._generic,
        )
        # handler_cancellation: a handler still running (a delay fault) when its client hangs
        # up is cancelled rather than left to finish.
        runner = web.AppRunner(
            app,
            handle_signals=False,
            access_log=None,
            shutdown_timeout=_SHUTDOWN_TIMEOUT,
            handler_cancellation=True,
        )
        await runner.setup()
        try:
            site = web.TCPSite(runner, self._host, self._port, reuse_address=True)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._port = runner.addresses[0][1]
        self._runner = runner
        self._runner_loop = asyncio.get_running_loop()

    async def stop(self) -> None:
        """Stop listening and close every connection; a no-op if not running.

        Requests still in flight get a short grace period, then are cancelled. Raises
        :class:`RuntimeError` if called from another event loop than the one that started
        the server (use :meth:`stop_in_thread` for a server started in a thread).
        """
        runner = self._runner
        if runner is None:
            return
        if asyncio.get_running_loop() is not self._runner_loop:
            raise RuntimeError(
                "FakeOpenAI was started in another event loop; "
                "use stop_in_thread() for a server started with start_in_thread()"
            )
        self._runner = None
        self._runner_loop = None
        await runner.cleanup()

    aclose = stop

    async def __aenter__(self) -> Self:
        """Start the server (see :meth:`start`) and return it."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the server (see :meth:`stop`)."""
        await self.stop()

    def start_in_thread(self) -> None:
        """Run the server in a new event loop in a daemon thread; return once it listens.

        Raises :class:`RuntimeError` if already running, and re-raises whatever made the
        server fail to start (e.g. :class:`OSError` for a port in use).
        """
        if self._runner is not None or self._thread is not None:
            raise RuntimeError("FakeOpenAI is already running")
        listening = threading.Event()
        self._thread_error = None
        thread = threading.Thread(
            target=self._thread_main, args=(listening,), name="FakeOpenAI", daemon=True
        )
        thread.start()
        listening.wait()
        if self._thread_error is not None:
            thread.join()
            error, self._thread_error = self._thread_error, None
            raise error
        self._thread = thread

    def stop_in_thread(self) -> None:
        """Stop a server started with :meth:`start_in_thread` and join its thread.

        A no-op if no thread is running. Re-raises an error raised while stopping.
        """
        thread, stop = self._thread, self._thread_stop
        if thread is None:
            return
        loop = self._runner_loop
        if loop is not None and stop is not None and thread.is_alive():
            loop.call_soon_threadsafe(stop.set)
        thread.join()
        self._thread = None
        self._thread_stop = None
        if self._thread_error is not None:
            error, self._thread_error = self._thread_error, None
            raise error

    @contextlib.contextmanager
    def running_in_thread(self) -> Iterator[Self]:
        """Run the server in a thread for the ``with`` block (see :meth:`start_in_thread`)."""
        self.start_in_thread()
        try:
            yield self
        finally:
            self.stop_in_thread()

    def _thread_main(self, listening: threading.Event) -> None:
        """Body of the server thread: serve until asked to stop, keeping any error."""
        try:
            asyncio.run(self._serve_until_stopped(listening))
        except BaseException as exc:  # handed to the thread that started or stops the server
            self._thread_error = exc
        finally:
            listening.set()

    async def _serve_until_stopped(self, listening: threading.Event) -> None:
        """Start, signal ``listening``, wait for :meth:`stop_in_thread`, then stop."""
        stop = asyncio.Event()
        await self.start()
        try:
            self._thread_stop = stop
            listening.set()
            await stop.wait()
        finally:
            await self.stop()
