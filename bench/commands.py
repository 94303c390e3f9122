"""Benchmark: the whole-process time of the commands staff type most, against the targets of issue 20.

Run: .venv/bin/python bench/commands.py [--repeat N]
Each command runs as staff run it (a new `python -m docgen` process, from an empty folder); the interpreter's own
start (`python -c pass`) is measured beside them as the floor. Prints each median, its target and the ratio
target / measured (≥ 1.0 meets the target), with the CPU time the command used (steadier than the wall clock when
other work keeps the machine busy: the tasks running before the run are printed), and writes
bench/results/commands.json.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from board import make_office, running  # noqa: E402
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

        cpu: dict[tuple[str, ...], list[float]] = {}

        def run(*argv: str) -> None:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run([sys.executable, *argv], check=True, capture_output=True, cwd=work, env=env)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            cpu.setdefault(argv, []).append(used)

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
        load = running()
        for name, argv in commands.items():
            results[name] = timed(lambda argv=argv: run(*argv), args.repeat)
            results[name]["cpu_median_s"] = statistics.median(cpu[argv])
    report(results, f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; before the run: {load}", "commands")
    print()
    for name, target in TARGETS.items():
        if target:
            measured = results[name]["median_s"]
            verdict = "meets" if measured <= target else "misses"
            ratio = target / measured
            used = results[name]["cpu_median_s"]
            print(
                f"{name:<46} target {target:.2f} s  measured {measured:.3f} s (CPU {used:.3f} s)  ratio {ratio:.2f}"
                f" ({verdict})"
            )


if __name__ == "__main__":
    main()
