"""Every benchmark in one run: JSON results, a chart, and the README's table.

Run: ``.venv/bin/python benchmarks/run_all.py [--repeat 5] [--quick]``

Writes ``benchmarks/results/latest.json`` (every figure, with the machine it ran on),
``benchmarks/results/ratios.png`` (each contender's median as a ratio to the floor of
its workload, with the targets), and prints the Markdown table of the README's
"Performance" section. ``--quick`` uses fewer items and calls (for development).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import bench_decode
import bench_import
import bench_info
import bench_listing
import bench_memory
from _harness import machine, parser

RESULTS = Path(__file__).resolve().parent / "results"

#: (workload key, contender name) -> target ratio to the floor.
TARGETS = {
    ("listing", "hubapi_async models.list"): 0.9,
    ("listing", "hubapi_async models.list prefetch=True"): 1.0,
    ("info", "hubapi_async models.info, 32 workers"): 0.85,
    ("info_latency", "hubapi_async models.info, 32 workers"): 0.9,
    ("decode", "hubapi_async Response.decode"): 0.9,
    ("import", "import hubapi_async"): 1 / 1.3,  # import time within 1.3x
}


def _rows(key: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for r in data["results"]:
        rows.append({**r, "target": TARGETS.get((key, r["name"]))})
    return rows


def table(runs: dict[str, dict[str, Any]]) -> str:
    """The README table: one row per contender of each workload."""
    lines = [
        "| workload | contender | median | min-max | vs floor | CPU vs floor | target |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, data in runs.items():
        if key in ("memory", "import"):
            continue
        for r in _rows(key, data):
            ratio = f"{r['ratio']:.2f}x" if r.get("ratio") else "-"
            cpu = f"{r['cpu_ratio']:.2f}x" if r.get("cpu_ratio") else "-"
            target = f">= {r['target']:.2f}x" if r["target"] else ""
            spread = f"{min(r['rates']):,.0f}-{max(r['rates']):,.0f}"
            unit = r["unit"]
            lines.append(
                f"| {data['title']} | {r['name']} | {r['median']:,.0f} {unit}/s | {spread} | "
                f"{ratio} | {cpu} | {target} |"
            )
    imports = runs.get("import")
    if imports:
        floor_ms, ours_ms = (1000 / r["median"] for r in imports["results"])
        lines.append(
            f"| import (CPU time, fresh process) | `import hubapi_async` vs `import aiohttp, "
            f"msgspec` | {ours_ms:.0f} ms vs {floor_ms:.0f} ms | - | "
            f"{ours_ms / floor_ms:.2f}x the time | - | <= 1.30x |"
        )
    memory = runs.get("memory")
    if memory:
        for r in memory["results"]:
            lines.append(
                f"| {memory['title']} | {r['name']} | growth {r['growth_mib']:+.1f} MiB | "
                f"{min(r['small_mib']):.0f} / {min(r['large_mib']):.0f} MiB | - | - | "
                f"{'<= +10 MiB' if r['name'] == 'ours' else ''} |"
            )
    return "\n".join(lines)


def chart(runs: dict[str, dict[str, Any]], path: Path) -> None:
    """Horizontal bars: each contender's ratio to its floor, targets as ticks."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels, ratios, targets = [], [], []
    for key, data in runs.items():
        if key == "memory":
            continue
        for r in _rows(key, data):
            if r.get("floor") or r.get("ratio") is None:
                continue
            labels.append(f"{key}: {r['name']}")
            ratios.append(r["ratio"])
            targets.append(r["target"])
    labels = [
        label.replace("import: import hubapi_async", "import: 1 / time ratio") for label in labels
    ]
    fig, ax = plt.subplots(figsize=(10, 0.45 * len(labels) + 1.5))
    y = list(range(len(labels)))
    colors = [
        "#2b8a3e" if t is not None and v >= t else "#c92a2a" if t is not None else "#868e96"
        for v, t in zip(ratios, targets, strict=True)
    ]
    ax.barh(y, ratios, color=colors)
    for i, t in enumerate(targets):
        if t is not None:
            ax.plot([t, t], [i - 0.4, i + 0.4], color="black", linewidth=2)
    ax.axvline(1.0, color="#495057", linestyle="--", linewidth=1)
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("median rate / floor's median (black tick: target)")
    m = machine()
    load = f", load {m['load_1min']:.1f}" if m.get("load_1min") is not None else ""
    ax.set_title(f"hubapi_async vs the floor: {m['cpu']}, {m['cores']} cores{load}", fontsize=9)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)


def main(argv: list[str] | None = None) -> None:
    p = parser(__doc__)
    p.add_argument("--quick", action="store_true", help="fewer items and calls")
    p.add_argument("--report", type=Path, help="only redraw the chart and table from this JSON")
    args = p.parse_args(argv)
    if args.report:
        runs = json.loads(args.report.read_text())["runs"]
        chart(runs, RESULTS / "ratios.png")
        print(table(runs))
        return
    rep = ["--repeat", str(args.repeat)]
    items = ["--items", "20000"] if args.quick else []
    calls = ["--calls", "1000"] if args.quick else []
    runs = {
        "listing": bench_listing.main([*rep, *items]),
        "info": bench_info.main([*rep, *calls]),
        "info_latency": bench_info.main([*rep, *calls, "--latency", "0.03"]),
        "decode": bench_decode.main(rep),
        "memory": bench_memory.main(
            ["--repeat", "1" if args.quick else "2"] + (["--large", "100000"] if args.quick else [])
        ),
        "import": bench_import.main(["--repeat", "9" if args.quick else "15"]),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = args.json or RESULTS / "latest.json"
    out.write_text(json.dumps({"machine": machine(), "runs": runs}, indent=2) + "\n")
    chart(runs, RESULTS / "ratios.png")
    print("\n" + table(runs))
    print(f"\nresults: {out}\nchart: {RESULTS / 'ratios.png'}")


if __name__ == "__main__":
    main()
