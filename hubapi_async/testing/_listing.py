"""The query parameters of repo listings and info, read strictly.

Every parameter the official clients send (``huggingface_hub`` and ``@huggingface/hub``,
plus the seed page's) is implemented; any other one is a 400 naming it, never ignored
(an ignored filter would answer 200 with an unfiltered listing). Lists come repeated
(``apps=a&apps=b``, the Python client) or comma-joined (``apps=a,b``, the JS client).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from aiohttp import web

from ._conditions import Condition
from ._kinds import KindSpec
from ._router import BadRequest
from ._serving import split_values
from ._store import ListQuery

#: Listing parameters every kind takes.
SHARED_LIST_PARAMS: Final = frozenset(
    {
        "search", "author", "filter", "sort", "direction", "limit", "cursor", "full", "config",
        "cardData", "expand", "expand[]", "gated",
    }
)  # fmt: skip
#: Info parameters (``/api/{type}s/{id}[/revision/{rev}]``).
INFO_PARAMS: Final = frozenset({"expand", "expand[]", "blobs", "securityStatus"})
SORT_ALIASES: Final = {
    "created_at": "createdAt",
    "last_modified": "lastModified",
    "trending_score": "trendingScore",
    "trending": "trendingScore",
    "author": "id",
    "modelId": "id",
}
_TRUE: Final = frozenset({"true", "True", "1", "yes"})
_FALSE: Final = frozenset({"false", "False", "0", "no"})
_UNITS: Final = {"": 1, "K": 10**3, "M": 10**6, "B": 10**9, "T": 10**12}
_COUNT: Final = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*([KMBT]?)", re.IGNORECASE)
#: Upper end of an open ``num_parameters`` range.
MAX_PARAMS: Final = 10**15


def check_params(request: web.Request, allowed: Iterable[str]) -> None:
    """400 for the first query parameter not in ``allowed``."""
    known = frozenset(allowed)
    for name in request.query:
        if name not in known:
            accepted = ", ".join(sorted(known))
            raise BadRequest(f'Unknown query parameter "{name}"; accepted: {accepted}')


def flag(request: web.Request, name: str) -> bool | None:
    """A boolean parameter: ``None`` when absent, else its value; anything else is a 400."""
    raw = request.query.get(name)
    if raw is None:
        return None
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise BadRequest(f'Invalid "{name}" parameter: "{raw}" is not a boolean')


def truthy(value: str | None) -> bool:
    """Whether a query value means true (for paths that only test a flag)."""
    return value is not None and value in _TRUE


def parse_expand(request: web.Request, spec: KindSpec) -> tuple[str, ...] | None:
    """The ``expand`` (or ``expand[]``) values, checked against what the kind allows."""
    values = request.query.getall("expand", []) + request.query.getall("expand[]", [])
    if not values:
        return None
    allowed = spec.expandable
    for v in values:
        if v not in allowed:
            raise BadRequest(f'"expand" must be one of {", ".join(sorted(allowed))}; got "{v}"')
    return tuple(sorted(set(values)))


def parse_count(text: str) -> int:
    """``6B`` → 6_000_000_000, ``0.5M`` → 500_000, ``1200`` → 1200."""
    match = _COUNT.fullmatch(text.strip())
    if match is None:
        raise ValueError(text)
    return int(float(match.group(1)) * _UNITS[match.group(2).upper()])


def parse_num_parameters(raw: str) -> tuple[int, int]:
    """``min:6B,max:128B`` (either bound may be left out) → an inclusive range."""
    low, high, seen = 0, MAX_PARAMS, set()
    try:
        for part in raw.split(","):
            key, sep, value = part.strip().partition(":")
            if not sep or key not in ("min", "max") or key in seen:
                raise ValueError(part)
            seen.add(key)
            if key == "min":
                low = parse_count(value)
            else:
                high = parse_count(value)
    except ValueError:
        raise BadRequest(
            f'Invalid "num_parameters" parameter: "{raw}" (expected e.g. "min:6B,max:128B")'
        ) from None
    if low > high:
        raise BadRequest(f'Invalid "num_parameters" parameter: "{raw}" (min is above max)')
    return low, high


def _values(request: web.Request, name: str) -> tuple[str, ...]:
    values = split_values(request.query.getall(name, []))
    if name in request.query and not values:
        raise BadRequest(f'Invalid "{name}" parameter: it is empty')
    return values


def _conditions(request: web.Request) -> list[Condition]:
    q = request.query
    out = [Condition("tag", t) for t in q.getall("filter", []) if t]
    if q.get("pipeline_tag"):
        out.append(Condition("tag", q["pipeline_tag"]))
    gated = flag(request, "gated")
    if gated is not None:
        out.append(Condition("gated", gated))
    inference = q.get("inference")
    if inference is not None:
        if inference != "warm":
            raise BadRequest(f'Invalid "inference" parameter: "{inference}" (only "warm")')
        out.append(Condition("inference", "warm"))
    for name, field in (
        ("apps", "apps"),
        ("inference_provider", "providers"),
        ("models", "models"),
        ("datasets", "datasets"),
    ):
        if name in q:
            out.append(Condition(field, _values(request, name)))
    if "num_parameters" in q:
        out.append(Condition("params", parse_num_parameters(q["num_parameters"])))
    if flag(request, "linked"):
        out.append(Condition("linked", True))
    return out


def parse_list_query(request: web.Request, spec: KindSpec, page_size: int) -> ListQuery:
    """Read a listing request: every parameter checked, each filter a condition."""
    check_params(request, SHARED_LIST_PARAMS | spec.list_params)
    q = request.query
    sort = q.get("sort") or "trendingScore"
    sort = SORT_ALIASES.get(sort, sort)
    if sort not in spec.sort_keys:
        raise BadRequest(f"Invalid sort parameter: {q.get('sort')}")
    limit = page_size
    limit_raw = q.get("limit")
    if limit_raw is not None:
        try:
            limit = int(limit_raw)
        except ValueError:
            raise BadRequest(f"Invalid limit parameter: {limit_raw}") from None
        if limit < 1:
            raise BadRequest("limit must be a positive integer")
        limit = min(limit, page_size)
    expand = parse_expand(request, spec)
    if expand:
        shape: tuple[str, ...] = ("expand", *expand)
    else:
        flags = tuple(name for name in ("full", "config", "cardData") if flag(request, name))
        shape = flags or ("default",)
    direction = q.get("direction")
    return ListQuery(
        sort=sort,
        descending=direction is None or direction == "-1",
        limit=limit,
        search=tuple(s for s in q.getall("search", []) if s),
        author=q.get("author") or None,
        conditions=tuple(_conditions(request)),
        shape=shape,
    )
