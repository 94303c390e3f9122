"""Forms closer to the official ones (issue 9, item 10).

The 申請書 follows 別記第三十四号様式 as far as the reference shows it (§3.1): items 1–16 on その1 (16 経歴
there, as the official sheet has it), 17–20 on その2, item 15's sub-fields (当時の国籍・地域, 氏名, 生年月日),
西暦 dates, and the official form's English where the reference gives it (§11.10); the English it lacks is
the office's to copy once into its template (tests/test_forms_official.py).

Each applicant whose language is not Japanese gets the 了解書 as a reference translation in that language
(§10.14): headed as not the official form in Japanese and in the client's language, the Japanese text beside
it, kept in the packet's client/ folder: not bundled, not in the 提出書類一覧表, not submitted.
"""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from docgen.case import Settings
from docgen.languages import nationality_language
from docgen.packet.build import PacketResult, build_packet
from tests.conftest import EXAMPLES, case_of, needs_libreoffice
from tests.test_handout_fonts import assert_every_character_prints, drawn_characters

HEADER_EN = "Part 1 (Permanent Residence) Ministry of Justice, Government of Japan"
PREAMBLE_EN = (
    "Pursuant to the provisions of Paragraph 1 of Article 22 (including the cases where the same shall apply"
    " mutatis mutandis under Paragraph 4 of Article 22-2 and including the cases where the same shall apply"
    " mutatis mutandis under Article 22-3) of the Immigration Control and Refugee Recognition Act, I hereby apply"
    " for Permanent Resident."
)
NOT_OFFICIAL_JA = "参考訳 — 正式な様式ではありません"
NOT_OFFICIAL_ZH = "参考译文 — 并非正式表格"
NOT_OFFICIAL_EN = "Reference translation — not the official form"


def chinese_family(folder: Path) -> Path:
    """The example family with a Chinese wife (刘 晓丽: simplified characters the Japanese fonts lack) and a
    husband who once entered Japan under another name (item 15)."""
    text = (EXAMPLES / "gijinkoku-family.yaml").read_text(encoding="utf-8")
    wife = "    family_name: TRAN\n    given_name: THI BINH\n    nationality: ベトナム\n"
    history = "  residence_history:\n    - {status: 留学, start: 2012-10-01, end: 2016-03-31}\n"
    assert wife in text and history in text
    text = text.replace(
        wife, "    family_name: LIU\n    given_name: XIAOLI\n    name_kanji: 刘 晓丽\n    nationality: 中国\n"
    )
    text = text.replace(
        history,
        "  other_identities:\n    - {nationality: ベトナム, name: NGUYEN VAN ANH, birth_date: 1988-09-30}\n" + history,
    )
    path = folder / "chinese-family.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _paragraph(p) -> str:
    """A paragraph's text, its line breaks as newlines."""
    return "".join((el.text or "") if el.tag == qn("w:t") else "\n" for el in p.iter(qn("w:t"), qn("w:br")))


def body_texts(docx: Path) -> list[str]:
    """Every paragraph and table cell of the document body, in reading order (a merged cell once)."""
    out: list[str] = []
    for block in Document(str(docx)).element.body.iterchildren():
        if block.tag == qn("w:p"):
            out.append(_paragraph(block))
        elif block.tag == qn("w:tbl"):
            out += ["\n".join(map(_paragraph, tc.iter(qn("w:p")))) for tc in block.iter(qn("w:tc"))]
    return out


def squeeze(text: str) -> str:
    return re.sub(r"[ \u3000]", "", text)


@pytest.fixture(scope="module")
def word_packet(tmp_path_factory) -> PacketResult:
    tmp = tmp_path_factory.mktemp("forms-word")
    return build_packet(case_of(chinese_family(tmp), Settings(output_dir=tmp)), out=tmp / "packet", pdf=False)


def documents(result: PacketResult, kind: str) -> dict[str, Path]:
    """The packet's filled documents of one kind, by the person's file slug."""
    return {p.stem.split(f"{kind}_", 1)[1]: p for p in result.documents if f"_{kind}_" in p.name}


# ---------------------------------------------------------------- the 申請書


def test_the_form_numbers_its_items_1_to_20_with_16_on_the_first_sheet(word_packet):
    texts = body_texts(documents(word_packet, "application_form")["nguyen_van_an"])
    numbers = list(dict.fromkeys(int(m.group(1)) for t in texts if (m := re.match(r"(\d{1,2}) [^\d年月日]", t))))
    assert numbers == list(range(1, 21))
    sheet_two = texts.index("その2（永住）")
    at = {n: next(i for i, t in enumerate(texts) if t.startswith(f"{n} ")) for n in (15, 16, 17)}
    assert at[15] < at[16] < sheet_two < at[17]  # 経歴 on その1, 主たる生計維持者 opens その2
    assert texts[0].startswith("その1（永住）")


