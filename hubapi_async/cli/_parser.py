"""The ``hubapi`` argument parser, built from the tables of read and write commands."""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Iterable

from .. import __version__
from ._commands import READ_COMMANDS, WRITE_COMMANDS, ReadCommand, WriteCommand, crawlable
from ._common import count_arg, positive_int_arg, seconds_arg

__all__ = ["EXIT_CODES", "build_parser"]

#: Exit statuses, as ``--help`` and the README document them.
EXIT_CODES = """\
exit status:
  0    success
  1    the Hub answered with an error, or could not be reached (message on stderr)
  2    a wrong command line (found before anything is sent), or a command that
       refuses to act (a crawl that would touch its output, an unconfirmed delete)
  130  interrupted (Ctrl-C); a crawl has saved a clean checkpoint for --resume
"""

_DESCRIPTION = """\
Read the Hugging Face Hub API from the command line.

On a terminal, read commands print a table (info: a card); piped, or with
--json, they print JSON Lines: the Hub's own JSON, one item per line. Write
commands (repos, collections) print what they did, or the Hub's JSON answer.

examples:
  hubapi models list --author google --sort downloads --limit 5
  hubapi models list --columns id,likes,created --limit 20
  hubapi models info google-bert/bert-base-uncased --json | jq .cardData
  hubapi datasets parquet ibm/duorc
  hubapi papers daily --month 2025-02 --limit 20
  hubapi collections get alice/my-models-65f0c0ff60eea0c6d4510b39
  hubapi repos create my-model --private
  hubapi crawl models --out models.jsonl        (again with --resume after a kill)
  hubapi serve --port 8000                      (a local Hub for tests)
  hubapi demo                                   (no internet needed)
"""

_CRAWL_DESCRIPTION = """\
Write a whole {kind} listing to a JSON Lines file: each line is one item's JSON exactly
as the Hub sent it (its own keys: _id, createdAt, cardData...); --struct writes the
library's snake_case form instead. Progress (items, pages, rate, retries, rate-limit
waits) goes to stderr on a terminal, or with --progress.

{order}

safety: after each page is written and synced, FILE.state records where to continue;
if the crawl is killed at any point, the same command with --resume continues it with
nothing lost or repeated. A crawl refuses (exit 2) to overwrite an existing output
without --force, to resume without a state file, or when FILE and its state disagree;
a second crawl writing the same FILE at once also exits 2.
"""


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
        type=positive_int_arg,
        default=default,
        help="most requests in flight at once (default: 64)",
    )
    group.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=seconds_arg,
        default=default,
        help="deadline of each call, retries and rate-limit waits included (default: none)",
    )
    return parser


def _wrap(text: str) -> str:
    """A description as ``--help`` shows it: paragraphs filled to 88 columns (lines that
    start with a space, such as examples, are kept as written)."""
    paragraphs = text.split("\n\n")
    return "\n\n".join(
        p if p.startswith(" ") else textwrap.fill(" ".join(p.split()), 88, break_on_hyphens=False)
        for p in paragraphs
    )


def _output_options(parser: argparse.ArgumentParser, cmd: ReadCommand) -> None:
    group = parser.add_argument_group("output")
    choice = group.add_mutually_exclusive_group()
    choice.add_argument(
        "--json",
        dest="output",
        action="store_const",
        const="json",
        help="JSON Lines: the Hub's JSON, one item per line (the default when piped)",
    )
    choice.add_argument(
        "--struct",
        dest="output",
        action="store_const",
        const="struct",
        help="JSON Lines of the library's snake_case Structs (fields the Hub left out omitted)",
    )
    if cmd.has_table:
        choice.add_argument(
            "--table",
            dest="output",
            action="store_const",
            const="table",
            help="a table for people (the default on a terminal)",
        )
    if cmd.columns:
        group.add_argument(
            "--columns",
            metavar="A,B,...",
            help=f"the table's columns, from: {', '.join(cmd.columns)} "
            f"(default: {','.join(cmd.default_columns)})",
        )


