"""The 提出書類一覧表's page numbers without a second LibreOffice run: the index is converted with the documents,
then each row's range is drawn where LibreOffice put the row's marker — in the row's font and size, on its line,
aligned as the office's template aligns the column. An index that cannot take them that way (an office template
showing the range twice) is converted again, and its numbers are just as right."""

from __future__ import annotations

import re
import shutil
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from docgen.case.settings import Settings
from docgen.packet.build import PacketResult, build_packet
from docgen.pdf.bundle import installed_font
from docgen.pdf.converter import COLD
from docgen.pdf.office_server import uno_python
from docgen.pdf.warm import WarmConverter
from tests.conftest import EXAMPLES, ROOT, case_of, needs_libreoffice
from tests.test_packet import make_evidence

pytestmark = [needs_libreoffice(), pytest.mark.libreoffice]

RANGE = re.compile(r"^\d+(-\d+)?$")


@dataclass
class Built:
    """A family packet and the LibreOffice command lines its build ran."""

    result: PacketResult
    runs: list[str]
    warm: int = 0  # documents the warm servers converted

    @property
    def conversions(self) -> list[str]:
        return [r for r in self.runs if "--convert-to" in r]


def build(tmp: Path, settings: Settings, servers: int = 0) -> Built:
    """The family packet (with the client's scans), LibreOffice's starts logged by a wrapper around the real one;
    converted the cold way, or on a warm pool of `servers` started for it."""
    log = tmp / "soffice.log"
    wrapper = tmp / "soffice"
    wrapper.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> {log}\nexec {shutil.which("soffice")} "$@"\n')
    wrapper.chmod(0o700)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DOCGEN_SOFFICE", str(wrapper))
        with WarmConverter(servers) if servers else nullcontext() as pool:
            assert pool is None or len(pool.servers()) == servers, pool.problems
            result = build_packet(
                case_of(EXAMPLES / "gijinkoku-family.yaml", settings),
                out=tmp / "packet",
                evidence=make_evidence(tmp / "evidence"),
                converter=pool or COLD,
            )
            warm = sum(s.converted for s in pool.servers()) if pool is not None else 0
    return Built(result, log.read_text().splitlines(), warm)


def office_index(tmp: Path, change: str) -> Settings:
    """Settings whose office folder holds the built-in index with its page column changed: 'centre' it, or show
    the range 'twice'."""
    office = tmp / "office"
    office.mkdir()
    doc = Document(str(ROOT / "templates" / "index.docx"))
    cell = next(p for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs if "r.pages" in p.text)
    if change == "centre":
        cell.alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:
        run = next(r for r in cell.runs if "r.pages" in r.text)
        run.text = "{{ r.pages }}・{{ r.pages }}"
    doc.save(str(office / "index.docx"))
    return Settings(template_dir=office, output_dir=tmp)


@pytest.fixture(scope="module")
def family(tmp_path_factory) -> Built:
    tmp = tmp_path_factory.mktemp("family")
    return build(tmp, Settings(output_dir=tmp))


@pytest.fixture(scope="module")
def warm(tmp_path_factory) -> Built:
    if uno_python() is None:
        pytest.skip("python3-uno is not installed (scripts/setup.sh installs it)")
    tmp = tmp_path_factory.mktemp("warm")
    return build(tmp, Settings(output_dir=tmp), servers=2)


@pytest.fixture(scope="module")
def centred(tmp_path_factory) -> Built:
    tmp = tmp_path_factory.mktemp("centred")
    return build(tmp, office_index(tmp, "centre"))


@pytest.fixture(scope="module")
def twice(tmp_path_factory) -> Built:
    tmp = tmp_path_factory.mktemp("twice")
    return build(tmp, office_index(tmp, "twice"))


@dataclass(frozen=True)
class Piece:
    """A piece of text on a page: what it says, where its line starts, its font and size."""

    text: str
    x: float
    y: float
    font: str
    size: float


def pieces(page) -> list[Piece]:
    out: list[Piece] = []

    def visit(text, cm, tm, font, size) -> None:
        if text.strip():
            name = str(font.get("/BaseFont", "")).split("+")[-1] if font else ""
            out.append(Piece(text.strip(), tm[4] + cm[4], tm[5] + cm[5], name, size))

    page.extract_text(visitor_text=visit)
    return out


def index_pages(result: PacketResult) -> list:
    """The bundle's index pages (those before item 1's bookmark)."""
    reader = PdfReader(str(result.bundle))
    first = next(o for o in reader.outline if not isinstance(o, list) and o.title.startswith("1. "))
    return reader.pages[: reader.get_destination_page_number(first)]


