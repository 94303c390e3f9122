"""The ［…］ placeholders left in filled Word files: what the office still has to write in.

Read from the generated .docx itself (body, table cells, headers and footers, the text of each paragraph
joined across runs), so placeholders typed into an office's own template are found too.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from docgen.documents.letters import PLACEHOLDER_RE

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")


@dataclass(frozen=True)
class Unfilled:
    """One placeholder in one generated document (`count` times)."""

    document: str  # e.g. 理由書（NGUYEN VAN AN）
    text: str  # ［…］
    count: int = 1

    def line(self) -> str:
        return f"{self.document}: {self.text}" + (f"（{self.count}箇所）" if self.count > 1 else "")


def paragraph_texts(docx: Path) -> list[str]:
    """The text of every paragraph of a Word file, in document order (body first, then headers/footers)."""
    out: list[str] = []
    with zipfile.ZipFile(docx) as z:
        names = sorted((n for n in z.namelist() if _PARTS.fullmatch(n)), key=lambda n: n != "word/document.xml")
        for name in names:
            root = ElementTree.fromstring(z.read(name))
            for p in root.iter(f"{_W}p"):
                text = "".join(t.text or "" for t in p.iter(f"{_W}t"))
                if text:
                    out.append(text)
    return out


def placeholders_in(docx: Path) -> list[tuple[str, int]]:
    """Each distinct ［…］ in the file, in order of first appearance, with how often it appears."""
    counts: dict[str, int] = {}
    for text in paragraph_texts(docx):
        for found in PLACEHOLDER_RE.findall(text):
            counts[found] = counts.get(found, 0) + 1
    return list(counts.items())


def unfilled(documents: list[tuple[str, Path]]) -> list[Unfilled]:
    """The placeholders of each (label, .docx), in the order given."""
    return [Unfilled(label, text, n) for label, path in documents for text, n in placeholders_in(path)]
