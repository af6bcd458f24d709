"""hub.users.whoami against the local Hub (and its per-token cache), and the Struct against
the recorded key set."""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import AsyncIterator
from typing import Any

import msgspec
import pytest

from hubapi_async import (
    AuthenticationError,
    HubClient,
    HubTimeoutError,
    RetryPolicy,
    ServerError,
)
from hubapi_async._cache import AnswerCache
from hubapi_async.testing import Fault, LocalHub
from hubapi_async.types import WhoAmI

from ._helpers import recordings_dir

RECORDING = recordings_dir() / "users" / "whoami-v2__hub-ci_user_hub.js.body.json"


async def test_whoami_with_a_token_and_anonymous() -> None:
    async with LocalHub(models=5, datasets=1, spaces=1) as url:
        async with HubClient(url, token="hf_local_token") as hub:
            me = await hub.users.whoami()
        async with HubClient(url, token=False) as anon:
            with pytest.raises(AuthenticationError):
                await anon.users.whoami()
    assert me.name == "demo"
    assert me.orgs is not None and "demo-org" in {o.name for o in me.orgs}


def test_whoami_struct_maps_every_recorded_key() -> None:
    assert RECORDING.is_file(), f"the Hub recordings are expected at {RECORDING.parent}"
    body = json.loads(RECORDING.read_text())
    wire = {f.encode_name for f in msgspec.structs.fields(WhoAmI)}
    assert set(body) <= wire
    auth_wire = {"type", "accessToken", "expiresAt"}
    assert set(body["auth"]) <= auth_wire
    token = {"displayName", "role", "createdAt", "fineGrained"}
    assert set(body["auth"]["accessToken"]) <= token
    body["auth"]["accessToken"]["createdAt"] = "2024-01-02T03:04:05.000Z"  # a placeholder
    me = msgspec.json.decode(json.dumps(body).encode(), type=WhoAmI)
    assert me.name == "hub.js" and me.orgs == []
    assert me.auth is not None and me.auth.access_token is not None
    assert me.auth.access_token.role == "write"


def test_official_client_whoami_for_a_second_user() -> None:
    from huggingface_hub import HfApi

    server = LocalHub(models=5, datasets=1, spaces=1)
    with server.in_thread() as url:
        me = HfApi(endpoint=url, token="hf_local_alice").whoami()
    assert me["name"] == "alice"
    roles = {o["name"]: o["roleInOrg"] for o in me["orgs"]}
    assert roles == {"demo-org": "write", "alice-lab": "admin"}
    assert server.requests[-1].headers["Authorization"] == "Bearer hf_local_alice"


# -- the whoami cache ------------------------------------------------------------------------


