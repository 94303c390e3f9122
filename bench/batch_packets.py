"""Benchmark: the family example's packet for N employees (50 by default) as one `docgen batch packets` run
against N sequential `docgen packet` runs, side by side in one run (issue 20: ≥ 5× on 2 cores), with the
batch's peak memory.

Run: .venv/bin/python bench/batch_packets.py [--cases N] [--order batch-first|sequential-first] [--workers N]
     [--batch-only]  (the batch alone: its time and memory for a long roster, e.g. --cases 100)
Makes, in a temporary office folder (its docgen.toml: 10 s per document), two sets of N case folders
(cases/<id>/<id>-profile.yaml, copies of examples/gijinkoku-family.yaml with their own case id) and a roster
naming one set; then times, as staff run them (new `python -m docgen` processes, no warm converter running):
  - N sequential `docgen packet <profile>` runs over the first set (each converts with its own LibreOffice);
  - one `docgen batch packets <roster>` over the second (screening, its own warm pool, packets on every core).
Each packet goes into its case folder, as `docgen packet` puts it. Prints both times, per packet, the ratio, the
CPU seconds a packet costs each way (user and system, with every child: comparable whatever else loads the machine),
and the batch's memory: the largest process (ru_maxrss of the command and every process it waited for, with
this process's own), and the whole process tree's memory (PSS) sampled every 0.2 s (the batch, its workers,
its LibreOffice servers) — the figure that must stay flat whatever N (target < 1.5 GB). Writes
bench/results/batch_packets.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAMILY = ROOT / "examples" / "gijinkoku-family.yaml"
RESULTS = ROOT / "bench" / "results"
TARGET_RATIO, TARGET_MB = 5.0, 1536
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
TICKS = os.sysconf("SC_CLK_TCK")
# LibreOffice processes a batch stops at its end (their process group killed): their parent goes with them, so
# their CPU never reaches the batch's own account and is added from the last look at them
# (those seen in the last ORPHAN_SECONDS: the servers stopped at the end, not those started anew mid-run, whose
# CPU their unoserver collected)
ORPHANED = ("soffice.bin", "oosplash")
ORPHAN_SECONDS = 2.0


def make_cases(folder: Path, count: int, prefix: str) -> list[Path]:
    """`count` case folders of the family example under folder/cases, each with its own case id."""
    text = FAMILY.read_text(encoding="utf-8")
    profiles = []
    for n in range(count):
        case_id = f"{prefix}{n + 1:03d}"
        root = folder / "cases" / case_id
        root.mkdir(parents=True)
        profile = root / f"{case_id}-profile.yaml"
        profile.write_text(re.sub(r"^case_id: .*$", f"case_id: {case_id}", text, count=1, flags=re.M), "utf-8")
        profiles.append(profile)
    return profiles


def write_roster(folder: Path, profiles: list[Path]) -> Path:
    roster = folder / "roster.csv"
    lines = ["案件番号,氏名,類型,申請予定日,プロフィール,勤務先"]
    lines += [
        f"{p.parent.name},社員 {n + 1},,,{p.relative_to(folder)},株式会社サンプル" for n, p in enumerate(profiles)
    ]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return roster


def tree(root: int) -> dict[int, tuple[str, float]]:
    """The processes under `root` (and itself): pid -> (command name, CPU seconds it has used itself)."""
    children: dict[int, list[int]] = {}
    named: dict[int, tuple[str, float]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm, rest = (entry / "stat").read_text().rsplit(")", 1)
        except OSError:
            continue
        fields = rest.split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        named[int(entry.name)] = (comm.split("(", 1)[1], (int(fields[11]) + int(fields[12])) / TICKS)
    found, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in named:
            found[pid] = named[pid]
        todo += children.get(pid, [])
    return found


def _memory_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[21]) * PAGE_KB
    except (OSError, IndexError, ValueError):
        return 0


def run(cmd: list[str], cwd: Path, env: dict[str, str], sample: bool = False) -> tuple[float, float, int, int]:
    """Run a command to its end: wall seconds, CPU seconds (user and system, of the command and every process it
    waited for — its workers, the LibreOffice servers it started anew — plus, with `sample`, what the LibreOffice
    processes it stopped at its end had used at the last look, every 0.2 s), the peak of its largest process
    (KB: ru_maxrss, from wait4) and the sampled peak of its whole process tree's memory (KB, PSS; 0 unless
    `sample`)."""
    with tempfile.TemporaryFile() as out:
        began = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        peak = 0
        last: dict[int, tuple[str, float, float]] = {}  # pid -> name, CPU, when last seen
        done = threading.Event()

        def watch() -> None:
            nonlocal peak
            while not done.wait(0.2):
                seen = tree(proc.pid)
                now = time.perf_counter()
                last.update({pid: (name, cpu, now) for pid, (name, cpu) in seen.items()})
                peak = max(peak, sum(_memory_kb(pid) for pid in seen))

        watcher = threading.Thread(target=watch, daemon=True)
        if sample:
            watcher.start()
        _, status, usage = os.wait4(proc.pid, 0)
        took = time.perf_counter() - began
        proc.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        if sample:
            watcher.join()
        if proc.returncode != 0:
            out.seek(0)
            said = out.read().decode(errors="replace")
            raise SystemExit(f"{' '.join(cmd[2:5])} failed ({proc.returncode}):\n{said}")
    ended = began + took
    orphaned = sum(cpu for name, cpu, when in last.values() if name in ORPHANED and when >= ended - ORPHAN_SECONDS)
    return took, usage.ru_utime + usage.ru_stime + orphaned, usage.ru_maxrss, peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=50)
    parser.add_argument("--order", choices=("sequential-first", "batch-first"), default="sequential-first")
    parser.add_argument("--workers", type=int, default=0, help="the batch's workers (default: its own, one per CPU)")
    parser.add_argument("--batch-only", action="store_true", help="the batch alone (its time and memory for a long N)")
    args = parser.parse_args()
    n = args.cases
    env = {k: v for k, v in os.environ.items() if k not in ("DOCGEN_SETTINGS", "DOCGEN_LANG")}
    env["DOCGEN_LANG"] = "en"
    with tempfile.TemporaryDirectory() as tmp:
        office = Path(tmp)
        (office / "docgen.toml").write_text("[pdf]\nseconds_per_document = 10\n", encoding="utf-8")
        one_by_one = [] if args.batch_only else make_cases(office / "sequential", n, "S")
        roster = write_roster(office / "batch", make_cases(office / "batch", n, "B"))
        times: dict[str, float] = {}
        cpu: dict[str, float] = {"sequential": 0.0}

        def sequential() -> None:
            began = time.perf_counter()
            for profile in one_by_one:
                cpu["sequential"] += run([sys.executable, "-m", "docgen", "packet", str(profile)], office, env)[1]
            times["sequential"] = time.perf_counter() - began

        def batch() -> tuple[int, int]:
            cmd = [sys.executable, "-m", "docgen", "batch", "packets", str(roster)]
            if args.workers:
                cmd += ["--workers", str(args.workers)]
            times["batch"], cpu["batch"], largest, peak = run(cmd, office / "batch", env, sample=True)
            return largest, peak

        if args.batch_only:
            largest, tree_peak = batch()
        elif args.order == "sequential-first":
            sequential()
            largest, tree_peak = batch()
        else:
            largest, tree_peak = batch()
            sequential()
        made = sorted((office / "batch" / "cases").glob("*/*-packet/*-packet.pdf"))
        if len(made) != n:
            raise SystemExit(f"the batch made {len(made)} bundles, not {n}")
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    load = os.getloadavg()[0]
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load now {load:.1f}; {n} family packets")
    results: dict[str, float] = {"cases": n, "batch_s": times["batch"], "batch_cpu_s": cpu["batch"]}
    if "sequential" in times:
        each = times["sequential"] / n
        print(f"{n} sequential `docgen packet`: {times['sequential']:7.1f} s  ({each:.2f} s per packet)")
        results |= {"sequential_s": times["sequential"], "sequential_cpu_s": cpu["sequential"]}
    print(f"one `docgen batch packets`:   {times['batch']:7.1f} s  ({times['batch'] / n:.2f} s per packet)")
    print(
        "CPU seconds per packet (user + system, with every child and the batch's LibreOffice):"
        + (f" sequential {cpu['sequential'] / n:.2f}," if "sequential" in times else "")
        + f" batch {cpu['batch'] / n:.2f} — what a packet costs, whatever else runs on the machine"
    )
    if "sequential" in times:
        ratio = results["ratio"] = times["sequential"] / times["batch"]
        verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
        print(f"batch / sequential speed-up: {ratio:.2f}×  (target ≥ {TARGET_RATIO:.0f}× on 2 cores: {verdict})")
    print(
        f"batch memory: whole process tree peak {tree_peak / 1024:.0f} MB (PSS, sampled; target < {TARGET_MB} MB);"
        f" largest single process {largest / 1024:.0f} MB; this bench {self_kb / 1024:.0f} MB"
    )
    results |= {"batch_tree_peak_mb": tree_peak / 1024, "largest_process_mb": largest / 1024}
    RESULTS.mkdir(exist_ok=True)
    name = "batch_packets_batch_only.json" if args.batch_only else "batch_packets.json"
    (RESULTS / name).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
