"""The files of a crawl: the JSON Lines output (locked while a crawl writes it) and the
state file beside it (``FILE.state``) that says how far the output is good.

After each page the output is appended, flushed and fsynced; then the state file is
replaced atomically (temporary file, fsync, rename, directory fsync) with the new size,
item count and CRC-32 of the output. Whatever instant a crawl is killed at, the state
describes a prefix of the output exactly, and bytes past that prefix belong to a page
that was not recorded: a resume checks the prefix against the state and cuts the rest.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Annotated, Any, Final, Literal

import msgspec
from yarl import URL

from ._common import UsageError

if sys.platform != "win32":  # POSIX advisory locks; on Windows a crawl runs unlocked
    import fcntl

__all__ = [
    "STATE_VERSION",
    "CrawlOutput",
    "CrawlState",
    "key_digest",
    "read_state",
    "state_path",
    "write_state",
]

STATE_VERSION: Final = 1
NonNegative = Annotated[int, msgspec.Meta(ge=0)]
OptionValue = str | int | bool | list[str]


class CrawlState(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """What ``FILE.state`` records (validated strictly: a number is never a boolean)."""

    #: The state file's format.
    version: int
    #: What is crawled (``models``, ``org-members``...).
    kind: str
    #: The Hub the crawl reads from.
    endpoint: str
    #: ``hub``: each line is the Hub's JSON; ``struct``: the library's snake_case form.
    format: Literal["hub", "struct"]
    #: The listing options the crawl was started with (``sort``, ``author``, ``limit``...).
    options: dict[str, OptionValue]
    #: The next page to read; ``None`` before the first page and once done.
    next_url: str | None
    #: Whether the crawl is complete.
    done: bool
    #: Lines in the output's recorded prefix (one item each).
    items: NonNegative
    #: Size in bytes of the output's recorded prefix.
    bytes: NonNegative
    #: CRC-32 of that prefix.
    crc32: Annotated[int, msgspec.Meta(ge=0, le=0xFFFFFFFF)]
    #: Pages read so far.
    pages: NonNegative
    #: Items the Hub listed more than once (written once).
    duplicates: NonNegative
    #: What the listing's arguments name (the organization of ``org-members``); left out
    #: for listings that take none.
    target: str | None = None


_STATE_DECODER: Final = msgspec.json.Decoder(CrawlState)
_STATE_ENCODER: Final = msgspec.json.Encoder()


def state_path(out: Path) -> Path:
    """The state file of an output file: ``FILE.jsonl`` -> ``FILE.jsonl.state``."""
    return out.with_name(out.name + ".state")


def _bad_state(path: Path, why: str) -> UsageError:
    return UsageError(
        f"{path} is not a valid crawl state ({why}). Nothing was changed; to crawl again "
        "from the beginning, pass --force (the output is overwritten)"
    )


def read_state(path: Path) -> CrawlState | None:
    """The recorded state, ``None`` when there is no state file; ``UsageError`` when it is
    not one this program wrote (hand-edited, truncated, another version...)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise _bad_state(path, "it is a directory") from None
    try:
        state = _STATE_DECODER.decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise _bad_state(path, str(exc)) from None
    if state.version != STATE_VERSION:
        raise _bad_state(path, f"version {state.version}, this program writes {STATE_VERSION}")
    if state.done and state.next_url is not None:
        raise _bad_state(path, "it is marked done but names a next page")
    if not state.done and state.next_url is None and (state.items or state.pages):
        raise _bad_state(path, "it records items but no page to continue from")
    if (state.items == 0) != (state.bytes == 0):
        raise _bad_state(path, "its item count and byte count disagree")
    if state.next_url is not None:
        try:
            same = URL(state.next_url).origin() == URL(state.endpoint).origin()
        except (ValueError, TypeError):
            same = False
        if not same:
            raise _bad_state(path, "its next page is not on its endpoint")
    return state


def write_state(path: Path, state: CrawlState) -> None:
    """Replace the state file atomically: write a temporary file, fsync, rename."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(_STATE_ENCODER.encode(state) + b"\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def key_digest(key: Any) -> int:
    """A 128-bit digest of an item's identity (compact in a set of millions)."""
    text = key if isinstance(key, str) else repr(key)
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest(), "big")


def _lock(fd: int, path: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            raise UsageError(
                f"another crawl is writing {path} right now; wait for it to end (or stop "
                "it), then run this again"
            ) from None
        raise


class CrawlOutput:
    """The output file, open for reading and appending, locked against other crawls
    (``with CrawlOutput(path) as out:``). Opening it never truncates it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.state_path = state_path(path)
        self._fh: Any = None

    def __enter__(self) -> CrawlOutput:
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(self.path, flags, 0o644)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError) as exc:
            raise UsageError(f"cannot write {self.path}: {exc.strerror}") from None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise UsageError(f"{self.path} is not a regular file: a crawl writes a file")
            _lock(fd, self.path)
            self._fh = os.fdopen(fd, "r+b")
        except BaseException:
            os.close(fd)
            raise
        self._remove_stale_temporaries()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._fh.close()  # releases the lock

    def _remove_stale_temporaries(self) -> None:
        """State files half-written by a crawl that was killed (the lock is ours now)."""
        prefix = f".{self.state_path.name}."
        for leftover in self.path.parent.glob(f"{glob_escape(prefix)}*.tmp"):
            leftover.unlink(missing_ok=True)

    def size(self) -> int:
        """The output's current size in bytes."""
        return os.fstat(self._fh.fileno()).st_size

    def verify(self, state: CrawlState, key_of: Callable[[bytes], Any]) -> set[int]:
        """Check that the output starts with exactly what ``state`` records; return the
        digests of the keys of its items. ``UsageError`` (nothing changed) otherwise."""
        size = self.size()
        name = self.path.name
        if size < state.bytes:
            raise self._mismatch(f"it is {size:,} bytes, its state records {state.bytes:,}")
        fh = self._fh
        fh.seek(0)
        seen: set[int] = set()
        crc = lines = pos = 0
        while pos < state.bytes:
            line = fh.readline(state.bytes - pos)
            if not line:
                break
            pos += len(line)
            lines += 1
            crc = zlib.crc32(line, crc)
            if not line.endswith(b"\n"):
                raise self._mismatch(f"line {lines:,} of {name} is cut short")
            try:
                key = key_of(line)
            except (msgspec.DecodeError, msgspec.ValidationError):
                raise self._mismatch(f"line {lines:,} of {name} is not a JSON object") from None
            if key is not None:
                seen.add(key_digest(key))
        if lines != state.items:
            raise self._mismatch(
                f"it holds {lines:,} lines where its state records {state.items:,}"
            )
        if crc != state.crc32:
            raise self._mismatch("its content differs from what its state records (CRC-32)")
        return seen

    def _mismatch(self, why: str) -> UsageError:
        return UsageError(
            f"{self.path} does not match {self.state_path.name}: {why}. It was changed after "
            "the crawl's last checkpoint; nothing was touched. To crawl again from the "
            "beginning, pass --force (the output is overwritten)"
        )

    def truncate(self, size: int) -> None:
        """Cut the output to ``size`` bytes (synced) and append from there."""
        self._fh.truncate(size)
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.seek(size)

    def append(self, data: bytes) -> int:
        """Append ``data``, flush and fsync; return the output's new size."""
        self._fh.write(data)
        self._fh.flush()
        os.fsync(self._fh.fileno())
        position: int = self._fh.tell()
        return position


def glob_escape(text: str) -> str:
    """``text`` with the glob characters ``*?[`` matched literally."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)
