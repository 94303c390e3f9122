"""A client's handout says what the client brings, in the client's language (issue 18, point 9).

The office's own documents (申請書, 理由書, 説明書, 了解書, check sheets …) are listed apart under 「事務所が作成」;
no Japanese is left in a translated handout except an official name deliberately kept in 「」; a photo is
taken, not issued; a Chinese handout is printed with the Chinese face of Noto CJK; and a client whose
language has no 了解書 translation gets the English one with a note in the packet's summary.
"""

from __future__ import annotations

import re
import shutil
import struct
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from docx import Document
from pypdf import PdfReader

from docgen.assessment import assess_case
from docgen.case import Settings
from docgen.checklist import build_checklist, case_checklist
from docgen.documents.generate import GENERATED
from docgen.packet.build import build_packet
from docgen.packet.handout import write_checklist_document
from docgen.packet.handout_rows import prepared_by_office
from tests.conftest import EXAMPLES, RULES, case_of, needs_libreoffice
from tests.test_handout_fonts import _sfnt_cmaps, _to_unicode

KANA = re.compile(r"[\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9d]")
CJK = re.compile(r"[\u3041-\u30ff\u3400-\u9fff\uf900-\ufaff]")
KEPT = re.compile(r"「[^「」]*」")  # an official Japanese name kept on purpose, beside its translation
ERA_YEARS = re.compile(r"令和\d+年度([〜・]令和\d+年度)*")  # how certificates are labelled, beside the Western years
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
ON = date(2027, 2, 10)


def tables(docx: Path) -> list[list[list[str]]]:
    """Each table of the handout: rows of cell texts (the header row first)."""
    return [[[c.text for c in r.cells] for r in t.rows] for t in Document(str(docx)).tables]


def text_of(docx: Path) -> str:
    doc = Document(str(docx))
    return "\n".join([p.text for p in doc.paragraphs] + [c for t in tables(docx) for r in t for c in r])


def handout(tmp_path: Path, profile: Path, lang: str) -> tuple[Path, list[str]]:
    """The Word handout of an example in `lang`, and the people's names it prints (their kanji are theirs)."""
    case = case_of(profile, Settings(output_dir=tmp_path))
    checklist = case_checklist(case, assess_case(case))
    out = write_checklist_document(
        checklist, tmp_path / f"{profile.stem}-{lang}.docx", lang, pdf=False, settings=case.settings
    )
    names = {n for i in checklist.items for p in i.people for n in (p.name, p.applicant)} | set(checklist.applicants)
    return out, sorted(names, key=len, reverse=True)


def leftovers(text: str, names: list[str], lang: str) -> list[str]:
    """The lines of a translated handout with Japanese outside a 「」 gloss: kana for Chinese; any Japanese
    character for English, besides the people's names and the 令和 年度 printed next to the years."""
    out = []
    for line in text.splitlines():
        rest = KEPT.sub("", line)
        if lang == "en":
            for name in names:
                rest = rest.replace(name, "")
            rest = ERA_YEARS.sub("", rest)
        if (KANA if lang == "zh" else CJK).search(rest):
            out.append(line)
    return out


# ---------------------------------------------------------------- what the client brings


def test_the_chinese_familys_handout_lists_only_what_they_bring_and_the_office_documents_apart(tmp_path):
    docx, _ = handout(tmp_path, EXAMPLES / "gijinkoku-family.yaml", "zh")
    text = text_of(docx)
    bring, office = tables(docx)
    assert text.index("需要您准备的材料") < text.index("由事务所制作")
    assert "以下材料由事务所制作，您无需准备" in text
    brought = "\n".join(r[2] for r in bring[1:])
    prepared = "\n".join(r[2] for r in office[1:])
    for document in ("永住许可申请书", "理由书", "身份保证书", "了解书", "提交材料检查表", "自我检查表"):
        assert document not in brought, document
        assert document in prepared, document
    for document in ("照片", "住民票", "护照", "在留卡", "国税纳税证明书"):
        assert document in brought and document not in prepared, document
    assert all(r[0] == "□" for r in bring[1:]) and all(r[0] == "" for r in office[1:])  # nothing to tick
    assert all("由事务所制作" in r[2] for r in office[1:])
    # the numbers stay those of the evidence folders and the index: the office's rows leave gaps
    numbers = sorted(int(r[1]) for t in (bring, office) for r in t[1:])
    assert numbers == list(range(1, len(numbers) + 1))


