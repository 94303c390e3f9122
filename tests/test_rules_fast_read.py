"""The rule files are read by the fast C parser (issue 20: a checklist in a third of a second), and read again
with their lines only when one has a problem: the rules are the same either way, and a mistake still names its
line."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.errors import InputFileError
from docgen.rules import loader
from docgen.rules.data import load_assessment_rules
from docgen.rules.loader import load_rulebook
from docgen.yamlfile import load_yaml, load_yaml_fast


def test_the_fast_read_gives_the_same_rules_as_the_located_read(monkeypatch):
    fast_book, fast_rules = load_rulebook(), load_assessment_rules()
    # every reader made to read with lines, as it does to explain a mistake
    monkeypatch.setattr("docgen.yamlfile.load_yaml_fast", load_yaml)
    located_book, located_rules = load_rulebook(), load_assessment_rules()
    assert fast_book.categories == located_book.categories and fast_book.items == located_book.items
    assert fast_book.sources == located_book.sources
    assert fast_rules == located_rules


def test_a_valid_rule_file_is_read_without_its_lines(tmp_path: Path):
    doc = load_yaml_fast(loader.CHECKLISTS / "_items.yaml")
    assert doc.lines == {} and doc.data  # nothing located: the slow read is not needed


def test_a_mistake_in_an_office_checklist_still_names_its_line(tmp_path: Path):
    office = tmp_path / "office"
    office.mkdir()
    (office / "gijinkoku.yaml").write_text(
        "id: gijinkoku\nname: {ja: 技人国, en: Engineer}\nroute: general\nroute_name: {ja: 一般, en: general}\n"
        "params:\n  - {from: 2020-01-01, tax_years: five}\nitems: []\n",
        encoding="utf-8",
    )
    with pytest.raises(InputFileError) as refused:
        load_rulebook(loader.CHECKLISTS, office)
    lines = {p.line for p in refused.value.problems if p.file.name == "gijinkoku.yaml"}
    assert lines and lines != {1}  # located: the line of the field, not the top of the file
