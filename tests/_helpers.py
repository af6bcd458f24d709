"""Shared test helpers: a virtual clock for sleeps, connection accounting, recordings, and
the reliability figures the suites report."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
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


class VirtualTime:
    """Backoff and rate-limit sleeps that advance the gate's clock instead of waiting.

    Unlike :func:`patch_sleep`, deadlines keep the loop's real clock: many concurrent
    calls can each back off without moving the others' deadlines. The rate-limit gate
    reads :meth:`clock`, so a pause of ``t`` seconds it asked for is over as soon as the
    sleep returns: a 429 saying ``t=7`` costs no real time and no busy loop.
    """

    def __init__(self) -> None:
        self.calls: list[float] = []
        self.offset = 0.0

    async def __call__(self, delay: float) -> None:
        self.calls.append(delay)
        self.offset += max(0.0, delay)
        await asyncio.sleep(0)

    def clock(self) -> float:
        return asyncio.get_running_loop().time() + self.offset


def patch_virtual_time(monkeypatch: pytest.MonkeyPatch) -> VirtualTime:
    """Route the transport's sleeps and the gate's clock through one :class:`VirtualTime`."""
    import hubapi_async._transport as transport

    virtual = VirtualTime()
    real_gate = transport.RateLimitGate

    def gate(*args: Any, **kwargs: Any) -> Any:
        kwargs["clock"] = virtual.clock
        return real_gate(*args, **kwargs)

    monkeypatch.setattr("hubapi_async._clock.sleep", virtual)
    monkeypatch.setattr(transport, "RateLimitGate", gate)
    return virtual


def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the conftest's per-test isolation does, for module-scoped fixtures (which are
    set up before it): no HF_* variable, no proxy."""
    for name in list(os.environ):
        upper = name.upper()
        if upper.startswith(("HF_", "HUGGING_FACE_")) or upper.endswith("_PROXY"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "*")


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


def figures_dir() -> Path:
    """Where the reliability suites write their figures (``$HUBAPI_RELIABILITY_DIR``, else
    ``.reliability/`` at the project root); ``benchmarks/reliability_figures.py`` reads it."""
    explicit = os.environ.get("HUBAPI_RELIABILITY_DIR")
    return Path(explicit) if explicit else Path(__file__).resolve().parents[1] / ".reliability"


def record_figures(name: str, figures: dict[str, Any]) -> None:
    """Write one test's figures to ``<figures_dir>/<name>.json`` (replacing the last run's)."""
    where = figures_dir()
    where.mkdir(parents=True, exist_ok=True)
    tmp = where / f".{name}.json.tmp"
    tmp.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, where / f"{name}.json")
