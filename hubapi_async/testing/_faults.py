"""Fault injection: make the local Hub (or its CDN) misbehave on chosen requests."""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Final

FAULT_KINDS: Final[frozenset[str]] = frozenset(
    {"status", "reset", "stall", "late", "truncate", "html", "bad_json"}
)
FAULT_ORIGINS: Final[frozenset[str]] = frozenset({"hub", "cdn", "any"})


@dataclass(eq=False)
class Fault:
    """One way for the server to misbehave, and on which requests.

    Kinds:

    - ``"status"``: answer ``status`` with ``headers`` and ``body`` (default
      ``{"error": "<reason>"}``) instead of the real answer — a 503 with ``Retry-After``,
      a 429 with ``RateLimit`` headers, a 500. Only ``X-Request-Id`` and the headers you
      give are sent (no automatic ``RateLimit``: an edge refusal carries none).
    - ``"reset"``: close the TCP connection without any response.
    - ``"stall"``: sleep ``delay`` seconds, then answer normally (the request reaches the
      rate limiter late, as on a slow new connection).
    - ``"late"``: answer normally, but hold the answer ``delay`` seconds after the server
      produced it (counted, then slow to come back: its ``RateLimit`` is stale on arrival).
    - ``"truncate"``: send the real answer's headers (full ``Content-Length``) and only
      half of its body, then close the connection.
    - ``"html"``: a ``text/html`` page with ``status`` (a CDN's ``502 Bad Gateway``, or a
      200 portal page).
    - ``"bad_json"``: a well-framed 200 ``application/json`` whose text is not valid JSON
      (``body`` if given).

    ``delay`` also works with the other kinds (it is applied first, except for ``"late"``).

    Selection: ``path`` is a regular expression searched in the request path as sent
    (percent-encoding kept, no query; ``None``: every path), ``method`` an HTTP method,
    ``origin`` ``"hub"``, ``"cdn"`` or ``"any"``.
    Among the requests that match those, ``nth`` picks 1-based positions (counted per
    fault), ``times`` caps how often it fires, and ``rate`` fires with that probability
    (from a RNG seeded with the hub's seed). The first fault (in order of addition) that
    is eligible fires; ``fired`` counts how often it did, ``matched`` how many requests
    matched it.

    Note: aiohttp's client resends an idempotent request once after a dropped connection,
    so a ``"reset"`` limited to ``times=1`` is usually invisible to an aiohttp caller.
    See also :attr:`FaultInjector.max_per_request`, which bounds how often one request
    fails, whatever the faults.
    """

    kind: str
    status: int = 500
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | str | None = None
    delay: float = 0.0
    path: str | None = None
    method: str | None = None
    nth: Collection[int] | None = None
    times: int | None = None
    rate: float | None = None
    origin: str = "hub"
    fired: int = field(default=0, init=False)
    matched: int = field(default=0, init=False)
    _pattern: re.Pattern[str] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; use one of {sorted(FAULT_KINDS)}")
        if self.origin not in FAULT_ORIGINS:
            raise ValueError(f"unknown origin {self.origin!r}; use 'hub', 'cdn' or 'any'")
        if self.kind in ("stall", "late") and self.delay <= 0:
            raise ValueError(f"a {self.kind!r} fault needs a positive delay")
        if self.rate is not None and not 0.0 <= self.rate <= 1.0:
            raise ValueError("rate is a probability between 0 and 1")
        self._pattern = re.compile(self.path) if self.path is not None else None

    def _matches(self, method: str, path: str, origin: str) -> bool:
        if self.origin != "any" and self.origin != origin:
            return False
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self._pattern is None or self._pattern.search(path) is not None

    def body_bytes(self, default: bytes) -> bytes:
        """The body to send, encoded."""
        if self.body is None:
            return default
        return self.body.encode() if isinstance(self.body, str) else self.body


class FaultInjector:
    """The faults of one local Hub. Thread-safe: tests may add faults to a hub that runs
    in a background thread.

    ``max_per_request`` (``None``: no bound) caps how many times the faults, all together,
    fire for one request — the same origin, method, path and query — so that a client
    retrying at least that often always gets the real answer in the end: a soak test can
    inject failures at a high rate and still demand that every call succeeds.
    """

    def __init__(self, seed: int = 0, *, max_per_request: int | None = None) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self.max_per_request = max_per_request
        self._per_request: dict[tuple[str, str, str, str], int] = {}

    def add(self, fault: Fault) -> Fault:
        """Add ``fault`` (after the existing ones) and return it, to read its counters."""
        with self._lock:
            self._faults.append(fault)
        return fault

    def remove(self, fault: Fault) -> None:
        """Remove one fault (no error if it is not there)."""
        with self._lock:
            if fault in self._faults:
                self._faults.remove(fault)

    def clear(self) -> None:
        """Remove every fault (and forget how often each request failed)."""
        with self._lock:
            self._faults.clear()
            self._per_request.clear()

    @property
    def faults(self) -> list[Fault]:
        """A copy of the current faults, in order."""
        with self._lock:
            return list(self._faults)

    @property
    def fired(self) -> int:
        """How many times any current fault fired."""
        with self._lock:
            return sum(f.fired for f in self._faults)

    def pick(self, method: str, path: str, origin: str, query: str = "") -> Fault | None:
        """Count the request against every matching fault and return the one that fires.

        ``query`` (as sent, without ``?``) only tells requests apart for
        :attr:`max_per_request`; faults select on method, path and origin.
        """
        chosen: Fault | None = None
        key = (origin, method.upper(), path, query)
        with self._lock:
            limit = self.max_per_request
            spent = limit is not None and self._per_request.get(key, 0) >= limit
            for fault in self._faults:
                if not fault._matches(method, path, origin):
                    continue
                fault.matched += 1
                if chosen is not None or spent:
                    continue
                if fault.nth is not None and fault.matched not in fault.nth:
                    continue
                if fault.times is not None and fault.fired >= fault.times:
                    continue
                if fault.rate is not None and self._rng.random() >= fault.rate:
                    continue
                fault.fired += 1
                chosen = fault
            if chosen is not None and limit is not None:
                self._per_request[key] = self._per_request.get(key, 0) + 1
        return chosen
