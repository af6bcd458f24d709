"""Generated models: tags, list items, info bodies (keys in the recorded order of
``models/model_info__*.body.json`` and ``models/list_and_info_shape_observations.json``)."""

from __future__ import annotations

from typing import Any, Final

from . import _vocab as V
from ._data import Generated, common_fields, gitaly_uid, iso
from ._serving import provider_mapping

Item = dict[str, Any]


_SIZES: Final = {
    "13b": 13_000_000_000,
    "1b": 1_200_000_000,
    "3b": 3_000_000_000,
    "70b": 70_000_000_000,
    "7b": 7_000_000_000,
    "8b": 8_000_000_000,
    "base": 110_000_000,
    "large": 335_000_000,
    "medium": 350_000_000,
    "mini": 22_000_000,
    "small": 60_000_000,
    "tiny": 4_400_000,
    "xl": 1_500_000_000,
}
_WIDGETS: Final = {
    "text-generation": [{"text": "Once upon a time, in a small village,"}],
    "fill-mask": [{"text": "The capital of France is [MASK]."}],
    "text-classification": [{"text": "I really enjoyed this movie!"}],
    "summarization": [{"text": "The tower is 324 metres tall, as tall as an 81-storey block."}],
    "translation": [{"text": "My name is Sarah and I live in London"}],
    "question-answering": [{"text": "Where do I live?", "context": "I am Sarah; I live in London"}],
}


def model_bits(gen: Generated, idx: int) -> tuple[int, str, str, str, str, str, bool]:
    """``(hash, library, pipeline, license, language, trained-on dataset, safetensors?)``."""
    return _bits_of(gen.h(idx))


