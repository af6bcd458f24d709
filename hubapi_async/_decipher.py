"""What one response means to the client, read once (pure, no I/O).

Like gidgethub's ``sansio.decipher_response``: given a response's status, headers and
body, :func:`decipher` parses its ``RateLimit`` and ``RateLimit-Policy`` headers once and
builds the error it means, if any. The transport feeds the first two to the rate-limit
gate and raises the third. (The ``next`` link of a listing page is read from the same
headers, on demand, by ``Response.next_url``.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from ._protocol import (
    RateLimitPolicy,
    RateLimitState,
    error_for_response,
    parse_ratelimit,
    parse_ratelimit_policy,
)
from ._response import log_hub_warnings
from .errors import HubHTTPError

__all__ = ["Deciphered", "decipher"]


class Deciphered(NamedTuple):
    """One response as the client sees it."""

    status: int
    #: The ``RateLimit`` header (``"api";r=489;t=189``), when present and valid.
    ratelimit: RateLimitState | None
    #: The ``RateLimit-Policy`` header (``q``, ``w``), when present and valid.
    policy: RateLimitPolicy | None
    #: The error a status of 400 or more means (``None`` below 400).
    error: HubHTTPError | None


def decipher(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    url: str,
    *,
    repo_route: bool,
    token_sent: bool = False,
) -> Deciphered:
    """Read a response once: its rate-limit headers, its ``X-HF-Warning`` (logged once
    per topic) and, for 400 and above, its error.

    ``repo_route`` and ``token_sent`` are what the error mapping needs to know about the
    request (see :func:`~hubapi_async._protocol.error_for_response`).
    """
    state = parse_ratelimit(headers.get("RateLimit"))
    policy = parse_ratelimit_policy(headers.get("RateLimit-Policy"))
    if "X-HF-Warning" in headers:
        log_hub_warnings(headers)
    error = None
    if status >= 400:
        error = error_for_response(
            status,
            headers,
            body,
            url,
            repo_route=repo_route,
            token_sent=token_sent,
            limits=(state, policy),
        )
    return Deciphered(status, state, policy, error)
