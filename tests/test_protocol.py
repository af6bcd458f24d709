"""Tests for hubapi_async._protocol: header parsing, error mapping, validation (no I/O)."""

from __future__ import annotations

import email.utils
import json
import math
import pathlib
import time

import pytest
from multidict import CIMultiDict

from hubapi_async import _protocol as p
from hubapi_async import _validation as v
from hubapi_async.errors import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    DisabledRepoError,
    EntryNotFoundError,
    GatedRepoError,
    HubHTTPError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RepositoryNotFoundError,
    RepositoryNotFoundOrPrivateError,
    RevisionNotFoundError,
    ServerError,
)

from ._helpers import recordings_dir

RECORDINGS = recordings_dir()

# Link values exactly as recorded (pagination/link_header_observations.json).
LINK_DEV = (
    "<http://localhost:5564/api/models?limit=10&sort=likes&direction=-1&cursor="
    "eyIkb3IiOlt7Imxpa2VzIjoyOTQsIl9pZCI6eyIkZ3QiOiI2MjFmZmRjMTM2NDY4ZDcwOWYxNzlhMTIifX0seyJs"
    'aWtlcyI6eyIkbHQiOjI5NH19XX0%3D>; rel="next"'
)
LINK_TREE = (
    "<https://hf-mirror.492719920.workers.dev./api/models/h94/IP-Adapter/tree/main?expand=false&limit=2&cursor="
    "ZXlKbWFXeGxYMjVoYldVaU9pSnpaSGhzWDIxdlpHVnNjeUlzSW5SeVpXVmZiMmxrSWpvaVpUWmtaRGMzWkRKbE1E"
    'UXhNR1kzT0RJeE56ZG1NelJsWVRKa05qTXpNekZsWTJWaU5UVTNZeUo5OjI%3D>; rel="next"'
)
LINK_C4 = (
    "<https://hf-mirror.492719920.workers.dev./api/datasets/allenai/c4/tree/main/en?expand=false&recursive=true"
    '&limit=1000&cursor=ZXlK...%3D%3D>; rel="next"'
)
LINK_PAPERS = '</api/daily_papers?p=1&limit=20&sort=trending>; rel="next"'
BASE = "https://hf-mirror.492719920.workers.dev./api/models?limit=10"


def _target(link: str) -> str:
    return link[1 : link.index(">")]


@pytest.mark.parametrize("link", [LINK_DEV, LINK_TREE, LINK_C4])
def test_link_next_absolute_returned_exactly_as_sent(link: str) -> None:
    assert p.parse_link_next([link], BASE) == _target(link)
    assert "%3D" in p.parse_link_next([link], BASE)  # type: ignore[operator]


def test_link_next_relative_resolved_against_base() -> None:
    base = "https://hf-mirror.492719920.workers.dev./api/daily_papers?p=0&limit=20"
    expected = (
        "https://hf-mirror.492719920.workers.dev./api/daily_papers?p=1&limit=20&sort=trending"
    )
    assert p.parse_link_next([LINK_PAPERS], base) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["<https://h/a?x=1>; rel=next"], "https://h/a?x=1"),
        (['<https://h/a>; REL="NEXT"'], "https://h/a"),
        (['<https://h/a>; rel="prev next"'], "https://h/a"),
        (['<https://h/a> ;  rel = "next" ; title="x"'], "https://h/a"),
        (['<https://h/p>; rel="prev", <https://h/n>; rel="next"'], "https://h/n"),
        (['<https://h/p>; rel="prev"', '<https://h/n>; rel="next"'], "https://h/n"),
        (['<https://h/a?c=1,2>; rel="next"'], "https://h/a?c=1,2"),
        (['<https://h/a>; title="a, b; rel=next"; rel="next"'], "https://h/a"),
        (['<https://h/first>; rel="next", <https://h/second>; rel="next"'], "https://h/first"),
        (['<https://h/a>; rel="next"; rel="prev"'], "https://h/a"),
        (
            ["<?cursor=abc%3D>; rel=next"],
            "https://hf-mirror.492719920.workers.dev./api/models?cursor=abc%3D",
        ),
        (["<//other.example/x>; rel=next"], "https://other.example/x"),
    ],
)
def test_link_next_variants(values: list[str], expected: str) -> None:
    assert p.parse_link_next(values, BASE) == expected


