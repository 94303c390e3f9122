"""The web app in a real browser (Chromium, driven by Playwright): a staff member logs in, opens the board and the
family example's case, drops the client's 住民票 scan onto its row of the checklist, builds the packet (PDFs by
real LibreOffice) and watches the progress reach the end — reloading the page on the way — then downloads the
bundle under its Japanese name and finds the scan's page in it (pypdf). The screenshots of the staff guide
(docs/images/web-*.png, 1366×768) are taken on the way."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.browser import IMAGES, VIEW, chromium, needs_chromium, window
from tests.conftest import EXAMPLES
from tests.test_web_auth import ADMIN, ADMIN_PASSWORD, FAMILY, Office, add_example_case, make_office

playwright = pytest.importorskip("playwright.sync_api")
SCAN = EXAMPLES / "evidence" / "residence_certificate" / "juminhyo-sample.pdf"
BUILD_SECONDS = 600  # LibreOffice on this machine, with other work going on

pytestmark = needs_chromium


OTHERS = {  # a board with more than one case, as the screenshots show it
    "2026-087-single": "gijinkoku-single.yaml",
    "2026-092-hsp": "hsp-70-holder.yaml",
    "2026-095-spouse": "spouse-of-japanese.yaml",
    "2026-098-teijusha": "teijusha.yaml",
    "2026-103-keiei": "keiei-kanri-owner.yaml",
}


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Office:
    office = make_office(tmp_path_factory.mktemp("e2e") / "office")
    for case_id, example in OTHERS.items():
        add_example_case(office.cases, example, case_id)
    return office


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright (one for the module; each test opens its own window)."""
    with chromium() as started:
        yield started


@pytest.fixture
def browser_page(browser) -> Iterator[object]:
    with window(browser) as tab:
        yield tab


def shot(page, name: str, top: str | None = None) -> None:
    """A 1366×768 screenshot for the staff guide, scrolled so that `top` (a selector) starts the view."""
    if top is not None:
        page.locator(top).first.evaluate("(e) => e.scrollIntoView({ block: 'start' })")
    IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMAGES / f"web-{name}.png"))


def dragged(page, path: Path, kind: str):
    """A file dragged in from the desktop, as a browser delivers it (a DataTransfer holding a File)."""
    return page.evaluate_handle(
        """([bytes, name, kind]) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([new Uint8Array(bytes)], name, { type: kind }));
            return transfer;
        }""",
        [list(path.read_bytes()), path.name, kind],
    )


def drop_file(page, selector: str, transfer) -> None:
    page.dispatch_event(selector, "dragenter", {"dataTransfer": transfer})
    page.dispatch_event(selector, "dragover", {"dataTransfer": transfer})
    page.dispatch_event(selector, "drop", {"dataTransfer": transfer})


def log_in_page(page, server: str) -> None:
    page.goto(server + "/login")
    page.fill('input[name="name"]', ADMIN)
    page.fill('input[name="password"]', ADMIN_PASSWORD)
    page.click('button[type="submit"]')
    playwright.expect(page.locator("h1")).to_contain_text("案件一覧")


def passport_row(page) -> int:
    return int(
        page.locator("#checklist tr.evidence-row").evaluate_all(
            "(rows) => rows.findIndex((r) => r.querySelector('td').textContent.startsWith('パスポート'))"
        )
    )


