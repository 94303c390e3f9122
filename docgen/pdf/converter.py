"""What turns Word files into PDFs, as callers see it: the cold way (one LibreOffice call per batch,
docgen/pdf/convert.py) or a warm pool of LibreOffice servers (docgen/pdf/warm.py); a use case or a batch owns
the one it uses and passes it down, so the stages below never know which."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from docgen.pdf.convert import DEFAULT_PER_DOCUMENT, REQUIRED_FONTS, convert_to_pdf


class Converter(Protocol):
    """Converts .docx files to PDFs in `outdir` (same stem), returning the PDFs in input order; a document that
    cannot be converted raises ConversionError naming it."""

    def convert(
        self,
        docs: list[Path],
        outdir: Path,
        per_document: float = DEFAULT_PER_DOCUMENT,
        *,
        fonts: Sequence[str] = REQUIRED_FONTS,
    ) -> list[Path]: ...


class ColdConverter:
    """One LibreOffice started for each batch of documents (convert_to_pdf); holds nothing between calls."""

    def convert(
        self,
        docs: list[Path],
        outdir: Path,
        per_document: float = DEFAULT_PER_DOCUMENT,
        *,
        fonts: Sequence[str] = REQUIRED_FONTS,
    ) -> list[Path]:
        return convert_to_pdf(docs, outdir, per_document, fonts=fonts)


COLD: Converter = ColdConverter()  # stateless: nothing is shared through it