@pytest.mark.parametrize(
    "values",
    [
        [],
        [""],
        ['<https://h/a>; rel="prev"'],
        ['<https://h/a>; rel="nextpage"'],
        ["<https://h/a>"],
        ['https://h/a; rel="next"'],
        ['<https://h/a; rel="next"'],
        ['<https://h/a>garbage; rel="next"'],
        ['<https://h/a b>; rel="next"'],
        ['<https://h/a\nSet-Cookie: x>; rel="next"'],
        ['<https://h/a\x00>; rel="next"'],
        ['<https://h/a>; rel="next'],
        ["<>>>;;;,,,<<<"],
        ['<relative>; rel="next"'],
        ["\ud800<x>; rel=next"],
        ["<" + "a" * 100_000 + ">; rel=next"],
    ],
)
def test_link_next_malformed_is_ignored(values: list[str]) -> None:
    base = "not a url" if values == ['<relative>; rel="next"'] else BASE
    assert p.parse_link_next(values, base) is None


def test_link_next_accepts_a_single_string() -> None:
    assert p.parse_link_next(LINK_TREE, BASE) == _target(LINK_TREE)


def test_link_next_never_raises_on_non_strings() -> None:
    assert p.parse_link_next([None, b"<https://h/a>; rel=next", 5], BASE) is None  # type: ignore[list-item]
    assert p.parse_link_next([None, '<https://h/b>; rel="next"'], BASE) == "https://h/b"  # type: ignore[list-item]


def test_link_next_many_links_is_linear() -> None:
    links = ", ".join(f'<https://h/p{i}>; rel="prev"' for i in range(2000))
    assert p.parse_link_next([links + ', <https://h/n>; rel="next"'], BASE) == "https://h/n"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"api";r=0;t=55', p.RateLimitState("api", 0, 55.0)),
        ('"api";r=489;t=189', p.RateLimitState("api", 489, 189.0)),
        ('"api";r=999;t=291', p.RateLimitState("api", 999, 291.0)),
        ('"resolvers";r=2976;t=166', p.RateLimitState("resolvers", 2976, 166.0)),
        ('"pages";r=98;t=224', p.RateLimitState("pages", 98, 224.0)),
        ("api;r=5;t=10", p.RateLimitState("api", 5, 10.0)),
        ('  "api" ; r = 5 ; t = 10  ', p.RateLimitState("api", 5, 10.0)),
        ('"api";t=10;r=5', p.RateLimitState("api", 5, 10.0)),
        ('"api";r=5;t=1.5;x=y;', p.RateLimitState("api", 5, 1.5)),
        ('"api";R=5;T=10', p.RateLimitState("api", 5, 10.0)),
        ('garbage, "api";r=5;t=10', p.RateLimitState("api", 5, 10.0)),
    ],
)
def test_parse_ratelimit(value: str, expected: p.RateLimitState) -> None:
    assert p.parse_ratelimit(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "garbage",
        '"api"',
        '"api";r=5',
        '"api";t=5',
        ";r=5;t=10",
        '"api";r=-1;t=10',
        '"api";r=5;t=-10',
        '"api";r=5;t=nan',
        '"api";r=5;t=inf',
        '"api";r=1e3;t=10',
        '"api";r=5.5;t=10',
        '"api";r=١٢;t=10',
        '"api";r=' + "9" * 5000 + ";t=10",
        '"' + "x" * 100 + '";r=5;t=10',
        '"api\x00";r=5;t=10',
        '"api";r=5;t=10' * 10_000,
        "\ud800",
        5,
    ],
)
def test_parse_ratelimit_rejects_garbage(value: object) -> None:
    assert p.parse_ratelimit(value) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"fixed window";"api";q=500;w=300', p.RateLimitPolicy("api", 500, 300.0)),
        ('"fixed window";"api";q=1000;w=300', p.RateLimitPolicy("api", 1000, 300.0)),
        ('"fixed window";"resolvers";q=3000;w=300', p.RateLimitPolicy("resolvers", 3000, 300.0)),
        ('"fixed window";"pages";q=100;w=300', p.RateLimitPolicy("pages", 100, 300.0)),
        ('"api";"fixed window";q=500;w=300', p.RateLimitPolicy("api", 500, 300.0)),
        ('"api";q=500;w=300', p.RateLimitPolicy("api", 500, 300.0)),
        ('q=500;"fixed window";w=300;"api"', p.RateLimitPolicy("api", 500, 300.0)),
        ('"fixed window";"custom";q=7;w=60', p.RateLimitPolicy("custom", 7, 60.0)),
        ("fixed;api;q=500;w=300", p.RateLimitPolicy("api", 500, 300.0)),
        (' "fixed window" ; "api" ; q = 500 ; w = 300 ', p.RateLimitPolicy("api", 500, 300.0)),
    ],
)
def test_parse_ratelimit_policy(value: str, expected: p.RateLimitPolicy) -> None:
    assert p.parse_ratelimit_policy(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        '"fixed window";"api";q=500',
        '"fixed window";"api";w=300',
        '"fixed window";"api";q=500;w=0',
        '"fixed window";"api";q=-500;w=300',
        '"fixed window";"api";q=500;w=NaN',
        "q=500;w=300",
        '"fixed window";"api";q=' + "1" * 10_000 + ";w=300",
    ],
)
def test_parse_ratelimit_policy_rejects_garbage(value: str | None) -> None:
    assert p.parse_ratelimit_policy(value) is None