def test_a_case_from_the_board_to_the_downloaded_bundle(browser_page, server: str, office: Office, tmp_path: Path):
    page = browser_page
    expect = playwright.expect

    # log in
    page.goto(server + "/")
    expect(page).to_have_url(f"{server}/login?next=%2F")
    page.fill('input[name="name"]', ADMIN)
    page.fill('input[name="password"]', ADMIN_PASSWORD)
    shot(page, "login")
    page.click('button[type="submit"]')

    # the board, and the family example's case
    expect(page.locator("h1")).to_contain_text("案件一覧")
    expect(page.locator("table.board")).to_contain_text(FAMILY)
    shot(page, "board")
    expect(page.locator("table.board tbody tr")).to_have_count(1 + len(OTHERS))
    page.click(f'a[href$="/cases/{FAMILY}"]')
    expect(page.locator("h1")).to_have_text(FAMILY)
    expect(page.locator("#decision")).to_contain_text("申請可(要検討)")
    shot(page, "case")

    # the 住民票 scan dropped onto its row of the checklist
    panel = page.locator("#evidence-upload")
    expect(panel).to_have_class("card evidence-ready")
    row = page.locator("#checklist tbody tr.evidence-row", has_text="住民票（世帯全員・個人番号省略）")
    expect(row).to_have_count(1)
    index = page.locator("#checklist tbody tr").evaluate_all(
        "(rows) => rows.findIndex((r) => r.textContent.includes('住民票（世帯全員'))"
    )
    drop_file(page, f"#checklist tbody tr:nth-child({index + 1})", dragged(page, SCAN, "application/pdf"))
    stored = panel.locator("ul.evidence-results li.stored")
    expect(stored).to_contain_text(f"保存しました: {SCAN.name} → 住民票（世帯全員・個人番号省略）")
    folder = office.cases / FAMILY / "evidence" / "05 住民票（世帯全員・個人番号省略） [residence_certificate]"
    assert (folder / SCAN.name).read_bytes() == SCAN.read_bytes()
    # while a file is dragged over the page, each person of a row is a target: the passport of NGUYEN MINH
    photo = EXAMPLES / "evidence" / "guarantor_id-licence.jpg"
    passport = dragged(page, photo, "image/jpeg")
    page.dispatch_event("body", "dragenter", {"dataTransfer": passport})
    chip = page.locator("#checklist tr.evidence-row", has_text="パスポート").locator(
        '.evidence-person[data-person="NGUYEN MINH"]'
    )
    expect(chip).to_be_visible()
    shot(page, "drop", "#checklist")
    drop_file(
        page,
        f"#checklist tr.evidence-row >> nth={passport_row(page)} >> .evidence-person >> text=NGUYEN MINH",
        passport,
    )
    expect(stored.first).to_contain_text(f"保存しました: {photo.name} → パスポート — NGUYEN MINH")
    assert (office.cases / FAMILY / "evidence" / "14 パスポート [passport]" / "NGUYEN MINH" / photo.name).is_file()
    expect(chip).to_be_hidden()  # the drop ends the dragging
    # a 住民税 certificate with the panel's form: the person's 年度 are offered once the person is chosen
    expect(panel.locator(".evidence-year")).to_be_hidden()
    panel.locator('select[name="item"]').select_option("resident_tax_certificates")
    expect(panel.locator(".evidence-year")).to_be_visible()
    panel.locator('select[name="person"]').select_option("NGUYEN VAN AN")
    panel.locator('select[name="year"]').select_option("2025")
    panel.locator('input[type="file"]').set_input_files(str(SCAN))
    panel.locator('button[type="submit"]').click()
    expect(stored.first).to_contain_text("— NGUYEN VAN AN — 令和7年度")
    taxes = "07 住民税の課税（又は非課税）証明書及び納税証明書 [resident_tax_certificates]"
    assert (office.cases / FAMILY / "evidence" / taxes / "NGUYEN VAN AN" / "令和7年度" / SCAN.name).is_file()
    # a file that is not a scan, sent with the panel's form, is named with its reason
    notes = tmp_path / "メモ.txt"
    notes.write_text("not a scan", encoding="utf-8")
    panel.locator('select[name="item"]').select_option("passport")
    expect(panel.locator(".evidence-year")).to_be_hidden()  # a passport is not counted per 年度
    panel.locator('select[name="person"]').select_option("NGUYEN MINH")
    panel.locator('input[type="file"]').set_input_files(str(notes))
    panel.locator('button[type="submit"]').click()
    expect(panel.locator("ul.evidence-results li.refused")).to_contain_text(
        "保存しませんでした: メモ.txt: PDF・JPEG・PNG のいずれでもありません（.txt）"
    )
    shot(page, "upload", "#evidence-upload")

    # パケット作成, followed live; a reload on the way loses nothing
    build = page.locator("#packet-build")
    build.locator('button[value="normal"]').click()
    stages = build.locator("ol.job-stages li")
    expect(stages.first).to_be_visible(timeout=60_000)
    expect(build.locator("progress.job-progress")).to_be_visible()
    page.reload()
    expect(build.locator(".job-state")).to_be_visible(timeout=30_000)
    expect(build.locator('button[value="normal"]')).to_be_disabled()  # one build per case: not twice
    expect(build.locator("ol.job-stages li")).to_contain_text(["要件の確認と書類一覧"], timeout=30_000)
    page.wait_for_selector("#packet-build ol.job-stages li.current", timeout=60_000)
    shot(page, "build-running", "#evidence-upload")
    expect(build.locator(".job-state")).to_have_text("完了", timeout=BUILD_SECONDS * 1000)
    expect(build.locator("ol.job-stages li")).to_contain_text(
        [
            "要件の確認と書類一覧",
            "Wordテンプレートへの記入",
            "依頼者の資料の取り込み",
            "PDFへの変換",
            "提出用PDFの組み立て",
            "報告書と記録の作成",
        ]
    )
    summary = build.locator("dl.job-summary")
    pages_text = summary.locator("dd").nth(2).inner_text()
    shot(page, "build-done", "#packet-build")

    # the bundle, downloaded under its Japanese name, holds the scan's page
    with page.expect_download() as download_info:
        build.locator('a[download$="-申請書類一式.pdf"]').click()
    download = download_info.value
    assert download.suggested_filename == f"{FAMILY}-申請書類一式.pdf"
    target = tmp_path / download.suggested_filename
    download.save_as(str(target))
    reader = PdfReader(str(target))
    pages = len(reader.pages)
    assert f"提出用PDF {pages} 頁" in pages_text
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert any("住民票" in title for title in titles), titles
    scan_pages = [
        n for n, p in enumerate(reader.pages) if "SAMPLE SCAN: residence certificate" in (p.extract_text() or "")
    ]
    assert len(scan_pages) == 2 and min(scan_pages) > 0  # under 住民票 and 住民税, after the index
    assert target.read_bytes() == (office.cases / FAMILY / f"{FAMILY}-packet" / f"{FAMILY}-packet.pdf").read_bytes()

    # the packet's own page lists the same files
    page.goto(f"{server}/cases/{FAMILY}/packet")
    row = page.locator("table.job-downloads tr", has_text=f"{FAMILY}-04_理由書_nguyen_van_an")
    expect(row.locator("a")).to_have_text(["Word", "PDF"])
    assert row.locator("a").nth(1).get_attribute("download") == f"{FAMILY}-04_理由書_nguyen_van_an.pdf"