class FakeClock:
    """A clock the test moves by hand (the cache's time source)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def whoami_requests(server: LocalHub) -> list[str]:
    """The Authorization header of every whoami request the hub received."""
    return [r.headers.get("Authorization", "") for r in server.requests if r.path == WHOAMI]


WHOAMI = "/api/whoami-v2"


def fake_clock(hub: HubClient) -> FakeClock:
    clock = FakeClock()
    hub._cache.clock = clock  # the injection point: the client's answer cache
    return clock


@pytest.fixture
async def server() -> AsyncIterator[LocalHub]:
    hub = LocalHub(models=5, datasets=1, spaces=1)
    async with hub:
        yield hub


async def test_whoami_cache_answers_a_second_call_without_a_request(server: LocalHub) -> None:
    async with HubClient(server.url, token="hf_local_token") as hub:
        fake_clock(hub)
        first = await hub.users.whoami(cache_ttl=60)
        second = await hub.users.whoami(cache_ttl=60)
        assert len(whoami_requests(server)) == 1
        assert second is first and first.name == "demo"
        # without cache_ttl the Hub is asked, and the stored answer is left as it is
        await hub.users.whoami()
        assert len(whoami_requests(server)) == 2
        assert await hub.users.whoami(cache_ttl=60) is first
        assert len(whoami_requests(server)) == 2


async def test_whoami_cache_is_per_token_and_shared_by_views(server: LocalHub) -> None:
    async with HubClient(server.url, token="hf_local_token") as hub:
        fake_clock(hub)
        bob_view = hub.with_options(token="hf_local_bob")
        demo_view = hub.with_options(timeout=30, headers={"X-Trace": "1"})
        demo = await hub.users.whoami(cache_ttl=60)
        bob = await bob_view.users.whoami(cache_ttl=60)
        assert (demo.name, bob.name) == ("demo", "bob")
        assert whoami_requests(server) == ["Bearer hf_local_token", "Bearer hf_local_bob"]
        # a view with the same token reuses the client's answer; each token keeps its own
        assert await demo_view.users.whoami(cache_ttl=60) is demo
        assert (await bob_view.users.whoami(cache_ttl=60)).name == "bob"
        assert (await hub.users.whoami(cache_ttl=60)).name == "demo"
        assert len(whoami_requests(server)) == 2
        # another client has a cache of its own
        async with HubClient(server.url, token="hf_local_token") as other:
            await other.users.whoami(cache_ttl=60)
        assert len(whoami_requests(server)) == 3


async def test_whoami_cache_expires_on_the_clock(server: LocalHub) -> None:
    async with HubClient(server.url, token="hf_local_token") as hub:
        clock = fake_clock(hub)
        first = await hub.users.whoami(cache_ttl=60)
        clock.now += 59.9
        assert await hub.users.whoami(cache_ttl=60) is first
        assert len(whoami_requests(server)) == 1
        clock.now += 0.1  # 60 s old: too old for cache_ttl=60
        fresh = await hub.users.whoami(cache_ttl=60)
        assert fresh is not first and len(whoami_requests(server)) == 2
        # cache_ttl is the age the caller accepts: a stricter caller refetches
        clock.now += 10
        assert await hub.users.whoami(cache_ttl=math.inf) is fresh
        assert len(whoami_requests(server)) == 2
        assert await hub.users.whoami(cache_ttl=5) is not fresh
        assert len(whoami_requests(server)) == 3


async def test_whoami_cache_never_keeps_a_failure(server: LocalHub) -> None:
    server.faults.add(Fault("status", status=500, path="^/api/whoami-v2$", times=1))
    async with HubClient(
        server.url, token="hf_local_token", retry=RetryPolicy(max_retries=0)
    ) as hub:
        fake_clock(hub)
        with pytest.raises(ServerError):
            await hub.users.whoami(cache_ttl=60)
        me = await hub.users.whoami(cache_ttl=60)
        assert me.name == "demo"
        assert await hub.users.whoami(cache_ttl=60) is me
    assert len(whoami_requests(server)) == 2


async def test_whoami_cache_is_never_used_without_a_token(
    server: LocalHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with HubClient(server.url, token="hf_local_token") as hub:
        fake_clock(hub)
        await hub.users.whoami(cache_ttl=60)
        anon = hub.with_options(token=False)
        for _ in range(2):
            with pytest.raises(AuthenticationError):
                await anon.users.whoami(cache_ttl=60)
    # an implicit token that reads do not send (HF_HUB_DISABLE_IMPLICIT_TOKEN) is anonymous too
    monkeypatch.setenv("HF_TOKEN", "hf_local_token")
    monkeypatch.setenv("HF_HUB_DISABLE_IMPLICIT_TOKEN", "1")
    async with HubClient(server.url) as implicit:
        fake_clock(implicit)
        for _ in range(2):
            with pytest.raises(AuthenticationError):
                await implicit.users.whoami(cache_ttl=60)
        assert len(implicit._cache) == 0
    assert whoami_requests(server) == ["Bearer hf_local_token", "", "", "", ""]


async def test_whoami_cache_keys_never_hold_the_token(server: LocalHub) -> None:
    token = "hf_local_token"
    async with HubClient(server.url, token=token) as hub:
        fake_clock(hub)
        await hub.users.whoami(cache_ttl=60)
        cache = hub._cache
        assert len(cache) == 1
        keys = list(cache._entries)
        assert token not in repr(keys) and token.encode() not in b"".join(k[1] for k in keys)
        assert token not in repr(cache) and token not in repr(hub.users._cache)
        # the fingerprint is keyed per cache: another client's differs for the same token
        async with HubClient(server.url, token=token) as other:
            assert other._cache.fingerprint(token) != cache.fingerprint(token)


async def test_concurrent_whoami_calls_share_one_request(server: LocalHub) -> None:
    async with HubClient(server.url, token="hf_local_token") as hub:
        fake_clock(hub)
        answers = await asyncio.gather(*(hub.users.whoami(cache_ttl=60) for _ in range(5)))
    assert len(whoami_requests(server)) == 1
    assert all(a is answers[0] for a in answers)


async def test_concurrent_whoami_calls_retry_for_themselves_when_the_first_fails(
    server: LocalHub,
) -> None:
    server.faults.add(Fault("status", status=500, path="^/api/whoami-v2$", times=1))
    async with HubClient(
        server.url, token="hf_local_token", retry=RetryPolicy(max_retries=0)
    ) as hub:
        fake_clock(hub)
        results = await asyncio.gather(
            *(hub.users.whoami(cache_ttl=60) for _ in range(4)), return_exceptions=True
        )
    assert isinstance(results[0], ServerError)
    assert [type(r) for r in results[1:]] == [WhoAmI] * 3
    assert len(whoami_requests(server)) == 2  # the failed one, then one shared by the rest


async def test_clear_whoami_cache_forgets_this_tokens_answer(server: LocalHub) -> None:
    async with HubClient(server.url, token="hf_local_token") as hub:
        fake_clock(hub)
        bob = hub.with_options(token="hf_local_bob")
        await hub.users.whoami(cache_ttl=60)
        await bob.users.whoami(cache_ttl=60)
        hub.users.clear_whoami_cache()
        await hub.users.whoami(cache_ttl=60)
        await bob.users.whoami(cache_ttl=60)  # bob's answer was kept
    assert whoami_requests(server) == [
        "Bearer hf_local_token",
        "Bearer hf_local_bob",
        "Bearer hf_local_token",
    ]


@pytest.mark.parametrize(
    ("ttl", "error"),
    [
        (0, ValueError),
        (-1, ValueError),
        (math.nan, ValueError),
        (True, TypeError),
        ("60", TypeError),
    ],
)
async def test_whoami_rejects_a_bad_cache_ttl_before_any_request(
    server: LocalHub, ttl: Any, error: type[Exception]
) -> None:
    async with HubClient(server.url, token="hf_local_token") as hub:
        with pytest.raises(error, match="cache_ttl"):
            await hub.users.whoami(cache_ttl=ttl)
    assert whoami_requests(server) == []


async def test_a_waiting_call_keeps_its_own_deadline() -> None:
    cache = AnswerCache(clock=FakeClock())
    release = asyncio.Event()
    calls = 0

    async def slow() -> str:
        nonlocal calls
        calls += 1
        await release.wait()
        return "answer"

    leader = asyncio.create_task(cache.get_or_fetch(("whoami", b"k"), 60, slow))
    await asyncio.sleep(0)  # the leader is now fetching
    with pytest.raises(HubTimeoutError, match="deadline"):
        await cache.get_or_fetch(("whoami", b"k"), 60, slow, wait_limit=0)
    release.set()
    assert await leader == "answer" and calls == 1
    assert await cache.get_or_fetch(("whoami", b"k"), 60, slow) == "answer" and calls == 1


async def test_a_cancelled_waiter_leaves_the_call_it_waited_for_alone() -> None:
    cache = AnswerCache(clock=FakeClock())
    release = asyncio.Event()

    async def slow() -> str:
        await release.wait()
        return "answer"

    leader = asyncio.create_task(cache.get_or_fetch(("whoami", b"k"), 60, slow))
    await asyncio.sleep(0)
    waiter = asyncio.create_task(cache.get_or_fetch(("whoami", b"k"), 60, slow))
    await asyncio.sleep(0)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    release.set()
    assert await leader == "answer"


async def test_the_cache_keeps_at_most_max_entries() -> None:
    cache = AnswerCache(max_entries=2, clock=FakeClock())

    async def fetch() -> int:
        return 1

    for key in (b"a", b"b", b"c"):
        await cache.get_or_fetch(("whoami", key), 60, fetch)
    assert [k[1] for k in cache._entries] == [b"b", b"c"]
    with pytest.raises(ValueError):
        AnswerCache(max_entries=0)
