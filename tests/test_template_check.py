"""A member of staff edits a template in Word; the checker finds what Word (or the edit) broke,
points at the paragraph, and repairs what it can."""

from __future__ import annotations

import copy
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from lxml import etree
from typer.testing import CliRunner

from docgen.cli import templates as cli_templates
from docgen.documents.context import DocumentContext, FamilyRow
from docgen.documents.render import (
    TemplateRenderError,
    environment,
    render_docx,
    template_context,
)
from docgen.documents.template_check import (
    Finding,
    check_dir,
    check_template,
    fix_template,
    has_errors,
)
from docgen.documents.template_vars import BUILTIN_TEMPLATES, export_templates, variables_markdown
from docgen.documents.views import build_context
from docgen.errors import DocgenError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "gijinkoku-single.yaml"
BUILTIN = sorted(p for p in BUILTIN_TEMPLATES.glob("*.docx") if not p.name.startswith("~$"))
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
WORD_PART = re.compile(r"word/(document|header\d+|footer\d+)\.xml")  # the parts docxtpl renders


# --- building documents the way Word leaves them ------------------------------------------


def new_document() -> Document:
    """A blank document whose default font is ＭＳ 明朝 (python-docx's default uses theme fonts)."""
    doc = Document()
    rfonts = (
        doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    )
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    for slot in ("ascii", "hAnsi", "eastAsia"):
        rfonts.set(qn(f"w:{slot}"), "ＭＳ 明朝")
    return doc


def save(doc: Document, tmp_path: Path, name: str = "申請書.docx") -> Path:
    path = tmp_path / name
    doc.save(str(path))
    return path


def with_paragraphs(tmp_path: Path, *texts: str, name: str = "申請書.docx") -> Path:
    doc = new_document()
    for text in texts:
        doc.add_paragraph(text)
    return save(doc, tmp_path, name)


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def only(findings: list[Finding], code: str) -> Finding:
    hits = [f for f in findings if f.code == code]
    assert len(hits) == 1, findings
    return hits[0]


@pytest.fixture(scope="module")
def context() -> DocumentContext:
    """A real case's context (the example profile, or a minimal one while examples are missing)."""
    if EXAMPLE.exists():
        from docgen.profile.load import load_profile

        return build_context(load_profile(EXAMPLE), today=date(2026, 11, 30))
    from docgen.profile.model import Profile

    profile = Profile.model_validate(
        {
            "case_id": "2026-001-wang",
            "category": "gijinkoku",
            "application_date": date(2026, 11, 30),
            "applicant": {
                "family_name": "WANG",
                "given_name": "XIAOMING",
                "name_kanji": "王 小明",
                "nationality": "中国",
                "birth_date": date(1990, 4, 1),
                "sex": "男",
                "birth_place": "上海",
                "home_town": "上海",
                "occupation": "会社員",
                "passport": {"number": "E12345678", "expiry": date(2030, 1, 1)},
                "residence_card_number": "AB12345678CD",
                "status": "技術・人文知識・国際業務",
                "period_of_stay": "5年",
                "stay_expiry": date(2029, 1, 1),
                "address": "東京都新宿区西新宿1-1-1",
            },
            "guarantor": {"name": "山田 太郎", "address": "東京都", "status": "日本人", "relationship": "雇用主"},
        }
    )
    return build_context(profile, today=date(2026, 11, 30))


def paragraph_texts(path: Path) -> dict[str, list[str]]:
    """The text of every paragraph of a .docx, table cells included, in the body, headers and footers (by part)."""
    with zipfile.ZipFile(path) as z:
        return {
            name: ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in etree.fromstring(z.read(name)).iter(f"{W}p")]
            for name in sorted(z.namelist())
            if WORD_PART.fullmatch(name)
        }


def rendered_text(template: Path, ctx: DocumentContext, tmp_path: Path) -> str:
    out = render_docx(template, ctx, tmp_path / f"out-{template.name}")
    return "\n".join(p.text for p in Document(str(out)).paragraphs)


