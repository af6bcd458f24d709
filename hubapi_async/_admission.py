"""Admission of one attempt: the rate-limit gate, a connection slot, the deadline."""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import TYPE_CHECKING

from . import _clock
from ._decipher import Deciphered
from ._gate import GateRefused, Ticket
from ._protocol import KNOWN_BUCKETS, RateLimitPolicy, RateLimitState
from ._wire import CLOSED_MESSAGE, Call
from .errors import HubConnectionError, RateLimitError

if TYPE_CHECKING:
    from ._transport import Transport

__all__ = ["Admission", "remaining"]

#: A gate wait shorter than this is no wait (counted in ``hub.stats``).
_NOTICEABLE = 0.0005


class Admission:
    """One attempt's admission: the rate-limit gate, a connection slot, the deadline.

    Entered by ``async with transport._admitted(call)``. On entry it waits for the gate
    (that wait counts against the deadline) and for a free slot (that wait does not:
    the deadline moves by the time spent queued), then opens a timeout scope for what
    is left of the deadline, if the call has one. :meth:`observe` feeds the gate with a
    response; on exit the gate's ticket is released if no response came, and the slot
    unless a stream keeps it (:meth:`keep_slot`). This class is the one place the
    transport talks to the gate.
    """

    __slots__ = ("_bucket", "_call", "_kept", "_observed", "_scope", "_t", "_ticket")

    def __init__(self, transport: Transport, call: Call) -> None:
        self._t = transport
        self._call = call
        self._bucket = call.bucket
        self._ticket: Ticket | None = None
        self._observed = False
        self._kept = False
        self._scope: asyncio.Timeout | None = None

    async def __aenter__(self) -> Admission:
        t, call = self._t, self._call
        if t.closed:
            raise HubConnectionError(CLOSED_MESSAGE)
        slots = t._slots
        assert slots is not None
        policy = call.opts.retry
        counters = call.counters
        if call.attempts > 1:
            counters.retries += 1
        started = _clock.now()
        if call.deadline_at is None:
            try:
                self._ticket = await self._gate_acquire(policy.max_rate_limit_wait)
            except GateRefused as refused:
                raise self._refused(refused, policy.max_rate_limit_wait) from None
        else:
            self._ticket = await self._acquire_within_deadline()
        waited = _clock.now() - started
        if waited >= _NOTICEABLE:  # not the clock's own drift across an immediate admission
            counters.gate_waits += 1
            counters.gate_wait_seconds += waited
        try:
            if call.deadline_at is None:
                await slots.acquire()
            else:  # time queued for a connection slot is not on the clock
                queued_at = _clock.now()
                await slots.acquire()
                call.deadline_at += _clock.now() - queued_at
        except BaseException:
            self._gate_release(sent=False)
            raise
        if t.is_closed():  # closed while this attempt waited
            slots.release()
            self._gate_release(sent=False)
            raise HubConnectionError(CLOSED_MESSAGE)
        if call.deadline_at is not None:
            self._scope = asyncio.timeout(max(0.0, call.deadline_at - _clock.now()))
            await self._scope.__aenter__()
        return self

    # -- the gate: every call to it is in these three methods ----------------------------

    def _credential(self) -> str | None:
        """The token this request carries (the gate keeps one state per credential)."""
        call, t = self._call, self._t
        opts = call.opts
        if not opts.token or not t.same_origin(call.url):
            return None
        if call.write or opts.token_explicit or not t._disable_implicit_token:
            return opts.token
        return None

    async def _gate_acquire(self, max_wait: float) -> Ticket:
        gate = self._t.gate
        assert gate is not None
        return await gate.acquire(self._bucket, credential=self._credential(), max_wait=max_wait)

    def _gate_release(self, *, sent: bool = True) -> None:
        gate, ticket = self._t.gate, self._ticket
        if gate is not None and ticket is not None:
            gate.release(ticket, sent=sent)

    def _gate_observe(
        self, status: int, state: RateLimitState | None, policy: RateLimitPolicy | None,
        backoff: float,
    ) -> None:  # fmt: skip
        gate, ticket = self._t.gate, self._ticket
        assert gate is not None and ticket is not None
        gate.observe(ticket, status=status, state=state, policy=policy, backoff=backoff)

    async def _acquire_within_deadline(self) -> Ticket:
        call = self._call
        left = remaining(call)
        max_wait = min(call.opts.retry.max_rate_limit_wait, left)
        expired = False
        try:
            async with asyncio.timeout(max(0.0, left)):
                return await self._gate_acquire(max_wait)
        except GateRefused as refused:
            raise self._refused(refused, max_wait) from None
        except TimeoutError:
            expired = True
        assert expired
        raise self._t.deadline_error(call) from call.last_error

    def _refused(self, refused: GateRefused, max_wait: float) -> RateLimitError:
        return RateLimitError(
            f"the {self._bucket!r} rate limit is spent: the next request could go in "
            f"{refused.wait:.0f} s, beyond the allowed wait of {max_wait:.0f} s; "
            "slow down, raise RetryPolicy(max_rate_limit_wait=...) or the deadline",
            status=None,
            url=str(self._call.url.with_query(None)),
            retry_after=refused.wait,
            remaining=refused.remaining,
            reset_in=refused.reset_in,
            limit=refused.limit,
            window=refused.window,
        )

    def observe(self, seen: Deciphered) -> None:
        """Feed the gate with one response (each redirect hop included)."""
        state = seen.ratelimit
        if state is not None and state.bucket not in KNOWN_BUCKETS:
            state = RateLimitState(self._bucket, state.remaining, state.reset_in)
        backoff = 1.0
        error = seen.error
        if seen.status == 429:
            self._call.counters.rate_limited += 1
        if seen.status == 429 and error is not None:
            # The gate applies the whole 429 wait: never shorter than what was asked.
            wait = error.retry_after
            if wait is not None:
                bucket = state.bucket if state is not None else self._bucket
                reset_in = max(wait - 1, state.reset_in if state is not None else 0.0)
                state = RateLimitState(bucket, 0, reset_in)
            else:
                backoff = max(1.0, self._call.opts.retry.backoff(self._call.attempts))
        self._gate_observe(seen.status, state, seen.policy, backoff)
        self._observed = True

    def keep_slot(self) -> None:
        """The slot stays taken after exit (a stream releases it when it ends)."""
        self._kept = True

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        t, call = self._t, self._call
        expired = False
        scope = self._scope
        try:
            if scope is not None:
                try:
                    await scope.__aexit__(exc_type, exc, tb)
                except TimeoutError:
                    if not scope.expired():
                        raise
                    expired = True
        finally:
            if not self._observed:
                self._gate_release()
            if not self._kept or expired:
                assert t._slots is not None
                t._slots.release()
        if expired:
            raise t.deadline_error(call) from call.last_error


def remaining(call: Call) -> float:
    """Seconds left before ``call``'s deadline (infinite without one)."""
    if call.deadline_at is None:
        return float("inf")
    return call.deadline_at - _clock.now()
