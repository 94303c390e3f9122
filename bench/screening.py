"""Benchmark: `docgen batch screen` over a company roster of 500 employees made from the examples (no packets).

Run: .venv/bin/python bench/screening.py [--employees N] [--repeat N]
Makes, in a temporary folder, one profile per employee (the examples in turn with their own case id; every 10th
with a paid 罰金, so blocked; every 25th a returned questionnaire instead of a YAML; every 100th naming a file
that is not there) and a roster .xlsx, then prints:
  - the screening in this process, rules already loaded (the use case alone), on 1 process and on every CPU
    (docgen/batch/parallel.py), best and median of the runs, and the speed-up;
  - the whole command (`python -m docgen batch screen`), when it is registered;
  - the peak resident memory of the process that screened, and of the command, from resource.getrusage.
Targets (issue 20): 500 employees ≤ 10 s; peak memory < 1.5 GB whatever the roster's length.
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
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402

from docgen.batch.parallel import cores, free_cores  # noqa: E402
from docgen.intake import prefill_data, write_questionnaire  # noqa: E402
from docgen.profile.load import load_profile_yaml  # noqa: E402
from docgen.usecases.batch import screen_roster  # noqa: E402
from docgen.usecases.context import RunContext  # noqa: E402

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
FINE = "  traffic:\n    - {date: 2023-05-01, kind: 罰金, description: 速度超過 略式命令, paid_on: 2023-07-10}\n"
TARGET_S, TARGET_MB = 10.0, 1536


def with_fine(text: str) -> str:
    """The profile with a paid fine (a 刑: blocked until five years after payment), unless it has traffic."""
    if "\n  traffic:" in text:
        return text.replace("\n  traffic:\n", "\n  traffic:\n" + FINE.split("\n", 1)[1], 1)
    return text.replace("\n  residence_history:", "\n" + FINE.rstrip("\n") + "\n  residence_history:", 1)


def make_roster(folder: Path, count: int) -> Path:
    """`count` employees: profiles under folder/profiles, questionnaires under folder/intake, the roster."""
    (folder / "profiles").mkdir(parents=True)
    (folder / "intake").mkdir()
    questionnaires = []
    for example in EXAMPLES:
        target = folder / "intake" / f"{example.stem}.xlsx"
        write_questionnaire(target, "ja", prefill_data(load_profile_yaml(example)))
        questionnaires.append(target)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "名簿"
    ws.append(["案件番号", "氏名", "類型", "申請予定日", "プロフィール", "勤務先"])
    for n in range(count):
        example = EXAMPLES[n % len(EXAMPLES)]
        case_id = f"E{n + 1:05d}"
        if n % 100 == 99:
            profile = "profiles/not-there.yaml"
        elif n % 25 == 24:
            profile = str(questionnaires[n % len(questionnaires)].relative_to(folder))
        else:
            text = re.sub(r"^case_id: .*$", f"case_id: {case_id}", example.read_text(encoding="utf-8"), flags=re.M)
            path = folder / "profiles" / f"{case_id}.yaml"
            path.write_text(with_fine(text) if n % 10 == 9 else text, encoding="utf-8")
            profile = str(path.relative_to(folder))
        planned = "令和9年4月1日" if n % 7 == 3 else None  # some rows plan another day than the profile
        ws.append([case_id, f"社員 {n + 1}", None, planned, profile, f"株式会社サンプル{n % 5 + 1}"])
    roster = folder / "roster.xlsx"
    wb.save(roster)
    return roster


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n = args.employees
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        roster = make_roster(folder, n)
        before = peak_mb(resource.RUSAGE_SELF)
        ctx = RunContext.load(now=datetime.now().astimezone(), near=folder)
        timings: dict[str, list[float]] = {}
        done = None
        for label, workers in (("1 process", 1), (f"{cores()} processes", cores()), ("the default", None)):
            for i in range(args.repeat):
                start = time.perf_counter()
                done = screen_roster(ctx, roster, folder / f"out-{i}.xlsx", workers=workers)
                timings.setdefault(label, []).append(time.perf_counter() - start)
        assert done is not None
        inside, workers_peak = peak_mb(resource.RUSAGE_SELF), peak_mb(resource.RUSAGE_CHILDREN)
        print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; roster of {n} employees")
        print("groups: " + ", ".join(f"{b.value} {c}" for b, c in done.counts.items()))
        for label, runs in timings.items():
            best = min(runs)
            print(
                f"screening in process, {label} (rules loaded): best {best:.2f} s,"
                f" median {statistics.median(runs):.2f} s ({args.repeat} runs; {1000 * best / n:.1f} ms per employee)"
                f" — target ≤ {TARGET_S:.0f} s for 500: {'met' if best * 500 / n <= TARGET_S else 'NOT met'}"
            )
        serial, spread, default = (min(runs) for runs in timings.values())
        print(
            f"speed-up on {cores()} processes: {serial / spread:.2f}×; the default (free CPUs now: {free_cores()})"
            f" {serial / default:.2f}×"
        )
        print(
            f"peak RSS: this process {inside:.0f} MB (before screening {before:.0f} MB), a worker {workers_peak:.0f} MB"
        )
        command = [sys.executable, "-m", "docgen", "batch", "screen", str(roster), "--out", str(folder / "cmd.xlsx")]
        env = {**os.environ, "DOCGEN_SETTINGS": ""}
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, cwd=tmp, env=env)
        whole = time.perf_counter() - start
        if result.returncode != 0:
            print(f"whole command: not run ({result.stderr.strip().splitlines()[-1:]})")
            return
        child = peak_mb(resource.RUSAGE_CHILDREN)  # the largest of the command and the workers before it
        print(f"whole command `docgen batch screen`: {whole:.2f} s; peak RSS {child:.0f} MB (target < {TARGET_MB} MB)")


if __name__ == "__main__":  # the guard the worker processes (spawned) need
    main()
