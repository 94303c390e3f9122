"""A whole case in a real browser (Chromium, driven by Playwright), without the command line — issue 22's story.

Mr Li's case is started on 新規案件; his Chinese questionnaire is downloaded, filled in by the test as he would in
Excel (openpyxl), sent back; every difference but one is taken in (he copied the number of his old residence
card: refused), and staff type the new card's number in the profile form — wrongly first, and see the message
beside the field. His scans are dropped onto the checklist; the packet is built (Word only) and its progress
followed to the end; the 理由書 is downloaded, its ［ ］ filled in with python-docx as Word would save it, sent
back and kept by the next build; the filing copy is refused with its reasons, then built with the office's
acceptance (the one LibreOffice build: the bundle's text holds the edit). Every step is in the admin's audit log.

Screenshots of the staff guide: docs/images/web-walk-NN-<step>.png (1366×768)."""

from __future__ import annotations

import json
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from pypdf import PdfReader

from docgen.profile.load import load_profile
from docgen.usecases.audit import audit_log
from docgen.usecases.case_folder import case_staff
from docgen.yamlfile import load_yaml
from tests.conftest import EXAMPLES
from tests.test_intake import Client, fill_in_as_mr_li
from tests.test_web_auth import ADMIN, ADMIN_PASSWORD, Office, make_office
from tests.test_web_e2e import (  # noqa: F401  (the server fixture)
    ARGS,
    BUILD_SECONDS,
    CHROMIUM,
    IMAGES,
    VIEW,
    dragged,
    drop_file,
    server,
)

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")

CASE = "2026-110-li"
OLD_CARD, NEW_CARD = "AB12345678CD", "EF98765432GH"  # the client copied his old card; the office has the new one
AGENT = {  # the office's own 取次者 (fictional)
    "name": "山田 花子",
    "office": "山田行政書士事務所",
    "registration_number": "12345678",
    "address": "東京都千代田区霞が関一丁目1番1号",
    "phone": "03-1234-5678",
}
REASON = "日本で長く働き、生活の基盤が日本にあるため"
FILLED = {  # the 理由書's ［ ］ as staff fill them in Word
    "［出入国記録で確認した期間を記入（例：平成28年4月以降）］": "平成26年4月以降",
    "［住居地・所属機関等の入管法上の届出の履行状況を確認して記入］": "住居地及び所属機関の届出は、いずれも期限内に行っております。",
    "［日本での生活と永住を希望する理由を具体的に記入］": (
        "来日以来、地域の日本語教室でボランティアとして活動しており、生活の基盤は日本にあります。"
    ),
}
ACCEPTED = "写真と証明書類は申請日に依頼者が持参するため、承知の上で提出用とする"
SCAN = EXAMPLES / "evidence" / "residence_certificate" / "juminhyo-sample.pdf"
LICENCE = EXAMPLES / "evidence" / "guarantor_id-licence.jpg"


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Office:
    return make_office(tmp_path_factory.mktemp("case-walk") / "office")


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[object]:  # noqa: F811
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        context = browser.new_context(viewport=VIEW, locale="ja-JP", accept_downloads=True)
        yield context.new_page()
        context.close()
        browser.close()


class Shots:
    """The walk's screenshots, numbered in the order they are taken: web-walk-NN-<step>.png."""

    def __init__(self, page) -> None:
        self.page, self.n = page, 0

    def __call__(self, step: str, top: str | None = None, above: int = 0) -> Path:
        """Scrolled so that `top` (a selector) starts the view, `above` pixels below its top."""
        if top is not None:
            self.page.locator(top).first.evaluate("(e) => e.scrollIntoView({ block: 'start' })")
            self.page.evaluate(f"window.scrollBy(0, -{above})")
        self.n += 1
        IMAGES.mkdir(parents=True, exist_ok=True)
        path = IMAGES / f"web-walk-{self.n:02d}-{step}.png"
        self.page.screenshot(path=str(path))
        return path


def fill_in_word(path: Path) -> None:
    """The ［ ］ of a letter filled in and saved, as staff do in Word (python-docx)."""
    doc = Document(str(path))
    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            for blank, words in FILLED.items():
                run.text = run.text.replace(blank, words)
    doc.save(str(path))