NOW = 1_700_000_000.0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        (" 7 ", 7.0),
        ("0", 0.0),
        ("1.5", 1.5),
        (email.utils.formatdate(NOW + 30, usegmt=True), 30.0),
        (email.utils.formatdate(NOW - 30, usegmt=True), 0.0),
        (email.utils.formatdate(NOW + 60, localtime=False), 60.0),
        ("Tue, 14 Nov 2023 22:14:20 -0000", 60.0),
    ],
)
def test_parse_retry_after(value: str, expected: float) -> None:
    assert p.parse_retry_after(value, now=NOW) == pytest.approx(expected)


@pytest.mark.parametrize(
    "value",
    [None, "", "-5", "nan", "inf", "1e3", "1_000", "soon", "٣", "Mon, 99 Foo 2023", "9" * 200, 5],
)
def test_parse_retry_after_rejects_garbage(value: object) -> None:
    assert p.parse_retry_after(value, now=NOW) is None  # type: ignore[arg-type]


def test_parse_retry_after_zone_less_date_is_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert p.parse_retry_after("Tue, 14 Nov 2023 22:14:20 -0000", now=NOW) == 60.0
    finally:
        monkeypatch.undo()
        time.tzset()


def test_parse_retry_after_defaults_to_wall_clock() -> None:
    future = email.utils.formatdate(NOW + 10**9, usegmt=True)
    wait = p.parse_retry_after(future)
    assert wait is not None
    assert 0 < wait < 10**9


