"""File metadata (``?blobs=true``) and security scans (``?securityStatus=true``) of a repo.

Both are computed from an info body, so generated, recorded and created repos share them.
With ``blobs=true`` each sibling gets ``size`` and ``blobId`` and, for files stored with Git
LFS, ``lfs: {size, sha256, pointerSize}`` (the official client's ``RepoSibling`` and
``BlobLfsInfo``). Sizes follow the file's role: weights hold the model's parameters at its
dtype, parquet shards share the dataset's main size, configs are a few hundred bytes. An
LFS file's ``blobId`` is the git blob id of its pointer file, computed as git does, and
``pointerSize`` is that pointer's length.

``securityRepoStatus`` has the shape third-party captures of the Hub show:
``{"scansDone": true, "filesWithIssues": [{"path": ..., "level": "caution"|"unsafe"}]}``;
pickle files (``.bin``, ``.pkl``, ``.pt``...) are now and then flagged.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Mapping
from typing import Any, Final

from ._data import mix64, sha40

Item = dict[str, Any]

_LFS_SUFFIXES: Final = (
    ".safetensors", ".bin", ".gguf", ".parquet", ".onnx", ".h5", ".msgpack", ".pt", ".pth",
    ".ckpt", ".pkl", ".model", ".tflite", ".arrow", ".npy", ".npz", ".zip", ".ot",
)  # fmt: skip
_PICKLE_SUFFIXES: Final = (".bin", ".pkl", ".pt", ".pth", ".ckpt", ".dat")
_SHARDS: Final = re.compile(r"-of-0*([1-9][0-9]*)\.")
_LFS_THRESHOLD: Final = 10 * 1024 * 1024  # bigger files go to LFS whatever their name
#: Typical sizes (low, high) of small files by name.
_SMALL: Final[Mapping[str, tuple[int, int]]] = {
    ".gitattributes": (1_519, 1_519),
    "README.md": (1_800, 14_000),
    "config.json": (520, 1_600),
    "generation_config.json": (120, 260),
    "special_tokens_map.json": (280, 700),
    "tokenizer.json": (700_000, 17_000_000),
    "tokenizer_config.json": (1_100, 52_000),
    "vocab.json": (798_000, 1_040_000),
    "vocab.txt": (231_000, 232_000),
    "merges.txt": (456_000, 457_000),
    "modules.json": (349, 349),
    "sentence_bert_config.json": (53, 57),
    "model_index.json": (500, 650),
    "scheduler_config.json": (470, 600),
    "adapter_config.json": (600, 900),
    "requirements.txt": (40, 320),
    "app.py": (1_200, 9_800),
    "Dockerfile": (280, 950),
    "index.html": (900, 9_000),
    "style.css": (300, 1_900),
}


def _h(repo_id: str, path: str) -> int:
    return mix64(zlib.crc32(f"{repo_id}\0{path}".encode()))


def _between(h: int, low: int, high: int) -> int:
    return low + h % max(1, high - low + 1)


def _params(body: Mapping[str, Any]) -> int:
    for key in ("safetensors", "gguf"):
        part = body.get(key)
        if isinstance(part, dict) and isinstance(part.get("total"), int):
            return int(part["total"])
    storage = body.get("usedStorage")
    return max(1_000_000, int(storage) // 4) if isinstance(storage, int) else 110_000_000


def _bytes_per_param(body: Mapping[str, Any]) -> int:
    part = body.get("safetensors")
    if isinstance(part, dict) and isinstance(part.get("parameters"), dict):
        dtypes = part["parameters"]
        return 4 if "F32" in dtypes and len(dtypes) == 1 else 2
    return 4 if _params(body) <= 1_000_000_000 else 2


def _weights_size(body: Mapping[str, Any], path: str, h: int, shards: int) -> int:
    """Bytes of a weights file: all parameters at the model's dtype (GGUF: quantized)."""
    params = _params(body)
    name = path.rsplit("/", 1)[-1]
    if name.endswith(".gguf"):
        per_param = 0.6 if "Q4" in name else 1.07 if "Q8" in name else 2.0
        return int(params * per_param) + _between(h, 1_000_000, 9_000_000)
    if name.startswith("adapter_model"):
        return params // 60 + _between(h, 10_000, 90_000)
    if "/" in path and path.split("/", 1)[0] in ("unet", "vae", "text_encoder", "transformer"):
        share = {"unet": 0.62, "transformer": 0.62, "text_encoder": 0.12, "vae": 0.03}
        return int(params * 2 * share.get(path.split("/", 1)[0], 0.1))
    return params * _bytes_per_param(body) // max(1, shards) + _between(h, 8_000, 90_000)


