"""One attempt on the wire: a send, its redirects, the body read, failures mapped.

This is the one module of the client that sends requests through aiohttp (its
middleware, ``_guard``, runs inside those sends). An attempt sends the request
(``allow_redirects=False``: every hop is checked here), follows redirects (the token and
every credential-like header stay on the endpoint's origin), reads the body whole into
one buffer under ``max_response_size``, and turns each response into either a
:class:`Response` or the error it means, reading its headers once
(:func:`~hubapi_async._decipher.decipher`).

Failures without a response become :mod:`hubapi_async.errors` classes, judged retryable
or not on the call (:class:`Call`'s declared fields), and are raised outside the
``except`` block that caught aiohttp's exception: nothing of aiohttp's (whose errors and
frames hold the request headers) is ever chained to an error users see.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING, Any

import aiohttp
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from ._counters import Counters
from ._decipher import Deciphered, decipher
from ._guard import HOP, Guard, Sends
from ._options import Timeout
from ._protocol import is_repo_route
from ._response import CallOptions, Response
from ._retry import IDEMPOTENT
from ._urlpolicy import Origin, Proxies, check_target, is_credential_header, origin_of
from .errors import DecodeError, HubConnectionError, HubError, HubTimeoutError

if TYPE_CHECKING:
    from ._admission import Admission

__all__ = ["CLOSED_MESSAGE", "Call", "Wire", "scrub"]

REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 10
CLOSED_MESSAGE = "this HubClient is closed; create a new client (or keep it open while calls run)"
_ERRORS = (aiohttp.ClientError, OSError, TimeoutError)


class Call:
    """One call: what to send, its deadline, and what its attempts learned.

    The retry bookkeeping lives here, in declared fields: ``verdict`` is the last
    failure's judgement (``True``: it may be retried; ``None`` for an HTTP error, judged
    by its status), ``lost_response`` that an earlier attempt may have reached the
    server without its answer arriving. The repr shows no token, header or body.
    """

    __slots__ = (
        "attempts",
        "body",
        "bucket",
        "counters",
        "deadline_at",
        "extra_headers",
        "last_error",
        "lost_response",
        "method",
        "opts",
        "url",
        "verdict",
        "write",
    )

    def __init__(
        self,
        method: str,
        url: URL,
        opts: CallOptions,
        body: bytes | None,
        write: bool,
        extra_headers: Mapping[str, str] | None,
        deadline_at: float | None,
        counters: Counters,
        bucket: str,
    ) -> None:
        self.method = method
        self.url = url
        self.opts = opts
        self.body = body
        self.write = write
        self.extra_headers = extra_headers
        self.deadline_at = deadline_at
        self.counters = counters
        self.bucket = bucket
        self.attempts = 0
        self.verdict: bool | None = None
        self.lost_response = False
        self.last_error: HubError | None = None

    def __repr__(self) -> str:
        return (
            f"<Call {self.describe} attempts={self.attempts} verdict={self.verdict} "
            f"lost_response={self.lost_response} deadline_at={self.deadline_at}>"
        )

    @property
    def describe(self) -> str:
        """``GET https://host/path`` (no query: it may carry user data)."""
        return f"{self.method} {self.url.with_query(None)}"


def scrub(err: HubError, secret: str | None) -> HubError:
    """Mask ``secret`` (the call's token) wherever a server echoed it into ``err``."""
    if not secret or len(secret) < 4:
        return err
    mask, raw = "***", secret.encode()

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace(secret, mask)
        if isinstance(value, bytes):
            return value.replace(raw, mask.encode())
        if isinstance(value, Mapping) and any(secret in str(v) for v in value.values()):
            headers: CIMultiDict[str] = CIMultiDict()
            for k, v in value.items():
                headers.add(str(k), str(v).replace(secret, mask))
            return CIMultiDictProxy(headers)
        return value

    for name, value in list(vars(err).items()):
        setattr(err, name, clean(value))
    err.args = tuple(clean(arg) for arg in err.args)
    return err


