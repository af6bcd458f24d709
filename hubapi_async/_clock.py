"""The clock and the sleep of deadlines, backoff and the rate-limit gate.

Looked up at call time (``_clock.now()``), so tests can give the transport a virtual
clock: a sleep that moves it forward instead of waiting.
"""

from __future__ import annotations

import asyncio
import time

__all__ = ["now", "sleep"]

#: Seconds on a monotonic clock (asyncio's own loop clock). Only differences are used:
#: deadlines become relative timeouts, so any monotonic clock will do.
now = time.monotonic


async def sleep(delay: float) -> None:
    """Wait ``delay`` seconds."""
    await asyncio.sleep(delay)
