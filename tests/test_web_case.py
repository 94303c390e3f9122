"""The case page in the browser: the family example's case with a Word-only packet built from its evidence
folder — the decision and why (with sources), the applicant, the dates, the checklist with each item's status and
count as the packet recorded them, the packet's documents (generated, edited by staff, stale) and the files of the
case folder, each downloadable (audited). Nothing outside the cases folder can be reached: 404."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from starlette.testclient import TestClient

from docgen.usecases.assess import points
from docgen.usecases.audit import audit_log
from docgen.usecases.case_page import case_page, staff_time
from docgen.usecases.packet import make_packet
from tests.conftest import EXAMPLES
from tests.test_web_auth import ADMIN, FAMILY, STAFF, STAFF_PASSWORD, Office, add_example_case, log_in, make_office

SCAN = EXAMPLES / "evidence" / "residence_certificate" / "juminhyo-sample.pdf"


def profile_of(office: Office) -> Path:
    return office.cases / FAMILY / f"{FAMILY}-profile.yaml"


def build_packet(office: Office) -> Path:
    """The case's evidence folder with one scan, and its packet (Word files only) as `docgen packet` makes it."""
    evidence = office.cases / FAMILY / "evidence" / "residence_certificate"
    evidence.mkdir(parents=True, exist_ok=True)
    shutil.copy(SCAN, evidence / SCAN.name)
    return make_packet(office.ctx, profile_of(office), pdf=False).result.folder


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Office:
    office = make_office(tmp_path_factory.mktemp("case") / "office")
    build_packet(office)
    return office


@pytest.fixture(scope="module")
def client(office: Office):
    with office.app_client() as c:
        log_in(c)
        yield c


@pytest.fixture(scope="module")
def html(client: TestClient) -> str:
    page = client.get(f"/cases/{FAMILY}")
    assert page.status_code == 200
    return page.text


def section(html: str, name: str) -> str:
    return re.search(rf'<section class="card" id="{name}">(.*?)</section>', html, re.S).group(1)  # type: ignore[union-attr]


def test_the_decision_and_why_with_sources(html: str, office: Office):
    decision = case_page(office.ctx, FAMILY).decision
    assert decision is not None
    shown = section(html, "decision")
    assert f'class="tag {decision.status.value}"' in shown and "申請可(要検討)" in shown
    assert "2026年12月15日（火）" in shown  # the earliest filing date
    for risk in decision.risks:
        assert shown.count(risk.ja) == 1  # said once, though it concerns all three applicants
        for source in risk.sources:
            assert f'href="{source.url}"' in shown or source.url == ""
    assert "NGUYEN VAN AN・TRAN THI BINH・NGUYEN MINH" in shown  # whom a shared risk concerns


def test_the_applicant_and_dates(html: str):
    shown = section(html, "dates")
    assert "NGUYEN VAN AN" in shown and "ベトナム" in shown and "みなとテック株式会社" in shown
    assert "2027年8月31日（火）" in shown  # the stay expiry: to renew during the review
    assert "在留期間更新申請（本人・妻・子）" in shown
    assert "2026年9月15日（火）" in shown  # certificates issued from this day are fresh on the planned date


def test_the_checklist_shows_each_items_status_and_count_from_the_manifest(html: str, office: Office):
    manifest = json.loads(next((office.cases / FAMILY).glob("*-packet/*-manifest.json")).read_text(encoding="utf-8"))
    shown = section(html, "checklist")
    rows = re.findall(
        r"<tr[^>]*>\s*<td>(.*?)</td>.*?<td>[^<]*</td>\s*<td>[^<]*</td>\s*<td>(.*?)</td>\s*<td class=\"num\">(.*?)</td>",
        shown,
        re.S,
    )
    assert len(rows) == len(case_page(office.ctx, FAMILY).checklist) > 10
    by_title = {re.sub(r"\s*<span.*", "", title).strip(): (status, count.strip()) for title, status, count in rows}
    missing = {m["title"] for side in ("client", "office") for m in manifest["missing"][side]}
    for title, (status, _count) in by_title.items():
        assert (status in ("不足", "一部")) == (title in missing), title
    for counted in manifest["missing"]["counts"]:
        line = next(t for t in case_page(office.ctx, FAMILY).checklist if t.id == counted["item"])
        assert by_title[line.title.ja][1] == f"{counted['have']} / {counted['need']}"
    assert by_title["住民票（世帯全員・個人番号省略）"] == ("揃っている", "1 / 1")  # the scan in evidence/
    by = dict(re.findall(r"<tr[^>]*>\s*<td>(.*?)</td>\s*<td>([^<]*)</td>", shown, re.S))
    assert by["永住許可申請書"] == by["理由書"] == by["了解書"] == "事務所"  # docgen drafts them
    assert by["住民票（世帯全員・個人番号省略）"] == "依頼者"


