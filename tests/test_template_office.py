"""Templates checked against what the packet will give them.

Staff put the office's name in the 理由書 header with {{ agent.name }}. Whether a packet can fill it depends on
the office settings: `agent` (取次者) is the profile's filing_agent, or docgen.toml [office] when the profile has
none, or empty. `docgen templates check` says so before a packet is tried, naming the template, the part
(本文 / ヘッダー / フッター) and the paragraph; `templates preview` and `packet` fill the office in the same way,
and stop before any work when the case has no 取次者.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from docgen.documents.render import render_docx
from docgen.documents.template_check import check_template
from tests.conftest import EXAMPLES, ROOT, needs_libreoffice
from tests.test_cli import docgen
from tests.test_template_check import context, new_document, paragraph_texts, save  # noqa: F401  (context: fixture)

OFFICE = """
[office]
name = "鈴木 一郎"
office = "鈴木行政書士事務所"
registration_number = "第99999999号"
address = "東京都新宿区西新宿二丁目8番1号"
phone = "03-5555-6666"
"""
UNGUARDED = "{{ agent.office }} 取次者 {{ agent.name }}"
JA = {"DOCGEN_LANG": "ja"}  # the messages staff read by default (the suite runs in English: tests/conftest.py)
GUARDED = "{% if agent %}{{ agent.office }} 取次者 {{ agent.name }}{% endif %}"


def office_folder(tmp_path: Path, header: str, *, office: bool) -> Path:
    """A working folder as an office sets it up: docgen.toml (with or without [office]), the built-in 理由書 with
    the office's header in office/templates, and a client's profile that names no filing agent."""
    templates = tmp_path / "office" / "templates"
    templates.mkdir(parents=True)
    doc = Document(str(ROOT / "templates" / "reason_letter.docx"))
    section = doc.sections[0]
    section.header.is_linked_to_previous = False
    section.header.paragraphs[0].text = header
    doc.save(str(templates / "reason_letter.docx"))
    settings = '[paths]\ntemplates = "office/templates"\n' + (OFFICE if office else "")
    (tmp_path / "docgen.toml").write_text(settings, encoding="utf-8")
    example = (EXAMPLES / "gijinkoku-single.yaml").read_text(encoding="utf-8")
    assert example.count("\nfiling_agent:") == 1 and example.rstrip().endswith("phone: 03-3333-4444")
    (tmp_path / "case.yaml").write_text(example.split("\nfiling_agent:")[0] + "\n", encoding="utf-8")
    return templates


def header_of(docx: Path) -> str:
    return "".join(p.text for p in Document(str(docx)).sections[0].header.paragraphs)


def pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(str(path)).pages).replace("\u3000", "").replace(" ", "")


# --- the office has no [office] in docgen.toml ------------------------------------------------


def test_an_office_header_using_the_agent_without_office_settings_fails_the_check_naming_the_header(tmp_path):
    office_folder(tmp_path, UNGUARDED, office=False)
    out = docgen("templates", "check", "office/templates", cwd=tmp_path, env=JA)
    assert out.returncode == 1, out.stdout
    assert "reason_letter.docx:" in out.stdout
    error = next(line for line in out.stdout.splitlines() if "[needs_office]" in line)
    assert error.lstrip().startswith("ERROR [needs_office] (ヘッダー, word/header")
    assert "取次者 'agent' を {% if agent %} の外で使っています" in error and "[office]" in error
    assert f"「{UNGUARDED}」" in out.stdout  # the paragraph, as staff see it in Word
    assert "エラー 1件" in out.stdout  # agent.office and agent.name in one paragraph: reported once


def test_the_packet_stops_before_any_work_with_the_template_and_the_header_named(tmp_path):
    office_folder(tmp_path, UNGUARDED, office=False)
    out = docgen("packet", "case.yaml", "--no-pdf", "--out", "p", cwd=tmp_path, env=JA)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "取次者がいないため書類を作成できません" in out.stderr
    assert "office/templates/reason_letter.docx（ヘッダー" in out.stderr and UNGUARDED in out.stderr
    assert "docgen.toml に [office] を書く" in out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml", "docgen.toml", "office"]  # nothing begun


def test_the_preview_stops_the_same_way_without_office_settings(tmp_path):
    office_folder(tmp_path, UNGUARDED, office=False)
    for profile in ([], ["--profile", "case.yaml"]):  # the example's own 取次者 does not stand in for the office
        out = docgen("templates", "preview", "reason_letter", "--out", "prev", *profile, cwd=tmp_path, env=JA)
        assert out.returncode == 2 and "取次者がいないため書類を作成できません" in out.stderr, out.stderr
        assert "Traceback" not in out.stderr and not (tmp_path / "prev").exists()


def test_a_header_inside_if_agent_passes_without_office_settings_and_the_packet_leaves_it_out(tmp_path):
    office_folder(tmp_path, GUARDED, office=False)
    out = docgen("templates", "check", "office/templates", cwd=tmp_path)
    assert out.returncode == 0 and "reason_letter.docx: OK" in out.stdout, out.stdout
    out = docgen("packet", "case.yaml", "--no-pdf", "--out", "p", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    (letter,) = (tmp_path / "p" / "docx").glob("*reason_letter*.docx")
    assert header_of(letter) == ""


# --- the office has [office] in docgen.toml ---------------------------------------------------


def test_with_office_settings_the_check_passes_with_a_warning_and_the_packet_fills_the_office(tmp_path):
    office_folder(tmp_path, UNGUARDED, office=True)
    out = docgen("templates", "check", "office/templates", cwd=tmp_path, env=JA)
    assert out.returncode == 0, out.stdout
    warning = next(line for line in out.stdout.splitlines() if "[needs_office]" in line)
    assert warning.lstrip().startswith("WARNING [needs_office] (ヘッダー") and "[office] が取次者になる" in warning
    out = docgen("packet", "case.yaml", "--no-pdf", "--out", "p", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    (letter,) = (tmp_path / "p" / "docx").glob("*reason_letter*.docx")
    assert header_of(letter) == "鈴木行政書士事務所 取次者 鈴木 一郎"


@needs_libreoffice()
@pytest.mark.libreoffice
def test_the_preview_shows_the_office_in_the_header(tmp_path):
    office_folder(tmp_path, UNGUARDED, office=True)
    out = docgen("templates", "preview", "reason_letter", "--out", "prev", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    text = pdf_text(tmp_path / "prev" / "2026-101-wang-preview-reason_letter.pdf")
    assert "鈴木行政書士事務所取次者鈴木一郎" in text  # the office template's header, with [office] as 取次者
    assert "山田" not in text  # not the example profile's made-up 取次者
    assert "王小明" in text  # the example applicant, filled in


# --- every header and footer is checked like the body -----------------------------------------


def every_part_document(tmp_path: Path, text: str) -> Path:
    """A document with `text` (naming its place) in the body and in every kind of header and footer Word makes:
    first-page and even-page ones, and those of a second section."""
    from docx.enum.section import WD_SECTION

    doc = new_document()
    doc.add_paragraph(text.replace("{place}", "本文"))
    second = doc.add_section(WD_SECTION.NEW_PAGE)  # before any header, so that each section has its own
    first = doc.sections[0]
    first.different_first_page_header_footer = True
    parts = {
        "セクション1のヘッダー": first.header,
        "セクション1のヘッダー（1ページ目）": first.first_page_header,
        "セクション1のヘッダー（偶数ページ）": first.even_page_header,
        "セクション1のフッター": first.footer,
        "セクション1のフッター（1ページ目）": first.first_page_footer,
        "セクション1のフッター（偶数ページ）": first.even_page_footer,
        "セクション2のヘッダー": second.header,
        "セクション2のフッター": second.footer,
    }
    for place, part in parts.items():
        part.is_linked_to_previous = False
        part.paragraphs[0].text = text.replace("{place}", place)
    return save(doc, tmp_path, "every-part.docx")


EVERY_PLACE = [
    "本文",
    "セクション1のヘッダー",
    "セクション1のヘッダー（1ページ目）",
    "セクション1のヘッダー（偶数ページ）",
    "セクション1のフッター",
    "セクション1のフッター（1ページ目）",
    "セクション1のフッター（偶数ページ）",
    "セクション2のヘッダー",
    "セクション2のフッター",
]


def test_every_header_and_footer_is_checked_like_the_body_and_named_as_in_word(tmp_path):
    path = every_part_document(tmp_path, "{place} {{ case.case_idd }} {{ agent.name }}")
    findings = check_template(path)
    for code in ("unknown_attribute", "needs_office"):
        found = {f.place: f for f in findings if f.code == code}
        assert sorted(found) == sorted(EVERY_PLACE), code
        for place, f in found.items():
            assert f.severity == "error" and f.context.startswith(place)
            assert str(f).startswith(f"every-part.docx ({place}, word/")


def test_the_parts_checked_are_the_parts_the_packet_fills(tmp_path, context):  # noqa: F811
    path = every_part_document(tmp_path, "{place} {{ case.case_id }} {% if agent %}{{ agent.office }}{% endif %}")
    assert check_template(path) == []
    rendered = paragraph_texts(render_docx(path, context, tmp_path / "out.docx"))
    filled = [text for texts in rendered.values() for text in texts if text]
    assert len(filled) == len(EVERY_PLACE)
    assert all(text.endswith(f"{context.case.case_id} {context.agent.office}") for text in filled), filled


# --- the general rule: a value that may be empty is used inside a guard ----------------------


@pytest.mark.parametrize(
    "tag",
    [
        "{% if agent %}{{ agent.name }}{% endif %}",
        "{%p if agent %}",
        "{% if not agent %}（取次者なし）{% else %}{{ agent.name }}{% endif %}",
        "{% if agent is not none %}{{ agent.name }}{% endif %}",
        "{% if supporter %}{% elif agent %}{{ agent.name }}{% endif %}",
        "{{ agent.name if agent else '' }}",
        "{{ agent and agent.name }}",
        "{{ agent.name|default('') }}",
        "{% if supporter and supporter.income %}{{ supporter.income[-1].amount|yen }}{% endif %}",
        "{% for a in applicants if a.employer %}{{ a.employer.name }}{% endfor %}",
        "{% for t in applicant.trips %}{{ t.return_date|seireki }}{% endfor %}",  # filters take an empty date
    ],
)
def test_a_value_that_may_be_empty_passes_inside_a_guard(tmp_path, tag):
    doc = new_document()
    doc.add_paragraph(tag)
    if tag.startswith("{%p if"):
        doc.add_paragraph("{{ agent.name }}")
        doc.add_paragraph("{%p endif %}")
    assert check_template(save(doc, tmp_path)) == []


@pytest.mark.parametrize(
    ("tag", "value"),
    [
        ("{{ supporter.name }}", "supporter"),
        ("{{ applicant.employer.name }}", "applicant.employer"),
        ("{% for t in applicant.trips %}{{ t.return_date.year }}{% endfor %}", "t.return_date"),
        ("{% if agent or supporter %}{{ supporter.name }}{% endif %}", "supporter"),
        ("{% if applicant.employer.name %}在職{% endif %}", "applicant.employer"),
    ],
)
def test_a_value_that_may_be_empty_used_without_a_guard_is_an_error(tmp_path, monkeypatch, tag, value):
    monkeypatch.setenv("DOCGEN_LANG", "ja")
    doc = new_document()
    doc.add_paragraph(tag)
    (finding,) = check_template(save(doc, tmp_path))
    assert finding.code == "may_be_empty" and finding.severity == "error" and finding.place == "本文"
    assert finding.message.startswith(f"'{value}' は案件によって空（なし）になる項目です")
    assert f"{{% if {value} %}}" in finding.message


def test_office_settings_make_the_agent_a_warning_but_not_other_empty_values(tmp_path):
    doc = new_document()
    doc.add_paragraph("{{ agent.name }} {{ supporter.name }}")
    findings = check_template(save(doc, tmp_path), office=True)
    assert sorted((f.code, f.severity) for f in findings) == [("may_be_empty", "error"), ("needs_office", "warning")]


# --- an office header that asks for too much (the payloads themselves: tests/faults/test_template_limits.py) ---


def test_a_header_asking_for_a_huge_width_fails_the_check_and_stops_the_preview_naming_the_template(tmp_path):
    header = "{{ agent.office|center(10**9) }}"
    office_folder(tmp_path, header, office=True)
    out = docgen("templates", "check", "office/templates", cwd=tmp_path, env=JA)
    assert out.returncode == 1, out.stdout
    error = next(line for line in out.stdout.splitlines() if "[unbounded]" in line)
    assert error.lstrip().startswith("ERROR [unbounded] (ヘッダー, word/header")
    assert "「agent.office|center」の幅が 1,000,000,000 です。上限は 1,000" in error
    assert f"「{header}」" in out.stdout

    out = docgen("templates", "preview", "reason_letter", "--out", "prev", cwd=tmp_path, env=JA)
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert (
        "テンプレート reason_letter.docx: 大きすぎる指定があります（|center の幅 1,000,000,000 は大きすぎます"
        in out.stderr
    ), out.stderr
    assert not list(tmp_path.glob("prev/*"))  # no preview written
