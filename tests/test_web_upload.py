"""Adding scans in the browser, through HTTP: a staff member sends the client's scans for one document (and one
person) of the family example's case; each file gets the checks a packet build makes (the same code), a bomb or
an encrypted PDF is refused by name with its reason, and what passes is stored in the case's evidence folder
under the names `docgen packet` reads — the next packet counts it. Every stored file is in the audit log."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from starlette.testclient import TestClient

from docgen.usecases.audit import audit_log
from docgen.usecases.case_page import case_page
from docgen.usecases.packet import make_packet
from tests.conftest import EXAMPLES
from tests.faults.test_hostile_evidence import inflating_pdf, png_header_only
from tests.test_web_auth import FAMILY, Office, csrf_of, log_in, make_office

SCAN = EXAMPLES / "evidence" / "residence_certificate" / "juminhyo-sample.pdf"
RESIDENCE = "05 住民票（世帯全員・個人番号省略） [residence_certificate]"
PASSPORT = "14 パスポート [passport]"


@pytest.fixture
def office(tmp_path: Path) -> Office:
    return make_office(tmp_path / "office")


@pytest.fixture
def client(office: Office):
    with office.app_client() as c:
        log_in(c)
        yield c


def encrypted_pdf(path: Path) -> Path:
    """A one-page PDF that opens without a password but is encrypted (printing allowed, changes not)."""
    with pikepdf.open(SCAN) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="office-only", user="", R=6))
    return path


def send(client: TestClient, to: str, *files: Path | tuple[str, bytes], json: bool = False):
    """The upload form as a browser sends it: the plain form (token in a field) or the page's script (header)."""
    parts = [
        ("files", (f.name, f.read_bytes(), "application/octet-stream") if isinstance(f, Path) else (*f, "x/y"))
        for f in files
    ]
    token = csrf_of(client)
    if json:
        item, _, person = to.partition("|")
        return client.post(
            f"/cases/{FAMILY}/evidence",
            data={"item": item, "person": person},
            files=parts,
            headers={"X-CSRF-Token": token, "Accept": "application/json"},
        )
    return client.post(f"/cases/{FAMILY}/evidence", data={"to": to, "csrf_token": token}, files=parts)


def evidence(office: Office) -> Path:
    return office.cases / FAMILY / "evidence"


def test_the_upload_page_lists_each_document_and_person_it_concerns(client: TestClient):
    page = client.get(f"/cases/{FAMILY}/evidence")
    assert page.status_code == 200
    options = dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', page.text))
    assert options["residence_certificate|"] == "05 住民票（世帯全員・個人番号省略）"  # the household's: no person
    assert options["passport|NGUYEN MINH"] == "14 パスポート — NGUYEN MINH"
    assert "resident_tax_payment_proof|NGUYEN VAN AN" not in options  # only TRAN THI BINH's is asked for
    assert 'enctype="multipart/form-data"' in page.text and 'name="csrf_token"' in page.text
    case = client.get(f"/cases/{FAMILY}").text  # the case page carries the drop zone and its script
    assert 'id="evidence-upload"' in case and "/static/evidence.js" in case


def test_a_scan_is_stored_where_the_packet_finds_it_and_audited(client: TestClient, office: Office):
    page = send(client, "residence_certificate|", SCAN)
    assert page.status_code == 200, page.text
    stored = evidence(office) / RESIDENCE / SCAN.name
    assert stored.read_bytes() == SCAN.read_bytes()
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert f"保存しました: <strong>{SCAN.name}</strong> → evidence/{RESIDENCE}/{SCAN.name}" in page.text
    # the same name again is kept beside it, never over it
    send(client, "residence_certificate|", SCAN)
    assert (evidence(office) / RESIDENCE / "juminhyo-sample_2.pdf").is_file()
    entries = [e for e in audit_log(office.ctx, case_id=FAMILY) if e.action == "upload"]
    assert [(e.user, e.document) for e in entries] == [
        ("hanako", f"residence_certificate/{SCAN.name}"),
        ("hanako", "residence_certificate/juminhyo-sample_2.pdf"),
    ]
    # nothing of the upload is left behind in the case folder
    assert [p.name for p in (office.cases / FAMILY).iterdir() if p.name.startswith(".")] == []


