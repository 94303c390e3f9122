"""The profile's pages in a real browser (Chromium, driven by Playwright): a staff member starts a new case, opens
the family example's profile, types a residence card number wrong and sees the message beside it, corrects it
and types a 和暦 date, saves; then takes a returned questionnaire in. The staff guide's screenshots
(docs/images/web-profile*.png, 1366×768) are taken on the way."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import IMAGES, needs_chromium
from tests.test_intake import Client
from tests.test_web_auth import ADMIN, ADMIN_PASSWORD, FAMILY, Office, make_office

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = needs_chromium


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Office:
    return make_office(tmp_path_factory.mktemp("profile-browser") / "office")


def shot(page, name: str = "", top: str | None = None) -> None:
    if top is not None:
        page.locator(top).first.evaluate("(e) => e.scrollIntoView({ block: 'start' })")
    IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMAGES / f"web-profile{name}.png"))


def test_new_case_profile_form_and_questionnaire_in_the_browser(
    page,
    server: str,
    office: Office,
    tmp_path: Path,
):
    page.goto(f"{server}/login")
    page.fill("input[name=name]", ADMIN)
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/")

    # a new case
    page.goto(f"{server}/new-case")
    page.fill("input[name=family_name]", "Wang")
    assert page.get_attribute("#case_id", "placeholder") == "2026-102-wang"  # the suggestion follows the name
    page.fill("input[name=given_name]", "Fang")
    page.select_option("select[name=category]", "gijinkoku")
    page.fill("input[name=planned]", "令和8年12月15日")
    page.select_option("select[name=lang]", "zh")
    page.fill("input[name=employer]", "みなとテック株式会社")
    page.uncheck("input[name=pdf]")
    shot(page, "-new-case")
    page.click("form.new-case button[type=submit]")
    page.wait_for_url(f"{server}/cases/2026-102-wang")
    assert (office.cases / "2026-102-wang" / "2026-102-wang-profile.yaml").is_file()

    # the family's profile: a wrong residence card number, shown beside its field
    page.goto(f"{server}/cases/{FAMILY}/profile/person")
    shot(page)
    page.fill("#f-applicant-residence_card_number", "EF2345")
    page.click(".profile-form button[type=submit]")
    box = page.locator(".field.has-error", has=page.locator("#f-applicant-residence_card_number"))
    assert "在留カード番号は英字2文字・数字8桁・英字2文字です" in box.inner_text()
    shot(page, "-error", ".field.has-error")

    page.fill("#f-applicant-residence_card_number", "EF23456789GH")
    page.fill("#f-applicant-stay_expiry", "令和１２年８月３１日")
    page.click(".profile-form button[type=submit]")
    page.wait_for_url(f"{server}/cases/{FAMILY}/profile/person?saved=1")
    assert "保存しました" in page.inner_text("p.done")
    profile = office.cases / FAMILY / f"{FAMILY}-profile.yaml"
    assert "stay_expiry: 2030-08-31" in profile.read_text(encoding="utf-8")

    page.goto(f"{server}/cases/{FAMILY}/profile/income")
    shot(page, "-income")

    # a returned questionnaire: the differences, one taken in and one left out
    with page.expect_download() as download:
        page.goto(f"{server}/cases/{FAMILY}/questionnaire")
        page.click("a.button")
    book = tmp_path / download.value.suggested_filename
    assert book.name == f"{FAMILY}_質問票_ベトナム語.xlsx"
    download.value.save_as(book)
    excel = Client(book)
    sheet = excel.sheet("applicant")
    excel.answer(sheet, "mobile", "090-7777-8888")
    excel.answer(sheet, "address", "東京都港区芝浦三丁目1番1号")
    excel.save()
    page.set_input_files("input[name=workbook]", str(book))
    page.click("form.row button[type=submit]")
    page.wait_for_selector("#changes")
    page.uncheck("input[name=accept][value='applicant.address']")
    shot(page, "-questionnaire", "#review")
    page.click("button[name=chosen]")
    page.wait_for_url("**/questionnaire?applied=*")
    text = profile.read_text(encoding="utf-8")
    assert "mobile: 090-7777-8888" in text and "東京都港区芝浦" not in text
