"""Credentials, hostile redirects, offline proxies, trickles and deadlines on the wire.

Each test closes a hole a hostile review found: it fails on a client without the fix.
"""

from __future__ import annotations

import asyncio
import logging
import pickle
import time
import traceback
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from hubapi_async import (
    DecodeError,
    HubClient,
    HubConnectionError,
    HubError,
    HubTimeoutError,
    NotFoundError,
    PermissionDeniedError,
    RepositoryNotFoundError,
    RetryPolicy,
    Timeout,
)
from hubapi_async._response import CallOptions
from hubapi_async.testing import Fault, LocalHub

from ._helpers import checked_out_connections, patch_sleep, serve

# Not shaped like a Hugging Face token: it must be masked by its value.
SECRET = "sekrit-Value-0123456789"
INFO = "google-bert/bert-base-uncased"


@pytest.fixture
async def lh() -> AsyncIterator[LocalHub]:
    hub = LocalHub(models=20, datasets=2, spaces=2, tokens=(SECRET, "hf_local_token"))
    async with hub:
        yield hub


def _with_locals(exc: BaseException) -> list[str]:
    """The traceback with every frame's locals, from the library's frames down (the
    test's own frame, which holds the secret on purpose, is left out)."""
    tb = exc.__traceback__.tb_next if exc.__traceback__ is not None else None
    shown = traceback.TracebackException(type(exc), exc, tb, capture_locals=True)
    return list(shown.format())


def everything_said(exc: BaseException) -> str:
    """Every string a user, a logger or an error tracker can get out of ``exc``."""
    parts = [
        str(exc),
        repr(exc),
        "".join(traceback.format_exception(exc)),
        "".join(_with_locals(exc)),
        repr(pickle.dumps(exc)),
        repr(vars(exc)),
    ]
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        parts += [repr(link), repr(vars(link)), repr(getattr(link, "args", ()))]
        link = link.__cause__ or link.__context__
    return "\n".join(parts)


# -- the token ------------------------------------------------------------------------------


async def test_internal_call_objects_have_token_free_reprs(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=SECRET) as hub:
        opts = hub.with_options(headers={"X-Api-Key": SECRET})._opts
        call = hub._transport.new_call(
            "GET", hub._transport.url_for("/api/x"), opts, {}, False, None
        )
    assert isinstance(opts, CallOptions) and opts.token == SECRET
    for text in (repr(opts), repr(call), str(call)):
        assert SECRET not in text


async def test_token_not_in_a_404_traceback_with_locals(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=SECRET) as hub:
        with pytest.raises(RepositoryNotFoundError) as info:
            await hub.models.info("nobody/nothing-here")
    assert SECRET not in everything_said(info.value)


async def test_borrowed_session_raising_for_status_keeps_hub_errors_and_the_token_out(
    lh: LocalHub,
) -> None:
    async with aiohttp.ClientSession(raise_for_status=True) as session:
        async with HubClient(lh.url, token=SECRET, session=session) as hub:
            with pytest.raises(NotFoundError) as info:
                await hub.models.info("nobody/nothing-here")
            assert (await hub.models.info(INFO)).id == INFO
    assert info.value.status == 404
    assert SECRET not in everything_said(info.value)


async def test_token_not_in_connection_errors_or_their_chain(lh: LocalHub) -> None:
    lh.faults.add(Fault(kind="reset", path=r"^/api/models/"))
    async with HubClient(lh.url, token=SECRET, retry=RetryPolicy(max_retries=0)) as hub:
        with pytest.raises(HubConnectionError) as info:
            await hub.models.info(INFO)
    assert info.value.__cause__ is None or isinstance(info.value.__cause__, HubError)
    assert SECRET not in everything_said(info.value)


