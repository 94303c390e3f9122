"""What the benchmarks share: time a step, print the table, write the results (bench/results/NAME.json)."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def timed(fn: Callable[[], object], repeat: int) -> dict[str, float]:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return {"median_s": statistics.median(runs), "min_s": min(runs), "runs": repeat}


def report(results: dict[str, dict[str, float]], header: str, name: str) -> None:
    """Print one line per step under `header` and write bench/results/<name>.json."""
    width = max(map(len, results))
    print(header)
    for step, r in results.items():
        median, least = r["median_s"] * 1000, r["min_s"] * 1000
        print(f"{step:<{width}}  median {median:8.1f} ms   min {least:8.1f} ms   ({r['runs']} runs)")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
