"""Benchmark: `docgen packet` (family example) cold and with the office's warm converter, side by side in one run,
against the cold floor (issue 20): `packet --no-pdf` plus one cold LibreOffice call converting the same Word files.

Run: .venv/bin/python bench/converter.py [--repeat N] [--servers N]
Every packet runs as staff run it (a new `python -m docgen packet` process, from an office folder with its own
docgen.toml, each time into a new packet folder so that nothing is reused); the warm converter is the one
`docgen converter start` runs (docgen/pdf/service.py), in a second office folder so the cold packets cannot use
it. Each round runs one of each step, so a load from elsewhere on the machine weighs on all of them alike.
Prints each median, the load average before and after, and the ratios to the floor (targets: cold ≤ 1.1,
warm ≤ 0.75): of the medians, and round by round (each round's packets against that round's floor, which a
load that comes and goes disturbs less); writes bench/results/converter.json.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import count
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import report  # noqa: E402

from docgen.pdf import service  # noqa: E402
from docgen.pdf.convert import convert_to_pdf, libreoffice_version  # noqa: E402

FAMILY = ROOT / "examples" / "gijinkoku-family.yaml"
TARGETS = {"cold packet / floor": 1.1, "warm packet / floor": 0.75}


def _load() -> str:
    """The machine's load average over the last minute (other work slows every step alike, the floor too)."""
    return f"{os.getloadavg()[0]:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--servers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "DOCGEN_SETTINGS"}
    runs: dict[str, list[float]] = {}
    loads = [_load(), ""]
    with tempfile.TemporaryDirectory() as tmp:
        cold, warm = Path(tmp) / "cold", Path(tmp) / "warm"  # two offices: only the warm one runs a converter
        for office in (cold, warm):
            office.mkdir()
            (office / "docgen.toml").write_text("[pdf]\nseconds_per_document = 10\n", encoding="utf-8")
        serial = count()

        def packet(office: Path, *more: str) -> Path:
            out = office / f"packet-{next(serial)}"
            cmd = [sys.executable, "-m", "docgen", "packet", str(FAMILY), "--out", str(out), *more]
            subprocess.run(cmd, check=True, capture_output=True, cwd=office, env=env)
            return out

        words = sorted(packet(cold, "--no-pdf").rglob("*.docx"))
        one_call = f"one cold LibreOffice call, {len(words)} Word files"
        warm_name = f"packet, warm ({args.servers} servers)"
        folder = warm / service.FOLDER
        began = time.perf_counter()
        state = service.spawn(folder, args.servers, 10.0)
        started = time.perf_counter() - began
        if not state.ready:
            raise SystemExit(f"the warm converter did not start: {[p.en for p in state.problems]}")
        try:
            packet(warm)  # the servers' first documents (fonts and filters loaded once)
            steps: dict[str, Callable[[], object]] = {
                "packet --no-pdf": lambda: packet(cold, "--no-pdf"),
                one_call: lambda: convert_to_pdf(words, cold / f"pdf-{next(serial)}"),
                "packet, cold": lambda: packet(cold),
                warm_name: lambda: packet(warm),
            }
            for _ in range(args.repeat):  # one of each per round: a load on the machine weighs on all alike
                for name, step in steps.items():
                    began = time.perf_counter()
                    step()
                    runs.setdefault(name, []).append(time.perf_counter() - began)
        finally:
            service.stop(folder)
    loads[1] = _load()
    results = {k: {"median_s": statistics.median(v), "min_s": min(v), "runs": len(v)} for k, v in runs.items()}
    machine = f"{libreoffice_version()}, {os.cpu_count()} CPUs, load average {loads[0]} before, {loads[1]} after"
    report(results, machine, "converter")
    floors = [a + b for a, b in zip(runs["packet --no-pdf"], runs[one_call], strict=True)]
    per_round = {
        "cold packet / floor": [c / f for c, f in zip(runs["packet, cold"], floors, strict=True)],
        "warm packet / floor": [w / f for w, f in zip(runs[warm_name], floors, strict=True)],
    }
    median = {k: v["median_s"] for k, v in results.items()}
    floor = median["packet --no-pdf"] + median[one_call]
    ratios = {"cold packet / floor": median["packet, cold"] / floor, "warm packet / floor": median[warm_name] / floor}
    print(f"\nfloor (packet --no-pdf + one cold call): {floor:.2f} s; warm converter started in {started:.1f} s")
    print(f"{'':<22} {'medians':>7}  {'rounds (each against its own floor)':<40}")
    for name, ratio in ratios.items():
        rounds = " ".join(f"{r:.2f}" for r in per_round[name])
        verdict = "meets" if ratio <= TARGETS[name] else "misses"
        print(f"{name:<22} {ratio:7.2f}  {rounds:<40} (target ≤ {TARGETS[name]}: {verdict})")


if __name__ == "__main__":
    main()
