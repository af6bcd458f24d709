"""``LocalHub``: start and stop the local Hub, in the running loop or in a thread."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import Final

from aiohttp import web

from ._accounts import USER_TOKENS, Viewer
from ._app import HubServer, build_apps
from ._faults import FaultInjector
from ._links import link_stores
from ._ratelimit import UNLIMITED_QUOTA, UNLIMITED_WINDOW, RateLimiter
from ._responses import RecordedRequest
from ._state_papers import Papers
from ._store import RepoStore
from ._vocab import DEMO_USER

_SHUTDOWN_TIMEOUT: Final = 0.2


def parse_rate_limit(text: str) -> tuple[int, float]:
    """Parse ``"QUOTA/WINDOW_SECONDS"`` (e.g. ``"1000/300"``) as used by ``hubapi serve``."""
    quota, sep, window = text.partition("/")
    try:
        parsed = int(quota), float(window or 300)
    except ValueError:
        parsed = (0, 0.0)
    if parsed[0] < 1 or parsed[1] <= 0 or (sep and not window):
        raise ValueError(f"rate limit must look like QUOTA/SECONDS (e.g. 1000/300), got {text!r}")
    return parsed


class LocalHub:
    """A local, in-memory Hugging Face Hub for tests, demos and benchmarks.

    It serves the read endpoints of the Hub API (models, datasets, spaces: listings with
    cursor pagination, info, revisions, tags-by-type, parquet, croissant, whoami-v2) with
    the Hub's conventions (``Link`` headers, ``X-Error-Code``, bearer auth, ``RateLimit``
    headers and 429s), realistic deterministic data and injectable :class:`Fault` s. It
    also serves the write side with the Hub's permission rules (repos created, deleted,
    moved and reconfigured; collections; organization resource groups), whose changes show
    in later answers and last for the server's life; organization members; and paper
    pages, the repos citing a paper and Daily Papers (paged by number): see :attr:`papers`.

    Every token in ``tokens`` authenticates as the user ``demo``, admin of ``demo-org``
    (the owners of the private repos). ``rate_limit=(quota, window_seconds)`` refuses a
    caller's request beyond ``quota`` per window and bucket; ``None`` still sends the
    headers (quota 100000 per 300 s) but never refuses. ``page_size`` is both the default
    and the largest listing page. ``clock`` (monotonic seconds) drives the rate limiter's
    windows, so a test can run them on a fake or faster clock. With ``cdn=True`` parquet
    shards redirect (302) to a second origin (``cdn_url``) that serves the bytes.

    Run it in the current loop (``async with LocalHub() as url``), or in a background
    thread for synchronous clients (``with LocalHub().in_thread() as url``, or
    ``start_in_thread()`` / ``stop_thread()``).
    """

    def __init__(
        self,
        *,
        models: int = 200,
        datasets: int = 50,
        spaces: int = 50,
        seed: int = 0,
        tokens: Iterable[str] = ("hf_local_token",),
        rate_limit: tuple[int, float] | None = None,
        page_size: int = 1000,
        host: str = "127.0.0.1",
        port: int = 0,
        cdn: bool = True,
        cdn_port: int = 0,
        record_requests: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if min(models, datasets, spaces) < 0 or page_size < 1:
            raise ValueError("repo counts must be >= 0 and page_size >= 1")
        self.host = host
        self.port = port
        self.cdn_port = cdn_port
        self.seed = seed
        self.tokens = tuple(tokens)
        self.url = ""
        self.cdn_url = ""
        self.faults = FaultInjector(seed)
        if rate_limit is None:
            limiter = RateLimiter(UNLIMITED_QUOTA, UNLIMITED_WINDOW, enforce=False, clock=clock)
        else:
            limiter = RateLimiter(int(rate_limit[0]), float(rate_limit[1]), clock=clock)
        self.stores = {
            "model": RepoStore("model", models, seed),
            "dataset": RepoStore("dataset", datasets, seed),
            "space": RepoStore("space", spaces, seed),
        }
        link_stores(self.stores)
        self._server = HubServer(
            self.stores,
            self.tokens,
            self.faults,
            limiter,
            page_size=page_size,
            seed=seed,
            record_requests=record_requests,
        )
        self._cdn = cdn
        self._runners: list[web.AppRunner] = []
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # -- state --------------------------------------------------------------------------
    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received (Hub and CDN), in arrival order."""
        return self._server.requests

    @property
    def papers(self) -> Papers:
        """The seeded papers: ``ids()``, ``record(id)``, and ``link_header`` (send a ``Link``
        on Daily Papers pages, which the Hub itself does not)."""
        return self._server.papers

    @property
    def rate_limiter(self) -> RateLimiter:
        """The rate limiter (its ``quota``, ``window`` and ``enforce`` may be changed)."""
        return self._server.limiter

    def reset_rate_limits(self) -> None:
        """Forget every request counted so far and start a fresh window."""
        self._server.limiter.reset()

    def count(self, kind: str = "model", *, authenticated: bool = True) -> int:
        """How many repos of ``kind`` an unfiltered listing returns to a token holder (who
        sees the private ones) or, with ``authenticated=False``, to an anonymous caller."""
        viewer = self._server.accounts.viewer_of(DEMO_USER) if authenticated else Viewer()
        return self.stores[kind].count(viewer)

    @property
    def model_count(self) -> int:
        """Models listed to a token holder (generated plus recorded ones)."""
        return self.count("model")

    @property
    def dataset_count(self) -> int:
        """Datasets listed to a token holder."""
        return self.count("dataset")

    @property
    def space_count(self) -> int:
        """Spaces listed to a token holder."""
        return self.count("space")

    @property
    def running(self) -> bool:
        """Whether the server is listening."""
        return bool(self._runners)

    # -- in the running loop ---------------------------------------------------------------
    async def start(self) -> str:
        """Start listening on the running loop; return the Hub URL (no trailing slash)."""
        if self._runners:
            raise RuntimeError("this LocalHub is already running")
        hub_app, cdn_app = build_apps(self._server, cdn=self._cdn)
        try:
            self.url = await self._listen(hub_app, self.port)
            if cdn_app is not None:
                self.cdn_url = await self._listen(cdn_app, self.cdn_port)
                self._server.cdn_url = self.cdn_url
        except BaseException:
            await self.stop()
            raise
        return self.url

    async def _listen(self, app: web.Application, port: int) -> str:
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=_SHUTDOWN_TIMEOUT)
        await runner.setup()
        self._runners.append(runner)
        site = web.TCPSite(runner, self.host, port)
        await site.start()
        host, bound = runner.addresses[0][:2]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{bound}"

    async def stop(self) -> None:
        """Stop listening and close every connection (idempotent).

        Awaited from another loop than the server's (a hub started with
        :meth:`start_in_thread`), it stops the thread without blocking the caller's loop.
        """
        thread = self._thread
        if thread is not None and threading.current_thread() is not thread:
            await asyncio.to_thread(self.stop_thread)
            return
        runners, self._runners = self._runners, []
        for runner in reversed(runners):
            await runner.cleanup()
        self._server.cdn_url = None

    async def __aenter__(self) -> str:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- in a background thread ------------------------------------------------------------
    def start_in_thread(self) -> str:
        """Start in a daemon thread with its own event loop; return the Hub URL."""
        if self._thread is not None:
            raise RuntimeError("this LocalHub is already running in a thread")
        loop = asyncio.new_event_loop()
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.start())
            except BaseException as exc:
                failure.append(exc)
                ready.set()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                _drain(loop)
                loop.close()

        thread = threading.Thread(target=run, name="hubapi-local-hub", daemon=True)
        thread.start()
        ready.wait()
        if failure:
            thread.join()
            loop.close()
            raise failure[0]
        self._thread, self._loop = thread, loop
        return self.url

    def stop_thread(self) -> None:
        """Stop the server started by :meth:`start_in_thread` and join its thread."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        future = asyncio.run_coroutine_threadsafe(self.stop(), loop)
        future.result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        self._thread = self._loop = None

    @contextlib.contextmanager
    def in_thread(self) -> Iterator[str]:
        """``with LocalHub().in_thread() as url:`` — a background-thread server."""
        url = self.start_in_thread()
        try:
            yield url
        finally:
            self.stop_thread()

    def __enter__(self) -> str:
        return self.start_in_thread()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop_thread()


def _drain(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel and finish whatever is left on a stopped loop before closing it."""
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.run_until_complete(loop.shutdown_asyncgens())


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    tokens: Iterable[str] = ("hf_local_token",),
    models: int = 200,
    datasets: int = 50,
    spaces: int = 50,
    rate_limit: tuple[int, float] | str | None = None,
    *,
    seed: int = 0,
    cdn_port: int = 0,
    page_size: int = 1000,
    stop: threading.Event | None = None,
    announce: Callable[[str], object] = print,
) -> None:
    """Run a local Hub until Ctrl-C (or until ``stop`` is set); used by ``hubapi serve``.

    Prints (through ``announce``) the Hub URL and how to point clients at it. ``tokens`` are
    the accepted bearer tokens (user ``demo``, admin of ``demo-org``); ``rate_limit`` is
    ``(quota, window_seconds)`` or a ``"QUOTA/SECONDS"`` string, ``None`` for no limit.
    Requests are not recorded (a long-running server would grow without bound).
    """
    limit = parse_rate_limit(rate_limit) if isinstance(rate_limit, str) else rate_limit
    hub = LocalHub(
        models=models,
        datasets=datasets,
        spaces=spaces,
        seed=seed,
        tokens=tokens,
        rate_limit=limit,
        page_size=page_size,
        host=host,
        port=port,
        cdn_port=cdn_port,
        record_requests=False,
    )

    async def main() -> None:
        async with hub as url:
            announce(f"Local Hub listening on {url} (parquet CDN on {hub.cdn_url})")
            count = len(hub.tokens)
            accepted = f"{count} token{'s' if count != 1 else ''} accepted as user demo"
            announce(f"  export HF_ENDPOINT={url}  # {accepted}")
            others = ", ".join(f"{token} ({user})" for token, user in USER_TOKENS.items())
            announce(f"  other users' tokens: {others}")
            announce("Press Ctrl-C to stop.")
            if stop is None:
                await asyncio.Event().wait()
            else:
                # A threading.Event cannot wake the loop: poll it.
                while not stop.is_set():  # noqa: ASYNC110
                    await asyncio.sleep(0.1)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
