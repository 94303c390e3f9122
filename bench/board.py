"""Benchmark: the case board (`docgen cases`) over an office of 200 case folders made from the examples.

Run: .venv/bin/python bench/board.py [--repeat N] [--cases N]
Prints a table and writes bench/results/board.json. Every 4th case gets a packet's manifest (from one real
packet, Word files only), which is all the board reads of a packet. Speed is measured here, never in tests.
The board in this process is timed read by one process and as the command reads it (forked copies on the cores
idle at the time: docgen/board/parallel.py), each round of the three steps side by side; the whole command is
printed against issue 20's target (200 cases ≤ 1 s), with the CPU time it used (steadier than the wall clock
on a machine other work keeps busy) and the tasks running on the machine before the run (/proc/loadavg).
"""

from __future__ import annotations

import argparse
import os
import re
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

from timing import report, timed  # noqa: E402

from docgen.board import build_board  # noqa: E402
from docgen.board.build import folder_row  # noqa: E402
from docgen.board.model import Board  # noqa: E402
from docgen.board.output import board_text  # noqa: E402
from docgen.board.parallel import rows_of  # noqa: E402
from docgen.case import Settings, build_case, load_rules  # noqa: E402
from docgen.case.folder import CaseFolder, folders_under  # noqa: E402
from docgen.packet.build import build_packet  # noqa: E402

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
TARGET_S = 1.0  # issue 20: the board of 200 cases, whole process


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
    load = running()
    now = datetime.now().astimezone()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(output_dir=Path(tmp) / "output", cases_dir=Path(tmp) / "cases")
        rules = load_rules(settings)
        packet = build_packet(build_case(EXAMPLES[0], settings, rules, now=now), out=Path(tmp) / "p", pdf=False)
        make_office(settings.cases_dir, args.cases, packet.folder)
        n = args.cases
        rules = load_rules(settings)
        folders = folders_under(settings.cases_dir)

        def one_process() -> None:
            rows = rows_of(folders, folder_row, settings, rules, now, forks=0)
            board_text(Board(now.date(), settings.cases_dir, sorted(rows, key=lambda r: r.urgency)))

        def as_the_command_reads() -> None:
            board_text(build_board(settings.cases_dir, settings, rules, now=now))

        command = [sys.executable, "-m", "docgen", "cases", "--cases", str(settings.cases_dir)]
        env = {**os.environ, "DOCGEN_SETTINGS": ""}
        cpu: list[float] = []

        def whole_command() -> None:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(command, check=True, capture_output=True, cwd=tmp, env=env)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)

        steps = {
            f"board, {n} cases, rules loaded, one process": one_process,
            f"board, {n} cases, rules loaded, idle cores": as_the_command_reads,
            f"docgen cases, {n} cases (whole command)": whole_command,
        }
        rounds: dict[str, list[dict[str, float]]] = {name: [] for name in steps}
        for _ in range(args.repeat):  # side by side, round by round
            for name, step in steps.items():
                rounds[name].append(timed(step, 1))
        for name, runs in rounds.items():
            times = [r["median_s"] for r in runs]
            results[name] = {"median_s": statistics.median(times), "min_s": min(times), "runs": len(times)}
    report(results, f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; before the run: {load}", "board")
    whole = results[f"docgen cases, {n} cases (whole command)"]["median_s"]
    verdict = "meets" if whole <= TARGET_S or n != 200 else "misses"
    print(
        f"whole command: median {whole:.3f} s (CPU {statistics.median(cpu):.3f} s) — target ≤ {TARGET_S:.1f} s for"
        f" 200 cases: ratio {TARGET_S / whole:.2f} ({verdict})"
    )


def running() -> str:
    """The machine's load before the run: the tasks running now and the last minute's average."""
    try:
        fields = Path("/proc/loadavg").read_text(encoding="ascii").split()
    except OSError:
        return "load unknown"
    return f"tasks running {fields[3].split('/')[0]}, load average {fields[0]}"


if __name__ == "__main__":
    main()
