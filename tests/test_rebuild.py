"""Edit, then rebuild (issue 11.2): staff edit the Word files of a packet, build again, and their edits stay —
only the edited document is converted again, the index pages stay right, a packet with ［ ］ left is a draft,
and --final refuses until none remain."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from docgen.case import Settings
from docgen.errors import DocgenError
from docgen.packet.build import Acceptance, build_packet
from tests.conftest import EXAMPLES, case_of, needs_libreoffice

pytestmark = needs_libreoffice()


def paragraphs(doc):
    yield from doc.paragraphs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def fill_placeholders(path: Path, words: str) -> None:
    """What staff do in Word: write over every ［…］."""
    doc = Document(str(path))
    for p in paragraphs(doc):
        if "［" in p.text:
            p.text = re.sub(r"［[^］]*］", words, p.text)
    doc.save(str(path))


def text(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(pdf)).pages)


def test_staff_edits_survive_a_rebuild(tmp_path):
    case = case_of(EXAMPLES / "teijusha.yaml", Settings(output_dir=tmp_path))
    out = tmp_path / "packet"
    first = build_packet(case, out=out)
    assert first.placeholders and "下書き" in text(first.bundle)  # ［ ］ left: a draft
    with pytest.raises(DocgenError, match="placeholder"):
        build_packet(case, out=out, final=True)
    assert (out / first.bundle.name).exists()  # refused before anything changed

    letter = next(d for d in first.documents if "reason_letter" in d.name)
    fill_placeholders(letter, "日本で家族と暮らし続けたいと考えております")
    second = build_packet(case, out=out)
    assert [p.name for p in second.kept_edits] == [letter.name]
    assert second.converted == [letter.name]  # only the edited document went through LibreOffice again
    assert "日本で家族と暮らし続けたいと考えております" in text(second.bundle)
    assert "日本で家族と暮らし続けたいと考えております" in "\n".join(p.text for p in Document(str(letter)).paragraphs)
    index = text(out / "pdf" / second.names.file("00_index.pdf"))
    assert str(second.pages) and f"{second.pages} / {second.pages}" in text(second.bundle)
    assert "理由書" in index

    for doc in second.documents:  # the office fills in every other ［ ］ too
        fill_placeholders(doc, "記入済み")
    with pytest.raises(DocgenError, match="incomplete"):  # no scans yet: the office must accept that knowingly
        build_packet(case, out=out, final=True)
    final = build_packet(case, out=out, final=True, accept=Acceptance("staff", "資料は窓口で追完"))
    assert not final.placeholders and "下書き" not in text(final.bundle)
    assert "日本で家族と暮らし続けたいと考えております" in text(final.bundle)

    regenerated = build_packet(case, out=out, regenerate={second.names.key(letter)})
    assert letter.name not in [p.name for p in regenerated.kept_edits]
    assert "日本で家族と暮らし続けたいと考えております" not in text(regenerated.bundle)
