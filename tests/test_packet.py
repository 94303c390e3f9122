"""An office generates real packets: real LibreOffice, then the PDFs are opened and read."""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas

from docgen.case.settings import Settings
from docgen.packet.build import build_packet
from tests.conftest import EXAMPLES, ROOT, case_of, needs_libreoffice, office_reason_letter

pytestmark = [needs_libreoffice(), pytest.mark.libreoffice]

INDEX_ROW = re.compile(r"^(\d+)\s+(\S.*?)\s{2,}.*\s(提出|提示)\s+(提出|提示|未提出|該当なし)\s+(\S+)\s*$")


def scan_pdf(path: Path, text: str) -> Path:
    c = canvas.Canvas(str(path))
    c.drawString(72, 720, text)
    c.showPage()
    c.drawString(72, 720, text + " page 2")
    c.save()
    return path


def make_evidence(folder: Path) -> Path:
    """A client's scans: good files, a corrupt scan and a password-protected PDF."""
    (folder / "residence_certificate").mkdir(parents=True)
    scan_pdf(folder / "residence_certificate" / "juminhyo.pdf", "JUMINHYO SCAN")
    Image.new("RGB", (1200, 800), "white").save(folder / "guarantor_id-license.jpg")  # landscape photo -> A4 page
    Image.new("RGBA", (600, 900), (255, 255, 255, 0)).save(folder / "photo.png")
    (folder / "resident_tax_certificates-2025.pdf").write_bytes(b"%PDF-1.4\n this is not really a pdf \x00\x01")
    writer = PdfWriter()
    writer.append(scan_pdf(folder / "tmp.pdf", "SECRET"))
    writer.encrypt("pw")  # RC4: pypdf needs no extra library for it
    with open(folder / "national_tax_certificate.pdf", "wb") as fh:
        writer.write(fh)
    (folder / "tmp.pdf").unlink()
    (folder / "holiday-photo.jpg").write_bytes((folder / "guarantor_id-license.jpg").read_bytes())
    return folder


@pytest.fixture(scope="module")
def family_packet(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("family")
    evidence = make_evidence(tmp / "evidence")
    result = build_packet(
        case_of(EXAMPLES / "gijinkoku-family.yaml", Settings(output_dir=tmp)), out=tmp / "packet", evidence=evidence
    )
    return result


def squeeze(text: str) -> str:
    """Text without spaces (PDF extraction adds spaces between kana and digits; forms use 　)."""
    return re.sub(r"[ \u3000]", "", text)


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(str(pdf)).pages]


def index_rows(pdf: Path, index_pages: int) -> dict[int, tuple[str, str, str]]:
    text = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", str(index_pages), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = {}
    for line in text.splitlines():
        m = INDEX_ROW.match(line)
        if m:
            rows[int(m.group(1))] = (m.group(2).strip(), m.group(4), m.group(5))
    return rows


def test_the_family_packet_holds_every_applicants_documents(family_packet):
    texts = page_texts(family_packet.bundle)
    whole = "\n".join(texts)
    for title in ("提出書類一覧表", "永住許可申請書", "理 由 書", "身 元 保 証 書", "了 解 書"):
        assert squeeze(title) in squeeze(whole), title
    for name in ("NGUYEN VAN AN", "TRAN THI BINH", "NGUYEN MINH"):
        assert whole.count(name) >= 4
    assert "JUMINHYO SCAN" in whole  # the client's scan is in the bundle
    assert len(texts) == family_packet.pages
    assert all(f"{n} / {len(texts)}" in t for n, t in enumerate(texts, 1))  # stamped page numbers


def test_japanese_fonts_are_embedded(family_packet):
    fonts = subprocess.run(["pdffonts", str(family_packet.bundle)], capture_output=True, text=True, check=True).stdout
    embedded = [line for line in fonts.splitlines() if "IPAex" in line]
    assert any("IPAexMincho" in line for line in embedded) and any("IPAexGothic" in line for line in embedded)
    assert all(" yes " in line for line in embedded)
    assert "DejaVu" not in fonts


