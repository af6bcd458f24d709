"""The aiohttp client middleware every request of a client goes through.

The wire part sets :data:`HOP` around each send; the :class:`Guard` reads it there.
"""

from __future__ import annotations

import contextvars

import aiohttp

from ._urlpolicy import is_credential_header, is_loopback

__all__ = ["HOP", "Guard", "Sends"]


class Sends:
    """What the :class:`Guard` saw of one hop: how many sends, the error that stops a
    resend, and whether credential headers must go."""

    __slots__ = ("count", "error", "foreign")

    def __init__(self, foreign: bool) -> None:
        self.count = 0
        self.error: BaseException | None = None
        self.foreign = foreign


HOP: contextvars.ContextVar[Sends | None] = contextvars.ContextVar("hubapi_hop", default=None)


class Guard:
    """aiohttp client middleware, one per client, that keeps every hop to its rules.

    - aiohttp resends an idempotent request once after ``ClientOSError`` or
      ``ServerDisconnectedError`` (aio-libs/aiohttp#7363); the retry policy owns every
      resend, so the guard refuses that one: ``max_retries=0`` is one request on the wire.
    - On a hop to another origin, no credential-like header goes out, whoever set it
      (a borrowed session's defaults, its cookie jar, ``with_options(headers=...)``).
    - In offline mode, no request goes through a proxy that is not on loopback.
    """

    __slots__ = ("_offline", "sent")

    def __init__(self, *, offline: bool) -> None:
        self._offline = offline
        #: Requests written to the wire (every attempt and redirect hop).
        self.sent = 0

    async def __call__(
        self, req: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType
    ) -> aiohttp.ClientResponse:
        hop = HOP.get()
        if hop is not None:
            if hop.error is not None:
                raise hop.error
            hop.count += 1
            if hop.foreign:
                for name in [n for n in req.headers if is_credential_header(n)]:
                    del req.headers[name]
        if self._offline and req.proxy is not None and not is_loopback(req.proxy.host):
            req.update_proxy(None, None, None)
        self.sent += 1
        try:
            return await handler(req)
        except (aiohttp.ClientOSError, aiohttp.ServerDisconnectedError) as exc:
            if hop is not None:
                hop.error = exc
            raise