def test_without_server_sent_events_the_page_polls(browser, server: str, office: Office):
    """A browser (or a proxy) without server-sent events: the page polls the job until it ends."""
    context = browser.new_context(viewport=VIEW, locale="ja-JP")
    context.add_init_script("window.EventSource = undefined;")
    page = context.new_page()
    log_in_page(page, server)
    page.goto(f"{server}/cases/{FAMILY}")
    build = page.locator("#packet-build")
    polled: list[str] = []
    page.on("request", lambda r: polled.append(r.url) if r.url.endswith(".json") and "/jobs/" in r.url else None)
    build.locator('input[name="word_only"]').check()
    with page.expect_response(f"{server}/cases/{FAMILY}/packet/build") as started:
        build.locator('button[value="normal"]').click()
    job = started.value.json()["id"]
    expect = playwright.expect
    expect(build.locator(f'.job[data-job="{job}"]')).to_have_attribute(
        "data-state", "done", timeout=BUILD_SECONDS * 1000
    )
    assert any(url.endswith(".json") and "/latest" not in url for url in polled), polled
    expect(build.locator("dl.job-summary")).to_contain_text("PDFなし")
    context.close()


def test_without_javascript_the_plain_forms_do_it_all(browser, server: str, office: Office, tmp_path: Path):
    """Scripts off: the upload page's plain form stores a scan and names a refused one; the build button leads to
    the job's page, which reloads itself until the build has ended."""
    context = browser.new_context(viewport=VIEW, locale="ja-JP", java_script_enabled=False)
    page = context.new_page()
    log_in_page(page, server)
    expect = playwright.expect
    page.goto(f"{server}/cases/{FAMILY}/evidence")
    page.select_option('select[name="to"]', "employment_proof|TRAN THI BINH")
    broken = tmp_path / "在職証明書.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot really a PDF")
    page.set_input_files('input[name="files"]', [str(SCAN), str(broken)])
    page.click('form.evidence-form button[type="submit"]')
    expect(page.locator("li.stored")).to_contain_text(f"保存しました: {SCAN.name}")
    expect(page.locator("li.refused")).to_contain_text("保存しませんでした: 在職証明書.pdf")
    stored = office.cases / FAMILY / "evidence" / "06 職業を証明する資料（在職証明書等） [employment_proof]"
    assert (stored / "TRAN THI BINH" / SCAN.name).is_file()
    page.goto(f"{server}/cases/{FAMILY}")
    panel = page.locator("#packet-build")
    panel.locator('input[name="word_only"]').check()
    panel.locator('button[value="normal"]').click()
    expect(page).to_have_url(re.compile(rf"/cases/{FAMILY}/jobs/[\w-]+$"))
    expect(page.locator(".job-state")).to_have_text("完了", timeout=BUILD_SECONDS * 1000)  # by reloading
    expect(page.locator("table.job-downloads")).to_contain_text(f"{FAMILY}-05_理由書_tran_thi_binh")
    context.close()
