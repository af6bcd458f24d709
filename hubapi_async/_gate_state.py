"""The rate-limit gate's records: one bucket's state, a ticket, a waiter, a refusal.

Plain state, no decisions: :mod:`._gate` reads and updates these.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from dataclasses import dataclass
from typing import Final

__all__ = ["GateRefused", "Ticket"]

_INF: Final = math.inf


class GateRefused(Exception):
    """The gate would have to wait longer than allowed (the message says why).

    ``wait`` is the gate's wait; ``remaining``, ``reset_in``, ``limit`` and ``window`` come
    from the bucket's last ``RateLimit`` / ``RateLimit-Policy``.
    """

    bucket: str
    wait: float
    remaining: int | None
    reset_in: float | None
    limit: int | None
    window: float | None

    def __init__(self, message: str, **fields: object) -> None:
        super().__init__(message)
        self.__dict__.update(fields)


class Ticket:
    """One admitted request: hand it back with ``observe`` or ``release``."""

    __slots__ = ("_bucket", "done", "epoch", "probe", "sent_at", "seq", "settled_before")

    def __init__(self, bucket: _Bucket, now: float, probe: bool) -> None:
        self._bucket = bucket
        self.seq = bucket.sent
        self.sent_at = now
        self.settled_before = bucket.settled
        self.epoch = bucket.epoch
        self.probe = probe
        self.done = False

    def __repr__(self) -> str:
        return f"<Ticket #{self.seq} {self._bucket.name!r} of {self._bucket.cred}>"


@dataclass(slots=True)
class _Waiter:
    future: asyncio.Future[Ticket]
    since: float
    deadline: float  # the latest time it accepts to go


class _Bucket:
    """The state of one (credential, bucket): counters, the current window view, waiters."""

    def __init__(self, cred: str, name: str) -> None:
        self.cred = cred  # a salted hash prefix, never the token
        self.name = name
        self.sent = 0  # requests admitted (and extra redirect hops seen)
        self.settled = 0  # requests whose counting is over: answered, never sent, aged
        self.prior = 0  # settled requests known to belong to a window before the view's
        self.in_view = 0  # settled requests of the view's window (or an older one)
        self.carry = 0  # settled requests that may also be in the next window
        self.abandoned: deque[float] = deque()  # when each unanswered request settles
        # the view: the window the freshest evidence is about
        self.has_view = False
        self.epoch = 0
        self.lo = -_INF  # its end lies in (lo, hi]
        self.hi = _INF
        self.guess_hi = _INF  # while hi is unknown after a rollover: surely over by then
        self.cap: int | None = None  # the best evidence: send while sent < cap
        self.base: int | None = None  # a restored quota: send while sent < base + prior
        self.quota: int | None = None  # RateLimit-Policy q and w
        self.window: float | None = None
        self.q_lo = 0  # the largest r + 1 seen (a lower bound of the quota)
        self.t_max = 0.0
        self.last: tuple[int, float, float] | None = None  # r, t, when
        self.paused_until = -_INF
        self.bare_429s = 0
        self.ungated = False
        self.probes = 0
        self.probe_at = -_INF
        self.waiters: deque[_Waiter] = deque()
        self.timer: asyncio.Task[None] | None = None
        self.timer_at = _INF
        self.logged_at = _INF
        # figures
        self.waited = 0
        self.wait_time = 0.0
        self.refused = 0
        self.seen_429 = 0

    def end(self) -> float:
        """When the view's window is surely over."""
        return self.hi if self.hi < _INF else self.guess_hi

    def limit(self) -> float:
        """Requests may be sent while ``sent`` is below this."""
        base = -_INF if self.base is None else self.base + self.prior
        return max(base, -_INF if self.cap is None else self.cap)

    def idle(self, now: float) -> bool:
        busy = self.sent != self.settled or self.abandoned or self.waiters
        return not busy and now >= self.paused_until

    def __repr__(self) -> str:
        return (
            f"<gate bucket {self.name!r} of {self.cred}: sent={self.sent} "
            f"settled={self.settled} limit={self.limit()} window_end<={self.hi:.1f}>"
        )