# --- split runs ------------------------------------------------------------------------------


def split_tag_document(tmp_path: Path) -> Path:
    doc = new_document()
    p = doc.add_paragraph()
    p.add_run("申請人 {{ appli")
    bold = p.add_run("cant.family_name }} 様")
    bold.bold = True  # Word splits a run where the formatting changes
    doc.add_paragraph("国籍 {{ applicant.nationality }}")
    return save(doc, tmp_path)


def test_a_tag_word_split_over_two_runs_is_named_with_its_paragraph(tmp_path):
    path = split_tag_document(tmp_path)
    finding = only(check_template(path), "split_tag")
    assert finding.file == path
    assert finding.part == "word/document.xml"
    assert "{{ applicant.family_name }}" in finding.message
    assert finding.context == "申請人 {{ applicant.family_name }} 様"
    assert "申請書.docx" in str(finding) and "split_tag" in str(finding)


def test_braces_themselves_in_different_runs_count_as_a_split_tag(tmp_path):
    doc = new_document()
    p = doc.add_paragraph()
    p.add_run("氏名 {")
    p.add_run("{ applicant.family_name }")
    p.add_run("}")
    finding = only(check_template(save(doc, tmp_path)), "split_tag")
    assert "3 runs" in finding.message


def test_fix_joins_the_split_tag_and_the_template_then_passes_and_renders(tmp_path, context):
    path = split_tag_document(tmp_path)
    original = path.read_bytes()
    fixed = tmp_path / "fixed.docx"
    repaired = fix_template(path, fixed)
    assert len(repaired) == 1 and "applicant.family_name" in repaired[0]
    assert check_template(fixed) == []
    runs = [r.text for r in Document(str(fixed)).paragraphs[0].runs]
    assert runs == ["申請人 {{ applicant.family_name }}", " 様"]  # the tag keeps the first run's formatting
    # rendered with the project's sandboxed environment through docxtpl
    tpl = DocxTemplate(str(fixed))
    tpl.render(template_context(context), jinja_env=environment(), autoescape=True)
    tpl.save(str(tmp_path / "out.docx"))
    text = "\n".join(p.text for p in Document(str(tmp_path / "out.docx")).paragraphs)
    assert f"申請人 {context.applicant.family_name} 様" in text
    assert f"国籍 {context.applicant.nationality}" in text
    assert path.read_bytes() == original  # the original is left alone when `out` is given
    assert "split_tag" in codes(check_template(path))


def test_fix_repairs_a_tag_split_between_its_braces(tmp_path, context):
    doc = new_document()
    p = doc.add_paragraph()
    for piece in ("氏名 {", "{ applicant.", "roman_name }", "}。"):
        p.add_run(piece)
    path = save(doc, tmp_path)
    assert fix_template(path)  # in place
    assert check_template(path) == []
    assert "氏名 " + context.applicant.roman_name + "。" in rendered_text(path, context, tmp_path)


# --- what staff type -------------------------------------------------------------------------


def test_curly_quotes_typed_by_word_are_reported_and_straightened(tmp_path, context):
    path = with_paragraphs(tmp_path, "性別 {{ applicant.sex|choice(“男”, ‘女’) }}")
    finding = only(check_template(path), "smart_quotes")
    assert finding.severity == "warning"
    assert finding.context.startswith("性別")
    fix_template(path)
    assert check_template(path) == []
    assert "{{ applicant.sex|choice(\"男\", '女') }}" in Document(str(path)).paragraphs[0].text
    assert "■" in rendered_text(path, context, tmp_path)


