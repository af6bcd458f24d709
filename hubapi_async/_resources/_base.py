"""The base of every endpoint family: the HTTP verbs, bound once to the client.

A resource builds a path, its parameters or body, and picks the Struct to decode; it never
touches the transport or the client's private state: what it needs is bound here once (the
verbs, and ``self._cache``, the client's answer cache scoped to this client's credential).
Write calls (``POST``, ``PUT``, ``PATCH``, ``DELETE``) are sent with ``write=True``, so that
``HF_HUB_DISABLE_IMPLICIT_TOKEN`` still sends the token there.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any, TypeVar

from .._cache import CacheScope
from .._options import RetryPolicy, Timeout
from .._response import Response

if TYPE_CHECKING:
    from .._client import HubClient

__all__ = ["Resource", "body_of"]

T = TypeVar("T")


def body_of(**fields: Any) -> dict[str, Any]:
    """A JSON body of the fields the caller passed (``None`` means "not passed")."""
    return {key: value for key, value in fields.items() if value is not None}


class Resource:
    """An endpoint family (``hub.models``, ``hub.collections``...)."""

    def __init__(self, client: HubClient) -> None:
        self._client = client
        self._request = client.request
        #: ``self._paginate(path, params=..., type=T, limit=..., prefetch=..., timeout=...)``
        self._paginate = client.paginate
        self._stream_call = client.stream
        #: The client's answer cache, scoped to the credential this client's reads carry.
        self._cache: CacheScope = client._cache_scope()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"

    @property
    def _retry_policy(self) -> RetryPolicy:
        return self._client.retry

    def _deadline(self, timeout: Timeout | float | None) -> float | None:
        """The whole-call deadline a call with ``timeout=`` runs with (``None``: none)."""
        return Timeout.coerce(timeout, self._client.timeout).deadline

    async def _call(
        self,
        method: str,
        path: str,
        tp: type[T],
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        timeout: Timeout | float | None = None,
    ) -> T:
        response = await self._request(method, path, params=params, json=json, timeout=timeout)
        return response.decode(tp)

    async def _get(
        self,
        path: str,
        tp: type[T],
        *,
        params: Mapping[str, Any] | None = None,
        timeout: Timeout | float | None = None,
    ) -> T:
        return await self._call("GET", path, tp, params=params, timeout=timeout)

    async def _post(
        self,
        path: str,
        tp: type[T],
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        timeout: Timeout | float | None = None,
    ) -> T:
        return await self._call("POST", path, tp, params=params, json=json, timeout=timeout)

    async def _put(
        self,
        path: str,
        tp: type[T],
        *,
        json: Any = None,
        timeout: Timeout | float | None = None,
    ) -> T:
        return await self._call("PUT", path, tp, json=json, timeout=timeout)

    async def _patch(
        self,
        path: str,
        tp: type[T],
        *,
        json: Any = None,
        timeout: Timeout | float | None = None,
    ) -> T:
        return await self._call("PATCH", path, tp, json=json, timeout=timeout)

    async def _delete(
        self,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        timeout: Timeout | float | None = None,
    ) -> Response:
        return await self._request("DELETE", path, params=params, json=json, timeout=timeout)

    def _stream(
        self,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        chunk_size: int = 1 << 16,
        timeout: Timeout | float | None = None,
    ) -> AbstractAsyncContextManager[tuple[Response, AsyncIterator[bytes]]]:
        return self._stream_call(path, headers=headers, chunk_size=chunk_size, timeout=timeout)
