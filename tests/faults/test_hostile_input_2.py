"""Hostile input, round two (issue 16.6), on the profile and questionnaire side: a profile nested thousands of
levels deep is refused before any parser builds it (the C parser used to crash with exit 139), at any size; a
passport number typed into a field that takes one of a list (category, 在留資格, 性別 …) is refused without being
repeated in any message."""

from __future__ import annotations

import os
import subprocess
import sys
import types
import typing
import zipfile
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import pytest
from openpyxl import load_workbook
from pydantic import BaseModel
from ruamel.yaml import YAML

from docgen.case.checks import category_problems
from docgen.errors import InputFileError
from docgen.intake.profile_data import updated_profile_yaml
from docgen.intake.read import read_questionnaire
from docgen.intake.to_profile import answers_to_profile
from docgen.intake.workbook import write_questionnaire
from docgen.profile.load import load_profile
from docgen.profile.model import Profile
from docgen.validation import field_path
from docgen.yamlfile import MAX_DEPTH, too_deep_line
from tests.conftest import EXAMPLES, RULES, case_of


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


def test_a_profile_swapped_for_a_deep_one_during_a_merge_is_written_afresh():
    """intake import --merge rewrites the bytes it read; if they changed into a deep file after the check, the
    profile is written from what was imported instead of parsing them."""
    profile = load_profile(EXAMPLES / "teijusha.yaml")
    text = updated_profile_yaml("a: " + "[" * 100_000, profile)
    assert YAML(typ="safe").load(text)["case_id"] == profile.case_id


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


# ---------------------------------------------------------------- a value typed into a list field is never repeated

SECRET = "TZ9876543"  # a passport number, typed into the wrong field


def _inner(annotation: Any) -> Any:
    if get_origin(annotation) in (typing.Union, types.UnionType):
        return next(a for a in get_args(annotation) if a is not type(None))
    return annotation


