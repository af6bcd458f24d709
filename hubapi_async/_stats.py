"""What a client did, per rate-limit bucket: cheap counters, read as snapshots.

The transport bumps plain integers and floats as calls run (no locks, no clocks beyond
the one the gate already reads), so the counters can stay on in production; ``hub.stats``
copies them into an immutable :class:`HubStats`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._counters import Counters

__all__ = ["BucketStats", "HubStats"]


@dataclass(frozen=True, slots=True)
class BucketStats:
    """Counters of one rate-limit bucket (``api``, ``resolvers``, ``pages``)."""

    #: Calls started (each ``info``, each page of a listing, each download).
    calls: int = 0
    #: Requests written to the wire: every attempt and every redirect hop.
    requests: int = 0
    #: Attempts after the first (each one a retry the policy allowed).
    retries: int = 0
    #: 429 answers received.
    rate_limited: int = 0
    #: Attempts that had to wait at the rate-limit gate (half a millisecond or more).
    gate_waits: int = 0
    #: Seconds spent waiting at the gate, all attempts together.
    gate_wait_seconds: float = 0.0
    #: Body bytes received (decoded), streamed bodies included.
    bytes_received: int = 0
    #: Calls that ended with an error.
    failures: int = 0


@dataclass(frozen=True, slots=True)
class HubStats:
    """A snapshot of a client's counters since it was created (views share them).

    ``buckets`` maps each bucket seen to its :class:`BucketStats`; the attributes of the
    same names are the totals over every bucket. :meth:`to_prometheus` renders them
    in the Prometheus text format.
    """

    buckets: Mapping[str, BucketStats]

    @classmethod
    def of(cls, live: Mapping[str, Counters]) -> HubStats:
        """Copy live counters into a snapshot."""
        names = [f.name for f in fields(BucketStats)]
        copied = {
            bucket: BucketStats(**{name: getattr(c, name) for name in names})
            for bucket, c in sorted(live.items())
        }
        return cls(MappingProxyType(copied))

    def _total(self, name: str) -> float:
        total: float = sum(getattr(b, name) for b in self.buckets.values())
        return total

    @property
    def calls(self) -> int:
        """Calls started, every bucket together."""
        return int(self._total("calls"))

    @property
    def requests(self) -> int:
        """Requests written to the wire, every bucket together."""
        return int(self._total("requests"))

    @property
    def retries(self) -> int:
        """Retries, every bucket together."""
        return int(self._total("retries"))

    @property
    def rate_limited(self) -> int:
        """429 answers, every bucket together."""
        return int(self._total("rate_limited"))

    @property
    def gate_waits(self) -> int:
        """Attempts that waited at the gate, every bucket together."""
        return int(self._total("gate_waits"))

    @property
    def gate_wait_seconds(self) -> float:
        """Seconds waited at the gate, every bucket together."""
        return self._total("gate_wait_seconds")

    @property
    def bytes_received(self) -> int:
        """Body bytes received, every bucket together."""
        return int(self._total("bytes_received"))

    @property
    def failures(self) -> int:
        """Calls that failed, every bucket together."""
        return int(self._total("failures"))

    def to_prometheus(self, prefix: str = "hubapi", labels: Mapping[str, str] | None = None) -> str:
        """The counters in the Prometheus text exposition format, one series per bucket."""
        help_of = {
            "calls": "Calls started.",
            "requests": "Requests written to the wire (attempts and redirect hops).",
            "retries": "Attempts after the first.",
            "rate_limited": "429 answers received.",
            "gate_waits": "Attempts that waited at the rate-limit gate.",
            "gate_wait_seconds": "Seconds spent waiting at the rate-limit gate.",
            "bytes_received": "Body bytes received.",
            "failures": "Calls that ended with an error.",
        }
        extra = "".join(f',{k}="{_escape(v)}"' for k, v in sorted((labels or {}).items()))
        lines: list[str] = []
        for name, text in help_of.items():
            metric = f"{prefix}_{name}_total"
            lines += [f"# HELP {metric} {text}", f"# TYPE {metric} counter"]
            for bucket, stats in self.buckets.items():
                value = getattr(stats, name)
                shown = repr(float(value)) if isinstance(value, float) else str(value)
                lines.append(f'{metric}{{bucket="{_escape(bucket)}"{extra}}} {shown}')
        return "\n".join(lines) + "\n"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