def test_the_packets_documents_and_their_state(html: str, office: Office):
    shown = section(html, "documents")
    docx = sorted(p.name for p in (office.cases / FAMILY).glob("*-packet/docx/*.docx") if "_index" not in p.name)
    assert docx and all(name in shown for name in docx)
    assert shown.count("docgen が作成") >= len(docx)
    assert "事務所で編集" not in shown and "古い" not in shown


def test_an_edited_document_then_a_changed_profile(tmp_path: Path):
    office = make_office(tmp_path / "office")
    packet = build_packet(office)
    letter = next(packet.glob("docx/*reason_letter_nguyen_van_an.docx"))
    doc = Document(str(letter))
    doc.add_paragraph("事務所で追記した一文。")
    doc.save(str(letter))
    with office.app_client() as c:
        log_in(c)
        shown = section(c.get(f"/cases/{FAMILY}").text, "documents")
        line = re.search(rf"{letter.name}.*?</tr>", shown, re.S).group(0)  # type: ignore[union-attr]
        assert "事務所で編集" in line and "古い" not in shown
        profile = profile_of(office)
        profile.write_text(profile.read_text(encoding="utf-8") + "\n# 面談メモ: 追記\n", encoding="utf-8")
        html = c.get(f"/cases/{FAMILY}").text
        assert "パケット作成後にプロフィールが変更されています" in html
        shown = section(html, "documents")
        assert shown.count("古い（要再作成）") == shown.count("<tr>") - 1  # every document (not the header)


def test_the_files_of_the_case_folder_download_and_are_audited(client: TestClient, html: str, office: Office):
    shown = section(html, "files")
    root = office.cases / FAMILY
    files = sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")
    )
    assert all(f">{name}<" in shown for name in files)
    scan = f"evidence/residence_certificate/{SCAN.name}"
    got = client.get(f"/cases/{FAMILY}/files/{scan}")
    assert got.status_code == 200 and got.content == SCAN.read_bytes()
    assert got.headers["content-disposition"].startswith("attachment")
    assert got.headers["cache-control"] == "no-store"
    letter = next(n for n in files if "reason_letter_nguyen_van_an" in n)
    assert client.get(f"/cases/{FAMILY}/files/{quote(letter)}").content == (root / letter).read_bytes()
    actions = [(e.user, e.action, e.case_id, e.document) for e in audit_log(office.ctx, case_id=FAMILY)]
    assert (ADMIN, "view_case", FAMILY, "") in actions
    assert (ADMIN, "download", FAMILY, scan) in actions and (ADMIN, "download", FAMILY, letter) in actions


def test_japanese_file_names_download_with_their_name(client: TestClient, office: Office):
    note = office.cases / FAMILY / "面談メモ.txt"
    note.write_text("面談の記録", encoding="utf-8")
    got = client.get(f"/cases/{FAMILY}/files/{quote(note.name)}")
    assert got.status_code == 200
    assert "filename*=utf-8''%E9%9D%A2%E8%AB%87%E3%83%A1%E3%83%A2.txt" in got.headers["content-disposition"]


def test_only_admins_see_the_cases_audit_log(office: Office, html: str):
    assert 'id="audit"' in html
    with office.app_client() as c:
        log_in(c, STAFF, STAFF_PASSWORD)
        page = c.get(f"/cases/{FAMILY}").text
        assert 'id="audit"' not in page and "Decision" in page


