"""Staff break each built-in template the ways Word breaks templates; the checker names the file,
the problem and the text around it, and --fix repairs what it says it repairs."""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from test_template_check import paragraph_texts

from docgen.documents.template_check import check_template, fix_template
from docgen.documents.template_vars import BUILTIN_TEMPLATES

BUILTIN = sorted(p for p in BUILTIN_TEMPLATES.glob("*.docx") if not p.name.startswith("~$"))
TAG = re.compile(r"\{\{ (\w+)")


def first_tag_run(doc):
    """The first run whose text holds a {{ … }} tag."""
    return next(
        r
        for p in doc.element.body.iter(qn("w:p"))
        for r in p.iter(qn("w:r"))
        if (t := r.find(qn("w:t"))) is not None and t.text and "{{ " in t.text and "}}" in t.text
    )


def broken_copy(source: Path, tmp_path: Path, how: str) -> Path:
    doc = Document(str(source))
    run = first_tag_run(doc)
    text = run.find(qn("w:t"))
    if how == "split_tag":  # Word splits a run in the middle of a tag (spell check, a format change)
        cut = text.text.index("{{ ") + 4
        second = copy.deepcopy(run)
        second.find(qn("w:t")).text = text.text[cut:]
        text.text = text.text[:cut]
        run.addnext(second)
    elif how == "smart_quotes":  # Word's AutoFormat turns ' into ‘ ’ as staff type
        text.text = text.text.replace("}}", "|default(‘なし’) }}", 1)
    elif how == "unknown_variable":  # a typo in a variable name
        text.text = TAG.sub(lambda m: "{{ " + m.group(1) + "_typo", text.text, count=1)
    elif how == "p_tag_with_text":  # {%p %} typed into a paragraph that has text
        text.text = "{%p if applicant.married %}" + text.text
    elif how == "tracked_change":  # an edit made with 変更履歴の記録 on
        ins = run.makeelement(
            qn("w:ins"), {qn("w:id"): "901", qn("w:author"): "staff", qn("w:date"): "2026-11-20T10:00:00Z"}
        )
        run.addprevious(ins)
        ins.append(run)
    target = tmp_path / source.name
    doc.save(str(target))
    return target


def first_tag_name(source: Path) -> str:
    """The variable of the first {{ … }} tag broken_copy breaks, e.g. 'applicant'."""
    return TAG.search(first_tag_run(Document(str(source))).find(qn("w:t")).text).group(1)


EXPECTED = {
    "split_tag": "split_tag",
    "smart_quotes": "smart_quotes",
    "unknown_variable": "unknown_variable",
    "p_tag_with_text": "p_tag_with_text",
    "tracked_change": "tracked_changes",
}


def broken_text(how: str, name: str) -> str:
    """What the paragraph broken_copy broke shows, so the finding's context must show it too."""
    return {
        "smart_quotes": "|default(‘なし’) }}",
        "unknown_variable": "{{ " + name + "_typo",
        "p_tag_with_text": "{%p if applicant.married %}",
    }.get(how, "{{ " + name)


@pytest.mark.parametrize("how", list(EXPECTED))
@pytest.mark.parametrize("template", BUILTIN, ids=[p.name for p in BUILTIN])
def test_the_checker_names_the_file_the_problem_and_the_text(template, how, tmp_path):
    name = first_tag_name(template)
    broken = broken_copy(template, tmp_path, how)
    findings = [f for f in check_template(broken) if f.code == EXPECTED[how]]
    # the finding points at the paragraph that was broken, not at some other one
    at_the_spot = [f for f in findings if broken_text(how, name) in f.context]
    assert len(at_the_spot) == 1, (how, template.name, findings)
    finding = at_the_spot[0]
    assert finding.file.name == template.name
    assert template.name in str(finding) and finding.context in str(finding)
    if how == "unknown_variable":
        assert f"'{name}_typo'" in finding.message


@pytest.mark.parametrize("how", ["split_tag", "smart_quotes"])
@pytest.mark.parametrize("template", BUILTIN, ids=[p.name for p in BUILTIN])
def test_fix_repairs_split_tags_and_smart_quotes(template, how, tmp_path):
    name = first_tag_name(template)
    broken = broken_copy(template, tmp_path, how)
    before = paragraph_texts(broken)
    repairs = fix_template(broken)
    assert len(repairs) == 1 and "{{ " + name in repairs[0], repairs
    remaining = [f.code for f in check_template(broken)]
    assert EXPECTED[how] not in remaining and not [f for f in check_template(broken) if f.severity == "error"]
    # every paragraph (table cells, headers and footers included) reads as before, the broken tag repaired
    if how == "split_tag":
        assert paragraph_texts(broken) == before == paragraph_texts(template)
    else:
        assert paragraph_texts(broken) == {
            part: [t.replace("‘なし’", "'なし'") for t in texts] for part, texts in before.items()
        }
    shutil.copyfile(broken, tmp_path / "kept.docx")  # the repaired file still opens in Word (python-docx)
    Document(str(tmp_path / "kept.docx"))
