"""The rate-limit gate in real time: quota used per window and 429s, gate on and off.

Run: ``.venv/bin/python benchmarks/bench_gate.py [--calls 330] [--tasks 50] [--quota 60]
[--window 3]``

A local Hub enforces a fixed-window limit (the Hub's headers on every answer); ``--tasks``
concurrent tasks make ``--calls`` ``models.info`` calls through one client, first with the
gate, then with the gate switched off (every request sent at once; 429s are retried after
the server's ``t`` + 1 s, as the retry policy says). Each mode runs twice: plain, and with
skewed latencies (20 % of requests held 0.3 s before the limiter counts them, 25 % of
answers held 0.3 s after, 3 % of bodies cut and retried). Printed per run: requests the
server allowed in each window, its 429s in each window, and the wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

from hubapi_async import HubClient, RateLimitError, RetryPolicy
from hubapi_async import _transport as transport
from hubapi_async._gate import RateLimitGate, Ticket
from hubapi_async.testing import Fault, LocalHub

TOKEN = "hf_local_token"
MODEL = "google-bert/bert-base-uncased"


class OpenGate(RateLimitGate):
    """The gate switched off: it still learns from answers but never holds a request."""

    async def acquire(self, bucket: str, *, credential: str | None, max_wait: float) -> Ticket:
        return self._admit(self._bucket(credential, bucket), self._clock(), probe=False)


async def run(args: argparse.Namespace, *, gate: bool, skewed: bool) -> str:
    transport.RateLimitGate = RateLimitGate if gate else OpenGate  # type: ignore[misc]
    server = LocalHub(models=20, datasets=1, spaces=1, rate_limit=(args.quota, args.window))
    if skewed:
        server.faults.add(Fault(kind="stall", delay=0.3, path="^/api/", rate=0.2))
        server.faults.add(Fault(kind="late", delay=0.3, path="^/api/", rate=0.25))
        server.faults.add(Fault(kind="truncate", path="^/api/", rate=0.03))
    policy = RetryPolicy(max_retries=8, max_rate_limit_wait=60)
    failed = 0
    async with server, HubClient(server.url, token=TOKEN, retry=policy) as hub:
        todo = list(range(args.calls))

        async def worker() -> None:
            nonlocal failed
            while todo:
                todo.pop()
                try:
                    await hub.models.info(MODEL)
                except RateLimitError:
                    failed += 1

        server.reset_rate_limits()
        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(args.tasks)))
        elapsed = time.monotonic() - started
    tally: dict[int, Any] = {k: v for (c, b, k), v in server.rate_limiter.windows.items()}
    used = [tally.get(k, (0, 0))[0] for k in range(max(tally) + 1)]
    refused = [tally.get(k, (0, 0))[1] for k in range(max(tally) + 1)]
    mode = f"gate {'on ' if gate else 'off'}, {'skewed' if skewed else 'plain '}"
    lost = f", {failed} calls failed" if failed else ""
    return (
        f"{mode}: allowed per window {used}, 429s per window {refused} ({sum(refused)})"
        f"{lost}, {elapsed:.1f} s"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=330)
    parser.add_argument("--tasks", type=int, default=50)
    parser.add_argument("--quota", type=int, default=60)
    parser.add_argument("--window", type=float, default=3.0)
    args = parser.parse_args()
    print(f"{args.tasks} tasks, {args.calls} calls, {args.quota} per {args.window:g} s")
    for gate in (True, False):
        for skewed in (False, True):
            print(await run(args, gate=gate, skewed=skewed), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
