"""Benchmark: how long the steps of a packet take on this machine.

Run: .venv/bin/python bench/run.py [--repeat N]
Prints a table and writes bench/results/latest.json. Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.checklist.build import build_checklist  # noqa: E402
from docgen.documents.context import build_context  # noqa: E402
from docgen.pdf.convert import convert_to_pdf, libreoffice_version  # noqa: E402
from docgen.packet.build import build_packet  # noqa: E402
from docgen.profile.load import load_profile  # noqa: E402
from docgen.documents.render import render_docx  # noqa: E402
from docgen.rules.book import load_rulebook  # noqa: E402
from docgen.case.settings import Settings  # noqa: E402

EXAMPLE = ROOT / "examples" / "gijinkoku-family.yaml"


def timed(fn, repeat: int) -> dict[str, float]:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return {"median_s": statistics.median(runs), "min_s": min(runs), "runs": repeat}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    profile = load_profile(EXAMPLE)
    results: dict[str, dict[str, float]] = {}
    results["load rules (13 categories)"] = timed(lambda: load_rulebook(), args.repeat * 5)
    results["checklist, 13 categories x 12 dates"] = timed(
        lambda: [build_checklist(c, date(2026, m, 15)) for c in load_rulebook().categories for m in range(1, 13)], args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        ctx = build_context(profile)
        results["render one 申請書 (docxtpl)"] = timed(lambda: render_docx(ROOT / "templates" / "application_form.docx", ctx, Path(tmp) / "a.docx"), args.repeat * 5)
        docs = [render_docx(ROOT / "templates" / f"{t}.docx", ctx, Path(tmp) / f"{t}.docx")
                for t in ("application_form", "reason_letter", "guarantor_letter", "acknowledgement")]
        results["LibreOffice: 4 documents in one call"] = timed(lambda: convert_to_pdf(docs, Path(tmp) / "pdf"), args.repeat)
        results["whole packet, family of 3 (12 documents)"] = timed(
            lambda: build_packet(EXAMPLE, out=Path(tmp) / "packet", force=True, settings=Settings(output_dir=Path(tmp))), args.repeat)
    width = max(map(len, results))
    print(f"{libreoffice_version()}, Python {sys.version.split()[0]}")
    for name, r in results.items():
        print(f"{name:<{width}}  median {r['median_s'] * 1000:8.1f} ms   min {r['min_s'] * 1000:8.1f} ms   ({r['runs']} runs)")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