async def test_echoed_token_is_masked_by_value_everywhere(
    lh: LocalHub, caplog: pytest.LogCaptureFixture
) -> None:
    body = f'{{"error": "token {SECRET} may not read this"}}'.encode()
    headers = {"X-Debug-Token": SECRET, "X-Error-Message": f"bad {SECRET}"}
    lh.faults.add(Fault(kind="status", status=403, headers=headers, body=body, path=r"^/api/m"))
    echo = f'{{"id": 12, "note": "{SECRET}"}}'.encode()
    lh.faults.add(Fault(kind="status", status=200, body=echo, path=r"^/api/spaces/"))
    with caplog.at_level(logging.DEBUG):
        async with HubClient(lh.url, token=SECRET) as hub:
            with pytest.raises(PermissionDeniedError) as denied:
                await hub.models.info(INFO)
            with pytest.raises(DecodeError) as garbled:
                await hub.spaces.info("demo/space")
    err = denied.value
    assert err.server_message == "bad ***"
    for text in (everything_said(err), everything_said(garbled.value), caplog.text):
        assert SECRET not in text
    assert all(SECRET not in value for value in err.headers.values())
    assert SECRET not in pickle.loads(pickle.dumps(err)).server_message


# -- where requests go ---------------------------------------------------------------------------


@pytest.mark.parametrize("borrowed", [False, True])
async def test_offline_mode_never_sends_through_a_remote_proxy(
    lh: LocalHub, monkeypatch: pytest.MonkeyPatch, borrowed: bool
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("NO_PROXY", raising=False)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, "http://10.255.0.1:3128")  # conftest refuses such sockets
    session = aiohttp.ClientSession(trust_env=True) if borrowed else None
    try:
        async with HubClient(lh.url, token=SECRET, session=session) as hub:
            assert (await hub.models.info(INFO)).id == INFO
    finally:
        if session is not None:
            await session.close()
    assert lh.requests[-1].path == f"/api/models/{INFO}"


async def test_credential_headers_do_not_follow_a_redirect_to_another_origin(
    lh: LocalHub,
) -> None:
    other = LocalHub(models=5, datasets=1, spaces=1)
    async with other:
        target = f"{other.url}/api/models/{INFO}"
        lh.faults.add(
            Fault(kind="status", status=307, headers={"Location": target}, path="^/api/m")
        )
        defaults = {"Authorization": "Basic c2VjcmV0OnNlY3JldA==", "X-Session-Id": "s1"}
        async with aiohttp.ClientSession(headers=defaults) as session:
            async with HubClient(lh.url, token=False, session=session) as hub:
                view = hub.with_options(
                    headers={"X-Api-Key": "key1", "Cookie": "sid=1", "X-Trace": "trace1"}
                )
                info = await view.models.info(INFO)
    assert info.id == INFO
    first = lh.requests[-1].headers
    assert first["X-Api-Key"] == "key1" and first["Cookie"] == "sid=1"
    [hop] = other.requests
    assert hop.headers.get("X-Trace") == "trace1"
    for name in ("Authorization", "X-Api-Key", "Cookie", "X-Session-Id"):
        assert name not in hop.headers


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.1:99999/x",
        "http://127.0.0.1:port/x",
        "//127.0.0.1:x/p",
        "http://xn--a.example/x",
        "http://xn--/x",
        "http://user:pass@127.0.0.1:9/x",
        "http://[zz]/x",
        "http://bücher.example/x",
        "ftp://127.0.0.1/x",
    ],
)
async def test_a_bad_location_is_a_connection_error(lh: LocalHub, location: str) -> None:
    lh.faults.add(Fault(kind="status", status=302, headers={"Location": location}, path="^/api/m"))
    async with HubClient(lh.url, token=SECRET) as hub:
        with pytest.raises(HubConnectionError, match="redirected"):
            await hub.models.info(INFO)
        assert checked_out_connections(hub) == 0


# -- time -----------------------------------------------------------------------------------------


