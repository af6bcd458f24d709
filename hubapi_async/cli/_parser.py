"""The ``hubapi`` argument parser: commands, options and their help texts."""

from __future__ import annotations

import argparse

from .. import __version__

__all__ = ["build_parser"]

_KINDS = ("models", "datasets", "spaces")
_SINGULAR = {"models": "model", "datasets": "dataset", "spaces": "Space"}

_DESCRIPTION = """\
Read the Hugging Face Hub API from the command line.

Read commands print JSON Lines (one object per line) to stdout; errors go to
stderr with exit status 1 (2 for a wrong command line).

examples:
  hubapi models list --author google --sort downloads --limit 5
  hubapi models info google-bert/bert-base-uncased
  hubapi datasets parquet ibm/duorc
  hubapi crawl models --out models.jsonl        (again with --resume after a kill)
  hubapi serve --port 8000                      (a local Hub for tests)
  hubapi demo                                   (no internet needed)
"""


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {value}")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number >= 0, got {value}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text}")
    return value


def _rate_limit(text: str) -> tuple[int, float]:
    from ._serve import parse_rate_limit_arg

    return parse_rate_limit_arg(text)


def _global_options(suppress: bool) -> argparse.ArgumentParser:
    """Connection options, accepted before or after the command.

    On the commands their default is ``SUPPRESS`` so that a value given before the
    command is not reset by the command's own parser.
    """
    parser = argparse.ArgumentParser(add_help=False)
    default = argparse.SUPPRESS if suppress else None
    group = parser.add_argument_group("connection")
    group.add_argument(
        "--endpoint",
        metavar="URL",
        default=default,
        help="the Hub's base URL (default: $HF_ENDPOINT, else https://huggingface.co)",
    )
    group.add_argument(
        "--token",
        metavar="TOKEN",
        default=default,
        help="access token (default: $HF_TOKEN, then the token file of `hf auth login`); "
        "prefer the environment: arguments are visible to other local users",
    )
    group.add_argument(
        "--max-concurrency",
        metavar="N",
        type=_positive_int,
        default=default,
        help="most requests in flight at once (default: 64)",
    )
    group.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=_seconds,
        default=default,
        help="deadline of each call, retries and rate-limit waits included (default: none)",
    )
    return parser


def _listing_options(parser: argparse.ArgumentParser, what: str) -> None:
    group = parser.add_argument_group("listing")
    group.add_argument("--search", metavar="S", help=f"only {what} whose id contains S")
    group.add_argument("--author", metavar="A", help=f"only {what} of this user or organization")
    group.add_argument(
        "--filter",
        metavar="TAG",
        nargs="+",
        action="extend",
        help="only repos with every one of these tags (e.g. text-classification "
        "license:mit); repeatable",
    )
    group.add_argument(
        "--sort",
        metavar="KEY",
        help="sort by a property: downloads, likes, trendingScore, createdAt, lastModified...",
    )
    group.add_argument(
        "--direction",
        type=int,
        choices=(-1, 1),
        help="-1 for descending (the Hub's default with --sort), 1 for ascending",
    )
    group.add_argument("--limit", metavar="N", type=_count, help="stop after N repos")
    group.add_argument(
        "--full", action="store_true", help="ask for every property (siblings, card data...)"
    )
    group.add_argument(
        "--expand",
        metavar="FIELD",
        nargs="+",
        action="extend",
        help="ask for exactly these properties (e.g. downloads likes); not with --full",
    )


