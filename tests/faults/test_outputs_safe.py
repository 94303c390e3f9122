"""Never delete what docgen did not create (issue 10.1, 10.6): `--out` must be new, empty or a packet docgen
wrote; no output path may be an input; a file staff edited is not overwritten; a second run never deletes a live
run's work folder or silently replaces its packet."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from docgen.case import Settings
from docgen.errors import DocgenError
from docgen.packet.build import build_packet
from docgen.packet.safe_write import LOCK, private_folder
from tests.conftest import EXAMPLES, case_of


def docgen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "docgen", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture
def office(tmp_path) -> Path:
    """A case folder as staff keep it: the profile, a contract beside it, the client's scans."""
    case = tmp_path / "case"
    (case / "scans").mkdir(parents=True)
    shutil.copyfile(EXAMPLES / "gijinkoku-single.yaml", case / "case.yaml")
    (case / "contract.pdf").write_bytes(b"%PDF-1.4 signed contract")
    (case / "scans" / "passport.jpg").write_bytes(b"client original scan")
    return case


def untouched(case: Path) -> None:
    assert (case / "case.yaml").read_text(encoding="utf-8") == (EXAMPLES / "gijinkoku-single.yaml").read_text(
        encoding="utf-8"
    )
    assert (case / "contract.pdf").read_bytes() == b"%PDF-1.4 signed contract"
    assert (case / "scans" / "passport.jpg").read_bytes() == b"client original scan"


@pytest.mark.parametrize(
    "out",
    [
        "case",  # the folder holding the profile
        "case/scans",  # the evidence folder
        ".",  # the working folder
        "case/contract.pdf",  # a file
    ],
)
def test_a_packet_never_replaces_a_folder_docgen_did_not_write(office, out):
    result = docgen("packet", "case/case.yaml", "--evidence", "case/scans", "--out", out, "--no-pdf", cwd=office.parent)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "error:" in result.stderr
    untouched(office)


def test_a_folder_of_other_files_is_refused(office):
    other = office.parent / "other"
    other.mkdir()
    (other / "notes.txt").write_text("staff notes", encoding="utf-8")
    result = docgen("packet", "case/case.yaml", "--out", "other", "--no-pdf", cwd=office.parent)
    assert result.returncode == 2 and "did not write" in result.stderr
    assert (other / "notes.txt").read_text(encoding="utf-8") == "staff notes"


def test_a_packet_docgen_wrote_is_rebuilt_in_place(office):
    first = docgen("packet", "case/case.yaml", "--out", "packet", "--no-pdf", cwd=office.parent)
    assert first.returncode == 0, first.stderr
    again = docgen("packet", "case/case.yaml", "--out", "packet", "--no-pdf", cwd=office.parent)
    assert again.returncode == 0, again.stderr
    (manifest,) = (office.parent / "packet").glob("*-manifest.json")
    assert json.loads(manifest.read_text(encoding="utf-8"))["tool"]["name"] == "docgen"
    untouched(office)


def test_a_checklist_never_overwrites_the_profile_or_an_edited_file(office):
    cwd = office.parent
    bad = docgen(
        "checklist", "gijinkoku", "--profile", "case/case.yaml", "--format", "docx", "--out", "case/case.yaml", cwd=cwd
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    untouched(office)
    args = ("checklist", "gijinkoku", "--date", "2026-12-01", "--format", "docx", "--out", "list.docx")
    assert docgen(*args, cwd=cwd).returncode == 0
    assert docgen(*args, cwd=cwd).returncode == 0  # docgen's own, unchanged file: replaced
    (cwd / "list.docx").write_bytes((cwd / "list.docx").read_bytes() + b"staff edit")
    edited = docgen(*args, cwd=cwd)
    assert edited.returncode == 2 and "was not written by docgen" in edited.stderr
    assert (cwd / "list.docx").read_bytes().endswith(b"staff edit")


def test_a_packet_written_meanwhile_by_another_run_is_kept(tmp_path):
    target = tmp_path / "packet"

    def other_run_finishes(message: str) -> None:
        if message.startswith("filling") and not target.exists():
            target.mkdir()
            (target / "manifest.json").write_text('{"tool": {"name": "docgen"}}', encoding="utf-8")

    with pytest.raises(DocgenError, match="another run"):
        build_packet(
            case_of(EXAMPLES / "teijusha.yaml", Settings(output_dir=tmp_path)),
            out=target,
            pdf=False,
            progress=other_run_finishes,
        )
    assert os.listdir(target) == ["manifest.json"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".packet.partial")]


def _work_folder(parent: Path, host: str, pid: int) -> Path:
    work = parent / f".packet.partial-{pid}-x"
    work.mkdir()
    (work / LOCK).write_text(json.dumps({"host": host, "pid": pid}), encoding="utf-8")
    (work / "filled.docx").write_bytes(b"personal data")
    return work


def test_only_a_dead_run_of_this_machine_is_cleaned_up(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    gone = _work_folder(tmp_path, socket.gethostname(), int(dead.stdout))
    other_host = _work_folder(tmp_path, "office-pc-2", int(dead.stdout) + 1)
    alive = tmp_path / ".packet.partial-live-x"
    alive.mkdir()
    with private_folder(tmp_path / "packet", force=False) as work:
        (work / "manifest.json").write_text('{"tool": {"name": "docgen"}}', encoding="utf-8")
        assert not gone.exists()  # this machine, the process is gone, nobody holds the lock
        assert other_host.exists()  # a shared drive: another machine's run is never judged from here
        assert alive.exists()  # no readable lock: left alone
        assert (work / LOCK).exists()
    assert not (tmp_path / "packet" / LOCK).exists()
