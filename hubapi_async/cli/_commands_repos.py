"""Write commands of repos: ``hubapi repos create|delete|move|settings``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, Final, Literal

from .._resources._repos import REPO_TYPES
from .._validation import validate_repo_id
from ..types import RepoUrl
from ._spec import Args, WriteCommand

if TYPE_CHECKING:
    from .. import HubClient

__all__ = ["WRITE", "gated_arg"]

_OFF: Final = frozenset({"false", "off", "no", "none"})
_AMBIGUOUS: Final = frozenset({"true", "on", "yes"})


def gated_arg(text: str) -> str | Literal[False]:
    """An argparse type: a gating mode (``auto``, ``manual``...) or ``false`` (no gate)."""
    lowered = text.strip().lower()
    if lowered in _OFF:
        return False
    if lowered in _AMBIGUOUS:
        raise argparse.ArgumentTypeError(
            f"{text!r} is ambiguous: pass auto or manual (how access requests are approved), "
            "or false to remove the gate"
        )
    if not lowered:
        raise argparse.ArgumentTypeError("expected auto, manual or false")
    return text.strip()


def _type_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--type",
        "--repo-type",
        dest="repo_type",
        choices=REPO_TYPES,
        default="model",
        help="the repo's type (default: model)",
    )


def _repo_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "repo_id", metavar="REPO_ID", help="namespace/name, or a name in your own namespace"
    )


def _visibility_options(parser: argparse.ArgumentParser) -> None:
    visibility = parser.add_mutually_exclusive_group()
    for value, text in (
        ("private", "visible only to you (or the organization's members)"),
        ("public", "visible to everyone"),
        ("protected", "a Space others can use but whose files are private (Spaces only)"),
    ):
        visibility.add_argument(
            f"--{value}", dest="visibility", action="store_const", const=value, help=text
        )


def _create_options(parser: argparse.ArgumentParser) -> None:
    _repo_argument(parser)
    _type_option(parser)
    _visibility_options(parser)
    parser.add_argument(
        "--sdk", metavar="SDK", help="a Space's SDK: gradio, streamlit, docker, static (needed)"
    )
    parser.add_argument(
        "--exist-ok",
        action="store_true",
        help="a repo already there is success (its settings are left as they are)",
    )


def _create(hub: HubClient, args: Args) -> Any:
    return hub.repos.create(
        args.repo_id,
        repo_type=args.repo_type,
        visibility=args.visibility,
        sdk=args.sdk,
        exist_ok=args.exist_ok,
    )


def _created(args: Args, result: RepoUrl, fresh: bool) -> str:
    what = f"{args.repo_type} repo {result.repo_id}"
    return f"created {what}: {result.url}" if fresh else f"{what} already exists: {result.url}"


def _delete_options(parser: argparse.ArgumentParser) -> None:
    _repo_argument(parser)
    _type_option(parser)
    parser.add_argument("--missing-ok", action="store_true", help="a repo already gone is success")


async def _delete(hub: HubClient, args: Args) -> None:
    await hub.repos.delete(args.repo_id, repo_type=args.repo_type, missing_ok=args.missing_ok)


def _check_repo(args: Args) -> None:
    validate_repo_id(args.repo_id)


def _move_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("from_id", metavar="FROM", help="the repo's id now (namespace/name)")
    parser.add_argument("to_id", metavar="TO", help="its new id (namespace/name)")
    _type_option(parser)


async def _move(hub: HubClient, args: Args) -> None:
    await hub.repos.move(args.from_id, args.to_id, repo_type=args.repo_type)


def _settings_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "repo_id", metavar="REPO_ID", help="namespace/name (or a legacy name such as gpt2)"
    )
    _type_option(parser)
    _visibility_options(parser)
    parser.add_argument(
        "--gated",
        metavar="MODE",
        type=gated_arg,
        help="auto or manual (access requests approved automatically or by hand), "
        "false to remove the gate",
    )


async def _settings(hub: HubClient, args: Args) -> None:
    await hub.repos.update_settings(
        args.repo_id, repo_type=args.repo_type, visibility=args.visibility, gated=args.gated
    )


def _settings_changed(args: Args) -> dict[str, Any]:
    return {
        k: v for k, v in (("visibility", args.visibility), ("gated", args.gated)) if v is not None
    }


def _settings_message(args: Args, _: None, fresh: bool) -> str:
    changes = ", ".join(
        f"{k}={'false' if v is False else v}" for k, v in _settings_changed(args).items()
    )
    return f"updated {args.repo_type} repo {args.repo_id}: {changes}"


WRITE: Final[tuple[WriteCommand, ...]] = (
    WriteCommand(
        "repos",
        "create",
        "create an empty repo",
        "Create an empty model, dataset or Space repo and print its URL; with --json "
        "(or piped) the Hub's JSON answer ({url, name, id}). A Space needs --sdk. With "
        "--exist-ok a repo that already exists is success: its URL is printed, and the "
        "JSON holds the url and name the Hub's refusal named.",
        _create_options,
        _create,
        _created,
        struct=RepoUrl,
    ),
    WriteCommand(
        "repos",
        "delete",
        "delete a repo, for good",
        "Delete a repo for good, with its files and history. Asks first on a terminal; "
        "--yes skips the question and is required when stdin is not a terminal.",
        _delete_options,
        _delete,
        lambda args, _, fresh: (
            f"deleted {args.repo_type} repo {args.repo_id}"
            if fresh
            else f"no {args.repo_type} repo {args.repo_id}: none deleted"
        ),
        outcome=lambda args, fresh: {
            "repo_id": args.repo_id,
            "type": args.repo_type,
            "deleted": fresh,
        },
        check=_check_repo,
        confirm=lambda args: f"Delete {args.repo_type} repo {args.repo_id} for good?",
    ),
    WriteCommand(
        "repos",
        "move",
        "rename a repo, or move it to another namespace",
        "Rename a repo or transfer it to another namespace (both ids in full); the old "
        "id keeps redirecting to the new one.",
        _move_options,
        _move,
        lambda args, _, fresh: f"moved {args.repo_type} repo {args.from_id} to {args.to_id}",
        outcome=lambda args, fresh: {
            "repo_id": args.to_id,
            "moved_from": args.from_id,
            "type": args.repo_type,
        },
    ),
    WriteCommand(
        "repos",
        "settings",
        "change a repo's visibility or gating",
        "Change who sees a repo (--private, --public, or --protected for a Space) and "
        "how access is gated (--gated auto|manual|false); what is not given stays.",
        _settings_options,
        _settings,
        _settings_message,
        outcome=lambda args, fresh: {
            "repo_id": args.repo_id,
            "type": args.repo_type,
            **_settings_changed(args),
        },
    ),
)