@pytest.mark.parametrize(
    ("path", "bucket"),
    [
        ("/api/models", "api"),
        ("/api/datasets/ibm/duorc/parquet/default/train/0.parquet", "api"),
        ("/api", "api"),
        ("/meta-llama/Llama-3.1-8B-Instruct/resolve/main/config.json", "resolvers"),
        ("/datasets/ibm/duorc/resolve/refs%2Fconvert%2Fparquet/x.parquet", "resolvers"),
        (
            "https://hf-mirror.492719920.workers.dev./gpt2/resolve/main/config.json?download=true",
            "resolvers",
        ),
        ("https://hf-mirror.492719920.workers.dev./api/models?limit=1", "api"),
        ("/", "pages"),
        ("", "pages"),
        ("/apis/x", "pages"),
        ("/resolve/main", "pages"),
        ("/google/gemma-2b", "pages"),
    ],
)
def test_bucket_for_path(path: str, bucket: str) -> None:
    assert p.bucket_for_path(path) == bucket


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/models/google/gemma-2b", True),
        ("/api/models/gpt2", True),
        ("/api/datasets/ibm/duorc/croissant", True),
        ("/api/spaces/user/tmp_test_space", True),
        ("/api/models/openai/gpt-oss-20b/revision/nope-zz", True),
        (
            "https://hf-mirror.492719920.workers.dev./api/models/zzznotanowner9f3/zzznotarepo9f3",
            True,
        ),
        ("/FlameF0X/LFM2-2.6B-Thinking/resolve/main/config.json", True),
        ("/api/models", False),
        ("/api/models/", False),
        ("/api/models?author=google", False),
        ("/api/models-tags-by-type", False),
        ("/api/whoami-v2", False),
        ("/api/repos/create", False),
        ("/api/collections/huggingfacejs/test-collection-6502cba4ba8bcd0e7b8bbc17", False),
        ("/api/organizations/huggingface/members", False),
    ],
)
def test_is_repo_route(path: str, expected: bool) -> None:
    assert p.is_repo_route(path) is expected


URL_401 = "https://hf-mirror.492719920.workers.dev./api/models/zzznotanowner9f3/zzznotarepo9f3"
GATED_401_MSG = (
    "Access to model meta-llama/Llama-3.1-8B-Instruct is restricted. You must have access to"
    " it and be authenticated to access it. Please log in."
)
GATED_403_MSG = (
    "Access to model google/gemma-3-4b-pt is restricted and you are not in the authorized"
    " list. Visit https://hf-mirror.492719920.workers.dev./google/gemma-3-4b-pt to ask for access."
)
HTML_502 = (
    b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>"
    + b"<p>The server encountered a temporary error.</p>" * 50
    + b"</body></html>"
)


def _err(
    status: int,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    url: str = URL_401,
    *,
    repo_route: bool = True,
    token_sent: bool = False,
) -> HubHTTPError:
    return p.error_for_response(
        status, headers or {}, body, url, repo_route=repo_route, token_sent=token_sent
    )


