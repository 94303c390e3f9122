"""Japanese for staff (issue 11.5): without any setting, messages are Japanese with the same precision (file,
line, field); `docgen --lang en` or DOCGEN_LANG=en gives English; YAML syntax errors are explained."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLES, needs_libreoffice


def docgen(*args: str, cwd, lang: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DOCGEN_LANG", "LANG", "LC_ALL", "LC_MESSAGES")}
    if lang:
        env["DOCGEN_LANG"] = lang
    return subprocess.run([sys.executable, "-m", "docgen", *args], capture_output=True, text=True, cwd=cwd, env=env)


def broken_profile(tmp_path):
    text = (EXAMPLES / "gijinkoku-single.yaml").read_text(encoding="utf-8")
    path = tmp_path / "case.yaml"
    path.write_text(text.replace("birth_place:", "birthplace:", 1), encoding="utf-8")
    line = next(n for n, x in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "birthplace:" in x)
    return path, line


def test_a_profile_mistake_is_explained_in_japanese_by_default(tmp_path):
    path, line = broken_profile(tmp_path)
    result = docgen("profile", "check", str(path), cwd=tmp_path)
    assert result.returncode == 2
    assert "エラー: " in result.stderr and f"{line}行目" in result.stderr
    assert "不明な項目 'birthplace'" in result.stderr and "'birth_place' の誤りではありませんか" in result.stderr
    assert "必須の項目ですが、書かれていません" in result.stderr  # birth_place is now missing


def test_english_on_request(tmp_path):
    path, line = broken_profile(tmp_path)
    for result in (
        docgen("--lang", "en", "profile", "check", str(path), cwd=tmp_path),
        docgen("profile", "check", str(path), cwd=tmp_path, lang="en"),
    ):
        assert f"line {line}" in result.stderr and "did you mean 'birth_place'" in result.stderr


def test_a_yaml_indentation_mistake_is_named_as_such(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text("case_id: x\ncategory: gijinkoku\n  application_date: 2026-12-01\n", encoding="utf-8")
    result = docgen("profile", "check", str(path), cwd=tmp_path)
    assert "3行目" in result.stderr and "インデント" in result.stderr
    assert "block mapping" not in result.stderr and "expected" not in result.stderr


def test_a_duplicate_key_and_a_bad_date_in_japanese(tmp_path):
    text = (EXAMPLES / "gijinkoku-single.yaml").read_text(encoding="utf-8")
    path = tmp_path / "case.yaml"
    path.write_text(text.replace("application_date: ", "application_date: 2026-13-45\nold_date: ", 1), encoding="utf-8")
    result = docgen("profile", "check", str(path), cwd=tmp_path)
    assert "日付として読めません" in result.stderr
    dup = tmp_path / "dup.yaml"
    dup.write_text("case_id: a\ncase_id: b\n", encoding="utf-8")
    assert "同じ項目が2回" in docgen("profile", "check", str(dup), cwd=tmp_path).stderr


def test_facts_that_contradict_each_other_are_explained_in_japanese(tmp_path):
    text = (EXAMPLES / "teijusha.yaml").read_text(encoding="utf-8")
    birth = next(x for x in text.splitlines() if x.strip().startswith("birth_date:"))
    path = tmp_path / "case.yaml"
    path.write_text(text.replace(birth, birth.split(":")[0] + ": 1899-12-31", 1), encoding="utf-8")
    result = docgen("profile", "check", str(path), cwd=tmp_path)
    assert result.returncode == 2 and "生年月日は1900-01-01以降の日付にしてください" in result.stderr


# ---------------------------------------------------------------- commands, templates check and preview in Japanese


def test_a_templates_check_finding_is_in_japanese_by_default(tmp_path):
    from docx import Document

    from tests.conftest import ROOT

    folder = tmp_path / "templates"
    folder.mkdir()
    doc = Document(str(ROOT / "templates" / "reason_letter.docx"))
    doc.add_paragraph("氏名 {{ applicant.nmae }}")
    doc.save(str(folder / "reason_letter.docx"))
    result = docgen("templates", "check", str(folder), cwd=tmp_path)
    assert result.returncode == 1
    line = next(x for x in result.stdout.splitlines() if "[unknown_attribute]" in x)
    assert "'applicant.nmae': applicant に項目 'nmae' はありません。もしかして: " in line
    assert "has no field" not in result.stdout and "Did you mean" not in result.stdout
    assert "「氏名 {{ applicant.nmae }}」" in result.stdout  # the paragraph, as staff see it in Word
    assert "テンプレート 1件: エラー 1件、警告 0件" in result.stdout
    english = docgen("--lang", "en", "templates", "check", str(folder), cwd=tmp_path)
    assert "ApplicantView has no field 'nmae'" in english.stdout and "1 template(s): 1 error(s)" in english.stdout


UNKNOWN = "この類型はありません（類型の ID・類型名・在留資格のどれでもありません）。"


def test_an_unknown_category_is_explained_in_japanese(tmp_path):
    result = docgen("checklist", "nope", "--date", "2026-11-01", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"エラー: 類型（CATEGORY）: {UNKNOWN}使える類型: " in result.stderr and "gijinkoku" in result.stderr
    assert "Known categories" not in result.stderr and "nope" not in result.stderr
    english = docgen("checklist", "gijinkokuu", "--date", "2026-11-01", cwd=tmp_path, lang="en")
    assert "Did you mean: gijinkoku? Known categories: " in english.stderr and "gijinkokuu" not in english.stderr


def test_a_misspelt_or_short_category_name_gets_a_suggestion(tmp_path):
    # the new staff member typed the romaji as it sounds, then the short name everyone in the office uses
    misspelt = docgen("case", "new", "2026-140-li", "--category", "gijinkouku", "--date", "2026-12-01", cwd=tmp_path)
    assert misspelt.returncode == 2
    maybe = "もしかして: gijinkoku（技術・人文知識・国際業務）。使える類型: "
    assert f"エラー: 類型（--category）: {UNKNOWN}{maybe}" in misspelt.stderr
    assert "gijinkouku" not in misspelt.stderr  # what was typed is never repeated
    short = docgen("case", "new", "2026-140-li", "--category", "技人国", "--date", "2026-12-01", cwd=tmp_path)
    assert short.returncode == 2 and maybe in short.stderr and "技人国" not in short.stderr
    assert not (tmp_path / "cases" / "2026-140-li").exists()
    # the Japanese title as `docgen categories` lists it is the category itself
    title = docgen("profile", "init", "技術・人文知識・国際業務", cwd=tmp_path)
    assert title.returncode == 0, title.stderr
    assert "\ncategory: gijinkoku" in title.stdout


def test_case_new_for_an_existing_case_says_so_in_japanese(tmp_path):
    args = ("case", "new", "2026-120-li", "--category", "teijusha", "--date", "2026-12-15", "--no-pdf")
    first = docgen(*args, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "案件フォルダーを作成しました: " in first.stdout and "依頼者用の一覧: " in first.stdout
    profile = tmp_path / "cases" / "2026-120-li" / "2026-120-li-profile.yaml"
    profile.write_text("staff work", encoding="utf-8")
    again = docgen(*args, cwd=tmp_path)
    assert again.returncode == 2 and "Traceback" not in again.stderr
    assert f"エラー: {tmp_path / 'cases' / '2026-120-li'} は既にあります。何も変更していません" in again.stderr
    assert "already exists" not in again.stderr
    assert profile.read_text(encoding="utf-8") == "staff work"


def test_a_bad_date_option_is_explained_in_japanese(tmp_path):
    result = docgen("checklist", "gijinkoku", "--date", "2026-13-01", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--date: '2026-13-01' は日付として読めません。YYYY-MM-DD で書いてください" in result.stderr
    assert "is not a date" not in result.stderr
    new = docgen("case", "new", "2026-121-li", "--category", "teijusha", "--date", "12/15/2026", cwd=tmp_path)
    assert new.returncode == 2 and "'12/15/2026' は日付として読めません" in new.stderr
    assert not (tmp_path / "cases" / "2026-121-li").exists()


def test_dates_typed_the_japanese_way_are_read(tmp_path):
    # the questionnaire takes 2026/12/01, so staff type it that way on the command line too — in either width
    for n, typed in enumerate(("2026/12/01", "２０２６／１２／０１", "2026.12.01")):
        case_id = f"2026-150-{n}"
        made = docgen("case", "new", case_id, "--category", "teijusha", "--date", typed, "--no-pdf", cwd=tmp_path)
        assert made.returncode == 0, made.stderr
        profile = tmp_path / "cases" / case_id / f"{case_id}-profile.yaml"
        assert "application_date: 2026-12-01" in profile.read_text(encoding="utf-8")
    wrong = docgen("checklist", "teijusha", "--date", "2026年12月1日", cwd=tmp_path)
    assert wrong.returncode == 2
    assert "--date: '2026年12月1日' は日付として読めません。YYYY-MM-DD で書いてください" in wrong.stderr


def test_a_vietnamese_client_gets_an_english_handout_and_staff_are_told(tmp_path):
    def case_new(case_id: str, lang: str):
        options = ("--category", "gijinkoku", "--date", "2026-12-01", "--lang", lang, "--no-pdf")
        return docgen("case", "new", case_id, *options, cwd=tmp_path)

    made = case_new("2026-160-nguyen", "vi")
    assert made.returncode == 0, made.stderr
    assert "ベトナム語の案内はまだないため、英語で作成しました" in made.stdout
    assert "依頼者用の一覧: 2026-160-nguyen-handout-en.docx" in made.stdout
    taiwan = case_new("2026-161-lin", "zh-TW")  # traditional Chinese: never silently the simplified handout
    assert taiwan.returncode == 0 and "中国語（繁体字）の案内はまだないため、英語で作成しました" in taiwan.stdout
    chinese = case_new("2026-162-wang", "zh")
    assert chinese.returncode == 0 and "案内はまだない" not in chinese.stdout


def test_a_rule_file_mistake_is_explained_in_japanese(tmp_path):
    office = tmp_path / "office"
    office.mkdir()
    (office / "gijinkoku.yaml").write_text("id: gijinkoku\nremove:\n  - hsp_points_notic\n", encoding="utf-8")
    result = docgen("checklists", "check", str(office), cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "3行目 [remove[0]]: 'hsp_points_notic' は gijinkoku の項目ではありません" in result.stderr
    assert "OK: " in docgen("checklists", "check", cwd=tmp_path).stdout


@needs_libreoffice()
@pytest.mark.libreoffice
def test_the_preview_names_its_files_after_the_case(tmp_path):
    result = docgen("templates", "preview", "reason_letter", "--out", "prev", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "prev" / "2026-101-wang-preview-reason_letter.pdf"  # the example profile's case id
    assert pdf.is_file() and (tmp_path / "prev" / "2026-101-wang-preview-reason_letter-1.png").is_file()
    assert str(pdf.relative_to(tmp_path)) == result.stdout.splitlines()[0]
    assert not (tmp_path / "prev" / "reason_letter.pdf").exists()
    again = docgen("templates", "preview", "reason_letter", "--out", "prev", cwd=tmp_path)  # replaces its own pages
    assert again.returncode == 0, again.stderr
    unknown = docgen("templates", "preview", "reason_leter", "--out", "prev", cwd=tmp_path)
    assert unknown.returncode == 2
    assert "テンプレート 'reason_leter' はありません。使えるテンプレート: " in unknown.stderr


def test_a_mistyped_command_is_explained_in_japanese(tmp_path):
    missing = docgen("case", "new", cwd=tmp_path)
    assert missing.returncode == 2
    assert "エラー: case_id が指定されていません" in missing.stderr
    assert "docgen case new --help' で確認できます。" in missing.stderr
    unknown = docgen("packet", "case.yaml", "--outt", "p", cwd=tmp_path)
    assert (
        unknown.returncode == 2 and "エラー: --outt というオプションはありません（もしかして: --out）" in unknown.stderr
    )
    wrong = docgen("intake", "new", "2026-001-li", "--lang", "cn", cwd=tmp_path)
    assert (
        "エラー: --lang: 'cn' には対応していません。次のいずれかを指定してください: ja / zh / zh-TW / en / vi"
        in wrong.stderr
    )
    assert "Missing argument" not in missing.stderr + unknown.stderr + wrong.stderr
    english = docgen("case", "new", cwd=tmp_path, lang="en")
    assert english.returncode == 2 and "Missing argument 'case_id'" in english.stderr


def test_a_mistyped_command_name_is_explained_in_japanese(tmp_path):
    # the new staff member typed `docgen packte`, then gave the packet two files
    typo = docgen("packte", cwd=tmp_path)
    assert typo.returncode == 2
    assert "エラー: packte というコマンドはありません（もしかして: packet）" in typo.stderr
    assert "No such command" not in typo.stderr and "コマンドの書き方が違います" not in typo.stderr
    nothing_like = docgen("case", "make", cwd=tmp_path)
    assert "エラー: make というコマンドはありません" in nothing_like.stderr and "もしかして" not in nothing_like.stderr
    extra = docgen("packet", "a.yaml", "b.yaml", "c.yaml", cwd=tmp_path)
    assert extra.returncode == 2 and "エラー: 余分な引数があります: b.yaml c.yaml" in extra.stderr
    assert "unexpected extra" not in extra.stderr
    english = docgen("packte", cwd=tmp_path, lang="en")
    assert "No such command 'packte'. Did you mean 'packet'?" in english.stderr


def test_unrecognised_usage_errors_keep_the_librarys_text():
    from docgen.cli.usage import usage_message

    class UsageError(Exception):
        def format_message(self) -> str:
            return "Option '--out' requires an argument."

    assert usage_message(UsageError()) == "コマンドの書き方が違います（Option '--out' requires an argument.）"


def test_lang_en_before_a_mistyped_command_answers_in_english(tmp_path):
    out = docgen("--lang", "en", "packte", cwd=tmp_path)
    assert out.returncode == 2 and "No such command 'packte'" in out.stderr and "エラー" not in out.stderr


def test_a_repairable_finding_says_the_command_that_repairs_it(tmp_path):
    from docx import Document

    from tests.conftest import ROOT

    folder = tmp_path / "templates"
    folder.mkdir()
    doc = Document(str(ROOT / "templates" / "reason_letter.docx"))
    doc.add_paragraph("氏名 {{ applicant．name_kanji }}")  # a full-width dot typed inside the tag
    doc.save(str(folder / "reason_letter.docx"))
    result = docgen("templates", "check", str(folder), cwd=tmp_path)
    assert "[fullwidth_in_tag]" in result.stdout and "自動で修復できます" in result.stdout  # the library's words
    assert "修復するには: docgen templates check --fix" in result.stdout  # the command line's way of doing it
