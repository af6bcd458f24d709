"""``/api/models-tags-by-type`` and ``/api/datasets-tags-by-type`` bodies: every tag the
generator emits, in the shape of ``openapi/stainless_derived_schema_notes.json``
(``{type: [{id, label, type[, subType]}]}``)."""

from __future__ import annotations

from . import _vocab as V

TagsByType = dict[str, list[dict[str, str]]]


def model_tags_by_type() -> TagsByType:
    """The models' tags by type."""
    return {
        "pipeline_tag": [
            {"id": p, "label": label, "type": "pipeline_tag", "subType": sub}
            for p, (label, sub, _) in V.PIPELINES.items()
        ],
        "library": [{"id": k, "label": v, "type": "library"} for k, v in V.LIBRARIES.items()]
        + [{"id": "safetensors", "label": "Safetensors", "type": "library"}],
        "dataset": [
            {"id": f"dataset:{d}", "label": d, "type": "dataset"} for d in V.TRAINED_ON_TABLE if d
        ],
        "language": [{"id": k, "label": v, "type": "language"} for k, v in V.LANGUAGES.items()],
        "license": [
            {"id": f"license:{k}", "label": v, "type": "license"} for k, v in V.LICENSES.items()
        ],
        "other": [
            {"id": t, "label": t, "type": "other"}
            for t in (
                "autotrain_compatible",
                "endpoints_compatible",
                "text-generation-inference",
            )
        ],
        "region": [{"id": "region:us", "label": "🇺🇸 Region: US", "type": "region"}],
    }


def dataset_tags_by_type() -> TagsByType:
    """The datasets' tags by type."""
    return {
        "task_categories": [
            {"id": f"task_categories:{k}", "label": v, "type": "task_categories"}
            for k, v in V.DATASET_TASKS.items()
        ],
        "language": [
            {"id": f"language:{k}", "label": v, "type": "language"} for k, v in V.LANGUAGES.items()
        ],
        "license": [
            {"id": f"license:{k}", "label": v, "type": "license"} for k, v in V.LICENSES.items()
        ],
        "size_categories": [
            {"id": f"size_categories:{s}", "label": s, "type": "size_categories"}
            for s in dict.fromkeys(V.SIZE_CATEGORIES)
        ],
        "format": [
            {"id": f"format:{f}", "label": f, "type": "format"}
            for f in dict.fromkeys(V.DATASET_FORMATS)
        ],
        "modality": [
            {"id": f"modality:{m}", "label": m.title(), "type": "modality"}
            for m in ("text", "image", "audio")
        ],
        "library": [
            {"id": f"library:{lib}", "label": lib, "type": "library"}
            for lib in ("datasets", "pandas", "mlcroissant")
        ],
        "region": [{"id": "region:us", "label": "🇺🇸 Region: US", "type": "region"}],
    }