def outline(pdf: Path) -> dict[str, list[str]]:
    """Top-level bookmark titles with the titles of their children."""
    out: dict[str, list[str]] = {}
    last = ""
    for entry in PdfReader(str(pdf)).outline:
        if isinstance(entry, list):
            out[last] = [child.title for child in entry]
        else:
            last = entry.title
            out[last] = []
    return out


def test_bookmarks_name_each_item_and_person(family_packet):
    marks = outline(family_packet.bundle)
    assert next(iter(marks)) == "提出書類一覧表"
    assert marks["1. 永住許可申請書"] == ["NGUYEN VAN AN", "TRAN THI BINH", "NGUYEN MINH"]
    assert marks["3. 理由書"] == ["NGUYEN VAN AN", "TRAN THI BINH", "NGUYEN MINH"]
    assert marks["5. 住民票（世帯全員・個人番号省略）"] == ["資料1"]  # bookmarks read like the index, not file names
    assert marks["17. 身元保証人の身分事項を明らかにする書類（運転免許証の写し等）"] == ["資料1"]
    assert not any(title.startswith("7. ") for title in marks)  # the corrupt tax scan was left out


def test_every_page_range_in_the_index_points_at_its_document(family_packet):
    reader = PdfReader(str(family_packet.bundle))
    first_item = next(o for o in reader.outline if not isinstance(o, list) and o.title.startswith("1. "))
    index_pages = reader.get_destination_page_number(first_item)
    rows = index_rows(family_packet.bundle, index_pages)
    texts = page_texts(family_packet.bundle)
    expected_text = {
        "永住許可申請書": "永住許可申請書",
        "理由書": "理 由 書",
        "身元保証書": "身 元 保 証 書",
        "了解書": "了 解 書",
        "住民票（世帯全員・個人番号省略）": "JUMINHYO SCAN",
    }
    checked = 0
    for number, (title, _status, pages) in rows.items():
        if pages == "—":
            continue
        first, _, last = pages.partition("-")
        first_page, last_page = int(first), int(last or first)
        bookmark = next(o for o in reader.outline if not isinstance(o, list) and o.title.startswith(f"{number}. "))
        assert reader.get_destination_page_number(bookmark) + 1 == first_page, title
        if title in expected_text:
            assert squeeze(expected_text[title]) in squeeze(texts[first_page - 1]), title
            checked += 1
        assert last_page <= len(texts)
    assert checked == 5


def test_missing_evidence_shows_as_missing(family_packet):
    reader = PdfReader(str(family_packet.bundle))
    first_item = next(o for o in reader.outline if not isinstance(o, list) and o.title.startswith("1. "))
    rows = index_rows(family_packet.bundle, reader.get_destination_page_number(first_item))
    by_title = {title: (status, pages) for title, status, pages in rows.values()}
    assert by_title["住民票（世帯全員・個人番号省略）"][0] == "提出"
    assert any(title.startswith("所得を証明するもの") and status == "未提出" for title, (status, _) in by_title.items())
    missing_ids = {i.id for i in family_packet.missing}
    assert "income_proof" in missing_ids and "residence_certificate" not in missing_ids
    report = family_packet.report.read_text(encoding="utf-8")
    assert "所得を証明するもの" in report and "住民票" not in report.split("読み込めなかった")[0]


def test_a_corrupt_or_protected_scan_is_reported_by_name_and_the_rest_is_complete(family_packet):
    rejected = {path.name: reason for path, reason in family_packet.rejected}
    assert "cannot be read" in rejected["resident_tax_certificates-2025.pdf"]
    assert (
        "password" in rejected["national_tax_certificate.pdf"]
        or "encrypted" in rejected["national_tax_certificate.pdf"]
    )
    assert [p.name for p in family_packet.unmatched] == ["holiday-photo.jpg"]
    report = family_packet.report.read_text(encoding="utf-8")
    assert "resident_tax_certificates-2025.pdf" in report and "holiday-photo.jpg" in report
    assert {"resident_tax_certificates", "national_tax_certificate"} <= {i.id for i in family_packet.missing}
    reader = PdfReader(str(family_packet.bundle))
    assert not reader.is_encrypted  # the immigration office rejects protected PDFs
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages}
    assert sizes == {(595, 842)}  # every page, the scanned images included, is A4


