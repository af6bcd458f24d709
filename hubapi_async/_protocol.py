"""The Hub's HTTP conventions as pure functions: no I/O, no event loop.

RateLimit, RateLimit-Policy and Retry-After parsing, rate-limit buckets and mapping an
error response to its exception (``Link`` parsing lives in ``_links`` and is re-exported
here; what goes into a URL path is checked in ``_validation``). Header parsers are
tolerant: a malformed header yields `None`, never an exception.
"""

from __future__ import annotations

import datetime
import email.utils
import http
import math
import re
import time
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from typing import NamedTuple

import msgspec
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from ._links import parse_link_next as parse_link_next  # re-exported: Link parsing lives there
from ._links import split_header as _split
from .errors import (
    STATUS_ERRORS,
    AuthenticationError,
    DisabledRepoError,
    EntryNotFoundError,
    GatedRepoError,
    HubHTTPError,
    PermissionDeniedError,
    RateLimitError,
    RepositoryNotFoundError,
    RepositoryNotFoundOrPrivateError,
    RevisionNotFoundError,
    ServerError,
)

KNOWN_BUCKETS = ("api", "resolvers", "pages")
"""The Hub's rate-limit buckets."""

_MAX_HEADER = 65536
_MAX_MESSAGE = 500
_NUMBER = re.compile(r"[0-9]{1,15}(?:\.[0-9]{1,9})?")
_INTEGER = re.compile(r"[0-9]{1,15}")
_BUCKET = re.compile(r"[A-Za-z0-9_.:*/+!#$&'^`|~ -]{1,64}")
_TOKEN = re.compile(r"[A-Za-z0-9_.:*/+!#$&'^`|~-]{1,64}")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_REPO_API = re.compile(r"/api/(?:models|datasets|spaces)/[^/]+")
_RESOLVE = re.compile(r"/[^/]+(?:/[^/]+)*/resolve/")
_FAST_RATELIMIT = re.compile(
    r'[ \t]*(?:"(api|resolvers|pages)"|(api|resolvers|pages))[ \t]*;[ \t]*'
    r"r=([0-9]{1,15})[ \t]*;[ \t]*t=([0-9]{1,9})[ \t]*"
)

_INVALID_TOKEN = "invalid credentials in authorization header"
_DISABLED = "access to this resource is disabled."


def _unquote(item: str) -> str | None:
    """A quoted string's content, a bare token as is, `None` for anything else."""
    item = item.strip()
    if len(item) >= 2 and item[0] == item[-1] == '"':
        return re.sub(r"\\(.)", r"\1", item[1:-1])
    return item if _TOKEN.fullmatch(item) else None


def _number(text: str) -> float | None:
    text = text.strip()
    return float(text) if _NUMBER.fullmatch(text) else None


def _integer(text: str) -> int | None:
    text = text.strip()
    return int(text) if _INTEGER.fullmatch(text) else None


def _params(parts: Sequence[str]) -> dict[str, str]:
    """`name=value` parts as a dict (first occurrence wins, names lower-cased)."""
    params: dict[str, str] = {}
    for part in parts:
        name, eq, value = part.partition("=")
        if eq:
            params.setdefault(name.strip().lower(), value.strip())
    return params


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc"


def _usable(value: object) -> str | None:
    if not isinstance(value, str) or len(value) > _MAX_HEADER:
        return None
    return value


class RateLimitState(NamedTuple):
    """A parsed `RateLimit` header (`"api";r=489;t=189`).

    `bucket` (`api`, `resolvers`, `pages`), `remaining` requests in the window (`r`),
    `reset_in` seconds until the window resets (`t`).
    """

    bucket: str
    remaining: int
    reset_in: float


class RateLimitPolicy(NamedTuple):
    """A parsed `RateLimit-Policy` header (`"fixed window";"api";q=500;w=300`).

    `bucket`, `quota` requests per window (`q`), `window` length in seconds (`w`).
    """

    bucket: str
    quota: int
    window: float


