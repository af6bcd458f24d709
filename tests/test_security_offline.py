"""Offline means offline, proxies or not; credentials a caller adds stay home too.

With ``HF_HUB_OFFLINE=1`` and ``HTTP(S)_PROXY`` set to a non-loopback address, every
socket the process opens and every name it looks up is recorded (the conftest's loopback
guard then refuses the outside ones), and a first test shows the recorder does notice a
proxy outside loopback when offline mode is off.
"""

from __future__ import annotations

import socket
from typing import Any

import aiohttp
import pytest

from hubapi_async import HubClient, HubConnectionError, RetryPolicy
from hubapi_async.testing import Fault, LocalHub

from ._helpers import patch_virtual_time

CANARY = "hf_CanaryQ7vX2mZ9kT4wB8nR6yL3pJ5sD1"
ODD = "canary.Tok-9Zq~7Hq_uW3"
MODEL = "openai-community/gpt2"
DATASET, SUBSET, SPLIT = "ibm/duorc", "SelfRC", "test"
FAST = RetryPolicy(max_retries=2, initial_backoff=0.01, max_backoff=0.02)


@pytest.fixture(autouse=True)
def _virtual_time(monkeypatch: pytest.MonkeyPatch) -> None:
    patch_virtual_time(monkeypatch)


PROXY = "http://10.255.255.1:3128"


class Sockets:
    """Every address the process tried to connect to or look up, loopback or not."""

    def __init__(self) -> None:
        self.attempts: list[str] = []

    def outside(self) -> list[str]:
        loopback = ("127.", "::1", "localhost")
        return [a for a in self.attempts if not a.startswith(loopback)]


@pytest.fixture
def sockets(monkeypatch: pytest.MonkeyPatch) -> Sockets:
    """Record connects and lookups, then let the conftest's loopback guard decide."""
    seen = Sockets()
    guarded_connect, guarded_lookup = socket.socket.connect, socket.getaddrinfo

    def connect(sock: socket.socket, address: Any) -> None:
        if isinstance(address, tuple):
            seen.attempts.append(str(address[0]))
        guarded_connect(sock, address)

    def lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        seen.attempts.append(str(host))
        return guarded_lookup(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    return seen


@pytest.fixture
def proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, PROXY)


async def test_the_socket_recorder_notices_a_proxy_outside_loopback(
    sockets: Sockets, proxies: None
) -> None:
    # Online, proxies from the environment are honoured: this is what the recorder sees.
    async with LocalHub(models=5) as url, HubClient(url, token=CANARY, retry=FAST) as hub:
        with pytest.raises(HubConnectionError):
            await hub.models.info(MODEL)
    assert "10.255.255.1" in sockets.outside()


async def test_offline_with_proxies_never_leaves_loopback(
    sockets: Sockets, proxies: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    async with (
        LocalHub(models=5, tokens=(CANARY,)) as url,
        HubClient(url, token=CANARY, retry=FAST) as hub,
    ):
        info = await hub.models.info(MODEL)
    assert info.id == MODEL
    assert sockets.outside() == []


async def test_offline_refuses_an_outside_endpoint_before_any_socket(
    sockets: Sockets, proxies: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    async with HubClient("https://huggingface.co", token=CANARY, retry=FAST) as hub:
        with pytest.raises(HubConnectionError, match="offline"):
            await hub.models.info(MODEL)
        with pytest.raises(HubConnectionError, match="offline"):
            await hub.request("GET", "http://10.1.2.3/api/models")
    assert sockets.attempts == []


async def test_offline_refuses_a_redirect_outside_loopback(
    sockets: Sockets, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    lh = LocalHub(models=5)
    away = "https://mirror.example/api/models/openai-community/gpt2"
    lh.faults.add(Fault(kind="status", status=307, headers={"Location": away}))
    async with lh, HubClient(lh.url, token=CANARY, retry=FAST) as hub:
        with pytest.raises(HubConnectionError, match="offline"):
            await hub.models.info(MODEL)
    assert sockets.outside() == []
    assert all(r.origin == "hub" for r in lh.requests)


# -- credentials a caller adds stay home too ---------------------------------------------------
async def _cdn_headers(hub: HubClient, lh: LocalHub) -> list[dict[str, str]]:
    async with hub.datasets.parquet_shard(DATASET, SUBSET, SPLIT, 0) as chunks:
        assert [c async for c in chunks]
    return [dict(r.headers) for r in lh.requests if r.origin == "cdn"]


async def test_caller_credential_headers_do_not_follow_a_redirect_to_another_origin() -> None:
    lh = LocalHub(models=5, datasets=5, spaces=0, tokens=(CANARY, ODD))
    async with lh, HubClient(lh.url, token=CANARY, retry=FAST) as hub:
        view = hub.with_options(headers={"Cookie": "session=cookie-canary", "X-Api-Key": ODD})
        sent = await _cdn_headers(view, lh)
    hub_side = [r for r in lh.requests if r.origin == "hub"]
    assert hub_side and all(r.headers.get("X-Api-Key") == ODD for r in hub_side)
    assert sent and all("Cookie" not in h and "X-Api-Key" not in h for h in sent)


async def test_a_borrowed_sessions_authorization_does_not_follow_a_redirect() -> None:
    lh = LocalHub(models=5, datasets=5, spaces=0, tokens=(CANARY, ODD))
    async with lh:
        session = aiohttp.ClientSession(headers={"Authorization": f"Bearer {ODD}"})
        async with session, HubClient(lh.url, token=False, session=session) as hub:
            sent = await _cdn_headers(hub, lh)
    assert sent and all(ODD not in str(h) for h in sent)
