"""The client's language is one fact of the case (issue 19): recorded in the profile, and every output made for
the client follows it — the questionnaire, the handout, the 了解書's reference translation. A Taiwanese client
is never handed simplified Chinese; where docgen has nothing in the client's language, English, and staff are
told."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl

from docgen.case import Settings
from docgen.languages import LANGUAGES, QUESTIONNAIRE_LANGUAGES, client_language
from docgen.packet.build import build_packet
from docgen.profile.load import load_profile
from tests.conftest import EXAMPLES, case_of


def docgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "docgen", *args], capture_output=True, text=True, cwd=cwd)


def test_the_recorded_language_wins_over_the_nationality():
    assert client_language("zh-TW", "中国") == "zh-TW"  # a Chinese national who reads traditional characters
    assert client_language(None, "台湾") == "zh-TW" and client_language(None, "ドイツ") == "en"
    assert set(QUESTIONNAIRE_LANGUAGES) <= set(LANGUAGES)


def test_case_new_records_the_language_and_the_questionnaire_follows_it(tmp_path: Path):
    made = docgen(
        "case", "new", "2026-141-lin", "--category", "teijusha", "--date", "2026-12-15", "--lang", "zh-tw",
        "--no-pdf", cwd=tmp_path,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    profile = tmp_path / "cases" / "2026-141-lin" / "2026-141-lin-profile.yaml"
    assert "client_language: zh-TW" in profile.read_text(encoding="utf-8")
    assert (profile.parent / "2026-141-lin-handout-en.docx").exists()  # no handout in zh-TW yet: English, said so
    assert "no handout in Chinese (traditional) yet" in made.stdout

    asked = docgen("intake", "new", "2026-141-lin", cwd=tmp_path)  # no --lang: the client's, from the profile
    assert asked.returncode == 0, asked.stderr
    book = profile.parent / "2026-141-lin-intake-zh-TW.xlsx"
    meta = openpyxl.load_workbook(book).worksheets[-1]
    assert [meta["A3"].value, meta["B3"].value] == ["lang", "zh-TW"]


def test_a_korean_client_gets_an_english_questionnaire_with_a_note(tmp_path: Path):
    made = docgen(
        "case", "new", "2026-142-kim", "--category", "gijinkoku", "--date", "2026-12-15", "--lang", "ko",
        "--no-pdf", cwd=tmp_path,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    asked = docgen("intake", "new", "2026-142-kim", cwd=tmp_path)
    assert asked.returncode == 0, asked.stderr
    assert "no questionnaire in Korean yet, so it was made in English" in asked.stdout
    assert (tmp_path / "cases" / "2026-142-kim" / "2026-142-kim-intake-en.xlsx").exists()


def test_the_translation_follows_the_recorded_language_not_the_nationality(tmp_path: Path):
    """The example's applicant is Chinese (a simplified-Chinese translation by nationality); the profile says the
    family reads traditional characters: the 了解書 comes in English with the note, never in simplified Chinese."""
    text = (EXAMPLES / "gijinkoku-family.yaml").read_text(encoding="utf-8")
    profile = tmp_path / "case.yaml"
    profile.write_text(text.replace("application_date:", "client_language: zh-TW\napplication_date:", 1), "utf-8")
    assert load_profile(profile).client_language == "zh-TW"
    result = build_packet(case_of(profile, Settings(output_dir=tmp_path)), out=tmp_path / "p", pdf=False)
    names = [p.name for p in result.client_documents]
    assert names and all("_en_" in n for n in names) and not any("_zh_" in n for n in names)
    assert any("中国語（繁体字）のものがない" in str(n) for n in result.notes)
