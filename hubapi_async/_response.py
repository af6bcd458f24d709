"""What a call returns (``Response``) and the per-call defaults it runs with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import msgspec
from multidict import CIMultiDictProxy

from ._options import RetryPolicy, Timeout
from ._protocol import parse_link_next
from .errors import DecodeError

__all__ = ["CallOptions", "Response"]


@dataclass(frozen=True, slots=True)
class Response:
    """A whole HTTP response: status, headers and body bytes (connection released)."""

    status: int
    headers: CIMultiDictProxy[str]
    body: bytes
    url: str
    method: str = "GET"

    @property
    def request_id(self) -> str | None:
        """The Hub's ``X-Request-Id``."""
        return self.headers.get("X-Request-Id")

    @property
    def etag(self) -> str | None:
        """The ``ETag`` header."""
        return self.headers.get("ETag")

    @property
    def repo_commit(self) -> str | None:
        """The ``X-Repo-Commit`` header (the commit a file or repo answer comes from)."""
        return self.headers.get("X-Repo-Commit")

    @property
    def next_url(self) -> str | None:
        """The absolute URL of the ``Link: <...>; rel="next"`` header, if any."""
        return parse_link_next(self.headers.getall("Link", ()), self.url)

    def json(self) -> Any:
        """The body decoded as JSON (``DecodeError`` when it is not JSON)."""
        try:
            return msgspec.json.decode(self.body)
        except msgspec.DecodeError as exc:
            raise DecodeError(
                f"expected JSON from {self.url}, got something else: {exc}",
                status=self.status,
                url=self.url,
                body=self.body,
                request_id=self.request_id,
            ) from None


@dataclass(frozen=True, slots=True)
class CallOptions:
    """Per-call defaults of a client or one of its views."""

    token: str | None
    token_explicit: bool
    timeout: Timeout
    retry: RetryPolicy
    headers: Mapping[str, str] = field(default_factory=dict)
