"""The live counters of one rate-limit bucket, bumped on the request path.

Plain integers and floats in a slotted object (no locks, no clocks beyond the one the
gate already reads), so they can stay on in production; ``hub.stats`` snapshots them
(:mod:`hubapi_async._stats`).
"""

from __future__ import annotations

__all__ = ["Counters"]


class Counters:
    """The live counters of one bucket (mutated by the transport only)."""

    __slots__ = (
        "bytes_received",
        "calls",
        "failures",
        "gate_wait_seconds",
        "gate_waits",
        "rate_limited",
        "requests",
        "retries",
    )

    def __init__(self) -> None:
        self.calls = 0
        self.requests = 0
        self.retries = 0
        self.rate_limited = 0
        self.gate_waits = 0
        self.gate_wait_seconds = 0.0
        self.bytes_received = 0
        self.failures = 0