def test_item_16_lists_the_residence_and_the_work_history_with_western_dates(word_packet):
    form = "\n".join(body_texts(documents(word_packet, "application_form")["nguyen_van_an"]))
    history = form[form.index("16 経歴") : form.index("その2（永住）")]
    assert "在留\n2012年10月1日\n2016年3月31日\n留学" in history
    assert "在留\n2016年4月1日\n現在\n技術・人文知識・国際業務（3年）" in history
    assert "職歴\n2016年4月\n2020年6月\n横浜精機株式会社（設計技術者）" in history
    assert "職歴\n2020年7月\n現在\nみなとテック株式会社（主任技術者）" in history
    assert "令和" not in form and "平成" not in form  # 西暦 on the official form
    assert "1988 年 9 月 3 日" in form


def test_item_15_gives_the_other_identity_in_the_forms_sub_fields(word_packet):
    forms = documents(word_packet, "application_form")
    husband = "\n".join(body_texts(forms["nguyen_van_an"]))
    assert "■有　□無\n（有の場合）\n" in husband
    assert "当時の国籍・地域: ベトナム　氏名: NGUYEN VAN ANH　生年月日: 1988年9月30日" in husband
    son = "\n".join(body_texts(forms["nguyen_minh"]))  # no other identity: 無, the sub-fields left blank
    assert "□有　■無\n（有の場合）当時の国籍・地域:" in son and "氏名:" in son and "生年月日:" in son


def test_the_form_carries_the_official_english_header_and_preamble_and_no_gap(word_packet):
    """The header, the address and the preamble in the form's own English (reference §11.10); what the reference
    lacks (the closing declaration's English) is neither invented nor left as a ［ ］ gap in the packet."""
    texts = body_texts(documents(word_packet, "application_form")["liu_xiaoli"])
    assert texts[1] == HEADER_EN
    head = next(t for t in texts if t.startswith("法務大臣　殿"))
    assert head.splitlines()[:2] == ["法務大臣　殿", "To the Minister of Justice"]
    assert head.endswith("次のとおり永住許可を申請します。\n" + PREAMBLE_EN)  # the cell beside the photo
    assert "以上の記載内容は事実と相違ありません。" in texts
    whole = "\n".join(texts)
    assert "［" not in whole and "要確認" not in whole and "{#" not in whole
    assert whole.count("I hereby") == 1  # the preamble's; no made-up declaration


# ---------------------------------------------------------------- the 了解書 for the client


def test_the_chinese_wife_receives_the_acknowledgement_in_chinese_marked_as_not_the_official_form(word_packet):
    client = {word_packet.names.key(p): p for p in word_packet.client_documents}
    assert all(p.name.startswith("2026-102-nguyen-") for p in word_packet.client_documents)
    assert sorted(client) == [
        "acknowledgement_translation_en_nguyen_minh",
        "acknowledgement_translation_en_nguyen_van_an",
        "acknowledgement_translation_zh_liu_xiaoli",
    ]
    texts = body_texts(client["acknowledgement_translation_zh_liu_xiaoli"])
    assert texts[:2] == [NOT_OFFICIAL_JA, NOT_OFFICIAL_ZH]  # the heading, in Japanese and in Chinese
    whole = "\n".join(texts)
    assert "LIU XIAOLI（刘 晓丽）" in whole
    assert "本译文不提交给出入国在留管理厅" in whole and "署名していただくのは日本語の了解書です" in whole
    # the Japanese text she signs stands beside its translation, row by row
    ack = "\n".join(body_texts(documents(word_packet, "acknowledgement")["liu_xiaoli"]))
    for japanese, chinese in (
        ("(1) 就労状況（退職、転職等）", "(1) 就业状况（离职、换工作等）"),
        ("(5) 刑罰法令違反による刑の確定", "(5) 因违反刑罚法令而被判处的刑罚已确定"),
    ):
        assert japanese in ack
        assert f"{japanese}\n{chinese}" in whole
    assert "如未进行上述申报而获得永住许可，该许可有可能被撤销" in whole


