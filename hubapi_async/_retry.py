"""Which failures are retried, how long to wait, and the loop that runs the retries.

The transport runs each attempt; this module decides about the next one. GET, HEAD,
OPTIONS, PUT and DELETE are idempotent: connection errors, timeouts, cut bodies and 408,
429, 500, 502, 503, 504 are retried. POST and PATCH are retried only where the server
cannot have acted: connection refused, 429, and 503 with ``Retry-After``. 409 never is. A
server-directed wait beyond ``max_rate_limit_wait`` or the deadline is not waited for.

The first attempt of a call runs without any of this machinery; only once it has failed
with a retryable error does :func:`retry_after_failure` take over, and tenacity (a
required dependency, used here and nowhere else) drives attempts 2 and later with the
same rules, bounds and logging.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from ._options import RetryPolicy
from .errors import HubError, HubHTTPError

if TYPE_CHECKING:
    from tenacity import RetryCallState

__all__ = ["IDEMPOTENT", "is_retryable", "reason", "retry_after_failure", "wait_before_retry"]

log = logging.getLogger("hubapi_async")

T = TypeVar("T")

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


def is_retryable(
    method: str,
    exc: HubError,
    policy: RetryPolicy,
    remaining: float,
    *,
    verdict: bool | None = None,
) -> bool:
    """Whether ``exc``, raised by an attempt of a ``method`` call, deserves another one.

    A failure without a response (refused, reset, timed out, cut off) carries no status:
    the attempt that met it judged it and passes its ``verdict``. An HTTP error is judged
    by its status and method; a server-directed wait must fit ``max_rate_limit_wait``
    and the ``remaining`` time before the deadline.
    """
    if not isinstance(exc, HubHTTPError):
        return bool(verdict)
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


def wait_before_retry(exc: HubError, policy: RetryPolicy, retry: int) -> float:
    """Seconds to sleep before retry number ``retry`` (1-based) after ``exc``.

    ``0`` after a 429: the rate-limit gate, told the wait the server asked for, holds
    the next attempt (and every other request to that bucket) until then, so the wait
    is applied in that one place. The server's ``Retry-After`` after any other status
    that carries one; otherwise exponential backoff with full jitter.
    """
    if isinstance(exc, HubHTTPError):
        if exc.status == 429:
            return 0.0
        if exc.retry_after is not None:
            return exc.retry_after
    return policy.backoff(retry)


def reason(exc: BaseException | None) -> str:
    """A short reason for the log: ``HTTP 503`` or the exception's class name."""
    if isinstance(exc, HubHTTPError):
        return f"HTTP {exc.status}"
    return type(exc).__name__ if exc else "unknown"


def _log_retry(describe: str, exc: HubError, delay: float, attempt: int, total: int) -> None:
    if isinstance(exc, HubHTTPError) and exc.status == 429:
        pause = exc.retry_after
        when = f"after the rate-limit pause ({pause:.2f}s)" if pause else "after a rate-limit pause"
    else:
        when = f"in {delay:.2f}s"
    log.info("retrying %s %s (attempt %d of %d): %s", describe, when, attempt, total, reason(exc))


async def retry_after_failure(
    first: HubError,
    again: Callable[[], Awaitable[T]],
    *,
    policy: RetryPolicy,
    retryable: Callable[[HubError], bool],
    sleep: Callable[[float], Awaitable[None]],
    describe: str,
) -> T:
    """Run attempts 2 to ``max_retries + 1`` of a call whose first attempt failed.

    ``first`` is the first attempt's error, already judged retryable; ``again`` runs one
    more attempt. Each wait goes through ``sleep`` (which enforces the deadline); each
    retry is logged at INFO. When the retries are spent, the last attempt's own error
    is raised (users never see a tenacity type).
    """
    import tenacity  # only a call that failed pays for importing it

    total = policy.max_retries + 1
    delay = wait_before_retry(first, policy, 1)
    _log_retry(describe, first, delay, 2, total)
    await sleep(delay)

    def should_retry(state: RetryCallState) -> bool:
        exc = state.outcome.exception() if state.outcome else None
        return isinstance(exc, HubError) and retryable(exc)

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        assert isinstance(exc, HubError)
        return wait_before_retry(exc, policy, state.attempt_number + 1)

    def before_sleep(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        assert isinstance(exc, HubError)
        delay = state.upcoming_sleep
        _log_retry(describe, exc, delay, state.attempt_number + 2, total)

    retrying = tenacity.AsyncRetrying(
        stop=tenacity.stop_after_attempt(policy.max_retries),
        wait=wait,
        retry=should_retry,
        sleep=sleep,
        before_sleep=before_sleep,
        reraise=True,
    )

    async def attempt() -> T:  # a coroutine function, whatever ``again`` is
        return await again()

    result: T = await retrying(attempt)
    return result