def test_nothing_outside_the_cases_folder_can_be_reached(client: TestClient, office: Office):
    root = office.cases / FAMILY
    other = office.root.parent / "other-office"  # another office's case, beside this one
    (other / "cases" / "2026-900-other").mkdir(parents=True, exist_ok=True)
    (other / "cases" / "2026-900-other" / "secret.txt").write_text("not yours", encoding="utf-8")
    (office.root / "docgen.toml").touch()
    os.symlink(other / "cases" / "2026-900-other" / "secret.txt", root / "link-out.txt")
    os.symlink(other / "cases" / "2026-900-other", root / "folder-out")
    os.symlink(other / "cases" / "2026-900-other", office.cases / "2026-901-linked")
    (root / ".hidden").write_text("hidden", encoding="utf-8")
    refused = [
        "/cases/2026-900-other",
        "/cases/2026-901-linked",
        "/cases/2026-901-linked/files/secret.txt",
        "/cases/%2E%2E",
        "/cases/%2E%2E/files/docgen.toml",
        "/cases/..%2F..%2Fother-office%2Fcases%2F2026-900-other/files/secret.txt",
        f"/cases/{FAMILY}/files/../../docgen.toml",
        f"/cases/{FAMILY}/files/%2E%2E/%2E%2E/docgen.toml",
        f"/cases/{FAMILY}/files/..%2F..%2Fdocgen.toml",
        f"/cases/{FAMILY}/files/%2Fetc%2Fpasswd",
        f"/cases/{FAMILY}/files//etc/passwd",
        f"/cases/{FAMILY}/files/link-out.txt",
        f"/cases/{FAMILY}/files/folder-out/secret.txt",
        f"/cases/{FAMILY}/files/.hidden",
        f"/cases/{FAMILY}/files/evidence",
        f"/cases/{FAMILY}/files/no-such-file.pdf",
        "/cases/.hidden-folder",
        f"/cases/{FAMILY}/files/C:%5Cwindows%5Cwin.ini",
    ]
    for path in refused:
        page = client.get(path)
        assert page.status_code == 404, path
        assert "not yours" not in page.text and "見つかりません" in page.text
    listed = section(client.get(f"/cases/{FAMILY}").text, "files")
    assert "link-out.txt" not in listed and "folder-out" not in listed and ".hidden" not in listed


def test_a_profile_value_with_a_script_is_shown_escaped(tmp_path: Path):
    office = make_office(tmp_path / "office")
    profile = profile_of(office)
    text = profile.read_text(encoding="utf-8").replace(
        "  nationality: ベトナム", '  nationality: "<script>alert(1)</script>"', 1
    )
    profile.write_text(text, encoding="utf-8")
    with office.app_client() as c:
        log_in(c)
        page = c.get(f"/cases/{FAMILY}")
        assert page.status_code == 200
        assert "<script>alert(1)</script>" not in page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        assert "<script>" not in c.get("/").text


def test_a_page_group_adds_its_section_to_the_case_page_without_editing_it(client: TestClient):
    """A template in templates/case_panels/ is included in the case page with the page's values."""
    from docgen.web.render import TEMPLATES

    panel = TEMPLATES / "case_panels" / "zz_test_panel.html"
    panel.write_text(
        '<section class="card" id="test-panel">{{ t("追加の欄", "extra") }}: {{ case.case_id }}</section>\n',
        encoding="utf-8",
    )
    try:
        html = client.get(f"/cases/{FAMILY}").text
    finally:
        panel.unlink()
    assert f'<section class="card" id="test-panel">追加の欄: {FAMILY}</section>' in html
    assert html.index('id="documents"') < html.index('id="test-panel"') < html.index('id="files"')
    assert 'id="test-panel"' not in client.get(f"/cases/{FAMILY}").text


def test_a_time_recorded_elsewhere_is_shown_in_the_offices_time():
    """A build recorded by a worker whose clock was in UTC reads in the office's time, as staff lived it."""
    tokyo = ZoneInfo("Asia/Tokyo")
    assert staff_time("2026-11-22T11:17:00+00:00", tokyo).ja == "2026年11月22日（日） 20:17"
    assert staff_time("2026-11-22T23:30:00+00:00", tokyo).en == "2026-11-23 (Mon) 08:30"  # the next day there
    assert staff_time("not a time", tokyo).ja == "not a time"


def test_an_hsp_case_shows_its_points_on_the_application_and_reference_dates(tmp_path: Path):
    """The points the route is decided on, the same numbers `docgen points` gives, beside the applicant's facts."""
    office = make_office(tmp_path / "office")
    profile = add_example_case(office.cases, "hsp-points-80.yaml", "2026-120-hsp")
    check = points(office.ctx, profile).main.points[80]
    with office.app_client() as client:
        log_in(client)
        html, family = client.get("/cases/2026-120-hsp").text, client.get(f"/cases/{FAMILY}").text
    shown = f"申請日 {check.now.total}点・基準日（{check.reference_date}）{check.reference.total}点"
    assert f"<dt>高度専門職ポイント（80点）</dt><dd>{shown}</dd>" in html
    assert "高度専門職ポイント" not in family  # a case without points facts shows none
