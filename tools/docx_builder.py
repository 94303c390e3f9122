"""Small helpers to author the built-in Word templates with python-docx.

Only used by tools/build_templates.py (run by a developer when the built-in templates
change). Staff edit the resulting .docx files in Word; these helpers keep the authoring
rules from peers-and-pitfalls.md: explicit East-Asian fonts (no theme or 游 fonts),
exact line spacing, no document grid, A4.
"""

from __future__ import annotations

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

MINCHO = "ＭＳ 明朝"
GOTHIC = "ＭＳ ゴシック"


def _set_fonts(rpr, font: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    for kind in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{kind}"), font)


def new_document(font: str = MINCHO, size: float = 10.5) -> Document:
    """An A4 document whose every style uses explicit Japanese fonts."""
    doc = Document()
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr_default, font)
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:eastAsia"), "ja-JP")
    for style in styles.findall(qn("w:style")):
        rpr = style.find(qn("w:rPr"))
        if rpr is not None and rpr.find(qn("w:rFonts")) is not None:
            _set_fonts(rpr, GOTHIC if style.get(qn("w:styleId"), "").startswith(("Heading", "Title")) else font)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(size)
    _set_fonts(normal.element.get_or_add_rPr(), font)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(size * 1.55)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(15)
    section.left_margin = section.right_margin = Mm(18)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is not None:
        section._sectPr.remove(grid)
    return doc


def para(
    doc_or_cell,
    text: str = "",
    *,
    bold: bool = False,
    size: float | None = None,
    align: str | None = None,
    font: str | None = None,
    space_after: float = 0,
    keep: bool = False,
):
    """Add a paragraph with one run (tags typed in one run never split)."""
    p = doc_or_cell.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        if font:
            run.font.name = font
            _set_fonts(run._element.get_or_add_rPr(), font)
    if align:
        p.alignment = {
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        }[align]
    if space_after:
        p.paragraph_format.space_after = Pt(space_after)
    if size:
        p.paragraph_format.line_spacing = Pt(size * 1.5)
    if keep:
        p.paragraph_format.keep_with_next = True
    return p


def cell_text(cell, text: str, *, bold: bool = False, size: float | None = None, align: str | None = None) -> None:
    """Replace a cell's content with one paragraph of text."""
    cell.paragraphs[0].text = ""
    p = cell.paragraphs[0]
    run = p.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
        p.paragraph_format.line_spacing = Pt(size * 1.45)
    if align:
        p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]


def grid_table(doc, rows: int, widths_mm: list[float], *, size: float | None = 9):
    """A bordered table with fixed column widths (mm)."""
    table = doc.add_table(rows=rows, cols=len(widths_mm))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for i, w in enumerate(widths_mm):
        table.columns[i].width = Mm(w)
    for row in table.rows:
        for i, w in enumerate(widths_mm):
            row.cells[i].width = Mm(w)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    if size:
        for row in table.rows:
            for c in row.cells:
                for p in c.paragraphs:
                    p.paragraph_format.line_spacing = Pt(size * 1.45)
    return table


def shade(cell, fill: str = "EDEDED") -> None:
    tcpr = cell._element.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def row_height(row, mm: float) -> None:
    trpr = row._tr.get_or_add_trPr()
    h = OxmlElement("w:trHeight")
    h.set(qn("w:val"), str(int(mm * 56.7)))
    h.set(qn("w:hRule"), "atLeast")
    trpr.append(h)


def repeat_header(row) -> None:
    """Repeat this row at the top of every page the table runs onto."""
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:tblHeader"))


def page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


__all__ = [
    "GOTHIC",
    "MINCHO",
    "WD_SECTION",
    "cell_text",
    "grid_table",
    "new_document",
    "page_break",
    "para",
    "repeat_header",
    "row_height",
    "shade",
]
