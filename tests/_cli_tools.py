"""Tools for command-line tests: a recording proxy, and a run on a terminal.

``async with Tap(hub_url) as url`` serves on loopback and forwards each request to the
Hub unchanged, keeping each answer (method, raw path, status, body): the very bytes a
command received. ``Link`` and ``Location`` headers are rewritten to point back at the
tap, so that a paginating client stays on its origin. :func:`run_on_terminal` runs
``hubapi`` with stdin, stdout and stderr on a pseudo-terminal.
"""

from __future__ import annotations

import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType

import aiohttp
from aiohttp import web
from multidict import CIMultiDict

_HOP = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "host"}
)


@dataclass(frozen=True)
class Answer:
    """One answer the Hub gave through the tap."""

    method: str
    path: str  # with its query string, percent-encoding kept
    status: int
    body: bytes


class Tap:
    """Relays requests to ``target`` and keeps every answer in :attr:`answers`."""

    def __init__(self, target: str) -> None:
        self.target = target.rstrip("/")
        self.url = ""
        self.answers: list[Answer] = []
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    def bodies(self, method: str = "GET", prefix: str = "") -> list[bytes]:
        """The bodies of the answers to ``method`` requests whose path starts with ``prefix``."""
        return [a.body for a in self.answers if a.method == method and a.path.startswith(prefix)]

    async def _relay(self, request: web.Request) -> web.StreamResponse:
        assert self._session is not None
        headers = CIMultiDict((k, v) for k, v in request.headers.items() if k.lower() not in _HOP)
        body = await request.read()
        async with self._session.request(
            request.method,
            self.target + request.raw_path,
            headers=headers,
            data=body or None,
            allow_redirects=False,
        ) as resp:
            data = await resp.read()
            out = CIMultiDict(
                (k, v.replace(self.target, self.url) if k.lower() in ("link", "location") else v)
                for k, v in resp.headers.items()
                if k.lower() not in _HOP
            )
            status = resp.status
        self.answers.append(Answer(request.method, request.raw_path, status, data))
        return web.Response(status=status, body=data, headers=out)

    async def __aenter__(self) -> str:
        self._session = aiohttp.ClientSession(auto_decompress=True)
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._relay)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self.url

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()


def set_width(fd: int, columns: int) -> None:
    """Make the terminal behind ``fd`` ``columns`` wide (40 rows)."""
    import fcntl

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))


def read_terminal(master: int, on_output: Callable[[bytes], None] | None = None) -> bytes:
    """Everything a child writes to the terminal ``master`` until it closes it (60 s at
    most); ``on_output`` sees the output so far after each read."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], deadline - time.monotonic())
        if not ready:
            break
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
        if on_output is not None:
            on_output(b"".join(chunks))
    return b"".join(chunks)


def run_on_terminal(
    argv: list[str], *, answer: bytes | None = None, interrupt: bool = False
) -> tuple[int, str]:
    """``hubapi ARGV`` with stdin, stdout and stderr on one 100-column terminal; once it
    asks ``[y/N]``, type ``answer``, or press Ctrl-C (SIGINT) with ``interrupt``."""
    master, slave = pty.openpty()
    set_width(slave, 100)
    proc = subprocess.Popen(
        [sys.executable, "-m", "hubapi_async.cli", *argv], stdin=slave, stdout=slave, stderr=slave
    )
    os.close(slave)
    pending = answer is not None or interrupt

    def respond(output: bytes) -> None:
        nonlocal pending
        if pending and b"[y/N]" in output:
            pending = False
            if interrupt:
                proc.send_signal(signal.SIGINT)
            else:
                assert answer is not None
                os.write(master, answer)

    try:
        output = read_terminal(master, respond)
        rc = proc.wait(timeout=30)
    finally:
        os.close(master)
    return rc, output.decode().replace("\r\n", "\n")
