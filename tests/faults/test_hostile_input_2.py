"""Hostile input, round two (issue 16.6), on the profile and questionnaire side: a profile nested thousands of
levels deep is refused before any parser builds it (the C parser used to crash with exit 139), at any size."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from docgen.yamlfile import MAX_DEPTH, too_deep_line
from tests.conftest import EXAMPLES


def docgen(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The command as staff run it, in its own process: a crash of the C parser shows as exit 139 (-11)."""
    return subprocess.run(
        [sys.executable, "-m", "docgen", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


# ---------------------------------------------------------------- nesting: refused before any parser builds it


def _lines_deeper_and_deeper(size: int, line: str) -> str:
    """Lines each indented one space more than the one before, up to `size` characters."""
    out: list[str] = []
    n = 0
    while n < size:
        out.append(" " * len(out) + line)
        n += len(out[-1])
    return "".join(out)


NESTINGS = {  # shape -> text of about `size` characters
    "flow [": lambda size: "case_id: x\nnotes: " + "[" * size,
    "flow {": lambda size: "case_id: x\nnotes: " + "{" * size,
    "flow {a: {a:": lambda size: "case_id: x\nnotes: " + "{a: " * (size // 4),
    "flow [{": lambda size: "case_id: x\nnotes: " + "[{b: " * (size // 5),
    "dashes on one line": lambda size: "- " * (size // 2) + "x\n",
    "indentation": lambda size: _lines_deeper_and_deeper(size, "k:\n"),
    "dashes, indented": lambda size: _lines_deeper_and_deeper(size, "- \n"),
}


@pytest.mark.parametrize("size", [1_000, 60_000, 1_000_000])
@pytest.mark.parametrize("shape", list(NESTINGS))
def test_a_deeply_nested_profile_is_a_message_at_any_size(tmp_path, shape, size):
    path = tmp_path / "case.yaml"
    path.write_text(NESTINGS[shape](size), encoding="utf-8")
    result = docgen("profile", "check", str(path), cwd=tmp_path)
    assert result.returncode == 2, (result.returncode, result.stderr[-500:])
    assert f"nested more than {MAX_DEPTH} levels deep" in result.stderr
    assert str(path) in result.stderr and "line " in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("shape", ["flow [", "flow {", "indentation"])
def test_assess_and_the_japanese_message_name_the_file_and_line(tmp_path, shape):
    path = tmp_path / "case.yaml"
    path.write_text(NESTINGS[shape](60_000), encoding="utf-8")
    result = docgen("assess", str(path), cwd=tmp_path, env={"DOCGEN_LANG": "ja"})
    assert result.returncode == 2, (result.returncode, result.stderr[-500:])
    line = 2 if shape.startswith("flow") else MAX_DEPTH + 1
    assert f"{path} {line}行目: 入れ子が{MAX_DEPTH}段を超えています" in result.stderr


def test_the_line_named_is_where_the_nesting_goes_too_deep():
    assert too_deep_line("a: 1\nb: 2\nc: " + "[" * 100) == 3
    assert too_deep_line(_lines_deeper_and_deeper(10_000, "k:\n")) == MAX_DEPTH + 1
    assert too_deep_line("a: [" + "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 1) + "\n") is None


def test_brackets_in_text_are_not_nesting():
    """Only structure counts: brackets inside quoted text, comments and block text are the client's words."""
    many = "[" * 500 + "{" * 500
    text = (
        f'a: "{many}"\n'
        f"b: '{many}'\n"
        f"c: x{many}\n"
        f"# {many}\n"
        "d: |\n"
        f"  {many}\n"
        f"  - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - x\n"
    )
    assert too_deep_line(text) is None


def test_no_example_profile_is_too_deep():
    for path in sorted(EXAMPLES.glob("*.yaml")):
        assert too_deep_line(path.read_text(encoding="utf-8")) is None, path.name


def test_one_deeply_nested_profile_does_not_hide_the_board(tmp_path):
    cases = tmp_path / "cases"
    (cases / "2026-001-deep").mkdir(parents=True)
    (cases / "2026-001-deep" / "2026-001-deep-profile.yaml").write_text(NESTINGS["flow ["](60_000), encoding="utf-8")
    (cases / "2026-002-ok").mkdir()
    (cases / "2026-002-ok" / "2026-002-ok-profile.yaml").write_bytes((EXAMPLES / "teijusha.yaml").read_bytes())
    result = docgen("cases", cwd=tmp_path)
    assert result.returncode == 0, (result.returncode, result.stderr[-500:])
    assert "2026-001-deep" in result.stdout and "2026-002-ok" in result.stdout
    assert f"nested more than {MAX_DEPTH} levels deep" in result.stdout
