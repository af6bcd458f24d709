"""Per-call settings: timeouts and the retry policy (plain values, no I/O)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

__all__ = ["RetryPolicy", "Timeout"]


def _check_seconds(name: str, value: float | None, *, allow_none: bool = True) -> None:
    if value is None:
        if not allow_none:
            raise ValueError(f"{name} must be a number of seconds, not None")
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number of seconds, got {type(value).__name__}")
    if math.isnan(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")


@dataclass(frozen=True, slots=True)
class Timeout:
    """How long a call may take.

    ``connect``, ``read`` and ``attempt`` apply to each attempt: ``connect`` bounds
    opening a socket (not the wait for a free slot in the pool), ``read`` bounds each
    wait for data from the server (each gap between two reads), and ``attempt`` bounds
    one attempt whole, from sending the request to the last byte of the answer, so that
    a server trickling a byte now and then cannot hold a call forever (a streamed
    shard counts as one attempt until its block exits: raise or switch off
    ``attempt`` for very large downloads over slow links). ``deadline`` bounds a whole
    call — every attempt, backoff sleep and rate-limit wait — but never the time spent
    queued for a connection slot. ``None`` switches a bound off.
    """

    connect: float | None = 10.0
    read: float | None = 60.0
    deadline: float | None = None
    attempt: float | None = 300.0

    def __post_init__(self) -> None:
        _check_seconds("connect", self.connect)
        _check_seconds("read", self.read)
        _check_seconds("deadline", self.deadline)
        _check_seconds("attempt", self.attempt)

    @classmethod
    def coerce(cls, value: Timeout | float | None, base: Timeout) -> Timeout:
        """A ``Timeout`` replaces ``base``; a number sets only the deadline."""
        if value is None:
            return base
        if isinstance(value, Timeout):
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(
                f"timeout must be a Timeout or a number of seconds, got {type(value).__name__}"
            )
        return cls(
            connect=base.connect, read=base.read, deadline=float(value), attempt=base.attempt
        )


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """When and how long to retry.

    ``max_retries`` extra attempts after the first (``0`` turns retries off);
    exponential backoff with full jitter between ``initial_backoff`` and
    ``max_backoff``; a server-directed wait (``Retry-After``, ``RateLimit``)
    longer than ``max_rate_limit_wait`` is not waited for: the error is raised at
    once with its ``retry_after`` set.
    """

    max_retries: int = 3
    initial_backoff: float = 0.5
    max_backoff: float = 8.0
    max_rate_limit_wait: float = 60.0

    def __post_init__(self) -> None:
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int):
            raise TypeError("max_retries must be an int")
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {self.max_retries}")
        _check_seconds("initial_backoff", self.initial_backoff, allow_none=False)
        _check_seconds("max_backoff", self.max_backoff, allow_none=False)
        if self.max_rate_limit_wait < 0 or math.isnan(self.max_rate_limit_wait):
            raise ValueError("max_rate_limit_wait must be >= 0")

    def backoff(self, attempt: int) -> float:
        """Full-jitter backoff before retry number ``attempt`` (1-based)."""
        ceiling = min(self.max_backoff, self.initial_backoff * 2 ** (attempt - 1))
        return random.uniform(0, ceiling)