def test_full_width_characters_typed_with_the_ime_are_errors_and_fixed(tmp_path, context):
    path = with_paragraphs(tmp_path, "国籍：{{ applicant．nationality｜default('（不明）') }}")
    finding = only(check_template(path), "fullwidth_in_tag")
    assert finding.message.startswith("full-width characters ． ｜ inside")  # not the （ ） of the quoted text
    fix_template(path)
    assert "{{ applicant.nationality|default('（不明）') }}" in Document(str(path)).paragraphs[0].text
    assert not has_errors(check_template(path))
    assert f"国籍：{context.applicant.nationality}" in rendered_text(path, context, tmp_path)


def test_a_misspelt_field_is_an_error_with_a_suggestion(tmp_path):
    path = with_paragraphs(tmp_path, "前文", "氏名 {{ applicant.nmae }}", "後文")
    finding = only(check_template(path), "unknown_attribute")
    assert finding.severity == "error"
    assert "applicant.nmae" in finding.message and "ApplicantView" in finding.message
    assert "family_name" in finding.message  # did you mean
    assert finding.context == "氏名 {{ applicant.nmae }}"


def test_a_nested_field_is_checked_against_its_own_model(tmp_path):
    path = with_paragraphs(tmp_path, "旅券 {{ applicant.passport.numbr }} 期限 {{ applicant.passport.expiry|seireki }}")
    finding = only(check_template(path), "unknown_attribute")
    assert "Passport has no field 'numbr'" in finding.message and "number" in finding.message


def test_an_unknown_top_level_name_is_an_error_with_a_suggestion(tmp_path):
    path = with_paragraphs(tmp_path, "{{ aplicant.family_name }}")
    finding = only(check_template(path), "unknown_variable")
    assert "'aplicant'" in finding.message and "Did you mean applicant" in finding.message


def test_loop_variables_take_the_fields_of_the_list_items(tmp_path):
    doc = new_document()
    for text in (
        "{%p for t in applicant.trips %}",
        "{{ loop.index }}. {{ t.departure|wareki }}〜{{ t.return_date|wareki }} {{ t.destination }} {{ t.days }}日",
        "{{ t.destnation }}",
        "{%p endfor %}",
        "{% set pp = applicant.passport %}{{ pp.number }}{{ pp.expirey }}",
        "{% for f in family|sort(attribute='birth_date') %}{{ f.name }}{% endfor %}",
        "{% for a in applicants|selectattr('is_mian') %}{% endfor %}",
        "{{ t.destination }}{{ loop.index }}",
        "{{ labels.heading }}{{ labels['title'] }}{{ applicant.roman_name|lower }}{{ today.year }}",
    ):
        doc.add_paragraph(text)
    findings = check_template(save(doc, tmp_path))
    messages = sorted(f.message.split(" (")[0].split(":")[0] + ":" + f.code for f in findings)
    assert messages == sorted(
        [
            "'t.destnation':unknown_attribute",
            "'pp.expirey':unknown_attribute",
            "|selectattr('is_mian'):unknown_attribute",
            "unknown variable 't':unknown_variable",  # used after its loop ended
            "unknown variable 'loop':unknown_variable",
        ]
    ), findings


def test_a_list_used_as_one_record_is_explained(tmp_path):
    finding = only(check_template(with_paragraphs(tmp_path, "{{ applicants.family_name }}")), "unknown_attribute")
    assert "applicants is a list of ApplicantView" in finding.message and "for" in finding.message


def test_an_unknown_filter_is_an_error_with_a_suggestion(tmp_path):
    finding = only(check_template(with_paragraphs(tmp_path, "作成日 {{ today|warekii }}")), "unknown_filter")
    assert "'|warekii'" in finding.message and "Did you mean wareki" in finding.message
    assert finding.context == "作成日 {{ today|warekii }}"


def test_a_syntax_error_names_the_paragraph(tmp_path):
    path = with_paragraphs(tmp_path, "はじめに", "{% if applicant.married %}配偶者あり", "おわり")
    finding = only(check_template(path), "syntax_error")
    assert "endif" in finding.message
    assert finding.context == "{% if applicant.married %}配偶者あり"  # the paragraph's text, without XML


