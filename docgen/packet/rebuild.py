"""Edit, then rebuild: a packet built again on top of the last one keeps every Word file staff edited and
re-converts only the documents whose content changed.

The manifest records, for each document, the hash of its content as docgen generated it (`generated`) and the
hash of the Word file its PDF was made from (`pdf_of`). On a rebuild a document whose file no longer matches
`generated` was edited by staff: it replaces the new rendering unless staff asked for it by name
(`--regenerate`); a document whose content matches `pdf_of` keeps its PDF. A kept edit is *outdated* when
docgen would now write something else (the profile changed since): the manifest marks it (`outdated`, the hash
of the edited file) until staff change the file again or regenerate it. Content hashes read the Word file's
parts, not its zip bytes (which carry timestamps).
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.packet.names import PacketNames, names_of


def content_hash(docx: Path) -> str:
    """The hash of a Word file's content: every part except the document properties (dates, author)."""
    h = hashlib.sha256()
    with zipfile.ZipFile(docx) as z:
        for name in sorted(z.namelist()):
            if not name.startswith("docProps/"):
                h.update(name.encode())
                h.update(z.read(name))
    return h.hexdigest()


@dataclass(frozen=True)
class PreviousDocument:
    """A document of the last build: where it is, what docgen generated, and what is there now."""

    docx: Path
    generated: str
    pdf: Path | None
    pdf_of: str | None
    outdated: str | None = None  # the edited file's hash when it was found outdated
    content: str | None = None  # the content hash of the file now; None: gone or not a Word file
    damaged: bool = False  # there, but not a readable Word file

    @property
    def edited(self) -> bool:
        return self.damaged or (self.content is not None and self.content != self.generated)


def document_key(entry: dict[str, Any], names: PacketNames, docx: Path) -> str:
    """How a manifest entry is matched with this build's documents: its stable key ('reason_letter@family1'),
    or, for a packet written before documents had one, 'legacy:' and the name-based key."""
    key = entry.get("key")
    return key if isinstance(key, str) and key else "legacy:" + names.key(docx)


def previous_documents(packet: Path, manifest: dict[str, Any] | None) -> dict[str, PreviousDocument]:
    """What the last build of `packet` wrote (its manifest), by document key; empty for a new packet."""
    if manifest is None:
        return {}
    names = names_of(manifest) or PacketNames("")  # the names of that build (the case id may have changed since)
    out = {}
    entries = manifest.get("documents")
    for d in entries if isinstance(entries, list) else []:
        if not isinstance(d, dict):
            continue
        docx, pdf = _inside(packet, d.get("docx")), _inside(packet, d.get("pdf"))
        if docx is None or not isinstance(d.get("generated"), str):
            continue
        content, damaged = None, False
        if docx.is_file():
            try:
                content = content_hash(docx)
            except (OSError, zipfile.BadZipFile, KeyError, ValueError):
                damaged = True
        out[document_key(d, names, docx)] = PreviousDocument(
            docx, d["generated"], pdf, d.get("pdf_of"), d.get("outdated"), content, damaged
        )
    return out


def _inside(packet: Path, name: Any) -> Path | None:
    """A manifest's relative file name as a path inside the packet; None for anything else."""
    if not isinstance(name, str) or not name:
        return None
    path = packet / name
    return path if path.resolve().is_relative_to(packet.resolve()) else None


def documents_json(
    docs: list[tuple[str, Path, str, str | None, Path | None]], folder: Path, outdated: Collection[Path] = ()
) -> list[dict[str, Any]]:
    """Manifest entries: (key, Word file as staged in `folder`, its generated content hash, the content hash its
    PDF was made from, its PDF or None)."""
    return [
        {
            "key": key,
            "docx": docx.relative_to(folder).as_posix(),
            "generated": generated,
            "pdf": pdf.relative_to(folder).as_posix() if pdf else None,
            "pdf_of": pdf_of if pdf else None,
            "outdated": content_hash(docx) if docx in outdated else None,
        }
        for key, docx, generated, pdf_of, pdf in docs
    ]
