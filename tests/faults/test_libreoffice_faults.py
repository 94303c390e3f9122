"""Own the child processes (issue 10.2, 10.3, 16.7): a LibreOffice that hangs, crashes or writes garbage, and
docgen killed at any moment, end in a message — with no LibreOffice left running, nothing written after clean-up,
no work folder and no file readable by others. A hang is named within a minute whatever the packet's size: a
watchdog stops LibreOffice when no new PDF has appeared for a while, not after one budget for the whole run; the
version check runs in a process group that is killed too."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest
from docx import Document
from pypdf import PdfReader

from docgen.pdf import convert
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


def env_for(tmp_path: Path, mode: str, **more: str) -> dict[str, str]:
    return dict(
        os.environ,
        DOCGEN_SOFFICE=str(FAKE),
        FAKE_MODE=mode,
        FAKE_PIDS=str(tmp_path / "pids"),
        FAKE_PGIDS=str(tmp_path / "pgids"),
        **more,
    )


def group_gone(pgid: int) -> bool:
    """No process of the group runs: the group is gone, or only zombies are left (processes that have ended and
    wait for the system to reap them)."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split() if entry.name.isdigit() else []
        except OSError:
            continue
        if fields and fields[2] == str(pgid) and fields[0] not in ("Z", "X"):
            return False
    return True


def groups(tmp_path: Path) -> list[int]:
    path = tmp_path / "pgids"
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def assert_clean(office: Path, tmp_path: Path) -> None:
    """No LibreOffice left, no work folder, no packet, nothing readable by others."""
    deadline = time.monotonic() + 5
    while any(alive(p) for p in pids(tmp_path)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p for p in pids(tmp_path) if alive(p)], "a LibreOffice process was left running"
    assert all(group_gone(g) for g in groups(tmp_path)), "a process of a LibreOffice group was left running"
    out = office / "output"
    left = [p.name for p in out.iterdir()] if out.exists() else []
    assert not [n for n in left if ".partial-" in n or n.startswith("teijusha") or n.startswith("2026")], left
    for path in out.rglob("*") if out.exists() else []:
        assert not stat.S_IMODE(path.stat().st_mode) & 0o077, f"{path} is readable by others"


@pytest.mark.parametrize(
    ("mode", "words"),
    [("hang", "wrote no PDF for"), ("crash", "could not convert"), ("garbage", "could not convert")],
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
    assert result.returncode == 2 and "wrote no PDF for" in result.stderr
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
    templates = office / "office-templates"
    templates.mkdir()
    doc = Document(str(ROOT / "templates" / "reason_letter.docx"))
    doc.add_paragraph(SLOW_TEMPLATE_LOOP)  # a few seconds of rendering: the signal lands in it
    doc.save(str(templates / "reason_letter.docx"))
    proc = _start(office, tmp_path, "hang", '[paths]\ntemplates = "office-templates"\n')
    out = office / "output"
    _wait_for(
        lambda: out.exists() and any(".partial-" in p.name or ".docgen-staging-" in p.name for p in out.rglob("*"))
    )
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted" in err and not pids(tmp_path)  # LibreOffice never started
    assert_clean(office, tmp_path)


@needs_libreoffice()
def test_a_real_conversion_leaves_no_libreoffice_behind(office, tmp_path):
    (office / "docgen.toml").unlink()
    result = subprocess.run(
        [sys.executable, "-m", "docgen", "packet", "case.yaml"], capture_output=True, text=True, cwd=office, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert not _soffice_processes(office)
    for path in (office / "output").rglob("*"):
        assert not stat.S_IMODE(path.stat().st_mode) & 0o077, path


class _Proc:
    def __init__(self, pid: int):
        self.pid = pid


def _soffice_processes(within: Path) -> list[_Proc]:
    """LibreOffice processes working on files under `within` (other suites may run LibreOffice meanwhile)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().decode(errors="replace")
                if "soffice" in (entry / "comm").read_text() and str(within) in command and alive(int(entry.name)):
                    out.append(_Proc(int(entry.name)))
            except OSError:
                continue
    return out


# ------------------------------------------------------------------ the watchdog (issue 16.7)


def one_page_pdf(path: Path) -> Path:
    """What the fake LibreOffice writes for each document: a real one-page PDF."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.save(path)
    return path


def family_office(tmp_path: Path, settings: str = "") -> Path:
    """A family packet (the applicant, spouse and children: about 20 documents) with the office's defaults."""
    work = tmp_path / "family"
    work.mkdir()
    shutil.copyfile(EXAMPLES / "gijinkoku-family.yaml", work / "case.yaml")
    if settings:
        (work / "docgen.toml").write_text(settings, encoding="utf-8")
    return work


def packet(office: Path, env: dict[str, str]) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "docgen", "packet", "case.yaml"],
        capture_output=True,
        text=True,
        cwd=office,
        env=env,
        timeout=180,
    )
    return result, time.monotonic() - started


