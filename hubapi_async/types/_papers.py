"""Paper pages: ``/api/papers/{arxiv_id}``, ``/api/arxiv/{arxiv_id}/repos``, ``/api/daily_papers``.

No complete recording of these answers exists; the shapes come from
``papers/shape_observations.json`` (a real daily item, the key sets of daily items and
their ``paper`` object, the ``/api/arxiv/{id}/repos`` shape), the ``GET /api/daily_papers``
entry of ``openapi/stainless_derived_schema_notes.json`` (the Hub's own OpenAPI types) and
the official client's ``PaperInfo``/``PaperAuthor``.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from ._base import HubStruct
from ._repo_parts import AuthorData
from ._repos import DatasetInfo, ModelInfo, SpaceInfo

__all__ = ["DailyPaper", "Paper", "PaperAuthor", "PaperInfo", "PaperRepos", "PaperUser"]


class PaperUser(AuthorData, kw_only=True, frozen=True):
    """A Hub account as embedded in paper answers (the submitter, a claimed author).

    Shape: ``UserOverview`` in ``openapi/stainless_derived_schema_notes.json``; the
    official client reads ``user`` as the username.
    """

    #: The user name again (the Hub sends both ``name`` and ``user``).
    user: str | None = None


class PaperAuthor(HubStruct, kw_only=True, frozen=True):
    """One author of a paper, linked to a Hub account once the author claims the paper.

    Shape: ``papers/shape_observations.json`` (``_id``, ``name``, ``hidden`` of a real
    daily item) and ``Author`` in ``openapi/stainless_derived_schema_notes.json``.
    """

    #: The author's name as printed on the paper.
    name: str | None = None
    #: Object id of this author entry (what a claim refers to).
    object_id: str | None = msgspec.field(default=None, name="_id")
    #: Whether the author is hidden on the paper page.
    hidden: bool | None = None
    #: Claim status, e.g. ``"claimed_verified"`` (server-controlled).
    status: str | None = None
    #: When the claim status last changed.
    status_last_changed_at: datetime | None = msgspec.field(
        default=None, name="statusLastChangedAt"
    )
    #: The Hub account of the author, once claimed.
    user: PaperUser | None = None


class Paper(HubStruct, kw_only=True, frozen=True):
    """A paper page: the ``paper`` object of a daily item, and the base of :class:`PaperInfo`.

    Shape: ``papers/shape_observations.json`` (``paper_keys``) and ``Paper`` in
    ``openapi/stainless_derived_schema_notes.json``.
    """

    #: The arXiv id, e.g. ``"2409.11074"``.
    id: str
    #: Title.
    title: str | None = None
    #: The abstract.
    summary: str | None = None
    #: Authors, in the paper's order.
    authors: list[PaperAuthor] | None = None
    #: When the paper was published on arXiv (timezone-aware).
    published_at: datetime | None = msgspec.field(default=None, name="publishedAt")
    #: When the paper was submitted to Daily Papers, if it was.
    submitted_on_daily_at: datetime | None = msgspec.field(default=None, name="submittedOnDailyAt")
    #: Who submitted it to Daily Papers.
    submitted_on_daily_by: PaperUser | None = msgspec.field(default=None, name="submittedOnDailyBy")
    #: Upvotes on the Hub.
    upvotes: int | None = None
    #: Object id of the paper page's discussion.
    discussion_id: str | None = msgspec.field(default=None, name="discussionId")
    #: Number of comments in that discussion.
    num_comments: int | None = msgspec.field(default=None, name="numComments")
    #: URL of the project page.
    project_page: str | None = msgspec.field(default=None, name="projectPage")
    #: URL of the code repository (usually on GitHub).
    github_repo: str | None = msgspec.field(default=None, name="githubRepo")
    #: Who linked the code repository.
    github_repo_added_by: str | None = msgspec.field(default=None, name="githubRepoAddedBy")
    #: Stars of that repository.
    github_stars: int | None = msgspec.field(default=None, name="githubStars")
    #: A generated one-sentence summary.
    ai_summary: str | None = None
    #: Generated keywords.
    ai_keywords: list[str] | None = None
    #: The organization the paper is associated with on the Hub.
    organization: AuthorData | None = None
    #: Images and videos uploaded with the Daily Papers submission.
    media_urls: list[str] | None = msgspec.field(default=None, name="mediaUrls")
    #: When the paper was withdrawn from arXiv, if it was.
    withdrawn_at: datetime | None = msgspec.field(default=None, name="withdrawnAt")
    #: Where the paper page comes from (server-controlled).
    source: str | None = None


class PaperInfo(Paper, kw_only=True, frozen=True):
    """``GET /api/papers/{arxiv_id}``: a paper page and the first repos citing it.

    Shape: :class:`Paper`, plus the linked repos of ``papers/shape_observations.json``
    (the official client's ``PaperInfo`` parser: ``linkedModels``, ``numTotalModels``...).
    The ``linked_*`` lists are a first slice; ``hub.papers.repos(arxiv_id)`` gives them all.
    """

    #: The first models citing the paper (listing items).
    linked_models: list[ModelInfo] | None = msgspec.field(default=None, name="linkedModels")
    #: How many models cite it in all.
    num_total_models: int | None = msgspec.field(default=None, name="numTotalModels")
    #: The first datasets citing the paper.
    linked_datasets: list[DatasetInfo] | None = msgspec.field(default=None, name="linkedDatasets")
    #: How many datasets cite it in all.
    num_total_datasets: int | None = msgspec.field(default=None, name="numTotalDatasets")
    #: The first Spaces citing the paper.
    linked_spaces: list[SpaceInfo] | None = msgspec.field(default=None, name="linkedSpaces")
    #: How many Spaces cite it in all.
    num_total_spaces: int | None = msgspec.field(default=None, name="numTotalSpaces")


class PaperRepos(HubStruct, kw_only=True, frozen=True):
    """``GET /api/arxiv/{arxiv_id}/repos``: every model, dataset and Space citing a paper.

    Shape: ``arxiv_repos`` in ``papers/shape_observations.json``
    (``{"models": [...], "datasets": [...], "spaces": [...]}`` of listing items). An
    unknown paper has no citing repos (empty lists, not an error).
    """

    #: Models whose card cites the paper (listing items).
    models: list[ModelInfo] | None = None
    #: Datasets citing the paper.
    datasets: list[DatasetInfo] | None = None
    #: Spaces citing the paper.
    spaces: list[SpaceInfo] | None = None


class DailyPaper(HubStruct, kw_only=True, frozen=True):
    """One entry of ``GET /api/daily_papers``: a paper as submitted to Daily Papers.

    Shape: ``papers/shape_observations.json`` (a real item and the ``top_level_keys``) and
    ``APIGetDailyPapersResponse`` in ``openapi/stainless_derived_schema_notes.json``. The
    top-level ``published_at`` is when it was submitted to Daily Papers; the paper's own
    arXiv date is ``paper.published_at``.
    """

    #: The paper page.
    paper: Paper
    #: When the paper appeared on Daily Papers (timezone-aware).
    published_at: datetime | None = msgspec.field(default=None, name="publishedAt")
    #: Title (as on the paper).
    title: str | None = None
    #: The abstract.
    summary: str | None = None
    #: URL of the social thumbnail.
    thumbnail: str | None = None
    #: Number of comments.
    num_comments: int | None = msgspec.field(default=None, name="numComments")
    #: Who submitted the paper.
    submitted_by: PaperUser | None = msgspec.field(default=None, name="submittedBy")
    #: The organization the submission is associated with.
    organization: AuthorData | None = None
    #: Whether one of the authors takes part in the discussion.
    is_author_participating: bool | None = msgspec.field(default=None, name="isAuthorParticipating")
    #: Images and videos uploaded with the submission.
    media_urls: list[str] | None = msgspec.field(default=None, name="mediaUrls")

    @property
    def id(self) -> str:
        """The paper's arXiv id (``paper.id``)."""
        return self.paper.id
