"""A fake clock and a simulated fixed-window Hub, to drive the rate-limit gate in tests.

``FakeClock.sleep`` parks the caller until the test advances time, so whole runs (many
tasks, many windows, skewed latencies) take no real time and are reproducible from a seed.
"""

from __future__ import annotations

import asyncio
import heapq
import math
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from hubapi_async._gate import RateLimitGate, Ticket
from hubapi_async._protocol import RateLimitPolicy, RateLimitState


class FakeClock:
    """Time that moves only when the test says so (``advance``, ``run_until``, ``drive``)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._count = 0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, delay: float) -> None:
        self.sleeps.append(delay)
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._count += 1
        heapq.heappush(self._sleepers, (self.now + max(0.0, delay), self._count, future))
        await future

    def next_wake(self) -> float | None:
        while self._sleepers and self._sleepers[0][2].done():
            heapq.heappop(self._sleepers)
        return self._sleepers[0][0] if self._sleepers else None

    @staticmethod
    async def settle() -> None:
        """Let every task that can run, run (each step wakes at most a few others)."""
        for _ in range(12):
            await asyncio.sleep(0)

    async def run_until(self, when: float) -> None:
        await self.settle()
        while (wake := self.next_wake()) is not None and wake <= when:
            _, _, future = heapq.heappop(self._sleepers)
            self.now = max(self.now, wake)
            future.set_result(None)
            await self.settle()
        self.now = max(self.now, when)
        await self.settle()

    async def advance(self, delta: float) -> None:
        await self.run_until(self.now + delta)

    async def drive(self, tasks: list[asyncio.Task[object]], *, limit: float = 1e6) -> None:
        """Advance from wake-up to wake-up until ``tasks`` are done (fails on a deadlock)."""
        end = self.now + limit
        while True:
            await self.settle()
            if all(t.done() for t in tasks):
                return
            wake = self.next_wake()
            if wake is None or wake > end:
                raise AssertionError("the simulation is stuck: tasks wait with no timer set")
            await self.run_until(wake)


class WindowServer:
    """A fixed-window limiter per (credential, bucket), as the Hub's.

    Windows are aligned on ``start`` (as the local Hub's), or with ``aligned=False`` each
    starts with the first request after the last one ended. ``t`` is the time to reset
    rounded up, at least 1 (as the local Hub's), or ``"down"`` / ``"nearest"``.
    """

    def __init__(
        self,
        clock: FakeClock,
        quota: int,
        window: float,
        *,
        aligned: bool = True,
        rounding: str = "up",
    ) -> None:
        self.clock = clock
        self.quota = quota
        self.window = window
        self.aligned = aligned
        self.rounding = rounding
        self.start = clock()
        self._used: dict[tuple[str, str], tuple[int, int]] = {}
        self._starts: dict[tuple[str, str], tuple[float, int]] = {}
        #: (credential, bucket, window number) -> [allowed, refused]
        self.tally: dict[tuple[str, str, int], list[int]] = {}

    def hit(self, cred: str, bucket: str) -> tuple[int, RateLimitState, RateLimitPolicy]:
        now = self.clock()
        if self.aligned:
            k = int((now - self.start) // self.window)
            left = self.start + (k + 1) * self.window - now
        else:
            began, k = self._starts.get((cred, bucket), (-math.inf, -1))
            if now >= began + self.window:
                began, k = now, k + 1
                self._starts[(cred, bucket)] = (began, k)
            left = began + self.window - now
        if self.rounding == "up":
            reset_in = max(1, math.ceil(left))
        else:
            reset_in = math.floor(left) if self.rounding == "down" else round(left)
        seen, used = self._used.get((cred, bucket), (k, 0))
        if seen != k:
            used = 0
        refused = used >= self.quota
        if not refused:
            used += 1
        self._used[(cred, bucket)] = (k, used)
        self.tally.setdefault((cred, bucket, k), [0, 0])[1 if refused else 0] += 1
        state = RateLimitState(bucket, max(0, self.quota - used), float(reset_in))
        return (429 if refused else 200), state, RateLimitPolicy(bucket, self.quota, self.window)

    def refused(self) -> int:
        return sum(no for _, no in self.tally.values())

    def used_per_window(self, cred: str, bucket: str) -> list[int]:
        """Allowed requests of each window, from the first to the last one with traffic."""
        ks = [k for (c, b, k) in self.tally if (c, b) == (cred, bucket)]
        return [self.tally.get((cred, bucket, k), [0, 0])[0] for k in range(max(ks) + 1)]


class OpenGate(RateLimitGate):
    """The gate switched off: every request goes at once (still fed, never holding)."""

    async def acquire(self, bucket: str, *, credential: str | None, max_wait: float) -> Ticket:
        b = self._bucket(credential, bucket)
        return self._admit(b, self._clock(), probe=False)


Latency = Callable[[random.Random], float]


def skewed(fast: tuple[float, float], slow: tuple[float, float], p_slow: float) -> Latency:
    """Mostly fast, sometimes slow (a new connection, a slow answer)."""

    def pick(rng: random.Random) -> float:
        lo, hi = slow if rng.random() < p_slow else fast
        return rng.uniform(lo, hi)

    return pick


#: 30 % of requests slow to arrive (a new connection), 30 % of answers slow to come back.
TO_SERVER: Final = skewed((0.002, 0.02), (0.2, 0.6), 0.3)
FROM_SERVER: Final = skewed((0.002, 0.02), (0.1, 0.5), 0.3)


@dataclass
class Plan:
    """One simulated run: who calls what, how the network behaves."""

    tasks: int = 50
    calls: list[tuple[str | None, str]] = field(default_factory=list)
    to_server: Latency = TO_SERVER
    from_server: Latency = FROM_SERVER
    p_503: float = 0.0  # answered by an edge without headers, not counted
    p_lost_before: float = 0.0  # connection dropped before reaching the server
    p_lost_after: float = 0.0  # counted, then the answer is lost
    seed: int = 0


async def simulate(
    gate: RateLimitGate, clock: FakeClock, server: WindowServer, plan: Plan
) -> Counter[str]:
    """Run ``plan`` through ``gate`` against ``server``; failed calls are retried."""
    rng = random.Random(plan.seed)
    todo = list(reversed(plan.calls))
    outcomes: Counter[str] = Counter()

    async def one(cred: str | None, bucket: str) -> str:
        ticket = await gate.acquire(bucket, credential=cred, max_wait=1e9)
        await clock.sleep(plan.to_server(rng))
        fate = rng.random()
        if fate < plan.p_lost_before:
            await clock.sleep(plan.from_server(rng))
            gate.release(ticket)
            return "lost"
        if fate < plan.p_lost_before + plan.p_503:
            await clock.sleep(plan.from_server(rng))
            gate.observe(ticket, status=503, state=None, policy=None, backoff=1.0)
            return "503"
        status, state, policy = server.hit(cred or "anonymous", bucket)
        await clock.sleep(plan.from_server(rng))
        if fate < plan.p_lost_before + plan.p_503 + plan.p_lost_after:
            gate.release(ticket)
            return "lost"
        gate.observe(ticket, status=status, state=state, policy=policy, backoff=1.0)
        return str(status)

    async def worker() -> None:
        while todo:
            cred, bucket = todo.pop()
            outcome = await one(cred, bucket)
            outcomes[outcome] += 1
            if outcome != "200":
                todo.append((cred, bucket))
                if outcome == "429":
                    await clock.sleep(1.0)

    tasks: list[asyncio.Task[object]] = [asyncio.create_task(worker()) for _ in range(plan.tasks)]
    await clock.drive(tasks)
    for task in tasks:
        task.result()
    return outcomes
