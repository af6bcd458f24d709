"""Download one file atomically, resuming cut transfers, in one call of the transport.

Every attempt (the first, each resume) is an attempt of the same call: one retry
budget (the policy's ``max_retries``), one deadline, the same admission. A resume sends
``Range: bytes=<done>-`` with ``If-Range`` (the first answer's strong ``ETag``, else its
``Last-Modified``), so a file that changed in between comes back whole (200) instead of
being spliced; a 206 must start exactly where the file stopped and carry the same
``ETag``, or the download starts over. A stalled body (no data for ``read`` seconds) is
resumed like a cut one. Bytes go to a temporary file beside the target, renamed into
place only once complete and verified: the size the server announced, a SHA-256
``ETag`` when the server gives one, then the caller's own ``check``.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING

from anyio import to_thread

from ._response import CallOptions, Response
from .errors import DecodeError, HubConnectionError, HubError

if TYPE_CHECKING:
    from ._transport import Transport
    from ._wire import Call

__all__ = ["Progress", "Verify", "download"]

#: ``progress(bytes_done, bytes_total_or_None)``, called after each chunk written.
Progress = Callable[[int, int | None], object]
#: ``verify(path, head)``: raise (a ``DecodeError``) to refuse the downloaded file.
Verify = Callable[[Path, Response], None]

_CONTENT_RANGE = re.compile(r"\s*bytes\s+([0-9]{1,18})-([0-9]{1,18})/([0-9]{1,18}|\*)\s*")
_SHA256 = re.compile(r"[0-9a-f]{64}")


class _Partial:
    """What is on disk so far, and what it was fetched against."""

    __slots__ = ("done", "etag", "out", "total", "validator")

    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.done = 0
        self.total: int | None = None
        self.etag: str | None = None
        self.validator: str | None = None

    def restart(self) -> None:
        self.out.seek(0)
        self.out.truncate()
        self.done = 0
        self.total = None
        self.etag = self.validator = None


def _strong_etag(head: Response) -> str | None:
    etag = head.headers.get("ETag")
    if etag is None or etag.startswith("W/"):
        return None
    etag = etag.strip()
    if not etag or any(ord(c) < 0x20 or ord(c) == 0x7F for c in etag):
        return None  # not a value a request header may carry back (If-Range)
    return etag


def _start(call: Call, part: _Partial, head: Response) -> None:
    """Take the answer's headers: where its bytes go, how many there will be."""
    status, headers = head.status, head.headers
    etag = _strong_etag(head)
    if part.done and status == 206:
        match = _CONTENT_RANGE.fullmatch(headers.get("Content-Range", ""))
        start = int(match[1]) if match else -1
        if start != part.done or (part.etag is not None and etag != part.etag):
            part.restart()
            call.verdict = True
            raise HubConnectionError(
                f"{call.describe}: the resumed answer does not continue the file (it starts "
                f"at byte {start}, not {part.done}, or is of another version); starting over"
            )
        if match and match[3] != "*":
            part.total = int(match[3])
    elif status == 206 and not part.done:
        match = _CONTENT_RANGE.fullmatch(headers.get("Content-Range", ""))
        if not match or match[1] != "0":
            call.verdict = True
            raise HubConnectionError(f"{call.describe}: an unasked partial answer")
        part.total = None if match[3] == "*" else int(match[3])
    else:
        if part.done:
            part.restart()  # the server sent the whole file (it changed, or ignores Range)
        length = headers.get("Content-Length")
        part.total = int(length) if length is not None and length.isdigit() else None
    part.etag = etag
    part.validator = etag or headers.get("Last-Modified")


async def _attempt(transport: Transport, call: Call, part: _Partial, progress: Progress | None,
                   chunk_size: int, base_headers: dict[str, str]) -> Response:  # fmt: skip
    headers = dict(base_headers)
    if part.done:
        headers["Range"] = f"bytes={part.done}-"
        if part.validator:
            headers["If-Range"] = part.validator
    call.extra_headers = headers
    async with transport.stream_attempt(call) as (raw, head):
        _start(call, part, head)
        async for chunk in transport.chunks_of(call, raw, chunk_size):
            await to_thread.run_sync(part.out.write, chunk)
            part.done += len(chunk)
            if progress is not None:
                progress(part.done, part.total)
    if part.total is not None and part.done != part.total:
        call.verdict = True
        raise HubConnectionError(
            f"{call.describe}: the body ended after {part.done} of {part.total} bytes"
        )
    return head


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


async def _verify(tmp: Path, head: Response, part: _Partial, verify: Verify | None) -> None:
    etag = (part.etag or "").strip('"').lower()
    where = head.url.partition("?")[0]  # a CDN's signed query is a credential of sorts
    if _SHA256.fullmatch(etag) and await to_thread.run_sync(_sha256_of, tmp) != etag:
        raise DecodeError(
            f"the file from {where} does not match its ETag (SHA-256 {etag})",
            status=head.status,
            url=where,
            request_id=head.request_id,
        )
    if verify is not None:
        await to_thread.run_sync(verify, tmp, head)


async def download(
    transport: Transport,
    target: str,
    opts: CallOptions,
    dest: Path,
    *,
    headers: dict[str, str] | None = None,
    progress: Progress | None = None,
    verify: Verify | None = None,
    chunk_size: int = 1 << 16,
) -> Response:
    """GET ``target`` into ``dest`` atomically (see the module docstring); the last
    answer's headers. Nothing is left behind on failure."""
    call = transport.new_call("GET", transport.url_for(target), opts, None, False, None)
    tmp = dest.with_name(f".{dest.name}.{secrets.token_hex(6)}.part")
    try:
        with tmp.open("wb") as out:
            part = _Partial(out)
            base = dict(headers or {})

            async def attempt() -> Response:
                call.attempts += 1
                call.verdict = None
                try:
                    return await _attempt(transport, call, part, progress, chunk_size, base)
                except HubError as exc:
                    call.last_error = exc
                    raise

            head = await transport.run(call, attempt)
        await _verify(tmp, head, part, verify)
        await to_thread.run_sync(tmp.replace, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return head