def test_a_tag_left_open_is_an_error(tmp_path):
    path = with_paragraphs(tmp_path, "氏名 {{ applicant.family_name }", "住所")
    assert "unclosed_tag" in codes(check_template(path))


# --- docxtpl's paragraph and row tags --------------------------------------------------------


def test_p_tag_with_text_beside_it_is_an_error(tmp_path):
    path = with_paragraphs(tmp_path, "{%p if applicant.married %}配偶者: あり", "{%p endif %}")
    finding = only(check_template(path), "p_tag_with_text")
    assert "配偶者: あり" in finding.message and "disappears" in finding.message


def test_p_tag_alone_in_its_paragraph_is_fine(tmp_path, context):
    path = with_paragraphs(tmp_path, "{%p if applicant.age_16_or_over %}", "写真を貼付", "{%p endif %}")
    assert check_template(path) == []
    assert context.applicant.age_16_or_over
    assert rendered_text(path, context, tmp_path) == "写真を貼付"  # the {%p %} paragraphs themselves are gone


def table_document(tmp_path: Path, first_row: list[str]) -> Path:
    doc = new_document()
    table = doc.add_table(rows=3, cols=2)
    rows = [first_row, ["{{ f.relationship }}", "{{ f.name }}"], ["{%tr endfor %}", ""]]
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    return save(doc, tmp_path)


def test_tr_tag_sharing_its_row_is_an_error(tmp_path):
    finding = only(check_template(table_document(tmp_path, ["{%tr for f in family %}", "続柄"])), "tr_tag_with_content")
    assert "続柄" in finding.message and "{%tr for f in family %}" in finding.context


def test_tr_loop_in_rows_of_its_own_passes_and_renders(tmp_path, context):
    path = table_document(tmp_path, ["{%tr for f in family %}", ""])
    assert check_template(path) == []
    member = {
        "roman_name": "WANG",
        "birth_date": date(1992, 5, 1),
        "nationality": "中国",
        "living_together": True,
        "workplace": "",
        "card_number": "",
        "filing_together": False,
    }
    family = [
        FamilyRow(relationship="妻", name="王 美玲", **member),
        FamilyRow(relationship="長男", name="王 小龍", **member),
    ]
    out = render_docx(path, context.model_copy(update={"family": family}), tmp_path / "out.docx")
    (table,) = Document(str(out)).tables
    # one row per family member; the rows holding {%tr for %} and {%tr endfor %} are gone
    assert [[cell.text for cell in row.cells] for row in table.rows] == [["妻", "王 美玲"], ["長男", "王 小龍"]]


def test_special_tag_without_its_space(tmp_path):
    findings = check_template(with_paragraphs(tmp_path, "{%pif applicant.married %}", "{%p endif %}"))
    finding = only(findings, "special_tag_missing_space")
    assert "{%p if" in finding.message
    assert "syntax_error" in codes(findings)  # Jinja cannot parse it either


def test_raw_and_range_are_not_mistaken_for_special_tags(tmp_path):
    path = with_paragraphs(tmp_path, "{% raw %}{{ 例 }}{% endraw %}", "{% for i in range(3) %}{{ i }}{% endfor %}")
    assert check_template(path) == []


# --- Word features ---------------------------------------------------------------------------


def test_tracked_changes_are_an_error(tmp_path):
    doc = new_document()
    p = doc.add_paragraph("氏名 ")
    ins = parse_xml(
        f'<w:ins xmlns:w="{W_NS}" w:id="1" w:author="山田" w:date="2026-11-01T00:00:00Z">'
        "<w:r><w:t>{{ applicant.family_name }}</w:t></w:r></w:ins>"
    )
    p._p.append(ins)
    finding = only(check_template(save(doc, tmp_path)), "tracked_changes")
    assert finding.severity == "error" and "変更履歴" in finding.message
    assert finding.context == "氏名 {{ applicant.family_name }}"