def column(result: PacketResult) -> tuple[Piece, list[Piece], list[Piece]]:
    """The index's 頁 heading, then the page column's ranges and dashes (the pieces in line with the heading)."""
    found = [p for page in index_pages(result) for p in pieces(page)]
    heading = next(p for p in found if p.text == "頁")
    near = [p for p in found if p.y < heading.y and abs(p.x - heading.x) < 20 and p.text != "頁"]
    return heading, [p for p in near if RANGE.match(p.text)], [p for p in near if p.text == "—"]


def ranges_by_bookmark(result: PacketResult) -> dict[int, str]:
    """Each item's range as the bundle's bookmarks place its documents and scans."""
    reader = PdfReader(str(result.bundle))
    tops = [o for o in reader.outline if not isinstance(o, list)]
    starts = [(int(o.title.split(".")[0]), reader.get_destination_page_number(o) + 1) for o in tops[1:]]
    ends = [s - 1 for _, s in starts[1:]] + [len(reader.pages)]
    return {n: str(s) if s == e else f"{s}-{e}" for (n, s), e in zip(starts, ends, strict=True)}


def test_the_index_and_the_documents_are_converted_in_one_libreoffice_run(family):
    [run] = family.conversions
    assert "00_index.docx" in run
    assert all(d.name in run for d in family.result.documents)


def test_each_range_in_the_index_is_where_the_bookmarks_put_the_item(family):
    _, ranges, dashes = column(family.result)
    shown = [p.text for p in sorted(ranges, key=lambda p: -p.y)]
    assert shown == list(ranges_by_bookmark(family.result).values())
    assert len(dashes) >= 10  # the items without pages, as LibreOffice wrote them


def test_the_ranges_are_drawn_in_the_rows_font_size_and_line(family):
    _, ranges, dashes = column(family.result)
    rows = [p for page in index_pages(family.result) for p in pieces(page)]
    for drawn in ranges:
        same_line = [p for p in rows if abs(p.y - drawn.y) < 0.01 and p is not drawn]
        assert same_line, drawn  # the row's number, title and status are on the range's line
        assert drawn.font == "IPAexMincho" == dashes[0].font and drawn.size == dashes[0].size
        assert abs(drawn.x - dashes[0].x) < 0.01  # left-aligned in the column, as LibreOffice aligns the dashes


def test_no_marker_is_left_and_the_word_index_has_the_same_ranges(family):
    index_pdf = next((family.result.folder / "pdf").glob("*00_index.pdf"))
    texts = "\n".join(page.extract_text() for page in PdfReader(str(index_pdf)).pages)
    word = Document(str(family.result.folder / "docx" / index_pdf.with_suffix(".docx").name))
    rows = [[c.text for c in r.cells] for t in word.tables for r in t.rows]
    assert not re.search(r"#\d+#", texts + "\n".join(map("".join, rows)))
    pages = [row[-1] for row in rows if row[0].isdigit() and row[-1] != "—"]
    assert pages == list(ranges_by_bookmark(family.result).values())


def test_every_font_of_the_index_is_embedded(family):
    for page in index_pages(family.result):
        for font in page["/Resources"]["/Font"].values():
            descriptor = (
                font.get_object().get("/FontDescriptor")
                or font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            assert any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_on_a_warm_converter_the_index_is_converted_with_the_documents_and_nothing_the_cold_way(warm):
    assert len([r for r in warm.runs if "--accept" in r]) == 2  # LibreOffice started for the two servers
    assert not warm.conversions  # and nothing converted the cold way
    assert warm.warm == len(warm.result.documents) + len(warm.result.client_documents) // 2 + 1  # and the index
    _, ranges, _ = column(warm.result)
    assert [p.text for p in sorted(ranges, key=lambda p: -p.y)] == list(ranges_by_bookmark(warm.result).values())


def test_an_office_index_centring_the_column_gets_centred_numbers(centred):
    assert len(centred.conversions) == 1
    heading, ranges, _ = column(centred.result)
    font = installed_font(heading.font)
    assert font is not None and ranges
    middle = heading.x + pdfmetrics.stringWidth("頁", font, heading.size) / 2
    for drawn in ranges:
        assert abs(drawn.x + pdfmetrics.stringWidth(drawn.text, font, drawn.size) / 2 - middle) < 0.5, drawn
    assert [p.text for p in sorted(ranges, key=lambda p: -p.y)] == list(ranges_by_bookmark(centred.result).values())


def test_an_index_showing_a_range_twice_is_converted_again_with_the_same_numbers(twice):
    assert len(twice.conversions) == 2  # the documents and the index, then the index with its ranges
    text = re.sub(r"\s", "", "".join(page.extract_text() for page in index_pages(twice.result)))  # wrapped here
    for shown in ranges_by_bookmark(twice.result).values():
        assert f"{shown}・{shown}" in text
    assert not re.search(r"#\d+#", text)
