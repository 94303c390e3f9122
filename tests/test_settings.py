"""Office settings (docgen.toml) as staff edit them: a mistake stops the command with exit code 2 and a
plain message naming the file and the field to fix — never a Python traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from docgen.case.settings import load_settings
from docgen.errors import InputFileError


def docgen(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "DOCGEN_SETTINGS"}
    return subprocess.run(
        [sys.executable, "-m", "docgen", *args], capture_output=True, text=True, cwd=cwd, env={**environ, **(env or {})}
    )


def checklist(folder: Path, on: str = "2026-11-30", env: dict | None = None) -> subprocess.CompletedProcess:
    return docgen("checklist", "gijinkoku", "--date", on, cwd=folder, env=env)


def settings_file(folder: Path, text: str) -> Path:
    path = folder / "docgen.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refused(out: subprocess.CompletedProcess) -> str:
    """The command failed as staff should see it; returns the message."""
    assert out.returncode == 2, (out.returncode, out.stdout, out.stderr)
    assert "Traceback" not in out.stderr and out.stdout == ""
    return out.stderr


def newest_fiscal_year_label(out: subprocess.CompletedProcess) -> str:
    assert out.returncode == 0, out.stderr
    items = json.loads(out.stdout)["items"]
    return next(i for i in items if i["id"] == "resident_tax_certificates")["period"]["label"]


# ------------------------------------------------------------------ the settings are really read


def test_release_day_in_the_working_folder_moves_the_newest_fiscal_year(tmp_path):
    """A municipality that issues the new 住民税 年度 on 10 June: on 5 June 令和8年度 is not out yet."""
    json_args = ("checklist", "gijinkoku", "--date", "2026-06-05", "--format", "json")
    assert newest_fiscal_year_label(docgen(*json_args, cwd=tmp_path)) == "令和4年度〜令和8年度"
    settings_file(tmp_path, '[rules]\nrelease_day = "06-10"\n')
    assert newest_fiscal_year_label(docgen(*json_args, cwd=tmp_path)) == "令和3年度〜令和7年度"


def test_docgen_settings_points_at_a_file_elsewhere(tmp_path):
    shared = tmp_path / "shared" / "office.toml"
    shared.parent.mkdir()
    shared.write_text('[rules]\nrelease_day = "06-10"\n', encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    out = docgen(
        "checklist",
        "gijinkoku",
        "--date",
        "2026-06-05",
        "--format",
        "json",
        cwd=work,
        env={"DOCGEN_SETTINGS": str(shared)},
    )
    assert newest_fiscal_year_label(out) == "令和3年度〜令和7年度"


# ------------------------------------------------------------------ mistakes


def test_a_toml_syntax_error_names_the_file_and_the_line(tmp_path):
    settings_file(tmp_path, '[office]\nname = "山田 花子"\n[paths\nchecklists = "office/checklists"\n')
    message = refused(checklist(tmp_path))
    assert f"{tmp_path / 'docgen.toml'}" in message and "TOML syntax error" in message
    assert "line 3" in message


def test_a_key_given_twice_is_a_syntax_error_on_its_line(tmp_path):
    settings_file(tmp_path, '[rules]\nrelease_day = "06-10"\nrelease_day = "06-11"\n')
    message = refused(checklist(tmp_path))
    assert "docgen.toml" in message and "TOML syntax error" in message and "line 3" in message


def test_an_unknown_key_is_named_with_a_suggestion(tmp_path):
    settings_file(tmp_path, '[paths]\ntemplate = "office/templates"\n')
    message = refused(checklist(tmp_path))
    assert "docgen.toml [paths.template]: unknown field 'template'; did you mean 'templates'?" in message


def test_an_unknown_section_is_named_with_a_suggestion(tmp_path):
    settings_file(tmp_path, '[rule]\nrelease_day = "06-10"\n')
    message = refused(checklist(tmp_path))
    assert "docgen.toml [rule]: unknown field 'rule'; did you mean 'rules'?" in message


def test_a_release_day_that_does_not_exist_is_refused(tmp_path):
    settings_file(tmp_path, '[rules]\nrelease_day = "02-30"\n')
    message = refused(checklist(tmp_path))
    assert "docgen.toml [rules.release_day]:" in message and "not a day of every year" in message


def test_29_february_is_not_a_release_day(tmp_path):
    settings_file(tmp_path, '[rules]\nrelease_day = "02-29"\n')
    assert "docgen.toml [rules.release_day]:" in refused(checklist(tmp_path))


def test_a_release_day_without_leading_zeros_is_refused(tmp_path):
    settings_file(tmp_path, '[rules]\nrelease_day = "6-1"\n')
    message = refused(checklist(tmp_path))
    assert "docgen.toml [rules.release_day]:" in message


def test_a_release_day_without_leading_zeros_is_told_the_mm_dd_format(tmp_path):
    settings_file(tmp_path, '[rules]\nrelease_day = "6-1"\n')
    message = refused(checklist(tmp_path))
    assert "MM-DD" in message and "folder name" not in message


def test_a_release_day_written_as_a_number_is_refused(tmp_path):
    settings_file(tmp_path, "[rules]\nrelease_day = 610\n")
    message = refused(checklist(tmp_path))
    assert "docgen.toml [rules.release_day]:" in message and "quotes" in message


def test_a_templates_folder_that_does_not_exist_is_named(tmp_path):
    settings_file(tmp_path, '[paths]\ntemplates = "office/templats"\n')
    (tmp_path / "office" / "templates").mkdir(parents=True)
    message = refused(checklist(tmp_path))
    assert "docgen.toml [paths.templates]:" in message
    assert f"the folder {tmp_path / 'office' / 'templats'} does not exist" in message


def test_a_checklists_folder_that_does_not_exist_is_named(tmp_path):
    settings_file(tmp_path, '[paths]\nchecklists = "office/checklists"\n')
    message = refused(checklist(tmp_path))
    assert "docgen.toml [paths.checklists]:" in message and "does not exist" in message


def test_docgen_settings_pointing_at_a_missing_file_is_an_error_not_the_defaults(tmp_path):
    missing = tmp_path / "office" / "docgen.toml"
    settings_file(tmp_path, '[rules]\nrelease_day = "06-10"\n')  # must not be used instead
    message = refused(checklist(tmp_path, env={"DOCGEN_SETTINGS": str(missing)}))
    assert f"{missing}: settings file not found (DOCGEN_SETTINGS)" in message


def test_every_problem_of_the_office_section_is_listed_at_once(tmp_path):
    settings_file(tmp_path, '[office]\nname = "山田 花子"\nofice = "山田行政書士事務所"\n')
    message = refused(checklist(tmp_path))
    assert "docgen.toml [office.ofice]: unknown field 'ofice'; did you mean 'office'?" in message
    for missing in ("office.office", "office.registration_number", "office.address", "office.phone"):
        assert f"docgen.toml [{missing}]: this field is required but is missing" in message


# ------------------------------------------------------------------ the library entry point


def test_load_settings_resolves_paths_next_to_the_file(tmp_path):
    (tmp_path / "office" / "checklists").mkdir(parents=True)
    path = settings_file(tmp_path, '[paths]\nchecklists = "office/checklists"\n\n[rules]\nrelease_day = "06-10"\n')
    settings = load_settings(path)
    assert settings.checklist_dir == (tmp_path / "office" / "checklists").resolve()
    assert settings.release_day == (6, 10)


def test_load_settings_reports_the_field(tmp_path):
    path = settings_file(tmp_path, '[rules]\nrelease_day = "13-01"\n')
    with pytest.raises(InputFileError) as info:
        load_settings(path)
    [problem] = info.value.problems
    assert problem.file == path and problem.field == "rules.release_day"


def test_a_settings_file_nested_too_deeply_is_a_message(tmp_path):
    from docgen.case import load_settings
    from docgen.errors import InputFileError

    path = tmp_path / "docgen.toml"
    path.write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(InputFileError) as refused:
        load_settings(path)
    assert "nested too deeply" in str(refused.value.problems[0])
