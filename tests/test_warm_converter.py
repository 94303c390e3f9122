"""A warm converter (issue 20.1): LibreOffice kept running on unoserver and reused, one server per core; each
document with its own timeout; a server that crashes or hangs is stopped and started anew and the batch
finishes; closing the pool leaves no process behind; when no server can start, the cold one-call way is used.

Real unoserver (on the system's Python with python3-uno), real LibreOffice, PDFs opened with pypdf. The pool is
started once for the module (a start takes several seconds here)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from docgen.packet.build import build_packet
from docgen.pdf.convert import ConversionError
from docgen.pdf.office_server import OfficeServer, uno_python
from docgen.pdf.service import read_state
from docgen.pdf.warm import WarmConverter
from docgen.usecases.context import RunContext
from docgen.usecases.converter import converter_status, start_converter, stop_converter
from docgen.usecases.packet import make_packet
from tests.conftest import EXAMPLES, NOW, case_of, needs_libreoffice

pytestmark = [
    needs_libreoffice(),
    pytest.mark.skipif(uno_python() is None, reason="python3-uno is not installed (scripts/setup.sh installs it)"),
]


def group_processes(pgid: int) -> dict[int, str]:
    """The processes of a group that have not ended: pid -> command name."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm, rest = (entry / "stat").read_text().rsplit(")", 1)
        except OSError:
            continue
        fields = rest.split()
        if fields[2] == str(pgid) and fields[0] not in ("Z", "X"):
            found[int(entry.name)] = comm.split("(", 1)[1]
    return found


def soffice_of(server: OfficeServer) -> int:
    """The LibreOffice process (soffice.bin) a server runs."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = [pid for pid, name in group_processes(server.proc.pid).items() if name == "soffice.bin"]
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError("no soffice.bin in the server's process group")


def fonts_of(pdf: Path) -> set[str]:
    """The fonts a PDF embeds (their names without the subset prefix)."""
    names = set()
    for page in PdfReader(str(pdf)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described.get("/FontDescriptor")
            if descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            ):
                names.add(str(font["/BaseFont"]).split("+", 1)[-1])
    return names


@pytest.fixture(scope="module")
def family_docs(tmp_path_factory) -> list[Path]:
    """The Word files of the family example's packet (built without PDFs)."""
    out = tmp_path_factory.mktemp("family") / "packet"
    result = build_packet(case_of(EXAMPLES / "gijinkoku-family.yaml"), out=out, pdf=False)
    docs = sorted(result.folder.rglob("*.docx"))
    assert len(docs) >= 10
    return docs


@pytest.fixture(scope="module")
def pool():
    with WarmConverter(2, per_document=10) as started:
        assert started.warm and len(started.servers()) == 2, started.problems
        yield started


def test_a_warm_pool_converts_a_family_packet_with_the_japanese_fonts_embedded(pool, family_docs, tmp_path):
    pdfs = pool.convert(family_docs, tmp_path / "pdf")

    assert [p.stem for p in pdfs] == [d.stem for d in family_docs]
    for pdf in pdfs:
        assert len(PdfReader(str(pdf)).pages) >= 1
        assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
        assert {"IPAexMincho"} <= fonts_of(pdf) or {"IPAexGothic"} <= fonts_of(pdf), (pdf.name, fonts_of(pdf))
    letter = next(p for p in pdfs if "reason_letter" in p.stem)
    assert "理\u3000由\u3000書" in "".join(page.extract_text() for page in PdfReader(str(letter)).pages)
    assert not list((tmp_path / "pdf").glob(".*"))  # no part file left
    assert sum(s.converted for s in pool.servers()) >= len(family_docs)


def test_a_libreoffice_killed_mid_batch_is_started_anew_and_the_batch_finishes(pool, family_docs, tmp_path):
    victim = pool.servers()[0]
    soffice = soffice_of(victim)
    before = pool.restarts
    started = sum(s.converted for s in pool.servers())

    def kill_when_under_way() -> None:
        deadline = time.monotonic() + 60
        while sum(s.converted for s in pool.servers()) < started + 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(soffice, signal.SIGKILL)

    killer = threading.Thread(target=kill_when_under_way)
    killer.start()
    pdfs = pool.convert(family_docs, tmp_path / "pdf")
    killer.join()

    assert all(len(PdfReader(str(p)).pages) >= 1 for p in pdfs) and len(pdfs) == len(family_docs)
    assert pool.restarts == before + 1
    assert soffice not in group_processes(victim.proc.pid)
    assert victim not in pool.servers() and len(pool.servers()) == 2


