"""The Word round trip in a real browser (Chromium, driven by Playwright), as a staff member works it: from the
case page to the packet's documents, the 理由書 downloaded under its Japanese name, edited with python-docx as Word
saves it, sent back through the page's form, the changes shown; a document of another applicant sent by mistake
refused by name; then an administrator's template page refusing a broken template with its findings. The packet
is Word files only (no LibreOffice here). Screenshots for the staff guide: docs/images/web-documents-*.png."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document

from docgen.resources import TEMPLATES
from tests.browser import IMAGES, chromium, needs_chromium, window
from tests.test_web_auth import ADMIN, ADMIN_PASSWORD, FAMILY, STAFF, STAFF_PASSWORD, Office
from tests.test_web_case import build_packet
from tests.test_web_templates_admin import office_with_folders

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = needs_chromium


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Office:
    office = office_with_folders(tmp_path_factory.mktemp("documents-browser") / "office")
    build_packet(office)
    return office


@pytest.fixture
def browser(server: str) -> Iterator[object]:
    """A window of its own for each test."""
    with chromium() as started, window(started) as tab:
        yield tab


def shot(page, name: str) -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMAGES / f"web-documents-{name}.png"))


def log_in(page, server: str, name: str, password: str) -> None:
    page.goto(server + "/login")
    page.fill('input[name="name"]', name)
    page.fill('input[name="password"]', password)
    page.click('button[type="submit"]')
    playwright.expect(page).to_have_url(server + "/")  # the board


def test_the_reason_letter_downloaded_edited_and_sent_back(browser, server: str, office: Office, tmp_path: Path):
    page, expect = browser, playwright.expect
    log_in(page, server, ADMIN, ADMIN_PASSWORD)
    page.goto(f"{server}/cases/{FAMILY}")
    page.locator("#documents-edit a", has_text="Word で編集する").click()
    expect(page.locator("h1")).to_contain_text("書類の編集")
    shot(page, "list")
    page.locator("#packet-documents a", has_text="理由書（NGUYEN VAN AN）").click()
    expect(page.locator("h1")).to_have_text("理由書（NGUYEN VAN AN）")

    with page.expect_download() as got:
        page.locator("#document-actions a.button").click()
    download = got.value
    assert download.suggested_filename == f"{FAMILY}-理由書（NGUYEN VAN AN）.docx"
    letter = tmp_path / download.suggested_filename
    download.save_as(str(letter))
    doc = Document(str(letter))
    doc.add_paragraph("面談で伺った地域活動への参加についても申し添えます。")
    doc.save(str(letter))

    page.set_input_files("#send-edit input[type=file]", str(letter))
    page.click("#send-edit button")
    expect(page.locator("p.done")).to_contain_text("を事務所の編集として保存しました")
    expect(page.locator("#changes .added")).to_have_text(["面談で伺った地域活動への参加についても申し添えます。"])
    expect(page.locator("#document-actions")).to_contain_text("事務所で編集")
    shot(page, "changes")

    other = tmp_path / "理由書（妻）.docx"  # the wife's letter, sent onto the husband's by mistake
    packet = next((office.cases / FAMILY).glob("*-packet"))
    other.write_bytes(next(packet.glob("docx/*reason_letter_tran_thi_binh.docx")).read_bytes())
    page.set_input_files("#send-edit input[type=file]", str(other))
    page.click("#send-edit button")
    expect(page.locator("p.error")).to_contain_text(
        "理由書（妻）.docx: 内容が「理由書（TRAN THI BINH）」と一致します。"
        "「理由書（NGUYEN VAN AN）」の編集を送ってください"
    )
    assert next(packet.glob("docx/*reason_letter_nguyen_van_an.docx")).read_bytes() == letter.read_bytes()


def test_staff_have_no_template_page_and_an_admin_sees_a_broken_templates_findings(
    browser, server: str, tmp_path: Path
):
    page, expect = browser, playwright.expect
    log_in(page, server, STAFF, STAFF_PASSWORD)
    assert page.goto(f"{server}/admin/templates").status == 403
    page.context.clear_cookies()

    log_in(page, server, ADMIN, ADMIN_PASSWORD)
    page.goto(f"{server}/admin/templates")
    source = zipfile.ZipFile(io.BytesIO((TEMPLATES / "reason_letter.docx").read_bytes()))
    broken = tmp_path / "理由書（事務所版）.docx"
    with zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as z:
        for name in source.namelist():
            data = source.read(name)
            z.writestr(name, data.replace(b"}}", b"", 1) if name == "word/document.xml" else data)
    row = page.locator("#template-reason_letter")
    row.locator("input[type=file]").set_input_files(str(broken))
    row.locator("button").click()
    expect(page.locator("#template-check")).to_contain_text("テンプレートに誤りがあるため、取り込みませんでした")
    expect(page.locator("#template-check li.error-finding")).to_contain_text("閉じていません")
    shot(page, "template-refused")
