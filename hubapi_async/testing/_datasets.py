"""Dataset routes: parquet listings, shards on the CDN, croissant."""

from __future__ import annotations

import functools
import hashlib
import hmac
import random
import struct
import time
import zlib
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from aiohttp import web

from ._curated import Curated, croissant_context
from ._data import mix64
from ._responses import encode, json_error, json_response, request_id
from ._router import Ctx, Route

if TYPE_CHECKING:
    from ._app import HubServer
    from ._store import Ref, RepoStore

_SIGNED_FOR = 3600


# -- parquet ---------------------------------------------------------------------------------
def layout_of(store: RepoStore, ref: Ref) -> dict[str, dict[str, int]] | None:
    """``{subset: {split: shards}}`` of a dataset's parquet export, or ``None``."""
    if isinstance(ref, Curated):
        return ref.parquet
    return store.spec.parquet_layout(store.gen, ref) if store.spec.parquet_layout else None


@functools.lru_cache(maxsize=256)
def shard_bytes(repo_id: str, subset: str, split: str, n: int) -> bytes:
    """Deterministic bytes framed like a parquet file (``PAR1`` ... footer length ``PAR1``)."""
    h = mix64(zlib.crc32(f"{repo_id}/{subset}/{split}/{n}".encode()))
    size = 2048 + h % 30_000
    inner = random.Random(h).randbytes(size - 12)
    return b"PAR1" + inner + struct.pack("<I", len(inner) // 3) + b"PAR1"


def _shard_url(base: str, repo_id: str, subset: str, split: str, n: int) -> str:
    return f"{base}/api/datasets/{repo_id}/parquet/{_q(subset)}/{_q(split)}/{n}.parquet"


def parquet(
    server: HubServer, request: web.Request, store: RepoStore, ref: Ref, tail: list[str]
) -> web.Response:
    """``/parquet``, ``/parquet/{subset}``, ``/parquet/{subset}/{split}`` and the shard."""
    layout = layout_of(store, ref)
    if not layout:
        # Not recorded: what the Hub says for a dataset without a parquet export.
        return json_error(404, "No parquet files found for this dataset")
    repo_id = store.repo_id(ref)
    base = f"{request.scheme}://{request.host}"

    def urls(subset: str, split: str) -> list[str]:
        return [_shard_url(base, repo_id, subset, split, n) for n in range(layout[subset][split])]

    if not tail:
        body: Any = {s: {sp: urls(s, sp) for sp in splits} for s, splits in layout.items()}
        return json_response(encode(body))
    subset = tail[0]
    if subset not in layout:
        return json_error(404, f"Subset {subset!r} not found")
    if len(tail) == 1:
        return json_response(encode({sp: urls(subset, sp) for sp in layout[subset]}))
    split = tail[1]
    if split not in layout[subset]:
        return json_error(404, f"Split {split!r} not found")
    if len(tail) == 2:
        return json_response(encode(urls(subset, split)))
    name = tail[2]
    number = name[: -len(".parquet")] if name.endswith(".parquet") else ""
    if not number.isdigit() or int(number) >= layout[subset][split] or len(tail) > 3:
        return json_error(404, "Entry not found", code="EntryNotFound")
    n = int(number)
    if server.cdn_url is None:
        return _bytes_response(request, shard_bytes(repo_id, subset, split, n), {})
    path = "/".join(
        [
            "",
            "parquet",
            "datasets",
            *map(_q, repo_id.split("/")),
            _q(subset),
            _q(split),
            f"{n}.parquet",
        ]
    )
    expires = int(time.time()) + _SIGNED_FOR
    location = f"{server.cdn_url}{path}?Expires={expires}&Signature={_sign(server, path, expires)}"
    return web.Response(
        status=302, text=f"Found. Redirecting to {location}", headers={"Location": location}
    )


def _q(segment: str) -> str:
    return quote(segment, safe="")


def _sign(server: HubServer, path: str, expires: int) -> str:
    return hmac.new(server.secret, f"{path}:{expires}".encode(), hashlib.sha256).hexdigest()[:32]


def _bytes_response(request: web.Request, data: bytes, headers: dict[str, str]) -> web.Response:
    """Serve ``data`` honouring ``Range: bytes=a-b`` / ``bytes=a-`` / ``bytes=-n`` (206/416)
    and ``If-Range`` (a validator other than the current ``ETag``: the whole file, 200)."""
    total = len(data)
    headers = {
        **headers,
        "Accept-Ranges": "bytes",
        "ETag": '"' + hashlib.sha256(data).hexdigest()[:32] + '"',
    }
    spec = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range")
    if if_range is not None and if_range != headers["ETag"]:
        spec = ""  # RFC 9110 13.1.5: the representation changed, send all of it
    if spec.startswith("bytes=") and "," not in spec:
        first, _, last = spec[len("bytes=") :].strip().partition("-")
        try:
            if first:
                start = int(first)
                end = min(int(last), total - 1) if last else total - 1
            else:
                start, end = max(0, total - int(last)), total - 1
        except ValueError:
            start, end = 0, total - 1
            spec = ""
        if spec:
            if start >= total or start > end:
                headers["Content-Range"] = f"bytes */{total}"
                return web.Response(status=416, headers=headers)
            headers["Content-Range"] = f"bytes {start}-{end}/{total}"
            resp = web.Response(status=206, body=data[start : end + 1], headers=headers)
            resp.content_type = "application/octet-stream"
            return resp
    resp = web.Response(body=data, headers=headers)
    resp.content_type = "application/octet-stream"
    return resp


def serve_cdn(server: HubServer, request: web.Request) -> web.Response:
    """The CDN origin: signed shard URLs only, no auth, no rate limit headers."""
    path = request.raw_path.partition("?")[0]
    segs = path.split("/")
    headers = {
        "X-Request-Id": request_id(),
        "X-Amz-Cf-Id": request_id()[-24:],
        "Via": "1.1 local-cdn.cloudfront.net (CloudFront)",
        "X-Cache": "Hit from cloudfront",
    }
    denied = web.Response(status=403, text="Forbidden", headers=headers)
    if (
        request.method not in ("GET", "HEAD")
        or len(segs) < 8
        or segs[1:3] != ["parquet", "datasets"]
    ):
        return denied
    try:
        expires = int(request.query.get("Expires", ""))
    except ValueError:
        return denied
    signature = request.query.get("Signature", "")
    if expires < time.time() or not hmac.compare_digest(signature, _sign(server, path, expires)):
        return denied
    dec = [unquote(s) for s in segs[3:]]
    repo_id, subset, split, name = "/".join(dec[:-3]), dec[-3], dec[-2], dec[-1]
    return _bytes_response(
        request, shard_bytes(repo_id, subset, split, int(name.split(".")[0])), headers
    )


# -- croissant ---------------------------------------------------------------------------------
def croissant(request: web.Request, store: RepoStore, ref: Ref) -> web.Response:
    """``GET /api/datasets/{id}/croissant`` (JSON-LD; shaped like the recorded bodies)."""
    if isinstance(ref, Curated) and ref.croissant is not None:
        return json_response(encode(ref.croissant))
    repo_id = store.repo_id(ref)
    layout = layout_of(store, ref) or {}
    info = store.info(ref)
    site = "https://huggingface.co"
    distribution: list[dict[str, Any]] = [
        {
            "@type": "cr:FileObject",
            "@id": "repo",
            "name": "repo",
            "description": "The Hugging Face git repository.",
            "contentUrl": f"{site}/datasets/{repo_id}/tree/refs%2Fconvert%2Fparquet",
            "encodingFormat": "git+https",
            "sha256": "https://github.com/mlcommons/croissant/issues/80",
        }
    ]
    record_sets: list[dict[str, Any]] = []
    for subset, splits in layout.items():
        fileset = f"parquet-files-for-config-{subset}"
        distribution.append(
            {
                "@type": "cr:FileSet",
                "@id": fileset,
                "name": fileset,
                "description": "The underlying Parquet files as converted by Hugging Face (see: https://huggingface.co/docs/dataset-viewer/parquet).",
                "containedIn": {"@id": "repo"},
                "encodingFormat": "application/x-parquet",
                "includes": f"{subset}/*/*.parquet",
            }
        )
        fields = [
            {
                "@type": "cr:Field",
                "@id": f"{subset}/{column}",
                "name": f"{subset}/{column}",
                "description": f"Column '{column}' from the Hugging Face parquet file.",
                "dataType": data_type,
                "source": {"fileSet": {"@id": fileset}, "extract": {"column": column}},
            }
            for column, data_type in (
                ("id", "sc:Text"),
                ("text", "sc:Text"),
                ("label", "sc:Integer"),
            )
        ]
        record_sets.append(
            {
                "@type": "cr:RecordSet",
                "@id": subset,
                "name": subset,
                "description": f"{repo_id} - '{subset}' subset\n\nAdditional information:\n"
                f"- {len(splits)} splits: {', '.join(splits)}",
                "field": fields,
            }
        )
    author, tags = store.author(ref), info.get("tags", [])
    license_id = info.get("cardData", {}).get("license", "other")
    body = {
        "@context": croissant_context(),
        "@type": "sc:Dataset",
        "distribution": distribution,
        "recordSet": record_sets,
        "conformsTo": "http://mlcommons.org/croissant/1.1",
        "name": repo_id.split("/")[-1],
        "description": str(info.get("description", "")).strip(),
        "alternateName": [repo_id],
        "creator": {"@type": "Organization", "name": author, "url": f"{site}/{author}"},
        "keywords": [t.split(":", 1)[-1] for t in tags if not t.startswith("library:")],
        "license": f"https://choosealicense.com/licenses/{license_id}/",
        "url": f"{site}/datasets/{repo_id}",
    }
    return json_response(encode(body))


# -- routes ------------------------------------------------------------------------------------
def _parquet_route(ctx: Ctx) -> web.Response:
    assert ctx.repo is not None
    store, ref = ctx.repo
    tail = [ctx.params[k] for k in ("subset", "split", "shard") if k in ctx.params]
    return parquet(ctx.server, ctx.request, store, ref, tail)


async def parquet_listing(ctx: Ctx) -> web.StreamResponse:
    """``GET /api/datasets/{id}/parquet[/{subset}[/{split}[/{n}.parquet]]]``."""
    return _parquet_route(ctx)


async def croissant_route(ctx: Ctx) -> web.StreamResponse:
    """``GET /api/datasets/{id}/croissant``."""
    assert ctx.repo is not None
    return croissant(ctx.request, *ctx.repo)


_BASE = "/api/{section:datasets}/{repo_id}"
ROUTES = [
    Route("GET", f"{_BASE}/parquet", parquet_listing, repo=True),
    Route("GET", f"{_BASE}/parquet/{{subset}}", parquet_listing, repo=True),
    Route("GET", f"{_BASE}/parquet/{{subset}}/{{split}}", parquet_listing, repo=True),
    Route("GET", f"{_BASE}/parquet/{{subset}}/{{split}}/{{shard}}", parquet_listing, repo=True),
    Route("GET", f"{_BASE}/croissant", croissant_route, repo=True),
]
