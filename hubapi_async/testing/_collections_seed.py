"""What the local Hub's collections start with: papers, curated collections, generated ones.

Pure data and deterministic builders. Curated collections point at the recorded repos
(``_curated``) and at real papers; generated ones at the generated repos of their owner, so
they exist whatever the repo counts (a missing repo is simply left out).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from ._data import mix64
from ._store import RepoStore

#: Colour themes the Hub knows (huggingface.js ``ApiCollectionInfo.theme``).
THEMES: Final = ("orange", "blue", "green", "purple", "pink", "indigo")

#: Papers collections may hold: arXiv id → (title, publication date).
PAPERS: Final[Mapping[str, tuple[str, str]]] = {
    "1706.03762": ("Attention Is All You Need", "2017-06-12T17:57:34.000Z"),
    "1810.04805": (
        "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
        "2018-10-11T00:50:01.000Z",
    ),
    "1908.10084": (
        "Sentence-BERT: Sentence Embeddings using Siamese BERT-Networks",
        "2019-08-27T08:50:17.000Z",
    ),
    "2005.14165": ("Language Models are Few-Shot Learners", "2020-05-28T17:29:03.000Z"),
    "2106.09685": (
        "LoRA: Low-Rank Adaptation of Large Language Models",
        "2021-06-17T17:37:18.000Z",
    ),
    "2307.09288": (
        "Llama 2: Open Foundation and Fine-Tuned Chat Models",
        "2023-07-18T14:31:57.000Z",
    ),
    "2311.12983": ("GAIA: a benchmark for General AI Assistants", "2023-11-21T20:34:47.000Z"),
    "2403.08295": (
        "Gemma: Open Models Based on Gemini Research and Technology",
        "2024-03-13T14:08:16.000Z",
    ),
    "2510.04871": (
        "Less is More: Recursive Reasoning with Tiny Networks",
        "2025-10-06T14:58:08.000Z",
    ),
}

#: Display names of namespaces that are not seeded accounts.
FULLNAMES: Final[Mapping[str, str]] = {
    "google": "Google",
    "meta-llama": "Meta Llama",
    "sentence-transformers": "Sentence Transformers",
    "black-forest-labs": "Black Forest Labs",
    "huggingface": "Hugging Face",
    "TheBloke": "Tom Jobbins",
    "Qwen": "Qwen",
    "mistralai": "Mistral AI",
    "microsoft": "Microsoft",
    "facebook": "AI at Meta",
    "unsloth": "Unsloth AI",
    "nvidia": "NVIDIA",
}
#: Namespaces above that are users rather than organizations.
USER_NAMESPACES: Final = frozenset({"TheBloke"})

SeedItem = tuple[str, str, str | None]  # (type, id, note)


@dataclass(frozen=True)
class SeedCollection:
    """One collection to create at start-up."""

    namespace: str
    title: str
    description: str | None
    theme: str
    private: bool
    items: tuple[SeedItem, ...]


def _c(
    namespace: str,
    title: str,
    description: str | None,
    theme: str,
    items: tuple[SeedItem, ...],
    *,
    private: bool = False,
) -> SeedCollection:
    return SeedCollection(namespace, title, description, theme, private, items)


#: Collections with hand-picked items (recorded repos, real papers).
CURATED: Final[tuple[SeedCollection, ...]] = (
    _c(
        "demo",
        "Favourite models",
        "Models I keep coming back to.",
        "blue",
        (
            ("model", "google-bert/bert-base-uncased", "The one that started it all."),
            ("model", "openai-community/gpt2", None),
            ("model", "facebook/bart-base", None),
            ("model", "sentence-transformers/all-MiniLM-L6-v2", "Fast sentence embeddings."),
            ("dataset", "ibm/duorc", None),
            ("paper", "1706.03762", None),
            ("space", "user/tmp_test_space", None),
        ),
    ),
    _c(
        "demo",
        "Reading list",
        "Papers to read this month.",
        "green",
        (
            ("paper", "2106.09685", None),
            ("paper", "2307.09288", "Read section 3 first."),
            ("paper", "2510.04871", None),
        ),
        private=True,
    ),
    _c(
        "alice",
        "Vision and diffusion",
        "Image generation models and demos.",
        "purple",
        (
            ("model", "black-forest-labs/FLUX.1-dev", None),
            ("dataset", "Bryceee/MM-Oral", "Multimodal, oral health."),
        ),
    ),
    _c(
        "alice",
        "Drafts",
        "Not ready to share.",
        "orange",
        (("model", "meta-llama/Llama-3.1-8B-Instruct", None),),
        private=True,
    ),
    _c(
        "bob",
        "Datasets to try",
        "Question answering datasets.",
        "indigo",
        (("dataset", "ibm/duorc", None), ("paper", "2311.12983", None)),
    ),
    _c(
        "demo-org",
        "Team picks",
        "What the team uses in production.",
        "pink",
        (
            ("model", "meta-llama/Llama-3.1-8B-Instruct", None),
            ("model", "sentence-transformers/all-MiniLM-L6-v2", None),
            ("model", "google-bert/bert-base-uncased", None),
            ("dataset", "ibm/duorc", None),
            ("paper", "1810.04805", None),
            ("paper", "1908.10084", None),
        ),
    ),
    _c(
        "demo-org",
        "Internal benchmarks",
        "Private evaluation sets of the team.",
        "green",
        (("dataset", "Bryceee/MM-Oral", None), ("paper", "2311.12983", None)),
        private=True,
    ),
    _c(
        "alice-lab",
        "Lab releases",
        "Everything the lab published.",
        "blue",
        (("model", "facebook/bart-base", None), ("paper", "2005.14165", None)),
    ),
    _c(
        "meta-llama",
        "Llama 3.1",
        "The Llama 3.1 models.",
        "indigo",
        (
            ("model", "meta-llama/Llama-3.1-8B-Instruct", None),
            ("paper", "2307.09288", "The Llama 2 paper."),
        ),
    ),
    _c(
        "sentence-transformers",
        "Sentence embeddings",
        "Models for semantic search and clustering.",
        "orange",
        (
            ("model", "sentence-transformers/all-MiniLM-L6-v2", None),
            ("paper", "1908.10084", None),
        ),
    ),
    _c(
        "black-forest-labs",
        "FLUX.1",
        "Text-to-image models.",
        "purple",
        (("model", "black-forest-labs/FLUX.1-dev", None),),
    ),
    _c(
        "huggingface",
        "Papers of the week",
        "Papers the community upvoted most.",
        "pink",
        (
            ("paper", "2510.04871", None),
            ("paper", "2403.08295", None),
            ("paper", "2311.12983", None),
            ("paper", "2106.09685", None),
            ("paper", "1706.03762", None),
        ),
    ),
    _c(
        "google",
        "Gemma release",
        "Open models from Google.",
        "blue",
        (("paper", "2403.08295", None), ("model", "google-bert/bert-base-uncased", None)),
    ),
)

#: Owners of generated collections and how many each gets.
GENERATED_OWNERS: Final[tuple[tuple[str, int], ...]] = (
    ("google", 4),
    ("facebook", 3),
    ("microsoft", 3),
    ("Qwen", 3),
    ("TheBloke", 4),
    ("mistralai", 2),
    ("nvidia", 2),
    ("unsloth", 2),
    ("demo", 2),
    ("demo-org", 3),
    ("alice", 2),
)
_TOPICS: Final = (
    "Recent models",
    "Quantized",
    "Fine-tunes",
    "Instruction models",
    "Small models",
    "Evaluation",
    "Multilingual",
    "Long context",
)
_KINDS: Final = ("model", "dataset", "space")


def generated(stores: Mapping[str, RepoStore], seed: int) -> list[SeedCollection]:
    """Collections of generated repos: a few per owner, 2 to 9 items each."""
    out: list[SeedCollection] = []
    for owner, count in GENERATED_OWNERS:
        for k in range(count):
            h = mix64(seed ^ mix64(hash_text(f"{owner}:{k}")))
            items: list[SeedItem] = []
            wanted = 2 + h % 8
            for slot in range(wanted * 3):
                if len(items) >= wanted:
                    break
                kind = _KINDS[(h >> (slot % 40)) % 3] if slot else "model"
                repo = _generated_repo(stores[kind], owner, mix64(h + slot))
                if repo is not None and (kind, repo, None) not in items:
                    items.append((kind, repo, None))
            if h % 5 == 0:
                paper = sorted(PAPERS)[h % len(PAPERS)]
                items.append(("paper", paper, None))
            title = f"{_TOPICS[(h >> 8) % len(_TOPICS)]} {k + 1}"
            description = f"{title} by {FULLNAMES.get(owner, owner)}."
            theme = THEMES[(h >> 16) % len(THEMES)]
            out.append(_c(owner, title, description, theme, tuple(items), private=h % 7 == 0))
    return out


def _generated_repo(store: RepoStore, owner: str, h: int) -> str | None:
    span = store.gen.author_range(owner)
    if span is None or span[0] == span[1]:
        return None
    return store.gen.repo_id(span[0] + h % (span[1] - span[0]))


def hash_text(text: str) -> int:
    """A stable integer hash of ``text`` (``hash()`` is salted per process)."""
    value = 0xCBF29CE484222325
    for byte in text.encode():
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return value


def paper_body(arxiv_id: str) -> dict[str, Any] | None:
    """The fields of a paper item, or ``None`` for a paper the local Hub does not know."""
    bare = unversioned(arxiv_id)
    known = PAPERS.get(bare)
    if known is None:
        return None
    title, published = known
    return {
        "title": title,
        "publishedAt": published,
        "thumbnailUrl": (
            f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{bare}.png"
        ),
        "upvotes": 40 + hash_text(bare) % 900,
    }


def unversioned(arxiv_id: str) -> str:
    """``2307.09288v2`` → ``2307.09288``."""
    return re.sub(r"v\d+$", "", arxiv_id)
