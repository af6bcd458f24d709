"""Every recorded Hub answer in scope must decode, and every key in it must be mapped.

For each recording under ``hubapi_async/testing/recordings/{models,datasets,spaces}/`` whose
endpoint has a Struct (model/dataset/Space info, ``/revision/`` included; the
three parquet listings; Croissant):

(a) the body decodes into the endpoint's type;
(b) the JSON is walked against that type and the test fails listing every key
    no Struct field maps. Keys of data-keyed fields (``cardData``, ``config``,
    ``widgetData``, ``model-index``, ``safetensors.parameters``, parquet maps,
    Croissant: typed as mappings) are data, not checked; ``transformersInfo``
    internals are exempt by name.

Recordings of kind ``reconstructed_from_live_test_assertion`` hold placeholders
(``"<any Number>"``) instead of values, so only their keys are checked.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import msgspec
import msgspec.inspect as mi
import pytest

from hubapi_async.types import (
    Croissant,
    DatasetInfo,
    ModelInfo,
    ParquetFiles,
    ParquetFilesBySplit,
    ParquetFilesBySubset,
    SpaceInfo,
    decode_json,
)

from ._helpers import recordings_dir

RECORDINGS = recordings_dir()
GROUPS = ("models", "datasets", "spaces")

#: Kinds whose bodies are real values: decoded and walked.
VALUE_KINDS = frozenset(
    {"recorded", "saved_response_body", "documented_example", "documented_shape"}
)
#: Kinds whose bodies hold placeholders: walked only.
KEYS_ONLY_KINDS = frozenset({"reconstructed_from_live_test_assertion"})

#: Struct fields (``Struct.wireName``) whose content is not checked key by key.
EXEMPT_FIELDS = frozenset({"ModelInfo.transformersInfo"})

_REPO = r"[^/]+(?:/[^/]+)?"
#: Endpoints with no Struct here: (pattern on the URL path, reason).
OUT_OF_SCOPE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^/api/spaces/semantic-search$"), "semantic search"),
    (
        re.compile(r"^/api/spaces/[^/]+/[^/]+/(runtime|variables|secrets|pause|restart)$"),
        "Space runtime management",
    ),
    (re.compile(r"^/api/inference-proxy/"), "inference proxy"),
)
#: Endpoints in scope: (pattern on the URL path, type). First match wins.
IN_SCOPE: tuple[tuple[re.Pattern[str], Any], ...] = (
    (re.compile(rf"^/api/datasets/{_REPO}/parquet$"), ParquetFilesBySubset),
    (re.compile(rf"^/api/datasets/{_REPO}/parquet/[^/]+$"), ParquetFilesBySplit),
    (re.compile(rf"^/api/datasets/{_REPO}/parquet/[^/]+/[^/]+$"), ParquetFiles),
    (re.compile(rf"^/api/datasets/{_REPO}/croissant$"), Croissant),
    (re.compile(rf"^/api/models/{_REPO}(?:/revision/.+)?$"), ModelInfo),
    (re.compile(rf"^/api/datasets/{_REPO}(?:/revision/.+)?$"), DatasetInfo),
    (re.compile(rf"^/api/spaces/{_REPO}(?:/revision/.+)?$"), SpaceInfo),
)


def _metas() -> list[Path]:
    if not RECORDINGS.is_dir():
        return []
    return sorted(p for group in GROUPS for p in (RECORDINGS / group).glob("*.meta.json"))


def _classify(meta: dict[str, Any]) -> tuple[Any, str]:
    """Return (type, "") for a recording to check, or (None, why it is skipped)."""
    kind = meta.get("kind")
    if kind not in VALUE_KINDS | KEYS_ONLY_KINDS:
        return None, f"kind {kind!r} is not checked"
    if meta.get("body_format") != "json" or not 200 <= int(meta.get("status", 0)) < 300:
        return None, "not a JSON success body (e.g. a 307 redirect's text)"
    path = unquote(urlsplit(meta["url"]).path)
    for pattern, why in OUT_OF_SCOPE:
        if pattern.search(path):
            return None, f"out of scope: {why}"
    for pattern, tp in IN_SCOPE:
        if pattern.search(path):
            return tp, ""
    raise LookupError(f"no Struct and no out-of-scope rule for {meta['method']} {path}")


def _in_scope() -> list[Path]:
    selected = []
    for meta_path in _metas():
        try:
            tp, _ = _classify(json.loads(meta_path.read_text()))
        except LookupError:
            tp = None
        if tp is not None:
            selected.append(meta_path)
    return selected


def _id(meta_path: Path) -> str:
    return f"{meta_path.parent.name}/{meta_path.name.removesuffix('.meta.json')}"


def unmapped_keys(value: Any, tp: mi.Type, path: str = "$") -> set[str]:
    """Paths (``$.siblings[].blobId``) of keys in ``value`` that no Struct field maps."""
    if isinstance(tp, mi.UnionType):
        for member in tp.types:
            if _same_kind(member, value):
                return unmapped_keys(value, member, path)
        return set()
    if isinstance(tp, mi.StructType) and isinstance(value, dict):
        fields = {f.encode_name: f for f in tp.fields}
        missing: set[str] = set()
        for key, item in value.items():
            field = fields.get(key)
            if field is None:
                missing.add(f"{path}.{key}")
            elif f"{tp.cls.__name__}.{key}" not in EXEMPT_FIELDS:
                missing |= unmapped_keys(item, field.type, f"{path}.{key}")
        return missing
    if isinstance(tp, mi.DictType) and isinstance(value, dict):
        missing = set()
        for item in value.values():
            missing |= unmapped_keys(item, tp.value_type, f"{path}{{}}")
        return missing
    if isinstance(tp, mi.ListType) and isinstance(value, list):
        missing = set()
        for item in value:
            missing |= unmapped_keys(item, tp.item_type, f"{path}[]")
        return missing
    return set()


def _same_kind(tp: mi.Type, value: Any) -> bool:
    if isinstance(value, dict):
        return isinstance(tp, mi.StructType | mi.DictType)
    if isinstance(value, list):
        return isinstance(tp, mi.ListType)
    return False


def test_recordings_folder_exists() -> None:
    assert RECORDINGS.is_dir(), (
        f"Hub recordings not found at {RECORDINGS} (hubapi_async/testing/recordings)"
    )
    assert _metas(), f"no *.meta.json under {RECORDINGS}/{{{','.join(GROUPS)}}}"


def test_every_recording_is_classified() -> None:
    unknown = []
    for meta_path in _metas():
        try:
            _classify(json.loads(meta_path.read_text()))
        except LookupError as exc:
            unknown.append(f"{_id(meta_path)}: {exc}")
    assert not unknown, "add a Struct or an out-of-scope rule for:\n" + "\n".join(unknown)


def test_expected_recordings_are_in_scope() -> None:
    names = {_id(p) for p in _in_scope()}
    assert "models/model_info__gated_manual__meta-llama_Llama-3.1-8B-Instruct" in names
    assert "datasets/parquet__ibm_duorc__config__docs_shape" in names
    assert "spaces/space_revision__expand_xetEnabled" in names
    assert "spaces/semantic_search__hf-mcp-server_fixture" not in names
    assert "models/model_info__redirect_307__bert-base-uncased" not in names


_MISSING_MSG = f"no recording in scope under {RECORDINGS}"


@pytest.mark.parametrize(
    "meta_path",
    [pytest.param(p, id=_id(p)) for p in _in_scope()] or [pytest.param(None, id="missing")],
)
def test_recording_matches_structs(meta_path: Path | None) -> None:
    if meta_path is None:
        pytest.fail(_MISSING_MSG)
    meta = json.loads(meta_path.read_text())
    tp, _ = _classify(meta)
    body = (meta_path.parent / meta["body_file"]).read_bytes()
    if meta["kind"] in VALUE_KINDS:
        try:
            decode_json(body, tp)
        except msgspec.ValidationError as exc:
            pytest.fail(f"{_id(meta_path)} does not decode into {tp}: {exc}")
    missing = unmapped_keys(json.loads(body), mi.type_info(tp))
    assert not missing, f"keys no Struct maps in {_id(meta_path)}:\n" + "\n".join(sorted(missing))


def test_walker_reports_unknown_keys() -> None:
    body = {
        "id": "a/b",
        "brandNew": 1,
        "siblings": [{"rfilename": "x", "sizeOnDisk": 2}],
        "inferenceProviderMapping": {"p": {"status": "live", "extra": True}},
        "cardData": {"anything": {"goes": 1}},
        "transformersInfo": {"unheard_of": 1},
    }
    assert unmapped_keys(body, mi.type_info(ModelInfo)) == {
        "$.brandNew",
        "$.siblings[].sizeOnDisk",
        "$.inferenceProviderMapping{}.extra",
    }
    listing = {"id": "a/b", "inferenceProviderMapping": [{"provider": "p", "extra": 1}]}
    assert unmapped_keys(listing, mi.type_info(ModelInfo)) == {"$.inferenceProviderMapping[].extra"}
