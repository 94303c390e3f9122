"""The printable checklist handout (A4, a tick box per item) as Word or PDF."""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from docgen.case.settings import Settings
from docgen.checklist.model import Checklist
from docgen.checklist.output import LABELS
from docgen.documents.context import ApplicantName, ChecklistCase, ChecklistContext
from docgen.documents.render import render_docx
from docgen.errors import DocgenError
from docgen.packet.handout_rows import handout_rows
from docgen.packet.handout_words import HEADINGS, official_name
from docgen.packet.safe_write import private_file
from docgen.pdf.convert import CHINESE_FONTS, REQUIRED_FONTS
from docgen.pdf.converter import COLD, Converter
from docgen.private_folders import private_folder
from docgen.rules.periods import Lang
from docgen.text import Text

# The fonts each handout's PDF needs: the Japanese one only IPAex; the English one also Noto CJK SC, which
# LibreOffice falls back to for names in simplified Chinese; the Chinese one is set in Noto CJK SC.
HANDOUT_FONTS: dict[Lang, tuple[str, ...]] = {
    "ja": REQUIRED_FONTS,
    "en": REQUIRED_FONTS + CHINESE_FONTS,
    "zh": CHINESE_FONTS,
}
CHINESE_SERIF = "SimSun"  # 宋体; docgen/fonts/fonts.conf: Noto Serif CJK SC
CHINESE_SANS = "Microsoft YaHei"  # 微软雅黑; docgen/fonts/fonts.conf: Noto Sans CJK SC
_FONT_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")


def _date_label(d: date, lang: Lang) -> str:
    return d.isoformat() if lang == "en" else f"{d.year}年{d.month}月{d.day}日"


def checklist_context(checklist: Checklist, lang: Lang) -> ChecklistContext:
    """The handout's context. `checklist` holds the client's rows, then the office's, whose action is
    `labels.office` (「事務所が作成」 in the client's language): the template lists them apart under that heading,
    and a template that does not (an office's own) still shows the client that the office makes them."""
    split = handout_rows(checklist, lang)
    name = checklist.category_name.get(lang, checklist.category)
    return ChecklistContext(
        case=ChecklistCase(
            category=checklist.category,
            category_name=official_name(name, checklist.category_name.get("ja", name), lang),
            application_date=checklist.application_date,
        ),
        applicants=[ApplicantName(display_name=n) for n in checklist.applicants],
        checklist=split.bring + split.office,
        labels={**LABELS[lang], **HEADINGS[lang], "date_value": _date_label(checklist.application_date, lang)},
        notices=checklist.warnings if lang == "ja" else [],  # staff's Japanese notes: the office reads them
    )


def chinese_font(name: str) -> str | None:
    """The simplified-Chinese font for a Japanese one (明朝 → SimSun, ゴシック → Microsoft YaHei), else None."""
    key = unicodedata.normalize("NFKC", name).casefold().replace(" ", "")
    if "明朝" in key or "mincho" in key:
        return CHINESE_SERIF
    if any(k in key for k in ("ゴシック", "gothic", "メイリオ", "meiryo")):
        return CHINESE_SANS
    return None


def use_chinese_fonts(docx: Path) -> None:
    """Set a rendered handout in simplified-Chinese fonts, with 中文 (zh-CN) as its East Asian language.

    The templates name ＭＳ 明朝 / ＭＳ ゴシック, which become IPAex in the PDF: a Japanese font without most
    simplified characters (许, 请 …; LibreOffice prints boxes or borrows another font) and with the Japanese forms
    of the shared ones (令, 关 …). SimSun and Microsoft YaHei are on every Windows PC for the Word handout;
    docgen/fonts/fonts.conf resolves them to Noto Serif / Sans CJK SC for the PDF. Other fonts are left alone.
    """
    document = Document(str(docx))
    for part in document.part.package.iter_parts():
        element = getattr(part, "element", None)  # XML parts: document, styles, numbering, headers, footers
        if element is None:
            continue
        for fonts in element.iter(qn("w:rFonts")):
            for slot in _FONT_SLOTS:
                name = fonts.get(qn(f"w:{slot}"))
                chinese = chinese_font(name) if name else None
                if chinese:
                    fonts.set(qn(f"w:{slot}"), chinese)
        for lang in element.iter(qn("w:lang")):
            lang.set(qn("w:eastAsia"), "zh-CN")
    document.save(str(docx))


def write_checklist_document(
    checklist: Checklist,
    target: Path,
    lang: Lang,
    *,
    pdf: bool,
    settings: Settings,
    inputs: Sequence[Path] = (),
    converter: Converter = COLD,
) -> Path:
    """Render templates/checklist.docx (or the office's) and, for PDF, convert it with `converter`; `inputs` (the
    profile) are never overwritten."""
    template, _ = settings.template("checklist")
    target = Path(target)
    suffix = ".pdf" if pdf else ".docx"
    if target.suffix.lower() != suffix:
        raise DocgenError(
            Text(
                f"{target}: この形式では {suffix} のファイル名にしてください（何も書き出していません）",
                f"{target}: a {suffix} file name is needed for this format; nothing was written",
            )
        )
    private_folder(target.parent)
    with tempfile.TemporaryDirectory(prefix="docgen-checklist-") as tmp:
        docx = render_docx(template, checklist_context(checklist, lang), Path(tmp) / f"{target.stem}.docx")
        if lang == "zh":
            use_chinese_fonts(docx)
        per_document = settings.pdf_seconds_per_document
        produced = (
            converter.convert([docx], Path(tmp) / "pdf", per_document, fonts=HANDOUT_FONTS[lang])[0] if pdf else docx
        )
        with private_file(target, inputs) as part:
            shutil.copyfile(produced, part)
    return target