def test_comments_and_content_controls_are_warnings(tmp_path):
    doc = new_document()
    p = doc.add_paragraph("住所 {{ applicant.address }}")
    doc.add_comment(p.runs, text="ここを確認", author="山田")
    sdt = parse_xml(
        f'<w:sdt xmlns:w="{W_NS}"><w:sdtContent><w:p><w:r><w:t>日付 {{{{ today|wareki }}}}</w:t></w:r>'
        "</w:p></w:sdtContent></w:sdt>"
    )
    doc.element.body.insert(0, sdt)
    findings = check_template(save(doc, tmp_path))
    assert only(findings, "comments").severity == "warning"
    assert only(findings, "content_control").context == "日付 {{ today|wareki }}"
    assert not has_errors(findings)


def test_a_mistake_in_the_header_names_the_header(tmp_path):
    doc = new_document()
    doc.sections[0].header.paragraphs[0].text = "案件 {{ case.case_idd }}"
    doc.add_paragraph("{{ case.case_id }}")
    finding = only(check_template(save(doc, tmp_path)), "unknown_attribute")
    assert finding.part.startswith("word/header") and "case_id" in finding.message


# --- fonts -----------------------------------------------------------------------------------


def test_yu_mincho_and_theme_fonts_are_errors(tmp_path):
    doc = new_document()
    run = doc.add_paragraph().add_run("申請人氏名")
    run.font.name = "Yu Mincho"
    themed = doc.add_paragraph().add_run("理由")
    rpr = themed._r.get_or_add_rPr()
    rpr.append(parse_xml(f'<w:rFonts xmlns:w="{W_NS}" w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorEastAsia"/>'))
    findings = check_template(save(doc, tmp_path))
    assert only(findings, "yu_font").context == "申請人氏名"
    theme = only(findings, "theme_font")
    assert theme.severity == "error" and theme.context == "理由"


def test_python_docx_default_theme_fonts_are_reported_in_the_document_defaults(tmp_path):
    doc = Document()
    doc.add_paragraph("本文")
    finding = only(check_template(save(doc, tmp_path)), "theme_font")
    assert "document default" in finding.message


def test_ms_mincho_resolves_through_the_ipaex_alias_but_an_unknown_font_warns(tmp_path):
    doc = new_document()
    doc.add_paragraph().add_run("明朝").font.name = "MS Gothic"
    doc.add_paragraph().add_run("装飾").font.name = "Fancy Script Pro"
    findings = check_template(save(doc, tmp_path))
    finding = only(findings, "font_not_installed")
    assert "Fancy Script Pro" in finding.message and finding.severity == "warning"


# --- the sandbox -----------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["{{ applicant.__class__.__mro__ }}", "{{ ''.__class__ }}"])
def test_a_template_reaching_python_internals_is_flagged_and_blocked(tmp_path, context, tag):
    path = with_paragraphs(tmp_path, f"危険 {tag}")
    assert only(check_template(path), "unsafe_attribute").severity == "error"
    with pytest.raises(TemplateRenderError, match=r"blocked by the sandbox.*__class__"):
        render_docx(path, context, tmp_path / "out.docx")


@pytest.mark.parametrize(("tag", "error"), [("{{ 1 // 0 }}", "ZeroDivisionError"), ("{{ 1 + 'a' }}", "TypeError")])
def test_an_error_in_the_templates_own_code_names_the_template_and_the_error(tmp_path, context, tag, error):
    path = with_paragraphs(tmp_path, f"計算 {tag}")
    with pytest.raises(TemplateRenderError, match=rf"^template 申請書\.docx: cannot be filled \({error}\)$"):
        render_docx(path, context, tmp_path / "out.docx")


# --- sizes a template chooses (the payloads themselves: tests/faults/test_template_limits.py) ------------

