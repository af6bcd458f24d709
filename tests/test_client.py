"""HubClient: construction, token and endpoint resolution, lifecycle, views, auth rules."""

from __future__ import annotations

import asyncio
import platform
import threading
from pathlib import Path

import aiohttp
import pytest

import hubapi_async
from hubapi_async import HubClient, HubConnectionError, RetryPolicy, Timeout
from hubapi_async.testing import Fault, LocalHub

from ._helpers import checked_out_connections

TOKEN = "hf_local_token"


@pytest.fixture
async def lh() -> LocalHub:
    hub = LocalHub(models=20, datasets=5, spaces=5)
    async with hub:
        yield hub


def auth_of(lh: LocalHub, path_prefix: str = "/api/") -> list[str | None]:
    return [r.headers.get("Authorization") for r in lh.requests if r.path.startswith(path_prefix)]


# -- construction ------------------------------------------------------------------


def test_construction_needs_no_loop_and_defaults() -> None:
    hub = HubClient()
    assert hub.endpoint == "https://huggingface.co"
    assert hub._opts.token is None
    assert hub._opts.timeout == Timeout(connect=10, read=60, deadline=None)
    assert hub._opts.retry == RetryPolicy()


def test_endpoint_from_env_and_argument_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9/")
    assert HubClient().endpoint == "http://127.0.0.1:9"
    assert HubClient("https://mirror.example").endpoint == "https://mirror.example"


@pytest.mark.parametrize("bad", ["ftp://x", "not a url", "http://", "https://u:p@host"])
def test_bad_endpoint_is_a_value_error(bad: str) -> None:
    with pytest.raises(ValueError):
        HubClient(bad)


def test_token_resolution_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    home = Path(monkeypatch_env(monkeypatch, "HF_HOME"))
    (home / "token").write_text("hf_from_file\n")
    assert HubClient()._opts.token == "hf_from_file"
    monkeypatch.setenv("HUGGING_FACE_HUB_TOKEN", "hf_legacy")
    assert HubClient()._opts.token == "hf_legacy"
    monkeypatch.setenv("HF_TOKEN", "hf_env")
    assert HubClient()._opts.token == "hf_env"
    assert HubClient(token="hf_arg")._opts.token == "hf_arg"
    assert HubClient(token=False)._opts.token is None
    path = tmp_path / "elsewhere"
    path.write_text("hf_token_path")
    monkeypatch.delenv("HF_TOKEN")
    monkeypatch.delenv("HUGGING_FACE_HUB_TOKEN")
    monkeypatch.setenv("HF_TOKEN_PATH", str(path))
    assert HubClient()._opts.token == "hf_token_path"


def test_token_file_defaults_to_xdg_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("HF_HOME")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    (tmp_path / "huggingface").mkdir()
    (tmp_path / "huggingface" / "token").write_text("hf_xdg")
    assert HubClient()._opts.token == "hf_xdg"


def monkeypatch_env(monkeypatch: pytest.MonkeyPatch, name: str) -> str:
    import os

    return os.environ[name]


def test_token_never_in_repr() -> None:
    hub = HubClient(token="hf_supersecretvalue1234")
    assert "hf_supersecretvalue1234" not in repr(hub)
    assert "token=<set>" in repr(hub)
    view = hub.with_options(token="hf_othersecret123456789")
    assert "hf_othersecret123456789" not in repr(view)


def test_token_with_newline_is_rejected() -> None:
    with pytest.raises(ValueError):
        HubClient(token="hf_abc\r\nX-Evil: 1")


# -- lifecycle ------------------------------------------------------------------------


async def test_lazy_session_and_idempotent_close(lh: LocalHub) -> None:
    hub = HubClient(lh.url, token=TOKEN)
    assert hub._transport._session is None
    await hub.models.info("google-bert/bert-base-uncased")
    session = hub._transport._session
    assert session is not None
    await hub.aclose()
    await hub.aclose()
    assert session.closed
    assert hub.closed


