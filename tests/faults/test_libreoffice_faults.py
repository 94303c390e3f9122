"""Own the child processes (issue 10.2, 10.3): a LibreOffice that hangs, crashes or writes garbage, and docgen
killed at any moment, end in a message — with no LibreOffice left running, nothing written after clean-up, no
work folder and no file readable by others."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT, needs_libreoffice

FAKE = Path(__file__).parent / "fake_soffice.sh"
SLOW_TEMPLATE_LOOP = (
    "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(8) %}{% endfor %}{% endfor %}{% endfor %}"
)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text().split("State:")[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has ended; only its parent's bookkeeping is left


def pids(tmp_path: Path) -> list[int]:
    path = tmp_path / "pids"
    return [int(x) for x in path.read_text().split()] if path.exists() else []


@pytest.fixture
def office(tmp_path) -> Path:
    """A working folder: the profile, docgen.toml with a short LibreOffice budget, an output folder."""
    work = tmp_path / "office"
    work.mkdir()
    shutil.copyfile(EXAMPLES / "teijusha.yaml", work / "case.yaml")
    (work / "docgen.toml").write_text("[pdf]\nseconds_per_document = 0.5\n", encoding="utf-8")
    return work


def env_for(tmp_path: Path, mode: str) -> dict[str, str]:
    return dict(os.environ, DOCGEN_SOFFICE=str(FAKE), FAKE_MODE=mode, FAKE_PIDS=str(tmp_path / "pids"))


def assert_clean(office: Path, tmp_path: Path) -> None:
    """No LibreOffice left, no work folder, no packet, nothing readable by others."""
    deadline = time.monotonic() + 5
    while any(alive(p) for p in pids(tmp_path)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p for p in pids(tmp_path) if alive(p)], "a LibreOffice process was left running"
    out = office / "output"
    left = [p.name for p in out.iterdir()] if out.exists() else []
    assert not [n for n in left if ".partial-" in n or n.startswith("teijusha") or n.startswith("2026")], left
    for path in out.rglob("*") if out.exists() else []:
        assert not stat.S_IMODE(path.stat().st_mode) & 0o077, f"{path} is readable by others"


@pytest.mark.parametrize(
    ("mode", "words"),
    [("hang", "did not finish within"), ("crash", "could not convert"), ("garbage", "could not convert")],
)
def test_a_broken_libreoffice_ends_in_a_message_with_advice(office, tmp_path, mode, words):
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "docgen", "packet", "case.yaml"],
        capture_output=True,
        text=True,
        cwd=office,
        env=env_for(tmp_path, mode),
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert words in result.stderr and "--no-pdf" in result.stderr and "Traceback" not in result.stderr
    assert time.monotonic() - started < 60
    assert_clean(office, tmp_path)


def test_nothing_lands_after_the_clean_up(office, tmp_path):
    """A LibreOffice that ignores TERM and writes its PDF late is killed; the PDF never appears."""
    result = subprocess.run(
        [sys.executable, "-m", "docgen", "packet", "case.yaml"],
        capture_output=True,
        text=True,
        cwd=office,
        env=dict(env_for(tmp_path, "late")),
        timeout=120,
    )
    assert result.returncode == 2 and "did not finish" in result.stderr
    time.sleep(4)
    assert not list((office / "output").rglob("*.pdf")) if (office / "output").exists() else True
    assert_clean(office, tmp_path)


def _start(office: Path, tmp_path: Path, mode: str, settings: str = "") -> subprocess.Popen:
    (office / "docgen.toml").write_text(settings + "[pdf]\nseconds_per_document = 30\n", encoding="utf-8")
    return subprocess.Popen(
        [sys.executable, "-m", "docgen", "packet", "case.yaml"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=office,
        env=env_for(tmp_path, mode),
    )


def _wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the run never reached the stage"
        time.sleep(0.05)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_killed_during_conversion(office, tmp_path, sig):
    proc = _start(office, tmp_path, "hang")
    _wait_for(lambda: len(pids(tmp_path)) >= 2)  # LibreOffice and its child are running
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err
    assert_clean(office, tmp_path)


def test_killed_while_filling_the_templates(office, tmp_path):
    from docx import Document

    templates = office / "office-templates"
    templates.mkdir()
    doc = Document(str(ROOT / "templates" / "reason_letter.docx"))
    doc.add_paragraph(SLOW_TEMPLATE_LOOP)  # a few seconds of rendering: the signal lands in it
    doc.save(str(templates / "reason_letter.docx"))
    proc = _start(office, tmp_path, "hang", '[paths]\ntemplates = "office-templates"\n')
    out = office / "output"
    _wait_for(lambda: out.exists() and any(".partial-" in p.name for p in out.iterdir()))
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted" in err and not pids(tmp_path)  # LibreOffice never started
    assert_clean(office, tmp_path)


@needs_libreoffice()
def test_a_real_conversion_leaves_no_libreoffice_behind(office, tmp_path):
    (office / "docgen.toml").unlink()
    before = {p.pid for p in _soffice_processes()}
    result = subprocess.run(
        [sys.executable, "-m", "docgen", "packet", "case.yaml"], capture_output=True, text=True, cwd=office, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert {p.pid for p in _soffice_processes()} <= before
    for path in (office / "output").rglob("*"):
        assert not stat.S_IMODE(path.stat().st_mode) & 0o077, path


class _Proc:
    def __init__(self, pid: int):
        self.pid = pid


def _soffice_processes() -> list[_Proc]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if "soffice" in (entry / "comm").read_text() and alive(int(entry.name)):
                    out.append(_Proc(int(entry.name)))
            except OSError:
                continue
    return out
