"""Never delete what docgen did not create (issue 10.1, 10.6): `--out` must be new, empty or a packet docgen
wrote; no output path may be an input; a file staff edited is not overwritten; a second run never deletes a live
run's packet (docgen/packet/workspace.py; the rebuild's own faults: tests/faults/test_packet_folder.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES


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
    assert result.returncode == 2 and "not a docgen packet" in result.stderr
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
