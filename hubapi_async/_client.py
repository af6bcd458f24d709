"""``HubClient``: the async session users hold, with its endpoint namespaces."""

from __future__ import annotations

import os
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Mapping,
    Sequence,
)
from contextlib import AbstractAsyncContextManager
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, overload

import aiohttp

from ._cache import AnswerCache, CacheScope
from ._config import env_flag, parse_endpoint, resolve_token
from ._options import RetryPolicy, Timeout
from ._pagination import NextPage, Paginator
from ._params import encode_params
from ._resources import (
    Collections,
    Datasets,
    Models,
    Organizations,
    Papers,
    Repos,
    ResourceGroups,
    Spaces,
    Users,
)
from ._response import CallOptions, Response
from ._transport import DEFAULT_MAX_RESPONSE_SIZE, Transport
from .errors import remember_secret

if TYPE_CHECKING:
    from ._bulk import BulkMap
    from ._stats import HubStats

__all__ = ["HubClient", "encode_params"]

T = TypeVar("T")
I = TypeVar("I")  # noqa: E741
R = TypeVar("R")


class _Unset:
    def __repr__(self) -> str:
        return "<unset>"


_UNSET: Any = _Unset()


class HubClient:
    """An async session on the Hugging Face Hub.

    ``async with HubClient() as hub:`` (or ``hub = HubClient()`` then
    ``await hub.aclose()``). One client serves any number of tasks of one event
    loop; its endpoint families are namespaces: ``hub.models``, ``hub.datasets``,
    ``hub.spaces``, ``hub.repos``, ``hub.users``, ``hub.organizations``,
    ``hub.resource_groups``, ``hub.papers``, ``hub.collections``. See the README for
    every option.
    """

    def __init__(
        self,
        endpoint: str | None = None,
        token: str | bool | None = None,
        *,
        session: aiohttp.ClientSession | None = None,
        timeout: Timeout | float | None = None,
        max_concurrency: int = 64,
        retry: RetryPolicy | None = None,
        user_agent: str | None = None,
        trust_env: bool = True,
        ssl: Any = None,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
    ) -> None:
        if isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int):
            raise TypeError("max_concurrency must be an int")
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be >= 1")
        if max_response_size < 1:
            raise ValueError("max_response_size must be >= 1")
        if user_agent is not None and any(ord(c) < 0x20 for c in user_agent):
            raise ValueError("user_agent must not contain control characters")
        resolved, explicit = resolve_token(token)
        self._disable_implicit_token = env_flag("HF_HUB_DISABLE_IMPLICIT_TOKEN")
        remember_secret(resolved)
        self._transport = Transport(
            parse_endpoint(endpoint),
            session=session,
            max_concurrency=max_concurrency,
            trust_env=trust_env,
            ssl=ssl,
            user_agent=user_agent,
            offline=env_flag("HF_HUB_OFFLINE"),
            disable_implicit_token=self._disable_implicit_token,
            max_response_size=max_response_size,
        )
        self._opts = CallOptions(
            token=resolved,
            token_explicit=explicit,
            timeout=Timeout.coerce(timeout, Timeout()),
            retry=retry if retry is not None else RetryPolicy(),
        )
        self._is_view = False
        # Answers some calls may reuse (``whoami(cache_ttl=...)``), shared with every view.
        self._cache = AnswerCache()

    # -- identity ----------------------------------------------------------------

    @property
    def endpoint(self) -> str:
        """The Hub's base URL (no trailing slash)."""
        return str(self._transport.endpoint)

    @property
    def closed(self) -> bool:
        """True once the client (or the client a view belongs to) is closed."""
        return self._transport.closed

    def __repr__(self) -> str:
        auth = "token=<set>" if self._opts.token else "anonymous"
        view = " view" if self._is_view else ""
        state = " closed" if self.closed else ""
        return f"<HubClient{view} {self.endpoint} {auth}{state}>"

    # -- lifecycle ---------------------------------------------------------------

    async def aclose(self) -> None:
        """Close the client (idempotent). On a view, does nothing."""
        if not self._is_view:
            await self._transport.aclose()

    async def __aenter__(self) -> HubClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def with_options(
        self,
        *,
        token: str | bool | None = _UNSET,
        timeout: Timeout | float | None = None,
        retry: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> HubClient:
        """A view of this client (same pool, same rate-limit gate) with other defaults.

        Left-out arguments are inherited; ``token=False`` means anonymous; ``headers``
        are merged key by key. Closing a view closes nothing.
        """
        opts = self._opts
        if token is not _UNSET:
            if token is None:
                raise TypeError("with_options(token=None) is ambiguous: pass a str or False")
            tok, explicit = resolve_token(token)
            remember_secret(tok)
            opts = CallOptions(tok, explicit, opts.timeout, opts.retry, opts.headers)
        if headers:
            for key, value in headers.items():
                if any(ord(c) < 0x20 for c in f"{key}{value}"):
                    raise ValueError(f"header {key!r} contains control characters")
            if any(k.lower() == "authorization" for k in headers):
                raise ValueError("set the token with token=..., not an Authorization header")
        view = object.__new__(HubClient)
        view._transport = self._transport
        view._disable_implicit_token = self._disable_implicit_token
        view._cache = self._cache
        view._opts = CallOptions(
            token=opts.token,
            token_explicit=opts.token_explicit,
            timeout=Timeout.coerce(timeout, opts.timeout),
            retry=retry if retry is not None else opts.retry,
            headers={**opts.headers, **(headers or {})},
        )
        view._is_view = True
        return view

    # -- namespaces ----------------------------------------------------------------

    @cached_property
    def models(self) -> Models:
        """Model repos: ``list``, ``info``, ``tags_by_type``."""
        return Models(self)

    @cached_property
    def datasets(self) -> Datasets:
        """Dataset repos: ``list``, ``info``, ``tags_by_type``, parquet, croissant."""
        return Datasets(self)

    @cached_property
    def spaces(self) -> Spaces:
        """Space repos: ``list``, ``info``."""
        return Spaces(self)

    @cached_property
    def repos(self) -> Repos:
        """Repo management: ``create``, ``delete``, ``update_settings``, ``move``."""
        return Repos(self)

    @cached_property
    def users(self) -> Users:
        """The account behind the token: ``whoami``."""
        return Users(self)

    @cached_property
    def organizations(self) -> Organizations:
        """Organizations: ``members``."""
        return Organizations(self)

    @cached_property
    def resource_groups(self) -> ResourceGroups:
        """Resource groups of an organization, their members and repos."""
        return ResourceGroups(self)

    @cached_property
    def papers(self) -> Papers:
        """Papers: ``info``, ``repos``, ``daily``."""
        return Papers(self)

    @cached_property
    def collections(self) -> Collections:
        """Collections: ``list``, ``get``, ``create``, ``update``, ``delete`` and their items."""
        return Collections(self)

    # -- per-call defaults -----------------------------------------------------------

    @property
    def stats(self) -> HubStats:
        """What this client (and every view of it) did so far, per rate-limit bucket.

        A snapshot (:class:`~hubapi_async._stats.HubStats`): calls, requests sent (every
        attempt and redirect hop), retries, 429s seen, rate-limit gate waits and their
        total time, body bytes received and failed calls, per bucket and in total;
        ``hub.stats.to_prometheus()`` renders them in the Prometheus text format.
        """
        return self._transport.stats()

    @property
    def retry(self) -> RetryPolicy:
        """The retry policy calls of this client (or view) run with."""
        return self._opts.retry

    @property
    def timeout(self) -> Timeout:
        """The timeouts calls of this client (or view) run with."""
        return self._opts.timeout

    def _cache_scope(self) -> CacheScope:
        """The shared answer cache, keyed by the credential this client's reads carry."""
        o = self._opts
        sends = o.token_explicit or not self._disable_implicit_token
        return CacheScope(self._cache, o.token if sends else None)

    # -- the escape hatch ------------------------------------------------------------

    def _call_opts(self, timeout: Timeout | float | None) -> CallOptions:
        if timeout is None:
            return self._opts
        o = self._opts
        return CallOptions(
            o.token, o.token_explicit, Timeout.coerce(timeout, o.timeout), o.retry, o.headers
        )

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        timeout: Timeout | float | None = None,
    ) -> Response:
        """Send any request to the Hub and return the whole :class:`Response`.

        ``path`` is a path on the endpoint (``/api/...``, already percent-encoded) or a
        full URL. Errors, retries and redirects are handled as for every call. Methods
        other than GET, HEAD and OPTIONS are write calls: with
        ``HF_HUB_DISABLE_IMPLICIT_TOKEN=1`` only they carry an implicit token.
        """
        method = method.upper()
        return await self._transport.send(
            method,
            path,
            self._call_opts(timeout),
            params=encode_params(params),
            json=json,
            write=method not in ("GET", "HEAD", "OPTIONS"),
            headers=headers,
        )

    def stream(
        self,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        chunk_size: int = 1 << 16,
        timeout: Timeout | float | None = None,
    ) -> AbstractAsyncContextManager[tuple[Response, AsyncIterator[bytes]]]:
        """GET ``path`` and stream its body: ``async with hub.stream(p) as (head, chunks)``.

        ``head`` is the :class:`Response` with an empty body (status, headers);
        ``chunks`` an async iterator of bytes. Retries happen until the headers arrive;
        a body cut after chunks were yielded raises ``HubConnectionError`` (bytes are
        never repeated). The connection is held until the block exits. Redirects to
        another origin (a CDN) are followed without the token. The deadline bounds
        getting the headers (retries included); reading the body is bounded by the
        timeout's ``read`` (each gap) and ``attempt`` (the whole stream).
        """
        target = self._transport.url_for(path, encode_params(params)) if params else path
        return self._transport.stream(
            target, self._call_opts(timeout), headers=headers, chunk_size=chunk_size
        )

    async def download(
        self,
        path: str,
        dest: str | os.PathLike[str],
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        progress: Callable[[int, int | None], object] | None = None,
        verify: Callable[[Path, Response], None] | None = None,
        timeout: Timeout | float | None = None,
    ) -> Path:
        """GET ``path`` (following redirects, the token only on the endpoint's origin)
        into the file ``dest``, atomically, and return ``dest``.

        Bytes go to a temporary file beside ``dest``, renamed into place once complete;
        nothing is left behind on failure. A transfer cut or stalled mid-body is resumed
        with ``Range`` and ``If-Range`` (a file that changed meanwhile starts over),
        within the call's one retry budget and one deadline. The file is checked against
        the announced size and a SHA-256 ``ETag``, then by ``verify(path, head)``, which
        may raise (a ``DecodeError``) to refuse it. ``progress(done, total)`` is called
        after each chunk written.
        """
        from ._download import download

        target = self._transport.url_for(path, encode_params(params)) if params else path
        dest_path = Path(dest)
        await download(
            self._transport,
            str(target),
            self._call_opts(timeout),
            dest_path,
            headers=dict(headers or {}),
            progress=progress,
            verify=verify,
        )
        return dest_path

    async def request_json(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        timeout: Timeout | float | None = None,
    ) -> Any:
        """Like :meth:`request`, returning the decoded JSON body (``None`` when empty)."""
        response = await self.request(method, path, params=params, json=json, timeout=timeout)
        if not response.body.strip():
            return None
        return response.json()

    @overload
    def paginate(
        self,
        path_or_url: str,
        *,
        params: Mapping[str, Any] | None = None,
        type: type[T],
        limit: int | None = None,
        prefetch: bool = False,
        timeout: Timeout | float | None = None,
        next_page: NextPage | None = None,
    ) -> Paginator[T]: ...

    @overload
    def paginate(
        self,
        path_or_url: str,
        *,
        params: Mapping[str, Any] | None = None,
        limit: int | None = None,
        prefetch: bool = False,
        timeout: Timeout | float | None = None,
        next_page: NextPage | None = None,
    ) -> Paginator[Any]: ...

    def paginate(
        self,
        path_or_url: str,
        *,
        params: Mapping[str, Any] | None = None,
        type: Any = Any,
        limit: int | None = None,
        prefetch: bool = False,
        timeout: Timeout | float | None = None,
        next_page: NextPage | None = None,
    ) -> Paginator[Any]:
        """A lazy :class:`Paginator` over any listing that follows ``Link`` headers.

        ``path_or_url`` is a path on the endpoint or a full URL on its origin (a
        resume point); items are decoded into ``type``. ``next_page`` names the next
        page of a listing that pages without ``Link`` headers (see :data:`NextPage`).
        """
        opts = self._call_opts(timeout)
        transport = self._transport

        async def fetch(target: str, query: Sequence[tuple[str, str]] | None) -> Response:
            return await transport.send("GET", target, opts, params=query)

        return Paginator(
            fetch,
            path_or_url,
            params=encode_params(params) or None,
            item_type=type,
            endpoint=str(transport.endpoint),
            limit=limit,
            prefetch=prefetch,
            next_page=next_page,
        )

    def map(
        self,
        fn: Callable[[I], Awaitable[R]],
        inputs: Iterable[I] | AsyncIterable[I],
        *,
        concurrency: int = 16,
    ) -> BulkMap[I, R]:
        """Call ``fn`` on every input, at most ``concurrency`` at a time.

        ``async for r in hub.map(hub.models.info, repo_ids):`` yields a ``BulkResult``
        (``r.input``, ``r.value``, ``r.error``) per input as calls complete; one failure
        does not cancel the rest. Memory stays bounded whatever the number of inputs
        (an iterable or an async iterable, read lazily).
        """
        from ._bulk import BulkMap  # loads anyio: only clients that map pay for it

        return BulkMap(fn, inputs, concurrency=concurrency)
