"""Exceptions raised by hubapi_async.

Every exception the library raises on purpose derives from `HubError`::

    HubError
    ├── HubConnectionError            no response: refused, reset, DNS, offline mode, closed client
    ├── HubTimeoutError               (also a builtin TimeoutError) connect/read/deadline ran out
    ├── DecodeError                   a well-framed response whose body is not what the Hub promises
    ├── PaginationError               a `next` link that must not be followed (other origin, loop)
    └── HubHTTPError                  the Hub answered with an error status
        ├── BadRequestError           400
        ├── AuthenticationError       401
        │   └── RepositoryNotFoundOrPrivateError   (also a RepositoryNotFoundError)
        ├── PermissionDeniedError     403
        │   ├── GatedRepoError        X-Error-Code: GatedRepo (401 or 403)
        │   └── DisabledRepoError     "Access to this resource is disabled."
        ├── NotFoundError             404
        │   ├── RepositoryNotFoundError   X-Error-Code: RepoNotFound
        │   │   └── RepositoryNotFoundOrPrivateError   anonymous 401 on a repo route
        │   ├── RevisionNotFoundError     X-Error-Code: RevisionNotFound
        │   └── EntryNotFoundError        X-Error-Code: EntryNotFound
        ├── ConflictError             409 (`repo_url`: the existing repo, when the Hub says)
        ├── RateLimitError            429, or a client-side rate-limit wait that is too long
        └── ServerError               5xx

`STATUS_ERRORS` maps each status to its class (every 5xx to `ServerError`). Error strings
never contain a token: `str()` of any `HubError` masks the tokens clients hold (by value),
anything shaped like a Hugging Face token or a bearer credential, and
`HubHTTPError.headers` masks credential headers.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from multidict import CIMultiDict, CIMultiDictProxy

__all__ = [
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "DecodeError",
    "DisabledRepoError",
    "EntryNotFoundError",
    "GatedRepoError",
    "HubConnectionError",
    "HubError",
    "HubHTTPError",
    "HubTimeoutError",
    "NotFoundError",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "RepositoryNotFoundError",
    "RepositoryNotFoundOrPrivateError",
    "RevisionNotFoundError",
    "STATUS_ERRORS",
    "ServerError",
]

_SECRET_PATTERNS = (
    (re.compile(r"(?<![A-Za-z0-9])(hf_|api_org_)[A-Za-z0-9]{16,}"), r"\1***"),
    (re.compile(r"(?i)\b(bearer)\s+(?!realm\b)[A-Za-z0-9._~+/=-]{8,}"), r"\1 ***"),
    # User info in a URL; the scheme starts a word and both parts are bounded, so a long
    # run of letters costs linear time, not quadratic.
    (re.compile(r"(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,31}://)[^/@\s]{0,512}@"), r"\1"),
)
_SECRET_HEADER = re.compile(r"(?i)^(proxy-)?authorization$|cookie|token|secret|api-key")
_REDACTED = "[redacted]"
_EXCERPT_CHARS = 200
_BODY_LIMIT = 16_384
_BODY_MARGIN = 512  # a token cut by the limit is still whole (and masked) in the margin


#: The tokens clients of this process hold (most recent last): masked by value, whatever
#: their form, in every error string.
_SECRETS: dict[str, None] = {}
_MAX_SECRETS = 1024


def remember_secret(value: str | None) -> None:
    """Mask ``value`` (a token a client holds) in every error string from now on."""
    if value and len(value) >= 6:
        _SECRETS.pop(value, None)
        _SECRETS[value] = None
        while len(_SECRETS) > _MAX_SECRETS:
            del _SECRETS[next(iter(_SECRETS))]


def _redact(text: str) -> str:
    for secret in tuple(_SECRETS):
        if secret in text:
            text = text.replace(secret, "***")
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _safe_body(body: bytes) -> bytes:
    if not body:
        return b""
    text = bytes(body[: _BODY_LIMIT + _BODY_MARGIN]).decode("utf-8", errors="surrogateescape")
    return _redact(text).encode("utf-8", errors="surrogateescape")[:_BODY_LIMIT]


def _safe_headers(headers: Mapping[str, str] | None) -> Mapping[str, str]:
    copy: CIMultiDict[str] = CIMultiDict()
    for name, value in (headers or {}).items():
        copy.add(str(name), _REDACTED if _SECRET_HEADER.search(str(name)) else str(value))
    return CIMultiDictProxy(copy)


class HubError(Exception):
    """Root of every exception hubapi_async raises on purpose."""

    def __str__(self) -> str:
        return _redact(super().__str__())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(_redact(repr(arg)) for arg in self.args)})"


class HubConnectionError(HubError):
    """No (complete) response was received.

    Connection refused or reset, DNS failure, offline mode, a closed client, or a body
    cut off mid-stream.
    """


class HubTimeoutError(HubError, TimeoutError):
    """A connect or read timeout, or the call's deadline, ran out.

    Also a builtin `TimeoutError`; the last underlying error is its `__cause__`.
    """


class DecodeError(HubError):
    """A well-framed response whose body is not what the Hub promises (bad JSON, wrong shape).

    Not retried. `body_excerpt` holds the first ~200 characters of the body.
    """

    status: int | None
    """HTTP status of the response, when known."""
    url: str | None
    """URL of the response, when known."""
    body_excerpt: str
    """First ~200 characters of the body, decoded as UTF-8 with replacement characters."""
    request_id: str | None
    """The Hub's `X-Request-Id`, when known: quote it when reporting a problem."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        url: str | None = None,
        body: bytes = b"",
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.url = url
        raw = bytes(body[: _EXCERPT_CHARS * 4])
        self.body_excerpt = _redact(raw.decode("utf-8", errors="replace")[:_EXCERPT_CHARS])
        self.request_id = request_id

    def __str__(self) -> str:
        parts = []
        if self.status is not None:
            parts.append(f"status {self.status}")
        if self.url:
            parts.append(f"url {self.url}")
        if self.request_id:
            parts.append(f"request id {self.request_id}")
        if self.body_excerpt:
            parts.append(f"body starts {self.body_excerpt!r}")
        text = f"{self.message} [{'; '.join(parts)}]" if parts else self.message
        return _redact(text)

    def __reduce__(self) -> tuple[Any, ...]:
        rebuilt = functools.partial(
            type(self), self.message, status=self.status, url=self.url, request_id=self.request_id
        )
        return (_rebuild, (rebuilt, {"body_excerpt": self.body_excerpt}))