# What forms really do: pad a name, number a row, draw a rule, leave blank rows, alternate, list with 、.
EVERYDAY_SIZES = (
    "{{ applicant.family_name|center(20) }}",
    "{{ '%5d' % applicant.age }} {{ '%.1f' % 1.25 }} {{ '%s様' % applicant.display_name }}",
    "{{ '－' * 20 }} {{ [''] * 3 }}",
    "{% for i in range(5 - family|length) %}（空欄）{% endfor %}",
    "{% for row in family %}{{ 'odd' if loop.index % 2 else 'even' }}{% endfor %}",
    "{{ family|map(attribute='name')|join('、') }} {{ family|batch(3)|list|length }}",
    "{{ applicant.reason|truncate(300) }} {{ applicant.reason|wordwrap(40) }} {{ applicant.address|indent(2) }}",
    "{{ applicant.display_name.ljust(10, '　') }} {{ 2 ** 10 }} {{ range(12)|list|length }}",
)


def test_everyday_widths_counts_and_repeats_are_not_flagged_and_render(tmp_path, context):
    path = with_paragraphs(tmp_path, *EVERYDAY_SIZES)
    assert [f for f in check_template(path) if f.code == "unbounded"] == []
    text = "\n".join(paragraph_texts(render_docx(path, context, tmp_path / "out.docx"))["word/document.xml"])
    assert "－" * 20 in text and f"{context.applicant.age:5d}" in text and "1024" in text


def test_a_width_above_the_limit_is_an_error_and_a_width_from_a_variable_a_warning(tmp_path, context):
    path = with_paragraphs(tmp_path, "{{ applicant.family_name|center(5000) }}", "{{ applicant.address|indent(n) }}")
    findings = [f for f in check_template(path) if f.code == "unbounded"]
    assert [(f.severity, f.context) for f in findings] == [
        ("error", "{{ applicant.family_name|center(5000) }}"),
        ("warning", "{{ applicant.address|indent(n) }}"),
    ]
    assert findings[0].message == (
        "'applicant.family_name|center': width 5,000 is above the limit of 1,000; the document cannot be made"
        " (a size this large uses up memory). Use a number up to 1,000."
    )
    assert "the width comes from a variable or a calculation; above 1,000" in findings[1].message
    with pytest.raises(TemplateRenderError, match=r"\|center with width 5,000 is not allowed in templates"):
        render_docx(path, context, tmp_path / "out.docx")


# --- folders, the CLI and the built-in templates ---------------------------------------------


def test_check_dir_reports_each_template(tmp_path):
    good = with_paragraphs(tmp_path, "{{ applicant.display_name }}", name="good.docx")
    bad = with_paragraphs(tmp_path, "{{ applicant.nmae }}", name="bad.docx")
    (tmp_path / "~$bad.docx").write_bytes(b"Word lock file")
    result = check_dir(tmp_path)
    assert set(result) == {good, bad}
    assert result[good] == [] and codes(result[bad]) == ["unknown_attribute"]