def test_a_bomb_and_an_encrypted_pdf_are_refused_by_name(client: TestClient, office: Office, tmp_path: Path):
    bomb = inflating_pdf(tmp_path / "passport-bomb.pdf")
    huge = png_header_only(tmp_path / "passport-huge.png", 20000, 20000)
    locked = encrypted_pdf(tmp_path / "passport-locked.pdf")
    text = tmp_path / "notes.docx"
    text.write_bytes(b"PK\x03\x04 not a scan")
    good = tmp_path / "passport.png"
    Image.new("RGB", (800, 1100), "white").save(good)
    page = send(client, "passport|NGUYEN MINH", bomb, huge, locked, text, good)
    assert page.status_code == 422
    refused = dict(
        re.findall(
            r'<li class="refused" role="alert">保存しませんでした: <strong>([^<]+)</strong>: ([^<]+)</li>', page.text
        )
    )
    assert set(refused) == {"passport-bomb.pdf", "passport-huge.png", "passport-locked.pdf", "notes.docx"}
    assert "展開すると元の大きさをはるかに超えます" in refused["passport-bomb.pdf"]
    assert "万画素" in refused["passport-huge.png"]
    assert "暗号化" in refused["passport-locked.pdf"]
    assert "PDF・JPEG・PNG のいずれでもありません（.docx）" in refused["notes.docx"]
    # only the good scan is stored, in the person's folder under the item's
    stored = sorted(p.relative_to(evidence(office)).as_posix() for p in evidence(office).rglob("*") if p.is_file())
    assert stored == [f"{PASSPORT}/NGUYEN MINH/passport.png"]


def test_a_scan_with_active_content_is_stored_and_staff_told_what_binding_removes(
    client: TestClient, office: Office, tmp_path: Path
):
    from tests.faults.test_scan_sanitise import hostile_scan

    scan = hostile_scan(tmp_path / "passport-scan.pdf")
    page = send(client, "passport|NGUYEN VAN AN", scan)
    assert page.status_code == 200
    note = re.search(r"passport-scan.pdf</strong> → [^<]+<span class=\"note\">（パケットでは: ([^<]+)）", page.text)
    assert note is not None and "JavaScript" in note.group(1), page.text
    stored = evidence(office) / PASSPORT / "NGUYEN VAN AN" / "passport-scan.pdf"
    assert stored.read_bytes() == scan.read_bytes()  # the client's file as sent; every build binds it sanitised


def test_the_script_gets_each_result_as_json_in_the_staff_language(office: Office, tmp_path: Path):
    locked = encrypted_pdf(tmp_path / "locked.pdf")
    with office.app_client() as staff:
        log_in(staff, "taro", "fuji-san-no-ue-de")  # works in English
        answer = send(staff, "passport|TRAN THI BINH", SCAN, locked, json=True)
        assert answer.status_code == 422
        body = answer.json()
        assert body["title"] == "Passport" and body["person"] == "TRAN THI BINH"
        assert body["stored"] == [
            {"sent": SCAN.name, "stored": f"evidence/{PASSPORT}/TRAN THI BINH/{SCAN.name}", "note": None}
        ]
        assert body["refused"][0]["sent"] == "locked.pdf" and "encrypted" in body["refused"][0]["reason"]
        items = staff.get(f"/cases/{FAMILY}/evidence/items.json").json()
        assert {
            "id": "passport",
            "number": 14,
            "title": "Passport",
            "people": ["NGUYEN VAN AN", "TRAN THI BINH", "NGUYEN MINH"],
            "years": {},
        } in items


def test_the_next_packet_counts_the_uploaded_scans(client: TestClient, office: Office):
    """The command line's build reads what the browser stored: the household's 住民票 is complete, the 在職証明書
    counted for the one person it was sent for."""
    send(client, "residence_certificate|", SCAN)
    send(client, "employment_proof|NGUYEN VAN AN", SCAN)
    made = make_packet(office.ctx, office.cases / FAMILY / f"{FAMILY}-profile.yaml", pdf=False)
    assert made.evidence == evidence(office)
    assert made.result.rejected == [] and made.result.unmatched == []
    lines = {line.id: line for line in case_page(office.ctx, FAMILY).checklist}
    assert lines["residence_certificate"].status == "complete"
    employment = lines["employment_proof"]
    assert (employment.status, employment.have, employment.need) == ("partial", 1, 2)


