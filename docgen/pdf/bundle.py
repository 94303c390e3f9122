"""The bundle: index first, then each item's documents and evidence, with bookmarks and page numbers.

All page arithmetic lives in `page_ranges` (one tested function, computed from the real page
counts after the layout is final). `check_part` puts one PDF through what the bundle does to each page, so the
evidence step leaves out (by name) a scan the bundle could not take; should a part still fail here, the error
names its file.
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from docgen.errors import DocgenError
from docgen.pdf.disk import writing
from docgen.text import Text


@dataclass
class Part:
    """One PDF placed under an item (a generated document or a piece of evidence)."""

    pdf: Path
    pages: int
    label: str  # bookmark under the item: the person's name or the evidence file name
    source: Path | None = None  # the file staff know it by (the client's scan), when not `pdf` itself


@dataclass
class Section:
    """One checklist item in the bundle."""

    item_id: str
    title: str
    parts: list[Part] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return sum(p.pages for p in self.parts)


def page_ranges(index_pages: int, section_pages: list[int]) -> list[tuple[int, int] | None]:
    """1-based (first, last) page of each section when the index takes `index_pages` pages.

    Sections follow the index in order; a section with no pages gets None.
    """
    if index_pages < 1:
        raise ValueError("the index has at least one page")
    out: list[tuple[int, int] | None] = []
    next_page = index_pages + 1
    for n in section_pages:
        if n < 0:
            raise ValueError("a section cannot have a negative page count")
        out.append((next_page, next_page + n - 1) if n else None)
        next_page += n
    return out


def format_range(r: tuple[int, int] | None) -> str:
    if r is None:
        return "—"
    return str(r[0]) if r[0] == r[1] else f"{r[0]}-{r[1]}"


@lru_cache(maxsize=8)
def installed_font(name: str) -> str | None:
    """Register the installed font called `name` — a family such as IPAexGothic, or the PostScript name a PDF
    gives its fonts — with reportlab, to be embedded in a stamp, and return its name; None when fontconfig
    finds no such font or reportlab cannot embed it (outlines it does not read)."""
    for key in ("family", "postscriptname"):
        try:
            found = subprocess.run(
                ["fc-match", "--format=%{file}|%{index}|%{" + key + "}", f":{key}={name}"],
                capture_output=True,
                text=True,
                timeout=30,
            ).stdout
        except (OSError, subprocess.TimeoutExpired):
            return None
        path, _, rest = found.partition("|")
        index, _, names = rest.partition("|")
        if path and name in names.split(","):
            try:
                pdfmetrics.registerFont(TTFont(name, path, subfontIndex=int(index or 0)))
            except Exception:  # reportlab's TTFError and whatever a font file it cannot read raises
                return None
            return name
    return None


def _stamp_font() -> str:
    """Register IPAexGothic with reportlab (embedded in the stamp) and return its name."""
    name = installed_font("IPAexGothic")
    if name is None:
        raise DocgenError(
            Text(
                "フォント IPAexGothic がインストールされていません（ページ番号に必要です）。"
                "Debian では sudo apt-get install fonts-ipaexfont でインストールしてください",
                "the font IPAexGothic is not installed (Debian: sudo apt-get install fonts-ipaexfont); it is needed"
                " for page numbers",
            )
        )
    return name


T = TypeVar("T")
DRAFT = "下書き — 未記入の［ ］があります（提出前に記入）"


class UnfitPart(DocgenError):
    """A PDF the bundle could not take; the message names its file and the cause."""


Box = tuple[float, float, float, float]  # left, bottom, width, height


def _stamps(boxes: list[Box], texts: list[str], draft: bool, font: str | None = None) -> list[PageObject]:
    """One stamp page per page box, all drawn on one canvas: its text centred at the bottom (and 下書き at the
    top)."""
    buf = io.BytesIO()
    # the stamp's font from the first byte: reportlab otherwise names Helvetica, a font not embedded
    face: Any = font or _stamp_font()  # (the stubs type initialFontName as a number)
    c = canvas.Canvas(buf, initialFontName=face, initialFontSize=9)
    for (_, _, width, height), text in zip(boxes, texts, strict=True):
        c.setPageSize((width, height))
        c.drawCentredString(width / 2, 14, text)
        if draft:
            c.setFillColorRGB(0.75, 0, 0)
            c.drawCentredString(width / 2, height - 16, DRAFT)
        c.showPage()
    c.save()
    buf.seek(0)
    return list(PdfReader(buf).pages)


def _upright(page: PageObject) -> Box:
    """Turn the page upright; the area a viewer shows of it (the /MediaBox when there is no /CropBox)."""
    if page.get("/Rotate", 0):
        page.transfer_rotation_to_content()
    box = page.cropbox
    return float(box.left), float(box.bottom), float(box.width), float(box.height)


def _merge(page: PageObject, box: Box, stamp: PageObject) -> None:
    page.merge_transformed_page(stamp, Transformation().translate(box[0], box[1]))


def check_part(pdf: Path) -> int:
    """Put `pdf` through what the bundle does to each page (read within pypdf's limits, turned upright, stamped
    with a font that needs no installing); returns its pages, or raises whatever the bundle would meet."""
    writer = PdfWriter()
    writer.append(str(pdf), import_outline=False)
    for page in writer.pages:
        page.get_contents()  # decompresses within pypdf's limits, as merging does
        box = _upright(page)
        _merge(page, box, _stamps([box], ["0 / 0"], False, font="Helvetica")[0])
    return len(writer.pages)


def _unfit(part: Part, exc: Exception) -> UnfitPart:
    name = (part.source or part.pdf).name
    return UnfitPart(
        Text(
            f"{name} を提出用PDFに綴じられませんでした（{type(exc).__name__}）。このファイルを外すか作り直して、"
            "もう一度作成してください",
            f"{name} could not be bound into the bundle ({type(exc).__name__}); take the file out or make it again,"
            " and build again",
        )
    )


def _each(owner: Part, step: Callable[..., T], *args: Any) -> T:
    """One step on one page; whatever it meets names the part the page came from."""
    try:
        return step(*args)
    except DocgenError:
        raise
    except Exception as exc:
        raise _unfit(owner, exc) from None


def write_bundle(index_pdf: Path, sections: list[Section], out: Path, *, title: str, draft: bool = False) -> int:
    """Merge index + sections into `out` with bookmarks and 'n / N' on every page (and a 下書き line at the top
    of each page of a `draft`); returns N. A part that cannot be bound is named (UnfitPart), a folder that cannot
    be written too (DiskError)."""
    writer = PdfWriter()
    index = Part(index_pdf, 0, "提出書類一覧表")
    try:
        writer.append(str(index_pdf), import_outline=False)
    except Exception as exc:
        raise _unfit(index, exc) from None
    owners = [index] * len(writer.pages)  # which part each page came from, to name it when it fails
    index_pages = len(writer.pages)
    writer.add_outline_item(title="提出書類一覧表", page_number=0)
    ranges = page_ranges(index_pages, [s.pages for s in sections])
    for number, (section, span) in enumerate(zip(sections, ranges, strict=True), 1):
        if span is None:
            continue
        starts = []
        for part in section.parts:  # pages first: bookmarks must point at pages that exist
            starts.append(len(writer.pages))
            try:
                writer.append(str(part.pdf), import_outline=False)
            except Exception as exc:
                raise _unfit(part, exc) from None
            owners += [part] * (len(writer.pages) - starts[-1])
        parent = writer.add_outline_item(title=f"{number}. {section.title}", page_number=span[0] - 1)
        for part, start in zip(section.parts, starts, strict=False):
            writer.add_outline_item(title=part.label, page_number=start, parent=parent)
        if len(writer.pages) != span[1]:
            raise DocgenError(
                Text(
                    f"項目 {section.item_id} のページ数が合いません: {span[1]}ページで終わるはずが、"
                    f"{len(writer.pages)}ページで終わりました",
                    f"page count mismatch in section {section.item_id}: expected to end on page {span[1]}, ended on"
                    f" {len(writer.pages)}",
                )
            )
    total = len(writer.pages)
    boxes = [_each(owner, _upright, page) for page, owner in zip(writer.pages, owners, strict=True)]
    stamps = _stamps(boxes, [f"{n} / {total}" for n in range(1, total + 1)], draft)
    for page, owner, box, stamp in zip(writer.pages, owners, boxes, stamps, strict=True):
        _each(owner, _merge, page, box, stamp)
    writer.add_metadata({"/Title": f"{title}（下書き）" if draft else title, "/Producer": "docgen"})
    writer.page_mode = "/UseOutlines"
    with writing(out.parent), open(out, "wb") as fh:
        writer.write(fh)
    return total