def words_of(path: Path) -> str:
    """The text of a Word file, paragraph by paragraph."""
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def profile_text(office: Office) -> str:
    return (office.cases / CASE / f"{CASE}-profile.yaml").read_text(encoding="utf-8")


def applicant(office: Office) -> dict[str, Any]:
    """The applicant's values as the profile file holds them now."""
    return dict(load_yaml(office.cases / CASE / f"{CASE}-profile.yaml").data["applicant"])


def test_a_new_case_from_the_first_call_to_the_filing_copy_in_the_browser(
    page,
    server: str,  # noqa: F811
    office: Office,
    tmp_path: Path,
):
    expect, shot = playwright.expect, Shots(page)
    started = time.monotonic()
    page.goto(f"{server}/login")
    page.fill("input[name=name]", ADMIN)
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_contain_text("案件一覧")

    # 1. the new case, from the board's menu
    page.goto(f"{server}/new-case")
    page.fill("input[name=family_name]", "Li")
    page.fill("input[name=given_name]", "Wei")
    page.fill("input[name=case_id]", CASE)
    page.select_option("select[name=category]", "gijinkoku")
    page.fill("input[name=planned]", "令和8年12月15日")
    page.select_option("select[name=lang]", "zh")
    page.fill("input[name=employer]", "新宿ソフト株式会社")
    page.uncheck("input[name=pdf]")
    shot("new-case")
    page.click("form.new-case button[type=submit]")
    expect(page).to_have_url(f"{server}/cases/{CASE}")
    expect(page.locator("h1")).to_have_text(CASE)
    folder = office.cases / CASE
    profile = folder / f"{CASE}-profile.yaml"
    assert stat.S_IMODE(profile.stat().st_mode) == 0o600
    text = profile_text(office)
    assert "family_name: LI" in text and "given_name: WEI" in text and "application_date: 2026-12-15" in text
    assert "client_language: zh" in text and "name: 新宿ソフト株式会社" in text
    assert case_staff(folder) == ADMIN
    shot("case-started")

    # 2. the questionnaire: downloaded in Chinese, filled in by the client in Excel, sent back
    page.click("#profile-links a[href$='/questionnaire']")
    with page.expect_download() as got:
        page.click("a[href$='/questionnaire/download']")
    download = got.value
    assert download.suggested_filename == f"{CASE}_質問票_中国語（簡体字）.xlsx"
    book = tmp_path / download.suggested_filename
    download.save_as(book)
    fill_in_as_mr_li(Client(book))  # his answers, typed as a client types them (和暦, full-width, Excel dates)
    page.set_input_files("input[name=workbook]", str(book))
    page.click("form.row button[type=submit]")
    expect(page.locator("#changes")).to_be_visible()
    card = page.locator("#changes tr", has=page.locator("input[value='applicant.residence_card_number']"))
    expect(card.locator("td.new")).to_have_text(OLD_CARD)
    card.locator("input[name=accept]").uncheck()  # the number of his old card: not taken in
    shot("questionnaire-review", "#review")
    page.click("button[name=chosen]")
    expect(page.locator("p.done")).to_contain_text("プロフィールに取り込みました")
    li = applicant(office)
    assert (li["nationality"], li["birth_date"], li["passport"]["number"]) == ("中国", "1990-05-20", "EJ1234567")
    assert li["residence_card_number"] is None  # refused
    text = profile_text(office)
    assert "# 国籍・地域, e.g. 中国, ベトナム, 日本 — required" in text  # the skeleton's comments kept
    shot("questionnaire-taken-in")

    # 3. the new card's number typed in the profile form: wrong first, the message beside the field
    page.goto(f"{server}/cases/{CASE}/profile/person")
    page.fill("#f-applicant-residence_card_number", "EF9876543GH")
    page.click(".profile-form button[type=submit]")
    box = page.locator(".field.has-error", has=page.locator("#f-applicant-residence_card_number"))
    expect(box).to_contain_text("在留カード番号は英字2文字・数字8桁・英字2文字です")
    assert "EF9876543GH" not in profile_text(office)
    shot("profile-error", ".field.has-error", above=120)
    page.fill("#f-applicant-residence_card_number", NEW_CARD)
    page.fill("#f-applicant-reason", REASON)  # the 申請書's short reason, heard at the interview
    page.click(".profile-form button[type=submit]")
    expect(page.locator("p.done")).to_contain_text("保存しました")
    li = applicant(office)
    assert (li["residence_card_number"], li["reason"]) == (NEW_CARD, REASON)
    shot("profile-saved")

    # the skeleton's blank entries: the family member nobody named, the 取次者 of the office
    page.goto(f"{server}/cases/{CASE}")
    shot("case-after-profile")
    page.goto(f"{server}/cases/{CASE}/profile/family")
    shot("profile-family")
    page.click(".profile-form button[type=submit]")
    expect(page.locator("p.done")).to_contain_text("保存しました")
    assert "family:" not in profile_text(office)
    page.goto(f"{server}/cases/{CASE}/profile/case")
    shot("profile-case")
    page.click(".profile-form button[type=submit]")  # left blank, the 取次者 block stays (see the report)
    expect(page.locator(".field.has-error")).to_have_count(5)
    for field, value in AGENT.items():
        page.fill(f"#f-filing_agent-{field}", value)
    page.click(".profile-form button[type=submit]")
    expect(page.locator("p.done")).to_contain_text("保存しました")
    expect(page.locator(".field.has-error")).to_have_count(0)
    assert load_profile(profile).applicant.residence_card_number == NEW_CARD  # the profile reads whole now

    # 4. the client's scans, dropped onto the checklist and sent with the panel's form
    page.goto(f"{server}/cases/{CASE}")
    expect(page.locator("#decision")).to_be_visible()
    shot("case-ready")
    panel = page.locator("#evidence-upload")
    expect(panel).to_have_class("card evidence-ready")
    index = page.locator("#checklist tbody tr").evaluate_all(
        "(rows) => rows.findIndex((r) => r.textContent.includes('住民票（世帯全員'))"
    )
    drop_file(page, f"#checklist tbody tr:nth-child({index + 1})", dragged(page, SCAN, "application/pdf"))
    stored = panel.locator("ul.evidence-results li.stored")
    expect(stored).to_contain_text(f"保存しました: {SCAN.name} → 住民票（世帯全員・個人番号省略）")
    panel.locator("select[name=item]").select_option("guarantor_id")
    panel.locator("input[type=file]").set_input_files(str(LICENCE))
    panel.locator("button[type=submit]").click()
    expect(stored.first).to_contain_text(f"保存しました: {LICENCE.name}")
    scans = sorted(p.relative_to(folder / "evidence").as_posix() for p in (folder / "evidence").rglob("*.*"))
    assert [s.rsplit("/", 1)[1] for s in scans if s.endswith((".pdf", ".jpg"))] == [SCAN.name, LICENCE.name]
    shot("scans", "#evidence-upload")

    # 5. パケット作成 (Word only), its progress followed to the end
    build = page.locator("#packet-build")
    build.locator("input[name=word_only]").check()
    build.locator('button[value="normal"]').click()
    expect(build.locator("ol.job-stages li").first).to_be_visible(timeout=60_000)
    expect(build.locator(".job-state")).to_have_text("完了", timeout=BUILD_SECONDS * 1000)
    expect(build.locator("progress.job-progress")).to_have_attribute("value", "1")
    shot("built", "#packet-build")
    summary = build.locator("dl.job-summary")
    expect(summary).to_contain_text("PDFなし")
    packet = folder / f"{CASE}-packet"
    letter_in_packet = packet / "docx" / f"{CASE}-02_reason_letter_li_wei.docx"
    assert "［日本での生活と永住を希望する理由を具体的に記入］" in words_of(letter_in_packet)
    assert not (packet / "pdf").exists()  # Word only: no LibreOffice yet
    placeholders = build.locator("details.job-list", has_text="提出前に記入が必要な箇所")
    expect(placeholders.locator(".count")).to_have_text("3")  # all three in the 理由書

    # 6. the 理由書: downloaded, its ［ ］ filled in Word, sent back; the page shows what changed
    page.goto(f"{server}/cases/{CASE}")
    page.locator("#documents-edit a", has_text="Word で編集する").click()
    page.locator("#packet-documents a", has_text="理由書").click()
    expect(page.locator("h1")).to_contain_text("理由書")
    with page.expect_download() as got:
        page.locator("#document-actions a.button").click()
    letter = tmp_path / got.value.suggested_filename
    assert letter.name.startswith(f"{CASE}-理由書") and letter.suffix == ".docx"
    got.value.save_as(letter)
    fill_in_word(letter)
    page.set_input_files("#send-edit input[type=file]", str(letter))
    page.click("#send-edit button")
    expect(page.locator("p.done")).to_contain_text("を事務所の編集として保存しました")
    expect(page.locator("#changes .added")).to_have_text(
        ["　平成26年4月以降の出国は、次のとおりです。", *(f"　{words}" for words in list(FILLED.values())[1:])]
    )
    expect(page.locator("#changes .removed")).to_have_count(3)  # the lines with the ［ ］
    expect(page.locator("#document-actions")).to_contain_text("事務所で編集")
    assert letter_in_packet.read_bytes() == letter.read_bytes()
    shot("letter-edited", "#document-actions", above=90)

    # 7. the packet built again (Word only): the edit is kept, no ［ ］ is left
    page.goto(f"{server}/cases/{CASE}")
    build.locator("input[name=word_only]").check()
    build.locator('button[value="normal"]').click()
    expect(build.locator(f'.job[data-state="done"]')).not_to_have_count(0, timeout=BUILD_SECONDS * 1000)
    kept = build.locator("details.job-list", has_text="事務所で編集した書類")
    expect(kept).to_contain_text(letter_in_packet.name)
    expect(build.locator("details.job-list", has_text="提出前に記入が必要な箇所")).to_have_count(0)
    assert all(words in words_of(letter_in_packet) for words in FILLED.values())
    assert "［" not in words_of(letter_in_packet)
    kept.locator("summary").click()
    shot("rebuilt", "#packet-build")

    # 8. the filing copy: refused with its reasons (what is still missing), nothing changed
    manifest = (packet / f"{CASE}-manifest.json").read_bytes()
    final = build.locator("details.job-final")
    final.locator("summary").click()
    final.locator("button[type=submit]").click()
    expect(build.locator(".job-state")).to_have_text("作成できませんでした", timeout=BUILD_SECONDS * 1000)
    message = build.locator(".job-message")
    expect(message).to_contain_text("提出用にできません（何も変更していません）")
    expect(message).to_contain_text("書類が揃っていません: 写真（縦4cm×横3cm）")
    expect(final).to_have_attribute("open", "")  # the acceptance's reason is asked for
    assert (packet / f"{CASE}-manifest.json").read_bytes() == manifest
    shot("final-refused", "#packet-build")

    # 9. ... then accepted with a reason: the filing copy, PDFs by LibreOffice; the bundle holds the edit
    converting = time.monotonic()
    final.locator("textarea[name=reason]").fill(ACCEPTED)
    final.locator("button[type=submit]").click()
    expect(build.locator(".job-state")).to_have_text("完了", timeout=BUILD_SECONDS * 1000)
    converted = time.monotonic() - converting
    expect(build.locator("dl.job-summary")).to_contain_text("提出用")
    expect(build.locator(".job-files")).to_contain_text(ACCEPTED)
    shot("final-accepted", "#packet-build")
    with page.expect_download() as got:
        build.locator('a[download$="-申請書類一式.pdf"]').click()
    bundle = tmp_path / got.value.suggested_filename
    assert bundle.name == f"{CASE}-申請書類一式.pdf"
    got.value.save_as(bundle)
    reader = PdfReader(str(bundle))
    pages = ["".join((p.extract_text() or "").split()) for p in reader.pages]
    assert any("".join(list(FILLED.values())[2].split()) in text for text in pages), "the edit is not in the bundle"
    assert not any("下書き" in text for text in pages)
    filing = json.loads((packet / f"{CASE}-manifest.json").read_text(encoding="utf-8"))["final"]
    assert filing["final"] is True and filing["accepted"]["by"] == ADMIN
    assert filing["accepted"]["reason"] == ACCEPTED

    # 10. every step in the audit log: the admin's view on the case page, and the log itself
    page.goto(f"{server}/cases/{CASE}")
    shot("audit", "#audit")
    steps = [(e.action, e.document) for e in audit_log(office.ctx, case_id=CASE) if e.action != "view_case"]
    print(steps)
    print(f"walk {time.monotonic() - started:.0f} s, of which the filing copy {converted:.0f} s")
