"""Collect the figures the reliability suites wrote and print them for the README.

Run: ``.venv/bin/python benchmarks/reliability_figures.py [--run] [--write-readme]``

The soak, fuzz and security suites (``tests/test_soak.py``, ``tests/test_fuzz*.py``,
``tests/test_security*.py``) each write a small JSON file under ``.reliability/`` (or
``$HUBAPI_RELIABILITY_DIR``) when they run. This script reads them and prints a Markdown
table: faults injected, items and values checked, inputs fuzzed, hostile identifiers
tried, tokens found. ``--run`` runs those suites first; ``--write-readme`` replaces the
block between ``<!-- reliability-figures -->`` and ``<!-- /reliability-figures -->`` in
README.md with the table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SUITES = [
    "tests/test_soak.py",
    "tests/test_fuzz.py",
    "tests/test_fuzz_parsers.py",
    "tests/test_security.py",
    "tests/test_security_offline.py",
    "tests/test_security_injection.py",
]
START, END = "<!-- reliability-figures -->", "<!-- /reliability-figures -->"
_XFAIL = re.compile(r"pytest\.mark\.xfail\(\s*strict=True", re.S)


def figures_dir() -> Path:
    explicit = os.environ.get("HUBAPI_RELIABILITY_DIR")
    return Path(explicit) if explicit else ROOT / ".reliability"


def load() -> dict[str, dict[str, Any]]:
    found = {}
    for path in sorted(figures_dir().glob("*.json")):
        found[path.stem] = json.loads(path.read_text(encoding="utf-8"))
    return found


def pinned_holes() -> int:
    """Strict xfail markers in the reliability suites: known holes awaiting their fix."""
    return sum(len(_XFAIL.findall((ROOT / suite).read_text(encoding="utf-8"))) for suite in SUITES)


def _n(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def _kinds(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in sorted(counts.items(), key=lambda kv: -kv[1]))


def table(figures: dict[str, dict[str, Any]]) -> str:
    rows: list[tuple[str, str]] = []
    crawl = figures.get("soak_crawl")
    if crawl:
        rows.append(
            (
                "Fault soak: crawl",
                f"{_n(crawl['items_checked'])} models in {_n(crawl['pages'])} pages, "
                f"{_n(crawl['faults_injected'])} faults injected in {_n(crawl['requests'])} "
                f"requests ({crawl['fault_rate']:.0%}: {_kinds(crawl['faults_by_kind'])}); "
                f"items lost {crawl['items_lost']}, repeated {crawl['items_repeated']}",
            )
        )
    bulk = figures.get("soak_bulk")
    if bulk:
        rows.append(
            (
                "Fault soak: bulk info",
                f"{_n(bulk['inputs'])} inputs, {_n(bulk['values_checked'])} values checked "
                f"against the Hub's data, {_n(bulk['errors_expected_and_got'])} expected "
                f"errors, {_n(bulk['faults_injected'])} faults in {_n(bulk['requests'])} "
                f"requests; results lost {bulk['results_lost']}",
            )
        )
    fuzz = figures.get("fuzz")
    if fuzz:
        rows.append(
            (
                "Fuzz: client against a hostile server",
                f"{_n(fuzz['inputs'])} fuzzed exchanges ({_kinds(fuzz['inputs_by_property'])}); "
                f"{_n(fuzz['outcomes'].get('value', 0))} valid results, "
                f"{_n(sum(v for k, v in fuzz['outcomes'].items() if k != 'value'))} HubErrors; "
                f"other exceptions {fuzz['other_exceptions']}, hangs {fuzz['hangs']}",
            )
        )
    parsers = figures.get("fuzz_parsers")
    if parsers:
        rows.append(
            (
                "Fuzz: parsers and validators",
                f"{_n(parsers['inputs'])} inputs ({_kinds(parsers['inputs_by_property'])})",
            )
        )
    canary = figures.get("security_canary")
    if canary:
        rows.append(
            (
                "Security: token canary",
                f"{_n(canary['texts_searched'])} strings, logs, pickles, tracebacks and "
                f"requests searched; tokens found {canary['tokens_found']} (in pinned holes: "
                f"{canary['tokens_found_in_pinned_holes']})",
            )
        )
    injection = figures.get("security_injection")
    if injection:
        rows.append(
            (
                "Security: identifier injection",
                f"{_n(injection['bad inputs tried'])} hostile identifiers: "
                f"{_n(injection['refused before any request'])} refused before any request, "
                f"{_n(injection.get('sent percent-encoded in one segment', 0))} sent as one "
                f"encoded segment, {_n(injection.get('sent as one query value', 0))} as one "
                f"query value; escaped their route {injection['escaped their route']}",
            )
        )
    lines = ["| Suite | Last run |", "|---|---|"]
    lines += [f"| {name} | {text} |" for name, text in rows]
    lines.append(f"| Known holes pinned as strict xfail | {pinned_holes()} |")
    return "\n".join(lines)


def write_readme(block: str) -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"README.md has no {START} ... {END} block")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    readme.write_text(f"{head}{START}\n{block}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--run", action="store_true", help="run the reliability suites first")
    parser.add_argument("--write-readme", action="store_true", help="update README.md")
    args = parser.parse_args(argv)
    if args.run:
        command = [sys.executable, "-m", "pytest", "-q", "--no-cov", *SUITES]
        status = subprocess.call(command, cwd=ROOT)
        if status != 0:
            return status
    figures = load()
    if not figures:
        print(f"no figures in {figures_dir()}: run the suites (or pass --run)", file=sys.stderr)
        return 1
    block = table(figures)
    print(block)
    if args.write_readme:
        write_readme(block)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
