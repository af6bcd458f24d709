"""Response: pickling, decoding hostile bodies, and the Hub's X-HF-Warning headers."""

from __future__ import annotations

import logging
import pickle
from typing import Any

import pytest
from multidict import CIMultiDict, CIMultiDictProxy

from hubapi_async import DecodeError, HubClient, NotFoundError, Response
from hubapi_async._response import log_hub_warnings
from hubapi_async.testing import Fault, LocalHub
from hubapi_async.types import ModelInfo

TOKEN = "hf_local_token"


def _response(body: bytes, **headers: str) -> Response:
    return Response(
        status=200,
        headers=CIMultiDictProxy(CIMultiDict(headers)),
        body=body,
        url="https://huggingface.co/api/models",
    )


async def test_a_real_response_pickles_and_comes_back_equal() -> None:
    async with LocalHub(models=5, datasets=1, spaces=1) as url, HubClient(url, token=TOKEN) as hub:
        response = await hub.request("GET", "/api/models", params={"limit": 2})
    assert response.next_url is not None
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        copy = pickle.loads(pickle.dumps(response, protocol=protocol))
        assert copy == response
        assert isinstance(copy, Response)
        assert isinstance(copy.headers, CIMultiDictProxy)
        assert copy.headers["content-type"] == response.headers["Content-Type"]
        assert copy.request_id == response.request_id
        assert copy.next_url == response.next_url
        assert copy.decode(list[ModelInfo]) == response.decode(list[ModelInfo])
    assert TOKEN.encode() not in pickle.dumps(response)


def test_repeated_headers_survive_pickling() -> None:
    headers = CIMultiDict(
        [("Link", "<https://h/a>; rel=prev"), ("Link", "<https://h/b>; rel=next")]
    )
    response = Response(200, CIMultiDictProxy(headers), b"[]", "https://h/x", "GET")
    copy = pickle.loads(pickle.dumps(response))
    assert copy.headers.getall("Link") == headers.getall("Link")
    assert copy.next_url == "https://h/b"


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_deep_json_is_a_decode_error_not_a_recursion_error(depth: int) -> None:
    response = _response(_nested(depth))
    with pytest.raises(DecodeError, match="nested too deeply") as info:
        response.json()
    assert info.value.status == 200
    assert info.value.url == response.url
    page = _response(b'[{"_id": "1", "id": "a/b", "cardData": {"x": ' + _nested(depth) + b"}}]")
    with pytest.raises(DecodeError, match="nested too deeply"):
        page.decode(list[ModelInfo])
    info_body = _response(b'{"_id": "1", "id": "a/b", "cardData": {"x": ' + _nested(depth) + b"}}")
    with pytest.raises(DecodeError, match="not a valid ModelInfo"):
        info_body.decode(ModelInfo)


def test_moderately_nested_json_still_decodes() -> None:
    assert _response(_nested(100)).json() == _nested_value(100)


def _nested_value(depth: int) -> Any:
    value: Any = []
    for _ in range(depth - 1):
        value = [value]
    return value


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "hubapi_async" and r.levelno == logging.WARNING
    ]


def test_hub_warnings_are_logged_once_per_topic(caplog: pytest.LogCaptureFixture) -> None:
    seen: set[str] = set()
    caplog.set_level(logging.WARNING, logger="hubapi_async")
    first = CIMultiDict(
        [
            ("X-HF-Warning", "deprecation; the 'full' parameter is deprecated"),
            ("X-HF-Warning", "quota;  you are close to your quota "),
            ("X-HF-Warning", "a warning without a topic"),
        ]
    )
    log_hub_warnings(CIMultiDictProxy(first), seen)
    log_hub_warnings(CIMultiDictProxy(first), seen)  # the same topics again: silent
    log_hub_warnings({"x-hf-warning": "deprecation; said differently"}, seen)
    log_hub_warnings({"X-HF-Warning": "new-topic; something else"}, seen)
    assert _warnings(caplog) == [
        "the Hub warns (deprecation): the 'full' parameter is deprecated",
        "the Hub warns (quota): you are close to your quota",
        "the Hub warns: a warning without a topic",
        "the Hub warns (new-topic): something else",
    ]
    assert seen == {"deprecation", "quota", "", "new-topic"}


@pytest.mark.parametrize("value", ["", ";", "topic;", "topic;   ", "  "])
def test_empty_hub_warnings_are_ignored(value: str, caplog: pytest.LogCaptureFixture) -> None:
    seen: set[str] = set()
    caplog.set_level(logging.WARNING, logger="hubapi_async")
    log_hub_warnings({"X-HF-Warning": value}, seen)
    assert _warnings(caplog) == []
    assert seen == set()


def test_hub_warnings_cannot_forge_log_lines(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="hubapi_async")
    log_hub_warnings({"X-HF-Warning": "t; line\r\nFAKE: injected\x1b[2J" + "x" * 5000}, set())
    (message,) = _warnings(caplog)
    assert "\n" not in message and "\r" not in message and "\x1b" not in message
    assert len(message) < 1200


async def test_hub_warnings_from_real_responses_are_logged_once_per_topic(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hubapi_async._response

    # the record of topics already logged is process-wide: start this test with a fresh one
    monkeypatch.setattr(hubapi_async._response, "_warned_topics", set())
    lh = LocalHub(models=5, datasets=1, spaces=1)
    body = b'[{"_id": "1", "id": "a/b"}]'
    topic = "e2e-listing-topic"
    lh.faults.add(
        Fault(
            kind="status",
            status=200,
            headers={"X-HF-Warning": f"{topic}; this listing parameter is deprecated"},
            body=body,
            path=r"^/api/models$",
        )
    )
    lh.faults.add(
        Fault(
            kind="status",
            status=404,
            headers={"X-HF-Warning": "e2e-error-topic; the repo moved"},
            path=r"^/api/models/",
        )
    )
    caplog.set_level(logging.WARNING, logger="hubapi_async")
    async with lh, HubClient(lh.url, token=TOKEN) as hub:
        for _ in range(3):
            assert [m.id async for m in hub.models.list()] == ["a/b"]
        assert await hub.request_json("GET", "/api/datasets")  # no warning header
        for _ in range(2):
            with pytest.raises(NotFoundError):
                await hub.models.info("a/b")
    assert _warnings(caplog) == [
        f"the Hub warns ({topic}): this listing parameter is deprecated",
        "the Hub warns (e2e-error-topic): the repo moved",
    ]


def test_the_decoder_for_a_list_type_is_built_once() -> None:
    from hubapi_async.types import decoder_for

    first = decoder_for(list[ModelInfo])
    assert decoder_for(list[ModelInfo]) is first  # a new alias object, the same decoder
    page = _response(b'[{"_id": "1", "id": "a/b"}]')
    assert page.decode(list[ModelInfo])[0].id == "a/b"
    assert decoder_for(list[ModelInfo]) is first
