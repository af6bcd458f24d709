"""Decode only: a 1,000-model listing page into ``list[ModelInfo]``, side by side.

Run: ``.venv/bin/python benchmarks/bench_decode.py [--items 1000] [--repeat 5]``

The page imitates ``GET /api/models?full=true`` (keys, value shapes and sizes of the
items in ``hubapi_async/testing/recordings/models/``: ids, dates, tags, gated,
siblings...), generated deterministically. Items per second, median of ``--repeat``
runs (each decoding the page ``--loops`` times), ratio to the floor:

- floor: ``msgspec.json.Decoder(list[ModelInfo]).decode(page)``, built once;
- hubapi_async: ``Response.decode(list[ModelInfo])``, the path every call and page takes;
- the same fields in a Struct with ``gc=False`` (is it worth making ``HubStruct`` untracked?);
- ``json.loads`` (plain dicts, dates left as strings) and the official client's
  ``huggingface_hub.hf_api.ModelInfo(**item)`` after ``json.loads``.
"""

from __future__ import annotations

import gc
import json
import random
import sys
import typing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import msgspec  # noqa: E402
from _harness import Contender, measure, parser, report, write_json  # noqa: E402
from multidict import CIMultiDict, CIMultiDictProxy  # noqa: E402

from hubapi_async import Response  # noqa: E402
from hubapi_async.types import ModelInfo  # noqa: E402

PIPELINES = [
    ("text-generation", "transformers"),
    ("fill-mask", "transformers"),
    ("sentence-similarity", "sentence-transformers"),
    ("text-to-image", "diffusers"),
    ("automatic-speech-recognition", "transformers"),
    ("image-classification", "timm"),
]
FILES = [
    ".gitattributes",
    "README.md",
    "config.json",
    "generation_config.json",
    "model.safetensors",
    "model-00001-of-00004.safetensors",
    "model-00002-of-00004.safetensors",
    "model.safetensors.index.json",
    "pytorch_model.bin",
    "special_tokens_map.json",
    "tokenizer.json",
    "tokenizer_config.json",
    "onnx/model.onnx",
    "onnx/model_quantized.onnx",
    "1_Pooling/config.json",
    "vocab.txt",
    "merges.txt",
    "original/params.json",
    "LICENSE",
    "USE_POLICY.md",
]
EPOCH = datetime(2022, 3, 2, 23, 29, 4, tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def make_item(rng: random.Random, n: int) -> dict[str, Any]:
    """One listing item shaped like the recorded model info bodies."""
    pipeline, library = rng.choice(PIPELINES)
    author = f"org-{rng.randrange(300)}"
    repo_id = f"{author}/model-{n}"
    created = EPOCH + timedelta(seconds=rng.randrange(90_000_000))
    modified = created + timedelta(seconds=rng.randrange(30_000_000))
    tags = [library, "safetensors", pipeline, "en", f"license:{rng.choice(['mit', 'apache-2.0'])}"]
    tags += [f"dataset:ds-{rng.randrange(500)}" for _ in range(rng.randrange(4))]
    tags += [f"arxiv:2{rng.randrange(100, 999)}.{rng.randrange(10000, 99999)}"]
    tags += ["autotrain_compatible", "endpoints_compatible", "region:us"]
    siblings = [{"rfilename": name} for name in rng.sample(FILES, rng.randrange(4, len(FILES)))]
    item: dict[str, Any] = {
        "_id": f"{rng.getrandbits(96):024x}",
        "id": repo_id,
        "author": author,
        "gated": rng.choice([False, False, False, "manual", "auto"]),
        "inference": rng.choice(["warm", None]),
        "lastModified": _iso(modified),
        "likes": rng.randrange(5000),
        "trendingScore": rng.randrange(200),
        "private": False,
        "sha": f"{rng.getrandbits(160):040x}",
        "downloads": rng.randrange(10_000_000),
        "tags": tags,
        "pipeline_tag": pipeline,
        "library_name": library,
        "createdAt": _iso(created),
        "modelId": repo_id,
        "siblings": siblings,
    }
    if item["inference"] is None:
        del item["inference"]
    return item


def make_page(items: int) -> bytes:
    rng = random.Random(20250321)
    return json.dumps([make_item(rng, n) for n in range(items)]).encode()


def untracked_copy(cls: type[msgspec.Struct]) -> type[msgspec.Struct]:
    """``cls`` with the same fields, wire names and defaults, but ``gc=False``."""
    hints = typing.get_type_hints(cls)
    fields = []
    for f in msgspec.structs.fields(cls):
        default = f.default if f.default is not msgspec.NODEFAULT else msgspec.NODEFAULT
        fields.append((f.name, hints[f.name], msgspec.field(name=f.encode_name, default=default)))
    return msgspec.defstruct(
        f"{cls.__name__}NoGC", fields, kw_only=True, frozen=True, gc=False, module=__name__
    )


def main(argv: list[str] | None = None) -> dict[str, Any]:
    p = parser(__doc__)
    p.add_argument("--items", type=int, default=1000)
    p.add_argument("--loops", type=int, default=20, help="page decodes per run")
    args = p.parse_args(argv)
    page = make_page(args.items)
    headers = CIMultiDictProxy(CIMultiDict({"Content-Type": "application/json"}))
    response = Response(200, headers, page, "http://127.0.0.1/api/models", "GET")
    floor_decoder = msgspec.json.Decoder(list[ModelInfo])
    nogc_decoder = msgspec.json.Decoder(list[untracked_copy(ModelInfo)])  # type: ignore[misc]
    from huggingface_hub.hf_api import ModelInfo as HfModelInfo

    def loop(fn: Any) -> Any:
        def run() -> int:
            for _ in range(args.loops):
                fn()
            return args.loops * args.items

        return run

    contenders = [
        Contender(
            "floor: msgspec Decoder(list[ModelInfo])",
            loop(lambda: floor_decoder.decode(page)),
            floor=True,
        ),
        Contender("hubapi_async Response.decode", loop(lambda: response.decode(list[ModelInfo]))),
        Contender("same fields, gc=False Struct", loop(lambda: nogc_decoder.decode(page))),
        Contender("json.loads (dicts)", loop(lambda: json.loads(page))),
        Contender(
            "json.loads + huggingface_hub ModelInfo",
            loop(lambda: [HfModelInfo(**item) for item in json.loads(page)]),  # type: ignore[no-untyped-call]
        ),
    ]
    for c in contenders:
        c.run()
    gc.collect()
    results = measure(contenders, repeat=args.repeat, unit="item")
    data = report(
        f"decoding a {args.items:,}-model page ({len(page) / 1e6:.1f} MB)",
        results,
        params={"items": args.items, "loops": args.loops, "repeat": args.repeat},
    )
    write_json(args.json, data)
    return data


if __name__ == "__main__":
    main()
