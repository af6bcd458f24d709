"""Where a listing goes next, over real sockets: loops in any spelling, mirrors, bad bodies."""

from __future__ import annotations

import asyncio
import logging

import pytest

from hubapi_async import DecodeError, HubClient, PaginationError
from hubapi_async.testing import Fault, LocalHub
from hubapi_async.types import ModelInfo

TOKEN = "hf_local_token"
ONE = b'[{"_id": "1", "id": "a/first"}]'
TWO = b'[{"_id": "2", "id": "a/second"}]'


@pytest.fixture
async def lh() -> LocalHub:
    hub = LocalHub(models=30, datasets=2, spaces=2)
    async with hub:
        yield hub


def listing_requests(lh: LocalHub) -> list[str]:
    return [r.query_string for r in lh.requests if r.path.startswith("/api/models")]


async def _walk(hub: HubClient, path: str, params: dict[str, object], bound: int = 5) -> list[str]:
    """Walk a listing, failing the test (instead of hanging) if it goes on and on."""
    got: list[str] = []
    async with asyncio.timeout(10):
        async for m in hub.paginate(path, params=params, type=ModelInfo):
            got.append(m.id)
            assert len(got) <= bound, "the paginator kept following a loop"
    return got


async def test_a_link_back_to_the_pre_redirect_url_is_a_loop(lh: LocalHub) -> None:
    lh.faults.add(
        Fault(
            kind="status",
            status=307,
            headers={"Location": f"{lh.url}/api/models?limit=1"},
            body=b"",
            path=r"^/api/old-models$",
        )
    )
    link = f'<{lh.url}/api/old-models?limit=1>; rel="next"'
    lh.faults.add(
        Fault(kind="status", status=200, headers={"Link": link}, body=ONE, path=r"^/api/models$")
    )
    async with HubClient(lh.url, token=TOKEN) as hub:
        got: list[str] = []
        with pytest.raises(PaginationError, match="loop"):
            got += await _walk(hub, "/api/old-models", {"limit": 1})
    paths = [r.path for r in lh.requests]
    assert paths == ["/api/old-models", "/api/models"]


@pytest.mark.parametrize(
    "spelling",
    [
        "HTTP://127.0.0.1:{port}/api/models?limit=1&search=a-b+c",  # scheme case, query order
        "http://127.0.0.1:{port}/api/models?search=a%2db%20c&limit=1",  # escapes, their case
        "http://127.0.0.1:{port}/api/./models?search=a-b%20c&limit=1",  # a dot segment
        "http://127.0.0.1:{port}/api/models?search=a%2Db+c&limit=1#again",  # a fragment
        "http://127.0.0.1:{port}/api/x/../models?&limit=1&&search=a-b+c",  # empty pairs
        "/api/models?limit=1&search=a-b+c",  # relative
    ],
)
async def test_the_same_page_spelled_differently_is_a_loop(lh: LocalHub, spelling: str) -> None:
    link = "<" + spelling.format(port=lh.url.rsplit(":", 1)[1]) + '>; rel="next"'
    lh.faults.add(
        Fault(kind="status", status=200, headers={"Link": link}, body=ONE, path=r"^/api/models$")
    )
    async with HubClient(lh.url, token=TOKEN) as hub:
        with pytest.raises(PaginationError, match="loop"):
            await _walk(hub, "/api/models", {"search": "a-b c", "limit": 1})
    assert len(listing_requests(lh)) == 1


async def test_a_link_to_an_earlier_page_is_a_loop(lh: LocalHub) -> None:
    back = f'<{lh.url}/api/models?cursor=first>; rel="next"'
    forward = f'<{lh.url}/api/models?cursor=second>; rel="next"'
    lh.faults.add(
        Fault(
            kind="status",
            status=200,
            headers={"Link": forward},
            body=ONE,
            path=r"^/api/models$",
            nth=[1],
        )
    )
    lh.faults.add(
        Fault(kind="status", status=200, headers={"Link": back}, body=TWO, path=r"^/api/models$")
    )
    async with HubClient(lh.url, token=TOKEN) as hub:
        got: list[str] = []
        with pytest.raises(PaginationError, match="loop"):
            async for m in hub.paginate(f"{lh.url}/api/models?cursor=first", type=ModelInfo):
                got.append(m.id)
    assert got == ["a/first", "a/second"]
    assert listing_requests(lh) == ["cursor=first", "cursor=second"]


