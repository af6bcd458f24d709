"""The client-side rate-limit gate: one per client, one state per credential and bucket.

The Hub counts requests per token (per IP when anonymous) and per bucket (``api``,
``resolvers``, ``pages``) in fixed windows, and tells the count on every answer:
``RateLimit: "api";r=<remaining>;t=<seconds to reset>`` and ``RateLimit-Policy:
"fixed window";"api";q=<quota>;w=<window>``. The gate holds requests back so that the
server never has to refuse one, while still sending the whole quota of every window.

What the server can have counted
--------------------------------
A request is counted at some moment between the time it is sent and the time its answer
arrives; requests overtake each other on the way (a new connection is slower than a warm
one, answers are slow or fast), so the answer to request N says nothing about requests
whose answers had not arrived when N was sent: they may have been counted before N (and
be in ``r``) or after it (and not be). Only the requests *settled* before N was sent (an
answer received, or known never sent) were surely counted before N. So N's window ends
with at most ``(q - r) + (requests sent, other than N, not settled when N was sent)``,
and a later window holds at most the latter: the gate may send while ``sent < r +
settled_before_N + 1`` (N's *cap*), whatever window the server is in by then.

Windows. ``t`` is whole seconds and the Hub does not say how it rounds, so N's window
ends in ``(sent_N + t - 1, received_N + t + 1]``. Answers whose intervals can only be of
the view's window narrow it; once its upper end passes, the window is surely over and
(with the ``RateLimit-Policy`` quota) the quota is restored, less every request that may
be counted in the new window: those in flight, and those settled without saying which
window they were in. A late answer from the old window is told apart by its interval
(windows are ``w`` apart) and stops counting against the new one; one that could be of
either counts against both. Without a policy the next window is learned by a new probe.
When answers take a good part of a window, fewer of them can be placed, and the gate
sends less rather than risk a 429.

Between answers nothing is assumed: a request that failed without an answer may still
reach the server, so it counts as unsettled for ``min(w, 30 s)``. With no view yet, one
request (the probe) learns the quota while the others wait; a probe that fails or takes
more than a few seconds lets the next one go. A bucket whose first answers carry no
``RateLimit`` header is left ungated (only ``max_concurrency`` applies). A 429 pauses the
whole bucket until ``t + 1`` (with backoff when it has no header). A wait the gate knows
to be longer than allowed is refused at once (``GateRefused``); a wait for answers still
to come is bounded by the caller's deadline.

Credentials are keyed by a salted hash, so neither the token nor a stable digest of it is
kept; ``with_options`` views with the same token share their buckets.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import math
import secrets
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Final

from ._gate_state import GateRefused, Ticket, _Bucket, _Waiter
from ._protocol import RateLimitPolicy, RateLimitState

__all__ = ["GateRefused", "RateLimitGate", "Ticket"]

log = logging.getLogger("hubapi_async")

#: How long the probe may take before the next waiter goes too.
_PROBE_PATIENCE: Final = 5.0
#: How long a request that ended without an answer may still be counted by the server.
_ABANDONED_AGE: Final = 30.0
#: ``t`` is whole seconds, rounded one way or the other: the true time to reset lies in
#: ``(t - 1, t + 1]`` (the Hub does not say; its own client adds a second too).
_ROUNDING: Final = 1.0
#: The longest pause for 429s without headers.
_MAX_BARE_PAUSE: Final = 60.0
#: Idle buckets beyond this many are forgotten (a service may see many tokens).
_MAX_BUCKETS: Final = 512
_INF: Final = math.inf

_GO, _PROBE, _WAIT = "go", "probe", "wait"


class RateLimitGate:
    """Admission control per credential and bucket, shared by every task and view of a client.

    ``clock`` and ``sleep`` measure and spend the gate's time (the loop's in production).
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._salt = secrets.token_bytes(16)
        self._buckets: dict[tuple[str, str], _Bucket] = {}

    def __repr__(self) -> str:
        return f"<RateLimitGate: {len(self._buckets)} buckets>"

    # -- keys and figures ------------------------------------------------------------

    def credential_id(self, credential: str | None) -> str:
        """A short salted id for ``credential`` (``anonymous`` for none)."""
        if not credential:
            return "anonymous"
        digest = hmac.new(self._salt, credential.encode(), hashlib.sha256).hexdigest()
        return f"cred:{digest[:12]}"

    def _bucket(self, credential: str | None, name: str) -> _Bucket:
        key = (self.credential_id(credential), name)
        b = self._buckets.get(key)
        if b is None:
            if len(self._buckets) >= _MAX_BUCKETS:
                now = self._clock()
                for k in [k for k, v in self._buckets.items() if v.idle(now)]:
                    del self._buckets[k]
            b = self._buckets[key] = _Bucket(key[0], name)
        return b

    def stats(self) -> dict[tuple[str, str], dict[str, float]]:
        """Figures per (credential id, bucket): requests admitted, gate waits and their
        total time, refusals, 429s seen."""
        return {
            key: {"requests": b.sent, "waits": b.waited, "wait_time": b.wait_time}
            | {"refused": b.refused, "429s": b.seen_429}
            for key, b in self._buckets.items()
        }

    # -- admission -------------------------------------------------------------------

    async def acquire(self, bucket: str, *, credential: str | None, max_wait: float) -> Ticket:
        """Wait until a request to ``bucket`` with ``credential`` may be sent.

        Raises ``GateRefused`` at once when the gate knows the wait would exceed
        ``max_wait``. Waits whose length depends on answers still to come (the probe,
        requests in flight) are bounded by the caller's own deadline.
        """
        b = self._bucket(credential, bucket)
        now = self._clock()
        self._tick(b, now)
        if not b.waiters:
            kind, wait, _ = self._decide(b, now)
            if kind != _WAIT:
                return self._admit(b, now, probe=kind == _PROBE)
            if wait is not None and wait > max_wait:
                raise self._refusal(b, wait, max_wait, now)
        future: asyncio.Future[Ticket] = asyncio.get_running_loop().create_future()
        b.waiters.append(_Waiter(future, now, now + max_wait))
        b.waited += 1
        self._pump(b)
        try:
            return await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled() and future.exception() is None:
                self.release(future.result(), sent=False)
            self._pump(b)  # drops it (and the timer, if nobody else waits)
            raise

    def _decide(self, b: _Bucket, now: float) -> tuple[str, float | None, float]:
        """(go / probe / wait, the known wait or None if answers may end it, wake-up time)."""
        if now < b.paused_until:
            return _WAIT, b.paused_until - now, b.paused_until
        if b.ungated:
            return _GO, 0.0, _INF
        if b.has_view and b.sent < b.limit():
            return _GO, 0.0, _INF
        if b.has_view and (end := b.end()) < _INF:  # answers in flight may give room
            in_flight = b.sent - b.settled - len(b.abandoned)
            return _WAIT, (None if in_flight > 0 else end - now), end
        # no view, or no idea when this window ends: one request finds out
        if b.probes == 0 or now >= b.probe_at + _PROBE_PATIENCE:
            return _PROBE, 0.0, _INF
        return _WAIT, None, b.probe_at + _PROBE_PATIENCE

    def _admit(self, b: _Bucket, now: float, *, probe: bool) -> Ticket:
        ticket = Ticket(b, now, probe)
        b.sent += 1
        if probe:
            b.probes += 1
            b.probe_at = now
        return ticket

    def _refusal(self, b: _Bucket, wait: float, max_wait: float, now: float) -> GateRefused:
        b.refused += 1
        if now < b.paused_until:
            why = f"the {b.name!r} bucket is paused for {wait:.1f} s after a 429"
        else:
            why = f"the {b.name!r} rate limit is spent until its window resets in {wait:.1f} s"
        r, t, at = b.last if b.last is not None else (None, wait, now)
        message = f"{why}, beyond the allowed wait of {max(max_wait, 0.0):.1f} s"
        fields = {"bucket": b.name, "wait": wait, "remaining": r, "limit": b.quota}
        return GateRefused(message, reset_in=max(0.0, t - (now - at)), window=b.window, **fields)

    def _pump(self, b: _Bucket) -> None:
        """Admit, refuse or keep the waiters of ``b`` in order; wake up when time may help."""
        now = self._clock()
        self._tick(b, now)
        while b.waiters:
            head = b.waiters[0]
            if head.future.done():
                b.waiters.popleft()
                continue
            kind, wait, wake_at = self._decide(b, now)
            if kind != _WAIT:
                b.waiters.popleft()
                b.wait_time += now - head.since
                head.future.set_result(self._admit(b, now, probe=kind == _PROBE))
                continue
            if wait is not None:
                self._refuse_impatient(b, wait, now)
                if b.waiters and b.logged_at != wake_at:
                    b.logged_at = wake_at
                    reason = "after a 429" if now < b.paused_until else "until the window resets"
                    log.info("rate limit: holding %r requests %.1fs %s", b.name, wait, reason)
            self._schedule(b, wake_at)
            return
        self._schedule(b, _INF)

    def _refuse_impatient(self, b: _Bucket, wait: float, now: float) -> None:
        kept: deque[_Waiter] = deque()
        for w in b.waiters:
            if w.future.done():
                continue
            if w.deadline < now + wait:
                w.future.set_exception(self._refusal(b, wait, w.deadline - now, now))
            else:
                kept.append(w)
        b.waiters = kept

    def _schedule(self, b: _Bucket, at: float) -> None:
        if b.timer is not None and not b.timer.done():
            if b.timer_at == at:
                return
            b.timer.cancel()
        b.timer = None
        b.timer_at = at
        if at < _INF and b.waiters:
            b.timer = asyncio.get_running_loop().create_task(self._wake(b, at))

    async def _wake(self, b: _Bucket, at: float) -> None:
        try:
            await self._sleep(max(0.0, at - self._clock()))
        except Exception as exc:  # the client closed: nobody may wait any more
            for w in b.waiters:
                if not w.future.done():
                    w.future.set_exception(exc)
            b.waiters.clear()
            return
        if b.timer is asyncio.current_task():
            b.timer = None
            b.timer_at = _INF
        self._pump(b)

    # -- time ------------------------------------------------------------------------

    def _tick(self, b: _Bucket, now: float) -> None:
        """Age abandoned requests, and roll the view over once its window is surely over."""
        while b.abandoned and b.abandoned[0] <= now:
            b.abandoned.popleft()
            self._settled_blind(b, now)
        if b.has_view and now >= b.end() and now >= b.paused_until:
            # the new window's end is learned from its first answers (windows may be
            # aligned, or start with the first request after the last one ended)
            lo = max(b.lo + self._min_spacing(b), now)
            self._advance(b, lo, _INF, cap=b.cap, base=b.quota)  # caps still hold
            # if no answer of the new window comes: the one holding now ends within w
            b.guess_hi = now + (b.window or _INF) + _ROUNDING
            # with no policy, neither the quota nor the window is known: probe again
            b.has_view = b.window is not None

    def _min_spacing(self, b: _Bucket) -> float:
        """The least time between the ends of two windows."""
        return b.window or max(0.0, b.t_max - _ROUNDING)

    def _advance(
        self, b: _Bucket, lo: float, hi: float, *, cap: int | None, base: int | None
    ) -> None:
        """Make a later window the view: what was in the old one is now prior."""
        b.prior += b.in_view
        b.in_view = b.carry
        b.carry = 0
        b.epoch += 1
        b.has_view = True
        b.lo, b.hi, b.cap, b.base = lo, hi, cap, base

    # -- answers ---------------------------------------------------------------------

    def release(self, ticket: Ticket, *, sent: bool = True) -> None:
        """The request ended without an answer; ``sent=False`` if it never left."""
        b = ticket._bucket
        if ticket.done:
            return
        self._end(ticket)
        now = self._clock()
        if not sent:
            b.sent -= 1  # as if never admitted: no answer can miss it
        else:
            b.abandoned.append(now + min(_ABANDONED_AGE, b.window or _ABANDONED_AGE))
        self._pump(b)

    def observe(
        self,
        ticket: Ticket,
        *,
        status: int,
        state: RateLimitState | None,
        policy: RateLimitPolicy | None,
        backoff: float,
    ) -> None:
        """Feed the status and headers of an answer to ``ticket``'s request.

        A second answer to the same ticket is a redirect hop the server counted too.
        """
        b = ticket._bucket
        now = self._clock()
        if policy is not None and policy.bucket == b.name:
            b.quota, b.window = policy.quota, policy.window
        if status == 429:
            b.seen_429 += 1
        if ticket.done:  # another hop of the same call (a CDN's carries no header)
            if state is not None:
                b.sent += 1
                b.settled += 1
                b.carry += 1
        else:
            self._end(ticket)
            b.settled += 1
            if state is not None and state.bucket == b.name:
                self._evidence(b, ticket, now, state, status)
            elif state is not None:  # counted in another bucket than its path says
                b.prior += 1
            else:
                if status < 500 and status != 429 and not b.has_view:
                    b.ungated = True  # the Hub does not limit this bucket
                self._settled_blind(b, now)
        if status == 429:
            if state is not None:
                pause = state.reset_in + 1.0
                b.bare_429s = 0
            else:
                b.bare_429s += 1
                pause = min(_MAX_BARE_PAUSE, backoff * 2 ** (b.bare_429s - 1))
            b.paused_until = max(b.paused_until, now + pause)
            if b.has_view:
                b.hi = max(b.hi, b.paused_until)
            log.info("rate limit: 429 on %r, pausing the bucket %.1fs", b.name, pause)
        self._pump(b)

    def _end(self, ticket: Ticket) -> None:
        ticket.done = True
        if ticket.probe:
            ticket._bucket.probes -= 1

    def _settled_blind(self, b: _Bucket, now: float) -> None:
        """A request settled without saying its window: surely the view's if early enough."""
        if b.has_view and now <= b.lo:
            b.in_view += 1
        else:
            b.carry += 1

    def _evidence(
        self, b: _Bucket, ticket: Ticket, now: float, state: RateLimitState, status: int
    ) -> None:
        r, t = state.remaining, state.reset_in
        if b.window:
            t = min(t, b.window + _ROUNDING)
        b.q_lo = max(b.q_lo, r + 1)
        b.t_max = max(b.t_max, t)
        b.last = (r, t, now)
        b.ungated = False
        lo = ticket.sent_at + t - _ROUNDING
        hi = now + t + _ROUNDING
        cap = r + ticket.settled_before + 1
        if not b.has_view:  # the first answer, or a probe after a rollover without policy
            if b.epoch == 0:
                self._advance(b, lo, hi, cap=cap, base=None)
            b.has_view, b.lo, b.hi, b.cap = True, lo, hi, max(cap, b.cap or cap)
            b.in_view += 1
            return
        # a cap holds for its window and every later one: whatever the window, keep it
        b.cap = cap if b.cap is None else max(b.cap, cap)
        if ticket.epoch == b.epoch:  # sent in this view: counted in its window or later
            b.hi = min(b.hi, hi)
        spacing = self._min_spacing(b)
        # could N's window end where the view's does, after it, before it? (a later one
        # started after the view's ended, so N would have been counted after b.lo)
        same = lo < b.hi and b.lo < hi
        later = now > b.lo and hi > b.lo + spacing
        earlier = ticket.epoch < b.epoch and max(lo, ticket.sent_at) < b.hi - spacing
        if same and not later and not earlier:
            b.in_view += 1
            b.lo, b.hi = max(b.lo, lo), min(b.hi, hi)
        elif later and not same and not earlier:
            self._advance(b, lo, hi, cap=b.cap, base=b.quota)
            b.in_view += 1
        elif earlier and not same and not later:
            b.prior += 1
        elif later or not same:  # may be in the next window too: count it there
            b.carry += 1
        else:
            b.in_view += 1
