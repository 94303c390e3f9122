"""Profiles and rule files are untrusted input (issue 10.4): alias bombs, deep nesting, NUL bytes, huge files,
folders, values typed where a key belongs and impossible years end in a clear message naming the file — never a
traceback, a hang, or a personal value echoed back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.errors import InputFileError
from docgen.profile.load import load_profile
from docgen.resources import CHECKLISTS
from docgen.rules.loader import load_rulebook
from tests.conftest import EXAMPLES

BOMB = "\n".join(
    ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    + [f"{n}: &{n} [{','.join([f'*{p}'] * 9)}]" for p, n in zip("abcdefgh", "bcdefghi", strict=True)]
)


def docgen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "docgen", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def problem_text(path: Path) -> str:
    with pytest.raises(InputFileError) as info:
        load_profile(path)
    return str(info.value)


def test_a_billion_laughs_profile_is_refused_quickly(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    assert "references are expanded" in problem_text(path)


def test_deep_nesting_is_refused(tmp_path):
    flow = tmp_path / "flow.yaml"
    flow.write_text("a: " + "[" * 5000 + "]" * 5000, encoding="utf-8")
    block = tmp_path / "block.yaml"
    block.write_text("".join(f"{'  ' * i}k{i}:\n" for i in range(60)) + "  " * 60 + "x: 1\n", encoding="utf-8")
    for path in (flow, block):
        assert "nested more than" in problem_text(path)


def test_a_nul_byte_names_its_line(example_copy):
    path = example_copy("gijinkoku-single.yaml")
    path.write_bytes(path.read_bytes().replace(b"case_id:", b"\0case_id:", 1))
    text = problem_text(path)
    assert "NUL" in text and "line " in text


def test_a_huge_file_and_a_folder_are_refused(tmp_path):
    huge = tmp_path / "huge.yaml"
    huge.write_text("# " + "x" * 3_000_000, encoding="utf-8")
    assert "larger than" in problem_text(huge)
    assert "folder" in problem_text(tmp_path)


def test_a_passport_number_typed_as_a_key_is_never_echoed(example_copy, tmp_path):
    path = example_copy("gijinkoku-single.yaml")
    text = path.read_text(encoding="utf-8")
    start = text.index("passport: {")
    end = text.index("}", start)
    path.write_text(text[:start] + "passport: {EA1234567, expiry: 2031-01-01}" + text[end + 1 :], encoding="utf-8")
    message = problem_text(path)
    assert "EA1234567" not in message and "passport.?" in message and "looks like a value" in message
    result = docgen("profile", "check", str(path), cwd=tmp_path)
    assert result.returncode == 2 and "EA1234567" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_impossible_years_are_errors(example_copy):
    path = example_copy("gijinkoku-single.yaml")
    text = path.read_text(encoding="utf-8")
    birth = text[text.index("birth_date:") :].split("\n", 1)[0]
    path.write_text(text.replace(birth, "birth_date: 0001-01-01", 1), encoding="utf-8")
    assert "applicant.birth_date" in problem_text(path) and "1900" in problem_text(path)
    for year in ("9999", "-5"):
        path = example_copy("gijinkoku-single.yaml")
        text = path.read_text(encoding="utf-8")
        line = text[text.index("- {year: ") :].split("\n", 1)[0]
        new = "- {year: " + year + line[line.index(",") :]
        path.write_text(text.replace(line, new, 1), encoding="utf-8")
        assert "applicant.income[" in problem_text(path)


def test_a_bomb_in_an_office_checklist_is_a_load_error(tmp_path):
    office = tmp_path / "office"
    office.mkdir()
    (office / "gijinkoku.yaml").write_text(BOMB, encoding="utf-8")
    with pytest.raises(InputFileError, match="references are expanded"):
        load_rulebook(CHECKLISTS, office)


# ---------------------------------------------------------------- any input ends in success or a clean error

EXAMPLE = (EXAMPLES / "gijinkoku-single.yaml").read_text(encoding="utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, len(EXAMPLE) - 1), st.text(max_size=12))
def test_any_edit_of_a_profile_loads_or_fails_cleanly(tmp_path, at, inserted):
    path = tmp_path / "case.yaml"
    path.write_text(EXAMPLE[:at] + inserted + EXAMPLE[at:], encoding="utf-8")
    try:
        load_profile(path)
    except InputFileError as exc:
        assert exc.problems and all(p.message for p in exc.problems)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=200))
def test_any_bytes_in_an_office_checklist_load_or_fail_cleanly(tmp_path, data):
    office = tmp_path / "office"
    office.mkdir(exist_ok=True)
    (office / "gijinkoku.yaml").write_bytes(data)
    try:
        load_rulebook(CHECKLISTS, office)
    except InputFileError as exc:
        assert exc.problems