@pytest.mark.parametrize(
    ("status", "headers", "body", "repo_route", "token_sent", "cls", "server_message"),
    [
        pytest.param(
            401,
            {"X-Error-Message": "Invalid username or password."},
            b'{"error":"Invalid username or password."}',
            True,
            False,
            RepositoryNotFoundOrPrivateError,
            "Invalid username or password.",
            id="anonymous-401-missing-or-private",
        ),
        pytest.param(
            404,
            {"X-Error-Code": "RepoNotFound"},
            b'{"error":"Repository not found"}',
            True,
            True,
            RepositoryNotFoundError,
            "Repository not found",
            id="repo-not-found-404",
        ),
        pytest.param(
            404,
            {"X-Error-Code": "RevisionNotFound", "X-Error-Message": "Invalid rev id: badrev"},
            b'{"error":"Invalid rev id: badrev"}',
            True,
            False,
            RevisionNotFoundError,
            "Invalid rev id: badrev",
            id="revision-not-found",
        ),
        pytest.param(
            404,
            {"x-error-code": "EntryNotFound", "x-error-message": "Entry not found"},
            b"Entry not found",
            True,
            False,
            EntryNotFoundError,
            "Entry not found",
            id="entry-not-found",
        ),
        pytest.param(
            401,
            {"x-error-code": "GatedRepo", "x-error-message": GATED_401_MSG},
            GATED_401_MSG.encode(),
            True,
            False,
            GatedRepoError,
            GATED_401_MSG,
            id="gated-401-anonymous",
        ),
        pytest.param(
            403,
            {"X-Error-Code": "GatedRepo", "X-Error-Message": GATED_403_MSG},
            b"",
            True,
            True,
            GatedRepoError,
            GATED_403_MSG,
            id="gated-403-not-granted",
        ),
        pytest.param(
            401,
            {},
            b'{"error":"Invalid credentials in Authorization header"}',
            True,
            True,
            AuthenticationError,
            "Invalid credentials in Authorization header",
            id="invalid-token-on-repo-route",
        ),
        pytest.param(
            401,
            {},
            b'{"error":"Invalid credentials in Authorization header"}',
            False,
            True,
            AuthenticationError,
            "Invalid credentials in Authorization header",
            id="invalid-token-whoami",
        ),
        pytest.param(
            401,
            {"X-Error-Message": "Invalid username or password."},
            b"",
            False,
            False,
            AuthenticationError,
            "Invalid username or password.",
            id="anonymous-401-not-repo-route",
        ),
        pytest.param(
            403,
            {"X-Error-Message": "Access to this resource is disabled."},
            b"",
            True,
            True,
            DisabledRepoError,
            "Access to this resource is disabled.",
            id="disabled-header",
        ),
        pytest.param(
            404,
            {"X-Error-Code": "RepoNotFound"},
            b'{"error": "ACCESS TO THIS RESOURCE IS DISABLED."}',
            True,
            True,
            DisabledRepoError,
            "ACCESS TO THIS RESOURCE IS DISABLED.",
            id="disabled-body-beats-repo-not-found",
        ),
        pytest.param(
            403,
            {"X-Error-Message": "Forbidden"},
            b'{"error": "Access to this resource is disabled."}',
            True,
            False,
            DisabledRepoError,
            "Forbidden",
            id="disabled-in-body-while-header-differs",
        ),
        pytest.param(
            409,
            {},
            b'{"error": "You already created this space repo", '
            b'"url": "https://hf-mirror.492719920.workers.dev./spaces/user/tmp_test_space"}',
            False,
            True,
            ConflictError,
            "You already created this space repo",
            id="conflict-409",
        ),
        pytest.param(
            400,
            {},
            b'{"error": ["\\"expand[0]\\" must be one of [...]", "second"]}',
            False,
            False,
            BadRequestError,
            '"expand[0]" must be one of [...]; second',
            id="bad-request-error-list",
        ),
        pytest.param(
            404,
            {"content-type": "application/json"},
            b'{"error":"Not Found: Model not found"}',
            False,
            False,
            NotFoundError,
            "Not Found: Model not found",
            id="plain-404",
        ),
        pytest.param(
            502,
            {"Content-Type": "text/html"},
            HTML_502,
            False,
            False,
            ServerError,
            None,
            id="html-502",
        ),
        pytest.param(
            503,
            {"X-Error-Code": "RepoNotFound"},
            b"",
            True,
            False,
            ServerError,
            None,
            id="5xx-beats-error-code",
        ),
        pytest.param(
            418, {}, b"I'm a teapot", False, False, HubHTTPError, "I'm a teapot", id="teapot"
        ),
    ],
)
def test_error_for_response_class_and_message(
    status: int,
    headers: dict[str, str],
    body: bytes,
    repo_route: bool,
    token_sent: bool,
    cls: type[HubHTTPError],
    server_message: str | None,
) -> None:
    err = _err(status, headers, body, repo_route=repo_route, token_sent=token_sent)
    assert type(err) is cls
    assert err.status == status
    assert err.server_message == server_message
    assert err.url == URL_401
    assert str(status) in str(err)


def test_anonymous_401_is_both_not_found_and_authentication() -> None:
    err = _err(401, {"X-Error-Message": "Invalid username or password."})
    assert isinstance(err, RepositoryNotFoundError)
    assert isinstance(err, AuthenticationError)
    assert isinstance(err, NotFoundError)
    assert "private" in err.message
    assert "pass a token" in err.message
    with_token = _err(401, {"X-Error-Message": "Invalid username or password."}, token_sent=True)
    assert "token may lack access" in with_token.message
    assert "pass a token" not in with_token.message


def test_401_with_unknown_code_on_repo_route_is_plain_authentication() -> None:
    err = _err(401, {"X-Error-Code": "SomethingNew"})
    assert type(err) is AuthenticationError
    assert err.error_code == "SomethingNew"