class PaginationError(HubError):
    """A `next` link that must not be followed: another origin, or a URL already seen."""

    url: str | None
    """The offending `next` URL, when known."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.url = url

    def __reduce__(self) -> tuple[Any, ...]:
        return (functools.partial(type(self), self.message, url=self.url), ())


class HubHTTPError(HubError):
    """The Hub answered with an error status.

    Carries the evidence: `status`, `error_code` (`X-Error-Code`), `server_message`
    (`X-Error-Message` or the body's `error`), `request_id` (`X-Request-Id`), `url`,
    `headers` (a read-only, case-insensitive copy with credentials masked), `body` (the
    response body, first 16 KiB, tokens masked) and `retry_after` (seconds the server
    asked to wait, when it did).
    """

    status: int | None
    """HTTP status; `None` only for a `RateLimitError` raised before any response."""
    error_code: str | None
    """The Hub's `X-Error-Code` (`RepoNotFound`, `GatedRepo`, ...), when sent."""
    server_message: str | None
    """The Hub's own explanation (`X-Error-Message` or the JSON body's `error`)."""
    request_id: str | None
    """The Hub's `X-Request-Id`: quote it when reporting a problem."""
    url: str | None
    """URL of the response (credentials in it are masked in `str()`)."""
    headers: Mapping[str, str]
    """Read-only, case-insensitive copy of the response headers; credential headers masked."""
    retry_after: float | None
    """Seconds to wait before retrying, from `Retry-After` or the `RateLimit` header."""
    body: bytes
    """The response body (its first 16 KiB; tokens echoed in it masked); `b""` if none."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        url: str | None = None,
        headers: Mapping[str, str] | None = None,
        error_code: str | None = None,
        server_message: str | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
        body: bytes = b"",
    ) -> None:
        super().__init__(message)
        self.message = _redact(message)
        self.status = status
        self.url = url
        self.headers = _safe_headers(headers)
        self.body = _safe_body(body)
        self.error_code = error_code
        self.server_message = None if server_message is None else _redact(server_message)
        self.request_id = request_id
        self.retry_after = retry_after

    def _details(self) -> list[str]:
        parts = []
        if self.status is not None:
            parts.append(f"status {self.status}")
        if self.error_code:
            parts.append(f"error code {self.error_code}")
        if self.url:
            parts.append(f"url {self.url}")
        if self.request_id:
            parts.append(f"request id {self.request_id}")
        if self.server_message and self.server_message not in self.message:
            parts.append(f"server message {self.server_message!r}")
        elif not self.server_message and self.body and self.status in (400, 422):
            excerpt = self.body[: _EXCERPT_CHARS * 4].decode("utf-8", errors="replace")
            parts.append(f"body starts {excerpt[:_EXCERPT_CHARS]!r}")
        return parts

    def __str__(self) -> str:
        parts = self._details()
        text = f"{self.message} [{'; '.join(parts)}]" if parts else self.message
        return _redact(text)

    def _init_kwargs(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "url": self.url,
            "headers": dict(self.headers),
            "error_code": self.error_code,
            "server_message": self.server_message,
            "request_id": self.request_id,
            "retry_after": self.retry_after,
            "body": self.body,
        }

    def __reduce__(self) -> tuple[Any, ...]:
        return (functools.partial(type(self), self.message, **self._init_kwargs()), ())


def _rebuild(factory: Any, state: dict[str, Any]) -> Any:
    obj = factory()
    obj.__dict__.update(state)
    return obj


class BadRequestError(HubHTTPError):
    """400: the Hub rejected the request's arguments (an unknown `expand` value, say)."""


class AuthenticationError(HubHTTPError):
    """401: no token where one is needed, or a token the Hub does not accept."""


class PermissionDeniedError(HubHTTPError):
    """403: the token is valid but may not do this."""


class NotFoundError(HubHTTPError):
    """404: the URL names nothing the caller can see."""


class ConflictError(HubHTTPError):
    """409: the resource already exists (creating a repo) or changed meanwhile. Never retried.

    `repo_url` is the existing repo's URL when the Hub names it (the body of a 409 from
    `POST /api/repos/create` is `{"error": ..., "url": ...}`).
    """

    repo_url: str | None
    """The URL of the repo that already exists, when the Hub's answer carries it."""

    def __init__(self, message: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.repo_url = _body_url(self.body)

    def _details(self) -> list[str]:
        parts = super()._details()
        if self.repo_url:
            parts.append(f"existing repo {self.repo_url}")
        return parts


def _body_url(body: bytes) -> str | None:
    """The `url` of a JSON object body, if it is a non-empty string."""
    if not body.lstrip().startswith(b"{"):
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    url = data.get("url") if isinstance(data, dict) else None
    return url if isinstance(url, str) and url.strip() else None


class RateLimitError(HubHTTPError):
    """429, or a rate-limit wait longer than allowed (then `status` is `None`).

    `remaining` and `reset_in` come from the `RateLimit` header (`r`, `t`), `limit` and
    `window` from `RateLimit-Policy` (`q`, `w`).
    """

    remaining: int | None
    """Requests left in the current window (`RateLimit` `r`)."""
    reset_in: float | None
    """Seconds until the window resets (`RateLimit` `t`)."""
    limit: int | None
    """Requests allowed per window (`RateLimit-Policy` `q`)."""
    window: float | None
    """Window length in seconds (`RateLimit-Policy` `w`)."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        url: str | None = None,
        headers: Mapping[str, str] | None = None,
        error_code: str | None = None,
        server_message: str | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
        body: bytes = b"",
        remaining: int | None = None,
        reset_in: float | None = None,
        limit: int | None = None,
        window: float | None = None,
    ) -> None:
        super().__init__(
            message,
            status=status,
            url=url,
            headers=headers,
            error_code=error_code,
            server_message=server_message,
            request_id=request_id,
            retry_after=retry_after,
            body=body,
        )
        self.remaining = remaining
        self.reset_in = reset_in
        self.limit = limit
        self.window = window

    def _init_kwargs(self) -> dict[str, Any]:
        kwargs = super()._init_kwargs()
        kwargs.update(
            remaining=self.remaining, reset_in=self.reset_in, limit=self.limit, window=self.window
        )
        return kwargs


class ServerError(HubHTTPError):
    """5xx: the Hub failed; usually temporary (500, 502, 503 and 504 are retried)."""


class RepositoryNotFoundError(NotFoundError):
    """The repository does not exist, or is private and not readable with this token."""


class RevisionNotFoundError(NotFoundError):
    """The repository exists but the branch, tag or commit does not."""


class EntryNotFoundError(NotFoundError):
    """The repository and revision exist but the file does not."""


class GatedRepoError(PermissionDeniedError):
    """The repository is gated and the caller has not been granted access (401 or 403)."""


class DisabledRepoError(PermissionDeniedError):
    """The Hub has disabled access to this repository."""


class RepositoryNotFoundOrPrivateError(RepositoryNotFoundError, AuthenticationError):
    """An unauthenticated (or insufficient) 401 on a repository route.

    The Hub answers this way both for a repository that does not exist and for a private
    or gated one, so this error is both a `RepositoryNotFoundError` and an
    `AuthenticationError`.
    """


STATUS_ERRORS: Mapping[int, type[HubHTTPError]] = MappingProxyType(
    {
        400: BadRequestError,
        401: AuthenticationError,
        403: PermissionDeniedError,
        404: NotFoundError,
        409: ConflictError,
        429: RateLimitError,
        **{status: ServerError for status in range(500, 600)},
    }
)
"""The class for each HTTP status (every 5xx maps to `ServerError`); others: `HubHTTPError`."""
