"""Word lists the generated repos are drawn from.

Pure data. Every list that feeds a repo name is sorted and made of ``[a-z0-9]`` words only,
so that ``f"{a}-{b}-{c}"`` sorts like the tuple ``(a, b, c)`` (``-`` sorts before every
letter and digit); that is what keeps generated ids in index order.
"""

from __future__ import annotations

from typing import Final

# (author, weight). Weights are relative shares of the generated repos of each kind.
AUTHORS: Final[tuple[tuple[str, int], ...]] = (
    ("google", 10),
    ("facebook", 8),
    ("microsoft", 8),
    ("meta-llama", 3),
    ("mistralai", 3),
    ("Qwen", 5),
    ("nvidia", 4),
    ("openai", 2),
    ("stabilityai", 3),
    ("bigscience", 2),
    ("EleutherAI", 3),
    ("allenai", 4),
    ("HuggingFaceH4", 2),
    ("huggingface", 3),
    ("intfloat", 2),
    ("BAAI", 3),
    ("deepseek-ai", 2),
    ("TheBloke", 8),
    ("unsloth", 5),
    ("mlx-community", 6),
    ("bartowski", 5),
    ("sentence-transformers", 3),
    ("tiiuae", 1),
    ("Salesforce", 3),
    ("demo", 4),
    ("demo-org", 4),
    ("alice", 2),
    ("bob", 2),
)

# The user every configured token authenticates as, and the organisations it administers.
DEMO_USER: Final = "demo"
DEMO_ORGS: Final[tuple[str, ...]] = ("demo-org",)
PRIVATE_OWNERS: Final[frozenset[str]] = frozenset({DEMO_USER, *DEMO_ORGS})

MODEL_NAME_PARTS: Final[tuple[tuple[str, ...], ...]] = (
    (
        "albert", "bart", "bert", "bloom", "clip", "deberta", "distilbert", "electra",
        "falcon", "gemma", "gpt2", "llama", "mistral", "mixtral", "phi", "qwen2",
        "roberta", "t5", "vit", "wav2vec2", "whisper", "yolos",
    ),
    (
        "13b", "1b", "3b", "70b", "7b", "8b", "base", "large", "medium", "mini", "small",
        "tiny", "xl",
    ),
    (
        "awq", "chat", "distilled", "dpo", "finetuned", "gguf", "imdb", "instruct", "it",
        "lora", "ner", "onnx", "sentiment", "sft", "squad", "v2",
    ),
)  # fmt: skip

DATASET_NAME_PARTS: Final[tuple[tuple[str, ...], ...]] = (
    (
        "arxiv", "books", "code", "dialogue", "finance", "legal", "medical", "news",
        "poems", "recipes", "reviews", "science", "tweets", "wiki",
    ),
    (
        "captions", "classification", "corpus", "instructions", "ner", "pairs",
        "preferences", "qa", "summarization", "translation",
    ),
    ("clean", "en", "filtered", "large", "mini", "multilingual", "raw", "small", "v1", "v2"),
)  # fmt: skip

SPACE_NAME_PARTS: Final[tuple[tuple[str, ...], ...]] = (
    (
        "audio", "chat", "code", "image", "llm", "music", "ocr", "pdf", "speech", "text",
        "video", "vision",
    ),
    (
        "arena", "assistant", "demo", "explorer", "generator", "leaderboard", "playground",
        "studio", "viewer",
    ),
    ("app", "beta", "gpu", "lite", "live", "pro", "v1", "v2"),
)  # fmt: skip