def _add_read(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    cmd: ReadCommand,
    common: argparse.ArgumentParser,
) -> None:
    sub = commands.add_parser(
        cmd.name,
        parents=[common],
        help=cmd.summary,
        description=_wrap(cmd.description),
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cmd.arguments(sub)
    _output_options(sub, cmd)
    sub.set_defaults(handler="read", read_command=cmd, group=cmd.group)


def _add_write(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    cmd: WriteCommand,
    common: argparse.ArgumentParser,
) -> None:
    sub = commands.add_parser(
        cmd.name,
        parents=[common],
        help=cmd.summary,
        description=_wrap(cmd.description),
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cmd.arguments(sub)
    if cmd.confirm is not None:
        sub.add_argument(
            "-y", "--yes", action="store_true", help="do it without asking (needed off a terminal)"
        )
    group = sub.add_argument_group("output")
    choice = group.add_mutually_exclusive_group()
    choice.add_argument(
        "--json",
        dest="output",
        action="store_const",
        const="json",
        help="print the Hub's JSON answer (or, where it has none, what was done) on one "
        "line (the default when piped)",
    )
    if cmd.struct is not None:
        choice.add_argument(
            "--struct",
            dest="output",
            action="store_const",
            const="struct",
            help="print the result as the library's snake_case Struct",
        )
    sub.set_defaults(handler="write", write_command=cmd, group=cmd.group)


Command = ReadCommand | WriteCommand


def _groups(commands: Iterable[Command]) -> dict[str | None, list[Command]]:
    groups: dict[str | None, list[Command]] = {}
    for cmd in commands:
        groups.setdefault(cmd.group, []).append(cmd)
    return groups


def _add(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    cmd: Command,
    common: argparse.ArgumentParser,
) -> None:
    if isinstance(cmd, WriteCommand):
        _add_write(commands, cmd, common)
    else:
        _add_read(commands, cmd, common)


def _add_crawl(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    kinds = crawlable()
    crawl = commands.add_parser(
        "crawl",
        parents=[common],
        help="a whole listing to a JSON Lines file, kill-safe and resumable",
        description=(
            "Write a whole listing to a JSON Lines file (the Hub's JSON, one item per "
            "line), resumable after a kill. See `hubapi crawl KIND --help`."
        ),
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    which = crawl.add_subparsers(dest="kind", metavar="KIND", required=True)
    for kind, cmd in kinds.items():
        sub = which.add_parser(
            kind,
            parents=[common],
            help=f"the whole `{' '.join(cmd.words)}` listing",
            description=_CRAWL_DESCRIPTION.format(kind=kind, order=cmd.crawl_order),
            epilog=EXIT_CODES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        group = sub.add_argument_group("crawl")
        group.add_argument(
            "--out", metavar="FILE", required=True, help="the JSON Lines output (e.g. models.jsonl)"
        )
        mode = group.add_mutually_exclusive_group()
        mode.add_argument(
            "--resume",
            action="store_true",
            help="continue the crawl recorded in FILE.state (its listing options are kept)",
        )
        mode.add_argument(
            "--force",
            action="store_true",
            help="start over even if FILE already holds data (it is overwritten)",
        )
        group.add_argument(
            "--struct",
            action="store_true",
            help="write the library's snake_case Structs instead of the Hub's JSON",
        )
        group.add_argument(
            "--progress",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="progress on stderr (default: only when stderr is a terminal)",
        )
        cmd.arguments(sub)
        sub.set_defaults(handler="crawl", read_command=cmd, group=kind)


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
    serve.add_argument("--port", type=count_arg, default=8000, help="port (default: 8000; 0: any)")
    serve.add_argument(
        "--token",
        metavar="TOKEN",
        action="append",
        dest="serve_tokens",
        help="a token the server accepts; repeatable (default: the local Hub's own)",
    )
    serve.add_argument("--models", metavar="N", type=count_arg, help="how many generated models")
    serve.add_argument(
        "--datasets", metavar="N", type=count_arg, help="how many generated datasets"
    )
    serve.add_argument("--spaces", metavar="N", type=count_arg, help="how many generated Spaces")
    serve.add_argument(
        "--page-size", metavar="N", type=positive_int_arg, help="largest listing page (1000)"
    )
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
            "repo info, gated and missing repos, parquet, concurrent lookups, and the "
            "rate-limit gate using a small quota without a single 429. No internet."
        ),
    )
    demo.add_argument(
        "--models", metavar="N", type=count_arg, default=5000, help="models to generate (5000)"
    )
    demo.add_argument(
        "--limit", metavar="N", type=count_arg, default=3000, help="models to crawl (3000)"
    )
    demo.set_defaults(handler="demo")


def build_parser() -> argparse.ArgumentParser:
    """The whole ``hubapi`` parser."""
    parser = argparse.ArgumentParser(
        prog="hubapi",
        description=_DESCRIPTION,
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_global_options(suppress=False)],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = _global_options(suppress=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for group, members in _groups((*READ_COMMANDS, *WRITE_COMMANDS)).items():
        if group is None:
            for cmd in members:
                _add(commands, cmd, common)
            continue
        family = commands.add_parser(
            group, help=f"{group}: {', '.join(c.name for c in members)}", parents=[common]
        )
        actions = family.add_subparsers(dest="action", metavar="ACTION", required=True)
        for cmd in members:
            _add(actions, cmd, common)
    _add_crawl(commands, common)
    _add_serve(commands)
    _add_demo(commands)
    return parser
