"""Progress on stderr: items, pages, rate, retries and rate-limit waits, with an ETA.

Retries and rate-limit pauses are counted from the INFO records the client logs on the
``hubapi_async`` logger (one per retry, one per pause, with its wait in seconds).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from types import TracebackType
from typing import IO, Final

__all__ = ["ClientEvents", "Progress", "duration", "plural", "retries"]

_SECONDS: Final = re.compile(r"(\d+(?:\.\d+)?)\s*s\b")


def plural(n: int, noun: str) -> str:
    """``1 page``, ``2 pages``, ``1,000 items``."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def retries(n: int) -> str:
    """``1 retry``, ``3 retries``."""
    return f"{n:,} retry" if n == 1 else f"{n:,} retries"


def duration(seconds: float) -> str:
    """``0:07``, ``12:30``, ``2:05:00``."""
    total = max(int(seconds + 0.5), 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class ClientEvents(logging.Handler):
    """Counts the client's retries and rate-limit pauses while installed (``with``).

    Installing it lowers the ``hubapi_async`` logger to INFO for the duration (and puts
    the level back afterwards); records still reach any handler configured elsewhere.
    """

    def __init__(self, logger_name: str = "hubapi_async") -> None:
        super().__init__(logging.INFO)
        self._logger = logging.getLogger(logger_name)
        self._saved_level = logging.NOTSET
        self.retries = 0
        self.waits = 0
        self.waited = 0.0

    def emit(self, record: logging.LogRecord) -> None:
        """Classify one record: a retry, a rate-limit pause, or neither."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return
        lowered = message.lower()
        if lowered.startswith("retry"):
            self.retries += 1
        elif "rate limit" in lowered or "rate-limit" in lowered:
            self.waits += 1
            found = _SECONDS.search(message)
            if found:
                self.waited += float(found.group(1))

    def __enter__(self) -> ClientEvents:
        self._saved_level = self._logger.level
        if self._logger.getEffectiveLevel() > logging.INFO:
            self._logger.setLevel(logging.INFO)
        self._logger.addHandler(self)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._logger.removeHandler(self)
        self._logger.setLevel(self._saved_level)


class Progress:
    """A progress line on stderr: redrawn in place on a terminal, a line every few
    seconds otherwise; nothing at all when disabled."""

    def __init__(
        self,
        stream: IO[str],
        *,
        enabled: bool,
        total: int | None = None,
        items: int = 0,
        pages: int = 0,
        events: ClientEvents | None = None,
        interval: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream
        self._enabled = enabled
        try:
            self._tty = enabled and stream.isatty()
        except (AttributeError, ValueError):
            self._tty = False
        self.total = total
        self._base_items = items
        self.items = items
        self.pages = pages
        self.duplicates = 0
        self._events = events
        self._interval = interval if interval is not None else (0.1 if self._tty else 2.0)
        self._clock = clock
        self._start = clock()
        self._last = self._start

    @property
    def elapsed(self) -> float:
        """Seconds since this run started."""
        return self._clock() - self._start

    @property
    def rate(self) -> float:
        """Items per second in this run (items of an earlier run not counted)."""
        return (self.items - self._base_items) / max(self.elapsed, 1e-9)

    def eta(self) -> float | None:
        """Seconds left, when the total is known and items are flowing."""
        if not self.total or self.rate <= 0:
            return None
        return max(self.total - self.items, 0) / self.rate

    def line(self) -> str:
        """What the progress line says now."""
        if self.total:
            counts = f"{self.items:,}/{self.total:,} items"
        else:
            counts = plural(self.items, "item")
        parts = [counts, plural(self.pages, "page"), f"{self.rate:,.0f} items/s"]
        if self.duplicates:
            parts.append(f"{self.duplicates:,} listed twice")
        events = self._events
        if events is not None:
            parts.append(retries(events.retries))
            waits = plural(events.waits, "rate-limit wait")
            parts.append(f"{waits} ({events.waited:.1f} s)" if events.waits else waits)
        eta = self.eta()
        if eta is not None:
            parts.append(f"ETA {duration(eta)}")
        text = "  ".join(parts)
        if self.total and self._tty:
            filled = min(20, 20 * self.items // self.total)
            text = f"[{'#' * filled}{'.' * (20 - filled)}] {text}"
        return text

    def update(self, items: int, pages: int, duplicates: int = 0) -> None:
        """Record the totals after a page; redraw if it is time to."""
        self.items, self.pages, self.duplicates = items, pages, duplicates
        now = self._clock()
        if not self._enabled or now - self._last < self._interval:
            return
        self._last = now
        self._draw()

    def _draw(self) -> None:
        if self._tty:
            self._stream.write(f"\r{self.line()}\x1b[K")
        else:
            self._stream.write(self.line() + "\n")
        self._stream.flush()

    def clear(self) -> None:
        """End the progress line, so that a message can follow on its own line."""
        if self._enabled and self._tty:
            self._stream.write(f"\r{self.line()}\x1b[K\n")
            self._stream.flush()

    def finish(self, message: str) -> None:
        """End the progress line and print ``message`` (when enabled)."""
        if not self._enabled:
            return
        self.clear()
        self._stream.write(message + "\n")
        self._stream.flush()