def test_a_hung_libreoffice_is_named_within_a_minute_for_a_family_packet(tmp_path):
    """The worst case with the default settings: LibreOffice hangs before writing anything (the first document
    includes its start) and ignores TERM; the old single budget gave a family packet 190 s."""
    office = family_office(tmp_path)
    first, _ = convert.wait_limits()
    result, took = packet(office, env_for(tmp_path, "hang"))
    assert result.returncode == 2, result.stderr
    assert f"wrote no PDF for {first:g} s while converting" in result.stderr and "--no-pdf" in result.stderr
    assert "Traceback" not in result.stderr
    assert took < 60, took
    assert groups(tmp_path) and all(group_gone(g) for g in groups(tmp_path))
    assert not [p for p in pids(tmp_path) if alive(p)]


def test_a_hang_after_some_documents_is_named_after_the_idle_limit(tmp_path):
    """LibreOffice converts three documents, then hangs on the fourth: it is stopped `per_document` seconds after
    the third PDF, and the message says how far it got and on which document it hung."""
    office = family_office(tmp_path)
    env = env_for(tmp_path, "hang-after", FAKE_AFTER="3", FAKE_PDF=str(one_page_pdf(tmp_path / "one.pdf")))
    result, took = packet(office, env)
    assert result.returncode == 2, result.stderr
    assert f"wrote no PDF for {convert.DEFAULT_PER_DOCUMENT:g} s while converting" in result.stderr
    assert "(3 of " in result.stderr
    assert took < convert.DEFAULT_PER_DOCUMENT + convert.TERM_SECONDS + 15, took
    assert all(group_gone(g) for g in groups(tmp_path))
    assert not [p for p in pids(tmp_path) if alive(p)]


def word_files(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    docs = []
    for n in range(count):
        doc = Document()
        doc.add_paragraph(f"書類 {n}")
        doc.save(str(folder / f"doc-{n:02d}.docx"))
        docs.append(folder / f"doc-{n:02d}.docx")
    return docs


def test_a_slow_but_steady_libreoffice_is_never_stopped(tmp_path, monkeypatch):
    """Progress resets the watchdog: twelve documents at 0.6 s each take longer than the wait for the first PDF,
    and all are converted."""
    for key, value in env_for(
        tmp_path, "steady", FAKE_DELAY="0.6", FAKE_PDF=str(one_page_pdf(tmp_path / "one.pdf"))
    ).items():
        monkeypatch.setenv(key, value)
    docs = word_files(tmp_path / "docx", 12)
    started = time.monotonic()
    pdfs = convert.convert_to_pdf(docs, tmp_path / "pdf", per_document=1.0)
    took = time.monotonic() - started
    first, idle = convert.wait_limits(1.0)
    assert took > first and idle == 1.0
    assert [p.name for p in pdfs] == [d.with_suffix(".pdf").name for d in docs]
    assert all(len(PdfReader(p).pages) == 1 for p in pdfs)
    assert all(group_gone(g) for g in groups(tmp_path))


def test_a_hanging_version_check_is_stopped_with_its_children(tmp_path, monkeypatch):
    """`soffice --version` (for the manifest) that never answers: its whole process group is killed after
    VERSION_SECONDS, the child it started included, and the manifest says 'unavailable'."""
    for key, value in env_for(tmp_path, "hang", FAKE_VERSION="hang").items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(convert, "VERSION_SECONDS", 1.0)
    convert.libreoffice_version.cache_clear()
    started = time.monotonic()
    try:
        assert convert.libreoffice_version() == "unavailable"
    finally:
        convert.libreoffice_version.cache_clear()
    assert time.monotonic() - started < 1.0 + convert.TERM_SECONDS + convert.KILL_SECONDS + 1
    assert len(pids(tmp_path)) == 2  # the fake and the child it started
    assert not [p for p in pids(tmp_path) if alive(p)]
    assert groups(tmp_path) and all(group_gone(g) for g in groups(tmp_path))
    monkeypatch.delenv("FAKE_VERSION")
    try:
        assert convert.libreoffice_version() == "LibreOffice 0.0 fake"
    finally:
        convert.libreoffice_version.cache_clear()


@needs_libreoffice()
def test_a_finished_libreoffice_is_reaped_without_waiting(tmp_path, monkeypatch):
    """After a real conversion, the helpers LibreOffice leaves as zombies (gpg tools, reaped by the system) no
    longer keep docgen waiting for the group: stopping what is left of it takes no sleep."""
    took: list[float] = []
    kill_group = convert._kill_group

    def timed(pgid: int) -> None:
        started = time.monotonic()
        kill_group(pgid)
        took.append(time.monotonic() - started)

    monkeypatch.setattr(convert, "_kill_group", timed)
    docs = word_files(tmp_path / "docx", 2)
    pdfs = convert.convert_to_pdf(docs, tmp_path / "pdf")
    assert all(len(PdfReader(p).pages) == 1 for p in pdfs)
    assert took and max(took) < 0.5, took
    assert not _soffice_processes(tmp_path)