def test_who_prepares_comes_from_the_rule_data_and_the_documents_docgen_fills_are_the_offices():
    """One fact read by the handout, the case page and the missing lists: every document docgen fills in is
    `prepared_by: office` in the rule data."""
    for category in RULES.book.categories:
        items = build_checklist(RULES.book, category, ON, RULES.release_day).items
        assert all(i.rule.prepared_by == "office" for i in items if i.id in GENERATED), category
    checklist = build_checklist(RULES.book, "teijusha", ON, RULES.release_day)
    office = {i.id for i in checklist.items if prepared_by_office(i)}
    assert {"application_form", "reason_letter", "acknowledgement", "guarantor_letter"} <= office  # docgen fills
    assert {"submission_checksheet", "self_checksheet"} <= office  # prepared_by: office
    assert not office & {"photo", "residence_certificate", "passport", "residence_card", "guarantor_id"}


def test_the_points_evidence_stays_with_the_client_while_the_office_makes_the_table(tmp_path):
    docx, _ = handout(tmp_path, EXAMPLES / "hsp-points-80.yaml", "en")
    bring, office = tables(docx)
    assert any("Evidence for the highly skilled professional points" in r[2] for r in bring[1:])
    assert any("points" in r[2].lower() and "Prepared by the office" in r[2] for r in office[1:])


def test_a_photo_is_taken_within_three_months_not_issued(tmp_path):
    zh, _ = handout(tmp_path, EXAMPLES / "gijinkoku-single.yaml", "zh")
    en, _ = handout(tmp_path, EXAMPLES / "gijinkoku-single.yaml", "en")
    photo_zh = next(r for r in tables(zh)[0] if r[2].startswith("照片"))
    photo_en = next(r for r in tables(en)[0] if r[2].startswith("Photograph"))
    assert photo_zh[3].startswith("申请前3个月内拍摄（") and "开具" not in photo_zh[3]
    assert photo_en[3].startswith("taken within 3 months before applying") and "dated" not in photo_en[3]
    residence = next(r for r in tables(zh)[0] if r[2].startswith("住民票"))
    assert residence[3].endswith("以后开具")  # a certificate is issued


# ---------------------------------------------------------------- no Japanese left in a translation


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_japanese_is_left_in_any_translated_handout_of_any_example(tmp_path, lang):
    found = {}
    for profile in EXAMPLE_FILES:
        docx, names = handout(tmp_path, profile, lang)
        text = text_of(docx)
        assert "就労" not in text
        if bad := leftovers(text, names, lang):
            found[profile.name] = bad
    assert not found, found


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_japanese_is_left_in_the_handout_case_new_makes_for_any_category(tmp_path, lang):
    found = {}
    for category in RULES.book.categories:
        checklist = build_checklist(RULES.book, category, ON, RULES.release_day)
        docx = write_checklist_document(checklist, tmp_path / f"{category}.docx", lang, pdf=False, settings=Settings())
        if bad := leftovers(text_of(docx), [], lang):
            found[category] = bad
    assert not found, found


def test_official_names_kept_in_japanese_stand_in_brackets_next_to_a_translation(tmp_path):
    docx, _ = handout(tmp_path, EXAMPLES / "gijinkoku-single.yaml", "en")
    text = text_of(docx)
    assert "eligibility certificate 「資格確認書」" in text
    assert "notice of eligibility information 「資格情報のお知らせ」" in text
    zh, _ = handout(tmp_path, EXAMPLES / "gijinkoku-single.yaml", "zh")
    assert "申请类型: 「技術・人文知識・国際業務」" in text_of(zh)  # the status as on the residence card


def test_the_japanese_handout_keeps_japanese_headings_and_the_staff_notices(tmp_path):
    docx, _ = handout(tmp_path, EXAMPLES / "gijinkoku-family.yaml", "ja")
    text = text_of(docx)
    assert "お持ちいただく書類" in text and "事務所が作成" in text
    assert "提出書類チェックシート（就労用）" in text  # Japanese: the sheet's own name


# ---------------------------------------------------------------- printed in the Chinese face


def _faces(ttc: Path) -> dict[str, dict[int, int]]:
    """PostScript name -> the Unicode cmap of each face of a font collection (Noto CJK: one glyph program)."""
    data = ttc.read_bytes()
    count = struct.unpack(">I", data[8:12])[0]
    out: dict[str, dict[int, int]] = {}
    for offset in struct.unpack(f">{count}I", data[12 : 12 + 4 * count]):
        tables_ = {}
        for i in range(struct.unpack(">H", data[offset + 4 : offset + 6])[0]):
            tag, _, at, length = struct.unpack(">4sIII", data[offset + 12 + 16 * i : offset + 28 + 16 * i])
            tables_[tag.decode("latin-1")] = data[at : at + length]
        name = tables_["name"]
        n, strings = struct.unpack(">HH", name[2:6])
        records = [struct.unpack(">6H", name[6 + 12 * i : 18 + 12 * i]) for i in range(n)]
        ps = next(name[strings + o : strings + o + ln] for *_, nid, ln, o in records if nid == 6)
        cmaps = _sfnt_cmaps(tables_["cmap"])
        out[ps.decode("utf-16-be")] = cmaps.get((3, 10)) or cmaps[(3, 1)]
    return out


