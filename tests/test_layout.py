"""Packets laid out as an office prints them: every example and long fictional profiles (tests/fixtures/long-*.yaml)
are built into real LibreOffice PDFs once per profile, and each document is read back with its geometry (pypdf's
text visitor: every text piece with its position) to check what a reader of the printed page would notice:

(a) no page of a document holds only the signature block: the last page of a multi-page document has body text;
(b) no telephone number, date, residence card number or status name is broken across two lines;
(c) one ポイント計算表 per date, each with the salary of that date;
(d) no ISO date (2020-03-24) in a Japanese document;
(e) the 提出書類一覧表's legend is on the index's own pages, and no page of the index is blank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PageObject, PdfReader

from docgen.assessment.points import reference_date, salary_on
from docgen.case.settings import Settings
from docgen.documents.generate import GENERATED
from docgen.packet.build import PacketResult, build_packet
from tests.conftest import EXAMPLES, ROOT, TABLE, case_of, needs_libreoffice

pytestmark = [needs_libreoffice(), pytest.mark.libreoffice]

FIXTURES = ROOT / "tests" / "fixtures"
PROFILES = sorted(EXAMPLES.glob("*.yaml")) + sorted(FIXTURES.glob("long-*.yaml"))
HSP_PROFILES = [p for p in PROFILES if "\n  hsp:\n" in p.read_text(encoding="utf-8")]

# ---------------------------------------------------------------- the printed page, read back


@dataclass(frozen=True)
class Piece:
    """One run of text as the PDF draws it: where (points from the bottom left), how large, what."""

    x: float
    y: float
    size: float
    text: str

    @property
    def end(self) -> float:
        """Where the text ends, estimated: a full-width character is one em, anything else about half."""
        return self.x + sum(self.size if ord(c) > 0x2000 else 0.55 * self.size for c in self.text)


@dataclass(frozen=True)
class Line:
    x: float
    y: float
    text: str


@dataclass
class Page:
    pieces: list[Piece]  # in the order the page draws them (LibreOffice: paragraph by paragraph, cell by cell)

    @property
    def lines(self) -> list[Line]:
        """The page's lines from top to bottom (pieces on one baseline, left to right)."""
        rows: dict[float, list[Piece]] = {}
        for p in self.pieces:
            key = next((y for y in rows if abs(y - p.y) < 0.4 * p.size), p.y)
            rows.setdefault(key, []).append(p)
        out = []
        for y, row in sorted(rows.items(), reverse=True):
            row.sort(key=lambda p: p.x)
            out.append(Line(row[0].x, y, "".join(p.text for p in row)))
        return out

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass
class Document:
    """One submitted document of a packet (its PDF in the packet's pdf/ folder)."""

    path: Path
    item: str  # the checklist item, or 'index'
    pages: list[Page]

    @property
    def template(self) -> str:
        return "index" if self.item == "index" else GENERATED[self.item]

    @property
    def text(self) -> str:
        return "\n".join(page.text for page in self.pages)


def read_page(page: PageObject) -> Page:
    """The pieces of one page, placed by the text matrix times the current transformation matrix."""
    pieces: list[Piece] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            pieces.append(Piece(x, y, abs(size * tm[0] * cm[0]) or size, text.replace("\n", "")))

    page.extract_text(visitor_text=visit)
    return Page(pieces)


def read_pages(pdf: Path) -> list[Page]:
    return [read_page(page) for page in PdfReader(str(pdf)).pages]


def item_of(pdf: Path) -> str:
    """The checklist item a packet PDF renders, from its name (…-04_reason_letter_wang_xiaoming.pdf)."""
    if pdf.name.endswith("_index.pdf"):
        return "index"
    return next(item for item in sorted(GENERATED, key=len, reverse=True) if f"_{item}_" in pdf.name)


@dataclass
class Packet:
    profile: Path
    result: PacketResult
    documents: list[Document]

    def of(self, template: str) -> list[Document]:
        return [d for d in self.documents if d.template == template]