def file_size(body: Mapping[str, Any], path: str, kind: str, main_size: int | None) -> int:
    """The size in bytes of ``path`` in the repo described by ``body``."""
    repo_id = str(body.get("id", ""))
    h = _h(repo_id, path)
    name = path.rsplit("/", 1)[-1]
    if name in _SMALL:
        return _between(h, *_SMALL[name])
    if name.endswith(".parquet"):
        siblings = body.get("siblings") or []
        files = sum(1 for s in siblings if str(s.get("rfilename")).endswith(".parquet"))
        total = main_size if main_size else 1_000_000 * files
        return max(4_096, total // max(1, files) + _between(h, 0, 65_535))
    if kind == "model" and name.endswith(_LFS_SUFFIXES):
        shards = _SHARDS.search(name)
        return _weights_size(body, path, h, int(shards.group(1)) if shards else 1)
    if name.endswith(_LFS_SUFFIXES):
        return _between(h, 2_000_000, 900_000_000)
    return _between(h, 200, 48_000)


def _pointer(sha256: str, size: int) -> bytes:
    spec = "version https://git-lfs.github.com/spec/v1"
    return f"{spec}\noid sha256:{sha256}\nsize {size}\n".encode()


def sibling_metadata(
    body: Mapping[str, Any], path: str, kind: str, main_size: int | None = None
) -> Item:
    """``{rfilename, size, blobId[, lfs]}`` of one file."""
    size = file_size(body, path, kind, main_size)
    h = _h(str(body.get("id", "")), path)
    out: Item = {"rfilename": path, "size": size}
    if path.endswith(_LFS_SUFFIXES) or size > _LFS_THRESHOLD:
        sha256 = hashlib.sha256(f"{body.get('id')}\0{path}\0{size}".encode()).hexdigest()
        pointer = _pointer(sha256, size)
        out["blobId"] = hashlib.sha1(b"blob %d\0" % len(pointer) + pointer).hexdigest()
        out["lfs"] = {"size": size, "sha256": sha256, "pointerSize": len(pointer)}
    else:
        out["blobId"] = sha40(h)
    return out


def with_blobs(body: Item, kind: str, main_size: int | None = None) -> Item:
    """``body`` with file metadata on every sibling (a new dict; ``body`` is left alone)."""
    siblings = body.get("siblings")
    if not isinstance(siblings, list):
        return body
    out = dict(body)
    out["siblings"] = [
        sibling_metadata(body, str(s["rfilename"]), kind, main_size)
        for s in siblings
        if isinstance(s, dict) and "rfilename" in s
    ]
    return out


def security_status(body: Mapping[str, Any]) -> Item:
    """The repo's scan summary: every file scanned, now and then a pickle flagged."""
    repo_id = str(body.get("id", ""))
    issues = []
    for sibling in body.get("siblings") or []:
        path = str(sibling.get("rfilename", ""))
        if not path.endswith(_PICKLE_SUFFIXES):
            continue
        roll = (_h(repo_id, path) >> 20) & 255
        if roll < 16:
            issues.append({"path": path, "level": "unsafe" if roll == 0 else "caution"})
    return {"scansDone": True, "filesWithIssues": issues}
