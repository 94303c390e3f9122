"""Benchmark: `docgen packet` (family example) cold and with the office's warm converter, side by side in one run,
against the cold floor (issue 20): `packet --no-pdf` plus one cold LibreOffice call converting the same Word files.

Run: .venv/bin/python bench/converter.py [--repeat N] [--servers N]
Every packet runs as staff run it (a new `python -m docgen packet` process, from an office folder with its own
docgen.toml, each time into a new packet folder so that nothing is reused); the warm converter is the one
`docgen converter start` runs (docgen/pdf/service.py), started once before the warm runs and stopped after.
Prints each median and the ratios to the floor (targets: cold ≤ 1.1, warm ≤ 0.75); writes
bench/results/converter.json.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from itertools import count
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import report, timed  # noqa: E402

from docgen.pdf import service  # noqa: E402
from docgen.pdf.convert import convert_to_pdf, libreoffice_version  # noqa: E402

FAMILY = ROOT / "examples" / "gijinkoku-family.yaml"
TARGETS = {"cold packet / floor": 1.1, "warm packet / floor": 0.75}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--servers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "DOCGEN_SETTINGS"}
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        office = Path(tmp)
        (office / "docgen.toml").write_text("[pdf]\nseconds_per_document = 10\n", encoding="utf-8")
        runs = count()

        def packet(*more: str) -> Path:
            out = office / f"packet-{next(runs)}"
            cmd = [sys.executable, "-m", "docgen", "packet", str(FAMILY), "--out", str(out), *more]
            subprocess.run(cmd, check=True, capture_output=True, cwd=office, env=env)
            return out

        results["packet --no-pdf"] = timed(lambda: packet("--no-pdf"), args.repeat)
        words = sorted(packet("--no-pdf").rglob("*.docx"))
        results[f"one cold LibreOffice call, {len(words)} Word files"] = timed(
            lambda: convert_to_pdf(words, office / f"pdf-{next(runs)}"), args.repeat
        )
        results["packet, cold"] = timed(packet, args.repeat)
        folder = office / service.FOLDER
        began = time.perf_counter()
        state = service.spawn(folder, args.servers, 10.0)
        started = time.perf_counter() - began
        if not state.ready:
            raise SystemExit(f"the warm converter did not start: {[p.en for p in state.problems]}")
        try:
            packet()  # the servers' first documents (fonts, filters loaded once)
            results[f"packet, warm ({args.servers} servers)"] = timed(packet, args.repeat)
        finally:
            service.stop(folder)
    report(results, f"{libreoffice_version()}, {os.cpu_count()} CPUs", "converter")
    median = {k: v["median_s"] for k, v in results.items()}
    floor = median["packet --no-pdf"] + median[f"one cold LibreOffice call, {len(words)} Word files"]
    ratios = {
        "cold packet / floor": median["packet, cold"] / floor,
        "warm packet / floor": median[f"packet, warm ({args.servers} servers)"] / floor,
    }
    print(f"\nfloor (packet --no-pdf + one cold call): {floor:.2f} s; warm converter started in {started:.1f} s")
    for name, ratio in ratios.items():
        verdict = "meets" if ratio <= TARGETS[name] else "misses"
        print(f"{name:<22} {ratio:5.2f}  (target ≤ {TARGETS[name]}: {verdict})")


if __name__ == "__main__":
    main()
