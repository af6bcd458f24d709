"""``hub.users``: the account behind the token."""

from __future__ import annotations

import math

from .._options import Timeout
from ..types import WhoAmI
from ._base import Resource

__all__ = ["Users"]

_WHOAMI = "whoami"


def _check_ttl(cache_ttl: float | None) -> None:
    if cache_ttl is None:
        return
    if isinstance(cache_ttl, bool) or not isinstance(cache_ttl, int | float):
        raise TypeError(f"cache_ttl must be a number of seconds, got {type(cache_ttl).__name__}")
    if math.isnan(cache_ttl) or cache_ttl <= 0:
        raise ValueError(f"cache_ttl must be > 0 seconds, got {cache_ttl!r}")


class Users(Resource):
    """``hub.users``: ``whoami()`` and its cache."""

    async def whoami(
        self,
        *,
        cache_ttl: float | None = None,
        timeout: Timeout | float | None = None,
    ) -> WhoAmI:
        """The user the client's token belongs to, with its organizations.

        Anonymous clients get an ``AuthenticationError``. The Hub rate-limits
        ``/api/whoami-v2`` harder than other routes, so the answer can be reused:
        with ``cache_ttl=60`` an answer at most 60 seconds old (``math.inf``: any age)
        is returned without a request. The cache belongs to the client and is shared by
        all its ``with_options`` views; it is kept per token (a keyed digest of it, never
        the token itself), so two tokens never see each other's answer, and a call
        without a token never uses it. Concurrent calls with the same token share one
        request. Errors are never cached. Without ``cache_ttl`` every call asks the Hub
        (and leaves the cache as it is).
        """
        _check_ttl(cache_ttl)

        async def fetch() -> WhoAmI:
            return await self._get("/api/whoami-v2", WhoAmI, timeout=timeout)

        if cache_ttl is None:
            return await fetch()
        return await self._cache.get_or_fetch(
            _WHOAMI, cache_ttl, fetch, wait_limit=self._deadline(timeout)
        )

    def clear_whoami_cache(self) -> None:
        """Drop the cached ``whoami`` answer of this client's token (after a role change)."""
        self._cache.discard(_WHOAMI)
