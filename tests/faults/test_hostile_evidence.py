"""Evidence is untrusted input (issue 10.3): a decompression bomb, a PDF that inflates to gigabytes, a link out
of the folder, an unreadable folder — each is reported by name with the reason and left out, and the rest of
the evidence is used."""

from __future__ import annotations

import os
import pickle
import shutil
import struct
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from docgen.pdf.evidence import collect_evidence

ITEMS = ["passport", "residence_certificate", "resident_tax_certificates"]


def good_scan(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (800, 1100), "white").save(path)
    return path


def png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG that says it is width×height: opening it reads only the header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")
    )
    return path


def inflating_pdf(path: Path, megabytes: int = 200) -> Path:
    """A small PDF whose one content stream inflates to `megabytes`."""
    z = zlib.compressobj(9)
    block = b" " * 1_000_000
    data = b"".join(z.compress(block) for _ in range(megabytes)) + z.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(out)
    return path


def reasons(result) -> dict[str, str]:
    return {p.name: why for p, why in result.rejected}


def test_bombs_are_reported_by_name_and_the_rest_is_used(tmp_path):
    scans = tmp_path / "scans"
    good_scan(scans / "passport-copy.png")
    png_header_only(scans / "residence_certificate-huge.png", 20000, 20000)
    inflating_pdf(scans / "resident_tax_certificates-2025.pdf")
    assert (scans / "resident_tax_certificates-2025.pdf").stat().st_size < 1_000_000
    result = collect_evidence(scans, ITEMS, tmp_path / "work")
    why = reasons(result)
    assert "million pixels" in why["residence_certificate-huge.png"]
    png_header_only(scans / "residence_certificate-huge.png", 9000, 9000)  # under PIL's own limit: ours names it
    assert "9000×9000" in reasons(collect_evidence(scans, ITEMS, tmp_path / "work2"))["residence_certificate-huge.png"]
    assert "inflates" in why["resident_tax_certificates-2025.pdf"]
    assert [f.source.name for f in result.files["passport"]] == ["passport-copy.png"]
    assert set(result.files) == {"passport"}


def test_links_out_of_the_evidence_folder_are_not_followed(tmp_path):
    scans = tmp_path / "scans"
    secret = good_scan(tmp_path / "elsewhere" / "other-client.png")
    inside = good_scan(scans / "originals" / "juminhyo.png")
    scans.joinpath("passport-link.png").symlink_to(secret)
    scans.joinpath("residence_certificate-link.png").symlink_to(inside)
    scans.joinpath("resident_tax_certificates").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    result = collect_evidence(scans, ITEMS, tmp_path / "work")
    why = reasons(result)
    assert "outside the evidence folder" in why["passport-link.png"]
    assert "link to a folder" in why["resident_tax_certificates"]
    assert "passport" not in result.files
    assert [f.source.name for f in result.files["residence_certificate"]] == ["residence_certificate-link.png"]


def test_a_linked_evidence_folder_is_read(tmp_path):
    real = tmp_path / "real"
    good_scan(real / "passport-copy.png")
    link = tmp_path / "scans"
    link.symlink_to(real, target_is_directory=True)
    assert set(collect_evidence(link, ITEMS, tmp_path / "work").files) == {"passport"}


def test_an_encrypted_pdf_and_an_unreadable_file_get_different_reasons(tmp_path):
    import pikepdf

    scans = tmp_path / "scans"
    scans.mkdir()
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.save(scans / "passport.pdf", encryption=pikepdf.Encryption(owner="o", user="u"))
    result = collect_evidence(scans, ITEMS, tmp_path / "work")
    assert "password" in reasons(result)["passport.pdf"]


def as_unprivileged(work: Callable[[], dict[str, str]]) -> dict[str, str]:
    """`work()`, run as the user 'nobody' when the suite runs as root (root reads every file whatever its
    permissions): a forked child drops its privileges for real and sends the result back through a pipe."""
    if os.geteuid() != 0:
        return work()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 1
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            with os.fdopen(write_end, "wb") as out:
                pickle.dump(work(), out)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    assert status == 0 and data, "the unprivileged child failed"
    return pickle.loads(data)


def test_unreadable_files_and_folders_are_reported(tmp_path):
    collect_evidence(good_scan(tmp_path / "warm" / "passport.png").parent, ITEMS, tmp_path / "warm-out")  # imports
    top = Path(tempfile.mkdtemp(prefix="docgen-unreadable-"))  # outside pytest's root-only folder
    try:
        scans, work = top / "scans", top / "work"
        locked = good_scan(scans / "passport-copy.png")
        good_scan(scans / "residence_certificate.png")
        closed = scans / "resident_tax_certificates"
        good_scan(closed / "2025.png")
        work.mkdir()
        for path in (top, scans, closed, work):
            path.chmod(0o777 if path == work else 0o755)
        (scans / "residence_certificate.png").chmod(0o644)
        locked.chmod(0)
        closed.chmod(0)
        why = as_unprivileged(
            lambda: reasons(collect_evidence(scans, ITEMS, work)) | {"used": str(len(list(work.iterdir())))}
        )
    finally:
        closed.chmod(0o700)
        shutil.rmtree(top)
    assert "no permission" in why["passport-copy.png"] and "encrypted" not in why["passport-copy.png"]
    assert "folder cannot be read" in why["resident_tax_certificates"]
    assert why["used"] == "1"  # the readable scan is still used
