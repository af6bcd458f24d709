"""``hub.users``: the account behind the token."""

from __future__ import annotations

from .._options import Timeout
from ..types import WhoAmI
from ._base import Resource

__all__ = ["Users"]


class Users(Resource):
    """``hub.users``: ``whoami()``."""

    async def whoami(self, *, timeout: Timeout | float | None = None) -> WhoAmI:
        """The user the client's token belongs to, with its organizations.

        Anonymous clients get an ``AuthenticationError``. The Hub rate-limits this
        endpoint strictly: call it once and keep the answer.
        """
        return await self._get("/api/whoami-v2", WhoAmI, timeout=timeout)
