"""The index's page numbers, filled in without a second LibreOffice run.

The index (提出書類一覧表) is converted in the same run as the documents, before their pages are known: each row
that will have pages shows a marker (「#7#」 for row 7) where its range goes. Once the pages are counted, each
marker is taken out of the index PDF (its text operator removed from the page) and the range drawn in its place,
in the marker's font and size, aligned as its paragraph is (left, centred or right). The Word index is filled
with the same ranges. Drawing a range changes no line or page of the index, so its page count, and with it
every range, is what the conversion gave.

Anything unexpected — a marker not found exactly once, a font that is not installed, any text of the page
other than the markers changed by the removal — raises NotStamped and nothing is written: the caller then
converts the index again with the ranges written in (docgen/packet/index.py settle_index).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import ContentStream
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from docgen.checklist import Checklist
from docgen.packet.index import numbered
from docgen.pdf.bundle import Section, installed_font
from docgen.pdf.disk import writing

_MARKER = re.compile(r"#(\d{1,4})#")
_SHOW = (b"Tj", b"TJ", b"'", b'"')  # the operators that show text
_NEAR = 0.01  # points: a marker's position read by the text extraction and in the page's operators


class NotStamped(Exception):
    """The ranges could not be drawn into the index PDF safely; the index is converted again instead."""


def marker(number: int) -> str:
    """What row `number` shows where its range goes until the pages are counted."""
    return f"#{number}#"


def index_markers(checklist: Checklist, sections: dict[str, Section]) -> dict[str, str]:
    """The marker of each item that will have pages in the bundle (its documents and scans), by item id; an item
    with none shows 「—」 from the start."""
    return {item.id: marker(n) for n, item in numbered(checklist) if sections[item.id].parts}


def alignments(docx: Path, markers: list[str]) -> dict[str, str]:
    """How the paragraph holding each marker in the index's Word file is aligned: 'left', 'center' or 'right'
    (its own alignment, else its style's)."""
    doc = Document(str(docx))
    wanted, found = set(markers), {}
    for p in doc.element.body.iter(qn("w:p")):
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        here = wanted.intersection(m.group(0) for m in _MARKER.finditer(text))
        if here:
            paragraph = Paragraph(p, doc._body)
            side = _aligned(paragraph)
            found.update(dict.fromkeys(here, side))
    return found


def _aligned(paragraph: Paragraph) -> str:
    alignment = paragraph.alignment
    style: Any = paragraph.style
    while alignment is None and style is not None:
        alignment = style.paragraph_format.alignment
        style = style.base_style
    if alignment == WD_ALIGN_PARAGRAPH.CENTER:
        return "center"
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        return "right"
    return "left"


@dataclass(frozen=True)
class _Seen:
    """A marker as the page shows it: where its text starts (text space and page space), its font and size."""

    text: str
    at: tuple[float, float]  # the text matrix's origin
    page_at: tuple[float, float]  # the same point on the page
    font: str  # the embedded font's family, without its subset prefix
    size: float


_Text = tuple[str, tuple[float, float], tuple[float, float], str, float]  # text, where (text space, page), font, size


def _texts(page: PageObject) -> list[_Text]:
    """Every piece of text on the page with where it starts (text space, page space), its font family and size."""
    out: list[_Text] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text.strip():
            return
        base = str(font.get("/BaseFont", "")) if font else ""
        family = base.lstrip("/").split("+", 1)[-1]
        x, y = tm[4], tm[5]
        if (cm[0], cm[1], cm[2], cm[3]) != (1, 0, 0, 1) or (tm[0], tm[1], tm[2], tm[3]) != (1, 0, 0, 1):
            family = ""  # scaled or turned: not a marker this module can replace
        out.append((text, (x, y), (x + cm[4], y + cm[5]), family, float(size)))

    page.extract_text(visitor_text=visit)
    return out


def _markers(texts: list[_Text]) -> list[_Seen]:
    return [_Seen(t.strip(), at, page_at, f, s) for t, at, page_at, f, s in texts if _MARKER.fullmatch(t.strip())]


def _remove(page: PageObject, reader: PdfReader, seen: list[_Seen]) -> None:
    """Take the text operator of each marker out of the page: the one text object that starts at the marker's
    position with its size and shows nothing else."""
    content = ContentStream(page.get_contents(), reader)
    ops = content.operations
    drop: list[int] = []
    block: list[int] = []
    at: tuple[float, float] = (0.0, 0.0)
    size = 0.0
    start = at
    for n, (operands, op) in enumerate(ops):
        if op == b"BT":
            block, at, start = [], (0.0, 0.0), (0.0, 0.0)
        elif op == b"Td" and not block:
            at = (at[0] + float(operands[0]), at[1] + float(operands[1]))
            start = at
        elif op == b"Tf":
            size = float(operands[1])
        elif op in _SHOW:
            if not block:
                start = at
            block.append(n)
        elif op == b"ET" and len(block) == 1:
            for s in seen:
                if abs(start[0] - s.at[0]) < _NEAR and abs(start[1] - s.at[1]) < _NEAR and abs(size - s.size) < _NEAR:
                    drop.append(block[0])
                    break
    if len(drop) != len(seen):
        raise NotStamped(f"{len(seen)} markers, {len(drop)} text objects")
    dropped = set(drop)
    content.operations = [o for n, o in enumerate(ops) if n not in dropped]
    page.replace_contents(content)


def _draw(width: float, height: float, items: list[tuple[_Seen, str, str]]) -> PageObject:
    """A page of the index's size with each range drawn where its marker was."""
    fonts = [f for seen, _, _ in items if (f := installed_font(seen.font)) is not None]
    if len(fonts) != len(items):
        raise NotStamped("a marker's font is not installed")
    buf = io.BytesIO()
    # the first font from the first byte: reportlab otherwise names Helvetica, a font not embedded
    first: Any = fonts[0]  # (the stubs type initialFontName as a number)
    c = canvas.Canvas(buf, pagesize=(width, height), initialFontName=first, initialFontSize=items[0][0].size)
    for (seen, text, side), font in zip(items, fonts, strict=True):
        c.setFont(font, seen.size)
        x, y = seen.page_at
        room = pdfmetrics.stringWidth(seen.text, font, seen.size)
        if side == "center":
            c.drawCentredString(x + room / 2, y, text)
        elif side == "right":
            c.drawRightString(x + room, y, text)
        else:
            c.drawString(x, y, text)
    c.save()
    buf.seek(0)
    return PdfReader(buf).pages[0]


def stamp_ranges(pdf: Path, ranges: dict[str, str], aligned: dict[str, str]) -> None:
    """Replace each marker in the index PDF `pdf` by its range (`ranges`: marker → 「5-7」), aligned as `aligned`
    says; the file is rewritten only when every marker was found once and taken out, and nothing else changed.
    NotStamped otherwise."""
    reader = PdfReader(str(pdf))
    writer = PdfWriter(clone_from=reader)
    found: list[list[_Seen]] = []
    kept: list[list[tuple[str, tuple[float, float]]]] = []
    for page in writer.pages:
        before = _texts(page)
        seen = [s for s in _markers(before) if s.text in ranges]
        if any(not s.font for s in seen):
            raise NotStamped("a marker is scaled or turned")
        if seen:
            _remove(page, reader, seen)
        found.append(seen)
        kept.append([(t, at) for t, at, *_ in before if t.strip() not in {s.text for s in seen}])
    if sorted(s.text for seen in found for s in seen) != sorted(ranges):
        raise NotStamped("a marker is missing or shown more than once")
    cleaned = PdfWriter(clone_from=PdfReader(_written(writer)))
    for page, seen, left in zip(cleaned.pages, found, kept, strict=True):
        if [(t, at) for t, at, *_ in _texts(page)] != left:
            raise NotStamped("taking the markers out changed other text")
        if seen:
            box = page.mediabox
            items = [(s, ranges[s.text], aligned.get(s.text, "left")) for s in seen]
            page.merge_page(_draw(float(box.right), float(box.top), items))
    with writing(pdf.parent):
        pdf.write_bytes(_written(cleaned).getvalue())


def _written(writer: PdfWriter) -> io.BytesIO:
    out = io.BytesIO()
    writer.write(out)
    out.seek(0)
    return out
