"""Where models run: Inference Providers that serve them and local apps that load them.

The provider mapping has the shape of the recordings
``models/model_info__expand_inferenceProviderMapping__*`` (an object keyed by provider on
info, a list of entries carrying ``provider`` on listings, as the official clients read
it). Local app ids are those of huggingface.js' ``local-apps`` table; which models an app
lists follows the same rules (GGUF for llama.cpp and its kin, MLX for mlx-lm, text
generation with transformers for vLLM and TGI, text-to-image diffusers for Draw Things).
Every function works on plain values, so generated and stored repos share them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from ._data import mix64

Mapping_ = dict[str, dict[str, str]]

#: Providers that serve each task, most common first.
PROVIDERS: Final[Mapping[str, tuple[str, ...]]] = {
    "conversational": (
        "together", "fireworks-ai", "nebius", "novita", "hf-inference", "sambanova", "groq",
        "cerebras", "hyperbolic", "featherless-ai", "nscale", "scaleway",
    ),
    "text-to-image": ("fal-ai", "replicate", "together", "nebius", "hf-inference", "wavespeed"),
    "automatic-speech-recognition": ("fal-ai", "hf-inference"),
    "text-to-speech": ("fal-ai", "replicate"),
}  # fmt: skip
_CHAT_TASKS: Final = frozenset({"text-generation", "image-text-to-text"})
#: Every provider name the local Hub knows.
ALL_PROVIDERS: Final = frozenset(p for names in PROVIDERS.values() for p in names)

_GGUF_APPS: Final = frozenset(
    {
        "llama.cpp", "node-llama-cpp", "lmstudio", "localai", "jan", "ollama", "msty",
        "backyard", "jellybox", "docker-model-runner", "lemonade",
    }
)  # fmt: skip
#: Every local app id the local Hub knows.
ALL_APPS: Final = _GGUF_APPS | {"mlx-lm", "vllm", "tgi", "drawthings", "diffusionbee"}


def task_of(pipeline: str | None) -> str:
    """The provider task of a pipeline (chat models are served as ``conversational``)."""
    if pipeline in _CHAT_TASKS:
        return "conversational"
    return pipeline or "text-generation"


def _provider_id(provider: str, repo_id: str) -> str:
    name = repo_id.rsplit("/", 1)[-1]
    if provider == "fireworks-ai":
        return f"accounts/fireworks/models/{name.lower().replace('.', 'p')}"
    if provider == "fal-ai":
        return f"fal-ai/{name.lower()}"
    if provider in ("sambanova", "cerebras", "groq"):
        return name.lower()
    return repo_id if provider in ("hf-inference", "together", "replicate") else repo_id.lower()


def providers_of(pipeline: str | None, h: int) -> list[tuple[str, str]]:
    """``(provider, status)`` of a warm model: 1 to 3 providers, the first one live."""
    pool = PROVIDERS.get(task_of(pipeline), ("hf-inference",))
    bits = mix64(h ^ 0x1F)
    count = min(len(pool), 1 + (bits & 3) % 3)
    start = (bits >> 8) % ((len(pool) + 1) // 2)  # popular providers serve more models
    return [
        (pool[(start + k) % len(pool)], "live" if k == 0 or (bits >> (40 + k)) & 3 else "staging")
        for k in range(count)
    ]


def provider_mapping(repo_id: str, pipeline: str | None, h: int) -> Mapping_:
    """The info form of a warm model's mapping."""
    task = task_of(pipeline)
    return {
        name: {"status": status, "providerId": _provider_id(name, repo_id), "task": task}
        for name, status in providers_of(pipeline, h)
    }


def mapping_entries(mapping: Any) -> list[dict[str, Any]]:
    """The listing form (``[{"provider": ..., ...}]``) of a mapping in either form."""
    if isinstance(mapping, list):
        return [dict(e) for e in mapping if isinstance(e, dict)]
    if isinstance(mapping, dict):
        return [{"provider": k, **v} for k, v in mapping.items() if isinstance(v, dict)]
    return []


def live_providers(mapping: Any) -> frozenset[str]:
    """Providers of a mapping (either form) whose status is ``live``."""
    return frozenset(
        str(e.get("provider"))
        for e in mapping_entries(mapping)
        if e.get("status") == "live" and e.get("provider")
    )


def apps_for(library: str | None, pipeline: str | None, tags: Sequence[str]) -> frozenset[str]:
    """The local apps that can run a model of this library, pipeline and tags."""
    apps: set[str] = set()
    if library == "gguf" or "gguf" in tags:
        apps |= _GGUF_APPS
    if library == "mlx" or "mlx" in tags:
        apps.add("lmstudio")
        if pipeline == "text-generation":
            apps.add("mlx-lm")
    if library == "transformers" and pipeline in _CHAT_TASKS:
        apps.add("vllm")
        if "text-generation-inference" in tags:
            apps.add("tgi")
    if library == "diffusers" and pipeline == "text-to-image":
        apps |= {"drawthings", "diffusionbee"}
    return frozenset(apps)


def split_values(values: Iterable[str]) -> tuple[str, ...]:
    """Values sent repeated (``a=x&a=y``, the Python client) or joined (``a=x,y``, the JS
    client), as one sorted tuple without blanks or duplicates."""
    return tuple(sorted({v.strip() for raw in values for v in raw.split(",") if v.strip()}))
