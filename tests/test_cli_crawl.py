"""``hubapi crawl``: lossless lines, a stable order, duplicates, refusals that keep data,
the lock, and resumes after kills (SIGKILL at random points, Ctrl-C on a terminal)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import pty
import random
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from hubapi_async import HubClient
from hubapi_async.cli import _crawl, main
from hubapi_async.cli._crawlfile import CrawlOutput
from hubapi_async.testing import Fault, LocalHub
from hubapi_async.testing._curated import Curated

from .test_cli import raw_pages, run

PAGE = 50


@pytest.fixture
async def local() -> AsyncIterator[LocalHub]:
    """A local Hub with about 480 public models, 50 per page."""
    hub = LocalHub(models=480, datasets=40, spaces=30, page_size=PAGE)
    async with hub:
        yield hub


async def stable_ids(url: str, **kwargs: Any) -> list[str]:
    """The order a crawl uses by default: creation time, oldest first."""
    async with HubClient(url, token=False) as hub:
        return [m.id async for m in hub.models.list(sort="createdAt", direction=1, **kwargs)]


def ids_in(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def read_bytes(path: Path) -> bytes:
    return path.read_bytes()


def state_of(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(out.with_name(out.name + ".state").read_text())
    return data


# -- what a crawl writes --------------------------------------------------------------------


async def test_each_line_is_the_hubs_json_in_a_stable_order(
    local: LocalHub, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "models.jsonl"
    local.requests.clear()
    rc, stdout, err = await run(
        capsys, "--endpoint", local.url, "crawl", "models", "--out", str(out)
    )
    assert (rc, stdout) == (0, "")
    query = local.requests[0].query_string
    assert "sort=createdAt" in query and "direction=1" in query
    expected = await stable_ids(local.url)
    assert 9 * PAGE < len(expected) < 10 * PAGE
    assert ids_in(out) == expected

    pages = await raw_pages(local.url, "/api/models", sort="createdAt", direction=1)
    hub_items = [item for body in pages for item in json.loads(body)]
    lines = out.read_bytes().splitlines()
    assert [json.loads(line) for line in lines] == hub_items
    assert all(any(line in body for body in pages) for line in lines)  # byte for byte
    assert {"_id", "createdAt", "trendingScore", "modelId"} <= set(hub_items[0])

    state = state_of(out)
    assert state["done"] is True and state["next_url"] is None
    assert (state["items"], state["pages"], state["duplicates"]) == (len(expected), 10, 0)
    assert state["bytes"] == out.stat().st_size
    assert f"done: {len(expected)} items in 10 pages" in err

    rc, _, err = await run(capsys, "crawl", "models", "--out", str(out), "--resume")
    assert rc == 0
    assert "crawl already complete" in err
    assert ids_in(out) == expected


async def test_struct_format_and_listing_options(
    local: LocalHub, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "d.jsonl"
    argv = ("--endpoint", local.url, "crawl", "datasets", "--out", str(out), "--struct")
    rc, _, _ = await run(capsys, *argv, "--sort", "downloads", "--limit", "30")
    assert rc == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 30
    assert all("created_at" in r and "createdAt" not in r for r in rows)
    downloads = [r["downloads"] for r in rows]
    assert downloads == sorted(downloads, reverse=True)
    assert state_of(out)["format"] == "struct"
    assert state_of(out)["options"] == {"sort": "downloads", "limit": 30}


async def test_a_moving_sort_warns_and_items_listed_twice_are_written_once(
    local: LocalHub,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = local.stores["model"]
    mover = {"_id": "5f0000000000000000000001", "id": "movers/climber", "private": False}
    store.add(Curated("model", {**mover, "likes": 10**9}))
    loop = asyncio.get_running_loop()
    real = _crawl.write_state
    calls = 0

    def move_after_first_page(path: Path, state: Any) -> None:
        nonlocal calls
        real(path, state)
        calls += 1
        if calls == 2:  # the first page is written: the item drops to the last place
            moved = asyncio.run_coroutine_threadsafe(_replace(store, mover), loop)
            moved.result(timeout=10)

    monkeypatch.setattr(_crawl, "write_state", move_after_first_page)
    out = tmp_path / "m.jsonl"
    argv = ("--endpoint", local.url, "crawl", "models", "--out", str(out), "--sort", "likes")
    rc, _, err = await run(capsys, *argv)
    assert rc == 0
    assert "note: sorting by likes" in err
    ids = ids_in(out)
    assert ids[0] == "movers/climber"
    assert ids.count("movers/climber") == 1
    assert len(ids) == len(set(ids)) == local.count("model", authenticated=False)
    assert state_of(out)["duplicates"] == 1
    assert "1 item listed twice, written once" in err


async def _replace(store: Any, mover: dict[str, Any]) -> None:
    store.add(Curated("model", {**mover, "likes": 0}))


# -- refusals: nothing is destroyed -----------------------------------------------------------


async def crawl_ok(local: LocalHub, capsys: pytest.CaptureFixture[str], out: Path) -> bytes:
    rc, _, _ = await run(capsys, "--endpoint", local.url, "crawl", "spaces", "--out", str(out))
    assert rc == 0
    return read_bytes(out)


async def test_resume_without_a_state_file_keeps_the_output(
    local: LocalHub, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "s.jsonl"
    before = await crawl_ok(local, capsys, out)
    (tmp_path / "s.jsonl.state").unlink()
    rc, _, err = await run(
        capsys, "--endpoint", local.url, "crawl", "spaces", "--out", str(out), "--resume"
    )
    assert rc == 2
    assert "no s.jsonl.state" in err and "--force" in err
    assert out.read_bytes() == before

    fresh = tmp_path / "new.jsonl"  # nothing to resume and nothing to lose: start
    rc, _, err = await run(
        capsys, "--endpoint", local.url, "crawl", "spaces", "--out", str(fresh), "--resume"
    )
    assert rc == 0
    assert "starting one" in err
    assert fresh.read_bytes() == before


async def test_a_new_crawl_never_overwrites_without_force(
    local: LocalHub, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "s.jsonl"
    out.write_bytes(b"precious\n")
    argv = ("--endpoint", local.url, "crawl", "spaces", "--out", str(out))
    rc, _, err = await run(capsys, *argv)
    assert rc == 2
    assert "already holds 9 bytes" in err
    assert out.read_bytes() == b"precious\n"
    rc, _, _ = await run(capsys, *argv, "--force")
    assert rc == 0
    done = out.read_bytes()
    assert done.count(b"\n") == local.count("space", authenticated=False)
    rc, _, err = await run(capsys, *argv)  # complete, but still not to be overwritten
    assert rc == 2
    assert "a complete crawl" in err
    assert out.read_bytes() == done


def _edit(key: str, value: Any) -> Callable[[dict[str, Any], Path], None]:
    def edit(state: dict[str, Any], out: Path) -> None:
        state[key] = value

    return edit


def _write_state_text(text: str) -> Callable[[dict[str, Any], Path], None]:
    def edit(state: dict[str, Any], out: Path) -> None:
        state.clear()
        state["__text__"] = text

    return edit


def _flip_a_byte(state: dict[str, Any], out: Path) -> None:
    data = bytearray(out.read_bytes())
    data[10] = ord("X") if data[10] != ord("X") else ord("Y")
    out.write_bytes(bytes(data))


def _cut_output(state: dict[str, Any], out: Path) -> None:
    out.write_bytes(out.read_bytes()[: state["bytes"] // 2])


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_edit("bytes", True), "Expected `int`, got `bool`"),
        (_edit("items", -1), "Expected `int` >= 0"),
        (_edit("items", 3), "holds"),
        (_edit("crc32", 12345), "CRC-32"),
        (_edit("version", 9), "version 9"),
        (_edit("colour", "blue"), "unknown field"),
        (_edit("next_url", "https://elsewhere.example/api/models?cursor=x"), "not on its endpoint"),
        (_edit("kind", "datasets"), "crawl of datasets"),
        (_edit("format", "struct"), "resume with --struct"),
        (_write_state_text("{not json"), "not a valid crawl state"),
        (_write_state_text(""), "not a valid crawl state"),
        (_flip_a_byte, "CRC-32"),
        (_cut_output, "bytes, its state records"),
    ],
)
async def test_a_damaged_state_or_output_is_refused_untouched(
    local: LocalHub,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    edit: Callable[[dict[str, Any], Path], None],
    message: str,
) -> None:
    out = tmp_path / "m.jsonl"
    spath = tmp_path / "m.jsonl.state"
    real = _crawl.write_state
    calls = 0

    def stop_after_three_pages(path: Path, state: Any) -> None:
        nonlocal calls
        real(path, state)
        calls += 1
        if calls == 4:
            raise KeyboardInterrupt

    monkeypatch.setattr(_crawl, "write_state", stop_after_three_pages)
    argv = ("--endpoint", local.url, "crawl", "models", "--out", str(out))
    rc, _, err = await run(capsys, *argv)
    assert rc == 130
    assert "interrupted: 150 items saved" in err
    monkeypatch.undo()
    state = json.loads(spath.read_text())
    assert (state["items"], state["done"]) == (150, False)
    edit(state, out)
    spath.write_text(state.pop("__text__") if "__text__" in state else json.dumps(state))
    before = (out.read_bytes(), spath.read_bytes())

    rc, stdout, err = await run(capsys, *argv, "--resume")
    assert (rc, stdout) == (2, "")
    assert message in err
    assert "Traceback" not in err
    assert (out.read_bytes(), spath.read_bytes()) == before


async def test_resume_keeps_its_options_and_refuses_others(
    local: LocalHub,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "m.jsonl"
    real = _crawl.write_state
    calls = 0

    def stop(path: Path, state: Any) -> None:
        nonlocal calls
        real(path, state)
        calls += 1
        if calls == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(_crawl, "write_state", stop)
    base = ("--endpoint", local.url, "crawl", "models", "--out", str(out))
    rc, _, _ = await run(capsys, *base, "--direction", "-1", "--limit", "120")
    assert rc == 130
    monkeypatch.undo()
    rc, _, err = await run(capsys, *base, "--resume", "--direction", "1")
    assert rc == 2
    assert "direction=-1 limit=120" in err
    rc, _, err = await run(capsys, *base, "--resume")
    assert rc == 0
    async with HubClient(local.url, token=False) as hub:
        newest = [m.id async for m in hub.models.list(sort="createdAt", direction=-1, limit=120)]
    assert ids_in(out) == newest


async def test_an_output_that_cannot_be_written_is_a_usage_error(
    local: LocalHub, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for out in (tmp_path / "no" / "such" / "dir.jsonl", tmp_path):
        rc, _, err = await run(
            capsys, "--endpoint", local.url, "crawl", "models", "--out", str(out)
        )
        assert rc == 2
        assert "cannot write" in err


async def test_a_second_crawl_of_the_same_file_is_refused(
    local: LocalHub, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "m.jsonl"
    out.write_bytes(b"")
    with CrawlOutput(out):  # a crawl holds the lock
        rc, _, err = await run(
            capsys, "--endpoint", local.url, "crawl", "models", "--out", str(out), "--resume"
        )
    assert rc == 2
    assert "another crawl is writing" in err
    assert out.read_bytes() == b""
    assert not (tmp_path / "m.jsonl.state").exists()


async def test_retries_are_counted_and_a_hub_error_leaves_a_resumable_crawl(
    local: LocalHub,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ._helpers import patch_sleep

    patch_sleep(monkeypatch)
    out = tmp_path / "m.jsonl"
    argv = ("--endpoint", local.url, "crawl", "models", "--out", str(out))
    local.faults.add(
        Fault("status", status=503, headers={"Retry-After": "0"}, path="^/api/models$", nth=[2])
    )
    rc, _, err = await run(capsys, *argv)
    assert rc == 0
    assert ", 1 retry, 0 rate-limit waits)" in err
    local.faults.clear()

    local.faults.add(Fault("status", status=500, path="^/api/models$", nth=[3, 4, 5, 6]))
    rc, _, err = await run(capsys, *argv, "--force")
    assert rc == 1
    assert "stopped by the error below: 100 items saved" in err and "--resume" in err
    rc, _, _ = await run(capsys, *argv, "--resume")
    assert rc == 0
    assert ids_in(out) == await stable_ids(local.url)


# -- kills ----------------------------------------------------------------------------------


@pytest.fixture
def slow_hub() -> Iterator[LocalHub]:
    """A hub in a thread whose listing pages take ~20 ms each (under a second per crawl)."""
    hub = LocalHub(models=240, datasets=0, spaces=0, page_size=10)
    hub.faults.add(Fault("stall", delay=0.02, path="^/api/models$"))
    with hub.in_thread():
        yield hub


def crawl_command(url: str, out: Path, *extra: str) -> list[str]:
    return [
        *(sys.executable, "-m", "hubapi_async.cli", "--endpoint", url),
        *("crawl", "models", "--out", str(out), *extra),
    ]


def test_sigkill_at_random_points_then_resume_is_identical(
    slow_hub: LocalHub, tmp_path: Path
) -> None:
    reference = tmp_path / "reference.jsonl"
    assert main(crawl_command(slow_hub.url, reference)[3:]) == 0
    assert reference.read_bytes().count(b"\n") == slow_hub.count("model", authenticated=False)

    out = tmp_path / "killed.jsonl"
    rng = random.Random(20260)
    kills, flag = 0, "--resume"
    for _ in range(12):
        if kills >= 4:
            break
        # From the interpreter's start to the last page: a kill lands anywhere.
        proc = subprocess.Popen(
            crawl_command(slow_hub.url, out, flag),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            rc = proc.wait(timeout=rng.uniform(0.4, 1.1))
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
            kills, flag = kills + 1, "--resume"
        else:
            assert rc == 0
            flag = "--force"  # it finished: crawl again, to be killed again
    assert kills == 4
    done = subprocess.run(
        crawl_command(slow_hub.url, out, "--resume"), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == reference.read_bytes()
    state = state_of(out)
    assert (state["done"], state["duplicates"]) == (True, 0)


def _pages_at_least(text: bytes, n: int) -> bool:
    return any(int(m) >= n for m in re.findall(rb"(\d+) pages", text))


@contextlib.contextmanager
def children_get_sigint() -> Iterator[None]:
    """A test run started with SIGINT ignored (in the background) passes that on to its
    children; a handled signal is reset to the default in a child instead."""
    previous = signal.getsignal(signal.SIGINT)
    if previous == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        if previous == signal.SIG_IGN:
            signal.signal(signal.SIGINT, previous)


def test_ctrl_c_on_a_terminal_checkpoints_and_exits_130(slow_hub: LocalHub, tmp_path: Path) -> None:
    out = tmp_path / "m.jsonl"
    master, slave = pty.openpty()
    with children_get_sigint():
        proc = subprocess.Popen(
            crawl_command(slow_hub.url, out),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=slave,
        )
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 30
    try:
        while not _pages_at_least(seen, 3) and time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], deadline - time.monotonic())
            if not ready:
                break
            seen += os.read(master, 4096)
        proc.send_signal(signal.SIGINT)
        rc = proc.wait(timeout=30)
        try:
            while True:
                ready, _, _ = select.select([master], [], [], 5)
                if not ready:
                    break
                chunk = os.read(master, 4096)
                if not chunk:
                    break
                seen += chunk
        except OSError:
            pass
    finally:
        os.close(master)
    text = seen.decode()
    assert rc == 130, text
    assert _pages_at_least(seen, 3)
    assert "items/s" in text and "0 retries" in text and "0 rate-limit waits" in text
    assert "interrupted:" in text and "--resume" in text
    assert "Traceback" not in text
    state = state_of(out)
    assert not state["done"] and state["pages"] >= 3
    assert out.stat().st_size >= state["bytes"]

    done = subprocess.run(
        crawl_command(slow_hub.url, out, "--resume"), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().count(b"\n") == slow_hub.count("model", authenticated=False)
    ids = ids_in(out)
    assert len(ids) == len(set(ids))
    assert main(["--endpoint", slow_hub.url, "crawl", "models", "--out", str(out), "--resume"]) == 0
