"""Simplified Chinese characters in a profile (issue: a new staff member's 李伟 case): the client typed 李伟, 会社员,
主妇 and 浦东 in the questionnaire, and they went unchanged into the 申請書 and 理由書. `docgen profile check` and
`docgen assess` now warn about every field holding a character Japanese documents do not use — naming the field
and the characters, never the whole value — and the exit code stays what it was. A whole answer in Chinese (a
reason the client wrote in her own language) is named as Chinese text, not by one stray character."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from docgen.profile.characters import (
    JAPANESE_FORM,
    character_findings,
    chinese_text,
    is_japanese,
    unusual_character_notice,
    unusual_characters,
    unusual_in,
)
from tests.conftest import EXAMPLES, case_of


def docgen(*args: str, cwd, lang: str | None = "en") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DOCGEN_LANG", "LANG", "LC_ALL", "LC_MESSAGES")}
    if lang:
        env["DOCGEN_LANG"] = lang
    return subprocess.run([sys.executable, "-m", "docgen", *args], capture_output=True, text=True, cwd=cwd, env=env)


def li_wei_family(tmp_path):
    """The family example, as the client filled the questionnaire in with simplified characters."""
    text = (EXAMPLES / "gijinkoku-family.yaml").read_text(encoding="utf-8")
    for typed, as_typed in (
        ("  given_name: VAN AN\n", "  given_name: VAN AN\n  name_kanji: 李 伟\n"),
        ("      occupation: パート\n", "      occupation: 主妇\n"),
        ("    workplace: 株式会社ハマベーカリー（パート）\n", "    workplace: 浦东 会社员\n"),
    ):
        assert typed in text
        text = text.replace(typed, as_typed, 1)
    path = tmp_path / "li.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_characters_the_new_staff_member_found_are_caught_and_japanese_ones_are_not():
    for simplified in "伟员妇东":
        assert not is_japanese(simplified) and unusual_in(f"李{simplified}") == simplified
    for japanese in "偉員婦東髙﨑李浦会社主":  # JIS X 0208 / 0213, and the Windows kanji of Japanese names (髙, 﨑)
        assert is_japanese(japanese) and unusual_in(japanese) == ""
    assert unusual_in("浦东 会社员 东") == "东员"  # each character once, in order
    assert unusual_in("Nguyễn Văn An、ベトナム ハイフォン市 123") == ""  # only Han characters are the question here


def test_every_text_field_is_looked_at_by_its_path(tmp_path):
    profile = case_of(li_wei_family(tmp_path)).profile
    assert unusual_characters(profile) == [
        ("applicant.name_kanji", "伟"),
        ("family[0].workplace", "东员"),
        ("family[0].application.occupation", "妇"),
    ]
    assert unusual_characters(case_of(EXAMPLES / "gijinkoku-single.yaml").profile) == []


def test_the_notice_names_the_field_and_the_characters_with_the_japanese_form(monkeypatch):
    monkeypatch.setenv("DOCGEN_LANG", "ja")
    assert unusual_character_notice("applicant.name_kanji", "伟") == (
        "applicant.name_kanji: 日本の書類で使われない字（簡体字など）があります: 伟。"
        "日本の字体（例: 偉）で書くか確認してください"
    )
    several = unusual_character_notice("family[0].workplace", "东员")
    assert "があります: 东、员。日本の字体（例: 东→東、员→員）で書くか" in several
    assert "例:" not in unusual_character_notice("applicant.address", "𠀀")  # no known Japanese form: no example


def test_the_japanese_forms_offered_are_japanese():
    assert all(not is_japanese(s) and is_japanese(j) and s != j for s, j in JAPANESE_FORM.items())


def test_profile_check_and_assess_warn_but_still_pass(tmp_path):
    path = li_wei_family(tmp_path)
    check = docgen("profile", "check", str(path), cwd=tmp_path, lang=None)  # the staff's Japanese default
    assert check.returncode == 0 and f"{path}: OK" in check.stdout
    assert (
        "注意: applicant.name_kanji: 日本の書類で使われない字（簡体字など）があります: 伟。"
        "日本の字体（例: 偉）で書くか確認してください" in check.stderr
    )
    assert "family[0].application.occupation: " in check.stderr and "（例: 婦）" in check.stderr
    assert "李 伟" not in check.stderr and "浦东 会社员" not in check.stderr  # the characters only, never the value

    assessed = docgen("assess", str(path), "--format", "json", cwd=tmp_path)
    assert assessed.returncode == 0, assessed.stderr
    json.loads(assessed.stdout)  # the warning goes to standard error: the JSON stays JSON
    assert "warning: applicant.name_kanji: characters Japanese documents do not use" in assessed.stderr
    text = docgen("assess", str(path), cwd=tmp_path, lang=None)
    assert text.returncode == 0 and "永住許可 要件チェック" in text.stdout
    assert "注意: family[0].workplace: " in text.stderr


def test_a_profile_in_japanese_characters_has_no_warning(tmp_path):
    check = docgen("profile", "check", str(EXAMPLES / "gijinkoku-single.yaml"), cwd=tmp_path)
    assert check.returncode == 0 and "warning" not in check.stderr


# ---------------------------------------------------------------- a whole answer in Chinese


def test_an_answer_written_in_chinese_is_told_apart_from_a_stray_character():
    # the wife wrote her reason in Chinese: only 长 (or 为) is outside JIS, but the answer is Chinese prose
    assert chinese_text("我想长期在日本生活") == "zh-Hans"
    assert chinese_text("因为我的家人都在日本，我希望以后一直在日本生活和工作。") == "zh-Hans"
    assert chinese_text("因為我的家人都在日本，我希望以後一直在日本生活和工作。") == "zh"  # traditional characters
    # Japanese prose, names, addresses and workplaces are not Chinese text, whatever their characters
    for japanese in (
        "夫とともに日本で生活を続けるため。",
        "東京都新宿区西新宿二丁目8番1号",
        "中国 上海市浦东新区",  # a stray 东: named as a character, not as Chinese text
        "浦东 会社员",
        "技術・人文知識・国際業務",
        "李 伟",
        "横浜市立本町小学校",
    ):
        assert chinese_text(japanese) == "", japanese


def test_profile_check_says_the_reason_seems_to_be_chinese_naming_the_field(tmp_path):
    text = (EXAMPLES / "gijinkoku-family.yaml").read_text(encoding="utf-8")
    reason = "      reason: 夫とともに日本で生活を続けるため。\n"
    assert reason in text
    chinese = "因为我的家人都在日本，我希望以后一直在日本生活和工作。"
    path = tmp_path / "zhang.yaml"
    path.write_text(text.replace(reason, f"      reason: {chinese}\n", 1), encoding="utf-8")
    [finding] = character_findings(case_of(path).profile)
    assert (finding.path, finding.language) == ("family[0].application.reason", "zh-Hans")

    check = docgen("profile", "check", str(path), cwd=tmp_path, lang=None)
    assert check.returncode == 0 and f"{path}: OK" in check.stdout
    assert (
        "注意: family[0].application.reason: 中国語（簡体字）で書かれているようです。日本の書類にそのまま載るため、"
        "日本語で記入してください" in check.stderr
    )
    assert "为" not in check.stderr and chinese not in check.stderr  # the field, never its characters or value
