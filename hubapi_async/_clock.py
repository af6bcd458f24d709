"""The clock and the sleep of deadlines, backoff and the rate-limit gate.

Looked up at call time (``_clock.now()``), so tests can give the transport a virtual
clock: a sleep that moves it forward instead of waiting.
"""

from __future__ import annotations

import asyncio

__all__ = ["now", "sleep"]


def now() -> float:
    """Seconds on the running loop's clock."""
    return asyncio.get_running_loop().time()


async def sleep(delay: float) -> None:
    """Wait ``delay`` seconds."""
    await asyncio.sleep(delay)
