"""The request path: a call's lifecycle, its admission, and its retries.

Read top to bottom, a call is::

    send(...)                         build the Call (URL, body, deadline)
      _attempt(call)                  attempt 1 runs without any retry machinery
        async with _admitted(call)    gate + connection slot + deadline scope
          wire.exchange(call, ...)    one send, redirects, body read (``_wire``)
      retry_after_failure(...)        only after a retryable failure (``_retry``)

:meth:`Transport.stream` shares the same admission and retries, and holds its slot
until the caller's block exits. The wire part (``_wire``) is the one module that
talks to aiohttp; what a response means is read once by ``_decipher``.
"""

from __future__ import annotations

import asyncio
import platform
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import aiohttp
import msgspec
from yarl import URL

from . import _clock
from ._admission import Admission, remaining
from ._counters import Counters
from ._gate import RateLimitGate
from ._protocol import bucket_for_path
from ._response import CallOptions, Response
from ._retry import is_retryable, retry_after_failure
from ._urlpolicy import Proxies, origin_of
from ._version import __version__
from ._wire import CLOSED_MESSAGE, Call, Wire
from .errors import HubConnectionError, HubError, HubTimeoutError

if TYPE_CHECKING:
    from ._stats import HubStats

__all__ = ["CallOptions", "Response", "Transport"]

DEFAULT_MAX_RESPONSE_SIZE = 256 * 1024 * 1024

T = TypeVar("T")


