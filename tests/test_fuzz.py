"""Fuzz: whatever a server answers, the client returns valid Structs or raises a HubError.

A scripted loopback server (``tests/_fuzzing.py``) answers each example's requests with
raw responses built by hypothesis: any status, ``Link``/``Location``/``RateLimit``/
``RateLimit-Policy``/``Retry-After``/``Content-Type``/``Content-Range``/``X-Error-*``
headers in the Hub's shapes, their near misses and garbage (also not UTF-8), bodies deep,
huge, invalid, compressed, cut or mis-framed. For info calls, listings, error answers,
redirects and shard streams the properties are the same:

- the result is a valid Struct (or list of them), or the call raises a ``HubError``;
  never another exception type;
- every call ends: each one runs under a deadline and inside a hard bound of its own;
- no body larger than ``max_response_size`` is ever accepted;
- a redirect to another origin never carries the token.

The number of inputs tried is written to ``.reliability/fuzz.json``.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import pickle
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubapi_async import (
    HubClient,
    HubError,
    HubHTTPError,
    Response,
    RetryPolicy,
    Timeout,
)
from hubapi_async._protocol import error_for_response
from hubapi_async.types import ModelInfo

from ._fuzzing import (
    CAP,
    ScriptedServer,
    answers,
    content_ranges,
    content_types,
    header_sets,
    http_response,
    locations,
    models,
    odd_locations,
)
from ._helpers import clean_env, patch_virtual_time, record_figures

T = TypeVar("T")

TOKEN = "hf_fuzzCanary0123456789abcdefXYZ"
RETRY = RetryPolicy(max_retries=1, initial_backoff=0.001, max_backoff=0.002, max_rate_limit_wait=5)
TIMEOUT = Timeout(connect=2, read=2, deadline=4)
#: Each call must end well within this, whatever the server does.
HARD_BOUND = 15.0
EXAMPLES = int(os.environ.get("HUBAPI_FUZZ_EXAMPLES", "200"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.function_scoped_fixture,
    ],
)
ON_LOOP = pytest.mark.asyncio(loop_scope="module")

TRIED: Counter[str] = Counter()
OUTCOMES: Counter[str] = Counter()
PROBLEMS = ("other exception", "hang")


@pytest.fixture(scope="module", autouse=True)
def _figures() -> Iterator[None]:
    yield
    if TRIED:
        record_figures(
            "fuzz",
            {
                "inputs_by_property": dict(TRIED),
                "inputs": sum(TRIED.values()),
                "outcomes": {k: v for k, v in OUTCOMES.items() if k not in PROBLEMS},
                "other_exceptions": OUTCOMES["other exception"],
                "hangs": OUTCOMES["hang"],
            },
        )


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server() -> AsyncIterator[ScriptedServer]:
    with pytest.MonkeyPatch.context() as patch:
        clean_env(patch)
        patch_virtual_time(patch)  # backoff and gate waits cost no time
        scripted = ScriptedServer()
        await scripted.start()
        try:
            yield scripted
        finally:
            await scripted.stop()


def own(server: ScriptedServer) -> str:
    return server.url.removeprefix("http://")


@functools.cache
def scripts(
    own_host: str, *, listing: bool = False, most: int = 3
) -> st.SearchStrategy[list[bytes]]:
    """One to ``most`` raw answers, played in turn (the last one repeats)."""
    return st.lists(answers(own_host, listing=listing), min_size=1, max_size=most)


def client(server: ScriptedServer) -> HubClient:
    return HubClient(server.url, token=TOKEN, retry=RETRY, timeout=TIMEOUT, max_response_size=CAP)


def check_error(exc: HubError) -> None:
    """An error a user may log, pickle and inspect without a second failure."""
    assert str(exc) and repr(exc)
    again = pickle.loads(pickle.dumps(exc))
    assert type(again) is type(exc) and str(again) == str(exc)
    if isinstance(exc, HubHTTPError):
        assert exc.status is None or 100 <= exc.status <= 999
        assert isinstance(dict(exc.headers), dict)
        assert exc.server_message is None or isinstance(exc.server_message, str)
        assert exc.error_code is None or isinstance(exc.error_code, str)
        assert exc.retry_after is None or exc.retry_after >= 0


async def settle(name: str, call: Awaitable[T], *, counted: bool = True) -> T | HubError:
    """The call's value or its HubError; any other exception, or a hang, fails the test.

    ``counted``: the outcome goes into the figures (not for the pinned holes' tests).
    """
    tally = OUTCOMES if counted else Counter()
    if counted:
        TRIED[name] += 1
    try:
        async with asyncio.timeout(HARD_BOUND):
            value = await call
    except HubError as exc:
        check_error(exc)
        tally[type(exc).__name__] += 1
        return exc
    except TimeoutError:  # the hard bound, not the client's own HubTimeoutError
        tally["hang"] += 1
        pytest.fail(f"{name}: the call did not end within {HARD_BOUND} s")
    except Exception:
        tally["other exception"] += 1
        raise
    tally["value"] += 1
    return value


def token_only_at_home(server: ScriptedServer) -> None:
    """Requests that reached this server under another origin's name carry no token."""
    home = own(server)
    for seen in server.requests:
        if seen.headers.get("host") != home:
            assert TOKEN not in str(seen.headers), seen


@ON_LOOP
@FUZZ
@given(data=st.data())
async def test_info_is_a_struct_or_a_hub_error(server: ScriptedServer, data: st.DataObject) -> None:
    server.play(*data.draw(scripts(own(server))))
    async with client(server) as hub:
        result = await settle("info", hub.models.info("fuzz/model"))
    if not isinstance(result, HubError):
        assert isinstance(result, ModelInfo)
        assert isinstance(result.to_dict(), dict)
    token_only_at_home(server)


@ON_LOOP
@FUZZ
@given(data=st.data(), prefetch=st.booleans(), limit=st.sampled_from([None, 1, 7, 40]))
async def test_listing_yields_structs_or_raises_a_hub_error(
    server: ScriptedServer, data: st.DataObject, prefetch: bool, limit: int | None
) -> None:
    server.play(*data.draw(scripts(own(server), listing=True, most=4)))
    async with client(server) as hub:

        async def walk() -> list[ModelInfo]:
            async with hub.models.list(limit=limit, prefetch=prefetch) as listing:
                return [m async for m in listing]

        result = await settle("listing", walk())
    if not isinstance(result, HubError):
        assert all(isinstance(m, ModelInfo) for m in result)
        assert limit is None or len(result) <= limit
        assert len(server.requests) <= 4 * (RETRY.max_retries + 1) * 11
    token_only_at_home(server)


@ON_LOOP
@FUZZ
@given(data=st.data())
async def test_no_body_beyond_max_response_size_is_accepted(
    server: ScriptedServer, data: st.DataObject
) -> None:
    server.play(*data.draw(scripts(own(server), most=1)))
    async with client(server) as hub:
        result = await settle("raw request", hub.request("GET", "/api/fuzz"))
    if isinstance(result, Response):
        assert len(result.body) <= CAP
        assert 100 <= result.status < 400


@ON_LOOP
@FUZZ
@given(
    data=st.data(),
    status=st.one_of(st.integers(400, 599), st.sampled_from([401, 403, 404, 409, 429, 503])),
)
async def test_an_error_status_is_always_a_hub_error(
    server: ScriptedServer, data: st.DataObject, status: int
) -> None:
    answer = data.draw(scripts(own(server), most=1))[0]
    rest = answer.partition(b"\r\n")[2]
    server.play(b"HTTP/1.1 %d Fuzzed\r\n" % status + rest)
    async with client(server) as hub:
        result = await settle("error answer", hub.models.info("fuzz/model", revision="v1.0"))
    assert isinstance(result, HubError), result


@ON_LOOP
@FUZZ
@given(data=st.data(), status=st.sampled_from([301, 302, 303, 307, 308]))
async def test_redirects_end_in_a_struct_or_a_hub_error_and_keep_the_token_home(
    server: ScriptedServer, data: st.DataObject, status: int
) -> None:
    location = data.draw(locations(own(server)))
    headers = [(b"Location", location), *data.draw(header_sets(own(server)))]
    good = http_response(
        200, [(b"Content-Type", b"application/json")], data.draw(bodies_of_models())
    )
    server.play(http_response(status, headers, b"Found."), good)
    async with client(server) as hub:
        result = await settle("redirect", hub.models.info("fuzz/model"))
    if not isinstance(result, HubError):
        assert isinstance(result, ModelInfo)
    token_only_at_home(server)


@functools.cache
def bodies_of_models() -> st.SearchStrategy[bytes]:
    return models().map(lambda doc: json.dumps(doc).encode())


@ON_LOOP
@FUZZ
@given(data=st.data())
async def test_shard_streams_end_in_bytes_or_a_hub_error(
    server: ScriptedServer, data: st.DataObject
) -> None:
    server.play(*data.draw(st.lists(shard_answers(own(server)), min_size=1, max_size=3)))
    async with client(server) as hub:

        async def stream() -> bytes:
            async with hub.datasets.parquet_shard("fuzz/data", "default", "train", 0) as chunks:
                return b"".join([chunk async for chunk in chunks])

        result = await settle("shard stream", stream())
    if not isinstance(result, HubError):
        assert isinstance(result, bytes)
    token_only_at_home(server)


@ON_LOOP
@FUZZ
@given(data=st.data())
async def test_shard_downloads_end_in_a_file_or_a_hub_error_and_leave_nothing_behind(
    server: ScriptedServer, data: st.DataObject
) -> None:
    server.play(*data.draw(st.lists(shard_answers(own(server)), min_size=1, max_size=4)))
    with tempfile.TemporaryDirectory() as where:
        target = Path(where) / "shard.parquet"
        async with client(server) as hub:
            result = await settle(
                "shard download",
                hub.datasets.download_parquet_shard("fuzz/data", "default", "train", 0, target),
            )
        left = sorted(p.name for p in Path(where).iterdir())  # noqa: ASYNC240
        if isinstance(result, HubError):
            assert left == []
        else:
            assert result == target and left == ["shard.parquet"]
    token_only_at_home(server)


@functools.cache
def shard_answers(own_host: str) -> st.SearchStrategy[bytes]:
    """Shard answers: mostly 200/206/302 with the shard-ish headers, bodies of bytes."""
    par1 = st.binary(max_size=300).map(lambda b: b"PAR1" + b + b"PAR1")
    body = st.one_of(par1, st.binary(max_size=500), st.just(b"<html>portal</html>"))
    status = st.sampled_from([200, 200, 206, 206, 302, 307, 404, 416, 500, 503])
    extra = st.lists(
        st.one_of(
            st.tuples(st.just(b"Content-Range"), content_ranges()),
            st.tuples(st.just(b"Content-Type"), content_types()),
            st.tuples(st.just(b"Location"), locations(own_host)),
            st.tuples(st.just(b"ETag"), st.sampled_from([b'"abc"', b'W/"x"', b""])),
        ),
        max_size=4,
    )
    framing = st.sampled_from(["length", "length", "length", "short", "close", "chunked"])
    return st.builds(
        lambda s, h, more, b, f: http_response(s, h + more, b, f),
        status,
        header_sets(own_host),
        extra,
        body,
        framing,
    )


# -- holes the properties found, pinned one by one -------------------------------------------
@ON_LOOP
@pytest.mark.parametrize("template", odd_locations("{own}"))
async def test_odd_location_values_end_as_hub_errors(server: ScriptedServer, template: str) -> None:
    location = template.format(own=own(server))
    good = http_response(200, [], json.dumps({"id": "fuzz/model"}).encode())
    server.play(http_response(302, [(b"Location", location.encode())], b""), good)
    async with client(server) as hub:
        result = await settle("odd location", hub.models.info("fuzz/model"), counted=False)
    assert isinstance(result, HubError | ModelInfo)


def test_masking_a_long_error_body_is_linear() -> None:
    body = b"x" * 20_000  # one long word: a base64 blob, a minified page...
    started = time.perf_counter()
    err = error_for_response(500, {}, body, "http://h/api", repo_route=False, token_sent=True)
    assert str(err) and repr(err) and pickle.dumps(err)
    assert time.perf_counter() - started < 0.25


SHARD = b"PAR1" + bytes(range(256)) * 3 + b"\x00" * 224 + b"PAR1"  # 1,000 bytes


def cut_shard(etag: bytes = b'"v1"') -> bytes:
    """A 200 that promises the whole shard and stops halfway."""
    head = http_response(200, [(b"ETag", etag)], SHARD)
    return head[: len(head) - len(SHARD) // 2]


async def download(server: ScriptedServer) -> tuple[bytes | HubError, list[str]]:
    with tempfile.TemporaryDirectory() as where:
        target = Path(where) / "shard.parquet"
        async with client(server) as hub:
            result = await settle(
                "shard download hole",
                hub.datasets.download_parquet_shard("fuzz/data", "default", "train", 0, target),
                counted=False,
            )
        left = sorted(p.name for p in Path(where).iterdir())  # noqa: ASYNC240
        data = target.read_bytes() if target.exists() else b""
    return (result if isinstance(result, HubError) else data), left


_DOWNLOAD = "_resources/_datasets.py download_parquet_shard: "


@ON_LOOP
async def test_a_200_html_page_is_not_saved_as_a_shard(server: ScriptedServer) -> None:
    page = b"<!doctype html><html><body>Please sign in</body></html>"
    server.play(http_response(200, [(b"Content-Type", b"text/html; charset=utf-8")], page))
    result, left = await download(server)
    assert isinstance(result, HubError) and left == []


@ON_LOOP
async def test_a_206_from_the_wrong_offset_is_not_spliced(server: ScriptedServer) -> None:
    wrong = http_response(206, [(b"Content-Range", b"bytes 0-499/1000")], SHARD[:500])
    server.play(cut_shard(), wrong)
    result, _ = await download(server)
    assert isinstance(result, HubError) or result == SHARD


@ON_LOOP
async def test_a_resume_asks_for_the_same_version(server: ScriptedServer) -> None:
    rest = http_response(206, [(b"Content-Range", b"bytes 500-999/1000")], SHARD[500:])
    server.play(cut_shard(b'"v1"'), rest)
    await download(server)
    assert len(server.requests) == 2
    assert server.requests[1].headers.get("if-range") == '"v1"'


@ON_LOOP
async def test_a_download_keeps_to_one_retry_budget(server: ScriptedServer) -> None:
    server.play(cut_shard(), http_response(503, [], b'{"error": "busy"}'))
    result, left = await download(server)
    assert isinstance(result, HubError) and left == []
    assert len(server.requests) <= RETRY.max_retries + 1
