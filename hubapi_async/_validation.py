"""What goes into a URL path: repo ids, names, revisions and segments (pure, no I/O).

Identifiers are checked before any request is built, so a bad one is a ``ValueError``
that never reaches the wire; revisions and free-form segments are percent-encoded as one
path segment.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

__all__ = [
    "REPO_NAME_MAX",
    "quote_revision",
    "quote_segment",
    "validate_arxiv_id",
    "validate_collection_slug",
    "validate_namespace",
    "validate_object_id",
    "validate_repo_id",
]

REPO_NAME_MAX = 96
"""Maximum length of a repo name, and of a namespace (user or organization name)."""

_SEGMENT = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?")
_MONTH = r"(?:0[1-9]|1[0-2])"
_VERSION = r"(?:v[1-9][0-9]*)?"
#: ``YYMM.NNNN`` (2007-2014) or ``YYMM.NNNNN`` (2015 on), optionally ``vN``.
_ARXIV_NEW = re.compile(rf"[0-9]{{2}}{_MONTH}\.[0-9]{{4,5}}{_VERSION}")
#: ``archive[.SUBJECT]/YYMMNNN`` (before April 2007), optionally ``vN``.
_ARXIV_OLD = re.compile(
    rf"[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[a-z]+)*)?/[0-9]{{2}}{_MONTH}[0-9]{{3}}{_VERSION}"
)


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc"


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _segment_problem(segment: str) -> str | None:
    if not segment:
        return "is empty"
    if len(segment) > REPO_NAME_MAX:
        return f"is longer than {REPO_NAME_MAX} characters"
    if "--" in segment or ".." in segment:
        return "contains '--' or '..'"
    if not _SEGMENT.fullmatch(segment):
        return (
            "must use only ASCII letters, digits, '-', '_' and '.',"
            " and must not start or end with '-' or '.'"
        )
    return None


def validate_namespace(name: object, what: str = "namespace") -> str:
    """Check one name segment (user, organization, slug part); return it unchanged.

    1 to 96 ASCII letters, digits, `-`, `_`, `.`; not starting or ending with `-` or `.`;
    no `--` or `..`. Anything else raises `ValueError`.
    """
    if not isinstance(name, str):
        raise ValueError(f"Invalid {what} {_show(name)}: expected a string.")
    problem = _segment_problem(name)
    if problem is not None:
        raise ValueError(f"Invalid {what} {_show(name)}: it {problem}.")
    return name


def validate_repo_id(repo_id: object) -> str:
    """Check a repo id (`"name"` or `"namespace/name"`); return it unchanged.

    Each part follows `validate_namespace`'s rule and the name must not end with `.git`.
    Legacy single-segment ids (`"gpt2"`) are valid. Anything else raises `ValueError`
    before a request is built.
    """
    if not isinstance(repo_id, str):
        raise ValueError(f"Invalid repo id {_show(repo_id)}: expected a string.")
    parts = repo_id.split("/")
    if len(parts) > 2:
        raise ValueError(
            f"Invalid repo id {_show(repo_id)}: expected 'name' or 'namespace/name'"
            " (the repo type is a separate argument)."
        )
    for label, part in zip(("namespace", "name")[-len(parts) :], parts, strict=True):
        problem = _segment_problem(part)
        if problem is not None:
            raise ValueError(f"Invalid repo id {_show(repo_id)}: the {label} {problem}.")
    if repo_id.endswith(".git"):
        raise ValueError(f"Invalid repo id {_show(repo_id)}: it must not end with '.git'.")
    return repo_id


def validate_arxiv_id(arxiv_id: object) -> str:
    """Check an arXiv identifier; return it unchanged.

    New-style ids are ``YYMM.NNNN`` or ``YYMM.NNNNN`` (``2409.11074``), old-style ids
    ``archive/YYMMNNN`` with an optional subject class (``hep-th/9901001``,
    ``math.GT/0309136``); either may end with a version (``v2``). The month must be
    01-12. Anything else (a URL, an ``arXiv:`` prefix, spaces, ``..``, ``?``) raises
    `ValueError` before a request is built. An old-style id contains ``/``: callers
    put it in a URL path as one percent-encoded segment (`quote_segment`).
    """
    if not isinstance(arxiv_id, str):
        raise ValueError(f"Invalid arXiv id {_show(arxiv_id)}: expected a string.")
    if _ARXIV_NEW.fullmatch(arxiv_id) is None and _ARXIV_OLD.fullmatch(arxiv_id) is None:
        raise ValueError(
            f"Invalid arXiv id {_show(arxiv_id)}: expected 'YYMM.NNNNN' (e.g. '2409.11074'),"
            " or an old-style id such as 'hep-th/9901001', optionally with a version ('v2')."
        )
    return arxiv_id


def quote_segment(value: str) -> str:
    """Percent-encode `value` as one URL path segment (`/` included).

    Empty, `.`, `..` (URL libraries collapse dot segments) and control characters raise
    `ValueError`.
    """
    return _quote_one(value, "path segment")


def quote_revision(revision: object) -> str:
    """Percent-encode a revision as one path segment: `refs/pr/1` → `refs%2Fpr%2F1`.

    Empty, `.`, `..` and revisions with control characters raise `ValueError`.
    """
    return _quote_one(revision, "revision")


def _quote_one(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"Invalid {what} {_show(value)}: expected a string.")
    if value in ("", ".", ".."):
        raise ValueError(f"Invalid {what} {_show(value)}: it cannot be empty, '.' or '..'.")
    if any(_is_control(char) for char in value):
        raise ValueError(f"Invalid {what} {_show(value)}: it contains a control character.")
    try:
        return quote(value, safe="")
    except UnicodeError:
        raise ValueError(f"Invalid {what} {_show(value)}: it is not valid Unicode.") from None


_OBJECT_ID = re.compile(r"[0-9a-f]{24}")
_SLUG_TITLE = re.compile(r"\w(?:[\w.-]*\w)?")


def validate_object_id(value: object, what: str = "object id") -> str:
    """Check one of the Hub's object ids (24 lowercase hex digits); return it unchanged.

    Collection ids, collection item ids and resource group ids have this form; anything
    else raises `ValueError`.
    """
    if not isinstance(value, str):
        raise ValueError(f"Invalid {what} {_show(value)}: expected a string.")
    if not _OBJECT_ID.fullmatch(value):
        raise ValueError(f"Invalid {what} {_show(value)}: expected 24 lowercase hex digits.")
    return value


def validate_collection_slug(slug: object) -> str:
    """Check a collection slug (`"namespace/title-part-<24 hex digits>"`); return it unchanged.

    The namespace follows `validate_namespace`'s rule; the title part is letters, digits,
    `_`, `-` and `.` (not starting or ending with `-` or `.`); the id is the collection's 24
    lowercase hex digits. Anything else (a bare title, a missing id, `?`, `#`, `%`, spaces,
    extra `/`) raises `ValueError` before a request is built.
    """
    if not isinstance(slug, str):
        raise ValueError(f"Invalid collection slug {_show(slug)}: expected a string.")
    namespace, sep, rest = slug.partition("/")
    shape = "expected 'namespace/title-<24 hex digits>', e.g. 'user/my-models-<id>'"
    if not sep or "/" in rest:
        raise ValueError(f"Invalid collection slug {_show(slug)}: {shape}.")
    problem = _segment_problem(namespace)
    if problem is not None:
        raise ValueError(f"Invalid collection slug {_show(slug)}: the namespace {problem}.")
    title, dash, object_id = rest.rpartition("-")
    if not dash or not _OBJECT_ID.fullmatch(object_id):
        raise ValueError(
            f"Invalid collection slug {_show(slug)}: it must end with '-' and the collection's"
            f" 24 lowercase hex digits; {shape}."
        )
    if not _SLUG_TITLE.fullmatch(title):
        raise ValueError(
            f"Invalid collection slug {_show(slug)}: the title part must be letters, digits,"
            " '_', '-' and '.' only."
        )
    return slug