class Transport:
    """Owns the aiohttp session, the concurrency limit and the rate-limit gate."""

    def __init__(
        self,
        endpoint: URL,
        *,
        session: aiohttp.ClientSession | None,
        max_concurrency: int,
        trust_env: bool,
        ssl: Any,
        user_agent: str | None,
        offline: bool,
        disable_implicit_token: bool,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
    ) -> None:
        self.endpoint = endpoint
        self.origin = origin_of(endpoint)
        self._base = str(endpoint).rstrip("/")
        self._session = session
        self._owns_session = session is None
        self._max_concurrency = max_concurrency
        self._proxies = Proxies(trust_env=trust_env, offline=offline)
        self._ssl = ssl
        self._offline = offline
        self._disable_implicit_token = disable_implicit_token
        self.max_response_size = max_response_size
        ua = (
            f"hubapi_async/{__version__}; python/{platform.python_version()}; "
            f"aiohttp/{aiohttp.__version__}"
        )
        self.user_agent = f"{ua}; {user_agent}" if user_agent else ua
        self._loop: asyncio.AbstractEventLoop | None = None
        self._slots: asyncio.Semaphore | None = None
        self._wire: Wire | None = None
        self.gate: RateLimitGate | None = None
        self.closed = False
        self._inflight: set[asyncio.Task[Any]] = set()
        self._closing_tasks: set[asyncio.Task[Any]] = set()
        self._counters: dict[str, Counters] = {}

    # -- lifecycle -----------------------------------------------------------------------

    def stats(self) -> HubStats:
        """A snapshot of the counters, per bucket."""
        from ._stats import HubStats

        return HubStats.of(self._counters)

    @property
    def wire_requests(self) -> int:
        """Requests written to the wire (every attempt and redirect hop)."""
        return self._wire.guard.sent if self._wire is not None else 0

    def _bind(self) -> Wire:
        loop = asyncio.get_running_loop()
        wire = self._wire
        if wire is not None and loop is self._loop and not self.closed:
            return wire
        if self.closed:
            raise HubConnectionError(CLOSED_MESSAGE)
        if self._loop is None:
            if self._session is not None and getattr(self._session, "_loop", loop) is not loop:
                raise RuntimeError(
                    "the aiohttp.ClientSession given to HubClient belongs to another event "
                    "loop; create the session inside the loop that uses the client"
                )
            self._loop = loop
            self._slots = asyncio.Semaphore(self._max_concurrency)
            self.gate = RateLimitGate(clock=_clock.now, sleep=self._sleep)
        elif self._loop is not loop:
            raise RuntimeError(
                "this HubClient is bound to the event loop it was first used in and cannot "
                "be used from another one; create one client per event loop"
            )
        if self._session is None:
            connector = aiohttp.TCPConnector(
                limit=self._max_concurrency,
                limit_per_host=0,
                ssl=True if self._ssl is None else self._ssl,
            )
            self._session = aiohttp.ClientSession(
                connector=connector, auto_decompress=True, cookie_jar=aiohttp.DummyCookieJar()
            )
        self._wire = Wire(
            self._session,
            origin=self.origin,
            user_agent=self.user_agent,
            proxies=self._proxies,
            offline=self._offline,
            ssl=self._ssl,
            disable_implicit_token=self._disable_implicit_token,
            max_response_size=self.max_response_size,
            is_closed=self.is_closed,
        )
        return self._wire

    def _admitted(self, call: Call) -> Admission:
        """``async with self._admitted(call)``: one attempt's gate, slot and deadline."""
        return Admission(self, call)

    def is_closed(self) -> bool:
        """Whether :meth:`aclose` was called."""
        return self.closed

    def _proxy(self, url: URL) -> str | None:
        """The proxy for ``url`` from ``HTTP(S)_PROXY``/``NO_PROXY`` (when ``trust_env``)."""
        return self._proxies.for_url(url)

    async def aclose(self) -> None:
        """Close the client: in-flight calls end with ``HubConnectionError``."""
        if self.closed:
            return
        self.closed = True
        current = asyncio.current_task()
        for task in list(self._inflight):
            if task is not current and not task.done():
                self._closing_tasks.add(task)
                task.cancel()
        if self._closing_tasks:
            await asyncio.wait(list(self._closing_tasks), timeout=5)
        if self._owns_session and self._session is not None:
            await self._session.close()

    # -- helpers ---------------------------------------------------------------------------

    async def _sleep(self, delay: float) -> None:
        """Sleep that ends early (with an error) when the client closes."""
        if self.closed:
            raise HubConnectionError(CLOSED_MESSAGE)
        await _clock.sleep(delay)
        if self.closed:
            raise HubConnectionError(CLOSED_MESSAGE)

    def url_for(self, target: str | URL, params: Sequence[tuple[str, str]] | None = None) -> URL:
        """Absolute URL of a path on the endpoint (already percent-encoded) or a full URL."""
        if isinstance(target, URL):
            url = target
        elif target.startswith("/"):
            url = URL(self._base + target, encoded=True)
        else:
            try:
                url = URL(target, encoded=True)
            except (ValueError, TypeError) as exc:
                raise ValueError(f"not a valid URL: {target!r}") from exc
            if not url.absolute:
                raise ValueError(f"expected a path starting with '/' or a full URL: {target!r}")
        if params:
            url = url.extend_query(list(params))
        return url

    def same_origin(self, url: URL) -> bool:
        """True when ``url`` is on the endpoint's own origin."""
        try:
            return origin_of(url) == self.origin
        except (ValueError, TypeError):
            return False

    def deadline_error(self, call: Call) -> HubTimeoutError:
        """The error of a call whose deadline ran out (not retried)."""
        call.verdict = False
        last = f" (last error: {call.last_error})" if call.last_error is not None else ""
        return HubTimeoutError(
            f"{call.describe} did not finish within its {call.opts.timeout.deadline} s "
            f"deadline{last}; raise timeout= or retry later"
        )

    def new_call(
        self,
        method: str,
        url: URL,
        opts: CallOptions,
        json: Any,
        write: bool,
        headers: Mapping[str, str] | None,
    ) -> Call:
        deadline = opts.timeout.deadline
        bucket = bucket_for_path(url.raw_path)
        counters = self._counters.get(bucket)
        if counters is None:
            counters = self._counters[bucket] = Counters()
        counters.calls += 1
        return Call(
            method.upper(),
            url,
            opts,
            None if json is None else msgspec.json.encode(json),
            write,
            headers,
            None if deadline is None else _clock.now() + deadline,
            counters,
            bucket,
        )

    # -- calls -----------------------------------------------------------------------------

    async def send(
        self,
        method: str,
        target: str | URL,
        opts: CallOptions,
        *,
        params: Sequence[tuple[str, str]] | None = None,
        json: Any = None,
        write: bool = False,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """Send one call (with retries) and return the whole response, or raise."""
        wire = self._bind()
        call = self.new_call(method, self.url_for(target, params), opts, json, write, headers)

        async def attempt() -> Response:
            call.attempts += 1
            call.verdict = None
            try:
                async with self._admitted(call) as admission:
                    response: Response = await wire.exchange(call, admission)
                return response
            except HubError as exc:
                call.last_error = exc
                raise

        return await self.run(call, attempt)

    async def run(self, call: Call, attempt: Callable[[], Awaitable[T]]) -> T:
        """Run ``call``: attempt 1 straight away, the retry loop only after a retryable
        failure (one budget, one deadline for every attempt ``attempt`` makes)."""
        task = asyncio.current_task()
        if task is not None:
            self._inflight.add(task)
        try:
            try:
                return await attempt()
            except HubError as exc:
                if not self._retryable(call, exc):
                    call.counters.failures += 1
                    raise
                first = exc
            try:
                return await retry_after_failure(
                    first,
                    attempt,
                    policy=call.opts.retry,
                    retryable=lambda exc: self._retryable(call, exc),
                    sleep=lambda delay: self._backoff(call, delay),
                    describe=call.describe,
                )
            except HubError:
                call.counters.failures += 1
                raise
        except asyncio.CancelledError:
            if task is not None and task in self._closing_tasks:
                self._closing_tasks.discard(task)
                task.uncancel()
                raise HubConnectionError(
                    "the HubClient was closed while this call was in flight"
                ) from None
            raise
        finally:
            if task is not None:
                self._inflight.discard(task)

    def _retryable(self, call: Call, exc: HubError) -> bool:
        policy = call.opts.retry
        return (
            policy.max_retries > 0
            and not self.closed
            and is_retryable(call.method, exc, policy, remaining(call), verdict=call.verdict)
        )

    async def _backoff(self, call: Call, delay: float) -> None:
        if delay >= remaining(call):
            raise self.deadline_error(call) from call.last_error
        await self._sleep(delay)

    # -- streaming (the parquet shard) -------------------------------------------------------

    @asynccontextmanager
    async def stream(
        self,
        target: str | URL,
        opts: CallOptions,
        *,
        headers: Mapping[str, str] | None = None,
        chunk_size: int = 1 << 16,
    ) -> AsyncIterator[tuple[Response, AsyncIterator[bytes]]]:
        """GET ``target`` and yield its headers and an iterator of body chunks.

        Retries happen until the response headers arrive; a body cut after chunks
        were yielded raises ``HubConnectionError`` (it never repeats bytes). The
        connection (and its slot) is held until the block exits.
        """
        wire = self._bind()
        call = self.new_call("GET", self.url_for(target), opts, None, False, headers)
        raw, head = await self.run(call, lambda: self._open(wire, call))
        assert self._slots is not None
        try:
            yield head, wire.chunks(call, raw, chunk_size)
        finally:
            raw.release()
            self._slots.release()

    async def _open(self, wire: Wire, call: Call) -> tuple[aiohttp.ClientResponse, Response]:
        """One attempt of a stream: the answer's headers, its body left unread."""
        call.attempts += 1
        call.verdict = None
        opened: tuple[aiohttp.ClientResponse, Response] | None = None
        try:
            async with self._admitted(call) as admission:
                result = await wire.exchange(call, admission, stream=True)
                if isinstance(result, Response):
                    raise HubConnectionError(
                        f"{call.describe}: unexpected answer {result.status} without a body"
                    )
                opened = result
                admission.keep_slot()
            return opened
        except BaseException as exc:
            if opened is not None:  # the deadline ran out as the stream opened
                opened[0].release()
            if isinstance(exc, HubError):
                call.last_error = exc
            raise

    @asynccontextmanager
    async def stream_attempt(
        self, call: Call
    ) -> AsyncIterator[tuple[aiohttp.ClientResponse, Response]]:
        """One admitted attempt whose 2xx body the caller reads inside the block (the
        deadline and the slot cover the whole block); for downloads."""
        wire = self._bind()
        async with self._admitted(call) as admission:
            result = await wire.exchange(call, admission, stream=True)
            if isinstance(result, Response):
                raise HubConnectionError(
                    f"{call.describe}: unexpected answer {result.status} without a body"
                )
            raw, head = result
            try:
                yield raw, head
            finally:
                raw.release()

    def chunks_of(
        self, call: Call, raw: aiohttp.ClientResponse, chunk_size: int
    ) -> AsyncIterator[bytes]:
        """The body of a streamed answer (a cut or a stall: a retryable ``HubError``)."""
        assert self._wire is not None
        chunks: AsyncIterator[bytes] = self._wire.chunks(call, raw, chunk_size)
        return chunks
