"""Decode a 1,000-model listing page three ways and compare.

Run from the project root:

    .venv/bin/python benchmarks/bench_decode.py [--items 1000] [--repeat 20]

The page imitates ``GET /api/models?full=true`` (keys, value shapes and sizes of
the items in ``hubapi_async/testing/recordings/models/``: ids, dates, tags, gated,
siblings...), generated deterministically. Each contender is timed best-of-N
with ``time.perf_counter``:

- ``json.loads``: the stdlib parser, ending with plain dicts (dates stay strings);
- ``msgspec -> list[ModelInfo]``: this library's path, bytes straight to Structs
  with aware datetimes;
- ``json.loads + hf ModelInfo``: the stdlib parser then the official client's
  ``huggingface_hub.hf_api.ModelInfo(**item)`` for each item.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hubapi_async.types import ModelInfo, decode_json  # noqa: E402

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


def best_of(fn: Callable[[], object], repeat: int) -> float:
    fn()
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    from huggingface_hub import __version__ as hf_version
    from huggingface_hub.hf_api import ModelInfo as HfModelInfo

    page = make_page(args.items)
    structs = decode_json(page, list[ModelInfo])
    first = structs[0].created_at
    if len(structs) != args.items or first is None or first.tzinfo is None:
        raise SystemExit("the generated page did not decode as expected")

    contenders: list[tuple[str, Callable[[], object]]] = [
        ("json.loads (dicts)", lambda: json.loads(page)),
        ("msgspec -> list[ModelInfo]", lambda: decode_json(page, list[ModelInfo])),
        (
            f"json.loads + hf ModelInfo {hf_version}",
            lambda: [HfModelInfo(**item) for item in json.loads(page)],  # type: ignore[no-untyped-call]
        ),
    ]
    times = [(name, best_of(fn, args.repeat)) for name, fn in contenders]
    baseline = times[0][1]
    ours = times[1][1]

    print(f"page: {args.items} items, {len(page) / 1024:.0f} KiB; best of {args.repeat} runs")
    header = f"{'decoder':<36} {'ms/page':>9} {'us/item':>9} {'vs json':>8} {'vs msgspec':>11}"
    print(header)
    print("-" * len(header))
    for name, seconds in times:
        print(
            f"{name:<36} {seconds * 1e3:>9.2f} {seconds * 1e6 / args.items:>9.2f} "
            f"{seconds / baseline:>7.2f}x {seconds / ours:>10.2f}x"
        )


if __name__ == "__main__":
    main()
