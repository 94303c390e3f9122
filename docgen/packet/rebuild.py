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
import shutil
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.packet.names import PacketNames, names_of, read_manifest


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
    docx: Path
    generated: str
    pdf: Path | None
    pdf_of: str | None
    outdated: str | None = None  # the edited file's hash when it was found outdated

    @property
    def edited(self) -> bool:
        try:
            return self.docx.exists() and content_hash(self.docx) != self.generated
        except (OSError, zipfile.BadZipFile):
            return True  # unreadable as Word: treat it as staff's, never overwrite it silently


def previous_documents(packet: Path) -> dict[str, PreviousDocument]:
    """What the last build of `packet` wrote, by document key (empty for a new packet)."""
    manifest = read_manifest(packet)
    if manifest is None:
        return {}
    names = names_of(manifest) or PacketNames("")  # the names of that build (the case id may have changed since)
    out = {}
    entries = manifest.get("documents")
    for d in entries if isinstance(entries, list) else []:
        if not isinstance(d, dict):
            continue
        docx, pdf = _inside(packet, d.get("docx")), _inside(packet, d.get("pdf"))
        if docx is not None and isinstance(d.get("generated"), str):
            out[names.key(docx)] = PreviousDocument(docx, d["generated"], pdf, d.get("pdf_of"), d.get("outdated"))
    return out


def _inside(packet: Path, name: Any) -> Path | None:
    """A manifest's relative file name as a path inside the packet; None for anything else."""
    if not isinstance(name, str) or not name:
        return None
    path = packet / name
    return path if path.resolve().is_relative_to(packet.resolve()) else None


def keep_edits(
    docs: list[Path], previous: dict[str, PreviousDocument], regenerate: set[str], names: PacketNames
) -> list[Path]:
    """Put staff's edited Word files in place of the new renderings; returns the documents kept. A document
    named in `regenerate` (by key, file name or file name without .docx) is regenerated even if edited."""
    kept = []
    for doc in docs:
        old = previous.get(names.key(doc))
        if old is not None and old.edited and not {names.key(doc), doc.stem, doc.name} & regenerate:
            shutil.copyfile(old.docx, doc)
            kept.append(doc)
    return kept


def outdated_edits(
    kept: list[Path], fresh: dict[Path, str], previous: dict[str, PreviousDocument], names: PacketNames
) -> list[Path]:
    """The kept edits whose generated content has changed since staff edited them (`fresh`: this run's
    renderings), or that were found so before and have not been touched since."""
    found = []
    for doc in kept:
        old = previous[names.key(doc)]
        if fresh[doc] != old.generated or (old.outdated is not None and old.outdated == content_hash(doc)):
            found.append(doc)
    return found


def reusable_pdf(doc: Path, previous: dict[str, PreviousDocument], names: PacketNames) -> Path | None:
    """The last build's PDF of `doc`, when it was made from exactly this content."""
    old = previous.get(names.key(doc))
    if old is None or old.pdf is None or old.pdf_of is None or not old.pdf.exists():
        return None
    return old.pdf if content_hash(doc) == old.pdf_of else None


def documents_json(
    docs: list[tuple[Path, str, Path | None]], folder: Path, outdated: Collection[Path] = ()
) -> list[dict[str, Any]]:
    """Manifest entries: (Word file in the packet, its generated content hash, its PDF or None)."""
    return [
        {
            "docx": str(docx.relative_to(folder)),
            "generated": generated,
            "pdf": str(pdf.relative_to(folder)) if pdf else None,
            "pdf_of": content_hash(docx) if pdf else None,
            "outdated": content_hash(docx) if docx in outdated else None,
        }
        for docx, generated, pdf in docs
    ]
