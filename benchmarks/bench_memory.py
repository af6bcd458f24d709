"""Memory: peak RSS of a process walking 10,000 vs 200,000 models (no item kept).

Run: ``.venv/bin/python benchmarks/bench_memory.py [--small 10000] [--large 200000]``

Each walk runs in a fresh Python process (its ``VmHWM``, the peak resident set of that
process alone; ``ru_maxrss`` would include the parent's at fork) against
the local Hub in another process, consuming items as they come and keeping none. A
streaming client's peak should not grow with the number of items walked: the figure
that matters is the difference between the large and the small walk (target: within
10 MiB). The floor (a hand-written aiohttp + msgspec loop) is measured the same way.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from _harness import hub_process, machine, parser, write_json

HERE = Path(__file__).resolve().parent

WALK = """
import asyncio, resource, sys
sys.path.insert(0, {here!r})
import bench_listing as b
url, items, who = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if who == "ours":
    n = asyncio.run(b.ours(url, items, False))
elif who == "prefetch":
    n = asyncio.run(b.ours(url, items, True))
else:
    n = asyncio.run(b.floor(url, items))
assert n == items, n
try:  # this process's own high-water mark (ru_maxrss also counts the parent's at fork)
    with open("/proc/self/status") as status:
        print(next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")))
except (OSError, StopIteration):
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_kib(url: str, items: int, who: str) -> int:
    code = WALK.format(here=str(HERE))
    out = subprocess.run(
        [sys.executable, "-c", code, url, str(items), who],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> dict[str, Any]:
    p = parser(__doc__)
    p.add_argument("--small", type=int, default=10_000)
    p.add_argument("--large", type=int, default=200_000)
    args = p.parse_args(argv)
    rows = []
    with hub_process(args.large + 1000) as url:
        peak_kib(url, args.small, "floor")  # warm the server
        print(f"\npeak RSS walking {args.small:,} vs {args.large:,} models (MiB, median)")
        print(f"{'walker':<28} {'small':>8} {'large':>8} {'growth':>8}")
        for who in ("floor", "ours", "prefetch"):
            small = [peak_kib(url, args.small, who) / 1024 for _ in range(args.repeat)]
            large = [peak_kib(url, args.large, who) / 1024 for _ in range(args.repeat)]
            s, big = statistics.median(small), statistics.median(large)
            print(f"{who:<28} {s:>8.1f} {big:>8.1f} {big - s:>+8.1f}")
            rows.append(
                {"name": who, "small_mib": small, "large_mib": large, "growth_mib": big - s}
            )
    data = {
        "title": f"peak RSS, {args.small:,} vs {args.large:,} models",
        "params": {"small": args.small, "large": args.large, "repeat": args.repeat},
        "machine": machine(),
        "results": rows,
    }
    write_json(args.json, data)
    return data


if __name__ == "__main__":
    main()
