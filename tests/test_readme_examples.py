"""The README's examples for users, organizations and resource groups run as written."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
HEADER = (
    "import asyncio\n"
    "from hubapi_async import HubClient\n"
    "from hubapi_async.testing import LocalHub\n"
)


def section_blocks(title: str) -> list[str]:
    text = README.read_text("utf-8")
    start = text.index(f"### {title}\n")
    following = re.search(r"\n##+ ", text[start + 1 :])
    part = text[start : start + 1 + following.start() if following else None]
    return re.findall(r"```python\n(.*?)```", part, re.S)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Users", "demo [('demo-org', 'admin')]\nbob\n"),
        ("Organizations", "member-0110 contributor\nmember-0111 read\n"),
        ("Resource groups", "research 2\n"),
    ],
)
def test_readme_example_runs(title: str, expected: str) -> None:
    (block,) = section_blocks(title)
    whole = re.search(r"^asyncio\.run\(", block, re.M) is not None
    code = block if whole else f"{HEADER}{block}\nasyncio.run(main())\n"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, f"README.md ({title})", "exec"), {"__name__": "readme"})
    assert expected in out.getvalue()