def test_a_libreoffice_killed_while_writing_a_pdf_leaves_nothing_and_the_document_is_converted(
    pool, family_docs, tmp_path
):
    """LibreOffice dies in the middle of writing a PDF (its lock file and temporary file are there at that
    instant): the document is converted again on a server that runs, and nothing the killed one was writing is
    left in the folder — a lock file left beside the PDF's name made the next attempt fail too (seen in CI)."""
    out = tmp_path / "pdf"
    soffices = {server.name: soffice_of(server) for server in pool.servers()}
    killed: list[str] = []

    def kill_while_writing() -> None:
        deadline = time.monotonic() + 60
        while not killed and time.monotonic() < deadline:
            for lock in out.rglob(".~lock.*#") if out.exists() else ():
                if not list(lock.parent.glob("lu*.tmp")):
                    continue  # not writing yet: LibreOffice writes the PDF into a temporary file beside it
                try:
                    owner = lock.read_text(encoding="utf-8", errors="replace")  # names the writer's profile
                except OSError:
                    continue
                name = next((n for n in soffices if f"/profile-{n}/" in owner), None)
                if name is not None:
                    os.kill(soffices[name], signal.SIGKILL)
                    killed.append(name)
                    return
            time.sleep(0.001)

    killer = threading.Thread(target=kill_while_writing)
    killer.start()
    pdfs = pool.convert(family_docs, out)
    killer.join()

    assert killed, "no PDF was caught being written"
    assert len(pdfs) == len(family_docs) and all(len(PdfReader(str(p)).pages) >= 1 for p in pdfs)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in pdfs)  # no lock, part or temp file
    pool.keep()  # the killed one started anew, for the tests after this one
    assert len(pool.servers()) == 2


def test_documents_of_a_server_that_stopped_go_to_the_other_one(pool, family_docs, tmp_path):
    """A batch's worker converts on the servers published when it converts; one of them has just stopped (its
    port refuses): its documents go to the server that runs, none to a cold LibreOffice."""
    live = pool.servers()[0].port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        gone = s.getsockname()[1]  # nothing listens there any more
    with WarmConverter(per_document=10, attach=[gone, live]) as attached:
        pdfs = attached.convert(family_docs[:4], tmp_path / "pdf")
        assert attached.warm and attached.status().ports == [live]
    assert [p.stem for p in pdfs] == [d.stem for d in family_docs[:4]]
    assert all(len(PdfReader(str(p)).pages) >= 1 for p in pdfs)
    # both have just stopped (started anew together): the documents are converted the cold way, not refused
    with WarmConverter(per_document=10, attach=[gone, gone]) as attached:
        pdfs = attached.convert(family_docs[:2], tmp_path / "cold")
        assert not attached.warm
    assert [len(PdfReader(str(p)).pages) >= 1 for p in pdfs] == [True, True]


def test_a_document_that_hangs_times_out_alone(pool, family_docs, tmp_path):
    """LibreOffice stops answering (SIGSTOP) while converting: that document waits its own few seconds, the
    other server converts the rest meanwhile, and the stopped LibreOffice is replaced."""
    frozen = pool.servers()[1]
    soffice = soffice_of(frozen)
    os.kill(soffice, signal.SIGSTOP)
    began = time.monotonic()
    pdfs = pool.convert(family_docs, tmp_path / "pdf", per_document=3)
    took = time.monotonic() - began

    assert len(pdfs) == len(family_docs) and all(len(PdfReader(str(p)).pages) >= 1 for p in pdfs)
    assert frozen not in pool.servers() and not group_processes(frozen.proc.pid)
    assert took < 3 + 2 + 30  # its wait, the margin and one new server: not the whole batch's budget