def test_gated_messages_say_what_to_do() -> None:
    anon = _err(401, {"X-Error-Code": "GatedRepo"}, token_sent=False)
    granted = _err(403, {"X-Error-Code": "GatedRepo"}, token_sent=True)
    assert isinstance(anon, PermissionDeniedError)
    assert "pass a token" in anon.message
    assert "request access" in granted.message
    assert anon.error_code == granted.error_code == "GatedRepo"


def test_invalid_token_message_mentions_token_not_repo() -> None:
    err = _err(401, {"X-Error-Message": "invalid credentials in authorization header"})
    assert type(err) is AuthenticationError
    assert "rejected the token" in err.message


def test_html_body_never_becomes_the_message() -> None:
    err = _err(502, {}, HTML_502)
    assert err.server_message is None
    assert "<html" not in str(err).lower()
    assert "retry later" in str(err)


@pytest.mark.parametrize(
    ("body", "headers", "expected"),
    [
        (b"  Entry not found \n", {}, "Entry not found"),
        (b"x" * 600, {}, "x" * 499 + "\u2026"),
        (b"x" * 5000, {}, None),
        (b"\xff\xfeoops", {}, "\ufffd\ufffdoops"),
        (b"line\x00one", {}, "line one"),
        (b"\x89PNG\r\n", {"content-type": "image/png"}, None),
        (b'{"error": 5}', {}, None),
        (b'{"message": "x"}', {}, None),
        (b"[1, 2]", {}, None),
        (b'{"error": "' + b"y" * 5000 + b'"}', {}, "y" * 499 + "\u2026"),
        (b"{not json", {}, "{not json"),
        (b"", {"X-Error-Message": "  "}, None),
        (b"body", {"X-Error-Message": "header wins"}, "header wins"),
        (b"[" * 100_000, {}, None),
        (b"<html><body>502 Bad Gateway</body></html>", {}, None),
        (b"<h1>oops</h1>", {"Content-Type": "text/plain"}, None),
    ],
)
def test_server_message_extraction(
    body: bytes, headers: dict[str, str], expected: str | None
) -> None:
    assert _err(400, headers, body, repo_route=False).server_message == expected


def test_header_lookup_is_case_insensitive_for_any_mapping() -> None:
    headers = {"x-ERROR-code": "RevisionNotFound", "X-REQUEST-ID": "Root=1-abc"}
    err = _err(404, headers)
    assert type(err) is RevisionNotFoundError
    assert err.request_id == "Root=1-abc"
    assert err.headers["x-request-id"] == "Root=1-abc"
    multi = CIMultiDict([("X-Error-Code", "EntryNotFound"), ("X-Request-Id", "r2")])
    assert type(_err(404, multi)) is EntryNotFoundError  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ratelimit", "policy", "retry_after_header", "token_sent", "expected"),
    [
        (
            '"api";r=0;t=55',
            '"fixed window";"api";q=500;w=300',
            None,
            False,
            (0, 55.0, 500, 300.0, 56.0),
        ),
        (
            '"api";r=0;t=10',
            '"fixed window";"api";q=1000;w=300',
            "30",
            True,
            (0, 10.0, 1000, 300.0, 30.0),
        ),
        ('"api";r=0;t=10', None, "3", True, (0, 10.0, None, None, 11.0)),
        (None, None, None, False, (None, None, None, None, None)),
        (None, None, "20", False, (None, None, None, None, 20.0)),
        ("garbage", "garbage", "garbage", False, (None, None, None, None, None)),
    ],
)
def test_rate_limit_error_fields(
    ratelimit: str | None,
    policy: str | None,
    retry_after_header: str | None,
    token_sent: bool,
    expected: tuple[object, ...],
) -> None:
    headers = {"X-Request-Id": "Root=1-rl"}
    for name, value in (("RateLimit", ratelimit), ("RateLimit-Policy", policy)):
        if value is not None:
            headers[name] = value
    if retry_after_header is not None:
        headers["Retry-After"] = retry_after_header
    err = _err(429, headers, b"", repo_route=False, token_sent=token_sent)
    assert isinstance(err, RateLimitError)
    assert (err.remaining, err.reset_in, err.limit, err.window, err.retry_after) == expected
    assert ("pass a token" in err.message) is (not token_sent)
    if err.retry_after is not None:
        assert f"Wait {math.ceil(err.retry_after)} s" in err.message


