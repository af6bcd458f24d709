"""The request path over real sockets against the local Hub: retries, errors, limits."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from hubapi_async import (
    AuthenticationError,
    ConflictError,
    DecodeError,
    GatedRepoError,
    HubClient,
    HubConnectionError,
    HubHTTPError,
    HubTimeoutError,
    NotFoundError,
    RateLimitError,
    RepositoryNotFoundError,
    RepositoryNotFoundOrPrivateError,
    RetryPolicy,
    RevisionNotFoundError,
    ServerError,
    Timeout,
)
from hubapi_async import errors as hubapi_async_errors
from hubapi_async.testing import Fault, LocalHub

from ._helpers import checked_out_connections, patch_sleep

TOKEN = "hf_local_token"
FAST = RetryPolicy(max_retries=3, initial_backoff=0.01, max_backoff=0.05)


def api_requests(hub: LocalHub, prefix: str = "/api/models") -> int:
    return sum(1 for r in hub.requests if r.path.startswith(prefix))


@pytest.fixture
async def lh() -> LocalHub:
    hub = LocalHub(models=30, datasets=5, spaces=5)
    async with hub:
        yield hub


async def test_retries_5xx_then_succeeds(lh: LocalHub, monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps = patch_sleep(monkeypatch)
    lh.faults.add(Fault(kind="status", status=502, path=r"^/api/models$", times=2))
    async with HubClient(lh.url, token=TOKEN, retry=FAST) as hub:
        items = [m async for m in hub.models.list(limit=5)]
        assert checked_out_connections(hub) == 0
    assert len(items) == 5
    assert api_requests(lh) == 3
    assert len(sleeps.calls) == 2
    assert all(0 <= s <= 0.05 for s in sleeps.calls)


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
async def test_retried_statuses(lh: LocalHub, monkeypatch: pytest.MonkeyPatch, status: int) -> None:
    patch_sleep(monkeypatch)
    lh.faults.add(Fault(kind="status", status=status, path=r"^/api/models/", times=1))
    async with HubClient(lh.url, token=TOKEN, retry=FAST) as hub:
        info = await hub.models.info("google-bert/bert-base-uncased")
    assert info.id == "google-bert/bert-base-uncased"
    assert api_requests(lh, "/api/models/") == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422])
async def test_client_errors_are_not_retried(
    lh: LocalHub, monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    patch_sleep(monkeypatch)
    lh.faults.add(Fault(kind="status", status=status, path=r"^/api/models/"))
    async with HubClient(lh.url, token=TOKEN, retry=FAST) as hub:
        with pytest.raises(Exception) as info:
            await hub.models.info("google-bert/bert-base-uncased")
    assert getattr(info.value, "status", None) == status
    assert api_requests(lh, "/api/models/") == 1


async def test_retries_exhausted_raise_server_error(
    lh: LocalHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    patch_sleep(monkeypatch)
    lh.faults.add(Fault(kind="status", status=500, path=r"^/api/models/"))
    async with HubClient(lh.url, token=TOKEN, retry=FAST) as hub:
        with pytest.raises(ServerError) as info:
            await hub.models.info("google-bert/bert-base-uncased")
        assert checked_out_connections(hub) == 0
    assert info.value.status == 500
    assert info.value.request_id
    assert api_requests(lh, "/api/models/") == 4  # 1 + max_retries


async def test_max_retries_zero_means_one_request_on_the_wire(
    lh: LocalHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    patch_sleep(monkeypatch)
    lh.faults.add(Fault(kind="reset", path=r"^/api/models/"))
    async with HubClient(lh.url, token=TOKEN, retry=RetryPolicy(max_retries=0)) as hub:
        # warm a pooled keep-alive connection so aiohttp's own resend would kick in
        await hub.request("GET", "/api/models", params={"limit": 1})
        with pytest.raises(HubConnectionError):
            await hub.models.info("google-bert/bert-base-uncased")
        assert checked_out_connections(hub) == 0
    assert api_requests(lh, "/api/models/") == 1


async def test_reset_is_retried_within_the_policy_bound(
    lh: LocalHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    patch_sleep(monkeypatch)
    lh.faults.add(Fault(kind="reset", path=r"^/api/models/"))
    async with HubClient(lh.url, token=TOKEN, retry=RetryPolicy(max_retries=2)) as hub:
        await hub.request("GET", "/api/models", params={"limit": 1})
        with pytest.raises(HubConnectionError):
            await hub.models.info("google-bert/bert-base-uncased")
    assert api_requests(lh, "/api/models/") == 3


async def test_retry_after_seconds_is_honoured(
    lh: LocalHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeps = patch_sleep(monkeypatch)
    lh.faults.add(
        Fault(kind="status", status=503, headers={"Retry-After": "7"}, path=r"^/api/", times=1)
    )
    async with HubClient(lh.url, token=TOKEN, retry=FAST) as hub:
        await hub.models.info("google-bert/bert-base-uncased")
    assert sleeps.calls and sleeps.calls[0] == pytest.approx(7, abs=0.01)


async def test_retry_after_http_date_is_honoured(
    lh: LocalHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeps = patch_sleep(monkeypatch)
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=20), usegmt=True)
    lh.faults.add(
        Fault(kind="status", status=503, headers={"Retry-After": when}, path=r"^/api/", times=1)
    )
    async with HubClient(lh.url, token=TOKEN, retry=FAST) as hub:
        await hub.models.info("google-bert/bert-base-uncased")
    assert sleeps.calls and 17 <= sleeps.calls[0] <= 21


async def test_ratelimit_header_waits_t_plus_one(
    lh: LocalHub, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    sleeps = patch_sleep(monkeypatch)
    headers = {
        "RateLimit": '"api";r=0;t=9',
        "RateLimit-Policy": '"fixed window";"api";q=500;w=300',
    }
    lh.faults.add(Fault(kind="status", status=429, headers=headers, path=r"^/api/", times=1))
    with caplog.at_level(logging.INFO, logger="hubapi_async"):
        async with HubClient(lh.url, token=TOKEN, retry=FAST) as hub:
            info = await hub.models.info("google-bert/bert-base-uncased")
    assert info.id == "google-bert/bert-base-uncased"
    assert max(sleeps.calls) == pytest.approx(10, abs=0.5)
    assert "429" in caplog.text
    assert TOKEN not in caplog.text


async def test_rate_limit_wait_beyond_cap_raises_at_once(
    lh: LocalHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeps = patch_sleep(monkeypatch)
    headers = {
        "RateLimit": '"api";r=0;t=250',
        "RateLimit-Policy": '"fixed window";"api";q=500;w=300',
    }
    lh.faults.add(Fault(kind="status", status=429, headers=headers, path=r"^/api/"))
    policy = RetryPolicy(max_retries=3, initial_backoff=0.01, max_rate_limit_wait=30)
    async with HubClient(lh.url, token=TOKEN, retry=policy) as hub:
        with pytest.raises(RateLimitError) as info:
            await hub.models.info("google-bert/bert-base-uncased")
    err = info.value
    assert err.status == 429
    assert err.remaining == 0
    assert err.reset_in == 250
    assert err.limit == 500
    assert err.window == 300
    assert err.retry_after is not None and err.retry_after >= 250
    assert sleeps.calls == []
    assert api_requests(lh, "/api/models/") == 1


async def test_503_retry_after_beyond_cap_raises_server_error(
    lh: LocalHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    patch_sleep(monkeypatch)
    lh.faults.add(Fault(kind="status", status=503, headers={"Retry-After": "3600"}, path=r"^/api/"))
    async with HubClient(lh.url, token=TOKEN, retry=FAST) as hub:
        with pytest.raises(ServerError) as info:
            await hub.models.info("google-bert/bert-base-uncased")
    assert info.value.retry_after == pytest.approx(3600)
    assert api_requests(lh, "/api/models/") == 1


async def test_post_is_not_retried_on_500_but_is_on_429(
    lh: LocalHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    patch_sleep(monkeypatch)
    lh.faults.add(Fault(kind="status", status=500, path=r"^/api/echo-500$"))
    lh.faults.add(Fault(kind="status", status=429, path=r"^/api/echo-429$", times=1))
    async with HubClient(lh.url, token=TOKEN, retry=FAST) as hub:
        with pytest.raises(ServerError):
            await hub.request("POST", "/api/echo-500", json={"a": 1})
        with pytest.raises(HubHTTPError) as info:  # retried after the 429, then the real answer
            await hub.request("POST", "/api/echo-429", json={"a": 1})
        assert info.value.status not in (429, 500)
    assert api_requests(lh, "/api/echo-500") == 1
    assert api_requests(lh, "/api/echo-429") == 2


async def test_409_is_never_retried(lh: LocalHub, monkeypatch: pytest.MonkeyPatch) -> None:
    patch_sleep(monkeypatch)
    body = b'{"error": "You already created this model repo"}'
    lh.faults.add(Fault(kind="status", status=409, body=body, path=r"^/api/models/"))
    async with HubClient(lh.url, token=TOKEN, retry=FAST) as hub:
        with pytest.raises(ConflictError) as info:
            await hub.request("PUT", "/api/models/demo/x/settings", json={"private": True})
    assert info.value.server_message == "You already created this model repo"
    assert api_requests(lh, "/api/models/") == 1


async def test_delete_404_after_lost_response_is_success(
    lh: LocalHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    patch_sleep(monkeypatch)
    lh.faults.add(Fault(kind="reset", path=r"^/api/gone$", method="DELETE", times=1))
    async with HubClient(lh.url, token=TOKEN, retry=FAST) as hub:
        response = await hub.request("DELETE", "/api/gone")
        assert response.status == 404
        with pytest.raises(NotFoundError):  # a plain 404 on the first attempt is an error
            await hub.request("DELETE", "/api/gone")


async def test_deadline_covers_retries_and_chains_the_cause(
    lh: LocalHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeps = patch_sleep(monkeypatch)  # backoff passes on the transport's (virtual) clock
    lh.faults.add(Fault(kind="status", status=503, path=r"^/api/models/"))
    policy = RetryPolicy(max_retries=50, initial_backoff=0.05, max_backoff=0.1)
    async with HubClient(lh.url, token=TOKEN, retry=policy) as hub:
        started = time.monotonic()
        with pytest.raises(HubTimeoutError) as info:
            await hub.models.info("google-bert/bert-base-uncased", timeout=0.4)
        elapsed = time.monotonic() - started
        assert checked_out_connections(hub) == 0
    assert isinstance(info.value, TimeoutError)
    assert isinstance(info.value.__cause__, ServerError)
    assert elapsed < 2.0
    assert 0 < sum(sleeps.calls) <= 0.4  # no sleep ran past the deadline


async def test_read_timeout_per_attempt(lh: LocalHub, monkeypatch: pytest.MonkeyPatch) -> None:
    patch_sleep(monkeypatch)
    lh.faults.add(Fault(kind="stall", delay=2.0, path=r"^/api/models/", times=1))
    timeout = Timeout(connect=1, read=0.2)
    async with HubClient(lh.url, token=TOKEN, retry=FAST, timeout=timeout) as hub:
        info = await hub.models.info("google-bert/bert-base-uncased")
        assert checked_out_connections(hub) == 0
    assert info.id == "google-bert/bert-base-uncased"
    assert api_requests(lh, "/api/models/") == 2


async def test_deadline_excludes_time_queued_for_a_slot(lh: LocalHub) -> None:
    lh.faults.add(Fault(kind="stall", delay=0.2, path=r"^/api/models/"))
    async with HubClient(lh.url, token=TOKEN, max_concurrency=1, timeout=0.6) as hub:
        await hub.models.info("gpt2")  # learn the rate-limit quota first
        started = time.monotonic()
        results = await asyncio.gather(
            *(hub.models.info("google-bert/bert-base-uncased") for _ in range(4))
        )
        elapsed = time.monotonic() - started
    # the last call queued ~0.6 s behind the others, then ran ~0.2 s of its 0.6 s deadline
    assert len(results) == 4
    assert elapsed >= 0.75


async def test_max_concurrency_is_enforced_by_the_client(lh: LocalHub) -> None:
    lh.faults.add(Fault(kind="stall", delay=0.05, path=r"^/api/models/"))
    import aiohttp

    async with aiohttp.ClientSession() as session:
        async with HubClient(lh.url, token=TOKEN, session=session, max_concurrency=2) as hub:
            peak = 0
            orig = hub._transport._slots

            async def one() -> None:
                nonlocal peak
                await hub.models.info("google-bert/bert-base-uncased")

            tasks = [asyncio.create_task(one()) for _ in range(6)]
            for _ in range(20):
                await asyncio.sleep(0.01)
                slots = hub._transport._slots
                if slots is not None:
                    peak = max(peak, 2 - slots._value)
            await asyncio.gather(*tasks)
            assert orig is None or orig is hub._transport._slots
        assert not session.closed  # a borrowed session is never closed
    assert peak == 2


async def test_cancel_during_backoff_sends_nothing_more(
    lh: LocalHub,
) -> None:
    lh.faults.add(Fault(kind="status", status=503, path=r"^/api/models/"))
    policy = RetryPolicy(max_retries=5, initial_backoff=5, max_backoff=5)
    async with HubClient(lh.url, token=TOKEN, retry=policy) as hub:
        task = asyncio.create_task(hub.models.info("google-bert/bert-base-uncased"))
        for _ in range(100):
            await asyncio.sleep(0.01)
            if api_requests(lh, "/api/models/") >= 1:
                break
        await asyncio.sleep(0.05)
        started = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert time.monotonic() - started < 0.5
        await asyncio.sleep(0.1)
        assert checked_out_connections(hub) == 0
    assert api_requests(lh, "/api/models/") == 1


async def test_mixed_faults_leave_no_connection_checked_out(
    lh: LocalHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    patch_sleep(monkeypatch)
    lh.faults.add(Fault(kind="status", status=500, path=r"^/api/models/", rate=0.2))
    lh.faults.add(Fault(kind="reset", path=r"^/api/models/", rate=0.1))
    lh.faults.add(Fault(kind="truncate", path=r"^/api/models/", rate=0.1))
    lh.faults.add(Fault(kind="stall", delay=1.0, path=r"^/api/models/", rate=0.05))
    timeout = Timeout(connect=1, read=0.3)
    async with HubClient(lh.url, token=TOKEN, retry=FAST, timeout=timeout) as hub:

        async def one(i: int) -> object:
            try:
                async with asyncio.timeout(0.2 if i % 7 == 0 else None):
                    return await hub.models.info("google-bert/bert-base-uncased")
            except (TimeoutError, HubConnectionError, ServerError, HubTimeoutError) as exc:
                return exc

        results = await asyncio.gather(*(one(i) for i in range(40)))
        await asyncio.sleep(0.05)
        assert checked_out_connections(hub) == 0
    assert sum(1 for r in results if not isinstance(r, BaseException)) >= 20


async def test_truncated_body_is_retried_then_reported(
    lh: LocalHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    patch_sleep(monkeypatch)
    lh.faults.add(Fault(kind="truncate", path=r"^/api/models/"))
    async with HubClient(lh.url, token=TOKEN, retry=RetryPolicy(max_retries=1)) as hub:
        with pytest.raises(HubConnectionError, match="cut off"):
            await hub.models.info("google-bert/bert-base-uncased")
    assert api_requests(lh, "/api/models/") == 2


@pytest.mark.parametrize("kind", ["html", "bad_json"])
async def test_well_framed_garbage_is_a_decode_error_not_retried(lh: LocalHub, kind: str) -> None:
    lh.faults.add(Fault(kind=kind, status=200, path=r"^/api/models/"))
    async with HubClient(lh.url, token=TOKEN, retry=FAST) as hub:
        with pytest.raises(DecodeError) as info:
            await hub.models.info("google-bert/bert-base-uncased")
    assert info.value.status == 200
    assert info.value.body_excerpt
    assert api_requests(lh, "/api/models/") == 1


async def test_wrong_shape_is_a_decode_error(lh: LocalHub) -> None:
    lh.faults.add(
        Fault(kind="status", status=200, body=b'{"id": 12, "likes": "many"}', path="^/api/models/")
    )
    async with HubClient(lh.url, token=TOKEN) as hub:
        with pytest.raises(DecodeError, match="ModelInfo"):
            await hub.models.info("google-bert/bert-base-uncased")


async def test_html_error_page_maps_to_status_class(
    lh: LocalHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    patch_sleep(monkeypatch)
    lh.faults.add(Fault(kind="html", status=502, path=r"^/api/models/"))
    async with HubClient(lh.url, token=TOKEN, retry=RetryPolicy(max_retries=0)) as hub:
        with pytest.raises(ServerError) as info:
            await hub.models.info("google-bert/bert-base-uncased")
    assert "<html" not in (info.value.server_message or "").lower()


async def test_body_size_cap(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=TOKEN, max_response_size=1000) as hub:
        with pytest.raises(DecodeError, match="max_response_size"):
            await hub.models.info("google-bert/bert-base-uncased")
        assert checked_out_connections(hub) == 0


async def test_hub_error_mapping_end_to_end(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=False) as anon:
        with pytest.raises(RepositoryNotFoundOrPrivateError) as anon_err:
            await anon.models.info("nobody/does-not-exist")
        gated = await anon.models.info("meta-llama/Llama-3.1-8B-Instruct")
    assert isinstance(anon_err.value, RepositoryNotFoundError)
    assert isinstance(anon_err.value, AuthenticationError)
    assert anon_err.value.status == 401
    assert gated.gated == "manual"
    async with HubClient(lh.url, token=TOKEN) as hub:
        with pytest.raises(RepositoryNotFoundError) as authed:
            await hub.models.info("nobody/does-not-exist")
        assert authed.value.status == 404
        assert authed.value.error_code == "RepoNotFound"
        with pytest.raises(RevisionNotFoundError):
            await hub.models.info("google-bert/bert-base-uncased", revision="no-such-branch")
    async with HubClient(lh.url, token="hf_wrong_token_value") as bad:
        with pytest.raises(AuthenticationError) as bad_err:
            await bad.models.info("google-bert/bert-base-uncased")
        assert not isinstance(bad_err.value, RepositoryNotFoundError)
        assert "hf_wrong_token_value" not in str(bad_err.value)
        assert "hf_wrong_token_value" not in repr(bad_err.value)


async def test_gated_error_code_maps_whatever_the_status(lh: LocalHub) -> None:
    headers = {"X-Error-Code": "GatedRepo", "X-Error-Message": "Access to model x is restricted."}
    lh.faults.add(Fault(kind="status", status=401, headers=headers, path=r"^/api/models/"))
    async with HubClient(lh.url, token=TOKEN) as hub:
        with pytest.raises(GatedRepoError) as info:
            await hub.models.info("google-bert/bert-base-uncased")
    assert info.value.status == 401
    assert info.value.server_message == "Access to model x is restricted."


async def test_body_size_cap_counts_decompressed_bytes(lh: LocalHub) -> None:
    import gzip

    bomb = gzip.compress(b"[" + b" " * 2_000_000 + b"]")
    lh.faults.add(
        Fault(
            kind="status",
            status=200,
            headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
            body=bomb,
            path=r"^/api/models$",
        )
    )
    async with HubClient(lh.url, token=TOKEN, max_response_size=100_000) as hub:
        assert len(bomb) < 100_000
        with pytest.raises(DecodeError, match="max_response_size"):
            await hub.request("GET", "/api/models")
        assert checked_out_connections(hub) == 0


async def test_odd_headers_never_break_a_request(
    lh: LocalHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeps = patch_sleep(monkeypatch)
    odd = {
        "RateLimit": '"api";r=banana;t=-5, garbage',
        "RateLimit-Policy": "fixed window;;q=;w=NaN",
        "Retry-After": "soon",
        "Link": "<>; rel=",
        "X-Error-Code": "\u2603",
    }
    lh.faults.add(Fault(kind="status", status=503, headers=odd, path=r"^/api/models/", times=1))
    body = b'{"_id": "1", "id": "google-bert/bert-base-uncased"}'
    lh.faults.add(
        Fault(kind="status", status=200, headers=odd, body=body, path=r"^/api/models/", times=1)
    )
    async with HubClient(lh.url, token=TOKEN, retry=FAST) as hub:
        info = await hub.models.info("google-bert/bert-base-uncased")
        again = await hub.models.info("google-bert/bert-base-uncased")
    assert info.id == again.id == "google-bert/bert-base-uncased"
    assert len(sleeps.calls) == 1 and sleeps.calls[0] <= FAST.max_backoff


async def test_token_echoed_by_a_server_is_redacted_from_errors(lh: LocalHub) -> None:
    secret = "hf_" + "a1b2c3d4" * 4
    body = f'{{"error": "token {secret} is not allowed"}}'.encode()
    lh.faults.add(Fault(kind="status", status=403, body=body, path=r"^/api/models/"))
    async with HubClient(lh.url, token=secret) as hub:
        with pytest.raises(hubapi_async_errors.PermissionDeniedError) as info:
            await hub.models.info("google-bert/bert-base-uncased")
    assert secret not in str(info.value)
    assert secret not in repr(info.value)
    assert secret not in (info.value.server_message or "")