# pipeline tag -> (label, subType, transformers auto class or None)
PIPELINES: Final[dict[str, tuple[str, str, str | None]]] = {
    "text-generation": ("Text Generation", "nlp", "AutoModelForCausalLM"),
    "text-classification": ("Text Classification", "nlp", "AutoModelForSequenceClassification"),
    "fill-mask": ("Fill-Mask", "nlp", "AutoModelForMaskedLM"),
    "token-classification": ("Token Classification", "nlp", "AutoModelForTokenClassification"),
    "question-answering": ("Question Answering", "nlp", "AutoModelForQuestionAnswering"),
    "summarization": ("Summarization", "nlp", "AutoModelForSeq2SeqLM"),
    "translation": ("Translation", "nlp", "AutoModelForSeq2SeqLM"),
    "feature-extraction": ("Feature Extraction", "multimodal", "AutoModel"),
    "sentence-similarity": ("Sentence Similarity", "nlp", "AutoModel"),
    "zero-shot-classification": (
        "Zero-Shot Classification",
        "nlp",
        "AutoModelForSequenceClassification",
    ),
    "image-classification": ("Image Classification", "cv", "AutoModelForImageClassification"),
    "object-detection": ("Object Detection", "cv", "AutoModelForObjectDetection"),
    "image-text-to-text": ("Image-Text-to-Text", "multimodal", "AutoModelForImageTextToText"),
    "text-to-image": ("Text-to-Image", "multimodal", None),
    "automatic-speech-recognition": (
        "Automatic Speech Recognition",
        "audio",
        "AutoModelForSpeechSeq2Seq",
    ),
    "text-to-speech": ("Text-to-Speech", "audio", None),
}
# 64-slot weighted tables: an item picks slot ``bits % 64``.
PIPELINE_TABLE: Final[tuple[str, ...]] = (
    ("text-generation",) * 16
    + ("text-classification",) * 8
    + ("fill-mask",) * 4
    + ("token-classification",) * 3
    + ("question-answering",) * 3
    + ("summarization",) * 2
    + ("translation",) * 2
    + ("feature-extraction",) * 4
    + ("sentence-similarity",) * 4
    + ("zero-shot-classification",) * 1
    + ("image-classification",) * 4
    + ("object-detection",) * 2
    + ("image-text-to-text",) * 4
    + ("text-to-image",) * 3
    + ("automatic-speech-recognition",) * 3
    + ("text-to-speech",) * 1
)

# library tag -> label
LIBRARIES: Final[dict[str, str]] = {
    "transformers": "Transformers",
    "sentence-transformers": "sentence-transformers",
    "diffusers": "Diffusers",
    "gguf": "GGUF",
    "mlx": "MLX",
    "peft": "PEFT",
    "timm": "timm",
    "onnx": "ONNX",
}
LIBRARY_TABLE: Final[tuple[str, ...]] = (
    ("transformers",) * 40
    + ("sentence-transformers",) * 5
    + ("diffusers",) * 4
    + ("gguf",) * 6
    + ("mlx",) * 3
    + ("peft",) * 3
    + ("timm",) * 2
    + ("onnx",) * 1
)

LICENSES: Final[dict[str, str]] = {
    "apache-2.0": "apache-2.0",
    "mit": "mit",
    "cc-by-4.0": "cc-by-4.0",
    "cc-by-sa-4.0": "cc-by-sa-4.0",
    "cc-by-nc-4.0": "cc-by-nc-4.0",
    "llama3.1": "llama3.1",
    "gemma": "gemma",
    "openrail": "openrail",
    "other": "other",
}
LICENSE_TABLE: Final[tuple[str, ...]] = (
    ("apache-2.0",) * 6
    + ("mit",) * 3
    + ("cc-by-4.0",) * 2
    + ("cc-by-sa-4.0",) * 1
    + ("cc-by-nc-4.0",) * 1
    + ("llama3.1",) * 1
    + ("openrail",) * 1
    + ("other",) * 1
)  # 16 slots

LANGUAGES: Final[dict[str, str]] = {
    "en": "English",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "zh": "Chinese",
    "ja": "Japanese",
    "ar": "Arabic",
    "hi": "Hindi",
    "multilingual": "Multilingual",
}
# 16 slots; "" means no language tag.
LANGUAGE_TABLE: Final[tuple[str, ...]] = (
    ("en",) * 7 + ("fr", "de", "es", "zh", "ja", "ar", "hi", "multilingual") + ("",)
)