async def test_closed_client_raises_and_sends_nothing(lh: LocalHub) -> None:
    hub = HubClient(lh.url, token=TOKEN)
    await hub.aclose()
    before = len(lh.requests)
    with pytest.raises(HubConnectionError, match="closed"):
        await hub.models.info("google-bert/bert-base-uncased")
    with pytest.raises(HubConnectionError, match="closed"):
        [m async for m in hub.models.list(limit=1)]
    assert len(lh.requests) == before


async def test_close_ends_calls_in_flight_with_a_clear_error(lh: LocalHub) -> None:
    lh.faults.add(Fault(kind="stall", delay=5, path=r"^/api/models/"))
    hub = HubClient(lh.url, token=TOKEN)
    task = asyncio.create_task(hub.models.info("google-bert/bert-base-uncased"))
    await asyncio.sleep(0.1)
    await hub.aclose()
    with pytest.raises(HubConnectionError, match="closed"):
        await task


async def test_borrowed_session_is_not_closed(lh: LocalHub) -> None:
    async with aiohttp.ClientSession() as session:
        async with HubClient(lh.url, token=TOKEN, session=session) as hub:
            await hub.models.info("google-bert/bert-base-uncased")
        assert not session.closed


def test_use_from_another_loop_is_a_clear_runtime_error(tmp_path: Path) -> None:
    hub_server = LocalHub(models=5, datasets=1, spaces=1)
    url = hub_server.start_in_thread()
    try:
        hub = HubClient(url, token=TOKEN)

        async def use() -> str:
            return (await hub.models.info("google-bert/bert-base-uncased")).id

        first_loop = asyncio.new_event_loop()
        try:
            assert first_loop.run_until_complete(use()) == "google-bert/bert-base-uncased"
            with pytest.raises(RuntimeError, match="event loop"):
                asyncio.run(use())
        finally:
            first_loop.run_until_complete(hub.aclose())
            first_loop.close()
    finally:
        hub_server.stop_thread()


def test_runs_under_anyio_asyncio_backend(tmp_path: Path) -> None:
    import anyio

    server = LocalHub(models=5, datasets=1, spaces=1)
    url = server.start_in_thread()
    try:

        async def use() -> int:
            async with HubClient(url, token=TOKEN) as hub:
                return len([m async for m in hub.models.list(limit=3)])

        assert anyio.run(use, backend="asyncio") == 3
    finally:
        server.stop_thread()


# -- headers, tokens and views ------------------------------------------------------------


async def test_user_agent(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=TOKEN, user_agent="my-app/1.0") as hub:
        await hub.models.info("google-bert/bert-base-uncased")
    ua = lh.requests[-1].headers["User-Agent"]
    assert ua.startswith(f"hubapi_async/{hubapi_async.__version__}; ")
    assert f"python/{platform.python_version()}" in ua
    assert f"aiohttp/{aiohttp.__version__}" in ua
    assert ua.endswith("; my-app/1.0")


async def test_with_options_views_share_pool_and_override_defaults(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=False) as hub:
        user = hub.with_options(token=TOKEN, headers={"X-Trace": "a"})
        user2 = user.with_options(headers={"X-Other": "b"})
        await hub.models.info("google-bert/bert-base-uncased")
        await user.models.info("google-bert/bert-base-uncased")
        await user2.models.info("google-bert/bert-base-uncased")
        assert user._transport is hub._transport
        await user.aclose()  # a view closes nothing
        assert not hub.closed
        await hub.models.info("google-bert/bert-base-uncased")
    reqs = [r for r in lh.requests if r.path.startswith("/api/models/")]
    assert [r.headers.get("Authorization") for r in reqs] == [
        None,
        f"Bearer {TOKEN}",
        f"Bearer {TOKEN}",
        None,
    ]
    assert reqs[1].headers.get("X-Trace") == "a"
    assert reqs[2].headers.get("X-Trace") == "a"
    assert reqs[2].headers.get("X-Other") == "b"
    assert "X-Trace" not in reqs[3].headers


async def test_view_timeout_and_anonymous(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=TOKEN) as hub:
        anon = hub.with_options(token=False, timeout=3.0)
        assert anon._opts.timeout.deadline == 3.0
        assert anon._opts.timeout.read == 60
        await anon.models.info("google-bert/bert-base-uncased")
    assert auth_of(lh)[-1] is None


