"""Disk faults in the PDF stage say so (issue 16.7): a TMPDIR that cannot be written is named before LibreOffice
starts (it used to turn LibreOffice's stack trace into the message), and a full disk names the folder (it used to
blame a document or a template), in Japanese by default. Scans are not blamed either: a work folder that cannot
be written stops the step with the folder's name instead of rejecting every scan as unreadable.

Real faults where the machine allows them: a read-only or full disk is a small tmpfs mounted in a private mount
namespace (`unshare`), where even root cannot write; where that is not allowed, those tests are skipped and the
simulated ones (a write that fails with ENOSPC, as tests/faults/test_top_level.py does) still run.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from functools import lru_cache
from pathlib import Path

import pikepdf
import pytest

from docgen.pdf import bundle
from docgen.pdf.bundle import Section, write_bundle
from docgen.pdf.disk import DiskError
from docgen.pdf.evidence import collect_evidence
from tests.conftest import EXAMPLES, ROOT
from tests.faults.test_hostile_evidence import ITEMS, as_unprivileged, good_scan
from tests.faults.test_libreoffice_faults import env_for, pids


@lru_cache(maxsize=1)
def namespaces_allowed() -> bool:
    try:
        probe = subprocess.run(
            ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1m none /mnt 2>/dev/null || exit 1"],
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


needs_namespaces = pytest.mark.skipif(
    not namespaces_allowed(), reason="this machine does not allow a private mount namespace (unshare -rm)"
)


def on_small_disk(mount: Path, options: str, script: str, fill: bool = False, **env: str):
    """Run Python `script` with a tmpfs mounted at `mount` (e.g. 'ro' or 'size=20m'), seen by this run only;
    `fill` fills it up first. Returns the finished process."""
    mount.mkdir(parents=True, exist_ok=True)
    setup = f"mount -t tmpfs -o {options} none {mount}"
    if fill:
        setup += f" && (dd if=/dev/zero of={mount}/.filler bs=1M 2>/dev/null; true)"
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", f'{setup} && exec "$0" -c "$1"', sys.executable, textwrap.dedent(script)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ, **env),
        timeout=300,
    )


@pytest.fixture
def office(tmp_path) -> Path:
    work = tmp_path / "office"
    work.mkdir()
    shutil.copyfile(EXAMPLES / "teijusha.yaml", work / "case.yaml")
    return work


def packet(office: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "docgen", "packet", "case.yaml"],
        capture_output=True,
        text=True,
        cwd=office,
        env=env,
        timeout=300,
    )


# ------------------------------------------------------------------ TMPDIR


def test_a_tmpdir_that_is_a_file_is_named_before_libreoffice_starts(office, tmp_path):
    not_a_folder = tmp_path / "tmp-is-a-file"
    not_a_folder.write_text("")
    result = packet(office, env_for(tmp_path, "hang", TMPDIR=str(not_a_folder)))
    assert result.returncode == 2, result.stderr
    assert f"the temporary folder (TMPDIR) {not_a_folder} is not a folder" in result.stderr
    assert "unset it" in result.stderr and "Traceback" not in result.stderr
    assert not pids(tmp_path)  # LibreOffice never started

    japanese = packet(office, env_for(tmp_path, "hang", TMPDIR=str(not_a_folder), DOCGEN_LANG="ja"))
    assert f"一時フォルダー（環境変数 TMPDIR） {not_a_folder} はフォルダーではないか" in japanese.stderr
    assert "設定を外してください" in japanese.stderr


def test_a_tmpdir_without_write_permission_is_named(tmp_path):
    """As a staff account: TMPDIR points at a folder the user may read but not write."""
    top = Path(tempfile.mkdtemp(prefix="docgen-tmpdir-"))  # outside pytest's root-only folder
    try:
        locked, out, docx = top / "locked", top / "out", top / "docx"
        locked.mkdir()
        out.mkdir()
        docx.mkdir()
        (docx / "letter.docx").write_bytes(b"")
        for path in (top, out, docx):
            path.chmod(0o777 if path == out else 0o755)
        locked.chmod(0o555)

        def convert() -> dict[str, str]:
            from docgen.pdf.convert import convert_to_pdf

            os.environ.update(env_for(tmp_path, "hang", TMPDIR=str(locked)))
            try:
                convert_to_pdf([docx / "letter.docx"], out)
            except DiskError as exc:
                return {"message": str(exc)}
            return {"message": ""}

        message = as_unprivileged(convert)["message"]
    finally:
        shutil.rmtree(top)
    assert f"no permission to write in the temporary folder (TMPDIR) {locked}" in message


@needs_namespaces
def test_a_read_only_tmpdir_is_named_instead_of_libreoffices_stack_trace(office, tmp_path):
    """The trial's case: TMPDIR on a read-only disk. LibreOffice failed with 'SfxBaseModel::impl_store … failed'
    and docgen showed that; now the folder is named, and LibreOffice is not started."""
    read_only = tmp_path / "ro"
    result = on_small_disk(
        read_only,
        "ro",
        f"""
        import sys
        sys.argv = ["docgen", "packet", "case.yaml"]
        import os; os.chdir({str(office)!r})
        from docgen.cli.main import main
        main()
        """,
        **env_for(tmp_path, "hang", TMPDIR=str(read_only)),
    )
    assert result.returncode == 2, result.stderr
    assert f"the temporary folder (TMPDIR) {read_only} is on a read-only disk" in result.stderr
    assert "SfxBaseModel" not in result.stderr and "Traceback" not in result.stderr
    assert not pids(tmp_path)


# ------------------------------------------------------------------ a full disk


@needs_namespaces
def test_a_disk_that_fills_during_the_conversion_is_named_not_the_documents(tmp_path):
    """LibreOffice fills the disk of the output folder and fails: the message is the full disk and its folder,
    not 'could not convert' with LibreOffice's error about the documents."""
    disk = tmp_path / "disk"
    docx = tmp_path / "docx"
    docx.mkdir()
    (docx / "letter.docx").write_bytes(b"")
    result = on_small_disk(
        disk,
        "size=30m",
        f"""
        from pathlib import Path
        from docgen.pdf.convert import convert_to_pdf
        from docgen.pdf.disk import DiskError
        try:
            convert_to_pdf([Path({str(docx / "letter.docx")!r})], Path({str(disk / "pdf")!r}))
        except DiskError as exc:
            print(exc)
        """,
        **env_for(tmp_path, "fill"),
    )
    assert result.returncode == 0, result.stderr
    assert f"the disk is full ({disk / 'pdf'})" in result.stdout
    assert pids(tmp_path)  # LibreOffice ran, and filled the disk