class Packets:
    """Each profile's packet, built on first use and kept for the module (one LibreOffice run per profile). Drafts,
    so a case whose decision blocks filing is laid out all the same."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.built: dict[Path, Packet] = {}

    def __call__(self, profile: Path) -> Packet:
        if profile not in self.built:
            tmp = self.folder / profile.stem
            result = build_packet(case_of(profile, Settings(output_dir=tmp)), out=tmp / "packet", draft=True)
            pdfs = sorted((result.folder / "pdf").glob("*.pdf"))
            self.built[profile] = Packet(
                profile, result, [Document(pdf, item_of(pdf), read_pages(pdf)) for pdf in pdfs]
            )
        return self.built[profile]


@pytest.fixture(scope="module")
def packets(tmp_path_factory: pytest.TempPathFactory) -> Packets:
    return Packets(tmp_path_factory.mktemp("layout"))


# ---------------------------------------------------------------- the checks, one document at a time

SIGNATURE = re.compile(r"署名|＿{3,}")


def signature_alone(doc: Document) -> list[str]:
    """(a) The last page of a multi-page document holds body text: a line at the left margin that is not a
    signature line (those are set flush right: 「申請人　…　署名 ＿＿＿」, 「法定代理人（父）…」)."""
    if len(doc.pages) < 2:
        return []
    margin = min(line.x for page in doc.pages for line in page.lines)
    last = doc.pages[-1].lines
    body = [line for line in last if line.x < margin + 12 and not SIGNATURE.search(line.text)]
    if body:
        return []
    return [f"{doc.path.name}: page {len(doc.pages)} holds only {[line.text for line in last]}"]


# Tokens a reader must see whole. Dates as the documents print them (西暦 on forms, 和暦 in letters), numbers
# as the profile writes them, and the statuses and exit methods the letters name.
TOKENS = {
    "phone": re.compile(r"(?<!\d)0\d{1,4}-\d{1,4}-\d{3,4}"),
    "date": re.compile(r"(?:(?:令和|平成|昭和)(?:元|\d{1,2})年|\d{4}年)\d{1,2}月\d{1,2}日"),
    "residence card": re.compile(r"[A-Z]{2}\d{8}[A-Z]{2}"),
    "status": re.compile(
        r"(?:みなし)?再入国許可(?:により出国)?|技術・人文知識・国際業務|日本人の配偶者等|永住者の配偶者等|家族滞在|"
        r"定住者|永住者|経営・管理|企業内転勤|高度専門職"
    ),
}


def flows(page: Page) -> list[tuple[str, list[int]]]:
    """The page's text flows (a paragraph, a table cell) in drawing order, each as its text and the offsets where a
    line wrapped. A flow goes on while the next piece continues its line, or starts the next line at the left edge
    where the flow's lines start, one line lower."""
    out: list[tuple[str, list[int]]] = []
    text, breaks, left = "", [], 0.0
    last: Piece | None = None
    for p in page.pieces:
        same_line = last is not None and abs(p.y - last.y) < 0.4 * p.size and p.x - last.end < 1.5 * p.size
        wrapped = (
            last is not None
            and 0 < last.y - p.y < 1.9 * max(p.size, last.size)
            and abs(p.x - left) < 2
            and p.x < last.x
        )
        if same_line:
            text += p.text
        elif wrapped:
            breaks.append(len(text))
            text += p.text
        else:
            if text:
                out.append((text, breaks))
            text, breaks, left = p.text, [], p.x
        last = p
    if text:
        out.append((text, breaks))
    return out


def broken_tokens(doc: Document) -> list[str]:
    """(b) Every token of TOKENS that a line wrap cuts in two, with the two halves."""
    out = []
    for number, page in enumerate(doc.pages, 1):
        for text, breaks in flows(page):
            for kind, pattern in TOKENS.items():
                for m in pattern.finditer(text):
                    cut = next((b for b in breaks if m.start() < b < m.end()), None)
                    if cut is not None:
                        out.append(
                            f"{doc.path.name} p{number}: {kind} {text[m.start() : cut]!r} / {text[cut : m.end()]!r}"
                        )
    return out


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_dates(doc: Document) -> list[str]:
    """(d) ISO dates anywhere in the document."""
    return [f"{doc.path.name}: {m.group()}" for m in ISO_DATE.finditer(doc.text)]