# Datasets that models say they were trained on (``dataset:<id>`` tags). 32 slots, mostly none.
TRAINED_ON_TABLE: Final[tuple[str, ...]] = (
    "squad", "imdb", "glue", "wikipedia", "bookcorpus", "c4", "common_voice", "imagenet-1k",
) + ("",) * 24  # fmt: skip

DATASET_TASKS: Final[dict[str, str]] = {
    "text-classification": "Text Classification",
    "question-answering": "Question Answering",
    "summarization": "Summarization",
    "translation": "Translation",
    "text-generation": "Text Generation",
    "token-classification": "Token Classification",
    "image-classification": "Image Classification",
    "automatic-speech-recognition": "Automatic Speech Recognition",
}
DATASET_TASK_TABLE: Final[tuple[str, ...]] = (
    ("text-classification",) * 4
    + ("question-answering",) * 3
    + ("summarization",) * 2
    + ("translation",) * 1
    + ("text-generation",) * 3
    + ("token-classification",) * 1
    + ("image-classification",) * 1
    + ("automatic-speech-recognition",) * 1
)  # 16 slots
DATASET_MODALITY: Final[dict[str, str]] = {
    "image-classification": "image",
    "automatic-speech-recognition": "audio",
}
SIZE_CATEGORIES: Final[tuple[str, ...]] = (
    "n<1K", "1K<n<10K", "10K<n<100K", "100K<n<1M", "1M<n<10M", "10M<n<100M", "100M<n<1B",
    "1K<n<10K",
)  # fmt: skip
#: Row-count bounds of each size category.
SIZE_BOUNDS: Final[dict[str, tuple[int, int]]] = {
    "n<1K": (12, 1_000),
    "1K<n<10K": (1_000, 10_000),
    "10K<n<100K": (10_000, 100_000),
    "100K<n<1M": (100_000, 1_000_000),
    "1M<n<10M": (1_000_000, 10_000_000),
    "10M<n<100M": (10_000_000, 100_000_000),
    "100M<n<1B": (100_000_000, 1_000_000_000),
}
#: ``task_ids`` tags that go with a task category (the first of a category's ids is the
#: most common).
DATASET_TASK_IDS: Final[dict[str, tuple[str, ...]]] = {
    "text-classification": (
        "sentiment-classification", "topic-classification", "multi-class-classification",
    ),
    "question-answering": ("extractive-qa", "open-domain-qa"),
    "summarization": ("news-articles-summarization",),
    "text-generation": ("language-modeling",),
    "token-classification": ("named-entity-recognition", "part-of-speech"),
    "image-classification": ("multi-class-image-classification",),
}  # fmt: skip
LANGUAGE_CREATORS: Final[tuple[str, ...]] = (
    "found", "found", "crowdsourced", "expert-generated", "machine-generated",
    "found", "crowdsourced", "found",
)  # fmt: skip
DATASET_FORMATS: Final[tuple[str, ...]] = ("parquet", "json", "csv", "parquet")

SPACE_SDKS: Final[tuple[str, ...]] = (
    ("gradio",) * 10 + ("streamlit",) * 2 + ("docker",) * 3 + ("static",)
)
SPACE_HARDWARE: Final[tuple[str, ...]] = ("cpu-basic",) * 5 + (
    "zero-a10g",
    "t4-small",
    "a10g-small",
)
SPACE_STAGES: Final[tuple[str, ...]] = ("RUNNING",) * 5 + ("SLEEPING", "PAUSED", "BUILDING")
SPACE_COLORS: Final[tuple[str, ...]] = (
    "red", "yellow", "green", "blue", "indigo", "purple", "pink", "gray",
)  # fmt: skip
SPACE_EMOJIS: Final[tuple[str, ...]] = ("🚀", "🤗", "🔥", "🎨", "🦀", "💬", "📊", "🎵")

SUBSET_NAMES: Final[tuple[str, ...]] = (
    "default",
    "en",
    "fr",
    "de",
    "plain_text",
    "all",
    "zh",
    "es",
)
SPLIT_NAMES: Final[tuple[str, ...]] = ("train", "test", "validation")
