"""``hubapi serve``: run the local Hub until interrupted."""

from __future__ import annotations

import argparse
import re
from typing import Any

__all__ = ["mask_tokens", "parse_rate_limit_arg", "run_serve"]


def parse_rate_limit_arg(text: str) -> tuple[int, float]:
    """``--rate-limit Q/W`` as ``(quota, window_seconds)``."""
    from ..testing import parse_rate_limit

    try:
        return parse_rate_limit(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def mask_tokens(text: str, tokens: tuple[str, ...]) -> str:
    """``text`` with each of ``tokens`` shortened to its first four characters and ``***``."""
    for token in sorted(tokens, key=len, reverse=True):
        if token:
            text = text.replace(token, f"{token[:4]}***")
    return re.sub(r"(?<![A-Za-z0-9])(hf_|api_org_)[A-Za-z0-9]{16,}", r"\1***", text)


def run_serve(args: argparse.Namespace) -> int:
    """Serve the local Hub in the foreground; Ctrl-C stops it (exit status 0)."""
    from ..testing import serve

    options: dict[str, Any] = {"seed": args.seed}
    for name in ("models", "datasets", "spaces", "page_size"):
        value = getattr(args, name)
        if value is not None:
            options[name] = value
    tokens: tuple[str, ...] = ()
    if args.serve_tokens:
        tokens = tuple(args.serve_tokens)
        options["tokens"] = tokens

    def announce(line: str) -> None:
        print(mask_tokens(line, tokens), flush=True)

    serve(
        args.host,
        args.port,
        rate_limit=args.rate_limit,
        announce=announce,
        **options,
    )
    return 0
