"""A local Hugging Face Hub for tests, demos and benchmarks.

``LocalHub`` is an aiohttp server with realistic, deterministic data that follows the
Hub's conventions (cursor pagination with absolute ``Link`` headers, ``X-Error-Code``,
bearer tokens, ``RateLimit`` headers and 429s) and can misbehave on demand (``Fault``)::

    async with LocalHub(models=1000) as url:
        ...  # point any client at url

    with LocalHub().in_thread() as url:  # for synchronous clients
        HfApi(endpoint=url, token="hf_local_token").model_info("openai-community/gpt2")

Repos can be created, deleted, moved and reconfigured (``_routes_repos_write``) by the seeded
users of ``_accounts``; each repo kind's differences live in one ``_kinds.KindSpec``.

This package imports nothing from the client library; the client never imports it.
"""

from ._faults import Fault, FaultInjector
from ._ratelimit import RateLimiter
from ._responses import RecordedRequest
from ._runner import LocalHub, parse_rate_limit, serve

__all__ = [
    "Fault",
    "FaultInjector",
    "LocalHub",
    "RateLimiter",
    "RecordedRequest",
    "parse_rate_limit",
    "serve",
]
