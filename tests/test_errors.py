"""Tests for hubapi_async.errors: the tree, the evidence each error carries, no token leaks."""

from __future__ import annotations

import inspect
import pickle

import pytest

from hubapi_async import errors
from hubapi_async.errors import (
    STATUS_ERRORS,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    DecodeError,
    DisabledRepoError,
    EntryNotFoundError,
    GatedRepoError,
    HubConnectionError,
    HubError,
    HubHTTPError,
    HubTimeoutError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    RepositoryNotFoundError,
    RepositoryNotFoundOrPrivateError,
    RevisionNotFoundError,
    ServerError,
)

TOKEN = "hf_abcdefghijklmnopqrstuvwxyzABCDEF"


def test_all_is_sorted_and_complete() -> None:
    assert errors.__all__ == sorted(errors.__all__)
    public = {
        name
        for name, obj in vars(errors).items()
        if not name.startswith("_") and (isinstance(obj, type) and issubclass(obj, Exception))
    }
    assert public | {"STATUS_ERRORS"} == set(errors.__all__)


@pytest.mark.parametrize("name", errors.__all__)
def test_every_public_class_is_documented(name: str) -> None:
    obj = getattr(errors, name)
    if isinstance(obj, type):
        assert inspect.getdoc(obj)
        assert obj.__module__ == "hubapi_async.errors"


@pytest.mark.parametrize(
    ("cls", "bases"),
    [
        (HubConnectionError, (HubError,)),
        (HubTimeoutError, (HubError, TimeoutError)),
        (DecodeError, (HubError,)),
        (PaginationError, (HubError,)),
        (HubHTTPError, (HubError,)),
        (BadRequestError, (HubHTTPError,)),
        (AuthenticationError, (HubHTTPError,)),
        (PermissionDeniedError, (HubHTTPError,)),
        (NotFoundError, (HubHTTPError,)),
        (ConflictError, (HubHTTPError,)),
        (RateLimitError, (HubHTTPError,)),
        (ServerError, (HubHTTPError,)),
        (RepositoryNotFoundError, (NotFoundError,)),
        (RevisionNotFoundError, (NotFoundError,)),
        (EntryNotFoundError, (NotFoundError,)),
        (GatedRepoError, (PermissionDeniedError,)),
        (DisabledRepoError, (PermissionDeniedError,)),
        (RepositoryNotFoundOrPrivateError, (RepositoryNotFoundError, AuthenticationError)),
    ],
)
def test_tree(cls: type[Exception], bases: tuple[type[Exception], ...]) -> None:
    assert cls.__bases__ == bases
    assert issubclass(cls, HubError)


def test_connection_errors_are_not_http_errors() -> None:
    assert not issubclass(HubConnectionError, HubHTTPError)
    assert not issubclass(HubTimeoutError, HubHTTPError)
    assert not issubclass(DecodeError, HubHTTPError)
    assert isinstance(HubTimeoutError("deadline"), TimeoutError)
    assert str(HubTimeoutError("deadline of 5 s exceeded")) == "deadline of 5 s exceeded"


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (429, RateLimitError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (504, ServerError),
        (599, ServerError),
    ],
)
def test_status_table(status: int, cls: type[HubHTTPError]) -> None:
    assert STATUS_ERRORS[status] is cls


def test_status_table_is_read_only_and_bounded() -> None:
    assert 418 not in STATUS_ERRORS
    assert 600 not in STATUS_ERRORS
    with pytest.raises(TypeError):
        STATUS_ERRORS[418] = HubHTTPError  # type: ignore[index]


def _http_error(**overrides: object) -> HubHTTPError:
    kwargs: dict[str, object] = {
        "status": 404,
        "url": "https://hf-mirror.492719920.workers.dev./api/models/openai/gpt-oss-20b/revision/nope-zz",
        "headers": {"X-Request-Id": "Root=1-abc", "X-Error-Code": "RevisionNotFound"},
        "error_code": "RevisionNotFound",
        "server_message": "Invalid rev id: nope-zz",
        "request_id": "Root=1-abc",
    }
    kwargs.update(overrides)
    return RevisionNotFoundError("Revision not found: check the name.", **kwargs)  # type: ignore[arg-type]


def test_http_error_defaults() -> None:
    err = HubHTTPError("boom")
    assert err.status is None
    assert err.url is None
    assert err.error_code is None
    assert err.server_message is None
    assert err.request_id is None
    assert err.retry_after is None
    assert dict(err.headers) == {}
    assert str(err) == "boom"


def test_http_error_str_has_the_evidence() -> None:
    text = str(_http_error())
    assert text.startswith("Revision not found: check the name.")
    for piece in ("404", "RevisionNotFound", "nope-zz", "Root=1-abc", "Invalid rev id: nope-zz"):
        assert piece in text