def test_a_document_libreoffice_cannot_open_is_named_and_the_others_are_converted(pool, family_docs, tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really a Word file")
    with pytest.raises(ConversionError) as info:
        pool.convert([*family_docs[:3], bad], tmp_path / "pdf")
    said = str(info.value)
    assert "bad.docx" in said and "tried twice" in said and "3 of 4 were converted" in said
    assert family_docs[0].name not in said
    assert all(len(PdfReader(str(tmp_path / "pdf" / f"{d.stem}.pdf")).pages) >= 1 for d in family_docs[:3])
    assert not (tmp_path / "pdf" / "bad.pdf").exists() and pool.warm  # its server is started anew when next needed


def test_a_server_is_started_anew_after_its_share_of_documents(pool, family_docs, tmp_path):
    """LibreOffice grows over a long day: a server that has converted `recycle_after` documents is replaced."""
    before, servers = pool.restarts, pool.servers()
    pool.recycle_after = max(s.converted for s in servers) + 1
    try:
        pdfs = pool.convert(family_docs[:6], tmp_path / "pdf")
    finally:
        pool.recycle_after = 200
    assert all(len(PdfReader(str(p)).pages) >= 1 for p in pdfs) and len(pdfs) == 6
    assert pool.restarts >= before + 1
    assert any(s not in pool.servers() and not group_processes(s.proc.pid) for s in servers)


def test_closing_the_pool_leaves_no_process_behind(pool):
    groups = [s.proc.pid for s in pool.servers()]
    assert groups and all(group_processes(g) for g in groups)
    pool.close()
    assert all(not group_processes(g) for g in groups)
    assert not pool.warm


def test_when_no_server_can_start_the_documents_are_converted_the_cold_way(family_docs, tmp_path):
    with WarmConverter(1, start_seconds=0.5) as pool:
        assert not pool.warm
        assert "did not answer within 0.5 s" in str(pool.problems[0])
        pdfs = pool.convert(family_docs[:2], tmp_path / "pdf")
    assert [p.stem for p in pdfs] == [d.stem for d in family_docs[:2]]
    assert all(len(PdfReader(str(p)).pages) >= 1 for p in pdfs)


def test_the_office_converter_runs_between_commands_and_a_packet_converts_on_it(tmp_path):
    """`docgen converter start` keeps servers running (their address owner-only in the office folder); a packet
    built meanwhile converts on them; `stop` leaves nothing running."""
    office = tmp_path / "office"
    office.mkdir()
    (office / "docgen.toml").write_text("[pdf]\nseconds_per_document = 10\n", encoding="utf-8")
    profile = office / "case.yaml"
    shutil.copyfile(EXAMPLES / "teijusha.yaml", profile)
    ctx = RunContext.load(now=NOW, near=profile)
    assert not converter_status(ctx).running

    started = start_converter(ctx, 1)
    state = read_state(started.folder) if started.folder else None
    try:
        assert started.running and started.servers == 1, started.problems
        assert state is not None and started.folder is not None
        assert stat.S_IMODE(started.folder.stat().st_mode) == 0o700
        assert stat.S_IMODE((started.folder / "converter.json").stat().st_mode) == 0o600
        assert converter_status(ctx).running

        made = make_packet(ctx, profile, out=office / "packet")

        assert made.warm and made.result.bundle is not None
        assert len(PdfReader(str(made.result.bundle)).pages) > 3
    finally:
        assert stop_converter(ctx)
    assert not converter_status(ctx).running
    assert all(not group_processes(g) for g in (state.pid, *state.groups))


def test_servers_end_when_the_process_that_started_them_is_killed(tmp_path):
    """A batch killed outright (SIGKILL: no clean-up runs) leaves no LibreOffice running on: each server watches
    the process that started it and ends with it."""
    started = tmp_path / "group"
    code = (
        "import sys, time, pathlib\n"
        "from docgen.pdf.warm import WarmConverter\n"
        "pool = WarmConverter(1, per_document=10).start()\n"
        "pathlib.Path(sys.argv[1]).write_text(str(pool.servers()[0].proc.pid))\n"
        "time.sleep(600)\n"
    )
    batch = subprocess.Popen([sys.executable, "-c", code, str(started)], cwd=Path(__file__).parent.parent)
    try:
        deadline = time.monotonic() + 90
        while not started.exists() and time.monotonic() < deadline and batch.poll() is None:
            time.sleep(0.2)
        group = int(started.read_text())
        assert "soffice.bin" in group_processes(group).values() or soffice_of_group(group)
    finally:
        batch.kill()
        batch.wait()
    deadline = time.monotonic() + 10
    while group_processes(group) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not group_processes(group)


def soffice_of_group(pgid: int) -> bool:
    """Whether the group runs a LibreOffice (soffice.bin) within a few seconds."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if "soffice.bin" in group_processes(pgid).values():
            return True
        time.sleep(0.1)
    return False
