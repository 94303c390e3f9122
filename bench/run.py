"""Benchmark: how long the steps of a packet take on this machine.

Run: .venv/bin/python bench/run.py [--repeat N]
Prints a table and writes bench/results/latest.json. Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import report, timed  # noqa: E402

from docgen.assessment import assess_case  # noqa: E402
from docgen.case import Settings, build_case, load_rules  # noqa: E402
from docgen.checklist import build_checklist, case_checklist  # noqa: E402
from docgen.documents.generate import contexts  # noqa: E402
from docgen.documents.render import render_docx  # noqa: E402
from docgen.packet.build import build_packet  # noqa: E402
from docgen.pdf.convert import convert_to_pdf, libreoffice_version  # noqa: E402
from docgen.resources import TEMPLATES  # noqa: E402

EXAMPLE = ROOT / "examples" / "gijinkoku-family.yaml"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    settings = Settings()
    results["load every rule file"] = timed(lambda: load_rules(settings), args.repeat * 5)
    rules = load_rules(settings)
    results["checklist, 13 categories x 12 dates"] = timed(
        lambda: [
            build_checklist(rules.book, c, date(2026, m, 15)) for c in rules.book.categories for m in range(1, 13)
        ],
        args.repeat,
    )
    now = datetime.now().astimezone()
    with tempfile.TemporaryDirectory() as tmp:
        case = build_case(EXAMPLE, Settings(output_dir=Path(tmp)), rules, now=now)
        results["assess a family of 3"] = timed(lambda: assess_case(case), args.repeat * 5)
        assessment = assess_case(case)
        results["case checklist, family of 3"] = timed(lambda: case_checklist(case, assessment), args.repeat * 5)
        ctx = contexts(case, assessment)[case.profile.applicant.display_name]
        results["render one 申請書 (docxtpl)"] = timed(
            lambda: render_docx(TEMPLATES / "application_form.docx", ctx, Path(tmp) / "a.docx"), args.repeat * 5
        )
        docs = [
            render_docx(TEMPLATES / f"{t}.docx", ctx, Path(tmp) / f"{t}.docx")
            for t in ("application_form", "reason_letter", "guarantor_letter", "acknowledgement")
        ]
        results["LibreOffice: 4 documents in one call"] = timed(
            lambda: convert_to_pdf(docs, Path(tmp) / "pdf"), args.repeat
        )
        runs = iter(range(args.repeat))  # a new folder each time: a rebuild would reuse the PDFs
        results["whole packet, family of 3 (12 documents)"] = timed(
            lambda: build_packet(case, out=Path(tmp) / f"packet-{next(runs)}"), args.repeat
        )
    report(results, f"{libreoffice_version()}, Python {sys.version.split()[0]}", "latest")


if __name__ == "__main__":
    main()