async def test_time_waiting_on_the_gate_counts_against_the_deadline(lh: LocalHub) -> None:
    lh.faults.add(Fault(kind="stall", delay=2.0, path=r"^/api/models/", nth=[1]))
    async with HubClient(lh.url, token=SECRET) as hub:
        probe = asyncio.create_task(hub.models.info(INFO))  # learns the quota, slowly
        await asyncio.sleep(0)  # one turn: the probe holds the gate's bucket
        started = time.monotonic()
        with pytest.raises(HubTimeoutError, match="deadline"):
            await hub.models.info(INFO, timeout=0.3)
        waited = time.monotonic() - started
        probe.cancel()
        with pytest.raises(asyncio.CancelledError):
            await probe
    assert waited < 1.5


async def test_a_trickling_server_cannot_hold_an_attempt_forever() -> None:
    async def trickle(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "application/json"})
        resp.content_length = 1000
        await resp.prepare(request)
        for _ in range(1000):  # a byte every 50 ms: never a gap longer than `read`
            await resp.write(b" ")
            await asyncio.sleep(0.05)
        return resp

    assert Timeout().attempt == 300.0
    timeout = Timeout(read=1.0, attempt=0.4)
    async with serve(trickle) as url:
        async with HubClient(url, token=False, timeout=timeout, retry=RetryPolicy(0)) as hub:
            started = time.monotonic()
            with pytest.raises(HubTimeoutError):
                await hub.request("GET", "/api/slow")
            assert time.monotonic() - started < 1.5
            assert checked_out_connections(hub) == 0


async def test_token_canary_across_calls_retries_redirects_downloads_and_logs(
    lh: LocalHub,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Many succeeding and failing calls with DEBUG logs on: the token shows up nowhere."""
    patch_sleep(monkeypatch)
    lh.faults.add(Fault(kind="status", status=503, path=r"^/api/models/", times=2))
    lh.faults.add(Fault(kind="truncate", origin="cdn", times=1))
    limited = {"RateLimit": '"api";r=0;t=600'}
    lh.faults.add(Fault(kind="status", status=429, headers=limited, path=r"^/api/spaces/"))
    said: list[str] = []
    with caplog.at_level(logging.DEBUG):
        async with HubClient(lh.url, token=SECRET, retry=RetryPolicy(max_retries=3)) as hub:
            said.append(repr(await hub.models.info(INFO)))
            said.append(repr([m async for m in hub.models.list(limit=3)]))
            said.append(repr(await hub.request("GET", f"/api/models/{INFO}")))
            parquet = await hub.datasets.parquet("ibm/duorc")
            subset, splits = next(iter(parquet.items()))
            await hub.datasets.download_parquet_shard(
                "ibm/duorc", subset, next(iter(splits)), 0, tmp_path / "0.parquet"
            )
            failures: list[BaseException] = []
            for call in (
                hub.spaces.info("demo/space"),  # 429 beyond the allowed wait
                hub.spaces.info("demo/space"),  # refused by the gate, no request
                hub.models.info("nobody/nothing"),
                hub.request("GET", "/api/models", timeout=Timeout(deadline=1e-9)),
            ):
                try:
                    await call
                except HubError as exc:
                    failures.append(exc)
            said.append(repr(hub))
    assert len(failures) == 4
    said += [everything_said(exc) for exc in failures]
    said.append(caplog.text)
    assert all(SECRET not in text for text in said)
    assert caplog.text  # DEBUG logging was on and said something


def test_the_attempt_bound_is_a_timeout_field_like_the_others() -> None:
    assert Timeout().attempt == 300.0
    assert Timeout.coerce(5.0, Timeout(attempt=7)).attempt == 7  # a number sets the deadline
    assert Timeout(attempt=None).attempt is None
    with pytest.raises(ValueError):
        Timeout(attempt=0)
    with pytest.raises(TypeError):
        Timeout(attempt="1")  # type: ignore[arg-type]


async def test_a_borrowed_session_closed_under_the_client_is_a_connection_error(
    lh: LocalHub,
) -> None:
    session = aiohttp.ClientSession()
    async with HubClient(lh.url, token=SECRET, session=session) as hub:
        assert (await hub.models.info(INFO)).id == INFO
        await session.close()
        with pytest.raises(HubConnectionError, match="was closed"):
            await hub.models.info(INFO)