def model_params(gen: Generated, idx: int, h: int | None = None) -> int:
    """Parameter count of generated model ``idx``: the size in its name, give or take 2%."""
    params = _SIZES.get(gen.size_word(idx), 100_000_000)
    return params + ((gen.h(idx) if h is None else h) >> 44) % max(1, params // 50)


def model_param_count(gen: Generated, idx: int) -> int:
    """The parameter count the Hub knows (from safetensors or GGUF headers), else 0."""
    h = gen.h(idx)
    _, lib, *_, st = _bits_of(h)
    return model_params(gen, idx, h) if st or lib == "gguf" else 0


def model_main_size(gen: Generated, idx: int) -> int:
    """Bytes on the main branch: the weights (2 bytes a parameter past 1B, else 4)."""
    params = model_params(gen, idx)
    return params * (2 if params > 1_000_000_000 else 4) + (gen.h(idx) & 0xFFFF)


def _bits_of(h: int) -> tuple[int, str, str, str, str, str, bool]:
    lib = V.LIBRARY_TABLE[(h >> 6) & 63]
    if lib == "sentence-transformers":
        pipe = "sentence-similarity"
    elif lib == "diffusers":
        pipe = "text-to-image"
    else:
        pipe = V.PIPELINE_TABLE[h & 63]
    lic = V.LICENSE_TABLE[(h >> 12) & 15]
    lang = V.LANGUAGE_TABLE[(h >> 16) & 15]
    trained = V.TRAINED_ON_TABLE[(h >> 20) & 31]
    st = lib in ("transformers", "sentence-transformers", "diffusers", "mlx") and (h >> 25) & 3 != 0
    return h, lib, pipe, lic, lang, trained, st


def model_tags(gen: Generated, idx: int) -> list[str]:
    """The tags of generated model ``idx``, in the Hub's usual order."""
    return _tags(model_bits(gen, idx), gen.family(idx))


def _tags(bits: tuple[int, str, str, str, str, str, bool], family: str) -> list[str]:
    _, lib, pipe, lic, lang, trained, st = bits
    tags = [lib]
    if st:
        tags.append("safetensors")
    if lib in ("transformers", "sentence-transformers", "mlx", "gguf"):
        tags.append(family)
    tags.append(pipe)
    if lang:
        tags.append(lang)
    if trained:
        tags.append("dataset:" + trained)
    tags.append("license:" + lic)
    if lib == "transformers":
        tags.append("autotrain_compatible")
        if pipe == "text-generation":
            tags.append("text-generation-inference")
    tags += ["endpoints_compatible", "region:us"]
    return tags


def model_list_item(gen: Generated, idx: int) -> Item:
    """The default ``/api/models`` item."""
    b = gen.basics(idx)
    bits = _bits_of(b.h)
    return {
        "_id": f"{b.created:08x}{b.h:016x}",
        "id": b.id,
        "likes": b.likes,
        "trendingScore": b.trending,
        "private": b.private,
        "downloads": b.downloads,
        "tags": _tags(bits, b.family),
        "pipeline_tag": bits[2],
        "library_name": bits[1],
        "createdAt": iso(b.created),
        "modelId": b.id,
    }


def _model_siblings(lib: str, name: str, st: bool, pipe: str) -> list[dict[str, str]]:
    files = [".gitattributes", "README.md"]
    weights = "model.safetensors" if st else "pytorch_model.bin"
    if lib in ("transformers", "mlx", "timm", "onnx"):
        files += ["config.json", weights if lib != "onnx" else "model.onnx"]
        if lib in ("transformers", "mlx"):
            files += ["special_tokens_map.json", "tokenizer.json", "tokenizer_config.json"]
        if pipe == "text-generation":
            files.append("generation_config.json")
    elif lib == "sentence-transformers":
        files += [
            "1_Pooling/config.json",
            "config.json",
            "modules.json",
            weights,
            "sentence_bert_config.json",
            "tokenizer.json",
            "tokenizer_config.json",
        ]
    elif lib == "diffusers":
        files += [
            "model_index.json",
            "scheduler/scheduler_config.json",
            "text_encoder/model.safetensors",
            "unet/diffusion_pytorch_model.safetensors",
            "vae/diffusion_pytorch_model.safetensors",
        ]
    elif lib == "gguf":
        files += [f"{name}.Q4_K_M.gguf", f"{name}.Q8_0.gguf"]
    elif lib == "peft":
        files += ["adapter_config.json", "adapter_model.safetensors"]
    return [{"rfilename": f} for f in sorted(files)]


def model_info(gen: Generated, idx: int) -> Item:
    """The full ``/api/models/{id}`` body, keys in the recorded order."""
    h, lib, pipe, lic, lang, trained, st = model_bits(gen, idx)
    c = common_fields(gen, idx)
    family = gen.family(idx)
    item: Item = {
        "_id": c["_id"],
        "id": c["id"],
        "private": c["private"],
        "pipeline_tag": pipe,
        "library_name": lib,
        "tags": model_tags(gen, idx),
        "downloads": c["downloads"],
        "likes": c["likes"],
        "modelId": c["id"],
        "author": c["author"],
        "sha": c["sha"],
        "lastModified": c["lastModified"],
        "gated": c["gated"],
    }
    if (h >> 40) & 7 == 0:
        item["inference"] = "warm"
    item["disabled"] = False
    if pipe == "fill-mask":
        item["mask_token"] = "[MASK]"
    if pipe in _WIDGETS:
        item["widgetData"] = _WIDGETS[pipe]
    item["model-index"] = None
    auto = V.PIPELINES[pipe][2]
    if lib in ("transformers", "sentence-transformers"):
        arch = family.capitalize() + (auto[len("AutoModel") :] if auto else "Model")
        item["config"] = {"architectures": [arch], "model_type": family, "tokenizer_config": {}}
    card: Item = {}
    if lang:
        card["language"] = lang
    card["license"] = lic
    card["library_name"] = lib
    if trained:
        card["datasets"] = [trained]
    card["pipeline_tag"] = pipe
    item["cardData"] = card
    if lib == "transformers" and auto:
        item["transformersInfo"] = {
            "auto_model": auto,
            "pipeline_tag": pipe,
            "processor": "AutoTokenizer",
        }
    item["siblings"] = _model_siblings(lib, c["id"].split("/")[1], st, pipe)
    item["spaces"] = gen.links.spaces_using("model", idx) if gen.links else []
    item["createdAt"] = c["createdAt"]
    params = model_params(gen, idx, h)
    if st:
        dtype = "BF16" if params > 1_000_000_000 else "F32"
        item["safetensors"] = {"parameters": {dtype: params}, "total": params}
    item["usedStorage"] = params * (2 if params > 1_000_000_000 else 4) + (h & 0xFFFFF)
    return item


def model_expanded(gen: Generated, idx: int) -> Item:
    """Every field ``expand=`` may ask for (info plus the expand-only ones)."""
    item = model_info(gen, idx)
    h = gen.h(idx)
    item["trendingScore"] = gen.field("trendingScore", idx)
    item["downloadsAllTime"] = int(item["downloads"]) * (3 + (h >> 50) % 7)
    item["childrenModelCount"] = (h >> 53) % 12
    item["xetEnabled"] = bool((h >> 57) & 1)
    item["gitalyUid"] = gitaly_uid(h)
    if item["library_name"] == "gguf":
        item["gguf"] = {
            "total": model_params(gen, idx),
            "architecture": gen.family(idx),
            "context_length": (4096, 8192, 32768, 131072)[(h >> 58) & 3],
        }
    if item.get("inference") == "warm":
        item["inferenceProviderMapping"] = provider_mapping(item["id"], item["pipeline_tag"], h)
    return item
