"""Every failure is a message (issue 10.7): expected errors exit 2 with staff words, an unexpected one exits 1
with a short message and an owner-only log in the output folder that holds no personal value — never a
traceback on the terminal."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import EXAMPLES, needs_libreoffice

SECRET = "EA1234567"


def run_python(code: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=cwd)


def test_an_unexpected_error_gives_a_short_message_and_a_private_log(tmp_path):
    # a fault inside the library (as a bug would be), with a personal value in its message
    result = run_python(
        f"""
        import sys
        import docgen.assessment.assess as a
        def broken(*args, **kwargs):
            raise RuntimeError("passport {SECRET} broke something")
        a.assess_applicant = broken
        sys.argv = ["docgen", "assess", r"{EXAMPLES / "gijinkoku-single.yaml"}"]
        from docgen.cli.main import main
        main()
        """,
        tmp_path,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and SECRET not in result.stderr + result.stdout
    assert "an unexpected error occurred" in result.stderr and "RuntimeError" in result.stderr
    (log,) = (tmp_path / "output").glob("docgen-error-*.log")
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    text = log.read_text(encoding="utf-8")
    assert SECRET not in text and "RuntimeError" in text and "assess" in text
    assert str(log) in result.stderr


def test_a_file_that_cannot_be_written_is_a_message(tmp_path):
    out = tmp_path / "not-a-folder"
    out.write_text("x", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "docgen", "checklist", "gijinkoku", "--date", "2026-12-01", "--format", "docx"]
        + ["--out", str(out / "list.docx")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "error:" in result.stderr and str(out) in result.stderr


def test_a_profile_path_that_is_a_folder_is_a_message(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "docgen", "assess", str(tmp_path)], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 2 and "folder" in result.stderr and "Traceback" not in result.stderr
    assert not any(p.name.startswith("docgen-error") for p in tmp_path.rglob("*")), os.listdir(tmp_path)


def test_a_broken_office_template_is_named(tmp_path):
    (tmp_path / "office").mkdir()
    (tmp_path / "office" / "reason_letter.docx").write_bytes(b"not a word file")
    (tmp_path / "docgen.toml").write_text('[paths]\ntemplates = "office"\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "docgen", "packet", str(EXAMPLES / "teijusha.yaml"), "--no-pdf"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 2 and "reason_letter.docx" in result.stderr and "Word" in result.stderr
    assert "Traceback" not in result.stderr and not list((tmp_path / "output").glob("*-*"))


def test_a_case_id_too_long_for_a_folder_name_is_a_profile_error(example_copy, tmp_path):
    path = example_copy("teijusha.yaml")
    text = path.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("case_id:"))
    path.write_text(text.replace(line, "case_id: " + "a" * 300), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "docgen", "packet", str(path), "--no-pdf"], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 2 and "[case_id]" in result.stderr and "at most 60" in result.stderr


@needs_libreoffice()
def test_a_full_disk_while_bundling_keeps_the_previous_packet(tmp_path):
    profile = EXAMPLES / "teijusha.yaml"
    first = subprocess.run(
        [sys.executable, "-m", "docgen", "packet", str(profile), "--out", "packet"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert first.returncode == 0, first.stderr
    before = sorted(p.name for p in (tmp_path / "packet").rglob("*"))
    # the disk fills up exactly when the bundle is written (simulated at the write)
    result = run_python(
        f"""
        import errno, sys
        import docgen.pdf.bundle as bundle
        def full(self, stream):
            raise OSError(errno.ENOSPC, "No space left on device", str(getattr(stream, "name", "")))
        bundle.PdfWriter.write = full
        sys.argv = ["docgen", "packet", r"{profile}", "--out", "packet"]
        from docgen.cli.main import main
        main()
        """,
        tmp_path,
    )
    assert result.returncode == 2 and "the disk is full" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in (tmp_path / "packet").rglob("*")) == before
    assert not [p for p in tmp_path.iterdir() if ".partial-" in p.name]
