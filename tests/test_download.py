"""download_parquet_shard and hub.download: resumes that never splice, one budget, verified.

Against the local Hub (whose shard URL redirects to its CDN origin) and, for a body
that stalls mid-way, a one-route server of the test's own.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from hubapi_async import (
    DecodeError,
    HubClient,
    HubConnectionError,
    HubTimeoutError,
    RetryPolicy,
    ServerError,
    Timeout,
)
from hubapi_async.testing import Fault, LocalHub

from ._helpers import checked_out_connections, patch_sleep, serve

TOKEN = "hf_local_token"
FAST = RetryPolicy(max_retries=3, initial_backoff=0.01, max_backoff=0.02)
DATASET = "ibm/duorc"


@pytest.fixture
async def lh() -> AsyncIterator[LocalHub]:
    hub = LocalHub(models=5, datasets=20, spaces=2)
    async with hub:
        yield hub


@pytest.fixture
async def hub(lh: LocalHub, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[HubClient]:
    patch_sleep(monkeypatch)
    async with HubClient(lh.url, token=TOKEN, retry=FAST) as client:
        yield client


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


async def shard(hub: HubClient) -> tuple[str, str, bytes]:
    by_subset = await hub.datasets.parquet(DATASET)
    subset, splits = next(iter(by_subset.items()))
    split = next(iter(splits))
    async with hub.datasets.parquet_shard(DATASET, subset, split, 0) as chunks:
        data = b"".join([c async for c in chunks])
    return subset, split, data


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def cdn(lh: LocalHub) -> list[dict[str, str]]:
    return [dict(r.headers) for r in lh.requests if r.origin == "cdn"]


async def test_resume_sends_if_range_and_continues(hub: HubClient, lh: LocalHub, out: Path) -> None:
    subset, split, expected = await shard(hub)
    before = len(cdn(lh))
    lh.faults.add(Fault(kind="truncate", origin="cdn", times=1))
    target = out / "0.parquet"
    await hub.datasets.download_parquet_shard(DATASET, subset, split, 0, target)
    assert target.read_bytes() == expected
    first, resume = cdn(lh)[before:]
    assert "Range" not in first
    assert resume["Range"].startswith("bytes=") and resume["Range"] != "bytes=0-"
    assert resume["If-Range"].startswith('"')  # the first answer's ETag
    assert checked_out_connections(hub) == 0


@pytest.mark.parametrize("fault", ["truncate", "status"])
async def test_one_retry_budget_for_the_whole_download(
    hub: HubClient, lh: LocalHub, out: Path, fault: str
) -> None:
    subset, split, _ = await shard(hub)
    before = len(cdn(lh))
    lh.faults.add(Fault(kind=fault, status=503, origin="cdn"))
    with pytest.raises((HubConnectionError, ServerError)):
        await hub.datasets.download_parquet_shard(DATASET, subset, split, 0, out / "x")
    assert len(cdn(lh)) - before == FAST.max_retries + 1
    assert files(out) == []


async def test_a_partial_answer_that_does_not_continue_the_file_is_never_spliced(
    hub: HubClient, lh: LocalHub, out: Path
) -> None:
    subset, split, expected = await shard(hub)
    lh.faults.add(Fault(kind="truncate", origin="cdn", nth=[1]))
    wrong = {"Content-Range": f"bytes 0-9/{len(expected)}", "ETag": '"x"'}
    lh.faults.add(
        Fault(kind="status", status=206, headers=wrong, body=b"PAR1012345", origin="cdn",
              nth=[2])
    )  # fmt: skip
    target = out / "0.parquet"
    await hub.datasets.download_parquet_shard(DATASET, subset, split, 0, target)
    assert target.read_bytes() == expected
    assert "Range" not in cdn(lh)[-1]  # started over from the first byte


async def test_a_shard_that_changed_meanwhile_starts_over(
    hub: HubClient, lh: LocalHub, out: Path
) -> None:
    subset, split, _ = await shard(hub)
    lh.faults.add(Fault(kind="truncate", origin="cdn", nth=[1]))
    newer = b"PAR1" + b"n" * 300 + b"PAR1"
    lh.faults.add(
        Fault(kind="status", status=200, headers={"ETag": '"newer"'}, body=newer, origin="cdn",
              nth=[2])
    )  # fmt: skip
    target = out / "0.parquet"
    await hub.datasets.download_parquet_shard(DATASET, subset, split, 0, target)
    assert target.read_bytes() == newer


@pytest.mark.parametrize("kind", ["html", "bad_json"])
async def test_a_page_answered_with_200_is_not_saved_as_parquet(
    hub: HubClient, lh: LocalHub, out: Path, kind: str
) -> None:
    subset, split, _ = await shard(hub)
    before = len(cdn(lh))
    lh.faults.add(Fault(kind=kind, status=200, origin="cdn"))
    with pytest.raises(DecodeError, match="not a parquet file") as info:
        await hub.datasets.download_parquet_shard(DATASET, subset, split, 0, out / "0.parquet")
    assert files(out) == []
    assert len(cdn(lh)) - before == 1  # well-framed garbage is not retried
    assert "Signature=" not in str(info.value)  # the CDN's signed query stays out


async def test_one_deadline_for_the_whole_download(lh: LocalHub, out: Path) -> None:
    async with HubClient(lh.url, token=TOKEN, retry=RetryPolicy(max_retries=20)) as hub:
        subset, split, _ = await shard(hub)
        before = len(cdn(lh))
        lh.faults.add(Fault(kind="truncate", origin="cdn", delay=0.2))
        with pytest.raises(HubTimeoutError, match="deadline"):
            await hub.datasets.download_parquet_shard(
                DATASET, subset, split, 0, out / "0.parquet", timeout=0.5
            )
    assert 1 <= len(cdn(lh)) - before <= 3
    assert files(out) == []


async def test_a_stalled_body_is_resumed(out: Path) -> None:
    data = bytes(range(256)) * 64
    seen: list[dict[str, str]] = []

    async def handler(request: web.Request) -> web.StreamResponse:
        seen.append(dict(request.headers))
        etag = '"v1"'
        start = 0
        if "Range" in request.headers and request.headers.get("If-Range") == etag:
            start = int(request.headers["Range"].removeprefix("bytes=").rstrip("-"))
        resp = web.StreamResponse(status=206 if start else 200, headers={"ETag": etag})
        resp.content_length = len(data) - start
        if start:
            resp.headers["Content-Range"] = f"bytes {start}-{len(data) - 1}/{len(data)}"
        await resp.prepare(request)
        if start:
            await resp.write(data[start:])
            return resp
        await resp.write(data[: len(data) // 2])
        await asyncio.sleep(30)  # stalls: no byte for longer than `read`
        return resp

    timeout = Timeout(read=0.3)
    async with serve(handler) as url:
        async with HubClient(url, token=False, timeout=timeout, retry=FAST) as hub:
            done: list[int] = []
            path = await hub.download(
                "/file.bin", out / "file.bin", progress=lambda d, t: done.append(d)
            )
    assert path.read_bytes() == data
    assert [h.get("Range") for h in seen] == [None, f"bytes={len(data) // 2}-"]
    assert seen[1]["If-Range"] == '"v1"'
    assert done[-1] == len(data)


@pytest.mark.parametrize("honest", [True, False])
async def test_a_sha256_etag_is_checked_against_the_file(out: Path, honest: bool) -> None:
    import hashlib

    data = b"some file content" * 100
    digest = hashlib.sha256(data if honest else b"other").hexdigest()

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=data, headers={"ETag": f'"{digest}"'})

    async with serve(handler) as url:
        async with HubClient(url, token=False, retry=FAST) as hub:
            if honest:
                path = await hub.download("/f", out / "f")
                assert path.read_bytes() == data
            else:
                with pytest.raises(DecodeError, match="ETag"):
                    await hub.download("/f", out / "f")
                assert files(out) == []


async def test_an_unasked_partial_answer_is_refused_and_retried(out: Path) -> None:
    data = b"0123456789" * 50
    calls: list[int] = []

    async def handler(request: web.Request) -> web.Response:
        calls.append(1)
        if len(calls) == 1:  # a 206 nobody asked for, from the middle of the file
            headers = {"Content-Range": f"bytes 100-{len(data) - 1}/{len(data)}"}
            return web.Response(status=206, body=data[100:], headers=headers)
        return web.Response(body=data)

    async with serve(handler) as url:
        async with HubClient(url, token=False, retry=FAST) as hub:
            path = await hub.download("/f", out / "f")
    assert path.read_bytes() == data
    assert len(calls) == 2
