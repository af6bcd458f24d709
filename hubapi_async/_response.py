"""What a call returns (``Response``) and the per-call defaults it runs with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import msgspec
from multidict import CIMultiDictProxy

from ._options import RetryPolicy, Timeout
from ._protocol import parse_link_next
from .errors import DecodeError
from .types import decoder_for

__all__ = ["CallOptions", "Response"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Response:
    """A whole HTTP response: status, headers and body bytes (connection released).

    Its repr shows the status, URL and method only: what the server sent may echo a
    credential, and a locals-capturing traceback records every repr.
    """

    status: int
    headers: CIMultiDictProxy[str] = field(repr=False)
    body: bytes = field(repr=False)
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

    def decode(self, tp: type[T], what: str | None = None) -> T:
        """The body decoded into ``tp`` (a Struct, ``list[ModelInfo]``, ``dict[...]``).

        Raises ``DecodeError`` (with status, URL, request id and a body excerpt) when the
        body is not JSON or not of that shape; ``what`` names the expected shape.
        """
        try:
            return decoder_for(tp).decode(self.body)
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            expected = what or f"a valid {getattr(tp, '__name__', str(tp))}"
            raise DecodeError(
                f"the response from {self.url} is not {expected}: {exc}",
                status=self.status,
                url=self.url,
                body=self.body,
                request_id=self.request_id,
            ) from None

    def json(self) -> Any:
        """The body decoded as JSON (``DecodeError`` when it is not JSON)."""
        return self.decode(cast("type[Any]", Any), "JSON")


@dataclass(frozen=True, slots=True)
class CallOptions:
    """Per-call defaults of a client or one of its views (the repr shows no token or header)."""

    token: str | None = field(repr=False)
    token_explicit: bool
    timeout: Timeout
    retry: RetryPolicy
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)
