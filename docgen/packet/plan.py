"""What a rebuild may touch in the packet folder, decided once from what is on disk and what the last manifest
says docgen wrote (`files`: each file's path and the hash of the bytes docgen wrote).

- A file this build makes is written where nothing is, or over a file docgen wrote and nobody changed since.
- A file docgen wrote earlier that this build no longer makes is removed, if nobody changed it.
- A document staff edited is never written unless staff ask for it to be regenerated: it stays (renamed when
  its name changed, e.g. a corrected spelling of the client's name), and the build used a copy of it.
- Anything else — a scan saved into the folder, a note, a sub-folder of the office's, a file docgen wrote that
  staff changed — is never touched. Where such a file stands in the way of a new one, it is kept, the new one
  is not written, and the build reports it (`conflicts`).
A packet written before the manifest listed its files (no `files`) is taken as that version wrote it
(`legacy_files`): its report and manifest names, its documents' Word files while unedited, their PDFs, the
index and the scans' copies. That version swapped the whole folder on every build, so nothing else of docgen's
can be there.
"""

from __future__ import annotations

import zipfile
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.hashing import file_sha256
from docgen.packet.journal import Step
from docgen.packet.rebuild import content_hash


@dataclass(frozen=True)
class KeptEdit:
    """A staff-edited document: where it is (`source`), where this build names it (`target`), and the hash of
    the copy the build converted."""

    source: str
    target: str
    sha256: str


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # the packet's files docgen owns after the build
    conflicts: list[str] = field(default_factory=list)  # files in the way of new ones, kept as they are


def _same_document(a: Path, b: Path) -> bool:
    """Two Word files with the same content (their zip bytes differ by timestamps)."""
    return a.suffix == ".docx" and _content(a) is not None and _content(a) == _content(b)


LEGACY_NAMES = ("manifest.json", "missing.txt", "assessment.txt", "checklist.json", "packet.pdf")


def legacy_files(folder: Path, manifest: dict[str, Any]) -> dict[str, str]:
    """The files a packet written before manifests listed them holds as docgen wrote them, with their hashes."""
    found = [*LEGACY_NAMES, *(f"{sub}/{p.name}" for sub in ("evidence", "pdf") for p in _files(folder / sub))]
    found += [f"docx/{p.name}" for p in _files(folder / "docx") if p.name.endswith("00_index.docx")]
    for d in manifest.get("documents") or []:
        docx = d.get("docx") if isinstance(d, dict) else None
        if isinstance(docx, str) and d.get("generated") == _content(folder / docx):
            found.append(docx)
    return {rel: sha for rel in found if "/.." not in rel and (sha := file_sha256(folder / rel)) is not None}


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []


def _content(docx: Path) -> str | None:
    try:
        return content_hash(docx)
    except (OSError, zipfile.BadZipFile, KeyError):
        return None


def plan_changes(
    folder: Path, new: Path, owned: dict[str, str], kept: list[KeptEdit], replace: Collection[str] = ()
) -> Plan:
    """The steps that turn `folder` into the packet staged in `new`; `owned`: the files docgen wrote there (the
    last manifest's `files`, or `legacy_files`); `kept`: the staff edits, whose staged copies are not written;
    `replace`: the documents staff asked to regenerate, written over whatever is there."""
    plan = Plan()
    staged_edits = {k.target for k in kept}
    made = {p.relative_to(new).as_posix(): p for p in sorted(new.rglob("*")) if p.is_file()}
    for rel, path in made.items():
        if rel in staged_edits:
            continue
        sha, there = file_sha256(path), folder / rel
        current = file_sha256(there)
        ours = current is not None and (owned.get(rel) == current or rel in replace)
        if current == sha or (ours and _same_document(path, there)):
            plan.files[rel] = current or ""  # already there as docgen would write it: left alone
        elif current is None or ours:
            plan.steps.append(Step("put", rel, current))
            plan.files[rel] = sha or ""
        else:
            plan.conflicts.append(rel)
    moved_from = {k.source for k in kept if k.source != k.target}
    for rel, sha in sorted(owned.items()):
        if rel not in made and rel not in moved_from and file_sha256(folder / rel) == sha:
            plan.steps.append(Step("remove", rel, sha))
    plan.steps += [Step("move", k.target, k.sha256, source=k.source) for k in kept if k.source != k.target]
    return plan
