"""The ``hubapi`` read commands, serve, demo and entry point, against a local Hub."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import pty
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import pytest

from hubapi_async import HubClient
from hubapi_async.cli import main
from hubapi_async.cli._progress import ClientEvents, Progress, duration
from hubapi_async.cli._serve import mask_tokens
from hubapi_async.testing import LocalHub

from ._cli_tools import read_terminal, set_width

TOKEN = "hf_" + "cli0test0token0" * 2
PAGE = 100


@pytest.fixture
async def local() -> AsyncIterator[LocalHub]:
    """A local Hub with about 450 public models, 100 per page."""
    hub = LocalHub(models=450, datasets=40, spaces=20, page_size=PAGE, tokens=(TOKEN,))
    async with hub:
        yield hub


@pytest.fixture
def hub_url(local: LocalHub) -> str:
    return local.url


async def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``hubapi ARGV`` in a worker thread (it calls asyncio.run); return (rc, out, err)."""
    capsys.readouterr()
    rc = await asyncio.to_thread(main, list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def records(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


async def raw_pages(url: str, path: str, **params: Any) -> list[bytes]:
    """Every page body of a listing, read with plain aiohttp (no hubapi_async involved)."""
    bodies: list[bytes] = []
    target: str | None = f"{url}{path}"
    query: dict[str, Any] | None = params
    async with aiohttp.ClientSession() as session:
        while target is not None:
            async with session.get(target, params=query) as resp:
                assert resp.status == 200
                bodies.append(await resp.read())
                nxt = resp.links.get("next")
                target = str(nxt["url"]) if nxt else None
                query = None
    return bodies


# -- JSON Lines: the Hub's own JSON --------------------------------------------------------


async def test_list_json_lines_are_the_hubs_json_byte_for_byte(
    hub_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, out, err = await run(
        capsys,
        *("--endpoint", hub_url, "models", "list", "--json"),
        *("--sort", "likes", "--limit", "250"),
    )
    assert (rc, err) == (0, "")
    lines = out.encode().splitlines()
    assert len(lines) == 250
    pages = await raw_pages(hub_url, "/api/models", sort="likes", limit=250)
    items = [item for body in pages for item in json.loads(body)][:250]
    assert [json.loads(line) for line in lines] == items
    assert all(any(line in body for body in pages) for line in lines)  # the very bytes
    assert {"_id", "createdAt", "trendingScore", "pipeline_tag"} <= set(items[0])


async def test_piped_output_is_json_lines_and_struct_is_snake_case(
    hub_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ("--endpoint", hub_url, "models", "list", "--author", "google", "--filter", "en")
    rc, out, _ = await run(capsys, *argv, "--limit", "7")  # capsys: stdout is not a TTY
    assert rc == 0
    rows = records(out)
    assert len(rows) == 7
    assert all(r["id"].startswith("google/") and "en" in r["tags"] for r in rows)
    assert all("createdAt" in r for r in rows)

    rc, out, _ = await run(capsys, *argv, "--limit", "7", "--struct")
    snake = records(out)
    assert [r["id"] for r in snake] == [r["id"] for r in rows]
    assert all("created_at" in r and "createdAt" not in r and "object_id" in r for r in snake)
    assert None not in snake[0].values()


async def test_info_json_struct_and_card(hub_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    base = ("--endpoint", hub_url, "models", "info", "google-bert/bert-base-uncased")
    rc, out, _ = await run(capsys, *base)
    (row,) = records(out)
    assert rc == 0
    assert row["pipeline_tag"] == "fill-mask"
    assert "cardData" in row and "model-index" in row  # the Hub's keys, nothing dropped

    rc, out, _ = await run(capsys, *base, "--struct")
    (row,) = records(out)
    assert row["card_data"]["license"] == "apache-2.0"
    assert None not in row.values()

    rc, out, _ = await run(capsys, *base, "--table")
    assert rc == 0
    lines = out.splitlines()
    card = {line.split()[0]: line.split(None, 1)[1] for line in lines}
    assert card["id"] == "google-bert/bert-base-uncased"
    assert card["downloads"] == "72,376,843"
    assert card["created_at"].endswith("UTC")
    assert card["siblings"].startswith("(16) .gitattributes, ")
    assert all(len(line) <= 80 for line in lines)


async def test_table_asks_for_the_columns_it_shows(
    local: LocalHub, capsys: pytest.CaptureFixture[str]
) -> None:
    local.requests.clear()
    rc, out, _ = await run(
        capsys,
        *("--endpoint", local.url, "models", "list", "--limit", "4"),
        *("--columns", "id,likes,created,updated"),
    )
    assert rc == 0
    header, *rows = out.splitlines()
    assert header.split() == ["ID", "LIKES", "CREATED", "UPDATED"]
    assert len(rows) == 4
    (request,) = local.requests
    query = request.query_string.split("&")
    assert sorted(q for q in query if q.startswith("expand=")) == [
        "expand=createdAt",
        "expand=lastModified",
        "expand=likes",
    ]
    async with HubClient(local.url, token=False) as hub:
        expected = [m async for m in hub.models.list(limit=4, expand=["likes", "lastModified"])]
    for line, model in zip(rows, expected, strict=True):
        cells = line.split()
        assert cells[0] == model.id
        assert cells[1] == f"{model.likes:,}"
        assert model.last_modified is not None
        assert cells[3] == model.last_modified.strftime("%Y-%m-%d")


@pytest.fixture
def thread_hub() -> Iterator[str]:
    with LocalHub(models=60, datasets=5, spaces=5, page_size=25).in_thread() as url:
        yield url


def run_in_pty(argv: list[str], *, columns: int = 100) -> tuple[int, str, str]:
    """Run ``hubapi ARGV`` in a subprocess whose stdout is a terminal."""
    master, slave = pty.openpty()
    set_width(slave, columns)
    proc = subprocess.Popen(
        [sys.executable, "-m", "hubapi_async.cli", *argv],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=subprocess.PIPE,
    )
    os.close(slave)
    try:
        output = read_terminal(master)
        rc = proc.wait(timeout=30)
        assert proc.stderr is not None
        err = proc.stderr.read().decode()
        proc.stderr.close()
    finally:
        os.close(master)
    return rc, output.decode().replace("\r\n", "\n"), err


def test_a_terminal_gets_a_readable_table(thread_hub: str) -> None:
    rc, out, err = run_in_pty(["--endpoint", thread_hub, "models", "list", "--limit", "30"])
    assert (rc, err) == (0, "")
    header, *rows = out.splitlines()
    assert header.split() == ["ID", "DOWNLOADS", "LIKES", "PIPELINE", "UPDATED"]
    assert len(rows) == 30  # two pages, one table
    assert all(len(line) <= 100 for line in rows)
    first = rows[0].split()
    assert first[1].replace(",", "").isdigit()
    assert first[-1][:2] == "20" and first[-1][4] == "-"
    assert "{" not in out  # not JSON

    rc, out, _ = run_in_pty(["--endpoint", thread_hub, "models", "list", "--limit", "3", "--json"])
    assert rc == 0
    assert [json.loads(line)["id"] for line in out.splitlines()] != []

    rc, narrow, _ = run_in_pty(
        ["--endpoint", thread_hub, "models", "list", "--limit", "5", "--columns", "id,tags"],
        columns=50,
    )
    assert rc == 0
    assert all(len(line) <= 50 for line in narrow.splitlines())
    assert "…" in narrow


def test_raw_lines_keep_the_bytes_and_fold_only_items_spanning_lines() -> None:
    import msgspec

    from hubapi_async.cli._common import raw_line

    page = b'[{"id":"a/b","n": 1} , {\n  "id": "c/d",\n  "s": "x\\ny"\r\n}]'
    first, second = msgspec.json.decode(page, type=list[msgspec.Raw])
    assert raw_line(first) == b'{"id":"a/b","n": 1}\n'  # untouched, spaces and all
    folded = raw_line(second)
    assert folded == b'{"id":"c/d","s":"x\\ny"}\n'
    assert json.loads(folded) == {"id": "c/d", "s": "x\ny"}


# -- other read commands --------------------------------------------------------------------


async def test_whoami(hub_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = await run(capsys, "--endpoint", hub_url, "--token", TOKEN, "whoami")
    (me,) = records(out)
    assert (rc, me["name"]) == (0, "demo")
    assert me["orgs"][0]["roleInOrg"] == "admin"
    rc, out, _ = await run(capsys, "whoami", "--endpoint", hub_url, "--token", TOKEN, "--table")
    assert rc == 0
    assert "orgs            (1) demo-org" in out
    assert TOKEN not in out
    rc, out, err = await run(capsys, "--endpoint", hub_url, "whoami")
    assert (rc, out) == (1, "")
    assert "401" in err


async def test_tags_parquet_and_croissant(hub_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = await run(capsys, "--endpoint", hub_url, "models", "tags")
    tags = records(out)
    assert rc == 0
    fill_mask = next(t for t in tags if t["id"] == "fill-mask")
    assert fill_mask == {
        "id": "fill-mask",
        "label": "Fill-Mask",
        "type": "pipeline_tag",
        "sub_type": "nlp",
    }

    rc, out, _ = await run(capsys, "--endpoint", hub_url, "datasets", "parquet", "ibm/duorc")
    shards = records(out)
    assert rc == 0
    assert len(shards) == 6
    assert {(s["subset"], s["split"]) for s in shards} >= {("SelfRC", "train")}
    assert all(s["url"].endswith(f"/{s['n']}.parquet") for s in shards)

    rc, out, _ = await run(
        capsys, "--endpoint", hub_url, "datasets", "parquet", "ibm/duorc", "SelfRC", "train"
    )
    assert rc == 0
    assert [(s["subset"], s["split"], s["n"]) for s in records(out)] == [("SelfRC", "train", 0)]
    rc, out, _ = await run(
        capsys, "--endpoint", hub_url, "datasets", "parquet", "ibm/duorc", "--table"
    )
    assert out.splitlines()[0].split() == ["SUBSET", "SPLIT", "N", "URL"]

    rc, out, _ = await run(capsys, "--endpoint", hub_url, "datasets", "croissant", "ibm/duorc")
    (doc,) = records(out)
    assert rc == 0
    assert "@context" in doc
    rc, _, err = await run(
        capsys, "--endpoint", hub_url, "datasets", "croissant", "ibm/duorc", "--table"
    )
    assert rc == 2
    assert "unrecognized arguments: --table" in err  # JSON-LD has no table form


async def test_spaces_and_datasets_tables(hub_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = await run(
        capsys, "--endpoint", hub_url, "spaces", "list", "--limit", "3", "--table"
    )
    assert rc == 0
    assert out.splitlines()[0].split() == ["ID", "LIKES", "SDK", "UPDATED"]
    rc, out, _ = await run(
        capsys, "--endpoint", hub_url, "datasets", "list", "--limit", "3", "--table"
    )
    assert rc == 0
    assert out.splitlines()[0].split() == ["ID", "DOWNLOADS", "LIKES", "UPDATED"]
    assert len(out.splitlines()) == 4


# -- exit codes -----------------------------------------------------------------------------


async def test_missing_repo_is_exit_1_with_the_hubs_message(
    hub_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, out, err = await run(
        capsys, "--endpoint", hub_url, "--token", TOKEN, "models", "info", "nobody/nothing"
    )
    assert (rc, out) == (1, "")
    assert err.startswith("error: Repository not found")
    assert "RepoNotFound" in err
    assert TOKEN not in err


async def test_bad_token_is_exit_1_and_never_printed(
    hub_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    wrong = "hf_" + "w" * 34
    rc, _, err = await run(capsys, "--endpoint", hub_url, "--token", wrong, "models", "list")
    assert rc == 1
    assert "401" in err
    assert wrong not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["models", "info", "a b/c"], "Invalid repo id"),
        (["models", "frobnicate"], "invalid choice"),
        (["models", "list", "--limit", "-3"], "expected a number >= 0"),
        (["models", "list", "--columns", "id,bogus"], "unknown column bogus"),
        (["models", "list", "--json", "--columns", "id"], "--columns chooses"),
        (["models", "list", "--json", "--table"], "not allowed with"),
        (["models", "list", "--full", "--expand", "likes"], "--expand cannot be combined"),
        (["--timeout", "0", "models", "list"], "positive number of seconds"),
        (["crawl", "models"], "--out"),
    ],
)
async def test_usage_errors_exit_2_before_any_request(
    local: LocalHub, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    local.requests.clear()
    rc, out, err = await run(capsys, "--endpoint", local.url, *argv)
    assert (rc, out) == (2, "")
    assert message in err
    assert "Traceback" not in err
    assert local.requests == []


def test_help_documents_exit_codes_and_the_crawl_order() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "hubapi_async.cli", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("usage: hubapi")
    for command in ("models", "datasets", "spaces", "whoami", "crawl", "serve", "demo"):
        assert command in done.stdout
    for code in ("0 ", "1 ", "2 ", "130"):
        assert f"\n  {code}" in done.stdout
    crawl = subprocess.run(
        [sys.executable, "-m", "hubapi_async.cli", "crawl", "models", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "sort=createdAt&direction=1" in crawl.stdout
    assert "never changes" in crawl.stdout
    assert "listed twice" in crawl.stdout
    assert "130" in crawl.stdout


# -- progress -------------------------------------------------------------------------------


def test_client_events_count_retries_and_rate_limit_waits() -> None:
    log = logging.getLogger("hubapi_async")
    before = log.level
    with ClientEvents() as events:
        assert log.getEffectiveLevel() <= logging.INFO
        log.info("retrying GET /api/models in %.2fs (attempt %d of %d): %s", 0.5, 2, 4, "503")
        log.info("rate limit: pausing %.1fs before the next %r request", 3.0, "api")
        log.info("rate limit: pausing %.1fs before the next %r request", 1.5, "api")
        log.info("something else")
    assert (events.retries, events.waits, events.waited) == (1, 2, 4.5)
    assert log.level == before
    assert events not in log.handlers


def test_progress_line_has_rate_counts_and_eta() -> None:
    now = [100.0]
    lines: list[str] = []

    class Stream:
        def write(self, text: str) -> None:
            lines.append(text)

        def flush(self) -> None:
            pass

        def isatty(self) -> bool:
            return False

    events = ClientEvents()
    events.retries, events.waits, events.waited = 2, 1, 3.0
    progress = Progress(
        Stream(),  # type: ignore[arg-type]
        enabled=True,
        total=1000,
        events=events,
        interval=1.0,
        clock=lambda: now[0],
    )
    now[0] += 2.0
    progress.update(200, 2, duplicates=3)
    assert lines == [
        "200/1,000 items  2 pages  100 items/s  3 listed twice  2 retries  "
        "1 rate-limit wait (3.0 s)  ETA 0:08\n"
    ]
    now[0] += 0.5
    progress.update(300, 3)
    assert len(lines) == 1  # not yet time to redraw
    assert duration(3725) == "1:02:05"


# -- serve, demo ----------------------------------------------------------------------------


def test_serve_passes_options_and_masks_tokens(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: dict[str, Any] = {}

    def fake_serve(host: str, port: int, **kwargs: Any) -> None:
        seen.update(host=host, port=port, **kwargs)
        kwargs["announce"](f"tokens: {', '.join(kwargs['tokens'])}")

    monkeypatch.setattr("hubapi_async.testing.serve", fake_serve)
    secret = "hf_" + "s" * 30
    argv = ["serve", "--port", "0", "--token", secret, "--token", "abcdefgh"]
    rc = main([*argv, "--models", "5", "--rate-limit", "10/60", "--seed", "3", "--page-size", "7"])
    out = capsys.readouterr().out
    assert rc == 0
    assert seen["port"] == 0
    assert seen["tokens"] == (secret, "abcdefgh")
    assert (seen["models"], seen["rate_limit"], seen["seed"]) == (5, (10, 60.0), 3)
    assert seen["page_size"] == 7
    assert "datasets" not in seen
    assert secret not in out
    assert "abcdefgh" not in out
    assert mask_tokens("x hf_" + "a" * 20, ()) == "x hf_***"

    assert main(["serve", "--rate-limit", "fast"]) == 2


def test_demo_runs_offline_and_shows_the_gate(capsys: pytest.CaptureFixture[str]) -> None:
    started = time.monotonic()
    rc = main(["demo", "--models", "2000", "--limit", "1500"])
    elapsed = time.monotonic() - started
    out = capsys.readouterr().out
    assert rc == 0
    assert "crawl: 1,500 models in 2 pages" in out
    assert "info google-bert/bert-base-uncased: fill-mask" in out
    assert "gated=manual" in out
    assert "RepositoryNotFoundError" in out
    assert "bulk info: 200 repos" in out
    assert "a parquet file" in out
    assert "plain aiohttp, no gate: 40 answered, 120 refused with 429" in out
    gate = next(line for line in out.splitlines() if line.lstrip().startswith("hubapi_async:"))
    assert "160 answered, 0 refused with 429" in gate
    assert len(out.splitlines()) < 40
    assert "hf_local_token" not in out
    assert elapsed < 30