def test_rate_limit_message_uses_real_server_text() -> None:
    text = "We had to rate limit you, you hit the quota of 1000 api requests per 5 minutes period."
    err = _err(
        429,
        {"ratelimit": '"api";r=0;t=10', "ratelimit-policy": '"fixed window";"api";q=1000;w=300'},
        json.dumps({"error": text}).encode(),
        repo_route=False,
    )
    assert err.server_message == text
    assert "0/1000" in str(err)
    assert "'api'" in str(err)


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (503, {"RateLimit": '"api";r=0;t=5'}, 6.0),
        (503, {"RateLimit": '"api";r=3;t=5'}, None),
        (503, {"Retry-After": "2", "RateLimit": '"api";r=0;t=5'}, 6.0),
        (503, {"Retry-After": "9"}, 9.0),
        (500, {"RateLimit": '"api";r=0;t=5'}, None),
        (404, {"RateLimit": '"api";r=0;t=5'}, None),
        (429, {"RateLimit": '"api";r=7;t=5'}, 6.0),
    ],
)
def test_retry_after_rule(status: int, headers: dict[str, str], expected: float | None) -> None:
    assert _err(status, headers, repo_route=False).retry_after == expected


def test_error_for_response_survives_hostile_headers() -> None:
    hostile = {
        "RateLimit": "\u2603" * 10_000,
        "RateLimit-Policy": ";;;===,,,",
        "Retry-After": "NaN",
        "X-Error-Code": "",
        "X-Request-Id": "  ",
    }
    err = _err(429, hostile, b"\x00" * 10, repo_route=False)
    assert isinstance(err, RateLimitError)
    assert err.retry_after is None
    assert err.error_code is None
    assert err.request_id is None


def test_recorded_resolve_responses() -> None:
    errors_dir = RECORDINGS / "errors"
    assert errors_dir.is_dir(), f"the Hub recordings are expected at {errors_dir}"
    expected = {
        "resolve_401_GatedRepo_unauthenticated__HEAD.meta.json": GatedRepoError,
        "resolve_401_nonexistent_repo_anonymous__HEAD.meta.json": RepositoryNotFoundOrPrivateError,
        "resolve_404_EntryNotFound__HEAD.meta.json": EntryNotFoundError,
    }
    for name, cls in expected.items():
        meta = json.loads((errors_dir / name).read_text())
        path = meta["url"].split("://", 1)[1].partition("/")[2]
        err = p.error_for_response(
            meta["status"],
            meta["response_headers"],
            b"",
            meta["url"],
            repo_route=p.is_repo_route("/" + path),
            token_sent=False,
        )
        assert type(err) is cls, name
        assert err.request_id == meta["response_headers"]["x-request-id"]
        assert err.server_message == meta["response_headers"]["x-error-message"]
        assert p.bucket_for_path("/" + path) == "resolvers"
        assert p.parse_ratelimit(meta["response_headers"]["ratelimit"]) is not None
        assert p.parse_ratelimit_policy(meta["response_headers"]["ratelimit-policy"]) == (
            p.RateLimitPolicy("resolvers", 3000, 300.0)
        )


VALID_REPO_IDS = [
    "gpt2",
    "google/gemma-2b",
    "meta-llama/Llama-3.1-8B-Instruct",
    "Foo-BAR_foo.bar123",
    "_private/_x_",
    "a",
    "a/b",
    "123",
    "user/tmp_test_space",
    "a" * 96,
    "n" * 96 + "/" + "r" * 96,
]

