"""Edit, then rebuild: a packet built again on top of the last one keeps every Word file staff edited and
re-converts only the documents whose content changed.

The manifest records, for each document, the hash of its content as docgen generated it (`generated`) and the
hash of the Word file its PDF was made from (`pdf_of`). On a rebuild a document whose file no longer matches
`generated` was edited by staff: it replaces the new rendering unless staff asked for it by name
(`--regenerate`); a document whose content matches `pdf_of` keeps its PDF. Content hashes read the Word file's
parts, not its zip bytes (which carry timestamps).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def content_hash(docx: Path) -> str:
    """The hash of a Word file's content: every part except the document properties (dates, author)."""
    h = hashlib.sha256()
    with zipfile.ZipFile(docx) as z:
        for name in sorted(z.namelist()):
            if not name.startswith("docProps/"):
                h.update(name.encode())
                h.update(z.read(name))
    return h.hexdigest()


def document_key(docx: Path) -> str:
    """'04_reason_letter_tran_thi_binh.docx' -> 'reason_letter_tran_thi_binh': stable when numbering moves."""
    stem = docx.stem
    return stem.split("_", 1)[1] if stem[:2].isdigit() and "_" in stem else stem


@dataclass(frozen=True)
class PreviousDocument:
    docx: Path
    generated: str
    pdf: Path | None
    pdf_of: str | None

    @property
    def edited(self) -> bool:
        try:
            return self.docx.exists() and content_hash(self.docx) != self.generated
        except (OSError, zipfile.BadZipFile):
            return True  # unreadable as Word: treat it as staff's, never overwrite it silently


def previous_documents(packet: Path) -> dict[str, PreviousDocument]:
    """What the last build of `packet` wrote, by document key (empty for a new packet)."""
    try:
        manifest = json.loads((packet / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out = {}
    for d in manifest.get("documents", []) if isinstance(manifest, dict) else []:
        docx = packet / d["docx"]
        pdf = packet / d["pdf"] if d.get("pdf") else None
        out[document_key(docx)] = PreviousDocument(docx, d["generated"], pdf, d.get("pdf_of"))
    return out


def keep_edits(docs: list[Path], previous: dict[str, PreviousDocument], regenerate: set[str]) -> list[Path]:
    """Put staff's edited Word files in place of the new renderings; returns the documents kept."""
    kept = []
    for doc in docs:
        old = previous.get(document_key(doc))
        if old is not None and old.edited and document_key(doc) not in regenerate and doc.stem not in regenerate:
            shutil.copyfile(old.docx, doc)
            kept.append(doc)
    return kept


def reusable_pdf(doc: Path, previous: dict[str, PreviousDocument]) -> Path | None:
    """The last build's PDF of `doc`, when it was made from exactly this content."""
    old = previous.get(document_key(doc))
    if old is None or old.pdf is None or old.pdf_of is None or not old.pdf.exists():
        return None
    return old.pdf if content_hash(doc) == old.pdf_of else None


def documents_json(docs: list[tuple[Path, str, Path | None]], folder: Path) -> list[dict[str, Any]]:
    """Manifest entries: (Word file in the packet, its generated content hash, its PDF or None)."""
    return [
        {
            "docx": str(docx.relative_to(folder)),
            "generated": generated,
            "pdf": str(pdf.relative_to(folder)) if pdf else None,
            "pdf_of": content_hash(docx) if pdf else None,
        }
        for docx, generated, pdf in docs
    ]
