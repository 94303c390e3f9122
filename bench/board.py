"""Benchmark: the case board (`docgen cases`) over an office of 200 case folders made from the examples.

Run: .venv/bin/python bench/board.py [--repeat N] [--cases N]
Prints a table and writes bench/results/board.json. Every 4th case gets a packet's manifest (from one real
packet, Word files only), which is all the board reads of a packet. Speed is measured here, never in tests.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import report, timed  # noqa: E402

from docgen.board import build_board  # noqa: E402
from docgen.board.output import board_text  # noqa: E402
from docgen.case import Settings, build_case, load_rules  # noqa: E402
from docgen.case.folder import CaseFolder  # noqa: E402
from docgen.packet.build import build_packet  # noqa: E402

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def make_office(cases_dir: Path, count: int, packet: Path) -> None:
    """`count` case folders, the examples in turn with a new case id; every 4th with the packet's manifest."""
    for n in range(count):
        example = EXAMPLES[n % len(EXAMPLES)]
        text = example.read_text(encoding="utf-8")
        case_id = f"2026-{n + 1:03d}-{text.split('case_id: ')[1].split()[0].rsplit('-', 1)[1]}"
        folder = CaseFolder.under(cases_dir, case_id)
        folder.root.mkdir(parents=True)
        folder.profile.write_text(re.sub(r"^case_id: .*$", f"case_id: {case_id}", text, flags=re.M), encoding="utf-8")
        if n % 4 == 0:
            folder.packet.mkdir()
            for source in packet.glob("*-manifest.json"):
                (folder.packet / source.name).write_bytes(source.read_bytes())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cases", type=int, default=200)
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    now = datetime.now().astimezone()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(output_dir=Path(tmp) / "output", cases_dir=Path(tmp) / "cases")
        rules = load_rules(settings)
        packet = build_packet(build_case(EXAMPLES[0], settings, rules, now=now), out=Path(tmp) / "p", pdf=False)
        make_office(settings.cases_dir, args.cases, packet.folder)
        n = args.cases

        def board() -> None:
            board_text(build_board(settings.cases_dir, settings, load_rules(settings), now=now))

        results[f"board, {n} cases, rules loaded"] = timed(board, args.repeat)
        command = [sys.executable, "-m", "docgen", "cases", "--cases", str(settings.cases_dir)]
        env = {**os.environ, "DOCGEN_SETTINGS": ""}
        results[f"docgen cases, {n} cases (whole command)"] = timed(
            lambda: subprocess.run(command, check=True, capture_output=True, cwd=tmp, env=env), args.repeat
        )
    report(results, f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs", "board")


if __name__ == "__main__":
    main()
