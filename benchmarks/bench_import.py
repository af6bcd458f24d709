"""Import time: ``import hubapi_async`` vs ``import aiohttp, msgspec``, each in a fresh process.

Run: ``.venv/bin/python benchmarks/bench_import.py [--repeat 15]``

The figure is the CPU time of the ``import`` statement alone (measured inside a fresh
interpreter with ``time.process_time``, so interpreter start-up is left out, and so is
the time other processes of a shared machine take from it), median of ``--repeat``
processes; the target is within 1.3x of importing the two libraries the
client is built on. The CLI and the local Hub (``hubapi_async.cli``,
``hubapi_async.testing``) are not imported by ``import hubapi_async``.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from _harness import Result, parser, report, write_json

TIMED = "import time; t = time.process_time(); import {what}; print(time.process_time() - t)"
CHECK = (
    "import sys, hubapi_async; "
    "print(any(m.startswith(('hubapi_async.cli', 'hubapi_async.testing')) for m in sys.modules))"
)


def import_seconds(what: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", TIMED.format(what=what)], check=True, capture_output=True, text=True
    )
    return float(out.stdout.strip())


def main(argv: list[str] | None = None) -> dict[str, Any]:
    p = parser(__doc__)
    p.set_defaults(repeat=21)
    args = p.parse_args(argv)
    leaked = subprocess.run(
        [sys.executable, "-c", CHECK], check=True, capture_output=True, text=True
    ).stdout.strip()
    floor = Result("floor: import aiohttp, msgspec", "import", floor=True)
    ours = Result("import hubapi_async", "import")
    for _ in range(args.repeat):  # alternated, so load hits both alike
        floor.rates.append(1 / import_seconds("aiohttp, msgspec"))
        ours.rates.append(1 / import_seconds("hubapi_async"))
    data = report(
        "imports per second (1 / import time)", [floor, ours], params=vars(args) | {"json": None}
    )
    print(
        f"median import time: aiohttp+msgspec {1000 / floor.median:.1f} ms, "
        f"hubapi_async {1000 / ours.median:.1f} ms ({floor.median / ours.median:.2f}x); "
        f"CLI or testing imported: {leaked}"
    )
    data["cli_or_testing_imported"] = leaked == "True"
    write_json(args.json, data)
    return data


if __name__ == "__main__":
    main()
