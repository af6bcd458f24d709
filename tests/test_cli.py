"""The ``hubapi`` command line, run in-process against a local Hub."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import IO, Any

import pytest

from hubapi_async import HubClient
from hubapi_async.cli import _crawl, main
from hubapi_async.cli._serve import mask_tokens
from hubapi_async.testing import LocalHub

TOKEN = "hf_" + "cli0test0token0" * 2
PAGE = 100


@pytest.fixture
async def hub_url() -> AsyncIterator[str]:
    """A local Hub with about 450 public models, 100 per page."""
    async with LocalHub(models=450, datasets=40, spaces=20, page_size=PAGE, tokens=(TOKEN,)) as url:
        yield url


async def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``hubapi ARGV`` in a worker thread (it calls asyncio.run); return (rc, out, err)."""
    capsys.readouterr()
    rc = await asyncio.to_thread(main, list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def records(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


async def listed_ids(url: str, **kwargs: Any) -> list[str]:
    """What an anonymous caller is listed (private repos left out)."""
    async with HubClient(url, token=False) as hub:
        return [m.id async for m in hub.models.list(**kwargs)]


# -- read commands --------------------------------------------------------------------------


async def test_models_list_with_filters_and_limit(
    hub_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = await listed_ids(hub_url, author="google", filter=["en"], limit=7)
    assert len(expected) == 7
    rc, out, err = await run(
        capsys,
        *("--endpoint", hub_url, "--token", TOKEN, "models", "list"),
        *("--author", "google", "--filter", "en", "--limit", "7"),
    )
    assert (rc, err) == (0, "")
    rows = records(out)
    assert [r["id"] for r in rows] == expected
    assert all(r["id"].startswith("google/") and "en" in r["tags"] for r in rows)
    assert all(isinstance(r["created_at"], str) and r["created_at"][:2] == "20" for r in rows)


async def test_list_sort_spans_pages_and_options_after_the_command(
    hub_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, out, _ = await run(
        capsys,
        *("models", "list", "--sort", "downloads", "--direction", "-1", "--limit", "250"),
        *("--endpoint", hub_url),
    )
    assert rc == 0
    downloads = [r["downloads"] for r in records(out)]
    assert len(downloads) == 250
    assert downloads == sorted(downloads, reverse=True)


async def test_info_prints_one_record(hub_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = await run(
        capsys, "--endpoint", hub_url, "models", "info", "google-bert/bert-base-uncased"
    )
    assert rc == 0
    (row,) = records(out)
    assert row["id"] == "google-bert/bert-base-uncased"
    assert row["pipeline_tag"] == "fill-mask"
    assert None not in row.values()


async def test_missing_repo_is_exit_1_with_a_clear_message(
    hub_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, out, err = await run(
        capsys, "--endpoint", hub_url, "--token", TOKEN, "models", "info", "nobody/nothing"
    )
    assert rc == 1
    assert out == ""
    assert err.startswith("error: Repository not found")
    assert "RepoNotFound" in err
    assert TOKEN not in err


async def test_bad_token_is_never_printed(hub_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    wrong = "hf_" + "w" * 34
    rc, _, err = await run(capsys, "--endpoint", hub_url, "--token", wrong, "models", "list")
    assert rc == 1
    assert "401" in err
    assert wrong not in err


async def test_usage_errors_exit_2(hub_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, err = await run(capsys, "--endpoint", hub_url, "models", "info", "a b/c")
    assert rc == 2
    assert "Invalid repo id" in err
    rc, _, err = await run(capsys, "models", "frobnicate")
    assert rc == 2
    assert "invalid choice" in err
    rc, _, _ = await run(capsys, "models", "list", "--limit", "-3")
    assert rc == 2


async def test_tags_parquet_and_croissant(hub_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = await run(capsys, "--endpoint", hub_url, "models", "tags")
    tags = records(out)
    assert rc == 0
    assert {"id": "fill-mask", "type": "pipeline_tag"}.items() <= {
        k: v for t in tags if t["id"] == "fill-mask" for k, v in t.items()
    }.items()

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

    rc, out, _ = await run(capsys, "--endpoint", hub_url, "datasets", "croissant", "ibm/duorc")
    (doc,) = records(out)
    assert rc == 0
    assert "@context" in doc


# -- crawl ----------------------------------------------------------------------------------


def lines_of(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


async def test_crawl_writes_everything_and_records_completion(
    hub_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "models.jsonl"
    rc, stdout, err = await run(capsys, "--endpoint", hub_url, "crawl", "models", "--out", str(out))
    assert rc == 0
    assert stdout == ""
    expected = await listed_ids(hub_url)
    assert 4 * PAGE < len(expected) < 5 * PAGE
    assert lines_of(out) == expected
    state = json.loads((tmp_path / "models.jsonl.state").read_text())
    assert state["next_url"] is None
    assert (state["items"], state["pages"]) == (len(expected), 5)
    assert state["bytes"] == out.stat().st_size
    assert f"done: {len(expected)} items in 5 pages" in err

    rc, _, err = await run(capsys, "crawl", "models", "--out", str(out), "--resume")
    assert rc == 0
    assert "crawl already complete" in err
    assert len(lines_of(out)) == len(expected)


class Crash(Exception):
    """Stands in for a kill at an awkward moment."""


def crash_on_call(n: int, real: Callable[..., Any]) -> Callable[..., Any]:
    calls = 0

    def wrapper(*args: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == n:
            raise Crash
        return real(*args)

    return wrapper


def half_page_then_crash(n: int) -> Callable[[IO[bytes], list[bytes]], int]:
    calls = 0
    real = _crawl.append_page

    def append(fh: IO[bytes], lines: list[bytes]) -> int:
        nonlocal calls
        calls += 1
        if calls == n:
            fh.write(b"".join(lines[: len(lines) // 2]) + b'{"id": "partial')
            fh.flush()
            raise Crash
        return real(fh, lines)

    return append


@pytest.mark.parametrize("where", ["between page and state", "mid-page"])
async def test_crawl_killed_then_resumed_has_no_duplicates_or_gaps(
    hub_url: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
) -> None:
    out = tmp_path / "m.jsonl"
    argv = ("--endpoint", hub_url, "crawl", "models", "--out", str(out), "--sort", "likes")
    if where == "between page and state":
        monkeypatch.setattr(_crawl, "write_state", crash_on_call(2, _crawl.write_state))
    else:
        monkeypatch.setattr(_crawl, "append_page", half_page_then_crash(3))
    with pytest.raises(Crash):
        await run(capsys, *argv)
    monkeypatch.undo()
    written = out.read_bytes()
    assert written.count(b"\n") >= PAGE  # pages past the recorded state were written
    state = json.loads((tmp_path / "m.jsonl.state").read_text())
    assert state["items"] == PAGE * (1 if where == "between page and state" else 2)
    assert state["bytes"] < len(written)

    rc, _, err = await run(capsys, *argv)
    assert rc == 2
    assert "--resume" in err

    rc, _, _ = await run(capsys, *argv, "--resume")
    assert rc == 0
    ids = lines_of(out)
    expected = await listed_ids(hub_url, sort="likes")
    assert len(expected) > 4 * PAGE
    assert ids == expected
    assert len(set(ids)) == len(ids)


async def test_crawl_limit_holds_across_a_resume(
    hub_url: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "d.jsonl"
    monkeypatch.setattr(_crawl, "write_state", crash_on_call(3, _crawl.write_state))
    argv = ("--endpoint", hub_url, "crawl", "models", "--out", str(out), "--limit", "250")
    with pytest.raises(Crash):
        await run(capsys, *argv, "--no-progress")
    monkeypatch.undo()
    rc, _, err = await run(capsys, "crawl", "models", "--out", str(out), "--resume")
    assert rc == 0
    assert lines_of(out) == await listed_ids(hub_url, limit=250)
    assert "done: 250 items" in err


async def test_interrupted_crawl_exits_130(
    hub_url: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def interrupt(fh: IO[bytes], lines: list[bytes]) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(_crawl, "append_page", interrupt)
    out = tmp_path / "k.jsonl"
    rc, _, err = await run(capsys, "--endpoint", hub_url, "crawl", "spaces", "--out", str(out))
    assert rc == 130
    assert "Traceback" not in err


# -- serve, demo, entry point -------------------------------------------------------------


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
    rc = main([*argv, "--models", "5", "--rate-limit", "10/60", "--seed", "3"])
    out = capsys.readouterr().out
    assert rc == 0
    assert seen["port"] == 0
    assert seen["tokens"] == (secret, "abcdefgh")
    assert (seen["models"], seen["rate_limit"], seen["seed"]) == (5, (10, 60.0), 3)
    assert "datasets" not in seen
    assert secret not in out
    assert "abcdefgh" not in out
    assert mask_tokens("x hf_" + "a" * 20, ()) == "x hf_***"

    assert main(["serve", "--rate-limit", "fast"]) == 2


def test_demo_runs_offline_and_summarizes(capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["demo", "--models", "2000", "--limit", "1500"])
    out = capsys.readouterr().out
    assert rc == 0
    assert "crawl: 1,500 models in 2 pages" in out
    assert "info google-bert/bert-base-uncased: fill-mask" in out
    assert "gated=manual" in out
    assert "RepositoryNotFoundError" in out
    assert "bulk info: 200 repos" in out
    assert "a parquet file" in out
    assert len(out.splitlines()) < 40
    assert "hf_local_token" not in out


def test_module_entry_point_help() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "hubapi_async.cli", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.startswith("usage: hubapi")
    for command in ("models", "crawl", "serve", "demo"):
        assert command in done.stdout