def _items(value: str) -> Iterator[tuple[list[str], dict[str, str]]]:
    """Each comma-separated member as (bare or quoted items before params, params)."""
    for member in _split(value, ","):
        parts = [part for part in _split(member, ";") if part.strip()]
        bare = [p for p in parts if "=" not in p or p.strip().startswith('"')]
        yield bare, _params([p for p in parts if p not in bare])


def _bucket(items: Sequence[str]) -> str | None:
    """The item naming a known bucket, else the last valid name, else `None`."""
    names = [name for name in map(_unquote, items) if name and _BUCKET.fullmatch(name)]
    known = [name for name in names if name.lower() in KNOWN_BUCKETS]
    return known[-1] if known else names[-1] if names else None


def parse_ratelimit(value: str | None) -> RateLimitState | None:
    """Parse a `RateLimit` header (`"api";r=0;t=55`); `None` if absent or malformed.

    The bucket may be quoted or a bare token; whitespace is allowed around parts. With
    several comma-separated members, the first valid one wins. The Hub's own form is
    read by one regular expression; anything else by the tolerant parser.
    """
    if value.__class__ is str and (fast := _FAST_RATELIMIT.fullmatch(value)) is not None:
        return RateLimitState(fast[1] or fast[2], int(fast[3]), float(fast[4]))
    return _parse_ratelimit(value)


def _parse_ratelimit(raw: str | None) -> RateLimitState | None:
    """The tolerant parser behind :func:`parse_ratelimit`."""
    value = _usable(raw)
    if value is None:
        return None
    for bare, params in _items(value):
        bucket = _bucket(bare)
        remaining = _integer(params.get("r", ""))
        reset_in = _number(params.get("t", ""))
        if bucket is not None and remaining is not None and reset_in is not None:
            return RateLimitState(bucket, remaining, reset_in)
    return None


def parse_ratelimit_policy(value: str | None) -> RateLimitPolicy | None:
    """Parse a `RateLimit-Policy` header; `None` if absent or malformed.

    The Hub sends `"fixed window";"api";q=500;w=300`, which is not valid structured-field
    syntax, so this reads it tolerantly: the bucket is the item that names a known bucket,
    else the last item before the parameters; `q` and `w` may appear anywhere. A server
    sends the same policy on every answer: results are remembered per header value.
    """
    if value.__class__ is not str:
        return None
    try:
        return _POLICIES[value]
    except KeyError:
        pass
    parsed = _parse_policy(value)
    if len(value) <= 256:
        if len(_POLICIES) >= 64:
            _POLICIES.clear()
        _POLICIES[value] = parsed
    return parsed


def _parse_policy(raw: str) -> RateLimitPolicy | None:
    value = _usable(raw)
    if value is None:
        return None
    for bare, params in _items(value):
        bucket = _bucket(bare)
        quota = _integer(params.get("q", ""))
        window = _number(params.get("w", ""))
        if bucket is not None and quota is not None and window:
            return RateLimitPolicy(bucket, quota, window)
    return None


