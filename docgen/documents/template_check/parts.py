"""The Word parts of a template and the text in them.

In: a .docx opened with docxtpl (`_parts`) or python-docx (`word_parts`), or single XML elements.
Out: the body, headers and footers as XML elements (with the lines docxtpl hands to Jinja and the name staff
know them by: 本文, ヘッダー（1ページ目）, セクション2のフッター …), paragraph text, and the short context
snippets (「…」) that findings show so staff can find the spot in Word.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docxtpl import DocxTemplate
from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
BODY = "本文"
_PAGES = {"first": "（1ページ目）", "even": "（偶数ページ）"}  # w:type of a header/footer reference; default: none


@dataclass
class _Part:
    name: str  # e.g. word/document.xml, word/header1.xml
    element: etree._Element  # the XML as saved by Word
    jinja_lines: list[str]  # what Jinja parses: docxtpl's patched XML, one paragraph per line
    label: str = ""  # what staff call it in Word: 本文, ヘッダー, フッター（偶数ページ）, セクション2のヘッダー …


def part_labels(document: DocxDocument) -> dict[str, str]:
    """Part name -> what staff call it in Word: 本文, ヘッダー, ヘッダー（1ページ目）, フッター（偶数ページ）, and
    セクション2のヘッダー … when the document has several sections (from each section's header/footer references;
    a header or footer no section refers to is plain ヘッダー / フッター)."""
    kinds = {RT.HEADER: "ヘッダー", RT.FOOTER: "フッター"}
    targets = {
        rel.rId: (str(rel.target_part.partname).lstrip("/"), kinds[rel.reltype])
        for rel in document.part.rels.values()
        if rel.reltype in kinds and not rel.is_external
    }
    sections = list(document.element.body.iter(f"{W}sectPr"))
    labels = {"word/document.xml": BODY}
    for number, sect in enumerate(sections, start=1):
        for ref in sect.iterchildren(f"{W}headerReference", f"{W}footerReference"):
            name, kind = targets.get(ref.get(R_ID, ""), ("", ""))
            if name and name not in labels:
                section = f"セクション{number}の" if len(sections) > 1 else ""
                labels[name] = section + kind + _PAGES.get(ref.get(f"{W}type", ""), "")
    for name, kind in targets.values():
        labels.setdefault(name, kind)
    return labels


def word_parts(document: DocxDocument) -> list[tuple[str, etree._Element]]:
    """The parts docxtpl renders, as (part name, live XML element): the body, then the headers, then the footers."""
    out: list[tuple[str, etree._Element]] = [("word/document.xml", document.element.body)]
    for reltype in (RT.HEADER, RT.FOOTER):
        for rel in document.part.rels.values():
            if rel.reltype == reltype and not rel.is_external and rel.target_part.blob:
                out.append((str(rel.target_part.partname).lstrip("/"), rel.target_part.element))
    return out


def _parts(tpl: DocxTemplate) -> list[_Part]:
    """The body, headers and footers, each with the text docxtpl hands to Jinja."""
    out = []
    labels = part_labels(tpl.docx)
    for name, element in word_parts(tpl.docx):
        xml = tpl.patch_xml(etree.tostring(element, encoding="unicode", pretty_print=False))
        xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)  # as docxtpl does: Jinja line n = paragraph n
        out.append(_Part(name, element, xml.split("\n"), labels.get(name, "")))
    return out


def _line_text(line: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", line)).strip()


def _around(lines: list[str], lineno: int | None) -> str:
    """The paragraph text at a Jinja line (XML tags stripped); the nearest non-empty one if blank."""
    if not lineno:
        return ""
    i = lineno - 1
    for d in (0, -1, 1, -2, 2, -3, 3):
        if 0 <= i + d < len(lines):
            text = _line_text(lines[i + d])
            if text:
                return _shorten(text)
    return ""


def _shorten(text: str, limit: int = 160) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _owner_paragraph(el: etree._Element) -> etree._Element | None:
    parent = el.getparent()
    while parent is not None and parent.tag != f"{W}p":
        parent = parent.getparent()
    return parent


def _text_nodes(p: etree._Element) -> list[etree._Element]:
    """The w:t of this paragraph's own runs (not of paragraphs nested in text boxes)."""
    return [t for t in p.iter(f"{W}t") if _owner_paragraph(t) is p]


def _para_text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in _text_nodes(p))


def _paragraphs(element: etree._Element) -> Iterator[etree._Element]:
    yield from element.iter(f"{W}p")


def _first_context(el: etree._Element) -> str:
    """The text of the paragraph holding (or inside) an element, deleted text included: where a Word feature sits."""
    p = el if el.tag == f"{W}p" else _owner_paragraph(el)
    if p is None:
        inner = next(el.iter(f"{W}p"), None)
        p = inner
    if p is None:
        return ""
    text = _para_text(p) or "".join(t.text or "" for t in p.iter(f"{W}t", f"{W}delText"))
    return _shorten(text)