async def test_disable_implicit_token(lh: LocalHub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    monkeypatch.setenv("HF_HUB_DISABLE_IMPLICIT_TOKEN", "1")
    async with HubClient(lh.url) as hub:
        await hub.models.info("google-bert/bert-base-uncased")
        with pytest.raises(hubapi_async.NotFoundError):
            await hub.request("DELETE", "/api/nothing-here")
    auths = auth_of(lh)
    assert auths[0] is None  # read: implicit token withheld
    assert auths[-1] == f"Bearer {TOKEN}"  # write: sent
    async with HubClient(lh.url, token=TOKEN) as explicit:
        await explicit.models.info("google-bert/bert-base-uncased")
    assert auth_of(lh)[-1] == f"Bearer {TOKEN}"


async def test_token_not_sent_on_redirect_to_another_origin(lh: LocalHub) -> None:
    other = LocalHub(models=5, datasets=1, spaces=1)
    async with other:
        target = f"{other.url}/api/models/google-bert/bert-base-uncased"
        lh.faults.add(
            Fault(kind="status", status=307, headers={"Location": target}, path=r"^/api/models/")
        )
        async with HubClient(lh.url, token=TOKEN) as hub:
            info = await hub.models.info("google-bert/bert-base-uncased")
        assert info.id == "google-bert/bert-base-uncased"
        assert auth_of(lh)[-1] == f"Bearer {TOKEN}"
        assert [r.headers.get("Authorization") for r in other.requests] == [None]


async def test_offline_mode_refuses_non_loopback_before_any_socket(
    lh: LocalHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    async with HubClient("https://huggingface.co") as hub:
        with pytest.raises(HubConnectionError, match="offline mode"):
            await hub.models.info("gpt2")
    async with HubClient(lh.url, token=TOKEN) as local:  # loopback still works
        assert (await local.models.info("gpt2")).id
        lh.faults.add(
            Fault(
                kind="status",
                status=302,
                headers={"Location": "https://cdn.example.com/x"},
                path=r"^/api/models/google",
            )
        )
        with pytest.raises(HubConnectionError, match="offline mode"):
            await local.models.info("google-bert/bert-base-uncased")
        assert checked_out_connections(local) == 0


async def test_thread_safety_statement_one_client_many_tasks(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=TOKEN) as hub:
        ids = await asyncio.gather(
            *(hub.models.info("google-bert/bert-base-uncased") for _ in range(50))
        )
    assert {i.id for i in ids} == {"google-bert/bert-base-uncased"}
    assert threading.active_count() >= 1


async def test_escape_hatch_request_and_request_json(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=TOKEN) as hub:
        response = await hub.request("GET", "/api/models/google-bert/bert-base-uncased")
        data = await hub.request_json(
            "GET", "/api/models", params={"limit": 2, "expand": ["downloads", "likes"]}
        )
        models = [m async for m in hub.paginate("/api/models", params={"limit": 3}, limit=5)]
    assert response.status == 200
    assert response.request_id and response.request_id == response.headers["X-Request-Id"]
    assert response.json()["id"] == "google-bert/bert-base-uncased"
    assert isinstance(data, list) and len(data) == 2
    assert set(data[0]) <= {"_id", "id", "downloads", "likes"}
    assert len(models) == 5 and isinstance(models[0], dict)
    assert "expand=downloads&expand=likes" in lh.requests[-3].query_string


async def test_trust_env_reads_proxies_once_and_honours_no_proxy(
    lh: LocalHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    from yarl import URL

    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:3128")
    monkeypatch.setenv("NO_PROXY", "internal.example")
    hub = HubClient("https://huggingface.co")
    transport = hub._transport
    assert transport._proxy(URL("https://huggingface.co/api/models")) == "http://127.0.0.1:3128"
    assert transport._proxy(URL("https://internal.example/api")) is None
    assert HubClient(trust_env=False)._transport._proxy(URL("https://huggingface.co/x")) is None
    async with HubClient(lh.url, token=TOKEN) as local:  # http:// endpoint: no https proxy
        assert (await local.models.info("gpt2")).id == "gpt2"