async def test_mirror_links_to_the_hub_are_read_from_the_endpoint(
    lh: LocalHub, caplog: pytest.LogCaptureFixture
) -> None:
    hub_link = '<https://huggingface.co/api/models?cursor={c}&limit=1>; rel="next"'
    for n, cursor in ((1, "second"), (2, "third")):
        lh.faults.add(
            Fault(
                kind="status",
                status=200,
                headers={"Link": hub_link.format(c=cursor)},
                body=f'[{{"_id": "{n}", "id": "a/m{n}"}}]',
                path=r"^/api/models$",
                nth=[n],
            )
        )
    lh.faults.add(Fault(kind="status", status=200, body=b'[{"_id": "3", "id": "a/m3"}]', nth=[3]))
    caplog.set_level(logging.INFO, logger="hubapi_async")
    async with HubClient(lh.url, token=TOKEN) as hub:
        paginator = hub.paginate("/api/models", params={"limit": 1}, type=ModelInfo)
        pages = [p async for p in paginator.pages()]
    assert [m.id for p in pages for m in p.items] == ["a/m1", "a/m2", "a/m3"]
    assert listing_requests(lh) == ["limit=1", "cursor=second&limit=1", "cursor=third&limit=1"]
    # every request went to the endpoint, with the token, and none anywhere else
    assert all(r.headers.get("Authorization") == f"Bearer {TOKEN}" for r in lh.requests)
    notes = [r for r in caplog.records if "huggingface.co" in r.getMessage()]
    assert len(notes) == 1  # once per listing, not once per page
    assert notes[0].levelno == logging.INFO and notes[0].name == "hubapi_async"
    assert lh.url in notes[0].getMessage()
    assert TOKEN not in caplog.text
    # pages say where they really came from and go next: the endpoint
    assert [p.next_url for p in pages] == [
        f"{lh.url}/api/models?cursor=second&limit=1",
        f"{lh.url}/api/models?cursor=third&limit=1",
        None,
    ]
    assert paginator.next_url is None


async def test_a_mirror_link_to_another_listing_is_not_followed(lh: LocalHub) -> None:
    link = '<https://huggingface.co/api/datasets?cursor=x>; rel="next"'
    lh.faults.add(
        Fault(kind="status", status=200, headers={"Link": link}, body=ONE, path=r"^/api/models$")
    )
    async with HubClient(lh.url, token=TOKEN) as hub:
        got: list[str] = []
        with pytest.raises(PaginationError, match="another origin") as info:
            async for m in hub.paginate("/api/models", type=ModelInfo):
                got.append(m.id)
    assert got == ["a/first"]
    assert "huggingface.co" in str(info.value)
    assert len(lh.requests) == 1


async def test_next_url_after_a_refused_link_is_not_resumable_elsewhere(lh: LocalHub) -> None:
    link = '<https://evil.example/api/other?cursor=x>; rel="next"'
    lh.faults.add(
        Fault(kind="status", status=200, headers={"Link": link}, body=ONE, path=r"^/api/models$")
    )
    async with HubClient(lh.url, token=TOKEN) as hub:
        paginator = hub.paginate("/api/models", type=ModelInfo)
        with pytest.raises(PaginationError):
            [m async for m in paginator]
        assert paginator.next_url is not None
        with pytest.raises(ValueError, match="origin"):
            hub.models.list(resume_from=paginator.next_url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:99999/api/models",
        "http://user:secret@127.0.0.1/api/models",
        "http://b\u00fccher.example/api/models",
        "ftp://127.0.0.1/api/models",
        "not a url",
    ],
)
async def test_bad_resume_urls_are_a_value_error_before_any_request(lh: LocalHub, url: str) -> None:
    async with HubClient(lh.url, token=TOKEN) as hub:
        with pytest.raises(ValueError):
            hub.paginate(url, type=ModelInfo)
    assert lh.requests == []


async def test_resume_url_spelled_differently_on_the_endpoint_is_accepted(lh: LocalHub) -> None:
    async with HubClient(lh.url, token=TOKEN) as hub:
        upper = lh.url.replace("http://", "HTTP://")
        ids = [m.id async for m in hub.paginate(f"{upper}/api/models?limit=5", type=ModelInfo)]
        everything = [m.id async for m in hub.paginate("/api/models", type=ModelInfo)]
    assert ids == everything
    assert len(listing_requests(lh)) > 2  # pages of 5, then one page of all


def _deep(depth: int = 100_000) -> bytes:
    return b"[" * depth + b"]" * depth


async def test_deeply_nested_json_in_a_list_page_is_a_decode_error(lh: LocalHub) -> None:
    body = b'[{"_id": "1", "id": "a/b", "cardData": {"x": ' + _deep() + b"}}]"
    lh.faults.add(Fault(kind="status", status=200, body=body, path=r"^/api/models$"))
    async with HubClient(lh.url, token=TOKEN) as hub:
        with pytest.raises(DecodeError, match="nested too deeply") as info:
            [m async for m in hub.models.list()]
    assert info.value.status == 200


async def test_deeply_nested_json_in_an_info_body_is_a_decode_error(lh: LocalHub) -> None:
    body = b'{"_id": "1", "id": "a/b", "cardData": {"x": ' + _deep() + b"}}"
    lh.faults.add(Fault(kind="status", status=200, body=body, path=r"^/api/models/"))
    async with HubClient(lh.url, token=TOKEN) as hub:
        with pytest.raises(DecodeError, match="nested too deeply"):
            await hub.models.info("a/b")
        lh.faults.clear()
        lh.faults.add(Fault(kind="status", status=200, body=_deep(), path=r"^/api/whoami"))
        with pytest.raises(DecodeError, match="nested too deeply"):
            await hub.request_json("GET", "/api/whoami-v2")
