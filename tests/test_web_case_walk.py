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
import re
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from pypdf import PdfReader

from docgen.profile.load import load_profile
from docgen.usecases.audit import audit_log
from docgen.usecases.case_folder import case_staff
from docgen.yamlfile import load_yaml
from tests.browser import IMAGES, needs_chromium
from tests.conftest import EXAMPLES
from tests.test_intake import Client, fill_in_as_mr_li
from tests.test_web_auth import ADMIN, ADMIN_PASSWORD, Office, make_office
from tests.test_web_e2e import BUILD_SECONDS, dragged, drop_file

playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect
pytestmark = needs_chromium

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
    "［住居地・所属機関等の入管法上の届出の履行状況を確認して記入］": (
        "住居地及び所属機関の届出は、いずれも期限内に行っております。"
    ),
    "［日本での生活と永住を希望する理由を具体的に記入］": (
        "来日以来、地域の日本語教室でボランティアとして活動しており、生活の基盤は日本にあります。"
    ),
}
ACCEPTED = "写真と証明書類は申請日に依頼者が持参するため、承知の上で提出用とする"
LETTER = f"{CASE}-02_reason_letter_li_wei.docx"  # the 理由書 in the packet's docx/
LETTER_JA = f"{CASE}-02_理由書_li_wei.docx"  # … as staff know it
SCAN = EXAMPLES / "evidence" / "residence_certificate" / "juminhyo-sample.pdf"
LICENCE = EXAMPLES / "evidence" / "guarantor_id-licence.jpg"


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Office:
    return make_office(tmp_path_factory.mktemp("case-walk") / "office")


class Shots:
    """The walk's screenshots, numbered in the order they are taken: web-walk-NN-<step>.png."""

    def __init__(self, page) -> None:
        self.page, self.n = page, 0
        for old in IMAGES.glob("web-walk-*.png"):  # a step renamed or dropped leaves no picture behind
            old.unlink()

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


@dataclass
class Walk:
    """The staff member's browser on the office's app, and what the walk keeps on the way."""

    page: Any
    server: str
    office: Office
    tmp: Path
    shot: Shots

    @property
    def folder(self) -> Path:
        return self.office.cases / CASE

    @property
    def build(self) -> Any:
        return self.page.locator("#packet-build")

    def later(self) -> None:
        """The next step, some minutes later (the audit log and the job times show the order)."""
        self.office.clock.advance(minutes=7)

    def case_page(self) -> None:
        self.page.goto(f"{self.server}/cases/{CASE}")
        expect(self.page.locator("h1")).to_have_text(CASE)

    def built(self, click: Callable[[], None], state: str = "done") -> str:
        """A build started with `click` on the case page and followed there until it ends in `state`: its id."""
        with self.page.expect_response(f"{self.server}/cases/{CASE}/packet/build") as sent:
            click()
        assert sent.value.status == 202
        job = str(sent.value.json()["id"])
        shown = self.build.locator(f'.job[data-job="{job}"]')
        expect(shown).to_have_attribute("data-state", state, timeout=BUILD_SECONDS * 1000)
        return job


def profile_text(office: Office) -> str:
    return (office.cases / CASE / f"{CASE}-profile.yaml").read_text(encoding="utf-8")


def applicant(office: Office) -> dict[str, Any]:
    """The applicant's values as the profile file holds them now."""
    return dict(load_yaml(office.cases / CASE / f"{CASE}-profile.yaml").data["applicant"])


def test_a_new_case_from_the_first_call_to_the_filing_copy_in_the_browser(
    page,
    server: str,
    office: Office,
    tmp_path: Path,
):
    walk = Walk(page, server, office, tmp_path, Shots(page))
    started = time.monotonic()
    log_in(walk)
    start_the_case(walk)
    questionnaire_round_trip(walk)
    fix_the_card_number_in_the_form(walk)
    write_in_the_filing_agent(walk)
    add_the_scans(walk)
    build_word_files(walk)
    edit_the_reason_letter_in_word(walk)
    build_again_keeping_the_edit(walk)
    converted = filing_copy_refused_then_accepted(walk)
    every_step_in_the_audit_log(walk)
    print(f"\nthe walk: {time.monotonic() - started:.0f} s, the filing copy (LibreOffice) {converted:.0f} s")


def log_in(walk: Walk) -> None:
    page = walk.page
    page.goto(f"{walk.server}/login")
    page.fill("input[name=name]", ADMIN)
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_contain_text("案件一覧")


