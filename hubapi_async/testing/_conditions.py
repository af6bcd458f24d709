"""Listing filters: one :class:`Condition` per filter, tested on generated and stored repos.

A condition is hashable, so the store can keep the members of the first one as an index
(see ``RepoStore._source``). Generated repos are tested on their hash bits where they can
be (tags, gating, serving, parameter counts, Space links); stored repos on their bodies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import _vocab as V
from ._data import Generated
from ._gen_models import model_bits, model_param_count
from ._serving import apps_for, live_providers, providers_of

if TYPE_CHECKING:
    from ._curated import Curated
    from ._kinds import KindSpec

Test = Callable[[int], bool]


@dataclass(frozen=True)
class Condition:
    """One filter of a listing.

    ``field`` is what is tested: ``tag`` (a tag, ``value`` is the tag), ``gated`` (a bool),
    ``apps`` and ``providers`` (tuples matched when any value applies; ``("all",)`` for
    providers means any live provider), ``inference`` (``"warm"``), ``params`` (an
    inclusive ``(low, high)`` parameter-count range), ``models``/``datasets`` (tuples of ids
    a Space must use one of) and ``linked`` (a Space uses some model or dataset).
    """

    field: str
    value: Any


def _model_apps(gen: Generated, apps: frozenset[str]) -> Test:
    """Apps follow a model's library and pipeline: the matching pairs are known up front."""
    pairs = set()
    for lib in V.LIBRARIES:
        for pipe in V.PIPELINES:
            tgi = lib == "transformers" and pipe == "text-generation"
            if apps_for(lib, pipe, ("text-generation-inference",) if tgi else ()) & apps:
                pairs.add((lib, pipe))
    if not pairs:
        return lambda i: False
    return lambda i: model_bits(gen, i)[1:3] in pairs


def _model_providers(gen: Generated, wanted: frozenset[str]) -> Test:
    every = "all" in wanted

    def test(i: int) -> bool:
        h = gen.h(i)
        if (h >> 40) & 7:  # not warm: served by no provider
            return False
        pipe = model_bits(gen, i)[2]
        live = {name for name, status in providers_of(pipe, h) if status == "live"}
        return bool(live) if every else bool(live & wanted)

    return test


def _model_params(gen: Generated, low: int, high: int) -> Test:
    def test(i: int) -> bool:
        count = model_param_count(gen, i)
        return count > 0 and low <= count <= high

    return test


def _space_uses(gen: Generated, kind: str, ids: frozenset[str] | None) -> Test:
    links = gen.links
    if links is None:
        return lambda i: False
    if ids is None:
        return lambda i: bool(links.used_by_space("model", i) or links.used_by_space("dataset", i))
    return lambda i: bool(ids.intersection(links.used_by_space(kind, i)))


def generated_test(spec: KindSpec, gen: Generated, cond: Condition) -> Test:
    """A membership test of ``cond`` on the generated repos of ``spec``'s kind."""
    field, value = cond.field, cond.value
    if field == "tag":
        return spec.tag_predicate(gen, value)
    if field == "gated":
        return lambda i: bool(gen.gated(i)) == value
    if field == "inference":
        return lambda i: (gen.h(i) >> 40) & 7 == 0
    if field == "apps":
        return _model_apps(gen, frozenset(value))
    if field == "providers":
        return _model_providers(gen, frozenset(value))
    if field == "params":
        return _model_params(gen, *value)
    if field in ("models", "datasets"):
        return _space_uses(gen, field[:-1], frozenset(value))
    if field == "linked":
        return _space_uses(gen, "", None)
    raise ValueError(f"unknown condition {field!r}")


def param_count(body: Mapping[str, Any]) -> int:
    """The parameter count in an info body (safetensors, else GGUF), or 0."""
    for key in ("safetensors", "gguf"):
        part = body.get(key)
        if isinstance(part, dict) and isinstance(part.get("total"), int):
            return int(part["total"])
    return 0


def stored_test(cond: Condition, repo: Curated) -> bool:
    """Whether the stored repo ``repo`` passes ``cond``."""
    field, value, info = cond.field, cond.value, repo.info
    if field == "tag":
        return bool(value in info.get("tags", ()))
    if field == "gated":
        return bool(info.get("gated")) is bool(value)
    body = repo.expanded()
    if field == "inference":
        return bool(body.get("inference") == "warm")
    if field == "apps":
        tags = body.get("tags") or ()
        return bool(apps_for(body.get("library_name"), body.get("pipeline_tag"), tags) & set(value))
    if field == "providers":
        live = live_providers(body.get("inferenceProviderMapping"))
        return bool(live) if "all" in value else bool(live & set(value))
    if field == "params":
        count = param_count(body)
        return count > 0 and value[0] <= count <= value[1]
    if field in ("models", "datasets"):
        return bool(set(value).intersection(body.get(field) or ()))
    if field == "linked":
        return bool(body.get("models") or body.get("datasets"))
    raise ValueError(f"unknown condition {field!r}")
