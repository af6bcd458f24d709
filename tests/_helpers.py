"""Shared test helpers: a virtual clock for sleeps, connection accounting, recordings."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest


class SleepRecorder:
    """The transport's clock and sleep, made virtual.

    A backoff or rate-limit sleep is recorded, moves the transport's clock forward by
    its delay, and returns after one turn of the loop: deadlines and the rate-limit gate
    see the time pass, and no test waits for it (nor spins until the real clock catches
    up).
    """

    def __init__(self) -> None:
        self.calls: list[float] = []
        self.offset = 0.0

    def now(self) -> float:
        return asyncio.get_running_loop().time() + self.offset

    async def __call__(self, delay: float) -> None:
        self.calls.append(delay)
        self.offset += max(0.0, delay)
        await asyncio.sleep(0)


def patch_sleep(monkeypatch: pytest.MonkeyPatch) -> SleepRecorder:
    """Give the transport a virtual clock; returns the recorder of its sleeps."""
    recorder = SleepRecorder()
    monkeypatch.setattr("hubapi_async._clock.sleep", recorder)
    monkeypatch.setattr("hubapi_async._clock.now", recorder.now)
    return recorder


def checked_out_connections(hub: Any) -> int:
    """Connections currently checked out of the client's pool (0 when all released)."""
    session: aiohttp.ClientSession | None = hub._transport._session
    if session is None or session.connector is None:
        return 0
    return len(session.connector._acquired)


def recordings_dir() -> Path:
    """The Hub recordings shipped inside the package (``hubapi_async/testing/recordings``)."""
    import hubapi_async.testing

    return Path(hubapi_async.testing.__file__).resolve().parent / "recordings"


@contextlib.asynccontextmanager
async def serve(handler: Any) -> AsyncIterator[str]:
    """A one-route ``aiohttp.web`` server on loopback running ``handler``; yields its URL."""
    from aiohttp import web

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()
