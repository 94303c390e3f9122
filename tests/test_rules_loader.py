"""Checklist files staff edit: every mistake is named with its file, line and field."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from docgen.errors import InputFileError
from docgen.resources import CHECKLISTS as BUILTIN_DIR
from docgen.rules import load_rulebook


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    """A copy of the built-in checklists to break."""
    target = tmp_path / "checklists"
    shutil.copytree(BUILTIN_DIR, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(folder: Path) -> list[str]:
    with pytest.raises(InputFileError) as info:
        load_rulebook(folder)
    return [str(p) for p in info.value.problems]


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_the_built_in_rules_load():
    book = load_rulebook(BUILTIN_DIR)
    assert len(book.categories) == 13 and "resident_tax_certificates" in book.items


def test_a_duplicate_key_names_its_line(rules):
    edit(rules / "gijinkoku.yaml", "checksheet: 就労\n", "checksheet: 就労\nchecksheet: 配偶者\n")
    [msg] = problems(rules)
    assert f"gijinkoku.yaml, line {line_of(rules / 'gijinkoku.yaml', 'checksheet: 配偶者')}" in msg
    assert "[checksheet]" in msg and "appears twice" in msg


def test_an_unknown_field_is_named_with_a_suggestion(rules):
    edit(rules / "_items.yaml", "    copies: 1葉\n", "    copise: 1葉\n")
    [msg] = problems(rules)
    assert f"line {line_of(rules / '_items.yaml', 'copise')}" in msg
    assert "items.photo.copise" in msg and "did you mean 'copies'" in msg


def test_a_bad_date_is_named(rules):
    edit(rules / "_items.yaml", "      - from: 2021-10-01\n", "      - from: 2021-13-01\n")
    [msg] = problems(rules)
    assert "items.acknowledgement.versions[1].from" in msg and "YYYY-MM-DD" in msg
    assert f"line {line_of(rules / '_items.yaml', '2021-13-01')}" in msg


def test_a_rule_without_sources_is_refused(rules):
    edit(rules / "_items.yaml", "    sources: [certificate_3_months, rule22]\n", "")
    msgs = problems(rules)
    assert any("items.photo" in m and "sources" in m and "cite its source" in m for m in msgs)


def test_an_unknown_source_is_refused(rules):
    edit(rules / "_items.yaml", "    sources: [rule22]\n", "    sources: [rule23]\n")
    assert any("unknown source 'rule23'" in m for m in problems(rules))


def test_two_versions_in_force_on_one_date_are_refused(rules):
    edit(rules / "_items.yaml", "        until: 2021-09-30\n", "        until: 2021-10-01\n")
    msgs = problems(rules)
    assert any("acknowledgement" in m and "two versions are in force on the same date" in m for m in msgs)


def test_a_gap_between_versions_is_refused(rules):
    edit(rules / "_items.yaml", "        until: 2021-09-30\n", "        until: 2021-09-01\n")
    assert any("no version is in force between 2021-09-01 and 2021-10-01" in m for m in problems(rules))


def test_an_unknown_item_in_a_category_is_named(rules):
    edit(rules / "teijusha.yaml", "  - income_proof\n", "  - income_proofs\n")
    [msg] = problems(rules)
    assert (
        f"teijusha.yaml, line {line_of(rules / 'teijusha.yaml', 'income_proofs')}" in msg
        and "unknown item 'income_proofs'" in msg
    )


def test_an_unknown_condition_is_refused(rules):
    edit(rules / "_items.yaml", "    condition: age_16_or_over\n", "    condition: age_over_16\n")
    assert any("unknown condition 'age_over_16'" in m for m in problems(rules))


def test_a_lookback_parameter_the_category_lacks_is_refused(rules):
    edit(rules / "spouse.yaml", "    tax_years: 3\n", "")
    assert any("spouse.yaml" in m and "'tax_years'" in m for m in problems(rules))


def test_a_yaml_syntax_error_names_the_line(rules):
    edit(rules / "child.yaml", "checksheet: 配偶者\n", "checksheet: [配偶者\n")
    [msg] = problems(rules)
    assert "child.yaml, line" in msg and "YAML syntax error" in msg


def test_an_office_folder_adds_changes_and_switches_off_items(rules, tmp_path):
    office = tmp_path / "office"
    office.mkdir()
    (office / "_sources.yaml").write_text(
        'office_rule:\n  title: "事務所の運用"\n  url: https://example.jp/office\n  reliability: C\n', encoding="utf-8"
    )
    (office / "_items.yaml").write_text(
        "items:\n"
        "  office_cover_letter:\n"
        "    title: {ja: 送付状, en: Cover letter, zh: 送付函}\n"
        "    action: submit\n    required: true\n    copies: 1通\n    concerns: [applicant]\n"
        "    lookback: {kind: current}\n    sources: [office_rule]\n    last_checked: 2026-11-01\n"
        "    versions:\n      - from: 2019-07-01\n",
        encoding="utf-8",
    )
    (office / "gijinkoku.yaml").write_text(
        "id: gijinkoku\nadd:\n  - {id: office_cover_letter, after: application_form}\n"
        "change:\n  - {id: photo, copies: 2葉}\nremove: [contribution_proof]\n",
        encoding="utf-8",
    )
    book = load_rulebook(rules, office)
    ids = [r.id for r in book.item_rules("gijinkoku", date(2026, 11, 30))]
    assert ids[:2] == ["application_form", "office_cover_letter"]
    assert "contribution_proof" not in ids
    photo = next(r for r in book.item_rules("gijinkoku", date(2026, 11, 30)) if r.id == "photo")
    assert photo.copies == "2葉"
    # other categories are untouched
    assert "contribution_proof" in [r.id for r in book.item_rules("ginou", date(2026, 11, 30))]


def test_an_empty_rule_folder_is_an_error_not_zero_categories(tmp_path):
    from docgen.errors import DocgenError

    with pytest.raises(DocgenError, match="no checklist categories were found"):
        load_rulebook(tmp_path)
    with pytest.raises(DocgenError, match="does not exist"):
        load_rulebook(tmp_path / "missing")