def test_a_tax_certificate_is_stored_under_its_person_and_fiscal_year(client: TestClient, office: Office):
    """住民税 certificates count per person and 年度: the form offers each person's 年度, the scan goes to the 年度's
    folder ('令和7年度', which the packet reads), and the next build counts it for that person and year."""
    options = dict(
        re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', client.get(f"/cases/{FAMILY}/evidence").text)
    )
    title = "07 住民税の課税（又は非課税）証明書及び納税証明書"
    assert options["resident_tax_certificates|NGUYEN VAN AN|2025"] == f"{title} — NGUYEN VAN AN — 令和7年度"
    assert send(client, "resident_tax_certificates|NGUYEN VAN AN|2025", SCAN).status_code == 200
    folder = evidence(office) / f"{title} [resident_tax_certificates]"
    assert (folder / "NGUYEN VAN AN" / "令和7年度" / SCAN.name).is_file()
    outside = send(client, "resident_tax_certificates|NGUYEN VAN AN|2011", SCAN)
    assert outside.status_code == 400 and "対象の年度から選んでください" in outside.text
    make_packet(office.ctx, office.cases / FAMILY / f"{FAMILY}-profile.yaml", pdf=False)
    line = next(line for line in case_page(office.ctx, FAMILY).checklist if line.id == "resident_tax_certificates")
    assert (line.status, line.have) == ("partial", 1)
    manifest = (office.cases / FAMILY / f"{FAMILY}-packet" / f"{FAMILY}-manifest.json").read_text(encoding="utf-8")
    assert "period_unknown" not in manifest  # the 年度 was known: nothing for staff to check
    items = client.get(f"/cases/{FAMILY}/evidence/items.json").json()
    taxes = next(i for i in items if i["id"] == "resident_tax_certificates")
    assert [2025, "令和7年度"] in taxes["years"]["NGUYEN VAN AN"]


def test_two_uploads_of_one_name_at_the_same_moment_keep_both(office: Office):
    from concurrent.futures import ThreadPoolExecutor

    from docgen.usecases.evidence_upload import add_scans

    def upload(_: int):
        with SCAN.open("rb") as f:
            return add_scans(office.ctx, FAMILY, "residence_certificate", None, [(SCAN.name, f)])

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(upload, range(4)))
    stored = sorted(s.stored for r in results for s in r.stored)
    assert len(set(stored)) == 4
    assert sorted(p.name for p in (evidence(office) / RESIDENCE).iterdir()) == [
        "juminhyo-sample.pdf",
        "juminhyo-sample_2.pdf",
        "juminhyo-sample_3.pdf",
        "juminhyo-sample_4.pdf",
    ]
    assert all(p.read_bytes() == SCAN.read_bytes() for p in (evidence(office) / RESIDENCE).iterdir())


def test_an_evidence_folder_linked_out_of_the_case_folder_is_not_written(
    client: TestClient, office: Office, tmp_path: Path
):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (office.cases / FAMILY / "evidence").symlink_to(outside)
    page = send(client, "residence_certificate|", SCAN)
    assert (
        page.status_code == 400
        and "資料フォルダー evidence がリンクで別の場所を指しているため、保存しません" in page.text
    )
    assert list(outside.iterdir()) == []


def test_names_and_choices_that_do_not_fit_are_refused(client: TestClient, office: Office):
    sneaky = ("../../../.profile.pdf", SCAN.read_bytes())
    page = send(client, "residence_certificate|", sneaky)
    assert page.status_code == 200
    assert (evidence(office) / RESIDENCE / "profile.pdf").is_file()  # the last part only, never hidden
    wrong_person = send(client, "resident_tax_payment_proof|NGUYEN VAN AN", SCAN)
    assert wrong_person.status_code == 400 and "対象者の中から選んでください" in wrong_person.text
    unknown = send(client, "no_such_item|", SCAN)
    assert unknown.status_code == 400 and "no_such_item" in unknown.text
    token = csrf_of(client)
    elsewhere = client.post(
        "/cases/..%2F..%2Fetc/evidence", data={"csrf_token": token}, files=[("files", ("a.pdf", b"x"))]
    )
    assert elsewhere.status_code == 404
    nothing = client.post(
        f"/cases/{FAMILY}/evidence", data={"to": "passport|", "csrf_token": token}, files=[("files", ("", b""))]
    )
    assert nothing.status_code == 400 and "ファイルを選んでください" in nothing.text
    forged = client.post(
        f"/cases/{FAMILY}/evidence",
        data={"to": "passport|", "csrf_token": "x"},
        files=[("files", ("a.pdf", SCAN.read_bytes()))],
    )
    assert forged.status_code == 403
    assert not (evidence(office) / PASSPORT).exists()