def test_server_message_not_repeated_when_already_in_message() -> None:
    err = HubHTTPError(
        "Conflict: You already created this space repo",
        server_message="You already created this space repo",
        status=409,
    )
    assert str(err).count("You already created this space repo") == 1


def test_headers_are_a_read_only_case_insensitive_copy() -> None:
    source = {"X-Request-Id": "r1", "Content-Type": "application/json"}
    err = HubHTTPError("x", headers=source)
    source["X-Request-Id"] = "changed"
    assert err.headers["x-request-id"] == "r1"
    assert err.headers["CONTENT-TYPE"] == "application/json"
    with pytest.raises(TypeError):
        err.headers["X-New"] = "v"  # type: ignore[index]


@pytest.mark.parametrize(
    "name",
    ["Authorization", "authorization", "Proxy-Authorization", "Set-Cookie", "X-Xet-Access-Token"],
)
def test_credential_headers_are_masked(name: str) -> None:
    err = HubHTTPError("x", headers={name: f"Bearer {TOKEN}", "X-Request-Id": "r"})
    assert err.headers[name] == "[redacted]"
    assert err.headers["X-Request-Id"] == "r"
    assert TOKEN not in repr(dict(err.headers))


@pytest.mark.parametrize(
    "leaky",
    [
        TOKEN,
        f"Authorization: Bearer {TOKEN}",
        "Authorization: Bearer sometoken.with-dots_123",
        "api_org_abcdefghijklmnopqrstuvwxyz",
        "https://user:s3cret@huggingface.co/api/models",
    ],
)
def test_str_and_repr_never_show_a_token(leaky: str) -> None:
    secret = leaky.rsplit(" ", 1)[-1].split("//")[-1].split("@")[0]
    http = HubHTTPError(f"msg {leaky}", server_message=f"echo {leaky}", url=leaky, status=401)
    for err in (
        http,
        HubConnectionError(f"cannot connect: {leaky}"),
        HubTimeoutError(f"timed out: {leaky}"),
        DecodeError(f"bad body {leaky}", body=leaky.encode(), url=leaky),
        PaginationError(f"loop {leaky}", url=leaky),
    ):
        assert secret not in str(err)
        assert secret not in repr(err)


def test_redaction_keeps_ordinary_text() -> None:
    text = 'Bearer realm="Authentication required" and hf_short and https://hf-mirror.492719920.workers.dev./a@b'
    assert str(HubError(text)) == text


def test_rate_limit_error_fields_and_client_side_gate() -> None:
    err = RateLimitError(
        "Rate limit wait of 90 s exceeds max_rate_limit_wait=60 s.",
        remaining=0,
        reset_in=89.0,
        limit=500,
        window=300.0,
        retry_after=90.0,
    )
    assert err.status is None
    assert (err.remaining, err.reset_in, err.limit, err.window) == (0, 89.0, 500, 300.0)
    assert err.retry_after == 90.0
    assert "status" not in str(err)
    bare = RateLimitError("x", status=429)
    assert (bare.remaining, bare.reset_in, bare.limit, bare.window) == (None, None, None, None)


def test_decode_error_excerpt() -> None:
    body = "é".encode() * 300 + b"\xff"
    err = DecodeError("not JSON", status=200, url="https://h/api/models", body=body, request_id="r")
    assert err.status == 200
    assert err.request_id == "r"
    assert len(err.body_excerpt) == 200
    assert err.body_excerpt == "é" * 200
    assert "200" in str(err)
    assert "https://h/api/models" in str(err)
    broken = DecodeError("x", body=b"\xff\xfe<html>")
    assert broken.body_excerpt == "\ufffd\ufffd<html>"
    assert DecodeError("x").body_excerpt == ""
    assert str(DecodeError("plain")) == "plain"


def test_pagination_error() -> None:
    err = PaginationError("next link leaves the origin", url="https://evil.example/x")
    assert err.url == "https://evil.example/x"
    assert PaginationError("x").url is None


@pytest.mark.parametrize(
    "err",
    [
        _http_error(retry_after=3.0),
        RateLimitError("rl", status=429, remaining=0, reset_in=5.0, limit=500, window=300.0),
        RepositoryNotFoundOrPrivateError("missing or private", status=401),
        DecodeError("bad", status=200, url="u", body=b"abc", request_id="r"),
        PaginationError("loop", url="u"),
        HubTimeoutError("late"),
        HubConnectionError("refused"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_pickle_round_trip(err: HubError) -> None:
    clone = pickle.loads(pickle.dumps(err))
    assert type(clone) is type(err)
    assert str(clone) == str(err)
    for attr in ("status", "url", "retry_after", "remaining", "limit", "body_excerpt"):
        assert getattr(clone, attr, None) == getattr(err, attr, None)
    if isinstance(err, HubHTTPError):
        assert dict(clone.headers) == dict(err.headers)  # type: ignore[attr-defined]
