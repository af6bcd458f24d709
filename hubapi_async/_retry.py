"""Which failures are retried, how long to wait, and the tenacity loop around one call.

The transport runs each attempt; this module decides about the next one. GET, HEAD,
OPTIONS, PUT and DELETE are idempotent: connection errors, timeouts, cut bodies and 408,
429, 500, 502, 503, 504 are retried. POST and PATCH are retried only where the server
cannot have acted: connection refused, 429, and 503 with ``Retry-After``. 409 never is. A
server-directed wait beyond ``max_rate_limit_wait`` or the deadline is not waited for.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import tenacity

from ._options import RetryPolicy
from .errors import HubError, HubHTTPError

__all__ = ["IDEMPOTENT", "is_retryable", "mark", "retrying"]

log = logging.getLogger("hubapi_async")

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


def mark(exc: HubError, *, retryable: bool, lost: bool = True) -> HubError:
    """Tag a failure without a response: may it be retried, and may the server have
    acted on the request (``lost``: the answer, if any, never arrived)?"""
    exc._hub_retryable = retryable  # type: ignore[attr-defined]
    exc._hub_lost = lost  # type: ignore[attr-defined]
    return exc


def is_retryable(method: str, exc: HubError, policy: RetryPolicy, remaining: float) -> bool:
    """Whether ``exc``, raised by an attempt of a ``method`` call, deserves another one."""
    if not isinstance(exc, HubHTTPError):
        return bool(getattr(exc, "_hub_retryable", False))
    status = exc.status
    if status is None or status == 409:
        return False
    if method in IDEMPOTENT:
        ok = status in RETRY_STATUSES
    else:
        ok = status == 429 or (status == 503 and "Retry-After" in exc.headers)
    if ok and exc.retry_after is not None:
        return exc.retry_after <= policy.max_rate_limit_wait and exc.retry_after < remaining
    return ok


def reason(exc: BaseException | None) -> str:
    """A short reason for the log: ``HTTP 503`` or the exception's class name."""
    if isinstance(exc, HubHTTPError):
        return f"HTTP {exc.status}"
    return type(exc).__name__ if exc else "unknown"


def retrying(
    policy: RetryPolicy,
    *,
    retryable: Callable[[HubError], bool],
    sleep: Callable[[float], Awaitable[None]],
    describe: str,
) -> tenacity.AsyncRetrying:
    """A tenacity loop: ``policy``'s bound, backoff with full jitter (or the server's
    ``retry_after``), an INFO log line per retry; the caller's own exception is re-raised
    when it gives up (users never see a tenacity type)."""

    def should_retry(state: tenacity.RetryCallState) -> bool:
        exc = state.outcome.exception() if state.outcome else None
        return isinstance(exc, HubError) and retryable(exc)

    def wait(state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, HubHTTPError) and exc.retry_after is not None:
            return exc.retry_after
        return policy.backoff(state.attempt_number)

    def before_sleep(state: tenacity.RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        log.info(
            "retrying %s in %.2fs (attempt %d of %d): %s",
            describe,
            state.upcoming_sleep,
            state.attempt_number + 1,
            policy.max_retries + 1,
            reason(exc),
        )

    return tenacity.AsyncRetrying(
        stop=tenacity.stop_after_attempt(policy.max_retries + 1),
        wait=wait,
        retry=should_retry,
        sleep=sleep,
        before_sleep=before_sleep,
        reraise=True,
    )
