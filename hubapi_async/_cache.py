"""A small per-client cache of answers, kept per credential, with age limits.

One :class:`AnswerCache` belongs to a :class:`~hubapi_async.HubClient` and is shared by all
its ``with_options`` views. Entries are keyed by what was asked (``"whoami"``) and by a
fingerprint of the credential the call carries: a keyed BLAKE2b digest of the token with a
random key drawn per cache, so the raw token is never stored or printable, and two tokens
never share an entry. A call without a token is never served from the cache.

Concurrent calls for the same key share one request (single flight): the first one fetches,
the others wait for its answer (bounded by their own deadline) and fetch for themselves if
it fails. Only successful answers are stored. Time comes from ``clock`` (the running loop's
``time()`` by default), so tests can drive expiry with a fake clock.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from .errors import HubTimeoutError

__all__ = ["AnswerCache", "CacheScope"]

T = TypeVar("T")

_Key = tuple[str, bytes]


class AnswerCache:
    """Answers by ``(name, credential fingerprint)``, oldest evicted past ``max_entries``."""

    def __init__(
        self, *, max_entries: int = 1024, clock: Callable[[], float] | None = None
    ) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be >= 1")
        self.max_entries = max_entries
        #: The time source (seconds, monotonic); ``None`` means the running loop's time.
        self.clock = clock
        self._key = os.urandom(32)
        self._entries: OrderedDict[_Key, tuple[float, Any]] = OrderedDict()
        self._pending: dict[_Key, asyncio.Future[Any]] = {}

    def __repr__(self) -> str:
        return f"<AnswerCache {len(self._entries)} entries>"

    def __len__(self) -> int:
        return len(self._entries)

    def fingerprint(self, token: str) -> bytes:
        """A keyed digest standing for ``token`` (not reversible, not comparable across caches)."""
        return hashlib.blake2b(token.encode(), key=self._key, digest_size=16).digest()

    def now(self) -> float:
        """The current time of this cache's clock."""
        return self.clock() if self.clock is not None else asyncio.get_running_loop().time()

    def _fresh(self, key: _Key, max_age: float) -> tuple[bool, Any]:
        entry = self._entries.get(key)
        if entry is None:
            return False, None
        stored_at, value = entry
        if self.now() - stored_at < max_age:
            self._entries.move_to_end(key)
            return True, value
        return False, None

    def _store(self, key: _Key, value: Any) -> None:
        self._entries[key] = (self.now(), value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    async def get_or_fetch(
        self,
        key: _Key,
        max_age: float,
        fetch: Callable[[], Awaitable[T]],
        *,
        wait_limit: float | None = None,
    ) -> T:
        """A stored answer younger than ``max_age`` seconds, else ``await fetch()`` (stored).

        While another call fetches the same key, wait for it (at most ``wait_limit``
        seconds: then ``HubTimeoutError``) and use its answer; if it fails, fetch anew.
        """
        while True:
            hit, value = self._fresh(key, max_age)
            if hit:
                return value  # type: ignore[no-any-return]
            pending = self._pending.get(key)
            if pending is None:
                break
            try:
                async with asyncio.timeout(wait_limit):
                    return await asyncio.shield(pending)
            except asyncio.CancelledError:
                if not pending.done():
                    raise  # this caller was cancelled, not the call it waited for
            except TimeoutError:
                raise HubTimeoutError(
                    "the call's deadline ran out while waiting for an identical call in flight"
                ) from None
            # the call waited for failed: loop, and fetch unless another one is under way
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            value = await fetch()
        except BaseException:
            future.cancel()  # waiters fetch for themselves; failures are never shared
            raise
        else:
            self._store(key, value)
            future.set_result(value)
            return value
        finally:
            if self._pending.get(key) is future:
                del self._pending[key]

    def discard(self, key: _Key) -> None:
        """Forget the answer stored under ``key``, if any."""
        self._entries.pop(key, None)

    def clear(self) -> None:
        """Forget every stored answer."""
        self._entries.clear()


class CacheScope:
    """The cache as seen by one client or view: keys carry its credential's fingerprint.

    A scope without a credential (anonymous, or a token the call would not send) passes
    every call straight through.
    """

    __slots__ = ("_cache", "_fingerprint")

    def __init__(self, cache: AnswerCache, token: str | None) -> None:
        self._cache = cache
        self._fingerprint = cache.fingerprint(token) if token else None

    def __repr__(self) -> str:
        return "<CacheScope anonymous>" if self._fingerprint is None else "<CacheScope>"

    @property
    def cache(self) -> AnswerCache:
        """The client's cache this scope reads and writes."""
        return self._cache

    async def get_or_fetch(
        self,
        name: str,
        max_age: float,
        fetch: Callable[[], Awaitable[T]],
        *,
        wait_limit: float | None = None,
    ) -> T:
        """See :meth:`AnswerCache.get_or_fetch`; without a credential, just fetch."""
        if self._fingerprint is None:
            return await fetch()
        key = (name, self._fingerprint)
        return await self._cache.get_or_fetch(key, max_age, fetch, wait_limit=wait_limit)

    def discard(self, name: str) -> None:
        """Forget this credential's answer for ``name``."""
        if self._fingerprint is not None:
            self._cache.discard((name, self._fingerprint))
