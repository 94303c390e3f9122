"""A client's scan is read under limits that hold in any thread: a web server builds packets in worker threads,
where a signal-based time limit would silently do nothing.

The slow scan here is real: a 9-million-pixel PNG with transparency takes img2pdf a few seconds to turn into a
page (its soft mask is computed pixel by pixel). The test lowers the module's limit to one second rather than
waiting a minute, the way an office could configure a stricter one.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PIL import Image, ImageChops

from docgen.case.settings import Settings
from docgen.packet.build import PacketResult, build_packet
from docgen.pdf import evidence
from docgen.pdf.evidence import EvidenceSet, collect_evidence
from tests.conftest import EXAMPLES, ROOT, case_of

T = TypeVar("T")

SLOW_SIDE = 3000  # pixels: about 3 s to read on the test machine, three times the lowered limit
ITEMS = ["passport", "residence_certificate", "guarantor_id"]


def slow_scan(path: Path, side: int = SLOW_SIDE) -> Path:
    """A photo with an alpha channel (a phone's PNG export of a passport page): real, valid and slow to read."""
    noise = Image.effect_noise((side, side), 30)
    ramp = Image.linear_gradient("L").resize((side, side))
    Image.merge("RGBA", (noise, ramp, ImageChops.invert(noise), ramp)).save(path, compress_level=1)
    return path


def client_scans(folder: Path) -> Path:
    """The family example's scans, and the slow passport photo beside them."""
    shutil.copytree(EXAMPLES / "evidence", folder)
    slow_scan(folder / "passport-photo.png")
    return folder


def in_a_thread(work: Callable[[], T]) -> T:
    """`work()` run in a thread that is not the main one, as a threaded web server would; its result."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # handed to the test, which raises it
            box["error"] = exc

    thread = threading.Thread(target=run, name="request-1")
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "the build in the thread never finished"
    if "error" in box:
        raise box["error"]
    value: T = box["value"]
    return value


def reasons(found: EvidenceSet) -> dict[str, str]:
    return {path.name: why for path, why in found.rejected}


def test_a_slow_scan_is_stopped_and_named_when_the_packet_is_built_in_a_thread(tmp_path, monkeypatch):
    monkeypatch.setattr(evidence, "MAX_SECONDS", 1)
    scans = client_scans(tmp_path / "evidence")
    case = case_of(EXAMPLES / "gijinkoku-family.yaml", Settings(output_dir=tmp_path))

    result: PacketResult = in_a_thread(lambda: build_packet(case, out=tmp_path / "packet", evidence=scans, pdf=False))

    stopped = "reading the image took over 1 s; scan it again"  # the worker was stopped at the wall-clock limit
    assert {path.name: reason for path, reason in result.rejected} == {"passport-photo.png": stopped}
    # the other scans were placed, and the packet completed with its record of the stopped one
    placed = sorted(p.name for p in (result.folder / "evidence").iterdir())
    assert len(placed) == 2 and not any("passport" in name for name in placed), placed
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    assert {"file": "passport-photo.png", "reason": stopped} in manifest["inputs"]["evidence_rejected"]
    assert "passport-photo.png" in result.report.read_text(encoding="utf-8")
    assert result.documents, "the Word documents were written"


def test_the_same_scan_is_placed_under_the_usual_limit(tmp_path):
    """The scan stopped above is not broken: under the usual minute it becomes a page like any other."""
    scans = tmp_path / "scans"
    scans.mkdir()
    slow_scan(scans / "passport-photo.png", side=SLOW_SIDE // 2)
    found = in_a_thread(lambda: collect_evidence(scans, ITEMS, tmp_path / "work"))
    assert not found.rejected
    assert [f.pages for f in found.files["passport"]] == [1]


def test_a_scan_that_needs_too_much_memory_is_stopped_in_a_thread(tmp_path):
    """Decoding the photo needs far more than the lowered memory bound: its worker is stopped, the caller is not
    touched and the next scan is read as usual.

    Run in a new process, as `docgen packet` runs: the bound counts the worker's growth of its address space, and
    a worker forked from a process that has run for long (this test session) can reuse the free memory it
    inherited without growing it (a known limit of the bound, noted for the long-running web app)."""
    scans = tmp_path / "scans"
    scans.mkdir()
    slow_scan(scans / "passport-photo.png")
    shutil.copyfile(EXAMPLES / "evidence" / "guarantor_id-licence.jpg", scans / "guarantor_id-licence.jpg")
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from docgen.pdf import evidence\n"
        "from tests.test_scan_limits import ITEMS, in_a_thread, reasons\n"
        "evidence.MAX_MEMORY_MB = 64\n"
        "scans = Path(sys.argv[1])\n"
        "found = in_a_thread(lambda: evidence.collect_evidence(scans, ITEMS, scans.parent / 'work'))\n"
        "print(json.dumps([reasons(found), [f.source.name for f in found.files['guarantor_id']]]))\n"
    )
    run = subprocess.run([sys.executable, "-c", code, str(scans)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    rejected, licence = json.loads(run.stdout)
    assert rejected == {
        "passport-photo.png": "reading the image needs too much memory (over 64 MB); scan it again at a lower"
        " resolution"
    }
    assert licence == ["guarantor_id-licence.jpg"]


def test_the_main_thread_is_left_as_it_was(tmp_path, monkeypatch):
    """Reading scans sets no signal handler, timer or file-creation mask in the caller."""
    monkeypatch.setattr(evidence, "MAX_SECONDS", 1)
    scans = tmp_path / "scans"
    scans.mkdir()
    slow_scan(scans / "passport-photo.png")
    handlers = {s: signal.getsignal(s) for s in (signal.SIGALRM, signal.SIGXCPU, signal.SIGCHLD)}
    umask = os.umask(0o022)
    os.umask(umask)
    found = collect_evidence(scans, ITEMS, tmp_path / "work")
    assert reasons(found) == {"passport-photo.png": "reading the image took over 1 s; scan it again"}
    assert {s: signal.getsignal(s) for s in handlers} == handlers
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert os.umask(umask) == umask


# --- no signal-based limit anywhere in the library ---------------------------------------------------------------

SIGNAL_TIMERS = {"SIGALRM", "ITIMER_REAL", "ITIMER_VIRTUAL", "ITIMER_PROF", "setitimer", "alarm"}


def signal_timers(source: Path) -> list[str]:
    """Where `source` uses a signal timer: signal.alarm / signal.setitimer / SIGALRM, imported by name or not."""
    found = []
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"), str(source))):
        if isinstance(node, ast.Attribute) and node.attr in SIGNAL_TIMERS:
            found.append(f"{source.relative_to(ROOT)}:{node.lineno} {node.attr}")
        if isinstance(node, ast.ImportFrom) and node.module == "signal":
            found += [
                f"{source.relative_to(ROOT)}:{node.lineno} {a.name}" for a in node.names if a.name in SIGNAL_TIMERS
            ]
    return sorted(found)


def test_no_module_of_the_library_uses_a_signal_timer():
    modules = sorted((ROOT / "docgen").rglob("*.py"))
    assert len(modules) > 50
    assert [where for module in modules for where in signal_timers(module)] == []
    assert not (ROOT / "docgen" / "limits.py").exists()


def test_the_check_finds_a_signal_timer(tmp_path):
    """The check above would see one (the way docgen/limits.py used to time a scan)."""
    module = tmp_path / "docgen" / "old.py"
    module.parent.mkdir()
    module.write_text(
        "import signal\nfrom signal import alarm\nsignal.signal(signal.SIGALRM, print)\nsignal.setitimer(0, 1)\n",
        encoding="utf-8",
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(f"{__name__}.ROOT", tmp_path)
        assert signal_timers(module) == [
            "docgen/old.py:2 alarm",
            "docgen/old.py:3 SIGALRM",
            "docgen/old.py:4 setitimer",
        ]