def enum_like_fields(model: type[BaseModel], data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every field of `data` that takes one of a list: the model's Literal fields, the categories and the current
    在留資格 of the people applying (checked against the category)."""
    out: list[tuple[Any, ...]] = []
    for name, field in model.model_fields.items():
        key = field.alias or name
        kind = _inner(field.annotation)
        if not isinstance(data, dict) or (data.get(key) is None and get_origin(kind) is not Literal):
            continue  # a Literal with a default is typed in too (trips[0].exit)
        if get_origin(kind) is Literal or key == "category" or (key == "status" and prefix[-1:] != ("family",)):
            out.append((*prefix, key))
        elif isinstance(kind, type) and issubclass(kind, BaseModel):
            out += enum_like_fields(kind, data[key], (*prefix, key))
        elif get_origin(kind) is list and isinstance(get_args(kind)[0], type):
            item = get_args(kind)[0]
            if issubclass(item, BaseModel):
                for i, entry in enumerate(data[key]):
                    out += enum_like_fields(item, entry, (*prefix, key, i))
    return [path for path in out if not (path[-1] == "status" and "residence_history" in path)]


def with_secret(example: str, *fields: tuple[Any, ...]) -> dict[str, Any]:
    data = YAML(typ="safe").load((EXAMPLES / example).read_text(encoding="utf-8"))
    for path in fields:
        where = data
        for part in path[:-1]:
            where = where[part]
        where[path[-1]] = SECRET
    return data


def write_profile(path: Path, data: dict[str, Any]) -> Path:
    with path.open("w", encoding="utf-8") as out:
        YAML(typ="safe").dump(data, out)
    return path


EXAMPLE_FIELDS = [
    (path.name, field)
    for path in sorted(EXAMPLES.glob("*.yaml"))
    for field in enum_like_fields(Profile, YAML(typ="safe").load(path.read_text(encoding="utf-8")))
]


def test_every_kind_of_list_field_is_covered():
    fields = {tuple(p for p in f if not isinstance(p, int)) for _, f in EXAMPLE_FIELDS}
    for field in [
        ("category",),
        ("applicant", "status"),
        ("applicant", "sex"),
        ("applicant", "income", "resident_tax"),
        ("applicant", "pension", "kind"),
        ("applicant", "health_insurance", "kind"),
        ("applicant", "trips", "exit"),
        ("family", "application", "category"),
        ("family", "application", "status"),
        ("guarantor", "status"),
        ("applicant", "hsp", "field"),
    ]:
        assert field in fields, field


@pytest.mark.parametrize(("example", "field"), EXAMPLE_FIELDS, ids=lambda v: v if isinstance(v, str) else "")
def test_a_passport_number_in_a_list_field_is_refused_and_never_repeated(tmp_path, example, field):
    data = with_secret(example, field)
    path = write_profile(tmp_path / example, data)
    with pytest.raises(InputFileError) as info:
        case_of(path)
    assert SECRET not in str(info.value)
    assert field_path(field) in [problem.field for problem in info.value.problems], str(info.value)


def test_a_misspelt_category_gets_a_suggestion_without_being_repeated(tmp_path):
    data = YAML(typ="safe").load((EXAMPLES / "gijinkoku-single.yaml").read_text(encoding="utf-8"))
    data["category"] = "gijinkouku"
    with pytest.raises(InputFileError) as info:
        case_of(write_profile(tmp_path / "case.yaml", data))
    [problem] = info.value.problems
    assert problem.field == "category" and "Did you mean: gijinkoku?" in problem.message
    assert "gijinkouku" not in str(info.value) and "teijusha" in problem.message


def _family_fields() -> list[tuple[Any, ...]]:
    data = YAML(typ="safe").load((EXAMPLES / "gijinkoku-family.yaml").read_text(encoding="utf-8"))
    return enum_like_fields(Profile, data)


@pytest.mark.parametrize("field", _family_fields(), ids=field_path)
def test_a_passport_number_typed_into_the_questionnaire_is_never_repeated(tmp_path, field):
    """The client types it into the cell: the import names the sheet, row and question, not what was typed."""
    book = tmp_path / "2026-102-nguyen-intake-en.xlsx"
    write_questionnaire(book, "en", with_secret("gijinkoku-family.yaml", field))
    with pytest.raises(InputFileError) as info:
        answers_to_profile(
            read_questionnaire(book), None, lambda p: category_problems(p, RULES.book, RULES.assessment.eligibility)
        )
    assert SECRET not in str(info.value) and str(book) in str(info.value)


ALL_LIST_FIELDS = "every list field"


@pytest.mark.parametrize("typed_into", ["category", "applicant.status", ALL_LIST_FIELDS])
def test_no_command_repeats_a_passport_number_typed_into_a_list_field(tmp_path, typed_into):
    fields = _family_fields() if typed_into == ALL_LIST_FIELDS else [tuple(typed_into.split("."))]
    case = tmp_path / "cases" / "2026-102-nguyen"
    case.mkdir(parents=True)
    profile = write_profile(case / "2026-102-nguyen-profile.yaml", with_secret("gijinkoku-family.yaml", *fields))
    book = tmp_path / "2026-102-nguyen-intake-en.xlsx"
    write_questionnaire(book, "en", with_secret("gijinkoku-family.yaml", *fields))
    clean_book = tmp_path / "clean" / "2026-102-nguyen-intake-en.xlsx"
    clean_book.parent.mkdir()
    write_questionnaire(clean_book, "en", with_secret("gijinkoku-family.yaml"))
    runs = {
        "profile check": docgen("profile", "check", str(profile), cwd=tmp_path),
        "assess": docgen("assess", str(profile), cwd=tmp_path),
        "assess json": docgen("assess", str(profile), "--format", "json", cwd=tmp_path),
        "packet": docgen("packet", str(profile), "--no-pdf", cwd=tmp_path),
        "intake import (typed in the questionnaire)": docgen(
            "intake", "import", str(book), "--out", str(tmp_path / "imported.yaml"), cwd=tmp_path
        ),
        "intake import (in the profile merged into)": docgen(
            "intake", "import", str(clean_book), "--profile", str(profile), "--merge", cwd=tmp_path
        ),
        "cases": docgen("cases", "--cases", str(tmp_path / "cases"), cwd=tmp_path),
        "cases csv": docgen("cases", "--cases", str(tmp_path / "cases"), "--format", "csv", cwd=tmp_path),
        "profile check (ja)": docgen("profile", "check", str(profile), cwd=tmp_path, env={"DOCGEN_LANG": "ja"}),
    }
    for command, result in runs.items():
        assert SECRET not in result.stdout + result.stderr, command
        assert "Traceback" not in result.stderr, command
        if not command.startswith("cases"):
            assert result.returncode == 2, (command, result.stderr[-300:])
    assert not (tmp_path / "imported.yaml").exists()


# ---------------------------------------------------------------- only a docgen profile is taken for a profile

PASSWD = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
NOT_PROFILES = {
    "passwd": PASSWD,
    "compose.yaml": "services:\n  web:\n    image: nginx\n",
    "gijinkoku.yaml": (Path(__file__).resolve().parents[2] / "checklists" / "gijinkoku.yaml").read_text("utf-8"),
    "empty.yaml": "",
    "list.yaml": "- case_id\n- applicant\n",
}
PROFILE_COMMANDS = {
    "profile check": ["profile", "check", "{}"],
    "assess": ["assess", "{}"],
    "points": ["points", "{}"],
    "checklist": ["checklist", "gijinkoku", "--profile", "{}"],
    "packet": ["packet", "{}", "--no-pdf"],
    "intake new": ["intake", "new", "{}", "--lang", "zh"],
    "intake import": ["intake", "import", "{book}", "--profile", "{}", "--merge"],
    "templates preview": ["templates", "preview", "reason_letter", "--profile", "{}"],
}


def _folder_listing(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.mark.parametrize("command", list(PROFILE_COMMANDS))
def test_every_command_refuses_a_file_that_is_not_a_profile_before_writing(tmp_path, command):
    """`intake new /etc/passwd` used to write a questionnaire beside it."""
    book = tmp_path / "books" / "2026-102-nguyen-intake-en.xlsx"
    book.parent.mkdir()
    write_questionnaire(book, "en", with_secret("gijinkoku-family.yaml"))
    beside = tmp_path / "etc"
    beside.mkdir()
    passwd = beside / "passwd"
    passwd.write_text(PASSWD, encoding="utf-8")
    before = _folder_listing(tmp_path)
    args = [a.replace("{book}", str(book)).replace("{}", str(passwd)) for a in PROFILE_COMMANDS[command]]
    result = docgen(*args, cwd=tmp_path)
    assert result.returncode == 2, (result.returncode, result.stderr[-500:])
    assert f"{passwd}: this is not a docgen profile" in result.stderr
    assert "Traceback" not in result.stderr and "root:x" not in result.stdout + result.stderr
    assert _folder_listing(tmp_path) == before
    assert passwd.read_text(encoding="utf-8") == PASSWD


@pytest.mark.parametrize("name", list(NOT_PROFILES))
def test_any_file_not_shaped_like_a_profile_is_named_in_japanese(tmp_path, name):
    path = tmp_path / name
    path.write_text(NOT_PROFILES[name], encoding="utf-8")
    for args in (["intake", "new", str(path), "--lang", "en"], ["profile", "check", str(path)]):
        result = docgen(*args, cwd=tmp_path, env={"DOCGEN_LANG": "ja"})
        assert result.returncode == 2, (args, result.stderr[-500:])
        assert f"{path}: docgen のプロフィールではありません（" in result.stderr, result.stderr
        assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_a_skeleton_being_filled_in_is_still_a_profile(tmp_path):
    """`profile init` leaves every value empty: that is a profile (pre-filled as far as it goes), not a stranger."""
    skeleton = tmp_path / "2026-103-tran-profile.yaml"
    init = docgen("profile", "init", "gijinkoku", "--out", str(skeleton), cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    made = docgen("intake", "new", str(skeleton), "--lang", "vi", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    check = docgen("profile", "check", str(skeleton), cwd=tmp_path)
    assert check.returncode == 2 and "not a docgen profile" not in check.stderr and "fill it in" in check.stderr


# ---------------------------------------------------------------- a formula typed by the client comes back as text

TYPED_AS_TEXT = {  # what a client types into the text cells of the questionnaire (Excel keeps it as text there)
    "q:occupation": '=HYPERLINK("http://evil.example/x","y")',
    "q:mobile": "+81-90-1234-5678",
    "q:home_town": "-cmd|' /C calc'!A0",
    "q:reason": "@SUM(1+1)*cmd|' /C calc'!A0",
    "q:employer.position": "=1+1",
}


def _row(ws: Any, key: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == key)


def _applicant_sheet(wb: Any) -> Any:
    return next(ws for ws in wb.worksheets if ws["A1"].value == "sheet:applicant")


def test_a_formula_typed_in_the_questionnaire_never_comes_back_as_a_formula(tmp_path):
    case = tmp_path / "cases" / "2026-101-wang"
    case.mkdir(parents=True)
    profile = case / "2026-101-wang-profile.yaml"
    profile.write_bytes((EXAMPLES / "gijinkoku-single.yaml").read_bytes())
    first = docgen("intake", "new", str(profile), "--lang", "zh", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    (book,) = case.glob("*-intake-zh.xlsx")

    # the client types into the text cells; Excel saves what is typed into a text cell as a string
    wb = load_workbook(book)
    ws = _applicant_sheet(wb)
    for key, typed in TYPED_AS_TEXT.items():
        cell = ws.cell(_row(ws, key), 4)
        cell.value = typed
        cell.data_type = "s"
    wb.save(book)
    imported = docgen("intake", "import", str(book), "--profile", str(profile), "--merge", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    data = YAML(typ="safe").load(profile.read_text(encoding="utf-8"))
    assert data["applicant"]["occupation"] == TYPED_AS_TEXT["q:occupation"]  # the profile keeps what was typed

    book.unlink()
    again = docgen("intake", "new", str(profile), "--lang", "zh", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    wb = load_workbook(book)
    ws = _applicant_sheet(wb)
    for key, typed in TYPED_AS_TEXT.items():
        cell = ws.cell(_row(ws, key), 4)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (typed, "s", True), key
    strings = [c for sheet in wb.worksheets for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert strings and all(c.data_type == "s" for c in strings)
    with zipfile.ZipFile(book) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        assert len(sheets) == len(wb.worksheets)
        for name in sheets:
            xml = z.read(name).decode("utf-8")
            assert "<f>" not in xml and "<f " not in xml, name
