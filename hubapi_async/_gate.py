"""The client-side rate-limit gate: one per client, one state per Hub bucket.

The Hub reports its quota on every response (``RateLimit: "api";r=489;t=189``).
The gate keeps the last view of each bucket and holds requests back before the
server has to refuse them:

* with no fresh view, one request goes first and learns the quota while the
  others wait (a bucket whose responses carry no header is then left ungated);
* with a view, it counts requests sent since the response that carried it
  (responses arrive out of order) and waits for the window to reset once the
  remaining budget is spent;
* after a 429 it pauses the whole bucket until ``t + 1`` (with backoff when the
  429 carries no header).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from ._protocol import RateLimitPolicy, RateLimitState

__all__ = ["GateRefused", "RateLimitGate"]

log = logging.getLogger("hubapi_async")

#: How long a request waits for the bucket's first response before going ahead anyway.
_PROBE_PATIENCE = 30.0


class GateRefused(Exception):
    """The gate would have to wait longer than allowed."""

    def __init__(self, bucket: str, wait: float, state: _Bucket) -> None:
        super().__init__(bucket, wait)
        self.bucket = bucket
        self.wait = wait
        self.remaining = state.remaining
        self.reset_in = wait
        self.limit = state.policy.quota if state.policy else None
        self.window = state.policy.window if state.policy else None


@dataclass
class _Bucket:
    remaining: int | None = None  # r of the freshest response
    remaining_seq: int = -1  # sequence number of the request that carried it
    reset_at: float = 0.0  # loop time when the window resets
    paused_until: float = 0.0
    ungated: bool = False  # responses carry no RateLimit header
    probe_seq: int | None = None  # a request in flight learning the quota
    probe_done: asyncio.Event = field(default_factory=asyncio.Event)
    policy: RateLimitPolicy | None = None
    bare_429s: int = 0


class RateLimitGate:
    """Per-bucket admission control shared by every task (and view) of a client."""

    def __init__(
        self,
        *,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]],
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._buckets: dict[str, _Bucket] = {}
        self._seq = 0

    def _bucket(self, name: str) -> _Bucket:
        state = self._buckets.get(name)
        if state is None:
            state = self._buckets[name] = _Bucket()
        return state

    def _fresh(self, b: _Bucket, now: float) -> bool:
        return b.remaining is not None and now < b.reset_at

    def _wait_needed(self, b: _Bucket, now: float) -> float:
        """Seconds to wait before a request may go (0 = go now, -1 = wait for the probe)."""
        if now < b.paused_until:
            return b.paused_until - now
        if b.ungated:
            return 0.0
        if self._fresh(b, now):
            assert b.remaining is not None
            sent_since = self._seq - b.remaining_seq - 1
            if b.remaining - sent_since > 0:
                return 0.0
            return b.reset_at - now
        if b.probe_seq is None:
            return 0.0
        return -1.0

    async def acquire(self, bucket: str, *, max_wait: float) -> tuple[int, float]:
        """Wait until a request to ``bucket`` may be sent.

        Returns its sequence number and the time spent waiting for another request to
        learn the quota (queueing, not a rate-limit wait). Raises ``GateRefused`` at
        once when a rate-limit wait would exceed ``max_wait``.
        """
        b = self._bucket(bucket)
        queued = 0.0
        while True:
            now = self._clock()
            wait = self._wait_needed(b, now)
            if wait == 0.0:
                break
            if wait < 0:  # a probe is learning the quota
                event = b.probe_done
                try:
                    await asyncio.wait_for(event.wait(), _PROBE_PATIENCE)
                except TimeoutError:
                    b.probe_seq = None  # the probe is slow: stop waiting for it
                queued += self._clock() - now
                continue
            if wait > max_wait:
                raise GateRefused(bucket, wait, b)
            log.info("rate limit: pausing %.1fs before the next %r request", wait, bucket)
            await self._sleep(wait)
        seq = self._seq
        self._seq += 1
        if not b.ungated and not self._fresh(b, self._clock()) and b.probe_seq is None:
            b.probe_seq = seq
            b.probe_done = asyncio.Event()
        return seq, queued

    def _end_probe(self, b: _Bucket, seq: int) -> None:
        if b.probe_seq == seq:
            b.probe_seq = None
            b.probe_done.set()

    def release(self, bucket: str, seq: int) -> None:
        """The request ended without a usable response (connection error, cancel)."""
        self._end_probe(self._bucket(bucket), seq)

    def observe(
        self,
        bucket: str,
        seq: int,
        *,
        status: int,
        state: RateLimitState | None,
        policy: RateLimitPolicy | None,
        backoff: float,
    ) -> None:
        """Feed the headers of a response to request ``seq`` sent to ``bucket``."""
        b = self._bucket(state.bucket if state else bucket)
        now = self._clock()
        if policy is not None:
            self._bucket(policy.bucket).policy = policy
        if state is not None:
            b.ungated = False
            if seq >= b.remaining_seq or not self._fresh(b, now):
                b.remaining = state.remaining
                b.remaining_seq = seq
                b.reset_at = now + state.reset_in
            if status == 429:
                b.paused_until = max(b.paused_until, now + state.reset_in + 1)
                b.remaining = 0
                b.reset_at = max(b.reset_at, now + state.reset_in + 1)
            b.bare_429s = 0
        elif status == 429:
            b.bare_429s += 1
            b.paused_until = max(b.paused_until, now + backoff * b.bare_429s)
        elif b.remaining is None:
            b.ungated = True
        self._end_probe(b, seq)
        if b is not self._bucket(bucket):
            self._end_probe(self._bucket(bucket), seq)
