"""The Hub's fixed-window rate limits, per caller and per bucket.

Header formats follow the recordings (``ratelimit/ratelimit_observations.json``):
``RateLimit: "api";r=<remaining>;t=<seconds to reset>`` and
``RateLimit-Policy: "fixed window";"api";q=<quota>;w=<window seconds>``.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

#: Used when no limit is configured: headers are still sent, but nobody is ever refused.
UNLIMITED_QUOTA: Final = 100_000
UNLIMITED_WINDOW: Final = 300.0


def bucket_for(path: str) -> str:
    """The bucket a request path counts against: ``api``, ``resolvers`` or ``pages``."""
    if path.startswith("/api/"):
        return "api"
    if "/resolve/" in path:
        return "resolvers"
    return "pages"


def _window_words(window: float) -> str:
    if window % 60 == 0:
        minutes = int(window // 60)
        return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"
    return f"{window:g} seconds"


@dataclass(frozen=True)
class Verdict:
    """The outcome of counting one request."""

    allowed: bool
    headers: dict[str, str]
    message: str = ""


class RateLimiter:
    """Counts requests per (caller, bucket) in fixed windows aligned on the limiter's start.

    With ``enforce=False`` requests are counted and headers sent, but never refused.
    ``clock`` (seconds, monotonic) is the limiter's time, so tests can run windows on a
    fake or faster clock. :attr:`windows` tallies every window's allowed and refused
    requests.
    """

    def __init__(
        self,
        quota: int,
        window: float,
        *,
        enforce: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if quota < 1 or window <= 0:
            raise ValueError("rate_limit needs a quota >= 1 and a window > 0 seconds")
        self.quota = quota
        self.window = float(window)
        self.enforce = enforce
        self._clock = clock
        self._start = clock()
        self._counts: dict[tuple[str, str], tuple[int, int]] = {}
        self._tally: dict[tuple[str, str, int], list[int]] = {}
        self._lock = threading.Lock()

    def reset(self) -> None:
        """Forget every count and start a new window now."""
        with self._lock:
            self._counts.clear()
            self._tally.clear()
            self._start = self._clock()

    @property
    def windows(self) -> dict[tuple[str, str, int], tuple[int, int]]:
        """``(caller, bucket, window number) -> (allowed, refused)`` since the last reset.

        The caller is the token, or ``ip:<address>`` for anonymous requests; window 0 starts
        when the limiter is created (or reset).
        """
        with self._lock:
            return {key: (ok, no) for key, (ok, no) in self._tally.items()}

    def hit(self, caller: str, bucket: str, *, anonymous: bool, ip: str) -> Verdict:
        """Count one request of ``caller`` on ``bucket`` and say whether it may proceed."""
        now = self._clock()
        with self._lock:
            elapsed = now - self._start
            window_no = int(elapsed // self.window)
            reset_in = max(1, math.ceil((window_no + 1) * self.window - elapsed))
            seen_window, used = self._counts.get((caller, bucket), (window_no, 0))
            if seen_window != window_no:
                used = 0
            refused = self.enforce and used >= self.quota
            if not refused:
                used += 1
            self._counts[(caller, bucket)] = (window_no, used)
            tally = self._tally.setdefault((caller, bucket, window_no), [0, 0])
            tally[1 if refused else 0] += 1
        remaining = max(0, self.quota - used)
        headers = {
            "RateLimit": f'"{bucket}";r={remaining};t={reset_in}',
            "RateLimit-Policy": f'"fixed window";"{bucket}";q={self.quota};w={self.window:g}',
        }
        if not refused:
            return Verdict(True, headers)
        if anonymous:
            message = (
                f"We had to rate limit your IP ({ip}). To continue using our service, create a"
                " HF account or login to your existing account, and make sure you pass a"
                " HF_TOKEN if you're using the API."
            )
        else:
            message = (
                f"We had to rate limit you, you hit the quota of {self.quota} {bucket} requests"
                f" per {_window_words(self.window)} period. Upgrade to a PRO user or"
                " Team/Enterprise organization account (https://hf.co/pricing) to get higher"
                " limits. See https://hf-mirror.492719920.workers.dev./docs/hub/rate-limits"
            )
        return Verdict(False, headers, message)
