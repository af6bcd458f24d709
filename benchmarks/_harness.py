"""What every benchmark shares: a local Hub in a child process, timing, medians, JSON.

Each benchmark runs its contenders in one process, one after another, ``--repeat``
times in rotation (so a burst of load on the machine hits every contender alike), and
reports for each the median rate with its min-max and its ratio to the floor's median.
Results are printed as a table and written as JSON (``--json PATH``).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TOKEN = "hf_local_token"


def _serve(models: int, latency: float, queue: Any, stop: Any) -> None:
    from hubapi_async.testing import Fault, LocalHub

    server = LocalHub(models=models, datasets=10, spaces=10, record_requests=False)
    if latency > 0:
        server.faults.add(Fault(kind="stall", delay=latency, origin="any"))
    with server.in_thread() as url:
        queue.put(url)
        stop.wait()


@contextmanager
def hub_process(models: int, *, latency: float = 0.0) -> Iterator[str]:
    """A local Hub with ``models`` models in a child process (each answer delayed by
    ``latency`` seconds); yields its URL."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    stop = ctx.Event()
    proc = ctx.Process(target=_serve, args=(models, latency, queue, stop), daemon=True)
    proc.start()
    try:
        yield queue.get(timeout=300)
    finally:
        stop.set()
        proc.join(10)
        if proc.is_alive():
            proc.kill()


@dataclass
class Result:
    """One contender's runs: units per second for each repetition."""

    name: str
    unit: str
    rates: list[float] = field(default_factory=list)
    floor: bool = False
    #: This process's CPU seconds per unit, each run (robust to load from other processes).
    cpu: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.rates) if self.rates else 0.0

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu) if self.cpu else 0.0


@dataclass
class Contender:
    name: str
    run: Callable[[], int]  # runs once, returns the number of units done
    floor: bool = False


def measure(contenders: list[Contender], *, repeat: int, unit: str) -> list[Result]:
    """Run every contender ``repeat`` times in rotation; rates in ``unit`` per second."""
    results = [Result(c.name, unit, floor=c.floor) for c in contenders]
    for _ in range(repeat):
        for contender, result in zip(contenders, results, strict=True):
            start, cpu = time.perf_counter(), time.process_time()
            units = contender.run()
            result.rates.append(units / (time.perf_counter() - start))
            result.cpu.append((time.process_time() - cpu) / max(units, 1))
    return results


def machine() -> dict[str, Any]:
    """Where the figures come from."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "load_1min": load,
    }


def report(title: str, results: list[Result], *, params: dict[str, Any]) -> dict[str, Any]:
    """Print a table (median rate, min-max, ratio to the floor) and return the JSON form."""
    floor = next((r.median for r in results if r.floor), None)
    floor_cpu = next((r.cpu_median for r in results if r.floor), None)
    print(f"\n{title}")
    print(
        f"{'contender':<46} {'median':>12} {'min-max':>23} {'vs floor':>9} "
        f"{'CPU us/' + results[0].unit:>12} {'CPU vs floor':>12}"
    )
    rows = []
    for r in results:
        ratio = r.median / floor if floor else None
        cpu_ratio = floor_cpu / r.cpu_median if floor_cpu and r.cpu_median else None
        spread = f"{min(r.rates):,.0f}-{max(r.rates):,.0f}"
        shown = f"{ratio:.2f}x" if ratio is not None else "-"
        cpu_shown = f"{cpu_ratio:.2f}x" if cpu_ratio is not None else "-"
        print(
            f"{r.name:<46} {r.median:>10,.0f}/s {spread:>23} {shown:>9} "
            f"{r.cpu_median * 1e6:>12.1f} {cpu_shown:>12}"
        )
        rows.append(
            {
                **asdict(r),
                "median": r.median,
                "ratio": ratio,
                "cpu_median": r.cpu_median,
                "cpu_ratio": cpu_ratio,
            }
        )
    return {"title": title, "params": params, "machine": machine(), "results": rows}


def parser(doc: str | None) -> argparse.ArgumentParser:
    """The options every benchmark takes."""
    p = argparse.ArgumentParser(description=(doc or "").strip().splitlines()[0])
    p.add_argument("--repeat", type=int, default=5, help="runs per contender (median reported)")
    p.add_argument("--json", type=Path, default=None, help="write the results here")
    return p


def write_json(path: Path | None, data: Any) -> None:
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2) + "\n")
        print(f"\nresults written to {path}")