def test_cli_check_prints_file_problem_and_text_and_exits_1(tmp_path):
    with_paragraphs(tmp_path, "本文", "氏名 {{ applicant.nmae }}", name="理由書.docx")
    result = CliRunner().invoke(cli_templates.app, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert "理由書.docx" in result.output and "unknown_attribute" in result.output
    assert "氏名 {{ applicant.nmae }}" in result.output


def test_cli_check_fix_repairs_split_tags_and_passes(tmp_path):
    split_tag_document(tmp_path)
    result = CliRunner().invoke(cli_templates.app, ["check", str(tmp_path), "--fix"])
    assert result.exit_code == 0, result.output
    assert "joined" in result.output
    assert check_dir(tmp_path) == {tmp_path / "申請書.docx": []}


def test_cli_check_of_a_missing_folder_is_a_plain_error(tmp_path):
    result = CliRunner().invoke(cli_templates.app, ["check", str(tmp_path / "nothing")])
    assert result.exit_code != 0
    assert isinstance(result.exception, DocgenError)  # shown by docgen's main as a message, not a traceback
    assert "nothing" in str(result.exception)


def test_export_copies_the_templates_and_writes_a_japanese_readme(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    with_paragraphs(source, "{{ applicant.display_name }}", name="reason_letter.docx")
    dest = tmp_path / "out"
    written = export_templates(dest, source)
    assert (dest / "reason_letter.docx").exists() and dest / "README.md" in written
    readme = (dest / "README.md").read_text(encoding="utf-8")
    assert "変数" in readme and "フィルター" in readme
    assert "{{ applicant.passport.number }}" in readme
    assert "旅券番号" in readme  # descriptions come from the models' Field(description=…)
    assert "wareki" in readme and "令和8年11月30日" in readme  # filters with their examples


def test_cli_export(tmp_path):
    result = CliRunner().invoke(cli_templates.app, ["export", str(tmp_path / "tpl")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "tpl" / "README.md").exists()
    assert {p.name for p in (tmp_path / "tpl").glob("*.docx")} == {p.name for p in BUILTIN}


def test_the_variable_list_covers_every_top_level_name():
    text = variables_markdown()
    for name in DocumentContext.model_fields:
        assert f"`{name}`" in text


@pytest.mark.skipif(not BUILTIN, reason="no built-in templates in templates/ yet")
@pytest.mark.parametrize("template", BUILTIN, ids=[p.name for p in BUILTIN])
def test_every_built_in_template_passes_the_check(template):
    errors = [str(f) for f in check_template(template) if f.severity == "error"]
    assert errors == []


# --- wording the office confirms once: {# 要確認: … #} ---------------------------------------


def test_the_built_in_form_reminds_the_office_of_the_english_it_must_confirm_once():
    """The 申請書's English the reference lacks (その2, the closing declaration) is a note in the template,
    reported as a warning: the check still passes."""
    form = BUILTIN_TEMPLATES / "application_form.docx"
    findings = check_template(form)
    assert codes(findings) == ["to_confirm", "to_confirm"] and not has_errors(findings)
    assert all("公式様式の英文を確認してください" in f.message for f in findings)
    assert [f.context for f in findings] == ["その2（永住）", "以上の記載内容は事実と相違ありません。"]
    assert not [f for t in BUILTIN if t != form for f in check_template(t) if f.code == "to_confirm"]
    result = CliRunner().invoke(cli_templates.app, ["check"])
    assert result.exit_code == 0, result.output
    assert "application_form.docx:\n  WARNING [to_confirm]" in result.output
    assert "0 error(s), 2 warning(s)" in result.output or "エラー 0件、警告 2件" in result.output


def test_once_the_office_copies_the_english_and_deletes_the_note_the_reminder_stops(tmp_path, context):
    office = tmp_path / "application_form.docx"
    doc = Document(str(BUILTIN_TEMPLATES / "application_form.docx"))
    notes = [r for p in doc.paragraphs for r in p.runs if "{# 要確認" in r.text]
    assert len(notes) == 2
    for run in notes:  # what staff do in Word: type the form's English, delete the note
        run.text = re.sub(r"\{#.*?#\}", "　(English as on the current form)", run.text)
    doc.save(str(office))
    assert check_template(office) == []
    filled = "\n".join(
        t for texts in paragraph_texts(render_docx(office, context, tmp_path / "o.docx")).values() for t in texts
    )
    assert filled.count("(English as on the current form)") == 2


def test_a_note_is_never_printed_in_the_filled_document(tmp_path, context):
    path = with_paragraphs(tmp_path, "氏名 {{ applicant.display_name }}{# 要確認: 英文を確認 #}")
    finding = only(check_template(path), "to_confirm")
    assert finding.severity == "warning" and "英文を確認" in finding.message
    assert finding.context == "氏名 {{ applicant.display_name }}"
    out = paragraph_texts(render_docx(path, context, tmp_path / "out.docx"))
    assert not any("要確認" in t or "{#" in t for texts in out.values() for t in texts)
    assert check_template(with_paragraphs(tmp_path, "{# an ordinary comment #}本文", name="b.docx")) == []


def split_every_tag(source: Path, target: Path) -> tuple[int, int]:
    """Copy `source` with every run that holds a whole {{ … }} tag split in the middle of the tag, the way Word
    splits runs (spell check, a format change), in the body, table cells, headers and footers.
    Returns how many runs were split, and how many of those sit in table cells."""
    split = in_cells = 0
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if WORD_PART.fullmatch(item.filename):
                root = etree.fromstring(data)
                for run in list(root.iter(f"{W}r")):
                    if [c.tag for c in run if c.tag != f"{W}rPr"] != [f"{W}t"]:
                        continue  # only runs of plain text
                    t = run.find(f"{W}t")
                    text = t.text or ""
                    if "{{ " not in text or "}}" not in text[text.index("{{ ") :]:
                        continue
                    cut = text.index("{{ ") + 4
                    second = copy.deepcopy(run)
                    second.find(f"{W}t").text = text[cut:]
                    t.text = text[:cut]
                    run.addnext(second)
                    split += 1
                    in_cells += any(a.tag == f"{W}tc" for a in run.iterancestors())
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(item, data)
    return split, in_cells


def rendered_paragraphs(template: Path, ctx: DocumentContext, out: Path) -> dict[str, list[str]]:
    """The text of every paragraph (table cells, headers and footers included) the template renders to.
    The checklist handout also needs its labels (the packet step passes them): each label renders as its key."""
    keys = {
        a or b
        for text in paragraph_texts(template).values()
        for line in text
        for a, b in re.findall(r"labels\.(\w+)|labels\[['\"](\w+)['\"]\]", line)
    }
    ctx = ctx.model_copy(update={"labels": {**ctx.labels, **{k: f"〔{k}〕" for k in keys}}})
    return paragraph_texts(render_docx(template, ctx, out))


@pytest.mark.skipif(not BUILTIN, reason="no built-in templates in templates/ yet")
@pytest.mark.parametrize("source", BUILTIN, ids=[p.name for p in BUILTIN])
def test_fix_changes_nothing_a_built_in_template_renders(tmp_path, context, source):
    broken = tmp_path / source.name
    split, in_cells = split_every_tag(source, broken)
    assert split and "split_tag" in codes(check_template(broken))
    if source.name == "application_form.docx":
        assert in_cells  # the 申請書 is mostly tables: the fix must work inside table cells
    assert len(fix_template(broken)) == split  # one repair per split tag
    findings = check_template(broken)
    assert "split_tag" not in codes(findings) and not has_errors(findings)
    # every paragraph, table cells and headers/footers included, reads as before: in the template and rendered
    assert paragraph_texts(broken) == paragraph_texts(source)
    assert rendered_paragraphs(broken, context, tmp_path / "fixed.docx") == rendered_paragraphs(
        source, context, tmp_path / "orig.docx"
    )


def test_the_check_reads_the_office_copy_instead_of_the_built_in_template_it_replaces(tmp_path):
    """The office copied the 申請書 and typed the English in: the built-in one it replaces is not checked (and
    its reminders not repeated), since the packet never uses it."""
    import os
    import shutil
    import subprocess
    import sys

    from docgen.resources import TEMPLATES

    (tmp_path / "office").mkdir()
    shutil.copyfile(TEMPLATES / "application_form.docx", tmp_path / "office" / "application_form.docx")
    (tmp_path / "docgen.toml").write_text('[paths]\ntemplates = "office"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "DOCGEN_SETTINGS"}
    out = subprocess.run(
        [sys.executable, "-m", "docgen", "templates", "check"], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("application_form.docx") == 1  # the office's copy only
    assert "reason_letter.docx" in out.stdout  # the built-in ones still in use are checked