CHECKS = {"signature": signature_alone, "tokens": broken_tokens, "iso": iso_dates}


def problems(packet: Packet, check: str) -> list[str]:
    """What `check` finds in the packet's documents."""
    return [p for doc in packet.documents for p in CHECKS[check](doc)]


# ---------------------------------------------------------------- the tests

IDS = [p.stem for p in PROFILES]


@pytest.mark.parametrize("profile", PROFILES, ids=IDS)
def test_no_page_holds_only_the_signature(packets: Packets, profile: Path) -> None:
    assert problems(packets(profile), "signature") == []


@pytest.mark.parametrize("profile", PROFILES, ids=IDS)
def test_no_number_date_or_status_is_broken_across_lines(packets: Packets, profile: Path) -> None:
    assert problems(packets(profile), "tokens") == []


@pytest.mark.parametrize("profile", PROFILES, ids=IDS)
def test_no_iso_date_in_a_japanese_document(packets: Packets, profile: Path) -> None:
    assert problems(packets(profile), "iso") == []


LEGEND = "区分: 提出＝"
ROW = re.compile(r"(No\.|\d+)\S")  # a row of the table starts with its number (or the repeated header)


@pytest.mark.parametrize("profile", PROFILES, ids=IDS)
def test_the_index_legend_is_on_the_index_pages_and_no_page_is_blank(packets: Packets, profile: Path) -> None:
    (index,) = packets(profile).of("index")
    with_legend = [n for n, page in enumerate(index.pages, 1) if LEGEND in page.text]
    assert with_legend == [1], "the legend is printed once, on the first page with the table"
    for n, page in enumerate(index.pages, 1):
        assert any(ROW.match(line.text) for line in page.lines), f"page {n} of the index holds no row: {page.text!r}"


def dates_tabulated(doc: Document) -> set[str]:
    """The dates a 計算表 scores: the 申請時点 / 基準時点 its heading names."""
    return {when for when in ("申請時点:", "基準時点:") if when in doc.pages[0].text}


@pytest.mark.parametrize("profile", HSP_PROFILES, ids=[p.stem for p in HSP_PROFILES])
def test_each_points_date_shows_the_salary_of_that_date(packets: Packets, profile: Path) -> None:
    """Each sheet's 年収 row rests on the salary in force on its own date (the reference date's, not today's);
    a holder with the 計算結果通知書 files the 申請時点 sheet only."""
    case = case_of(profile)
    p, hsp = case.profile, case.profile.applicant.hsp
    assert hsp is not None
    threshold = case.book.params(p.category, p.application_date).values["points_threshold"]
    days = {"申請時点:": p.application_date, "基準時点:": reference_date(p.application_date, threshold, TABLE)}
    sheets = packets(profile).of("hsp_points")
    assert sheets and "申請時点:" in dates_tabulated(sheets[0])
    for doc in sheets:
        for when in dates_tabulated(doc):
            salary = salary_on(hsp, days[when])
            assert salary is not None and f"年収{salary:,}円" in doc.text.replace(" ", ""), (when, salary)


@pytest.mark.parametrize("profile", HSP_PROFILES, ids=[p.stem for p in HSP_PROFILES])
def test_one_points_table_per_date(packets: Packets, profile: Path) -> None:
    tables = packets(profile).of("hsp_points")
    assert all(len(dates_tabulated(doc)) == 1 for doc in tables), [sorted(dates_tabulated(d)) for d in tables]
    named = [when for doc in tables for when in dates_tabulated(doc)]
    assert len(named) == len(set(named)), "each date is tabulated once"
