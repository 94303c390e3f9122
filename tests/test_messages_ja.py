"""Japanese for staff (issue 11.5): without any setting, messages are Japanese with the same precision (file,
line, field); `docgen --lang en` or DOCGEN_LANG=en gives English; YAML syntax errors are explained."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import EXAMPLES


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
