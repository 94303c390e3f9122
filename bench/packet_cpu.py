"""Benchmark: what a family packet costs in CPU, part by part, and the best speed-up a batch can have here.

Run: .venv/bin/python bench/packet_cpu.py [--cases N] [--rounds N]   (on a quiet machine: it reads the machine's
CPU time from /proc/stat, so other work would be counted too; it prints the load before and after)

A batch cannot go faster than its CPU work spread over every core. Measured side by side in one run, in a
temporary office folder with N case folders of the family example:
  - `docgen packet` (cold, as staff run it one case at a time): wall seconds per packet — the baseline;
  - its 16 Word files (the index among them) converted on one warm LibreOffice server (docgen's pool, as a batch
    converts): CPU seconds, median of the rounds after a first one;
  - `docgen batch packets --no-pdf` over the N cases: CPU seconds per packet — docgen's own work in a batch
    (screening, filling the Word files, the index), without LibreOffice.
The bound is baseline / ((LibreOffice + docgen) / cores): what a batch would reach if nothing else (the PDF
bundle, page counting, starting the servers) cost anything and every core were busy all the time.
Writes bench/results/packet_cpu.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from batch_packets import make_cases, write_roster  # noqa: E402

from docgen.pdf.warm import WarmConverter  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
PYTHON = [sys.executable, "-m", "docgen"]
TARGET_RATIO = 5.0


def busy() -> float:
    """CPU seconds the whole machine has spent working (user, nice, system, irq …; not idle or waiting)."""
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / TICKS


def timed(work: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, machine CPU seconds) of calling `work`."""
    cpu, began = busy(), time.perf_counter()
    work()
    return time.perf_counter() - began, busy() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    env = dict(os.environ, DOCGEN_LANG="en")
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="docgen-bench-") as name:
        office = Path(name)
        (office / "docgen.toml").write_text("[pdf]\nseconds_per_document = 10\n", encoding="utf-8")
        single, batch = make_cases(office, args.cases, "S"), make_cases(office, args.cases, "B")

        def run(*cmd: str) -> None:
            subprocess.run([*PYTHON, *cmd], cwd=office, env=env, check=True, capture_output=True)

        wall, _ = timed(lambda: [run("packet", str(p)) for p in single])
        baseline = wall / args.cases
        packet = single[0].parent / f"{single[0].parent.name}-packet"
        docs = sorted([*packet.glob("docx/*.docx"), *packet.glob("client/*.docx")])  # what a packet converts
        assert len(docs) >= 10, docs
        warm: list[float] = []
        with WarmConverter(1, per_document=10) as pool:
            for n in range(args.rounds + 1):
                _, cpu = timed(partial(pool.convert, docs, office / f"warm-{n}"))
                if n:
                    warm.append(cpu)  # the first round warms the server up
        libreoffice = statistics.median(warm)
        _, filling = timed(lambda: run("batch", "packets", str(write_roster(office, batch)), "--no-pdf"))
        docgen = filling / args.cases
    bound = baseline / ((libreoffice + docgen) / cores)
    print(f"{cores} CPUs, load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after; {args.cases} cases")
    print(f"`docgen packet` (cold), wall per packet:                  {baseline:6.2f} s  (the baseline)")
    print(
        f"its {len(docs)} Word files on one warm LibreOffice, CPU:       {libreoffice:6.2f} s  (median of {len(warm)})"
    )
    print(f"`docgen batch packets --no-pdf`, CPU per packet:           {docgen:6.2f} s")
    print(
        f"best batch speed-up on {cores} cores: {bound:.2f}×  (target ≥ {TARGET_RATIO:g}×: "
        + ("within reach" if bound >= TARGET_RATIO else "out of reach")
        + f"; LibreOffice alone allows {baseline / (libreoffice / cores):.2f}×)"
    )
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "packet_cpu.json").write_text(
        json.dumps(
            {
                "cores": cores,
                "cases": args.cases,
                "packet_wall_s": baseline,
                "libreoffice_warm_cpu_s": libreoffice,
                "docgen_batch_no_pdf_cpu_s": docgen,
                "best_speedup": bound,
                "libreoffice_only_speedup": baseline / (libreoffice / cores),
            },
            indent=2,
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