@needs_namespaces
def test_a_full_disk_is_named_before_libreoffice_starts(tmp_path):
    disk = tmp_path / "disk"
    result = on_small_disk(
        disk,
        "size=4m",
        f"""
        from pathlib import Path
        from docgen.pdf.convert import convert_to_pdf
        from docgen.pdf.disk import DiskError
        try:
            convert_to_pdf([Path("letter.docx")], Path({str(disk / "pdf")!r}))
        except DiskError as exc:
            print(exc)
        """,
        fill=True,
        **env_for(tmp_path, "hang", DOCGEN_LANG="ja"),
    )
    assert f"ディスクの空きがありません（{disk / 'pdf'}）" in result.stdout, result.stderr
    assert not pids(tmp_path)


@needs_namespaces
def test_a_full_disk_while_collecting_scans_names_the_work_folder_and_blames_no_scan(tmp_path):
    scans = tmp_path / "scans"
    good_scan(scans / "passport-copy.png")
    shutil.copyfile(EXAMPLES / "evidence" / "guarantor_id-licence.jpg", scans / "residence_certificate.jpg")
    disk = tmp_path / "disk"
    result = on_small_disk(
        disk,
        "size=1m",
        f"""
        from pathlib import Path
        from docgen.pdf.disk import DiskError
        from docgen.pdf.evidence import collect_evidence
        try:
            collect_evidence(Path({str(scans)!r}), {ITEMS!r}, Path({str(disk / "work")!r}))
        except DiskError as exc:
            print(exc)
        """,
        fill=True,
    )
    assert f"the disk is full (the evidence work folder {disk / 'work'})" in result.stdout, result.stderr


def test_a_full_disk_while_writing_a_scan_is_not_blamed_on_the_scan(tmp_path, monkeypatch):
    """Simulated at the write: saving the sanitised copy of a PDF fails with ENOSPC."""
    scans = tmp_path / "scans"
    scans.mkdir()
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(scans / "passport.pdf")

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(args[0]) if args else "")

    monkeypatch.setattr(pikepdf.Pdf, "save", full)
    with pytest.raises(DiskError) as caught:
        collect_evidence(scans, ITEMS, tmp_path / "work")
    assert f"the disk is full (the evidence work folder {tmp_path / 'work'})" in str(caught.value)


def test_a_full_disk_while_writing_the_bundle_names_its_folder(tmp_path, monkeypatch):
    index = tmp_path / "index.pdf"
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(index)

    def full(self, stream):
        raise OSError(errno.ENOSPC, "No space left on device", str(getattr(stream, "name", "")))

    monkeypatch.setattr(bundle.PdfWriter, "write", full)
    with pytest.raises(DiskError) as caught:
        write_bundle(index, [Section("passport", "旅券")], tmp_path / "bundle.pdf", title="t")
    assert f"the disk is full ({tmp_path})" in str(caught.value)


def test_an_evidence_work_folder_without_permission_is_named(tmp_path):
    top = Path(tempfile.mkdtemp(prefix="docgen-work-"))
    try:
        scans, work = top / "scans", top / "work"
        good_scan(scans / "passport-copy.png")
        work.mkdir()
        for path in (top, scans, work):
            path.chmod(0o755)
        (scans / "passport-copy.png").chmod(0o644)

        def collect() -> dict[str, str]:
            try:
                collect_evidence(scans, ITEMS, work)
            except DiskError as exc:
                return {"message": str(exc)}
            return {"message": ""}

        message = as_unprivileged(collect)["message"]
    finally:
        shutil.rmtree(top)
    assert f"no permission to write in the evidence work folder {work}" in message