def test_the_chinese_text_is_set_in_chinese_fonts_and_the_japanese_in_japanese_ones(word_packet):
    doc = Document(str(next(p for p in word_packet.client_documents if "_zh_" in p.name)))
    runs = [r for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    chinese = next(r for r in runs if "就业状况" in r.text)
    japanese = next(r for r in runs if "就労状況" in r.text)
    fonts = chinese._element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "SimSun"  # docgen/fonts/fonts.conf: Noto Serif CJK SC
    assert chinese._element.rPr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    assert japanese._element.rPr is None or japanese._element.rPr.rFonts is None  # the document's ＭＳ 明朝


def test_the_vietnamese_husband_and_son_receive_it_in_english(word_packet):
    en = next(p for p in word_packet.client_documents if p.name.endswith("_en_nguyen_van_an.docx"))
    texts = body_texts(en)
    assert texts[:2] == [NOT_OFFICIAL_JA, NOT_OFFICIAL_EN]
    whole = "\n".join(texts)
    assert "(1) 就労状況（退職、転職等）\n(1) Employment (leaving a job, changing jobs, etc.)" in whole
    assert "the permission may be revoked" in whole and "not submitted to the Immigration Services Agency" in whole


def test_the_translations_are_for_the_client_and_not_part_of_what_is_submitted(word_packet):
    folder = word_packet.folder
    assert not any("translation" in p.name for p in word_packet.documents)
    assert not any("translation" in p.name for p in (folder / "docx").iterdir())  # docx/ = what is submitted
    index = "\n".join(body_texts(folder / "docx" / word_packet.names.index))
    assert "了解書" in index and "参考訳" not in index and "translation" not in index.lower()
    items = [i["id"] for i in json.loads((folder / word_packet.names.checklist).read_text(encoding="utf-8"))["items"]]
    assert items.count("acknowledgement") == 1 and not any("translation" in i for i in items)
    report = word_packet.report.read_text(encoding="utf-8")
    assert "了解書の参考訳" in report and "入管には提出しません" in report and "刘 晓丽: 中国語（簡体字）" in report
    manifest = json.loads(word_packet.manifest.read_text(encoding="utf-8"))
    assert {"acknowledgement_translation_en", "acknowledgement_translation_zh"} <= {
        t["name"] for t in manifest["templates"]
    }


def test_a_client_from_taiwan_gets_english_until_the_office_has_a_traditional_chinese_one(tmp_path):
    """ISA publishes the 了解書 in traditional Chinese too; docgen has no built-in copy, so English goes with a
    note saying so (the office may add acknowledgement_translation_zh-TW.docx)."""
    taiwan = build_packet(
        case_of(EXAMPLES / "hsp-points-80.yaml", Settings(output_dir=tmp_path)), out=tmp_path / "tw", pdf=False
    )
    germany = build_packet(
        case_of(EXAMPLES / "hsp-70-holder.yaml", Settings(output_dir=tmp_path)), out=tmp_path / "de", pdf=False
    )
    assert [p.name.split("_")[2] for p in taiwan.client_documents] == ["en"]
    assert "英語の参考訳" in taiwan.report.read_text(encoding="utf-8")
    assert [p.name.split("_")[2] for p in germany.client_documents] == ["en"]
    assert "英語の参考訳" not in germany.report.read_text(encoding="utf-8")  # English is a German client's own choice


@pytest.mark.parametrize(
    ("nationality", "language"),
    [
        ("中国", "zh"),
        ("台湾", "zh-TW"),
        ("中華人民共和国", "zh"),
        ("日本", "ja"),
        ("ベトナム", "vi"),
        ("ブラジル", "pt"),
        ("ドイツ", "en"),
    ],
)
def test_the_clients_language_follows_the_nationality_until_the_profile_records_one(nationality, language):
    assert nationality_language(nationality) == language
    assert nationality_language(unicodedata.normalize("NFKD", nationality) + " ") == language


# ---------------------------------------------------------------- printed (LibreOffice)


@pytest.fixture(scope="module")
def pdf_packet(tmp_path_factory) -> PacketResult:
    tmp = tmp_path_factory.mktemp("forms-pdf")
    return build_packet(case_of(chinese_family(tmp), Settings(output_dir=tmp)), out=tmp / "packet")


@needs_libreoffice()
@pytest.mark.libreoffice
def test_the_printed_form_has_sheet_one_and_sheet_two(pdf_packet):
    pdf = pdf_packet.folder / "pdf" / pdf_packet.names.file("01_application_form_nguyen_van_an.pdf")
    pages = [squeeze(p.extract_text()) for p in PdfReader(str(pdf)).pages]
    assert len(pages) == 2
    assert "その1（永住）" in pages[0] and "16経歴" in pages[0] and "みなとテック株式会社（主任技術者）" in pages[0]
    assert pages[1].startswith("その2（永住）") and "17主たる生計維持者" in pages[1]
    assert squeeze(HEADER_EN) in pages[0] and "TotheMinisterofJustice" in pages[0]
    assert squeeze(PREAMBLE_EN) in pages[0].replace("\n", "")
    assert "［" not in "".join(pages) and "要確認" not in "".join(pages)


@needs_libreoffice()
@pytest.mark.libreoffice
def test_the_printed_chinese_translation_shows_every_character_and_stays_out_of_the_bundle(pdf_packet):
    pdf = next(
        p for p in pdf_packet.client_documents if p.name.endswith("-acknowledgement_translation_zh_liu_xiaoli.pdf")
    )
    text, printed = assert_every_character_prints(pdf)
    assert set("刘晓丽许请") <= printed  # none of them is in the Japanese IPAex fonts
    assert squeeze(NOT_OFFICIAL_ZH) in squeeze(text) and squeeze(NOT_OFFICIAL_JA) in squeeze(text)
    chinese = {d.font for d in drawn_characters(pdf) if d.text in ("许", "请", "证")}
    assert chinese and all("CJK" in f for f in chinese), chinese  # SimSun / Microsoft YaHei -> Noto CJK SC
    assert len(PdfReader(str(pdf)).pages) == 1
    bundle = subprocess.run(["pdftotext", str(pdf_packet.bundle), "-"], capture_output=True, text=True, check=True)
    whole = squeeze(bundle.stdout)
    assert "了解書" in whole
    assert "参考訳" not in whole and "参考译文" not in whole and "Referencetranslation" not in whole
    assert not list((pdf_packet.folder / "pdf").glob("*translation*"))