INVALID_REPO_IDS = [
    "",
    "/",
    "a/",
    "/a",
    "a//b",
    "datasets/foo/bar",
    "a" * 97,
    "ns/" + "a" * 97,
    ".",
    "..",
    "./x",
    "x/..",
    "foo--bar",
    "foo..bar",
    ".repo",
    "repo.",
    "-repo",
    "repo-",
    "ns-/repo",
    "foo.git",
    "ns/foo.git",
    "a?b",
    "a#b",
    "a%2Fb",
    "user@host",
    "with space",
    "new\nline",
    "repo\n",
    "nul\x00",
    "caf\u00e9",
    "\u6587\u4ef6",
    "a\\b",
    " gpt2",
]


@pytest.mark.parametrize("repo_id", VALID_REPO_IDS)
def test_validate_repo_id_accepts(repo_id: str) -> None:
    assert v.validate_repo_id(repo_id) is repo_id


@pytest.mark.parametrize("repo_id", INVALID_REPO_IDS)
def test_validate_repo_id_rejects(repo_id: str) -> None:
    with pytest.raises(ValueError, match="Invalid repo id") as info:
        v.validate_repo_id(repo_id)
    assert repr(repo_id)[:60] in str(info.value)


@pytest.mark.parametrize("value", [None, 5, b"gpt2", ["a"], pathlib.Path("a/b")])
def test_validate_repo_id_rejects_non_strings(value: object) -> None:
    with pytest.raises(ValueError, match="expected a string"):
        v.validate_repo_id(value)


def test_validate_repo_id_messages_are_specific_and_bounded() -> None:
    with pytest.raises(ValueError, match="namespace/name") as too_many:
        v.validate_repo_id("datasets/foo/bar")
    assert "repo type" in str(too_many.value)
    with pytest.raises(ValueError, match="longer than 96"):
        v.validate_repo_id("x" * 97)
    with pytest.raises(ValueError, match=r"'--' or '\.\.'"):
        v.validate_repo_id("foo--bar")
    with pytest.raises(ValueError, match="Invalid repo id") as huge:
        v.validate_repo_id("x" * 1_000_000)
    assert len(str(huge.value)) < 300


@pytest.mark.parametrize("name", ["huggingface", "user-1", "Org_Name", "a", "x" * 96])
def test_validate_namespace_accepts(name: str) -> None:
    assert v.validate_namespace(name) == name


@pytest.mark.parametrize("name", ["", "a/b", "-a", "a.", "a--b", "a b", "x" * 97, None, "\x00"])
def test_validate_namespace_rejects(name: object) -> None:
    with pytest.raises(ValueError, match="Invalid organization"):
        v.validate_namespace(name, "organization")


@pytest.mark.parametrize(
    ("revision", "quoted"),
    [
        ("main", "main"),
        ("refs/pr/1", "refs%2Fpr%2F1"),
        ("refs/convert/parquet", "refs%2Fconvert%2Fparquet"),
        ("v1.0", "v1.0"),
        ("a b", "a%20b"),
        ("x?y#z%", "x%3Fy%23z%25"),
        ("...", "..."),
        ("refs/../main", "refs%2F..%2Fmain"),
        ("caf\u00e9", "caf%C3%A9"),
        ("0123456789abcdef0123456789abcdef01234567", "0123456789abcdef0123456789abcdef01234567"),
    ],
)
def test_quote_revision(revision: str, quoted: str) -> None:
    assert v.quote_revision(revision) == quoted


@pytest.mark.parametrize(
    "revision", ["", ".", "..", "a\nb", "nul\x00", "del\x7f", "\x85", "\ud800", None, 1]
)
def test_quote_revision_rejects(revision: object) -> None:
    with pytest.raises(ValueError, match="Invalid revision"):
        v.quote_revision(revision)


@pytest.mark.parametrize(
    ("segment", "quoted"),
    [("default", "default"), ("train/x", "train%2Fx"), ("a b", "a%20b"), ("50%", "50%25")],
)
def test_quote_segment(segment: str, quoted: str) -> None:
    assert v.quote_segment(segment) == quoted


@pytest.mark.parametrize("segment", ["", ".", "..", "tab\there", None])
def test_quote_segment_rejects(segment: object) -> None:
    with pytest.raises(ValueError, match="Invalid path segment"):
        v.quote_segment(segment)  # type: ignore[arg-type]