class Wire:
    """Sends attempts of calls on one aiohttp session (bound to one event loop)."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        origin: Origin,
        user_agent: str,
        proxies: Proxies,
        offline: bool,
        ssl: Any,
        disable_implicit_token: bool,
        max_response_size: int,
        is_closed: Any,
    ) -> None:
        self.session = session
        self.origin = origin
        self._user_agent = user_agent
        self._proxies = proxies
        self._use_proxies = bool(proxies)
        self._offline = offline
        self._ssl = True if ssl is None else ssl
        self._disable_implicit_token = disable_implicit_token
        self.max_response_size = max_response_size
        self._is_closed = is_closed
        self.guard = Guard(offline=offline)
        self._middlewares = (*getattr(session, "_middlewares", ()), self.guard)
        self._timeouts: dict[int, tuple[Timeout, aiohttp.ClientTimeout]] = {}
        self._allowed: dict[tuple[str, str | None, int | None], Origin] = {}
        self._headers: dict[tuple[int, bool, bool], tuple[CallOptions, CIMultiDict[str]]] = {}

    # -- per-call objects, built once ---------------------------------------------------

    def _checked_origin(self, url: URL) -> Origin:
        """``url``'s origin once the URL rules allow it (``check_target``); an authority
        that passed once is remembered, so a call to a known host costs a dict lookup."""
        try:
            key = (url.scheme, url.raw_host, url.port)
            plain = url.raw_user is None and url.raw_password is None
        except (ValueError, TypeError):
            key, plain = None, False
        origin = self._allowed.get(key) if plain and key is not None else None
        if origin is None:
            check_target(url, offline=self._offline)  # raises HubConnectionError if refused
            origin = origin_of(url)
            if key is not None and plain:
                if len(self._allowed) > 256:
                    self._allowed.clear()
                self._allowed[key] = origin
        return origin

    def _client_timeout(self, opts: CallOptions) -> aiohttp.ClientTimeout:
        t = opts.timeout
        cached = self._timeouts.get(id(t))
        if cached is None or cached[0] is not t:
            if len(self._timeouts) > 64:
                self._timeouts.clear()
            timeout = aiohttp.ClientTimeout(
                total=t.attempt, sock_connect=t.connect, sock_read=t.read
            )
            cached = self._timeouts[id(t)] = (t, timeout)
        return cached[1]

    def _headers_for(self, call: Call, url: URL, same_origin: bool) -> CIMultiDict[str]:
        opts = call.opts
        token = opts.token
        auth = bool(
            token
            and same_origin
            and (call.write or opts.token_explicit or not self._disable_implicit_token)
        )
        key = (id(opts), auth, call.body is not None)
        cached = self._headers.get(key)
        if cached is None or cached[0] is not opts:
            if len(self._headers) > 256:
                self._headers.clear()
            built: CIMultiDict[str] = CIMultiDict()
            built["User-Agent"] = self._user_agent
            built["Accept"] = "application/json"
            for name, value in opts.headers.items():
                if same_origin or not is_credential_header(name):
                    built[name] = value
            built.pop("Authorization", None)
            if call.body is not None:
                built["Content-Type"] = "application/json"
            if auth:
                built["Authorization"] = f"Bearer {token}"
            if same_origin:
                self._headers[key] = (opts, built)
            headers = built
        else:
            headers = cached[1]
        if call.extra_headers:
            headers = headers.copy()
            for name, value in call.extra_headers.items():
                if name.lower() != "authorization" and (
                    same_origin or not is_credential_header(name)
                ):
                    headers[name] = value
        return headers

    # -- one attempt ------------------------------------------------------------------

    async def exchange(self, call: Call, admission: Admission, *, stream: bool = False) -> Any:
        """One attempt: send, follow redirects, read the body; a :class:`Response`.

        With ``stream``, a 2xx answer is returned unread as ``(raw, head)``; the caller
        releases ``raw``. Raises the mapped ``HubError`` (with ``call`` updated).
        """
        method, url, body = call.method, call.url, call.body
        for _hop in range(MAX_REDIRECTS + 1):
            resp = await self._send(call, method, url, body)
            status = resp.status
            if status in REDIRECTS and "Location" in resp.headers:
                location = resp.headers["Location"]
                resp.release()
                admission.observe(decipher(status, resp.headers, b"", str(url), repo_route=False))
                url = self._follow(url, location)
                if status == 303 or (status in (301, 302) and method == "POST"):
                    method, body = "GET", None
                continue
            if stream and status < 300:
                admission.observe(decipher(status, resp.headers, b"", str(url), repo_route=False))
                return resp, Response(status, resp.headers, b"", str(url), method)
            try:
                return await self._finish(call, admission, resp, url)
            except BaseException:
                del resp  # a locals-capturing traceback keeps no response (headers) here
                raise
        raise HubConnectionError(
            f"{call.describe}: more than {MAX_REDIRECTS} redirects; the server is "
            "redirecting in a loop"
        )

    async def _finish(
        self, call: Call, admission: Admission, resp: aiohttp.ClientResponse, url: URL
    ) -> Response:
        """Read the body and make the answer a :class:`Response` or its error."""
        data = await self._read(call, resp, url)
        status, headers, where = resp.status, resp.headers, str(url)
        if status < 400:
            admission.observe(decipher(status, headers, b"", where, repo_route=False))
            return Response(status, headers, data, where, resp.method)
        seen: Deciphered = decipher(
            status,
            headers,
            data,
            where,
            repo_route=is_repo_route(url.path),
            token_sent="Authorization" in resp.request_info.headers,
        )
        admission.observe(seen)
        if resp.method == "DELETE" and status == 404 and call.lost_response:
            return Response(status, headers, data, where, resp.method)
        error = seen.error
        assert error is not None
        del data, resp, headers, seen  # what the server sent stays out of captured locals
        raise scrub(error, call.opts.token)

    async def _send(
        self, call: Call, method: str, url: URL, body: bytes | None
    ) -> aiohttp.ClientResponse:
        same_origin = self._checked_origin(url) == self.origin
        hop = Sends(foreign=not same_origin)
        reset = HOP.set(hop)
        failure: HubError | None = None
        try:
            resp = await self.session.request(
                method,
                url,
                data=body,
                headers=self._headers_for(call, url, same_origin),
                allow_redirects=False,
                raise_for_status=False,
                timeout=self._client_timeout(call.opts),
                ssl=self._ssl,
                proxy=self._proxies.for_url(url) if self._use_proxies else None,
                middlewares=self._middlewares,
            )
        except _ERRORS as exc:
            failure = self.failure(call, url, exc, sent=hop.count > 0)
        except RuntimeError:
            if not self.session.closed:
                raise
            call.verdict = False
            failure = HubConnectionError(
                "the aiohttp.ClientSession given to HubClient was closed; keep it open "
                "while the client is in use"
            )
        finally:
            HOP.reset(reset)
            call.counters.requests += hop.count
        if failure is not None:
            raise failure
        return resp

    def _follow(self, url: URL, location: str) -> URL:
        try:
            if any(ord(c) < 0x21 or ord(c) == 0x7F for c in location.strip()):
                raise ValueError("control characters or spaces in the Location")
            target = url.join(URL(location, encoded=True))
            check_target(target, offline=self._offline)
        except HubConnectionError as exc:
            raise HubConnectionError(f"the server redirected to a URL it must not: {exc}") from None
        except (ValueError, TypeError):
            target = None
        if target is None:
            shown = location if len(location) <= 200 else location[:197] + "..."
            raise HubConnectionError(f"the server redirected to an invalid URL: {shown!r}")
        return target

    async def _read(self, call: Call, resp: aiohttp.ClientResponse, url: URL) -> bytes:
        """The whole body, in one buffer, at most ``max_response_size`` decoded bytes."""
        cap = self.max_response_size
        length = resp.content_length
        failure: HubError | None = None
        try:
            if length is not None and "Content-Encoding" not in resp.headers:
                if length > cap:
                    failure = self._too_large(resp, url, cap)
                else:
                    data = await resp.read()  # framed by Content-Length: one buffer, no copy
                    call.counters.bytes_received += len(data)
                    return data
            else:
                # Counted as decoded: a small compressed body may inflate past the cap.
                chunks: list[bytes] = []
                size = 0
                async for chunk in resp.content.iter_any():
                    size += len(chunk)
                    if size > cap:
                        failure = self._too_large(resp, url, cap)
                        break
                    chunks.append(chunk)
                else:
                    call.counters.bytes_received += size
                    return b"".join(chunks)
        except _ERRORS as exc:
            failure = self.failure(call, url, exc, sent=True)
        finally:
            resp.release()
        assert failure is not None
        raise failure

    def _too_large(self, resp: aiohttp.ClientResponse, url: URL, cap: int) -> DecodeError:
        return DecodeError(
            f"the response from {url.with_query(None)} is larger than max_response_size "
            f"({cap} bytes); raise HubClient(max_response_size=...) if that is expected",
            status=resp.status,
            url=str(url),
            request_id=resp.headers.get("X-Request-Id"),
        )

    def failure(self, call: Call, url: URL, exc: BaseException, *, sent: bool) -> HubError:
        """The error for a failure without a (complete) response; judges it on ``call``."""
        where = f"{call.method} {url.with_query(None)}"
        idempotent = call.method in IDEMPOTENT
        call.verdict = False
        if self._is_closed():
            return HubConnectionError(CLOSED_MESSAGE)
        err: HubError
        if isinstance(exc, aiohttp.ClientConnectorError):
            refused = isinstance(exc.os_error, ConnectionRefusedError)
            call.verdict = idempotent or refused
            return HubConnectionError(
                f"{where}: could not connect to {url.host}:{url.port}: {exc.os_error}; "
                "check the endpoint and your network"
            )
        if isinstance(exc, aiohttp.InvalidURL):
            return HubConnectionError(f"{where}: invalid URL")
        if isinstance(exc, TimeoutError):
            what = "waiting for data" if sent else "connecting"
            err = HubTimeoutError(f"{where}: timed out {what}; the server is slow or unreachable")
        elif isinstance(exc, aiohttp.ClientPayloadError):
            err = HubConnectionError(
                f"{where}: the response body was cut off before it was complete"
            )
        elif isinstance(exc, aiohttp.ServerDisconnectedError):
            err = HubConnectionError(f"{where}: the server closed the connection without answering")
        elif isinstance(exc, aiohttp.ClientResponseError):
            # Carries the request headers: only its status and message are kept.
            err = HubConnectionError(f"{where}: {type(exc).__name__}: {exc.status} {exc.message}")
        else:
            err = HubConnectionError(f"{where}: {type(exc).__name__}: {exc}")
        call.verdict = idempotent
        call.lost_response = call.lost_response or sent
        return scrub(err, call.opts.token)

    async def chunks(
        self, call: Call, raw: aiohttp.ClientResponse, chunk_size: int
    ) -> AsyncIterator[bytes]:
        """The body of a streamed answer, chunk by chunk (cut: ``HubConnectionError``)."""
        failure: HubError | None = None
        try:
            counters = call.counters
            async for chunk in raw.content.iter_chunked(chunk_size):
                counters.bytes_received += len(chunk)
                yield chunk
        except _ERRORS as exc:
            failure = self.failure(call, raw.url, exc, sent=True)
        if failure is not None:
            raise failure
