"""A local Hugging Face Hub for tests, demos and benchmarks.

``LocalHub`` is an aiohttp server with realistic, deterministic data that follows the
Hub's conventions (cursor pagination with absolute ``Link`` headers, ``X-Error-Code``,
bearer tokens, ``RateLimit`` headers and 429s) and can misbehave on demand (``Fault``)::

    async with LocalHub(models=1000) as url:
        ...  # point any client at url

    with LocalHub().in_thread() as url:  # for synchronous clients
        HfApi(endpoint=url, token="hf_local_token").model_info("openai-community/gpt2")

How it is built, one job per module:

- ``_runner``: ``LocalHub`` (start/stop in the running loop or a thread) and ``serve``.
- ``_app``: ``HubServer``, the server's state and the middleware chain every Hub request
  passes: record → faults → auth → rate limit → route; and the CDN origin for shards.
- ``_router``: the route table, rows of ``Route(method, pattern, handler)``; ``Ctx`` is
  what a handler gets; ``HubReply`` raises a Hub-shaped error. A path no row knows, or a
  known path with another method, is the Hub's 404 page.
- ``_routes_<family>``: the handlers of one family and its ``ROUTES`` rows (repos read and
  write, datasets, users, organizations, resource groups, collections, papers). A new
  endpoint is a handler and a row there.
- State, each family in its own module: ``_store`` (repos of one kind: generated ones,
  computed from their index, plus stored ones; writes to a generated repo copy it into the
  stored entries so the generated index never changes), ``_accounts`` (users, tokens,
  organizations, members and roles), ``_state_groups``, ``_state_collections``,
  ``_state_papers``.
- Data: ``_kinds`` (one record of differences per repo kind), ``_gen_*`` and ``_data``
  (generated repos), ``_curated`` (repos served from ``recordings/``, the real Hub's
  recorded answers, see ``recordings/SOURCES.md``), ``_vocab`` (word lists).
- ``_faults``, ``_ratelimit``, ``_responses``: injected faults, the fixed-window limiter,
  the Hub's response and error shapes.

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
