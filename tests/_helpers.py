"""Shared test helpers: sleeps recorded instead of slept, connection accounting."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiohttp
import pytest


class SleepRecorder:
    """Replaces the transport's backoff/rate-limit sleep: records, yields, returns."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.calls.append(delay)
        await asyncio.sleep(0)


def patch_sleep(monkeypatch: pytest.MonkeyPatch) -> SleepRecorder:
    recorder = SleepRecorder()
    monkeypatch.setattr("hubapi_async._transport._sleep", recorder)
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