def start_the_case(walk: Walk) -> None:
    """新規案件 from the menu: the case folder `docgen case new` makes, with the client's name and employer."""
    page = walk.page
    page.click("header nav a[href='/new-case']")  # the menu's 新規案件
    page.fill("input[name=family_name]", "Li")
    page.fill("input[name=given_name]", "Wei")
    page.fill("input[name=case_id]", CASE)
    page.select_option("select[name=category]", "gijinkoku")
    page.fill("input[name=planned]", "令和8年12月15日")
    page.select_option("select[name=lang]", "zh")
    page.fill("input[name=employer]", "新宿ソフト株式会社")
    page.uncheck("input[name=pdf]")
    walk.shot("new-case")
    page.click("form.new-case button[type=submit]")
    expect(page).to_have_url(f"{walk.server}/cases/{CASE}")
    profile = walk.folder / f"{CASE}-profile.yaml"
    assert stat.S_IMODE(profile.stat().st_mode) == 0o600
    text = profile_text(walk.office)
    assert "family_name: LI" in text and "given_name: WEI" in text and "application_date: 2026-12-15" in text
    assert "client_language: zh" in text and "name: 新宿ソフト株式会社" in text
    assert (walk.folder / f"{CASE}-handout-zh.docx").is_file() and (walk.folder / "evidence").is_dir()
    assert case_staff(walk.folder) == ADMIN
    unfilled = page.locator("#profile-unfilled")  # what is left to fill in, and where: no wall of 「空欄です」
    expect(unfilled).to_contain_text("プロフィールは記入中です")
    expect(unfilled.locator("a[href$='/questionnaire']")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("空欄です")
    walk.shot("case-started")


def questionnaire_round_trip(walk: Walk) -> None:
    """The Chinese questionnaire downloaded, filled in by the client, sent back: every difference taken in but
    the residence card's number (that of his old card)."""
    page = walk.page
    walk.later()
    page.click("#profile-links a[href$='/questionnaire']")
    with page.expect_download() as got:
        page.click("a[href$='/questionnaire/download']")
    assert got.value.suggested_filename == f"{CASE}_質問票_中国語（簡体字）.xlsx"
    book = walk.tmp / got.value.suggested_filename
    got.value.save_as(book)
    fill_in_as_mr_li(Client(book))  # typed as a client types: 和暦, full-width digits, Excel dates, 中文 choices

    walk.later()
    page.set_input_files("input[name=workbook]", str(book))
    page.click("form.row button[type=submit]")
    expect(page.locator("#changes")).to_be_visible()
    expect(page.locator("#problems")).to_have_count(0)
    card = page.locator("#changes tr", has=page.locator("input[value='applicant.residence_card_number']"))
    expect(card.locator("td.new")).to_have_text(OLD_CARD)
    born = page.locator("#changes tr", has=page.locator("input[value='applicant.birth_date']"))
    expect(born.locator("td.new")).to_have_text("1990年5月20日")  # as staff read a date, not 1990-05-20
    expect(page.locator("#review")).not_to_contain_text(str(walk.office.root))  # no folder of the server
    card.locator("input[name=accept]").uncheck()  # his old card's number: not taken in
    walk.shot("questionnaire-review", "#changes tr:has(input[value='applicant.residence_card_number'])", above=330)
    page.click("button[name=chosen]")
    expect(page.locator("p.done")).to_contain_text("プロフィールに取り込みました")
    li = applicant(walk.office)
    assert (li["nationality"], li["birth_date"], li["passport"]["number"]) == ("中国", "1990-05-20", "EJ1234567")
    assert li["stay_expiry"] == "2029-03-31"  # typed R11.3.31
    assert li["residence_card_number"] is None  # refused
    assert "# 国籍・地域, e.g. 中国, ベトナム, 日本 — required" in profile_text(walk.office)  # comments kept
    text = profile_text(walk.office)  # the skeleton's blank family member and 取次者 went with it
    assert "\nfamily:" not in text and "\nfiling_agent:" not in text
    walk.shot("questionnaire-taken-in")


def fix_the_card_number_in_the_form(walk: Walk) -> None:
    """The new card's number typed in the profile form: mistyped first (the message beside the field, nothing
    saved), then right, with the 申請書's short reason heard at the interview."""
    page = walk.page
    walk.later()
    page.goto(f"{walk.server}/cases/{CASE}/profile/person")
    page.fill("#f-applicant-residence_card_number", "EF9876543GH")
    page.click(".profile-form button[type=submit]")
    box = page.locator(".field.has-error", has=page.locator("#f-applicant-residence_card_number"))
    expect(box).to_contain_text("在留カード番号は英字2文字・数字8桁・英字2文字です")
    expect(page.locator("p.error")).to_contain_text("保存していません")
    assert applicant(walk.office)["residence_card_number"] is None
    walk.shot("profile-error", ".field.has-error", above=120)
    page.fill("#f-applicant-residence_card_number", NEW_CARD)
    page.fill("#f-applicant-reason", REASON)
    page.click(".profile-form button[type=submit]")
    expect(page.locator("p.done")).to_contain_text("保存しました")
    li = applicant(walk.office)
    assert (li["residence_card_number"], li["reason"]) == (NEW_CARD, REASON)
    walk.shot("profile-saved")


def write_in_the_filing_agent(walk: Walk) -> None:
    """The case page reads the profile whole (the skeleton's blank entries went with the questionnaire); the
    office's 取次者 typed in on the 案件 page; the history of saves says who, when and how, in words."""
    page = walk.page
    walk.later()
    walk.case_page()
    expect(page.locator("body")).not_to_contain_text("プロフィールにエラー")
    expect(page.locator("#decision")).to_be_visible()
    walk.shot("case-profile-whole")
    page.goto(f"{walk.server}/cases/{CASE}/profile/case")
    for field, value in AGENT.items():
        page.fill(f"#f-filing_agent-{field}", value)
    page.click(".profile-form button[type=submit]")
    expect(page.locator("p.done")).to_contain_text("保存しました")
    expect(page.locator(".field.has-error")).to_have_count(0)
    walk.shot("profile-agent")
    profile = load_profile(walk.folder / f"{CASE}-profile.yaml")  # valid, as `docgen profile check` reads it
    assert profile.applicant.residence_card_number == NEW_CARD and profile.family == []
    assert profile.filing_agent is not None

    page.goto(f"{walk.server}/cases/{CASE}/profile/history")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)  # the questionnaire, 本人, 案件: each previous version kept
    taken = rows.filter(has_text="質問票の取り込み")
    expect(taken).to_contain_text("applicant.nationality")
    expect(taken).not_to_contain_text("applicant.residence_card_number")
    expect(rows.filter(has_text="「本人」のページ")).to_contain_text("applicant.residence_card_number")
    expect(rows.first.locator("td.date")).to_have_text(re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日（.） \d{2}:\d{2}$"))
    walk.shot("profile-history")


def add_the_scans(walk: Walk) -> None:
    """His 住民票 dropped onto its row of the checklist; the guarantor's licence sent with the panel's form."""
    page = walk.page
    walk.later()
    walk.case_page()
    expect(page.locator("#decision")).to_contain_text("申請可(要検討)")
    walk.shot("case-ready")
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
    expect(stored.first).to_contain_text(f"保存しました: {LICENCE.name} → 身元保証人の身分事項")
    evidence = walk.folder / "evidence"
    assert next(evidence.glob("*[[]residence_certificate]/" + SCAN.name)).read_bytes() == SCAN.read_bytes()
    assert next(evidence.glob("*[[]guarantor_id]/" + LICENCE.name)).read_bytes() == LICENCE.read_bytes()
    walk.shot("scans", "#evidence-upload")


def build_word_files(walk: Walk) -> None:
    """パケット作成 (Word files only: no LibreOffice yet), followed on the page until its progress is full."""
    build = walk.build
    walk.later()
    build.locator("input[name=word_only]").check()
    walk.built(lambda: build.locator('button[value="normal"]').click())
    expect(build.locator(".job-state")).to_have_text("完了")
    expect(build.locator("progress.job-progress")).to_have_attribute("value", "1")
    expect(build.locator("ol.job-stages li")).to_contain_text(
        ["要件の確認と書類一覧", "Wordテンプレートへの記入", "依頼者の資料の取り込み", "報告書と記録の作成"]
    )
    expect(build.locator("dl.job-summary")).to_contain_text("PDFなし")
    placeholders = build.locator("details.job-list", has_text="提出前に記入が必要な箇所")
    expect(placeholders.locator(".count")).to_have_text("3")  # all three in the 理由書
    walk.shot("built", "#packet-build")
    packet = walk.folder / f"{CASE}-packet"
    assert "［日本での生活と永住を希望する理由を具体的に記入］" in words_of(packet / "docx" / LETTER)
    assert not (packet / "pdf").exists() and not (packet / f"{CASE}-packet.pdf").exists()
    assert len(list((packet / "evidence").glob("*.pdf"))) == 2  # both scans taken in (the licence as a PDF)


def edit_the_reason_letter_in_word(walk: Walk) -> None:
    """The 理由書 downloaded under its Japanese name, its ［ ］ filled in and saved as Word does, sent back: kept as
    the office's edit, the changes shown."""
    page = walk.page
    walk.later()
    walk.case_page()
    page.locator("#documents-edit a", has_text="Word で編集する").click()
    page.locator("#packet-documents a", has_text="理由書").click()
    expect(page.locator("h1")).to_contain_text("理由書")
    with page.expect_download() as got:
        page.locator("#document-actions a.button").click()
    letter = walk.tmp / got.value.suggested_filename
    assert letter.name.startswith(f"{CASE}-理由書") and letter.suffix == ".docx"
    got.value.save_as(letter)
    fill_in_word(letter)
    walk.later()
    page.set_input_files("#send-edit input[type=file]", str(letter))
    page.click("#send-edit button")
    expect(page.locator("p.done")).to_contain_text("を事務所の編集として保存しました")
    blanks, words = list(FILLED), list(FILLED.values())
    expect(page.locator("#changes .added")).to_have_text([f"　{words[0]}の出国は、次のとおりです。", *words[1:]])
    expect(page.locator("#changes .removed")).to_have_text([f"　{blanks[0]}の出国は、次のとおりです。", *blanks[1:]])
    expect(page.locator("#document-actions")).to_contain_text("事務所で編集")
    assert (walk.folder / f"{CASE}-packet" / "docx" / LETTER).read_bytes() == letter.read_bytes()
    walk.shot("letter-edited", "#document-actions", above=90)


def build_again_keeping_the_edit(walk: Walk) -> None:
    """パケット作成 again (Word only): the edited 理由書 is kept, no ［ ］ is left anywhere."""
    build = walk.build
    walk.later()
    walk.case_page()
    build.locator("input[name=word_only]").check()
    walk.built(lambda: build.locator('button[value="normal"]').click())
    kept = build.locator("details.job-list", has_text="事務所で編集した書類")
    expect(kept).to_contain_text(LETTER_JA)  # by its Japanese name
    expect(build.locator("details.job-list", has_text="提出前に記入が必要な箇所")).to_have_count(0)
    expect(build.locator("dl.job-summary")).to_contain_text("確認用")  # no longer stamped 下書き
    text = words_of(walk.folder / f"{CASE}-packet" / "docx" / LETTER)
    assert all(words in text for words in FILLED.values()) and "［" not in text
    kept.locator("summary").click()
    walk.shot("rebuilt", "#packet-build")


def filing_copy_refused_then_accepted(walk: Walk) -> float:
    """提出用として作成: refused with its reasons (what the client has not brought yet), nothing changed; then
    built with the office's acceptance and its reason — the walk's one LibreOffice build, followed until its
    progress is full. The downloaded bundle holds the staff's edit. Its seconds are returned."""
    page, build = walk.page, walk.build
    packet = walk.folder / f"{CASE}-packet"
    manifest = packet / f"{CASE}-manifest.json"
    before = manifest.read_bytes()
    walk.later()
    final = build.locator("details.job-final")
    final.locator("summary").click()
    walk.built(lambda: final.locator("button[type=submit]").click(), state="refused")
    expect(build.locator(".job-state")).to_have_text("作成できませんでした")
    message = build.locator(".job-message")
    expect(message).to_contain_text("提出用にできません（何も変更していません）")
    expect(message).to_contain_text("書類が揃っていません: 写真（縦4cm×横3cm）（0/1）")
    expect(message).to_contain_text("理由を書いて承認してください")
    expect(final).to_have_attribute("open", "")  # the acceptance's reason is asked for
    assert manifest.read_bytes() == before and not (packet / f"{CASE}-packet.pdf").exists()
    walk.shot("final-refused", "#packet-build")

    walk.later()
    final.locator("textarea[name=reason]").fill(ACCEPTED)
    converting = time.monotonic()
    with page.expect_response(f"{walk.server}/cases/{CASE}/packet/build") as sent:
        final.locator("button[type=submit]").click()
    job = build.locator(f'.job[data-job="{sent.value.json()["id"]}"]')
    expect(job.locator("progress.job-progress:not([value])")).to_be_visible()  # running: not full yet
    page.wait_for_selector("#packet-build ol.job-stages li.current", timeout=60_000)
    walk.shot("final-running", "#packet-build")
    expect(job).to_have_attribute("data-state", "done", timeout=BUILD_SECONDS * 1000)
    seconds = time.monotonic() - converting
    expect(job.locator("progress.job-progress")).to_have_attribute("value", "1")
    expect(job.locator("ol.job-stages li")).to_contain_text(
        [
            "要件の確認と書類一覧",
            "Wordテンプレートへの記入",
            "依頼者の資料の取り込み",
            "PDFへの変換",
            "提出用PDFの組み立て",
            "報告書と記録の作成",
        ]
    )
    expect(job.locator("dl.job-summary")).to_contain_text("提出用")
    stage = job.locator("ol.job-stages li", has_text="PDFへの変換").inner_text()
    converted = re.search(r"PDFへの変換（(\d+)件", stage)
    assert converted is not None
    expect(job.locator("dl.job-summary")).to_contain_text(f"変換 {converted.group(1)}")  # the same count
    expect(build.locator(".job-files")).to_contain_text(
        re.compile(rf"{ADMIN} が承認（\d{{4}}年\d{{1,2}}月\d{{1,2}}日（.） \d{{2}}:\d{{2}}）")
    )
    names = build.locator(".job-files a[download]").evaluate_all("(links) => links.map((a) => a.download)")
    assert len(names) == len(set(names)) and any("依頼者用" in n for n in names)  # the client's copy, once
    expect(build.locator(".job-files")).to_contain_text(ACCEPTED)
    walk.shot("final-accepted", "#packet-build")

    with page.expect_download() as got:
        build.locator('a[download$="-申請書類一式.pdf"]').click()
    bundle = walk.tmp / got.value.suggested_filename
    assert bundle.name == f"{CASE}-申請書類一式.pdf"
    got.value.save_as(bundle)
    assert bundle.read_bytes() == (packet / f"{CASE}-packet.pdf").read_bytes()
    reader = PdfReader(str(bundle))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "3. 理由書" in titles and "4. 住民票（世帯全員・個人番号省略）" in titles
    assert not any("訳" in title for title in titles)  # the client's translation is not filed
    pages = ["".join((p.extract_text() or "").split()) for p in reader.pages]
    letter = [text for text in pages if "理由書" in text and "法務大臣" in text]
    assert len(letter) == 1, "the 理由書's page"
    for words in FILLED.values():
        assert "".join(words.split()) in letter[0], f"the staff's edit is in the bundle: {words}"
    assert not any("下書き" in text for text in pages)  # the filing copy is not stamped
    assert any("SAMPLESCAN:residencecertificate" in text for text in pages)  # the 住民票 scan is bound
    filing = json.loads(manifest.read_text(encoding="utf-8"))["final"]
    assert filing["final"] is True
    assert (filing["accepted"]["by"], filing["accepted"]["reason"]) == (ADMIN, ACCEPTED)
    assert any("写真（縦4cm×横3cm）" in what for what in filing["accepted"]["what"])
    return seconds


def every_step_in_the_audit_log(walk: Walk) -> None:
    """The admin's view of the case's log on the case page; the log itself, step by step."""
    page = walk.page
    walk.later()
    walk.case_page()
    audit = page.locator("#audit")
    for action in (
        "案件を作成",
        "ダウンロード",
        "アップロード",
        "変更",
        "パケット作成",
        "案件を表示",
        "提出用を承認して作成",
    ):
        expect(audit).to_contain_text(action)
    walk.shot("audit", "#audit")
    returned = next(walk.folder.glob(f"{CASE}-intake-returned-*.xlsx")).name
    profile = f"{CASE}-profile.yaml"
    letter = f"{CASE}-packet/docx/{LETTER}"
    steps = [(e.user, e.action, e.document) for e in audit_log(walk.office.ctx, case_id=CASE)]
    assert {user for user, _, _ in steps} == {ADMIN}
    assert [(action, document) for _, action, document in steps if action != "view_case"] == [
        ("new_case", profile),
        ("download", f"{CASE}-intake-zh.xlsx"),
        ("upload", returned),
        ("change", f"{profile} ({returned})"),
        ("change", f"{profile} (person)"),
        ("change", f"{profile} (case)"),
        ("upload", f"residence_certificate/{SCAN.name}"),
        ("upload", f"guarantor_id/{LICENCE.name}"),
        ("build", ""),
        ("build_done", ""),
        ("download", letter),
        ("upload", letter),
        ("build", ""),
        ("build_done", ""),
        ("build", "final"),
        ("build_refused", "final"),  # the log tells the refused filing copy …
        ("build", "final"),
        ("build_accepted", "final"),  # … from the one built with the office's acceptance
        ("download", f"{CASE}-packet/{CASE}-packet.pdf"),
    ]
