"""``hub.users``: the account behind the token."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._options import Timeout
from ..types import WhoAmI

if TYPE_CHECKING:
    from .._client import HubClient

__all__ = ["Users"]


class Users:
    """``hub.users``: ``whoami()``."""

    def __init__(self, client: HubClient) -> None:
        self._client = client

    async def whoami(self, *, timeout: Timeout | float | None = None) -> WhoAmI:
        """The user the client's token belongs to, with its organizations.

        Anonymous clients get an ``AuthenticationError``. The Hub rate-limits this
        endpoint strictly: call it once and keep the answer.
        """
        return await self._client._get("/api/whoami-v2", WhoAmI, timeout=timeout)
