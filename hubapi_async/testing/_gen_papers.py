"""Deterministic paper records: the Daily Papers of the 90 days up to a fixed date, and a few
real papers cited by the recorded repos.

Every generated value comes from ``random.Random`` seeded with ``(seed, day)``, so a hub with
the same seed serves the same papers, whatever the order of requests. Titles, abstracts and
author names are synthesized; the real papers carry their real ids, titles, authors and
dates, with synthesized abstracts and counts (marked below).
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

#: The last day with Daily Papers; the window is the ``WINDOW_DAYS`` days up to it.
END_DATE: Final = dt.date(2026, 8, 21)
WINDOW_DAYS: Final = 90

_FIRST: Final = (
    "Adrian", "Aiko", "Amara", "Ana-Maria", "Arjun", "Bo", "Camille", "Chen", "Daniel",
    "Dmitri", "Elena", "Emilian", "Fatima", "Felix", "Hana", "Hugo", "Ines", "Jae-won",
    "Jonas", "Kavya", "Lars", "Layla", "Lucas", "Mei", "Mateo", "Nadia", "Noah", "Olga",
    "Omar", "Priya", "Rafael", "Sakura", "Samuel", "Sofia", "Tariq", "Thanh", "Yara", "Zhen",
)  # fmt: skip
_LAST: Final = (
    "Alvarez", "Bucur", "Chen", "Cosma", "Dubois", "Eriksen", "Fischer", "Garcia", "Gupta",
    "Haddad", "Ito", "Jensen", "Kim", "Kowalski", "Li", "Martins", "Mehta", "Nakamura",
    "Nguyen", "Novak", "Okafor", "Petrov", "Radoi", "Rossi", "Sato", "Schmidt", "Silva",
    "Singh", "Tanaka", "Wang", "Weber", "Yilmaz", "Zhang", "Zhou",
)  # fmt: skip
_ADJECTIVES: Final = (
    "Adaptive", "Efficient", "Scalable", "Robust", "Sparse", "Unified", "Multimodal",
    "Self-Supervised", "Long-Context", "Lightweight", "Interpretable", "Data-Efficient",
)  # fmt: skip
_TECHNIQUES: Final = (
    "Mixture-of-Experts Routing", "Diffusion Transformers", "Preference Optimization",
    "Speculative Decoding", "Retrieval Augmentation", "State Space Models",
    "Reinforcement Learning from Verifiable Rewards", "Low-Rank Adaptation",
    "Token Merging", "Flow Matching", "Curriculum Distillation", "Test-Time Scaling",
)  # fmt: skip
_TASKS: Final = (
    "Mathematical Reasoning", "Code Generation", "Video Understanding", "Text-to-Image Synthesis",
    "Speech Recognition", "Document Parsing", "Robotic Manipulation", "Machine Translation",
    "Visual Question Answering", "Tool Use", "3D Reconstruction", "Protein Design",
)  # fmt: skip
_KEYWORDS: Final = (
    "large language models", "diffusion models", "reinforcement learning", "benchmark",
    "vision-language models", "mixture of experts", "instruction tuning", "distillation",
    "chain-of-thought", "multilingual", "retrieval-augmented generation", "quantization",
    "video generation", "agents", "reward modeling", "long context", "tokenization",
    "evaluation", "synthetic data", "world models",
)  # fmt: skip
_SYLLABLES: Final = ("Ro", "Math", "Vi", "Lo", "Gen", "Qu", "Ark", "Ze", "Fi", "Nu", "Sol", "Tra")


@dataclass(eq=False)
class PaperRecord:
    """One paper; ``daily_at`` is set when it was submitted to Daily Papers.

    ``authors`` holds ``(author entry id, name, claimed user name or None)``; ``citers``
    the number of generated repos of each kind citing the paper.
    """

    id: str
    title: str
    summary: str
    authors: list[tuple[str, str, str | None]]
    published: float
    upvotes: int
    discussion_id: str
    daily_at: float | None = None
    submitter: str | None = None
    num_comments: int = 0
    project_page: str | None = None
    github_repo: str | None = None
    github_stars: int | None = None
    ai_summary: str | None = None
    ai_keywords: list[str] = field(default_factory=list)
    organization: str | None = None
    media_urls: list[str] = field(default_factory=list)
    author_participating: bool = False
    citers: dict[str, int] = field(default_factory=dict)

    @property
    def day(self) -> dt.date | None:
        """The day it appeared on Daily Papers (UTC)."""
        if self.daily_at is None:
            return None
        return dt.datetime.fromtimestamp(self.daily_at, dt.UTC).date()


def object_id(text: str) -> str:
    """A stable 24-hex-digit ObjectId derived from ``text``."""
    a, b = zlib.crc32(text.encode()), zlib.crc32(text[::-1].encode())
    return f"66{zlib.crc32(f'{a}:{b}'.encode()) & 0xFFFFFF:06x}{a:08x}{b:08x}"


def day_start(day: dt.date) -> int:
    """Epoch seconds of ``day`` at 00:00 UTC."""
    return calendar.timegm(day.timetuple())


def _pick_weighted(rng: random.Random, options: Sequence[tuple[str, int]]) -> str:
    total = sum(w for _, w in options)
    x = rng.randrange(total)
    for name, weight in options:
        x -= weight
        if x < 0:
            return name
    return options[-1][0]


def _name(rng: random.Random) -> str:
    return "".join(rng.sample(_SYLLABLES, rng.randint(2, 3)))


def _text(rng: random.Random, name: str) -> tuple[str, str, str, list[str]]:
    adj, tech, task = rng.choice(_ADJECTIVES), rng.choice(_TECHNIQUES), rng.choice(_TASKS)
    title = rng.choice(
        (
            f"{name}: {adj} {tech} for {task}",
            f"Scaling {task} with {adj} {tech}",
            f"Towards {adj} {task} via {tech}",
            f"{name}: A Benchmark for {adj} {task}",
            f"Rethinking {tech} for {task}",
        )
    )
    n = rng.randint(3, 12)
    gain = rng.randint(2, 19)
    summary = (
        f"{task} remains difficult for current models. We introduce {name}, "
        f"{'an' if adj[0] in 'AEIOU' else 'a'} {adj.lower()} approach built on "
        f"{tech.lower()}. Across {n} benchmarks it improves over strong baselines by "
        f"{gain}% on average while using less compute. We release code, data and models."
    )
    ai_summary = (
        f"{name} applies {tech.lower()} to {task.lower()}, improving results on {n} benchmarks."
    )
    keywords = rng.sample(_KEYWORDS, rng.randint(4, 7))
    return title, summary, ai_summary, keywords


def _authors(
    rng: random.Random, paper_id: str, users: Sequence[tuple[str, str]]
) -> list[tuple[str, str, str | None]]:
    out: list[tuple[str, str, str | None]] = []
    taken: set[str] = set()
    for i in range(rng.randint(2, 9)):
        entry = object_id(f"author:{paper_id}:{i}")
        if users and rng.random() < 0.12:
            login, fullname = rng.choice(users)
            if login not in taken:
                taken.add(login)
                out.append((entry, fullname, login))
                continue
        out.append((entry, f"{rng.choice(_FIRST)} {rng.choice(_LAST)}", None))
    return out


def _citers(rng: random.Random) -> dict[str, int]:
    models = rng.choices((0, 1, 2, 3, 5), (55, 25, 10, 6, 4))[0]
    datasets = rng.choices((0, 1, 2), (80, 15, 5))[0]
    spaces = rng.choices((0, 1, 3), (75, 18, 7))[0]
    return {"model": models, "dataset": datasets, "space": spaces}


def generate(
    seed: int,
    users: Sequence[tuple[str, str]],
    submitters: Sequence[tuple[str, int]],
    orgs: Sequence[str],
) -> list[PaperRecord]:
    """The Daily Papers of the window (5-30 a day, fewer on weekends), oldest day first.

    ``users`` are ``(user name, full name)`` pairs some authors are linked to,
    ``submitters`` weighted user names, ``orgs`` organizations papers may belong to.
    """
    records: list[PaperRecord] = []
    numbers: dict[str, set[int]] = {}
    for offset in range(WINDOW_DAYS - 1, -1, -1):
        day = END_DATE - dt.timedelta(days=offset)
        rng = random.Random(f"papers:{seed}:{day.isoformat()}")
        count = rng.randint(5, 9) if day.weekday() >= 5 else rng.randint(10, 30)
        for _ in range(count):
            records.append(_one(rng, day, numbers, users, submitters, orgs))
    return records


def _one(
    rng: random.Random,
    day: dt.date,
    numbers: dict[str, set[int]],
    users: Sequence[tuple[str, str]],
    submitters: Sequence[tuple[str, int]],
    orgs: Sequence[str],
) -> PaperRecord:
    # Submitted to Daily Papers up to 14 days after its arXiv publication.
    published_day = day - dt.timedelta(
        days=rng.choices((0, 1, 2, 3, 7, 13), (8, 40, 25, 12, 10, 5))[0]
    )
    yymm = published_day.strftime("%y%m")
    used = numbers.setdefault(yymm, set())
    number = (published_day.day - 1) * 900 + rng.randrange(900) + 1
    while number in used:
        number += 1
    used.add(number)
    paper_id = f"{yymm}.{number:05d}"
    published = day_start(published_day) + rng.randrange(8 * 3600, 20 * 3600)
    daily_at = day_start(day) + rng.randrange(3600, 23 * 3600)
    name = _name(rng)
    title, summary, ai_summary, keywords = _text(rng, name)
    authors = _authors(rng, paper_id, users)
    submitter = _pick_weighted(rng, submitters) if submitters else None
    handle = name.lower()
    record = PaperRecord(
        id=paper_id,
        title=title,
        summary=summary,
        authors=authors,
        published=float(published),
        upvotes=min(int(rng.lognormvariate(2.3, 1.1)), 900),
        discussion_id=object_id(f"discussion:{paper_id}"),
        daily_at=float(daily_at),
        submitter=submitter,
        num_comments=rng.choices((0, 1, 2, 3, 5, 9), (35, 25, 15, 10, 10, 5))[0],
        ai_summary=ai_summary,
        ai_keywords=keywords,
        citers=_citers(rng),
    )
    if rng.random() < 0.55:
        record.github_repo = f"https://github.com/{handle}-lab/{handle}"
        record.github_stars = int(rng.paretovariate(1.2) * 8)
    if rng.random() < 0.3:
        record.project_page = f"https://{handle}-lab.github.io/{handle}/"
    if orgs and rng.random() < 0.2:
        record.organization = rng.choice(orgs)
    if rng.random() < 0.1:
        upload = object_id(f"media:{paper_id}")
        record.media_urls = [
            f"https://cdn-uploads.huggingface.co/production/uploads/{upload}/teaser.png"
        ]
    record.author_participating = any(a[2] == submitter for a in authors) or rng.random() < 0.08
    return record


def _ts(text: str) -> float:
    return dt.datetime.fromisoformat(text).timestamp()


def curated() -> list[PaperRecord]:
    """Real papers: the one of the recorded daily item (``papers/shape_observations.json``:
    id, title, authors with their ``_id``, ``publishedAt``) and papers the recorded repos cite
    (real ids, titles, authors and dates). Abstracts, upvotes, comments and the daily
    submission time of 2409.11074 are synthesized."""

    def plain(paper_id: str, names: Sequence[str]) -> list[tuple[str, str, str | None]]:
        return [(object_id(f"author:{paper_id}:{i}"), n, None) for i, n in enumerate(names)]

    romath = PaperRecord(
        id="2409.11074",
        title="RoMath: A Mathematical Reasoning Benchmark in Romanian",
        summary=(
            "A benchmark suite of mathematical problems in Romanian, with baselines for "
            "open language models and an analysis of translation effects (synthesized)."
        ),
        authors=[
            ("66ead57361228b02f8144cdf", "Adrian Cosma", None),
            ("66ead57361228b02f8144ce0", "Ana-Maria Bucur", None),
            ("66ead57361228b02f8144ce1", "Emilian Radoi", None),
        ],
        published=_ts("2024-09-17T11:03:46+00:00"),
        upvotes=34,
        discussion_id=object_id("discussion:2409.11074"),
        daily_at=_ts("2024-09-18T07:12:05+00:00"),
        submitter="alice",
        num_comments=2,
        ai_summary="RoMath evaluates mathematical reasoning of language models in Romanian.",
        ai_keywords=["benchmark", "mathematical reasoning", "multilingual", "evaluation"],
    )
    return [
        romath,
        PaperRecord(
            id="1810.04805",
            title=(
                "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
            ),
            summary="Bidirectional Transformer encoders pre-trained with masked language modeling.",
            authors=plain(
                "1810.04805",
                ("Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova"),
            ),
            published=_ts("2018-10-11T00:50:01+00:00"),
            upvotes=21,
            discussion_id=object_id("discussion:1810.04805"),
        ),
        PaperRecord(
            id="1910.13461",
            title=(
                "BART: Denoising Sequence-to-Sequence Pre-training for Natural Language"
                " Generation, Translation, and Comprehension"
            ),
            summary="A denoising autoencoder for pre-training sequence-to-sequence models.",
            authors=plain(
                "1910.13461",
                (
                    "Mike Lewis",
                    "Yinhan Liu",
                    "Naman Goyal",
                    "Marjan Ghazvininejad",
                    "Abdelrahman Mohamed",
                    "Omer Levy",
                    "Ves Stoyanov",
                    "Luke Zettlemoyer",
                ),
            ),
            published=_ts("2019-10-29T17:01:02+00:00"),
            upvotes=9,
            discussion_id=object_id("discussion:1910.13461"),
        ),
        PaperRecord(
            id="1804.07927",
            title=(
                "DuoRC: Towards Complex Language Understanding with Paraphrased Reading"
                " Comprehension"
            ),
            summary="A reading comprehension dataset of question-answer pairs over movie plots.",
            authors=plain(
                "1804.07927",
                ("Amrita Saha", "Rahul Aralikatte", "Mitesh M. Khapra", "Karthik Sankaranarayanan"),
            ),
            published=_ts("2018-04-21T11:04:14+00:00"),
            upvotes=2,
            discussion_id=object_id("discussion:1804.07927"),
        ),
        PaperRecord(
            id="hep-th/9711200",
            title="The Large N Limit of Superconformal Field Theories and Supergravity",
            summary="A correspondence between gauge theories at large N and supergravity.",
            authors=plain("hep-th/9711200", ("Juan M. Maldacena",)),
            published=_ts("1997-11-27T21:26:12+00:00"),
            upvotes=5,
            discussion_id=object_id("discussion:hep-th/9711200"),
        ),
    ]
