"""The retry decision table, without I/O."""

from __future__ import annotations

import pytest

from hubapi_async import HubConnectionError, HubHTTPError, RateLimitError, RetryPolicy
from hubapi_async._retry import is_retryable, reason, wait_before_retry
from hubapi_async.errors import ConflictError, ServerError

POLICY = RetryPolicy(max_rate_limit_wait=60)


def http(status: int, headers: dict[str, str] | None = None, retry_after: float | None = None):
    cls = {409: ConflictError, 429: RateLimitError}.get(status, ServerError)
    if status < 500 and status not in (409, 429):
        cls = HubHTTPError
    return cls("x", status=status, headers=headers or {}, retry_after=retry_after)


@pytest.mark.parametrize(
    ("method", "status", "headers", "retry_after", "expected"),
    [
        ("GET", 500, None, None, True),
        ("GET", 502, None, None, True),
        ("GET", 503, None, None, True),
        ("GET", 504, None, None, True),
        ("GET", 408, None, None, True),
        ("GET", 429, None, 10, True),
        ("GET", 429, None, 61, False),  # beyond max_rate_limit_wait: raise at once
        ("GET", 503, {"Retry-After": "3600"}, 3600, False),
        ("GET", 400, None, None, False),
        ("GET", 404, None, None, False),
        ("PUT", 409, None, None, False),
        ("DELETE", 500, None, None, True),
        ("PUT", 502, None, None, True),
        ("POST", 500, None, None, False),  # the server may have acted
        ("POST", 502, None, None, False),
        ("POST", 503, None, None, False),
        ("POST", 503, {"Retry-After": "2"}, 2, True),
        ("PATCH", 429, None, 5, True),
        ("POST", 409, None, None, False),
    ],
)
def test_http_decision_table(
    method: str,
    status: int,
    headers: dict[str, str] | None,
    retry_after: float | None,
    expected: bool,
) -> None:
    exc = http(status, headers, retry_after)
    assert is_retryable(method, exc, POLICY, remaining=float("inf")) is expected


def test_server_wait_beyond_the_deadline_is_not_waited_for() -> None:
    exc = http(429, None, 30)
    assert is_retryable("GET", exc, POLICY, remaining=31) is True
    assert is_retryable("GET", exc, POLICY, remaining=29) is False


def test_gate_refusals_are_never_retried() -> None:
    exc = RateLimitError("gate", status=None, retry_after=1)
    assert is_retryable("GET", exc, POLICY, remaining=float("inf")) is False


@pytest.mark.parametrize(("verdict", "expected"), [(True, True), (False, False), (None, False)])
def test_failures_without_response_follow_their_verdict(
    verdict: bool | None, expected: bool
) -> None:
    exc = HubConnectionError("refused")
    assert is_retryable("POST", exc, POLICY, remaining=float("inf"), verdict=verdict) is expected


def test_a_429_wait_is_left_to_the_gate_other_waits_follow_the_server() -> None:
    policy = RetryPolicy(initial_backoff=0.5, max_backoff=8)
    assert wait_before_retry(http(429, None, 10), policy, 1) == 0.0
    assert wait_before_retry(http(503, {"Retry-After": "7"}, 7), policy, 1) == 7
    assert 0 <= wait_before_retry(http(502), policy, 3) <= 2.0
    assert 0 <= wait_before_retry(HubConnectionError("reset"), policy, 10) <= 8.0


def test_reason() -> None:
    assert reason(http(503)) == "HTTP 503"
    assert reason(HubConnectionError("x")) == "HubConnectionError"
    assert reason(None) == "unknown"