_POLICIES: dict[str, RateLimitPolicy | None] = {}


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header: delta-seconds or an HTTP date.

    A date in the past gives `0.0`; a negative, non-finite or malformed value gives `None`.
    `now` (a `time.time()` value) is the reference for dates.
    """
    value = _usable(value)
    if value is None or len(value) > 100:
        return None
    delay = _number(value)
    if delay is not None:
        return delay
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.UTC)
        delta = when.timestamp() - (time.time() if now is None else now)
    except (ValueError, TypeError, IndexError, OverflowError):
        return None
    return max(0.0, delta) if math.isfinite(delta) else None


def _url_path(path: str) -> str:
    path = str(path)
    if _SCHEME.match(path):
        try:
            return URL(path, encoded=True).raw_path
        except (ValueError, TypeError):
            return ""
    return path.partition("?")[0].partition("#")[0]


def bucket_for_path(path: str) -> str:
    """The rate-limit bucket a request path counts against before any response says so.

    `/api/...` is `api`, a `/.../resolve/...` file URL is `resolvers`, anything else is
    `pages`. A full URL is accepted too.
    """
    path = _url_path(path)
    if path == "/api" or path.startswith("/api/"):
        return "api"
    if _RESOLVE.match(path):
        return "resolvers"
    return "pages"


def is_repo_route(path: str) -> bool:
    """Whether a 401 without an error code on `path` means "missing or private repo".

    True for `/api/models|datasets|spaces/{repo}...` (info, revision, parquet, croissant,
    settings, resource group) and for `/{repo}/resolve/...` file URLs, where the Hub
    answers anonymous callers the same way for a missing and a private repository.
    """
    path = _url_path(path)
    return bool(_REPO_API.match(path)) or (
        not path.startswith("/api/") and bool(_RESOLVE.match(path))
    )


def _ci(headers: Mapping[str, str]) -> Mapping[str, str]:
    if isinstance(headers, CIMultiDict | CIMultiDictProxy):
        return headers
    return CIMultiDict((str(k), str(v)) for k, v in headers.items())


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def _clip(text: str, limit: int = _MAX_MESSAGE) -> str:
    text = "".join(" " if _is_control(c) and c not in "\n\t" else c for c in text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _body_message(headers: Mapping[str, str], body: bytes) -> str | None:
    """The JSON body's `error` (a list is joined), or a short plain-text body; never HTML."""
    stripped = bytes(body).strip()
    if not stripped:
        return None
    if stripped[:1] in (b"{", b"["):
        try:
            data = msgspec.json.decode(stripped)
        except (msgspec.DecodeError, RecursionError):
            data = None
        if isinstance(data, dict):
            error = data.get("error")
            if isinstance(error, list):
                error = "; ".join(str(e) for e in error if isinstance(e, str | int | float))
            return _clip(error) if isinstance(error, str) and error.strip() else None
        if data is not None:
            return None
    content_type = (_header(headers, "Content-Type") or "text/plain").lower()
    if not content_type.startswith("text/") or "html" in content_type or stripped[:1] == b"<":
        return None
    if len(stripped) > 4 * _MAX_MESSAGE:
        return None
    return _clip(stripped.decode("utf-8", errors="replace"))


def _retry_after(
    status: int, headers: Mapping[str, str], state: RateLimitState | None
) -> float | None:
    """Wait from Retry-After and, for 429 (or a 503 with r=0), from RateLimit's t + 1."""
    waits = [parse_retry_after(_header(headers, "Retry-After"))]
    if state is not None and (status == 429 or (status == 503 and state.remaining == 0)):
        waits.append(state.reset_in + 1)
    return max((w for w in waits if w is not None), default=None)