@pytest.fixture(scope="module")
def chinese_pdf(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("handout-zh")
    case = case_of(EXAMPLES / "gijinkoku-family.yaml", Settings(output_dir=tmp))
    checklist = case_checklist(case, assess_case(case))
    return write_checklist_document(checklist, tmp / "zh.pdf", "zh", pdf=True, settings=case.settings)


@needs_libreoffice()
@pytest.mark.libreoffice
def test_the_chinese_handout_pdf_lists_the_office_documents_apart(chinese_pdf):
    text = "".join(p.extract_text() for p in PdfReader(str(chinese_pdf)).pages)
    bring, office = text.split("由事务所制作", 1)
    assert "需要您准备的材料" in bring and "照片" in bring and "理由书" not in bring
    assert "理由书" in office and "提交材料检查表（工作类在留资格用）" in office.replace("\n", "")


@needs_libreoffice()
@pytest.mark.libreoffice
def test_the_chinese_handout_embeds_the_chinese_face_of_noto_cjk(chinese_pdf):
    """pdffonts names every subset NotoSerifCJKjp / NotoSansCJKjp: the collection's faces share one glyph
    program whose name is the Japanese one. What makes a face Chinese is which glyph it maps a character to
    (令, 关, 直 … differ between the faces): every Chinese character the PDF draws must be drawn with the glyph
    the SC face maps it to, and characters whose Japanese glyph differs must not use it."""
    collections = {
        "Serif": _faces(Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")),
        "Sans": _faces(Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")),
    }
    reader = PdfReader(str(chinese_pdf))
    embedded = {str(f["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert embedded and all(re.search(r"\+Noto(Serif|Sans)CJK", f) for f in embedded), embedded  # no IPAex
    checked: dict[str, bool] = {}
    with pikepdf.open(chinese_pdf) as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                faces = collections["Serif" if "Serif" in str(font.BaseFont) else "Sans"]
                sc = next(cmap for name, cmap in faces.items() if re.search(r"CJKsc-", name))
                jp = next(cmap for name, cmap in faces.items() if re.search(r"CJKjp-", name))
                stream = font.FontDescriptor.FontFile
                clear = stream.read_bytes()[: int(stream.Length1)].decode("latin-1")
                to_unicode = _to_unicode(font)
                for code, glyph in re.findall(r"dup (\d+) */cid(\d+) put", clear):
                    char = to_unicode.get(int(code), "")
                    if len(char) == 1 and "\u4e00" <= char <= "\u9fff":
                        assert sc.get(ord(char)) == int(glyph), (char, glyph, sc.get(ord(char)))
                        checked[char] = sc[ord(char)] != jp.get(ord(char))
    assert len(checked) > 100 and sum(checked.values()) > 20  # many characters, many with a Chinese form


# ---------------------------------------------------------------- the 了解書 in the client's language


def test_a_korean_clients_packet_gets_the_english_translation_and_the_note_saying_so(tmp_path):
    result = build_packet(
        case_of(EXAMPLES / "keiei-kanri-owner.yaml", Settings(output_dir=tmp_path)), out=tmp_path / "kim", pdf=False
    )
    assert [p.name for p in result.client_documents] == ["2026-103-kim-acknowledgement_translation_en_kim_minsu.docx"]
    note = "金 民洙: 了解書の参考訳は韓国語のものがないため、英語の参考訳を client/ に入れました。"
    assert any(n.startswith(note) for n in map(str, result.notes))
    assert note in (tmp_path / "kim" / "2026-103-kim-missing.txt").read_text(encoding="utf-8")


def test_the_offices_korean_translation_is_used_when_it_has_one(tmp_path):
    office = tmp_path / "office"
    office.mkdir()
    # the office's own file (here the English one under the Korean name: the test is about which file is used)
    shutil.copyfile(
        EXAMPLES.parent / "templates" / "acknowledgement_translation_en.docx",
        office / "acknowledgement_translation_ko.docx",
    )
    settings = Settings(output_dir=tmp_path, template_dir=office)
    result = build_packet(case_of(EXAMPLES / "keiei-kanri-owner.yaml", settings), out=tmp_path / "kim", pdf=False)
    assert [p.name for p in result.client_documents] == ["2026-103-kim-acknowledgement_translation_ko_kim_minsu.docx"]
    assert not any("韓国語のものがない" in n for n in map(str, result.notes))


def test_a_chinese_client_still_gets_the_chinese_translation_and_no_note(tmp_path):
    result = build_packet(
        case_of(EXAMPLES / "gijinkoku-single.yaml", Settings(output_dir=tmp_path)), out=tmp_path / "wang", pdf=False
    )
    assert [p.name.split("-")[-1] for p in result.client_documents] == [
        "acknowledgement_translation_zh_wang_xiaoming.docx"
    ]
    assert not any("参考訳は" in n and "ものがない" in n for n in map(str, result.notes))
