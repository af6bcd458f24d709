"""The request path: the one module of the client that talks to aiohttp.

Every call goes through :meth:`Transport.send` (or :meth:`Transport.stream` for
the parquet shard): URL checks, auth, the rate-limit gate, the concurrency
limit, redirects, retries (tenacity, one request at a time), bounded body reads
and the mapping of every failure to a :mod:`hubapi_async.errors` class.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import platform
import urllib.request
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
import msgspec
import tenacity
from multidict import CIMultiDict
from yarl import URL

from ._gate import GateRefused, RateLimitGate, Ticket
from ._protocol import (
    bucket_for_path,
    error_for_response,
    is_repo_route,
    parse_ratelimit,
    parse_ratelimit_policy,
)
from ._response import CallOptions, Response, log_hub_warnings
from ._retry import IDEMPOTENT, is_retryable, mark, retrying
from ._version import __version__
from .errors import (
    DecodeError,
    HubConnectionError,
    HubError,
    HubTimeoutError,
    RateLimitError,
)

__all__ = ["CallOptions", "Response", "Transport"]

log = logging.getLogger("hubapi_async")

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_MAX_REDIRECTS = 10
_CLOSED_MESSAGE = "this HubClient is closed; create a new client (or keep it open while calls run)"

DEFAULT_MAX_RESPONSE_SIZE = 256 * 1024 * 1024


async def _sleep(delay: float) -> None:
    """Backoff and rate-limit sleeps go through here (tests patch it)."""
    await asyncio.sleep(delay)


@dataclass(slots=True, eq=False)
class _Call:
    method: str
    url: URL
    opts: CallOptions
    body: bytes | None
    write: bool
    extra_headers: Mapping[str, str]
    deadline_at: float | None
    last_error: BaseException | None = None
    lost_response: bool = False


class _SingleSend:
    """aiohttp middleware: refuse aiohttp's own silent resend after a connection error.

    aiohttp resends an idempotent request once after ``ClientOSError`` or
    ``ServerDisconnectedError`` (aio-libs/aiohttp#7363). Our retry policy owns every
    resend, so ``max_retries=0`` really means one request on the wire.
    """

    __slots__ = ("error", "sends")

    def __init__(self) -> None:
        self.error: BaseException | None = None
        self.sends = 0

    async def __call__(
        self, req: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType
    ) -> aiohttp.ClientResponse:
        if self.error is not None:
            raise self.error
        self.sends += 1
        try:
            return await handler(req)
        except (aiohttp.ClientOSError, aiohttp.ServerDisconnectedError) as exc:
            self.error = exc
            raise


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _origin(url: URL) -> tuple[str, str, int | None]:
    return (url.scheme, (url.host or "").lower(), url.port)


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
        self.origin = _origin(endpoint)
        self._session = session
        self._owns_session = session is None
        self._max_concurrency = max_concurrency
        self._trust_env = trust_env
        # Proxies are read from the environment once, here, instead of aiohttp's
        # trust_env, which looks them up (and ~/.netrc) in a thread on every request.
        self._proxies = urllib.request.getproxies_environment() if trust_env else {}
        self._proxy_for: dict[tuple[str, str], str | None] = {}
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
        self._closed_event: asyncio.Event | None = None
        self.gate: RateLimitGate | None = None
        self.closed = False
        self._inflight: set[asyncio.Task[Any]] = set()
        self._closing_tasks: set[asyncio.Task[Any]] = set()
        #: Requests written to the wire (every attempt and redirect hop).
        self.wire_requests = 0

    # -- lifecycle -----------------------------------------------------------

    def _bind(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self.closed:
            raise HubConnectionError(_CLOSED_MESSAGE)
        if self._loop is None:
            if self._session is not None and getattr(self._session, "_loop", loop) is not loop:
                raise RuntimeError(
                    "the aiohttp.ClientSession given to HubClient belongs to another event "
                    "loop; create the session inside the loop that uses the client"
                )
            self._loop = loop
            self._slots = asyncio.Semaphore(self._max_concurrency)
            self._closed_event = asyncio.Event()
            self.gate = RateLimitGate(clock=loop.time, sleep=self._sleep)
        elif self._loop is not loop:
            raise RuntimeError(
                "this HubClient is bound to the event loop it was first used in and cannot "
                "be used from another one; create one client per event loop"
            )
        if self._session is None:
            connector = aiohttp.TCPConnector(
                limit=self._max_concurrency, limit_per_host=0, ssl=self._ssl_arg()
            )
            self._session = aiohttp.ClientSession(connector=connector, auto_decompress=True)
        return self._session

    def _proxy(self, url: URL) -> str | None:
        """The proxy for ``url`` from ``HTTP(S)_PROXY``/``NO_PROXY`` (when ``trust_env``)."""
        if not self._proxies:
            return None
        key = (url.scheme, url.host or "")
        if key not in self._proxy_for:
            proxy = self._proxies.get(url.scheme)
            bypass = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]
            if proxy and bypass(key[1], self._proxies):
                proxy = None
            self._proxy_for[key] = proxy
        return self._proxy_for[key]

    def _ssl_arg(self) -> Any:
        return True if self._ssl is None else self._ssl

    async def aclose(self) -> None:
        """Close the client: in-flight calls end with ``HubConnectionError``."""
        if self.closed:
            return
        self.closed = True
        if self._closed_event is not None:
            self._closed_event.set()
        current = asyncio.current_task()
        for task in list(self._inflight):
            if task is not current and not task.done():
                self._closing_tasks.add(task)
                task.cancel()
        if self._closing_tasks:
            await asyncio.wait(list(self._closing_tasks), timeout=5)
        if self._owns_session and self._session is not None:
            await self._session.close()

    # -- helpers ---------------------------------------------------------------

    async def _sleep(self, delay: float) -> None:
        """Sleep that ends early (with an error) when the client closes."""
        if self.closed:
            raise HubConnectionError(_CLOSED_MESSAGE)
        await _sleep(delay)
        if self.closed:
            raise HubConnectionError(_CLOSED_MESSAGE)

    def url_for(self, target: str | URL, params: Sequence[tuple[str, str]] | None = None) -> URL:
        """Absolute URL of a path on the endpoint (already percent-encoded) or a full URL."""
        if isinstance(target, URL):
            url = target
        elif target.startswith("/"):
            base = str(self.endpoint).rstrip("/")
            url = URL(base + target, encoded=True)
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
        return _origin(url) == self.origin

    def _check_target(self, url: URL) -> None:
        if url.scheme not in ("http", "https") or not url.host:
            raise HubConnectionError(f"refusing to request {url.scheme!r} URL {url}")
        if self._offline and not _is_loopback(url.host):
            raise HubConnectionError(
                f"offline mode is on (HF_HUB_OFFLINE): refusing to contact {url.host}; "
                "unset HF_HUB_OFFLINE or use a loopback endpoint"
            )

    def _headers(self, call: _Call, url: URL) -> CIMultiDict[str]:
        headers: CIMultiDict[str] = CIMultiDict()
        headers["User-Agent"] = self.user_agent
        headers["Accept"] = "application/json"
        for key, value in call.opts.headers.items():
            headers[key] = value
        for key, value in call.extra_headers.items():
            headers[key] = value
        if call.body is not None:
            headers["Content-Type"] = "application/json"
        headers.pop("Authorization", None)
        token = self._credential(call, url)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    def _credential(self, call: _Call, url: URL) -> str | None:
        """The token a request to ``url`` carries (None: anonymous)."""
        implicit_ok = call.write or call.opts.token_explicit or not self._disable_implicit_token
        if call.opts.token and implicit_ok and self.same_origin(url):
            return call.opts.token
        return None

    def _remaining(self, call: _Call) -> float:
        if call.deadline_at is None:
            return float("inf")
        assert self._loop is not None
        return call.deadline_at - self._loop.time()

    def _deadline_error(self, call: _Call) -> HubTimeoutError:
        deadline = call.opts.timeout.deadline
        last = f" (last error: {call.last_error})" if call.last_error is not None else ""
        err = HubTimeoutError(
            f"{call.method} {call.url.with_query(None)} did not finish within its "
            f"{deadline} s deadline{last}; raise timeout= or retry later"
        )
        mark(err, retryable=False)
        return err

    # -- the request path ------------------------------------------------------

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
        self._bind()
        url = self.url_for(target, params)
        call = self._new_call(method, url, opts, json, write, headers)
        task = asyncio.current_task()
        if task is not None:
            self._inflight.add(task)
        try:
            return await self._with_retries(call)
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

    def _new_call(
        self,
        method: str,
        url: URL,
        opts: CallOptions,
        json: Any,
        write: bool,
        headers: Mapping[str, str] | None,
    ) -> _Call:
        assert self._loop is not None
        deadline = opts.timeout.deadline
        return _Call(
            method=method.upper(),
            url=url,
            opts=opts,
            body=None if json is None else msgspec.json.encode(json),
            write=write,
            extra_headers=headers or {},
            deadline_at=None if deadline is None else self._loop.time() + deadline,
        )

    async def _with_retries(self, call: _Call) -> Response:
        result: Response = await self._retrying(call)(self._attempt, call)
        return result

    def _retrying(self, call: _Call) -> tenacity.AsyncRetrying:
        """The tenacity loop for ``call``: the policy's rules, the deadline, logging."""

        async def sleep(delay: float) -> None:
            if delay >= self._remaining(call):
                raise self._deadline_error(call) from call.last_error
            await self._sleep(delay)

        return retrying(
            call.opts.retry,
            retryable=lambda exc: (
                not self.closed
                and is_retryable(call.method, exc, call.opts.retry, self._remaining(call))
            ),
            sleep=sleep,
            describe=f"{call.method} {call.url.with_query(None)}",
        )

    async def _attempt(self, call: _Call) -> Response:
        response = await self._run_attempt(call, stream=False)
        assert isinstance(response, Response)
        return response

    async def _gate_pass(self, call: _Call, bucket: str) -> Ticket:
        assert self.gate is not None
        max_wait = min(call.opts.retry.max_rate_limit_wait, self._remaining(call))
        credential = self._credential(call, call.url)
        try:
            async with asyncio.timeout_at(call.deadline_at):  # gate waits count
                return await self.gate.acquire(bucket, credential=credential, max_wait=max_wait)
        except TimeoutError:
            raise self._deadline_error(call) from call.last_error
        except GateRefused as refused:
            raise RateLimitError(
                f"{refused}; slow down, raise RetryPolicy(max_rate_limit_wait=...) or the deadline",
                status=None,
                url=str(call.url.with_query(None)),
                retry_after=refused.wait,
                remaining=refused.remaining,
                reset_in=refused.reset_in,
                limit=refused.limit,
                window=refused.window,
            ) from None

    async def _run_attempt(
        self, call: _Call, *, stream: bool
    ) -> Response | tuple[aiohttp.ClientResponse, Response]:
        if self.closed:
            raise mark(HubConnectionError(_CLOSED_MESSAGE), retryable=False)
        assert self._slots is not None and self._loop is not None
        bucket = bucket_for_path(call.url.path)
        ticket = await self._gate_pass(call, bucket)
        queued_at = self._loop.time()
        try:
            await self._slots.acquire()
        except BaseException:
            assert self.gate is not None
            self.gate.release(ticket, sent=False)
            raise
        if call.deadline_at is not None:
            call.deadline_at += self._loop.time() - queued_at
        release_slot = True
        try:
            if self.closed:
                raise mark(HubConnectionError(_CLOSED_MESSAGE), retryable=False)
            try:
                async with asyncio.timeout_at(call.deadline_at) as scope:
                    result = await self._exchange(call, ticket, stream=stream)
            except TimeoutError as exc:
                if scope.expired():
                    raise self._deadline_error(call) from (call.last_error or exc)
                raise
            if isinstance(result, tuple):
                release_slot = False
            return result
        except HubError as exc:
            call.last_error = exc
            if getattr(exc, "_hub_lost", False):
                call.lost_response = True
            raise
        finally:
            if release_slot:
                self._slots.release()

    async def _exchange(
        self, call: _Call, ticket: Ticket, *, stream: bool
    ) -> Response | tuple[aiohttp.ClientResponse, Response]:
        assert self.gate is not None
        session = self._bind()
        method, url, body = call.method, call.url, call.body
        timeout = aiohttp.ClientTimeout(
            total=None,
            sock_connect=call.opts.timeout.connect,
            sock_read=call.opts.timeout.read,
        )
        observed = False
        try:
            for _hop in range(_MAX_REDIRECTS + 1):
                self._check_target(url)
                guard = _SingleSend()
                middlewares = (*getattr(session, "_middlewares", ()), guard)
                try:
                    resp = await session.request(
                        method,
                        url,
                        data=body,
                        headers=self._headers(call, url),
                        allow_redirects=False,
                        timeout=timeout,
                        ssl=self._ssl_arg(),
                        proxy=self._proxy(url),
                        middlewares=middlewares,
                    )
                except (aiohttp.ClientError, OSError, TimeoutError) as exc:
                    raise self._connection_error(call, url, exc, sent=guard.sends > 0) from exc
                finally:
                    self.wire_requests += guard.sends
                self._observe(ticket, resp)
                observed = True
                if resp.status in _REDIRECTS and "Location" in resp.headers:
                    location = resp.headers["Location"]
                    resp.release()
                    try:
                        url = url.join(URL(location, encoded=True))
                    except (ValueError, TypeError):
                        raise HubConnectionError(
                            f"the server redirected to an invalid URL: {location!r}"
                        ) from None
                    if resp.status == 303 or (resp.status in (301, 302) and method == "POST"):
                        method, body = "GET", None
                    continue
                if stream and resp.status < 300:
                    return resp, self._response(resp, b"", url, method)
                try:
                    data = await self._read(resp, call, url)
                finally:
                    resp.release()
                response = self._response(resp, data, url, method)
                if resp.status >= 400:
                    if method == "DELETE" and resp.status == 404 and call.lost_response:
                        return response
                    raise error_for_response(
                        resp.status,
                        resp.headers,
                        data,
                        str(url),
                        repo_route=is_repo_route(url.path),
                        token_sent="Authorization" in resp.request_info.headers,
                    )
                return response
            raise HubConnectionError(
                f"{call.method} {call.url.with_query(None)}: more than {_MAX_REDIRECTS} "
                "redirects; the server is redirecting in a loop"
            )
        finally:
            if not observed:
                self.gate.release(ticket)

    def _observe(self, ticket: Ticket, resp: aiohttp.ClientResponse) -> None:
        assert self.gate is not None
        self.gate.observe(
            ticket,
            status=resp.status,
            state=parse_ratelimit(resp.headers.get("RateLimit")),
            policy=parse_ratelimit_policy(resp.headers.get("RateLimit-Policy")),
            backoff=1.0,
        )

    @staticmethod
    def _response(resp: aiohttp.ClientResponse, data: bytes, url: URL, method: str) -> Response:
        log_hub_warnings(resp.headers)
        return Response(
            status=resp.status, headers=resp.headers, body=data, url=str(url), method=method
        )

    async def _read(self, resp: aiohttp.ClientResponse, call: _Call, url: URL) -> bytes:
        cap = self.max_response_size
        length = resp.content_length
        try:
            if length is not None and length > cap:
                raise self._too_large(resp, url, cap)
            # Counted as decoded: a small compressed body may inflate past the cap.
            buf = bytearray()
            async for chunk in resp.content.iter_any():
                buf += chunk
                if len(buf) > cap:
                    raise self._too_large(resp, url, cap)
            return bytes(buf)
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise self._connection_error(call, url, exc, sent=True) from exc

    @staticmethod
    def _too_large(resp: aiohttp.ClientResponse, url: URL, cap: int) -> DecodeError:
        err = DecodeError(
            f"the response from {url.with_query(None)} is larger than max_response_size "
            f"({cap} bytes); raise HubClient(max_response_size=...) if that is expected",
            status=resp.status,
            url=str(url),
            request_id=resp.headers.get("X-Request-Id"),
        )
        mark(err, retryable=False, lost=False)
        return err

    def _connection_error(
        self, call: _Call, url: URL, exc: BaseException, *, sent: bool
    ) -> HubError:
        where = f"{call.method} {url.with_query(None)}"
        idempotent = call.method in IDEMPOTENT
        if self.closed:
            return mark(HubConnectionError(_CLOSED_MESSAGE), retryable=False)
        if isinstance(exc, aiohttp.ClientConnectorError):
            refused = isinstance(exc.os_error, ConnectionRefusedError)
            err: HubError = HubConnectionError(
                f"{where}: could not connect to {url.host}:{url.port}: {exc.os_error}; "
                "check the endpoint and your network"
            )
            return mark(err, retryable=idempotent or refused, lost=False)
        if isinstance(exc, TimeoutError):
            what = "connecting" if not sent else "waiting for data"
            err = HubTimeoutError(f"{where}: timed out {what}; the server is slow or unreachable")
            return mark(err, retryable=idempotent, lost=sent)
        if isinstance(exc, aiohttp.ClientPayloadError):
            err = HubConnectionError(
                f"{where}: the response body was cut off before it was complete"
            )
        elif isinstance(exc, aiohttp.ServerDisconnectedError):
            err = HubConnectionError(f"{where}: the server closed the connection without answering")
        elif isinstance(exc, aiohttp.InvalidURL):
            err = HubConnectionError(f"{where}: invalid URL")
            return mark(err, retryable=False, lost=False)
        else:
            err = HubConnectionError(f"{where}: {type(exc).__name__}: {exc}")
        return mark(err, retryable=idempotent, lost=sent)

    # -- streaming (the parquet shard) -----------------------------------------

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
        connection is held until the block exits.
        """
        self._bind()
        call = self._new_call("GET", self.url_for(target), opts, None, False, headers)

        async def open_once(c: _Call) -> tuple[aiohttp.ClientResponse, Response]:
            result = await self._run_attempt(c, stream=True)
            if isinstance(result, Response):  # pragma: no cover - 3xx without Location
                raise HubConnectionError(f"unexpected response {result.status} from {result.url}")
            return result

        retry_loop = self._retrying(call)
        opened: tuple[aiohttp.ClientResponse, Response] = await retry_loop(open_once, call)
        raw, head = opened
        assert self._slots is not None
        try:
            yield head, self._chunks(raw, call, chunk_size)
        finally:
            raw.release()
            self._slots.release()

    async def _chunks(
        self, raw: aiohttp.ClientResponse, call: _Call, chunk_size: int
    ) -> AsyncIterator[bytes]:
        try:
            async for chunk in raw.content.iter_chunked(chunk_size):
                yield chunk
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise self._connection_error(call, raw.url, exc, sent=True) from exc