def _add_family(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    kind: str,
    common: argparse.ArgumentParser,
) -> None:
    one = _SINGULAR[kind]
    family = commands.add_parser(
        kind, help=f"{one} repos", description=f"Read {one} repos.", parents=[common]
    )
    family.set_defaults(kind=kind)
    actions = family.add_subparsers(dest="action", metavar="ACTION", required=True)

    listing = actions.add_parser(
        "list",
        parents=[common],
        help=f"list {kind} as JSON Lines",
        description=f"List {kind}, one JSON object per line, page after page.",
    )
    _listing_options(listing, kind)
    listing.set_defaults(handler="list")

    info = actions.add_parser(
        "info",
        parents=[common],
        help=f"one {one}'s details",
        description=f"Print everything the Hub knows about one {one} repo, as one JSON line.",
    )
    info.add_argument("repo_id", metavar="REPO_ID", help="namespace/name (or a legacy name)")
    info.add_argument(
        "--revision", metavar="R", help="branch, tag, commit or refs/pr/N (default: main)"
    )
    info.add_argument(
        "--expand", metavar="FIELD", nargs="+", action="extend", help="only these properties"
    )
    info.set_defaults(handler="info")

    if kind == "spaces":
        return
    tags = actions.add_parser(
        "tags",
        parents=[common],
        help=f"every {one} tag, by type",
        description=f"Print every {one} tag the Hub knows, one JSON line per tag.",
    )
    tags.set_defaults(handler="tags")

    if kind != "datasets":
        return
    parquet = actions.add_parser(
        "parquet",
        parents=[common],
        help="URLs of the auto-converted parquet shards",
        description="Print one JSON line per parquet shard: subset, split, n and url.",
    )
    parquet.add_argument("repo_id", metavar="REPO_ID", help="the dataset")
    parquet.add_argument("subset", metavar="SUBSET", nargs="?", help="only this subset")
    parquet.add_argument("split", metavar="SPLIT", nargs="?", help="only this split")
    parquet.set_defaults(handler="parquet")

    croissant = actions.add_parser(
        "croissant",
        parents=[common],
        help="Croissant (JSON-LD) metadata",
        description="Print the dataset's Croissant metadata as one JSON line.",
    )
    croissant.add_argument("repo_id", metavar="REPO_ID", help="the dataset")
    croissant.set_defaults(handler="croissant")


def _add_crawl(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    crawl = commands.add_parser(
        "crawl",
        parents=[common],
        help="a whole listing to a JSON Lines file, resumable",
        description=(
            "Write a whole listing to a JSON Lines file, page by page, with progress on "
            "stderr. After each page, FILE.state records where to continue; if the crawl "
            "is killed, run the same command with --resume: nothing is lost or repeated."
        ),
    )
    crawl.add_argument("kind", metavar="KIND", choices=_KINDS, help="models, datasets or spaces")
    crawl.add_argument(
        "--out", metavar="FILE", required=True, help="the JSON Lines output (e.g. models.jsonl)"
    )
    crawl.add_argument(
        "--resume",
        action="store_true",
        help="continue from FILE.state (listing options then come from the saved state; "
        "without a state file, start from the beginning)",
    )
    crawl.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="show items, pages and items/s on stderr (default: on)",
    )
    _listing_options(crawl, "repos")
    crawl.set_defaults(handler="crawl")


def _add_serve(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser(
        "serve",
        help="run a local Hub (for tests and demos)",
        description=(
            "Serve a local, in-memory Hub with generated and recorded repos until "
            "interrupted (Ctrl-C). Point clients at it with HF_ENDPOINT=<its URL>."
        ),
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=_count, default=8000, help="port (default: 8000; 0: any)")
    serve.add_argument(
        "--token",
        metavar="TOKEN",
        action="append",
        dest="serve_tokens",
        help="a token the server accepts; repeatable (default: the local Hub's own)",
    )
    serve.add_argument("--models", metavar="N", type=_count, help="how many generated models")
    serve.add_argument("--datasets", metavar="N", type=_count, help="how many generated datasets")
    serve.add_argument("--spaces", metavar="N", type=_count, help="how many generated Spaces")
    serve.add_argument(
        "--rate-limit",
        metavar="Q/W",
        type=_rate_limit,
        help="allow Q API requests per W seconds (e.g. 1000/300; default: unlimited)",
    )
    serve.add_argument("--seed", type=int, default=0, help="seed of the generated data")
    serve.set_defaults(handler="serve")


def _add_demo(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = commands.add_parser(
        "demo",
        help="a tour of the client against an in-process local Hub",
        description=(
            "Start a local Hub in this process and show the client at work: a crawl, "
            "repo info, gated and missing repos, parquet, concurrent lookups. No internet."
        ),
    )
    demo.add_argument(
        "--models", metavar="N", type=_count, default=5000, help="models to generate (5000)"
    )
    demo.add_argument(
        "--limit", metavar="N", type=_count, default=3000, help="models to crawl (3000)"
    )
    demo.set_defaults(handler="demo")


def build_parser() -> argparse.ArgumentParser:
    """The whole ``hubapi`` parser."""
    parser = argparse.ArgumentParser(
        prog="hubapi",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_global_options(suppress=False)],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = _global_options(suppress=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for kind in _KINDS:
        _add_family(commands, kind, common)
    _add_crawl(commands, common)
    _add_serve(commands)
    _add_demo(commands)
    return parser
