"""Benchmark: the whole-process time of the commands staff type most, against the targets of issue 20.

Run: .venv/bin/python bench/commands.py [--repeat N]
Each command runs as staff run it (a new `python -m docgen` process, from an empty folder); the interpreter's own
start (`python -c pass`) is measured beside them as the floor. Prints each median, its target and the ratio
target / measured (≥ 1.0 meets the target), and writes bench/results/commands.json.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from board import make_office  # noqa: E402
from timing import report, timed  # noqa: E402

from docgen.case import Settings, build_case, load_rules  # noqa: E402
from docgen.packet.build import build_packet  # noqa: E402

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
TARGETS = {  # seconds, issue 20
    "docgen --help": 0.25,
    "docgen checklist gijinkoku --date 2026-11-30": 0.35,
    "docgen assess (family example)": None,
    "docgen cases, 200 cases": 1.0,
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "DOCGEN_SETTINGS"}
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        settings = Settings(output_dir=work / "output", cases_dir=work / "cases")
        now = datetime.now().astimezone()
        packet = build_packet(
            build_case(EXAMPLES[0], settings, load_rules(settings), now=now), out=work / "p", pdf=False
        )
        make_office(settings.cases_dir, 200, packet.folder)

        def run(*argv: str) -> None:
            subprocess.run([sys.executable, *argv], check=True, capture_output=True, cwd=work, env=env)

        family = str(ROOT / "examples" / "gijinkoku-family.yaml")
        commands = {
            "python -c pass (the floor)": ("-c", "pass"),
            "docgen --help": ("-m", "docgen", "--help"),
            "docgen checklist gijinkoku --date 2026-11-30": (
                "-m",
                "docgen",
                "checklist",
                "gijinkoku",
                "--date",
                "2026-11-30",
            ),
            "docgen assess (family example)": ("-m", "docgen", "assess", family),
            "docgen cases, 200 cases": ("-m", "docgen", "cases", "--cases", str(settings.cases_dir)),
        }
        for name, argv in commands.items():
            results[name] = timed(lambda argv=argv: run(*argv), args.repeat)
    report(results, f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs", "commands")
    print()
    for name, target in TARGETS.items():
        if target:
            measured = results[name]["median_s"]
            verdict = "meets" if measured <= target else "misses"
            ratio = target / measured
            print(f"{name:<46} target {target:.2f} s  measured {measured:.3f} s  ratio {ratio:.2f} ({verdict})")


if __name__ == "__main__":
    main()