def _status_text(status: int) -> str:
    try:
        return f"HTTP {status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def error_for_response(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    url: str,
    *,
    repo_route: bool,
    token_sent: bool,
    limits: tuple[RateLimitState | None, RateLimitPolicy | None] | None = None,
) -> HubHTTPError:
    """Build (not raise) the exception for an error response.

    Class choice, first match wins: 429 is `RateLimitError` and 5xx `ServerError` whatever
    the code (both are transient); `X-Error-Code` `RevisionNotFound`, `EntryNotFound`,
    `GatedRepo`; the message "Access to this resource is disabled." (`DisabledRepoError`);
    `RepoNotFound`; on a repo route a 401 without a code and without the bad-token message
    (`RepositoryNotFoundOrPrivateError`); then the status table. `retry_after` is the
    larger of `Retry-After` and, for a 429 (or a 503 whose `RateLimit` has `r=0`), the
    `RateLimit` header's `t` + 1 s. Header names are matched case-insensitively.
    `limits` passes the `RateLimit` and `RateLimit-Policy` values already parsed.
    """
    headers = _ci(headers)
    header_message = _header(headers, "X-Error-Message")
    body_message = _body_message(headers, body)
    server_message = _clip(header_message) if header_message else body_message
    error_code = _header(headers, "X-Error-Code")
    if limits is None:
        limits = (
            parse_ratelimit(_header(headers, "RateLimit")),
            parse_ratelimit_policy(_header(headers, "RateLimit-Policy")),
        )
    state, policy = limits
    retry_after = _retry_after(status, headers, state)
    wait = f" Wait {math.ceil(retry_after)} s before retrying." if retry_after is not None else ""
    common = {
        "status": status,
        "url": url,
        "headers": headers,
        "error_code": error_code,
        "server_message": server_message,
        "request_id": _header(headers, "X-Request-Id"),
        "retry_after": retry_after,
        "body": body,
    }
    if status != 429:
        said = f"{header_message or ''}\n{body_message or ''}"
        cls, message = _classify(status, error_code, said, repo_route, token_sent)
        return cls(message + wait, **common)  # type: ignore[arg-type]
    bucket = state.bucket if state else policy.bucket if policy else None
    message = "Rate limit reached" + (f" for the {bucket!r} bucket" if bucket else "")
    if state is not None:
        quota = f"/{policy.quota} left per {policy.window:g} s window" if policy else " left"
        message += f" ({state.remaining}{quota})"
    message += "." + (wait or " Slow down and retry later.")
    if not token_sent:
        message += " Authenticated callers get a higher quota: pass a token."
    return RateLimitError(
        message,
        **common,  # type: ignore[arg-type]
        remaining=state.remaining if state else None,
        reset_in=state.reset_in if state else None,
        limit=policy.quota if policy else None,
        window=policy.window if policy else None,
    )


def _classify(
    status: int, code: str | None, said: str, repo_route: bool, token_sent: bool
) -> tuple[type[HubHTTPError], str]:
    pass_token = "pass a token (HubClient(token=...) or HF_TOKEN)"
    bad_token = _INVALID_TOKEN in said.lower()
    if 500 <= status <= 599:
        return ServerError, f"The Hub failed ({_status_text(status)}); retry later."
    if code == "RevisionNotFound":
        return RevisionNotFoundError, "Revision not found: check the branch, tag or commit name."
    if code == "EntryNotFound":
        return EntryNotFoundError, "File not found in this repository at this revision."
    if code == "GatedRepo":
        todo = "request access on its Hub page" if token_sent else f"{pass_token} with access"
        return GatedRepoError, f"This repository is gated: {todo}."
    if _DISABLED in said.lower():
        return DisabledRepoError, "The Hub disabled access to this repository; do not retry."
    check = "Check the repo id and the repo type (model, dataset, space)."
    hint = "your token may lack access to it" if token_sent else pass_token
    if code == "RepoNotFound":
        return RepositoryNotFoundError, f"Repository not found. {check} If it is private, {hint}."
    if status == 401 and repo_route and code is None and not bad_token:
        return RepositoryNotFoundOrPrivateError, (
            f"Repository not found, or private or gated (the Hub does not say which). {check}"
            f" If it exists, {hint}."
        )
    if status == 401:
        if bad_token:
            message = "The Hub rejected the token: check it is valid, not expired or revoked."
        elif token_sent:
            message = "The token was not accepted here: check it and its permissions."
        else:
            message = f"Authentication required: {pass_token}."
        return AuthenticationError, message
    if status == 403:
        fix = "check the token's permissions" if token_sent else pass_token
        return PermissionDeniedError, f"Permission denied: {fix}."
    messages = {
        400: "The Hub rejected the request as invalid: check the arguments.",
        422: "The Hub could not process the request: check the arguments.",
        404: "Not found: check the identifiers in the request.",
        409: "Conflict: it already exists or changed meanwhile (exist_ok=True accepts a repo).",
    }
    message = messages.get(status, f"The Hub answered {_status_text(status)}.")
    return STATUS_ERRORS.get(status, HubHTTPError), message