def test_outputs_are_private_and_the_manifest_records_inputs(family_packet):
    folder = family_packet.folder
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) in (0o600, 0o700), path
    manifest = json.loads(family_packet.manifest.read_text(encoding="utf-8"))
    assert (
        manifest["inputs"]["profile"]["file"] == "gijinkoku-family.yaml"
        and len(manifest["inputs"]["profile"]["sha256"]) == 64
    )
    assert manifest["libreoffice"].startswith("LibreOffice")
    assert {t["name"] for t in manifest["templates"]} >= {"application_form", "reason_letter", "index"}
    assert any(
        r["id"] == "acknowledgement" and r["version"]["from"] == "2021-10-01" for r in manifest["rules"]["items"]
    )
    assert manifest["bundle"]["pages"] == family_packet.pages
    assert "NGUYEN" not in json.dumps(manifest)  # no personal data in the manifest
    assert len(list((folder / "docx").glob("*.docx"))) == 13  # 4 documents x 3 applicants + the index


def test_every_file_of_the_packet_carries_the_case_id(family_packet):
    """A file mailed, printed or moved on its own still says which case it belongs to."""
    files = [p for p in family_packet.folder.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert {p.parent.name for p in files} >= {"docx", "pdf", "evidence", family_packet.folder.name}
    assert [p.name for p in files if not p.name.startswith("2026-102-nguyen-")] == []
    assert family_packet.manifest.name == "2026-102-nguyen-manifest.json"
    assert family_packet.report.name == "2026-102-nguyen-missing.txt"


@pytest.mark.parametrize("example", ["hsp-points-80.yaml", "keiei-kanri-owner.yaml", "spouse-of-japanese.yaml"])
def test_packets_for_other_routes(example, tmp_path):
    result = build_packet(case_of(EXAMPLES / example, Settings(output_dir=tmp_path)), out=tmp_path / "p")
    whole = squeeze("".join(page_texts(result.bundle)))
    assert "永住許可申請書" in whole and "提出書類一覧表" in whole
    if example.startswith("hsp"):
        assert "高度専門職ポイント計算表" in whole and "基準時点:2025年12月15日" in whole
    if example.startswith("spouse"):  # the 理由書 is optional on the spouse route and is still drafted
        assert any(title.endswith("理由書") for title in outline(result.bundle))


def test_ampersands_and_angle_brackets_in_names_render(example_copy, tmp_path):
    path = example_copy("gijinkoku-single.yaml")
    text = path.read_text(encoding="utf-8").replace("株式会社サクラソフト", "A&B <Tokyo> 株式会社")
    path.write_text(text, encoding="utf-8")
    result = build_packet(case_of(path, Settings(output_dir=tmp_path)), out=tmp_path / "p")
    whole = "".join(page_texts(result.bundle))
    assert "A&B <Tokyo> 株式会社" in whole
    from docx import Document

    doc = Document(str(next((result.folder / "docx").glob("*reason_letter*.docx"))))
    assert "A&B <Tokyo>" in "\n".join(p.text for p in doc.paragraphs)


def test_an_office_reason_letter_replaces_the_built_in_one(tmp_path):
    settings = office_reason_letter(tmp_path, "山田事務所オリジナル文面 {{ applicant.display_name }}")
    result = build_packet(case_of(EXAMPLES / "gijinkoku-single.yaml", settings), out=tmp_path / "p")
    assert "山田事務所オリジナル文面王小明" in squeeze("".join(page_texts(result.bundle)))
    manifest = json.loads(result.manifest.read_text(encoding="utf-8"))
    assert {t["name"]: t["origin"] for t in manifest["templates"]}["reason_letter"] == "office"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_killing_a_first_build_midway_leaves_no_packet(tmp_path, sig):
    out = tmp_path / "packet"
    proc = subprocess.Popen(
        [sys.executable, "-m", "docgen", "packet", str(EXAMPLES / "gijinkoku-family.yaml"), "--out", str(out)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline and not list(out.glob(".docgen-staging-*/new/docx/*.docx")):
        time.sleep(0.05)
    assert list(out.glob(".docgen-staging-*")), "the run did not start writing"
    os.killpg(proc.pid, sig)
    proc.wait(timeout=60)
    assert not list(out.glob("*-manifest.json"))  # no packet, not even a half one
    if sig == signal.SIGTERM:  # a terminated run cleans up what it made, the folder too
        assert not out.exists()
    else:  # a killed run cannot; the next run for the same packet removes what it left (filled forms)
        assert list(out.glob(".docgen-staging-*"))
        rerun = subprocess.run(
            [
                sys.executable,
                "-m",
                "docgen",
                "packet",
                str(EXAMPLES / "gijinkoku-family.yaml"),
                "--out",
                str(out),
                "--no-pdf",
            ],
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        assert rerun.returncode == 0, rerun.stderr
        assert list(out.glob("*-manifest.json")) and not list(out.glob(".docgen-staging-*"))


def test_findings_add_explanation_letters_to_the_checklist_and_the_packet(example_copy, tmp_path):
    path = example_copy("keiei-kanri-owner.yaml")
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "  trips:\n",
        "  trips:\n    - {departure: 2023-01-10, return: 2023-05-01, destination: 韓国, purpose: 親の看病}\n",
    )
    text = text.replace(
        "{year: 2022, amount: 6600000, resident_tax: 普通徴収}",
        "{year: 2022, amount: 2000000, resident_tax: 普通徴収, paid_on_time: false}",
    )
    path.write_text(text, encoding="utf-8")
    from docgen.assessment import assess_case
    from docgen.checklist import case_checklist

    case = case_of(path)
    ids = [i.id for i in case_checklist(case, assess_case(case)).items]
    assert {"explanation_long_absence", "explanation_late_payment", "explanation_low_income"} <= set(ids)
    assert "explanation_employer_change" not in ids
    result = build_packet(case_of(path, Settings(output_dir=tmp_path)), out=tmp_path / "p")
    marks = outline(result.bundle)
    assert any(t.endswith("説明書（長期出国について）") for t in marks)
    whole = squeeze("".join(page_texts(result.bundle)))
    assert "令和5年1月10日" in whole and "令和5年5月1日" in whole and "111日" in whole  # the long trip, 和暦
    assert "令和5年度（令和4年分）" in whole  # the late 住民税 year
    assert "2,000,000円" in whole and "3,000,000円" not in whole  # the low year; the unofficial benchmark is not


def test_a_document_libreoffice_cannot_convert_is_named_after_one_retry(tmp_path):
    from docgen.pdf.convert import ConversionError, convert_to_pdf

    good = tmp_path / "good.docx"
    from docx import Document

    Document(str(ROOT / "templates" / "acknowledgement.docx")).save(str(good))
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really a Word file")
    with pytest.raises(ConversionError) as info:
        convert_to_pdf([good, bad], tmp_path / "pdf")
    assert "bad.docx" in str(info.value) and "tried twice" in str(info.value) and "good.docx" not in str(info.value)
    assert (tmp_path / "pdf" / "good.pdf").exists()


def test_every_font_in_the_bundle_is_embedded(family_packet):
    """The page numbers too: a font left to the reader's machine may print differently or not at all."""

    def embedded(font) -> bool:
        font = font.get_object()
        if "/DescendantFonts" in font:
            return all(embedded(d) for d in font["/DescendantFonts"])
        descriptor = font.get("/FontDescriptor")
        return descriptor is not None and any(
            k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
        )

    names = set()
    for page in PdfReader(str(family_packet.bundle)).pages:
        if "JUMINHYO SCAN" in page.extract_text():
            continue  # the client's own scan brings its own fonts
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            names.add(str(font.get_object().get("/BaseFont")))
            assert embedded(font), font.get_object().get("/BaseFont")
    assert any("IPAex" in n for n in names) and not any("Helvetica" in n for n in names)
